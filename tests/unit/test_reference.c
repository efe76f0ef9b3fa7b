/* test_reference.c — the shipped reference data as the engine sees it: NAF
 * aggregation at every level, the geography tree, the input-output table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/core.h"
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

static void test_every_subclass_maps_to_an_input_output_branch(void **state)
{
    (void)state;
    json_t *naf = NULL, *out = NULL;
    assert_int_equal(db->be->naf_table(db, &naf), ML_OK);
    assert_int_equal(db->be->branch_output(db, &out), ML_OK);
    json_t *output = json_object_get(out, "output");
    assert_int_equal(json_object_size(output), 37);
    assert_int_equal(json_integer_value(json_object_get(out, "year")), 2020);
    size_t i, unmapped = 0;
    json_t *v;
    json_array_foreach(naf, i, v)
    {
        const char *a38 = json_string_value(json_object_get(v, "a38"));
        if (!json_object_get(output, a38)) {
            /* Only extraterritorial organisations (99.00Z, A38 "UZ") are outside the accounts. */
            assert_string_equal(a38, "UZ");
            unmapped++;
        }
    }
    assert_int_equal(unmapped, 1);
    json_decref(naf);
    json_decref(out);
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
        cmocka_unit_test(test_every_subclass_maps_to_an_input_output_branch),
        cmocka_unit_test(test_commune_territory_chain_goes_up_to_the_region),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
