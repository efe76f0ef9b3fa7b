/* test_history.c — a firm's shared history (lib/history): the one
 * visibility rule with actors of two organisations, one that shares a
 * workspace, a guest and nobody; that every read applies it (lists,
 * timeline, overdue follow-ups, documents, personal data requests); that
 * writes need an officer; documents checked on size and type; nothing kept
 * about an establishment with restricted diffusion. Real SQLite in memory,
 * the real fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maillage.h"

#define ASM  "91000001700012" /* the car assembler (tests/data/README.md) */
#define NEAR "91000002500015" /* a car-parts maker */
#define PRIV "91000006600019" /* restricted diffusion (statut P) */

static const int64_t shared_orgs[] = {3, 1}; /* org 3 shares a workspace with org 1 */
static const ml_actor officer_a = {.user = 11, .org = 1, .role = ML_ROLE_OFFICER, .name = "Alice"};
static const ml_actor officer_b = {.user = 21, .org = 2, .role = ML_ROLE_OFFICER, .name = "Bob"};
static const ml_actor viewer_c = {
    .user = 31, .org = 3, .role = ML_ROLE_VIEWER, .name = "Chloé", .orgs = shared_orgs, .norgs = 2};
static const ml_actor admin_a = {.user = 12, .org = 1, .role = ML_ROLE_ADMIN, .name = "Ada"};
static const ml_actor admin_b = {.user = 22, .org = 2, .role = ML_ROLE_ADMIN, .name = "Basile"};
static const ml_actor guest_g = {.user = 91, .org = 1, .role = ML_ROLE_GUEST, .name = "Gaston"};
static const ml_actor local = {.user = 0, .org = 0, .role = ML_ROLE_OFFICER, .name = "local"};
static const ml_actor nobody = {.role = ML_ROLE_NONE};

typedef struct fixture {
    ml_ctx *ctx;
    ml_db *db;
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->ctx = ml_ctx_new();
    const char *path = TESTS_DATA "/fixture_match.csv";
    if (ml_db_open(fx->ctx, ":memory:", ML_DB_CREATE, &fx->db) || ml_db_init(fx->db) ||
        ml_import_sirene(fx->db, &path, 1, NULL, NULL)) {
        fprintf(stderr, "setup: %s\n", ml_ctx_message(fx->ctx));
        return -1;
    }
    snprintf(fx->dir, sizeof fx->dir, "/tmp/maillage-docs-XXXXXX");
    if (!mkdtemp(fx->dir) || ml_history_set(fx->db, &admin_a, "documents_folder", fx->dir))
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ml_db_close(fx->db);
    ml_ctx_free(fx->ctx);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", fx->dir);
    free(fx);
    return 0;
}

static size_t count(json_t *j, const char *key)
{
    return json_array_size(json_object_get(j, key));
}

/* How many contacts `who` sees of the assembler. */
static size_t contacts_seen(fixture *fx, const ml_actor *who)
{
    json_t *j = NULL;
    assert_int_equal(ml_contact_list(fx->db, who, ASM, &j), ML_OK);
    size_t n = count(j, "contacts");
    json_decref(j);
    return n;
}

static size_t timeline_kinds(fixture *fx, const ml_actor *who, const char *kind)
{
    json_t *j = NULL;
    assert_int_equal(ml_timeline(fx->db, who, ASM, &j), ML_OK);
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(json_object_get(j, "items"), i, v) n +=
        strcmp(json_string_value(json_object_get(v, "kind")), kind) == 0;
    json_decref(j);
    return n;
}

