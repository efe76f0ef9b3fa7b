/* test_core.c — specification of lib/core: the capped buffer's sticky error
 * (as curl's dynbuf), JSON builds whose failure reaches the caller, and the
 * one SIRET / SIREN type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/core.h"

/* ------------------------------------------------------------------ ml_buf */

static void buf_appends_within_cap(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 8);
    assert_int_equal(ml_buf_addstr(&b, "abc"), 0);
    assert_int_equal(ml_buf_addch(&b, 'd'), 0);
    assert_int_equal(ml_buf_addf(&b, "%d", 1234), 0);
    assert_string_equal(ml_buf_cstr(&b), "abcd1234");
    assert_false(ml_buf_failed(&b));
    ml_buf_release(&b);
}

static void buf_error_is_sticky(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 8);
    assert_int_equal(ml_buf_addstr(&b, "abcdef"), 0);
    /* One byte past the cap: refused, nothing of it written, the flag set. */
    assert_int_equal(ml_buf_addstr(&b, "ghi"), -1);
    assert_true(ml_buf_failed(&b));
    assert_string_equal(ml_buf_cstr(&b), "abcdef");
    /* Later appends that would fit are no-ops: the content never looks whole. */
    assert_int_equal(ml_buf_addch(&b, 'g'), -1);
    assert_int_equal(ml_buf_add(&b, "x", 1), -1);
    assert_int_equal(ml_buf_addf(&b, "%s", "y"), -1);
    assert_int_equal(ml_buf_add_utf8(&b, "z", 1, 10), -1);
    assert_int_equal(ml_buf_add_escaped(&b, "z", 1, 10, 0), -1);
    assert_int_equal(ml_buf_grow(&b, 0), -1);
    assert_string_equal(ml_buf_cstr(&b), "abcdef");
    assert_int_equal(b.len, 6);
    assert_true(ml_buf_failed(&b));
    ml_buf_release(&b);
}

static void buf_addf_past_cap_fails(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 4);
    assert_int_equal(ml_buf_addf(&b, "%05d", 7), -1);
    assert_true(ml_buf_failed(&b));
    assert_int_equal(b.len, 0);
    ml_buf_release(&b);
}

static void buf_reset_and_release_clear_the_error(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 4);
    assert_int_equal(ml_buf_addstr(&b, "too long"), -1);
    assert_true(ml_buf_failed(&b));
    ml_buf_reset(&b);
    assert_false(ml_buf_failed(&b));
    assert_int_equal(ml_buf_addstr(&b, "ok"), 0);
    assert_string_equal(ml_buf_cstr(&b), "ok");
    assert_int_equal(ml_buf_addstr(&b, "abc"), -1);
    ml_buf_release(&b);
    assert_false(ml_buf_failed(&b));
    assert_int_equal(ml_buf_addstr(&b, "ok"), 0);
    ml_buf_release(&b);
}

/* A truncation the caller asked for ("…" after max bytes) is not an error. */
static void buf_bounded_text_is_not_an_error(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 64);
    assert_int_equal(ml_buf_add_utf8(&b, "abcdefgh", 8, 3), 0);
    assert_string_equal(ml_buf_cstr(&b), "abc…");
    assert_false(ml_buf_failed(&b));
    ml_buf_release(&b);
}

/* ------------------------------------------------------------ JSON builds */

static void json_build_succeeds(void **state)
{
    (void)state;
    ml_json_build jb = {0};
    json_t *v = ml_json_pack(&jb, "{s:s, s:i}", "a", "b", "n", 3);
    assert_non_null(v);
    assert_false(jb.failed);
    assert_int_equal(ml_json_done(NULL, &jb), ML_OK);
    json_decref(v);
}

static void json_build_failure_is_sticky_and_reaches_the_caller(void **state)
{
    (void)state;
    ml_ctx *ctx = ml_ctx_new();
    assert_non_null(ctx);
    ml_json_build jb = {0};
    /* A NULL string where one must be: the pack fails and says why. */
    assert_null(ml_json_pack(&jb, "{s:s}", "name", (const char *)NULL));
    assert_true(jb.failed);
    /* A later good pack does not clear it. */
    json_t *ok = ml_json_pack(&jb, "[i]", 1);
    assert_non_null(ok);
    json_decref(ok);
    assert_true(jb.failed);
    assert_int_equal(ml_json_done(ctx, &jb), ML_ERROR);
    assert_non_null(strstr(ml_ctx_message(ctx), "cannot build a JSON answer"));
    /* An inner failure fails the outer pack that takes it with "o". */
    ml_json_build outer = {0};
    json_t *inner = ml_json_check(&outer, NULL, "parts");
    assert_true(outer.failed);
    assert_null(ml_json_pack(&outer, "{s:o}", "parts", inner));
    assert_int_equal(ml_json_done(ctx, &outer), ML_ERROR);
    assert_non_null(strstr(ml_ctx_message(ctx), "no value for parts"));
    ml_ctx_free(ctx);
}

