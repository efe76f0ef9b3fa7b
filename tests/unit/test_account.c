/* test_account.c — lib/account on a real SQLite database: secrets are
 * random and kept only as a hash, Argon2id passwords verify and are made
 * again when their parameters are old, sessions end when idle or too old
 * (a moving clock), failed logins are throttled, an invitation works once
 * and not after it expires, and the audit log refuses UPDATE and DELETE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include "account/account.h"

#define PW "correct horse battery"
#define T0 INT64_C(1800000000) /* a fixed "now" */

typedef struct fixture {
    char path[64];
    ml_ctx *ctx;
    ml_db *db;
    ml_actor cli;
    int64_t org, other;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/maillage-account-XXXXXX");
    int fd = mkstemp(f->path);
    close(fd);
    unlink(f->path);
    f->ctx = ml_ctx_new();
    assert_int_equal(ml_db_open(f->ctx, f->path, ML_DB_CREATE, &f->db), ML_OK);
    f->cli = (ml_actor){.role = ML_ROLE_ADMIN, .name = "test (local)", .site_admin = true};
    assert_int_equal(ml_org_add(f->db, &f->cli, "Agence", "agency", &f->org), ML_OK);
    assert_int_equal(ml_org_add(f->db, &f->cli, "Préfecture", "prefecture", &f->other), ML_OK);
    int64_t id;
    ml_user_new u = {.email = " Officer@Agence.example ",
                     .password = PW,
                     .org = "Agence",
                     .role = ML_ROLE_OFFICER};
    assert_int_equal(ml_user_add(f->db, &f->cli, &u, &id), ML_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ml_db_close(f->db);
    ml_ctx_free(f->ctx);
    unlink(f->path);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    unlink(side);
    free(f);
    return 0;
}

static void test_secrets_are_random_and_kept_as_a_hash(void **state)
{
    (void)state;
    char a[ML_SECRET_CHARS + 1], b[ML_SECRET_CHARS + 1], ha[ML_SECRET_HASH], hb[ML_SECRET_HASH];
    assert_int_equal(ml_secret_new(a), 0);
    assert_int_equal(ml_secret_new(b), 0);
    assert_true(ml_secret_shape(a));
    assert_string_not_equal(a, b);
    ml_secret_hash(a, ha);
    ml_secret_hash(a, hb);
    assert_string_equal(ha, hb);
    assert_int_equal(strlen(ha), 64);
    assert_null(strstr(ha, a));
    assert_false(ml_secret_shape("short"));
    assert_false(ml_secret_shape("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/"));
}

static void test_passwords_verify_and_old_parameters_are_stale(void **state)
{
    fixture *f = *state;
    char h[ML_PWHASH_STR];
    assert_int_equal(ml_password_hash(f->ctx, PW, h), ML_OK);
    assert_non_null(strstr(h, "$argon2id$"));
    assert_true(ml_password_verify(h, PW));
    assert_false(ml_password_verify(h, "correct horse batterY"));
    assert_false(ml_password_stale(h));
    assert_int_equal(ml_password_hash(f->ctx, "short", h), ML_INVALID);
    /* A hash made with weaker limits is made again at the next login. */
    char old[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str(old, PW, strlen(PW), 1, 8u << 20), 0);
    assert_true(ml_password_verify(old, PW));
    assert_true(ml_password_stale(old));
}

static void test_emails_are_cleaned_and_checked(void **state)
{
    fixture *f = *state;
    char out[256];
    assert_int_equal(ml_email_clean(f->ctx, "  A.B@Example.ORG ", out, sizeof out), ML_OK);
    assert_string_equal(out, "a.b@example.org");
    assert_int_equal(ml_email_clean(f->ctx, "no-at-sign", out, sizeof out), ML_INVALID);
    assert_int_equal(ml_email_clean(f->ctx, "a@b@c", out, sizeof out), ML_INVALID);
    assert_int_equal(ml_email_clean(f->ctx, "a b@c.fr", out, sizeof out), ML_INVALID);
    assert_int_equal(ml_email_clean(f->ctx, "<a@c.fr>", out, sizeof out), ML_INVALID);
}

static void test_a_session_ends_when_idle_or_too_old(void **state)
{
    fixture *f = *state;
    ml_signin s;
    ml_auth a;
    assert_int_equal(ml_login_at(f->db, "officer@agence.example", PW, NULL, "10.0.0.1", T0, &s),
                     ML_OK);
    assert_int_equal(s.auth.actor.role, ML_ROLE_OFFICER);
    assert_int_equal(s.auth.actor.org, f->org);
    assert_string_equal(s.auth.actor.name, "officer@agence.example");
    /* Used every hour: alive until the absolute limit. */
    int64_t t = T0;
    for (; t + 3600 < T0 + ML_SESSION_MAX; t += 3600)
        assert_int_equal(ml_session_check_at(f->db, s.session, t + 3600, &a), ML_OK);
    assert_int_equal(ml_session_check_at(f->db, s.session, T0 + ML_SESSION_MAX + 1, &a),
                     ML_NOTFOUND);
    /* Left idle: ended, even within the absolute limit. */
    assert_int_equal(ml_login_at(f->db, "officer@agence.example", PW, NULL, "10.0.0.1", T0, &s),
                     ML_OK);
    assert_int_equal(ml_session_check_at(f->db, s.session, T0 + ML_SESSION_IDLE + 61, &a),
                     ML_NOTFOUND);
    /* An ended session does not come back. */
    assert_int_equal(ml_session_check_at(f->db, s.session, T0 + 10, &a), ML_NOTFOUND);
}

static void test_workspaces_give_the_organisations_an_actor_reads(void **state)
{
    fixture *f = *state;
    ml_signin s;
    assert_int_equal(ml_login_at(f->db, "officer@agence.example", PW, NULL, NULL, T0, &s), ML_OK);
    assert_int_equal(s.auth.actor.norgs, 1);
    assert_int_equal(ml_workspace_share(f->db, &f->cli, "Réseau", "Agence", false), ML_OK);
    assert_int_equal(ml_workspace_share(f->db, &f->cli, "Réseau", "Préfecture", false), ML_OK);
    ml_auth a;
    assert_int_equal(ml_session_check_at(f->db, s.session, T0 + 1, &a), ML_OK);
    assert_int_equal(a.actor.norgs, 2);
    assert_int_equal(a.actor.orgs[0], f->org);
    assert_int_equal(a.actor.orgs[1], f->other);
    assert_int_equal(ml_workspace_share(f->db, &f->cli, "Réseau", "Préfecture", true), ML_OK);
    assert_int_equal(ml_session_check_at(f->db, s.session, T0 + 2, &a), ML_OK);
    assert_int_equal(a.actor.norgs, 1);
}

static void test_failed_logins_are_throttled_then_forgotten(void **state)
{
    fixture *f = *state;
    ml_signin s;
    for (int i = 0; i < ML_THROTTLE_ACCOUNT; i++)
        assert_int_equal(ml_login_at(f->db, "officer@agence.example", "wrong password", NULL,
                                     "10.0.0.2", T0 + i, &s),
                         ML_INVALID);
    assert_int_equal(
        ml_login_at(f->db, "officer@agence.example", PW, NULL, "10.0.0.2", T0 + 10, &s), ML_LIMIT);
    assert_int_equal(s.retry_after, ML_THROTTLE_WINDOW - 10);
    /* Once the window has passed the oldest failure: allowed again. */
    assert_int_equal(ml_login_at(f->db, "officer@agence.example", PW, NULL, "10.0.0.2",
                                 T0 + ML_THROTTLE_WINDOW + 5, &s),
                     ML_OK);
}

static void test_failed_logins_are_throttled_per_address_too(void **state)
{
    fixture *f = *state;
    ml_signin s;
    char mail[64];
    for (int i = 0; i < ML_THROTTLE_ADDRESS; i++) {
        snprintf(mail, sizeof mail, "guess%d@agence.example", i);
        assert_int_equal(ml_login_at(f->db, mail, "wrong password", NULL, "10.0.0.3", T0 + i, &s),
                         ML_INVALID);
    }
    assert_int_equal(
        ml_login_at(f->db, "officer@agence.example", PW, NULL, "10.0.0.3", T0 + 30, &s), ML_LIMIT);
    assert_true(s.retry_after > 0);
    assert_int_equal(
        ml_login_at(f->db, "officer@agence.example", PW, NULL, "10.0.0.4", T0 + 30, &s), ML_OK);
}

static void test_an_existing_account_joins_another_organisation_by_invitation(void **state)
{
    fixture *f = *state;
    char secret[ML_SECRET_CHARS + 1];
    assert_int_equal(ml_invite_create(f->db, &f->cli, f->other, ML_ROLE_GUEST, NULL, secret),
                     ML_OK);
    int64_t now = (int64_t)time(NULL);
    ml_signin s;
    assert_int_equal(ml_invite_accept_at(f->db, secret, "officer@agence.example", NULL,
                                         "wrong password", NULL, now, &s),
                     ML_INVALID);
    assert_int_equal(
        ml_invite_accept_at(f->db, secret, "officer@agence.example", NULL, PW, NULL, now, &s),
        ML_OK);
    assert_int_equal(s.auth.actor.org, f->other);
    assert_int_equal(s.auth.actor.role, ML_ROLE_GUEST);
    /* It signs in for either: its first by default, or the one it names. */
    assert_int_equal(ml_login_at(f->db, "officer@agence.example", PW, "Agence", NULL, now, &s),
                     ML_OK);
    assert_int_equal(s.auth.actor.role, ML_ROLE_OFFICER);
    assert_int_equal(ml_login_at(f->db, "officer@agence.example", PW, "Préfecture", NULL, now, &s),
                     ML_OK);
    assert_int_equal(s.auth.actor.role, ML_ROLE_GUEST);
    assert_int_equal(ml_login_at(f->db, "officer@agence.example", PW, "Nowhere", NULL, now, &s),
                     ML_INVALID);
}

static void test_an_invitation_works_once_and_not_after_it_expires(void **state)
{
    fixture *f = *state;
    char secret[ML_SECRET_CHARS + 1];
    assert_int_equal(ml_invite_create(f->db, &f->cli, f->org, ML_ROLE_VIEWER, NULL, secret), ML_OK);
    int64_t now = (int64_t)time(NULL);
    ml_signin s;
    assert_int_equal(ml_invite_accept_at(f->db, secret, "late@x.example", NULL, PW, NULL,
                                         now + ML_INVITE_SECONDS + 1, &s),
                     ML_NOTFOUND);
    assert_int_equal(
        ml_invite_accept_at(f->db, secret, "new@x.example", "Nouveau", PW, NULL, now, &s), ML_OK);
    assert_int_equal(s.auth.actor.role, ML_ROLE_VIEWER);
    assert_string_equal(s.auth.actor.name, "Nouveau");
    assert_int_equal(ml_invite_accept_at(f->db, secret, "other@x.example", NULL, PW, NULL, now, &s),
                     ML_NOTFOUND);
    /* An officer may not invite; nor an administrator of another organisation. */
    ml_actor officer = {.user = 1, .org = f->org, .role = ML_ROLE_OFFICER};
    ml_actor admin_elsewhere = {.user = 9, .org = f->other, .role = ML_ROLE_ADMIN};
    assert_int_equal(ml_invite_create(f->db, &officer, f->org, ML_ROLE_VIEWER, NULL, secret),
                     ML_PRIVATE);
    assert_int_equal(
        ml_invite_create(f->db, &admin_elsewhere, f->org, ML_ROLE_VIEWER, NULL, secret),
        ML_PRIVATE);
}

static void test_the_audit_log_is_append_only(void **state)
{
    fixture *f = *state;
    ml_actor who = {
        .user = 1, .org = f->org, .role = ML_ROLE_OFFICER, .name = "o", .address = "10.1.2.3"};
    assert_int_equal(ml_audit_write(f->db, &who, "test.write", "target", "detail"), ML_OK);
    json_t *log = NULL;
    assert_int_equal(ml_audit_list(f->db, &f->cli, 0, 0, &log), ML_OK);
    json_t *last = json_array_get(log, json_array_size(log) - 1);
    assert_string_equal(json_string_value(json_object_get(last, "action")), "test.write");
    assert_string_equal(json_string_value(json_object_get(last, "address")), "10.1.2.3");
    json_decref(log);
    assert_int_equal(ml_audit_list(f->db, &who, 0, 0, &log), ML_PRIVATE);
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(raw, "UPDATE audit SET actor = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(raw), "append-only"));
    assert_int_not_equal(sqlite3_exec(raw, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
}

static void test_only_the_site_administrator_creates_accounts(void **state)
{
    fixture *f = *state;
    ml_actor admin = {.user = 1, .org = f->org, .role = ML_ROLE_ADMIN};
    ml_user_new u = {.email = "x@y.example", .password = PW, .org = "Agence"};
    int64_t id;
    assert_int_equal(ml_user_add(f->db, &admin, &u, &id), ML_PRIVATE);
    assert_int_equal(ml_user_add(f->db, &f->cli, &u, &id), ML_OK);
    assert_int_equal(ml_user_add(f->db, &f->cli, &u, &id), ML_INVALID); /* the email exists */
    ml_role r;
    assert_true(ml_role_parse("officer", &r) && r == ML_ROLE_OFFICER);
    assert_false(ml_role_parse("none", &r));
    assert_string_equal(ml_role_name(ML_ROLE_GUEST), "guest");
}

static void test_an_identity_from_a_provider_signs_in_an_existing_account_only(void **state)
{
    fixture *f = *state;
    ml_signin s;
    ml_identity known = {
        .provider = "proconnect", .subject = "abc-123", .email = "OFFICER@agence.example"};
    assert_int_equal(ml_login_identity(f->db, &known, "10.0.0.9", &s), ML_OK);
    assert_int_equal(s.auth.actor.role, ML_ROLE_OFFICER);
    ml_identity stranger = {
        .provider = "proconnect", .subject = "x", .email = "stranger@x.example"};
    assert_int_equal(ml_login_identity(f->db, &stranger, NULL, &s), ML_PRIVATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secrets_are_random_and_kept_as_a_hash),
        cmocka_unit_test_setup_teardown(test_passwords_verify_and_old_parameters_are_stale, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_emails_are_cleaned_and_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_session_ends_when_idle_or_too_old, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workspaces_give_the_organisations_an_actor_reads,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_logins_are_throttled_then_forgotten, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failed_logins_are_throttled_per_address_too, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_an_invitation_works_once_and_not_after_it_expires,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_an_existing_account_joins_another_organisation_by_invitation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_audit_log_is_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_the_site_administrator_creates_accounts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_an_identity_from_a_provider_signs_in_an_existing_account_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