static void test_the_visibility_rule(void **state)
{
    (void)state;
    /* Own organisation, a shared workspace, another organisation. */
    assert_true(ml_actor_may_read(&officer_a, 1, 999));
    assert_false(ml_actor_may_read(&officer_a, 2, 21));
    assert_true(ml_actor_may_read(&viewer_c, 1, 11));
    assert_true(ml_actor_may_read(&viewer_c, 3, 31));
    assert_false(ml_actor_may_read(&viewer_c, 2, 21));
    /* A guest reads only what it wrote, even in its own organisation. */
    assert_false(ml_actor_may_read(&guest_g, 1, 11));
    assert_true(ml_actor_may_read(&guest_g, 1, 91));
    /* Before accounts: organisation 0 reads organisation 0 only. */
    assert_true(ml_actor_may_read(&local, 0, 0));
    assert_false(ml_actor_may_read(&local, 1, 11));
    assert_false(ml_actor_may_read(&officer_a, 0, 0));
    /* Nobody signed in reads nothing. */
    assert_false(ml_actor_may_read(&nobody, 0, 0));
    assert_false(ml_actor_may_read(NULL, 0, 0));
}

static void test_each_organisation_sees_its_own_and_what_it_shares(void **state)
{
    fixture *fx = *state;
    json_t *j = NULL;
    ml_contact_in c = {.firm = ASM,
                       .name = "Jeanne Dupont",
                       .email = "Jeanne@Example.fr",
                       .basis = "intérêt légitime : suivi du projet d'extension"};
    assert_int_equal(ml_contact_add(fx->db, &officer_a, &c, &j), ML_OK);
    int64_t jeanne = json_integer_value(json_object_get(j, "id"));
    assert_string_equal(json_string_value(json_object_get(j, "email")), "jeanne@example.fr");
    assert_int_equal(json_integer_value(json_object_get(j, "org")), 1);
    json_decref(j);
    ml_interaction_in in = {.siret = ASM,
                            .kind = "visit",
                            .date = "2026-03-02",
                            .notes = "visite de l'usine",
                            .contacts = &jeanne,
                            .ncontacts = 1};
    assert_int_equal(ml_interaction_add(fx->db, &officer_a, &in, &j), ML_OK);
    json_decref(j);
    ml_followup_in f = {.siret = ASM, .what = "envoyer la liste", .due = "2020-01-15"};
    assert_int_equal(ml_followup_add(fx->db, &officer_a, &f, &j), ML_OK);
    assert_true(json_is_true(json_object_get(j, "overdue")));
    json_decref(j);
    /* Organisation 2 writes its own, about the same firm. */
    ml_contact_in c2 = {.firm = "910000017", .name = "Paul Martin", .basis = "intérêt légitime"};
    assert_int_equal(ml_contact_add(fx->db, &officer_b, &c2, &j), ML_OK);
    json_decref(j);

    assert_int_equal(contacts_seen(fx, &officer_a), 1);
    assert_int_equal(contacts_seen(fx, &officer_b), 1); /* its own company contact only */
    assert_int_equal(contacts_seen(fx, &viewer_c), 1);  /* organisation 1's, shared */
    assert_int_equal(contacts_seen(fx, &guest_g), 0);
    assert_int_equal(contacts_seen(fx, &local), 0);
    assert_int_equal(timeline_kinds(fx, &officer_a, "interaction"), 1);
    assert_int_equal(timeline_kinds(fx, &officer_b, "interaction"), 0);
    assert_int_equal(timeline_kinds(fx, &viewer_c, "interaction"), 1);
    assert_int_equal(timeline_kinds(fx, &officer_b, "contact"), 1);
    assert_int_equal(timeline_kinds(fx, &guest_g, "contact"), 0);

    /* Overdue follow-ups: per organisation, per user. */
    ml_followup_filter overdue = {.overdue = true};
    assert_int_equal(ml_followup_list(fx->db, &officer_a, &overdue, &j), ML_OK);
    assert_int_equal(count(j, "followups"), 1);
    json_decref(j);
    assert_int_equal(ml_followup_list(fx->db, &officer_b, &overdue, &j), ML_OK);
    assert_int_equal(count(j, "followups"), 0);
    json_decref(j);
    ml_followup_filter mine = {.overdue = true, .mine = true};
    assert_int_equal(ml_followup_list(fx->db, &admin_a, &mine, &j), ML_OK);
    assert_int_equal(count(j, "followups"), 0); /* Alice's, not Ada's */
    json_decref(j);
    ml_followup_filter own = {.overdue = true, .own_org = true};
    assert_int_equal(ml_followup_list(fx->db, &viewer_c, &own, &j), ML_OK);
    assert_int_equal(count(j, "followups"), 0); /* shared with C, not C's own */
    json_decref(j);

    /* Another organisation cannot mark it done, nor learn it exists. */
    assert_int_equal(ml_followup_done(fx->db, &officer_b, 1, true, &j), ML_NOTFOUND);
    assert_int_equal(ml_followup_done(fx->db, &officer_a, 1, true, &j), ML_OK);
    assert_true(json_is_string(json_object_get(j, "done")));
    json_decref(j);

    /* Linking another organisation's contact is refused. */
    int64_t paul = 2;
    ml_interaction_in bad = {.siret = ASM, .kind = "call", .contacts = &paul, .ncontacts = 1};
    assert_int_equal(ml_interaction_add(fx->db, &officer_a, &bad, &j), ML_INVALID);
}

