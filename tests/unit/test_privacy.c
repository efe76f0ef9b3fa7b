/* test_privacy.c — statistical secrecy (lib/privacy, docs/privacy.md): no
 * count of 1 or 2 is shown, nor one that the others give by subtraction; and
 * the size-band table every part reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/size_band.h"
#include "privacy/privacy.h"

static json_t *list_of(const char *counts, size_t limit)
{
    json_t *c = json_loads(counts, 0, NULL);
    assert_non_null(c);
    json_t *l = ml_count_list(c, limit, NULL, NULL);
    json_decref(c);
    assert_non_null(l);
    return l;
}

static json_int_t count_at(json_t *l, size_t i)
{
    return json_integer_value(json_object_get(json_array_get(l, i), "count"));
}

static void test_counts_under_three_join_other_with_enough_to_hide_them(void **state)
{
    (void)state;
    /* 1 and 2 hidden: "other" would be 3, which is safe. */
    json_t *l = list_of("{\"A\": 50, \"B\": 10, \"C\": 1, \"D\": 2}", 0);
    assert_int_equal(json_array_size(l), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(l, 0), "code")), "A");
    assert_int_equal(count_at(l, 2), 3);
    assert_true(json_is_null(json_object_get(json_array_get(l, 2), "code")));
    json_decref(l);
}

static void test_an_other_cell_of_one_or_two_takes_the_smallest_shown_cell(void **state)
{
    (void)state;
    /* Only C = 1 is hidden: alone it would be readable from the total by
     * subtraction, so the smallest shown cell (B = 4) joins it: other = 5. */
    json_t *l = list_of("{\"A\": 50, \"B\": 4, \"C\": 1}", 0);
    assert_int_equal(json_array_size(l), 2);
    assert_int_equal(count_at(l, 0), 50);
    assert_int_equal(count_at(l, 1), 5);
    for (size_t i = 0; i < json_array_size(l); i++) assert_true(count_at(l, i) >= ML_MIN_CELL);
    json_decref(l);
}

static void test_a_limit_puts_the_rest_in_other(void **state)
{
    (void)state;
    json_t *l = list_of("{\"A\": 9, \"B\": 8, \"C\": 7, \"D\": 6}", 2);
    assert_int_equal(json_array_size(l), 3);
    assert_int_equal(count_at(l, 2), 13);
    json_decref(l);
}

static void test_key_figures_withhold_counts_readable_by_subtraction(void **state)
{
    (void)state;
    /* 2 closed: the total would give them away, so it is withheld. */
    ml_estab_figures f = {.total = 102, .active = 100, .restricted = 99, .employers = 10};
    json_t *o = ml_figures_json(&f);
    assert_true(json_is_null(json_object_get(o, "total")));
    assert_true(json_is_null(json_object_get(o, "closed")));
    assert_int_equal(json_integer_value(json_object_get(o, "active")), 100);
    /* 1 public active establishment: the restricted count would reveal it. */
    assert_true(json_is_null(json_object_get(o, "active_restricted")));
    assert_int_equal(json_integer_value(json_object_get(o, "active_employers")), 10);
    json_decref(o);
    assert_true(json_is_null(ml_safe_count(2)));
    json_t *zero = ml_safe_count(0);
    assert_int_equal(json_integer_value(zero), 0);
    json_decref(zero);
}

static void test_size_bands_are_one_table_in_order(void **state)
{
    (void)state;
    assert_int_equal(ml_size_rank("00"), 1);
    assert_int_equal(ml_size_rank("53"), ML_SIZE_BANDS);
    assert_int_equal(ml_size_rank("NN"), 0);
    assert_int_equal(ml_size_rank("99"), 0);
    assert_null(ml_size_band_of("99"));
    assert_string_equal(ml_size_band_of(NULL)->code, "NN");
    assert_string_equal(ml_size_band_of("12")->fr, "20 à 49 salariés");
    for (int i = 1; i < ML_SIZE_BANDS; i++)
        assert_true(ml_size_bands[i].midpoint > ml_size_bands[i - 1].midpoint);
    assert_true(ml_size_code_valid("NN"));
    assert_false(ml_size_code_valid("7"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_under_three_join_other_with_enough_to_hide_them),
        cmocka_unit_test(test_an_other_cell_of_one_or_two_takes_the_smallest_shown_cell),
        cmocka_unit_test(test_a_limit_puts_the_rest_in_other),
        cmocka_unit_test(test_key_figures_withhold_counts_readable_by_subtraction),
        cmocka_unit_test(test_size_bands_are_one_table_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
