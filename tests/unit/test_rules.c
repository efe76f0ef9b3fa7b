/* test_rules.c — SIRET/SIREN validation, dates, UTF-8, French folding and
 * stemming: the small rules every import and search relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/core.h"
#include "ingest/import.h"
#include "search/text.h"

static bool siret_ok(const char *s)
{
    return ml_siret_valid(s, strlen(s));
}

static void test_siret_with_valid_luhn_checksum_is_accepted(void **state)
{
    (void)state;
    assert_true(siret_ok("73282932000074")); /* Apple France, a published SIRET */
    assert_true(siret_ok("00588003400011")); /* real row of the géo-SIRENE sample */
}

static void test_siret_with_one_wrong_digit_is_refused(void **state)
{
    (void)state;
    assert_false(siret_ok("73282932000075"));
    assert_false(siret_ok("00588003400012"));
}

static void test_siret_must_be_exactly_14_digits(void **state)
{
    (void)state;
    assert_false(siret_ok("7328293200007"));
    assert_false(siret_ok("732829320000740"));
    assert_false(siret_ok("7328293200007A"));
    assert_false(siret_ok(""));
    assert_false(ml_siret_valid(NULL, 0));
}

static void test_la_poste_siret_uses_digit_sum_multiple_of_five(void **state)
{
    (void)state;
    /* 356000000 + NIC: Luhn does not hold for most of La Poste's offices. */
    assert_true(siret_ok("35600000000001"));  /* digit sum 15, Luhn fails */
    assert_false(siret_ok("35600000000002")); /* digit sum 16 */
    assert_false(siret_ok("35600100000001")); /* the exception is for SIREN 356000000 only */
}

static void test_siren_checksum(void **state)
{
    (void)state;
    assert_true(ml_siren_valid("732829320", 9));
    assert_true(ml_siren_valid("356000000", 9));
    assert_false(ml_siren_valid("732829321", 9));
    assert_false(ml_siren_valid("73282932", 8));
}

static void test_dates_are_checked_for_real_calendar_days(void **state)
{
    (void)state;
    assert_true(ml_date_valid("2024-02-29"));
    assert_false(ml_date_valid("2023-02-29"));
    assert_false(ml_date_valid("2023-02-30"));
    assert_false(ml_date_valid("2023-13-01"));
    assert_false(ml_date_valid("2023-1-01"));
    assert_false(ml_date_valid("01/02/2023"));
    assert_true(ml_date_valid("1900-01-01"));
}

static void test_number_parsing_is_range_checked(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(ml_parse_i64("2023", 4, 1900, 2100, &v), 0);
    assert_int_equal(v, 2023);
    assert_int_equal(ml_parse_i64("1899", 4, 1900, 2100, &v), -1);
    assert_int_equal(ml_parse_i64("20x3", 4, 0, 9999, &v), -1);
    assert_int_equal(ml_parse_i64("", 0, 0, 9999, &v), -1);
    double d;
    assert_int_equal(ml_parse_double("891973.7", 8, &d), 0);
    assert_true(d > 891973.6 && d < 891973.8);
    assert_int_equal(ml_parse_double("nan", 3, &d), -1);
    assert_int_equal(ml_parse_double("1e999", 5, &d), -1);
}

static char *fold(const char *in, unsigned flags)
{
    static char out[512];
    ml_text *t = ml_text_new();
    ml_buf b;
    ml_buf_init(&b, 4096);
    ml_text_fold(t, &b, in, strlen(in), flags);
    ml_snprintf(out, sizeof out, "%s", ml_buf_cstr(&b));
    ml_buf_release(&b);
    ml_text_free(t);
    return out;
}

static void test_folding_removes_case_accents_and_stop_words(void **state)
{
    (void)state;
    assert_string_equal(fold("Société de l'Étang ŒUVRE à Noël", 0), "societe etang oeuvre noel");
    assert_string_equal(fold("  Décolletage\u2019s  ", 0), "decolletage");
}

static void test_stemming_meets_inflected_forms(void **state)
{
    (void)state;
    char a[128], b[128];
    ml_snprintf(a, sizeof a, "%s", fold("Boulangeries", ML_FOLD_STEM));
    ml_snprintf(b, sizeof b, "%s", fold("boulangerie", ML_FOLD_STEM));
    assert_string_equal(a, b);
    ml_snprintf(a, sizeof a, "%s", fold("MÉCANIQUES", ML_FOLD_STEM));
    ml_snprintf(b, sizeof b, "%s", fold("mécanique", ML_FOLD_STEM));
    assert_string_equal(a, b);
    /* Codes and numbers are left whole. */
    assert_string_equal(fold("A320 25.62A", ML_FOLD_STEM), "a320 25 62a");
}

static void test_folding_treats_invalid_utf8_as_separator(void **state)
{
    (void)state;
    assert_string_equal(fold("abc\xff"
                             "def",
                             0),
                        "abc def");
    assert_true(ml_utf8_valid("é", strlen("é")));
    assert_false(ml_utf8_valid("\xc3", 1));
    assert_false(ml_utf8_valid("\xc0\xaf", 2));     /* overlong '/' */
    assert_false(ml_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
}

static void test_buffers_never_grow_past_their_cap(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 8);
    assert_int_equal(ml_buf_addstr(&b, "12345678"), 0);
    assert_int_equal(ml_buf_addch(&b, '9'), -1);
    assert_int_equal(b.len, 8);
    ml_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_siret_with_valid_luhn_checksum_is_accepted),
        cmocka_unit_test(test_siret_with_one_wrong_digit_is_refused),
        cmocka_unit_test(test_siret_must_be_exactly_14_digits),
        cmocka_unit_test(test_la_poste_siret_uses_digit_sum_multiple_of_five),
        cmocka_unit_test(test_siren_checksum),
        cmocka_unit_test(test_dates_are_checked_for_real_calendar_days),
        cmocka_unit_test(test_number_parsing_is_range_checked),
        cmocka_unit_test(test_folding_removes_case_accents_and_stop_words),
        cmocka_unit_test(test_stemming_meets_inflected_forms),
        cmocka_unit_test(test_folding_treats_invalid_utf8_as_separator),
        cmocka_unit_test(test_buffers_never_grow_past_their_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