static void test_writes_need_an_officer(void **state)
{
    fixture *fx = *state;
    json_t *j = NULL;
    ml_contact_in c = {.firm = ASM, .name = "X", .basis = "y"};
    assert_int_equal(ml_contact_add(fx->db, &viewer_c, &c, &j), ML_INVALID);
    assert_non_null(strstr(ml_ctx_message(fx->ctx), "officer"));
    assert_int_equal(ml_contact_add(fx->db, &guest_g, &c, &j), ML_INVALID);
    assert_int_equal(ml_contact_add(fx->db, &nobody, &c, &j), ML_INVALID);
    ml_followup_filter all = {0};
    assert_int_equal(ml_followup_list(fx->db, &nobody, &all, &j), ML_INVALID);
    assert_int_equal(ml_gdpr_review(fx->db, &officer_a, &j), ML_INVALID);
    assert_int_equal(ml_verdict_add_as(fx->db, &viewer_c, NEAR, ASM, "accept", NULL, NULL),
                     ML_INVALID);
}

static void test_restricted_diffusion_gets_nothing(void **state)
{
    fixture *fx = *state;
    json_t *j = NULL;
    ml_contact_in c = {.firm = PRIV, .name = "X", .basis = "y"};
    assert_int_equal(ml_contact_add(fx->db, &officer_a, &c, &j), ML_PRIVATE);
    assert_non_null(strstr(ml_ctx_message(fx->ctx), "keeps no contact"));
    assert_int_equal(ml_timeline(fx->db, &officer_a, PRIV, &j), ML_PRIVATE);
    assert_int_equal(ml_document_add(fx->db, &officer_a, PRIV, "a.pdf", "%PDF-1.4", 8, &j),
                     ML_PRIVATE);
}