/* ---------------------------------------------------------- SIRET, SIREN */

static void siret_parse_checks_digits_and_checksum(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_int_equal(ml_siret_parse("73282932000074", 14, &v), ML_ID_OK);
    assert_int_equal(v, 73282932000074LL);
    assert_int_equal(ml_siret_parse("73282932000075", 14, &v), ML_ID_CHECKSUM);
    assert_int_equal(ml_siret_parse("7328293200007", 13, &v), ML_ID_NOT_DIGITS);
    assert_int_equal(ml_siret_parse("7328293200007a", 14, &v), ML_ID_NOT_DIGITS);
    assert_int_equal(ml_siret_parse(" 7328293200007", 14, &v), ML_ID_NOT_DIGITS);
    assert_int_equal(ml_siret_parse(NULL, 0, &v), ML_ID_NOT_DIGITS);
    assert_int_equal(v, 73282932000074LL); /* untouched when refused */
    /* La Poste: digit sum a multiple of 5 where Luhn fails. */
    assert_int_equal(ml_siret_parse("35600000000001", 14, &v), ML_ID_OK);
    assert_int_equal(ml_siret_parse("35600000000002", 14, NULL), ML_ID_CHECKSUM);
    /* Without the checksum, for SIRETs the program wrote itself. */
    assert_int_equal(ml_siret_digits("73282932000075", 14, &v), ML_ID_OK);
    assert_int_equal(v, 73282932000075LL);
    assert_int_equal(ml_siret_digits("123", 3, &v), ML_ID_NOT_DIGITS);
}

static void siren_parse_checks_digits_and_checksum(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_int_equal(ml_siren_parse("732829320", 9, &v), ML_ID_OK);
    assert_int_equal(v, 732829320);
    assert_int_equal(ml_siren_parse("356000000", 9, &v), ML_ID_OK);
    assert_int_equal(ml_siren_parse("732829321", 9, &v), ML_ID_CHECKSUM);
    assert_int_equal(ml_siren_parse("73282932", 8, &v), ML_ID_NOT_DIGITS);
    assert_int_equal(ml_siren_digits("732829321", 9, &v), ML_ID_OK);
    assert_true(ml_siren_valid("732829320", 9));
    assert_false(ml_siren_valid("732829321", 9));
}

/* Leading zeros are part of the identifier: they come back when formatted. */
static void siret_format_pads_to_fourteen_digits(void **state)
{
    (void)state;
    char t[ML_SIRET_SIZE], n[ML_SIREN_SIZE];
    int64_t v = 0;
    assert_int_equal(ml_siret_parse("00012345600014", 14, &v), ML_ID_OK);
    assert_int_equal(v, 12345600014LL);
    assert_string_equal(ml_siret_format(v, t), "00012345600014");
    assert_string_equal(ml_siret_format(0, t), "00000000000000");
    assert_string_equal(ml_siret_format(99999999999999LL, t), "99999999999999");
    assert_string_equal(ml_siren_format(123456, n), "000123456");
    assert_string_equal(ml_siren_format(ml_siret_siren(v), n), "000123456");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_appends_within_cap),
        cmocka_unit_test(buf_error_is_sticky),
        cmocka_unit_test(buf_addf_past_cap_fails),
        cmocka_unit_test(buf_reset_and_release_clear_the_error),
        cmocka_unit_test(buf_bounded_text_is_not_an_error),
        cmocka_unit_test(json_build_succeeds),
        cmocka_unit_test(json_build_failure_is_sticky_and_reaches_the_caller),
        cmocka_unit_test(siret_parse_checks_digits_and_checksum),
        cmocka_unit_test(siren_parse_checks_digits_and_checksum),
        cmocka_unit_test(siret_format_pads_to_fourteen_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
