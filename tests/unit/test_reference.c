/* test_reference.c — the shipped reference data as the engine sees it: NAF
 * aggregation at every level, the geography tree, the input-output table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/core.h"
#include "match/match.h"
#include "store/store.h"

static ml_ctx *ctx;
static ml_db *db;

static int setup(void **state)
{
    (void)state;
    ctx = ml_ctx_new();
    if (ml_db_open(ctx, ":memory:", ML_DB_CREATE, &db) != ML_OK) return -1;
    if (ml_db_init(db) != ML_OK) {
        fprintf(stderr, "init: %s\n", ml_ctx_message(ctx));
        return -1;
    }
    const char *fixture = TESTS_DATA "/fixture_etablissements_2025.csv";
    ml_import_opts o = {0};
    return ml_import_sirene(db, &fixture, 1, &o, NULL) == ML_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ml_db_close(db);
    ml_ctx_free(ctx);
    return 0;
}

static json_int_t count(const char *key)
{
    json_t *info = NULL;
    assert_int_equal(ml_db_info(db, &info), ML_OK);
    json_int_t n = json_integer_value(json_object_get(json_object_get(info, "counts"), key));
    json_decref(info);
    return n;
}

static void test_reference_tables_have_their_official_sizes(void **state)
{
    (void)state;
    assert_int_equal(count("naf_subclasses"), 732);
    assert_int_equal(count("communes"),
                     37014); /* 34,969 communes + 45 arrondissements + former codes */
    assert_int_equal(count("departements"), 109);
    assert_int_equal(count("io_years"), 5);
    /* the CPV 2008: 9,454 codes with their labels, found by words */
    json_t *c = NULL;
    assert_int_equal(ml_cpv_get(db, "45213000", &c), ML_OK);
    assert_string_equal(json_string_value(json_object_get(json_object_get(c, "cpv"), "code")),
                        "45213000-3");
    json_decref(c);
    assert_int_equal(ml_cpv_search(db, "0", 100, &c), ML_OK); /* codes 0xxxxxxx: division 03 */
    assert_int_equal(json_array_size(json_object_get(c, "results")), 100);
    json_decref(c);
    assert_int_equal(ml_cpv_search(db, "VÉHICULES électrique", 1, &c), ML_OK);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(c, "results"), 0), "code8")),
                        "34144900");
    json_decref(c);
}

static const char *level(json_t *levels, const char *name)
{
    size_t i;
    json_t *v;
    json_array_foreach(levels, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "level")), name) == 0)
            return json_string_value(json_object_get(v, "code"));
    }
    return "";
}

static void test_naf_subclass_aggregates_to_every_level(void **state)
{
    (void)state;
    json_t *o = NULL;
    assert_int_equal(ml_show(db, "90000002700012", &o), ML_OK);
    json_t *levels = json_object_get(json_object_get(o, "activity"), "levels");
    /* INSEE table_NAF2-NA: 25.62A;Décolletage;25.62;25.6;C25D;25;CH2;CH;C;BE */
    assert_string_equal(level(levels, "subclass"), "25.62A");
    assert_string_equal(level(levels, "class"), "25.62");
    assert_string_equal(level(levels, "group"), "25.6");
    assert_string_equal(level(levels, "A129"), "C25D");
    assert_string_equal(level(levels, "A88"), "25");
    assert_string_equal(level(levels, "A64"), "CH2");
    assert_string_equal(level(levels, "A38"), "CH");
    assert_string_equal(level(levels, "A21"), "C");
    assert_string_equal(level(levels, "A10"), "BE");
    json_decref(o);
}

/* Every NAF class but households (97.00, 98.xx) and extraterritorial
 * bodies (99.00) buys from the class table, and its shares add up to nearly
 * all of its intermediate consumption (links under 0.05 % are not
 * shipped); the labels keep their œ and have no C1 control character. */
static void test_every_class_buys_in_the_class_table(void **state)
{
    (void)state;
    ml_snapshot *s = ml_snapshot_from_rows(0, NULL, NULL, NULL, NULL, NULL, NULL, 0);
    assert_non_null(s);
    assert_int_equal(ml_snapshot_load_io(db, s), ML_OK);
    assert_int_equal(s->nsec, 615);
    assert_int_equal(s->io_year, 2018); /* INSEE's total intermediate uses, 2018 */
    size_t without = 0;
    for (int b = 0; b < s->nsec; b++) {
        double total = 0;
        for (int p = 0; p < s->nsec; p++)
            total += s->ic_share[ml_pair(s, p, b)];
        if (total == 0) {
            without++;
            assert_true(strncmp(s->sec[b].code, "97.", 3) == 0 ||
                        strncmp(s->sec[b].code, "98.", 3) == 0 ||
                        strcmp(s->sec[b].code, "99.00") == 0);
        } else {
            assert_true(total > 0.85 && total <= 1.0001);
        }
    }
    assert_int_equal(without, 4);
    int k = ml_snapshot_sector(s, "46.33");
    assert_non_null(strstr(s->sec[k].label_fr, "produits laitiers, œufs, huiles"));
    for (int i = 0; i < s->nsec; i++)
        for (const unsigned char *p = (const unsigned char *)s->sec[i].label_fr; *p; p++)
            assert_false(p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F);
    assert_string_equal(s->sec[ml_snapshot_sector(s, "25.62")].label_en, "Machining");
    ml_snapshot_free(s);
}

static void test_commune_territory_chain_goes_up_to_the_region(void **state)
{
    (void)state;
    json_t *o = NULL;
    assert_int_equal(ml_territory_summary(db, "200054807", &o), ML_OK);
    json_t *t = json_object_get(o, "territory");
    assert_string_equal(json_string_value(json_object_get(t, "kind")), "epci");
    assert_int_equal(json_integer_value(json_object_get(t, "communes")), 92);
    json_decref(o);
    assert_int_equal(ml_territory_summary(db, "reg:93", &o), ML_OK);
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "territory"), "name")),
                        "Provence-Alpes-Côte d'Azur");
    json_decref(o);
    assert_int_equal(ml_territory_summary(db, "2A", &o), ML_OK);
    json_decref(o);
    assert_int_equal(ml_territory_summary(db, "123456789", &o), ML_NOTFOUND);
    assert_int_equal(ml_territory_summary(db, "x;drop", &o), ML_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_tables_have_their_official_sizes),
        cmocka_unit_test(test_naf_subclass_aggregates_to_every_level),
        cmocka_unit_test(test_every_class_buys_in_the_class_table),
        cmocka_unit_test(test_commune_territory_chain_goes_up_to_the_region),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