static void test_verdicts_carry_their_organisation(void **state)
{
    fixture *fx = *state;
    assert_int_equal(ml_verdict_add_as(fx->db, &officer_b, NEAR, ASM, "note", "bon contact", NULL),
                     ML_OK);
    assert_int_equal(timeline_kinds(fx, &officer_b, "note"), 1);
    assert_int_equal(timeline_kinds(fx, &officer_a, "note"), 0);
    json_t *j = NULL;
    assert_int_equal(ml_timeline(fx->db, &officer_b, ASM, &j), ML_OK);
    size_t i;
    json_t *v;
    bool seen = false;
    json_array_foreach(json_object_get(j, "items"), i,
                       v) if (strcmp(json_string_value(json_object_get(v, "kind")), "note") == 0)
    {
        assert_string_equal(json_string_value(json_object_get(v, "author")), "Bob");
        assert_int_equal(json_integer_value(json_object_get(v, "org")), 2);
        seen = true;
    }
    assert_true(seen);
    json_decref(j);
    /* The known links and notes of a pair: each organisation its own. */
    assert_int_equal(ml_verdict_add_as(fx->db, &officer_a, NEAR, ASM, "reject", NULL, NULL), ML_OK);
    assert_int_equal(ml_links_as(fx->db, &officer_b, ASM, &j), ML_OK);
    assert_int_equal(count(j, "notes"), 1);
    assert_int_equal(count(j, "rejected"), 0);
    json_decref(j);
    assert_int_equal(ml_links_as(fx->db, &officer_a, ASM, &j), ML_OK);
    assert_int_equal(count(j, "notes"), 0);
    assert_int_equal(count(j, "rejected"), 1);
    json_decref(j);
    assert_int_equal(ml_links_as(fx->db, &guest_g, ASM, &j), ML_OK);
    assert_int_equal(count(j, "notes") + count(j, "rejected") + count(j, "links"), 0);
    json_decref(j);
    assert_int_equal(ml_verdict_add_as(fx->db, &officer_a, NEAR, ASM, "withdraw", NULL, NULL),
                     ML_OK);
    assert_int_equal(ml_links_as(fx->db, &officer_a, ASM, &j), ML_OK);
    assert_int_equal(count(j, "rejected"), 0);
    json_decref(j);
}

static void test_documents_are_checked_on_size_and_type(void **state)
{
    fixture *fx = *state;
    json_t *j = NULL;
    static const char pdf[] = "%PDF-1.4\n1 0 obj\n";
    assert_int_equal(ml_document_add(fx->db, &officer_a, ASM, "../../etc/Rapport été.pdf", pdf,
                                     sizeof pdf - 1, &j),
                     ML_OK);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "Rapport été.pdf");
    char id[40];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(j, "id")));
    assert_int_equal(strlen(id), 32);
    json_decref(j);
    /* Read back whole, by its readers only. */
    void *data = NULL;
    size_t len = 0;
    assert_int_equal(ml_document_get(fx->db, &viewer_c, id, &j, &data, &len), ML_OK);
    assert_int_equal(len, sizeof pdf - 1);
    assert_memory_equal(data, pdf, len);
    assert_string_equal(json_string_value(json_object_get(j, "type")), "application/pdf");
    free(data);
    json_decref(j);
    assert_int_equal(ml_document_get(fx->db, &officer_b, id, &j, &data, &len), ML_NOTFOUND);
    assert_int_equal(ml_document_get(fx->db, &officer_a, "../etc/passwd", &j, &data, &len),
                     ML_INVALID);

    static const char html[] = "<!doctype html><script>alert(1)</script>";
    assert_int_equal(ml_document_add(fx->db, &officer_a, ASM, "x.pdf", html, sizeof html - 1, &j),
                     ML_FORMAT);
    assert_non_null(strstr(ml_ctx_message(fx->ctx), "markup"));
    assert_int_equal(ml_document_add(fx->db, &officer_a, ASM, "x.txt", html, sizeof html - 1, &j),
                     ML_FORMAT);
    assert_int_equal(ml_document_add(fx->db, &officer_a, ASM, "x.html", html, sizeof html - 1, &j),
                     ML_FORMAT);
    static const char png[] = "\x89PNG\r\n\x1a\n0000";
    assert_int_equal(ml_document_add(fx->db, &officer_a, ASM, "x.pdf", png, sizeof png - 1, &j),
                     ML_FORMAT);
    assert_int_equal(ml_document_add(fx->db, &officer_a, ASM, "x.png", png, sizeof png - 1, &j),
                     ML_OK);
    json_decref(j);
    static const char csv[] = "\xef\xbb\xbfsiret;nom\n1;é\n";
    assert_int_equal(ml_document_add(fx->db, &officer_a, ASM, "x.csv", csv, sizeof csv - 1, &j),
                     ML_OK);
    json_decref(j);
    /* Too big: over the setting. */
    assert_int_equal(ml_history_set(fx->db, &admin_a, "document_max_mb", "1"), ML_OK);
    size_t big = 1000001;
    char *b = malloc(big);
    memset(b, ' ', big);
    memcpy(b, "%PDF-1.4", 8);
    assert_int_equal(ml_document_add(fx->db, &officer_a, ASM, "big.pdf", b, big, &j), ML_LIMIT);
    assert_int_equal(ml_document_add(fx->db, &officer_a, ASM, "ok.pdf", b, big - 1, &j), ML_OK);
    json_decref(j);
    free(b);
    assert_int_equal(ml_history_set(fx->db, &officer_a, "document_max_mb", "5"), ML_INVALID);
    assert_int_equal(ml_document_list(fx->db, &officer_b, ASM, &j), ML_OK);
    assert_int_equal(count(j, "documents"), 0);
    json_decref(j);
}

