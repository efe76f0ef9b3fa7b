/* test_search.c — specification of how search reads words: French folding
 * and stemming with the trade rule (a trade, its shop and its people share
 * one stem), and NAF labels read without what they exclude. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "search/text.h"

static ml_text *text;

static const char *fold(const char *s)
{
    static char out[256];
    ml_buf b;
    ml_buf_init(&b, 4096);
    assert_true(ml_text_fold(text, &b, s, strlen(s), ML_FOLD_STEM) >= 0);
    ml_snprintf(out, sizeof out, "%s", ml_buf_cstr(&b));
    ml_buf_release(&b);
    return out;
}

static char *dup_fold(const char *s)
{
    return ml_strdup(fold(s));
}

static void same(const char *a, const char *b)
{
    char *x = dup_fold(a), *y = dup_fold(b);
    if (strcmp(x, y) != 0) fail_msg("'%s' -> '%s' but '%s' -> '%s'", a, x, b, y);
    free(x);
    free(y);
}

static void differ(const char *a, const char *b)
{
    char *x = dup_fold(a), *y = dup_fold(b);
    if (strcmp(x, y) == 0) fail_msg("'%s' and '%s' both -> '%s'", a, b, x);
    free(x);
    free(y);
}

static void test_a_trade_its_shop_and_its_people_share_a_stem(void **state)
{
    (void)state;
    same("boulanger", "boulangerie");
    same("Boulangères", "BOULANGERIES");
    same("serrurier", "serrurerie");
    same("chaudronnier", "chaudronnerie");
    same("carrossier", "carrosserie");
    same("menuisier", "menuiserie");
    same("charcutier", "charcuterie");
    assert_string_equal(fold("boulangerie"), "boulang");
}

static void test_the_trade_rule_leaves_short_stems_and_false_friends_alone(void **state)
{
    (void)state;
    differ("fonderie", "fonds");   /* fond would meet investment funds */
    differ("meunerie", "meunier"); /* meun: a surname too */
    differ("tôlerie", "TOL");      /* an acronym */
    differ("chantier", "chanter"); /* a building site is no song */
    differ("chaudière", "chaud");  /* a boiler is not "hot" */
    differ("plombier", "plomb");   /* lead, the metal */
}

static void test_accents_case_plurals_and_small_words_do_not_matter(void **state)
{
    (void)state;
    same("MÉCANIQUE", "mécaniques");
    assert_string_equal(fold("traitement de surface"), fold("Traitements des surfaces"));
    assert_string_equal(fold("l'usinage"), fold("usinage"));
    assert_string_equal(fold("gros œuvre"), "gros oeuvr");
}

static const char *strip(const char *label)
{
    static char out[512];
    ml_text_strip_exclusions(label, out, sizeof out);
    return out;
}

static void test_labels_lose_what_they_exclude(void **state)
{
    (void)state;
    assert_string_equal(strip("Culture de céréales (à l'exception du riz), de légumineuses"),
                        "Culture de céréales , de légumineuses");
    assert_string_equal(
        strip("Fabrication de produits métalliques, à l'exception des machines et des équipements"),
        "Fabrication de produits métalliques");
    assert_string_equal(strip("Fabrication de verre ; sauf le verre plat ; et le reste"),
                        "Fabrication de verre; et le reste");
    assert_string_equal(strip("Usinage"), "Usinage");
    assert_string_equal(strip(NULL), "");
}

static void test_a_cut_label_never_overflows(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(ml_text_strip_exclusions("Fabrication de machines", out, sizeof out), 7);
    assert_string_equal(out, "Fabrica");
}

int main(void)
{
    text = ml_text_new();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_trade_its_shop_and_its_people_share_a_stem),
        cmocka_unit_test(test_the_trade_rule_leaves_short_stems_and_false_friends_alone),
        cmocka_unit_test(test_accents_case_plurals_and_small_words_do_not_matter),
        cmocka_unit_test(test_labels_lose_what_they_exclude),
        cmocka_unit_test(test_a_cut_label_never_overflows),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    ml_text_free(text);
    return r;
}
