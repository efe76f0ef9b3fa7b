/* test_proj.c — official coordinates to WGS84: known points of Lambert-93 and
 * of the overseas UTM systems SIRENE uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>

#include "core/core.h"
#include "geo/proj.h"

static ml_ctx *ctx;
static ml_proj *proj;

static int setup(void **state)
{
    (void)state;
    ctx = ml_ctx_new();
    proj = ml_proj_new(ctx);
    return proj ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ml_proj_free(proj);
    ml_ctx_free(ctx);
    return 0;
}

static void expect(const char *dep, double x, double y, double lat, double lon, double tol)
{
    double got_lat, got_lon;
    assert_int_equal(ml_proj_to_wgs84(proj, dep, x, y, &got_lat, &got_lon), 0);
    if (fabs(got_lat - lat) > tol || fabs(got_lon - lon) > tol)
        fail_msg("%s (%.1f, %.1f): got %.6f, %.6f, expected %.6f, %.6f", dep, x, y, got_lat,
                 got_lon, lat, lon);
}

static void test_lambert93_false_origin_is_46_5_north_3_east(void **state)
{
    (void)state;
    /* By definition of EPSG:2154: (700 000, 6 600 000) is 46°30'N 3°E. */
    expect("75", 700000.0, 6600000.0, 46.5, 3.0, 1e-7);
}

static void test_lambert93_point_in_marseille(void **state)
{
    (void)state;
    /* Quai du Lazaret, Marseille 2e, as published in Lambert-93. */
    expect("13", 891973.7, 6247923.6, 43.3046, 5.3650, 1e-5);
}

static void test_corsica_uses_lambert93_too(void **state)
{
    (void)state;
    assert_int_equal(ml_proj_epsg_for_departement("2A"), 2154);
    assert_int_equal(ml_proj_epsg_for_departement("2B"), 2154);
}

static void test_overseas_departements_use_their_utm_zone(void **state)
{
    (void)state;
    assert_int_equal(ml_proj_epsg_for_departement("971"), 5490);
    assert_int_equal(ml_proj_epsg_for_departement("972"), 5490);
    assert_int_equal(ml_proj_epsg_for_departement("973"), 2972);
    assert_int_equal(ml_proj_epsg_for_departement("974"), 2975);
    assert_int_equal(ml_proj_epsg_for_departement("976"), 4471);
    /* A point on a UTM central meridian has the meridian's longitude:
     * zone 20N = 63°W (Antilles), zone 40S = 57°E (La Réunion), 22N = 51°W (Guyane). */
    double lat, lon;
    assert_int_equal(ml_proj_to_wgs84(proj, "972", 500000.0, 1620000.0, &lat, &lon), 0);
    assert_true(fabs(lon - -63.0) < 1e-7 && lat > 14.6 && lat < 14.7);
    assert_int_equal(ml_proj_to_wgs84(proj, "974", 500000.0, 7700000.0, &lat, &lon), 0);
    assert_true(fabs(lon - 57.0) < 1e-7 && lat < -20.7 && lat > -20.9);
    assert_int_equal(ml_proj_to_wgs84(proj, "973", 500000.0, 550000.0, &lat, &lon), 0);
    assert_true(fabs(lon - -51.0) < 1e-7 && lat > 4.9 && lat < 5.0);
}

static void test_saint_denis_de_la_reunion(void **state)
{
    (void)state;
    expect("974", 338568.3, 7690475.4, -20.8789, 55.4481, 1e-5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lambert93_false_origin_is_46_5_north_3_east),
        cmocka_unit_test(test_lambert93_point_in_marseille),
        cmocka_unit_test(test_corsica_uses_lambert93_too),
        cmocka_unit_test(test_overseas_departements_use_their_utm_zone),
        cmocka_unit_test(test_saint_denis_de_la_reunion),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
