/* test_needs.c — the needs grid (lib/needs): each organisation sees its own
 * levels and those of the organisations sharing a workspace with it, never
 * another's; a guest sees only what it wrote and may not write; the grid's
 * level of a need is the latest the reader may read, the history keeps every
 * one; territories are filed under their resolved code (13001 and com:13001
 * are one grid); a firm of restricted diffusion gets nothing. Real SQLite in
 * memory, the real fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "maillage.h"

#define ASM  "91000001700012" /* the car assembler (tests/data/README.md) */
#define PRIV "91000006600019" /* restricted diffusion (statut P) */

static const int64_t shared_orgs[] = {3, 1}; /* org 3 shares a workspace with org 1 */
static const ml_actor officer_a = {.user = 11, .org = 1, .role = ML_ROLE_OFFICER, .name = "Alice"};
static const ml_actor officer_b = {.user = 21, .org = 2, .role = ML_ROLE_OFFICER, .name = "Bob"};
static const ml_actor viewer_c = {
    .user = 31, .org = 3, .role = ML_ROLE_VIEWER, .name = "Chloé", .orgs = shared_orgs, .norgs = 2};
static const ml_actor guest_g = {.user = 91, .org = 1, .role = ML_ROLE_GUEST, .name = "Gaston"};
static const ml_actor nobody = {.role = ML_ROLE_NONE};

typedef struct fixture {
    ml_ctx *ctx;
    ml_db *db;
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
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ml_db_close(fx->db);
    ml_ctx_free(fx->ctx);
    free(fx);
    return 0;
}

/* The level `who` reads for `need` of `subject` ("" when not assessed), and
 * the length of its history. */
static const char *level_seen(fixture *fx, const ml_actor *who, const char *subject,
                              const char *need, size_t *history)
{
    static char out[16];
    json_t *j = NULL;
    assert_int_equal(ml_needs_show(fx->db, who, subject, &j), ML_OK);
    size_t i;
    json_t *v;
    out[0] = '\0';
    json_array_foreach(json_object_get(j, "needs"), i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "need")), need) != 0) continue;
        const char *l = json_string_value(json_object_get(v, "level"));
        snprintf(out, sizeof out, "%s", l ? l : "");
    }
    if (history) *history = json_array_size(json_object_get(j, "history"));
    assert_int_equal(json_array_size(json_object_get(j, "needs")), 9);
    json_decref(j);
    return out;
}

static void set(fixture *fx, const ml_actor *who, const char *subject, const char *need,
                const char *level, const char *note)
{
    json_t *j = NULL;
    ml_err r = ml_needs_set(fx->db, who, subject, need, level, note, &j);
    if (r) fprintf(stderr, "%s\n", ml_ctx_message(fx->ctx));
    assert_int_equal(r, ML_OK);
    json_decref(j);
}

static void test_each_organisation_sees_its_own_and_what_it_shares(void **state)
{
    fixture *fx = *state;
    size_t n;
    set(fx, &officer_a, "13001", "skills", "high", "Soudeurs");
    set(fx, &officer_a, "com:13001", "skills", "critical", NULL);
    set(fx, &officer_b, "13001", "skills", "low", "Rien de grave");
    assert_string_equal(level_seen(fx, &officer_a, "13001", "skills", &n), "critical");
    assert_int_equal(n, 2);
    assert_string_equal(level_seen(fx, &officer_b, "13001", "skills", &n), "low");
    assert_int_equal(n, 1);
    /* Org 3 shares a workspace with org 1: it reads org 1's levels, not org 2's. */
    assert_string_equal(level_seen(fx, &viewer_c, "com:13001", "skills", &n), "critical");
    assert_int_equal(n, 2);
    assert_string_equal(level_seen(fx, &officer_b, "13001", "land", &n), "");
    /* A guest of org 1 reads only what it wrote: nothing. */
    assert_string_equal(level_seen(fx, &guest_g, "13001", "skills", &n), "");
    assert_int_equal(n, 0);
}

static void test_writes_need_an_officer(void **state)
{
    fixture *fx = *state;
    json_t *j = NULL;
    assert_int_equal(ml_needs_set(fx->db, &viewer_c, "13001", "skills", "low", NULL, &j), ML_INVALID);
    assert_non_null(strstr(ml_ctx_message(fx->ctx), "officer"));
    assert_int_equal(ml_needs_set(fx->db, &guest_g, "13001", "skills", "low", NULL, &j), ML_INVALID);
    assert_int_equal(ml_needs_show(fx->db, &nobody, "13001", &j), ML_INVALID);
    assert_null(j);
}

static void test_firms_and_refusals(void **state)
{
    fixture *fx = *state;
    json_t *j = NULL;
    set(fx, &officer_a, ASM, "export", "medium", "Salon à Hanovre");
    assert_int_equal(ml_needs_show(fx->db, &officer_a, ASM, &j), ML_OK);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "subject"), "kind")),
                        "firm");
    json_t *h0 = json_array_get(json_object_get(j, "history"), 0);
    assert_string_equal(json_string_value(json_object_get(h0, "note")), "Salon à Hanovre");
    assert_string_equal(json_string_value(json_object_get(h0, "author")), "Alice");
    assert_int_equal(json_integer_value(json_object_get(h0, "org")), 1);
    json_decref(j);
    assert_int_equal(ml_needs_set(fx->db, &officer_a, PRIV, "export", "low", NULL, &j), ML_PRIVATE);
    assert_int_equal(ml_needs_set(fx->db, &officer_a, ASM, "weather", "low", NULL, &j), ML_INVALID);
    assert_int_equal(ml_needs_set(fx->db, &officer_a, ASM, "export", "huge", NULL, &j), ML_INVALID);
    assert_int_equal(ml_needs_set(fx->db, &officer_a, ASM, "export", "low", "a\x01" "b", &j),
                     ML_INVALID);
    assert_int_equal(ml_needs_set(fx->db, &officer_a, ASM, "export", "low", "\xff", &j),
                     ML_INVALID);
    assert_int_equal(ml_needs_set(fx->db, &officer_a, "99999", "export", "low", NULL, &j),
                     ML_NOTFOUND);
    size_t n;
    assert_string_equal(level_seen(fx, &officer_a, ASM, "export", &n), "medium");
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_organisation_sees_its_own_and_what_it_shares),
        cmocka_unit_test(test_writes_need_an_officer),
        cmocka_unit_test(test_firms_and_refusals),
    };
    return cmocka_run_group_tests_name("needs", tests, setup, teardown);
}