static void test_personal_data_requests(void **state)
{
    fixture *fx = *state;
    json_t *j = NULL;
    /* Another organisation's admin finds nothing on Jeanne. */
    assert_int_equal(ml_gdpr_export(fx->db, &admin_b, "jeanne@example.fr", &j), ML_NOTFOUND);
    assert_int_equal(ml_gdpr_export(fx->db, &admin_a, "JEANNE@example.fr", &j), ML_OK);
    assert_int_equal(count(j, "contacts"), 1);
    assert_int_equal(count(j, "interactions"), 1);
    json_decref(j);
    assert_int_equal(ml_gdpr_erase(fx->db, &admin_b, "jeanne@example.fr", &j), ML_NOTFOUND);
    assert_int_equal(ml_gdpr_erase(fx->db, &admin_a, "jeanne@example.fr", &j), ML_OK);
    assert_int_equal(json_integer_value(json_object_get(j, "erased")), 1);
    assert_int_equal(json_integer_value(json_object_get(j, "links_removed")), 1);
    json_decref(j);
    assert_int_equal(ml_gdpr_export(fx->db, &admin_a, "jeanne@example.fr", &j), ML_NOTFOUND);
    assert_int_equal(contacts_seen(fx, &officer_a), 0);
    /* The interaction stays, linked to nobody. */
    assert_int_equal(ml_interaction_list(fx->db, &officer_a, ASM, &j), ML_OK);
    json_t *it = json_array_get(json_object_get(j, "interactions"), 0);
    assert_int_equal(json_array_size(json_object_get(it, "contacts")), 0);
    json_decref(j);
    /* The trace: seen by the admins of the organisation that erased. */
    assert_int_equal(ml_gdpr_erasures(fx->db, &admin_a, &j), ML_OK);
    assert_int_equal(count(j, "erasures"), 1);
    char *dump = json_dumps(j, 0);
    assert_non_null(dump);
    assert_null(strcasestr(dump, "jeanne")); /* no name, no email */
    assert_null(strchr(dump, '@'));
    free(dump);
    json_decref(j);
    assert_int_equal(ml_gdpr_erasures(fx->db, &admin_b, &j), ML_OK);
    assert_int_equal(count(j, "erasures"), 0);
    json_decref(j);
    /* Review: nothing is older than the retention period yet. */
    assert_int_equal(ml_gdpr_review(fx->db, &admin_b, &j), ML_OK);
    assert_int_equal(count(j, "contacts"), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "retention_months")), 36);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_visibility_rule),
        cmocka_unit_test(test_each_organisation_sees_its_own_and_what_it_shares),
        cmocka_unit_test(test_writes_need_an_officer),
        cmocka_unit_test(test_restricted_diffusion_gets_nothing),
        cmocka_unit_test(test_verdicts_carry_their_organisation),
        cmocka_unit_test(test_documents_are_checked_on_size_and_type),
        cmocka_unit_test(test_personal_data_requests),
    };
    return cmocka_run_group_tests_name("history", tests, setup, teardown);
}
