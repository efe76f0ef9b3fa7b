/* test_core.c — specification of lib/core: the capped buffer's sticky error
 * (as curl's dynbuf) and the one SIRET / SIREN type. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_appends_within_cap),
        cmocka_unit_test(buf_error_is_sticky),
        cmocka_unit_test(buf_addf_past_cap_fails),
        cmocka_unit_test(buf_reset_and_release_clear_the_error),
        cmocka_unit_test(buf_bounded_text_is_not_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
