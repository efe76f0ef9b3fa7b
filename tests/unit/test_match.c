/* test_match.c — the fast supplier/customer search returns exactly the
 * brute-force top-k, on random snapshots; and the model's parts behave as
 * docs/methods.md says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>

#include "match/match.h"

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double unif(void)
{
    return (double)(next() >> 11) / 9007199254740992.0;
}

/* Random establishments: most in mainland France around a few towns, some
 * scattered, a few overseas; random sectors (a few sparse), sizes, groups. */
static ml_snapshot *random_snapshot(size_t n, size_t nmember)
{
    int64_t *siret = malloc(n * sizeof *siret);
    float *lat = malloc(n * sizeof *lat), *lon = malloc(n * sizeof *lon);
    uint16_t *sector = malloc(n * sizeof *sector);
    uint8_t *size = malloc(n);
    int64_t(*member)[2] = malloc((nmember ? nmember : 1) * sizeof *member);
    static const double towns[][2] = {{43.30, 5.37}, {45.76, 4.83},  {48.85, 2.35},
                                      {43.60, 1.44}, {47.22, -1.55}, {-20.88, 55.45}};
    for (size_t i = 0; i < n; i++) {
        siret[i] = (int64_t)(10000000000000ULL + next() % 89999999999999ULL);
        double u = unif();
        if (u < 0.7) {
            const double *t = towns[next() % 6];
            lat[i] = (float)(t[0] + (unif() - 0.5) * 0.6);
            lon[i] = (float)(t[1] + (unif() - 0.5) * 0.8);
        } else {
            lat[i] = (float)(42.0 + unif() * 9.0);
            lon[i] = (float)(-4.5 + unif() * 12.0);
        }
        uint64_t r = next() % 100;
        sector[i] = r < 3 ? ML_NO_SECTOR : (uint16_t)(r < 10 ? 30 + r % 7 : next() % 30);
        size[i] = (uint8_t)(next() % 16);
    }
    /* a few establishments of one company (same SIREN) */
    for (size_t i = 1; i < n / 20; i++)
        siret[i] = siret[0] / 100000 * 100000 + (int64_t)i;
    for (size_t i = 0; i < nmember; i++) {
        member[i][0] = siret[next() % n];
        member[i][1] = (int64_t)(next() % 5);
    }
    ml_snapshot *s = ml_snapshot_from_rows(n, siret, lat, lon, sector, size,
                                           (const int64_t(*)[2])member, nmember);
    assert_non_null(s);
    assert_int_equal(ml_snapshot_set_sectors(s, 40), 0);
    for (int p = 0; p < s->nsec; p++)
        for (int b = 0; b < s->nsec; b++) {
            size_t k = ml_pair(s, p, b);
            s->weight[k] = next() % 4 == 0 ? 0 : (float)(unif() * unif() * 0.3);
            s->ic_share[k] = s->weight[k];
            s->general[k] = next() % 10 == 0; /* an input every firm buys */
        }
    free(siret);
    free(lat);
    free(lon);
    free(sector);
    free(size);
    free(member);
    return s;
}

static void check_same(const ml_snapshot *s, const ml_query *q)
{
    ml_hit a[600], b[600];
    size_t na = ml_match_topk(s, q, a), nb = ml_match_brute(s, q, b);
    if (na != nb) fail_msg("self %u: fast found %zu, brute force %zu", q->self, na, nb);
    for (size_t i = 0; i < na; i++)
        if (a[i].row != b[i].row || a[i].score != b[i].score)
            fail_msg("self %u rank %zu: fast %lld (%.12g), brute force %lld (%.12g)", q->self, i,
                     (long long)s->siret[a[i].row], a[i].score, (long long)s->siret[b[i].row],
                     b[i].score);
}

static void test_fast_top_k_equals_brute_force_on_random_data(void **state)
{
    (void)state;
    ml_snapshot *s = random_snapshot(30000, 3000);
    for (int t = 0; t < 400; t++) {
        ml_extra extra[20];
        size_t nextra = 0;
        uint32_t self = (uint32_t)(next() % s->n);
        if (t % 3 == 0) {
            /* text matches and excluded pairs, sorted by row, distinct */
            uint32_t row = (uint32_t)(next() % 1000);
            for (int k = 0; k < 20; k++) {
                row += 1 + (uint32_t)(next() % 1400);
                if (row >= s->n) break;
                extra[nextra++] = (ml_extra){row, k % 4 == 0 ? -1.0 : unif()};
            }
        }
        ml_query q = {
            .self = self,
            .customers = t % 2 == 1,
            .scale_km = t % 5 == 0   ? 5.0
                        : t % 5 == 1 ? 300.0
                                     : 30.0,
            .radius_km = t % 7 == 0 ? 25.0 : 0,
            .limit = t % 4 == 0   ? 1
                     : t % 4 == 1 ? 50
                     : t % 4 == 2 ? 7
                                  : 500,
            .per_sector = t % 3 == 0   ? 0
                          : t % 3 == 1 ? 1
                                       : 3,
            .all_inputs = t % 11 == 0,
            .extra = extra,
            .nextra = nextra,
        };
        check_same(s, &q);
    }
    ml_snapshot_free(s);
}

static void test_ties_are_broken_by_smaller_siret(void **state)
{
    (void)state;
    /* Four suppliers at the same place, same sector and size: equal scores. */
    int64_t siret[5] = {50000000000001, 40000000000004, 40000000000003, 40000000000002,
                        40000000000001};
    float lat[5] = {45, 45.1f, 45.1f, 45.1f, 45.1f}, lon[5] = {5, 5, 5, 5, 5};
    uint16_t sector[5] = {13, 9, 9, 9, 9};
    uint8_t size[5] = {5, 5, 5, 5, 5};
    ml_snapshot *s = ml_snapshot_from_rows(5, siret, lat, lon, sector, size, NULL, 0);
    assert_int_equal(ml_snapshot_set_sectors(s, 20), 0);
    s->weight[ml_pair(s, 9, 13)] = 0.1f;
    ml_query q = {.self = (uint32_t)ml_snapshot_row(s, siret[0]), .scale_km = 30, .limit = 2};
    ml_hit h[2];
    assert_int_equal(ml_match_topk(s, &q, h), 2);
    assert_int_equal(s->siret[h[0].row], 40000000000001);
    assert_int_equal(s->siret[h[1].row], 40000000000002);
    ml_snapshot_free(s);
}

/* Ten suppliers of one class next door and two of another class farther:
 * with at most 3 of a class, the other class gets its place. */
static void test_at_most_per_sector_of_one_class(void **state)
{
    (void)state;
    enum { N = 13 };
    int64_t siret[N];
    float lat[N], lon[N];
    uint16_t sector[N];
    uint8_t size[N];
    for (int i = 0; i < N; i++) {
        siret[i] = 40000000000001 + (int64_t)i * 100000; /* distinct companies */
        lat[i] = i == 0 ? 45.0f : i <= 10 ? 45.001f : 45.2f;
        lon[i] = 5;
        sector[i] = i == 0 ? 0 : i <= 10 ? 1 : 2;
        size[i] = 5;
    }
    ml_snapshot *s = ml_snapshot_from_rows(N, siret, lat, lon, sector, size, NULL, 0);
    assert_int_equal(ml_snapshot_set_sectors(s, 3), 0);
    s->weight[ml_pair(s, 1, 0)] = 0.05f;
    s->weight[ml_pair(s, 2, 0)] = 0.04f;
    ml_query q = {.self = (uint32_t)ml_snapshot_row(s, siret[0]), .scale_km = 30, .limit = 5};
    ml_hit h[5], b[5];
    assert_int_equal(ml_match_topk(s, &q, h), 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(s->sector[h[i].row], 1); /* no cap: the nearest class fills the list */
    q.per_sector = 3;
    assert_int_equal(ml_match_topk(s, &q, h), 5);
    assert_int_equal(ml_match_brute(s, &q, b), 5);
    int of1 = 0, of2 = 0;
    for (int i = 0; i < 5; i++) {
        of1 += s->sector[h[i].row] == 1;
        of2 += s->sector[h[i].row] == 2;
        assert_int_equal(h[i].row, b[i].row);
    }
    assert_int_equal(of1, 3);
    assert_int_equal(of2, 2);
    /* An input every firm buys is left out unless asked for. */
    s->general[ml_pair(s, 2, 0)] = 1;
    assert_int_equal(ml_match_topk(s, &q, h), 3);
    q.all_inputs = true;
    assert_int_equal(ml_match_topk(s, &q, h), 5);
    ml_snapshot_free(s);
}

static void test_size_factor_penalises_tiny_suppliers_of_big_plants(void **state)
{
    (void)state;
    int solo = ml_size_rank("00"), plant = ml_size_rank("42"), sme = ml_size_rank("12");
    assert_true(ml_size_factor(solo, plant) == 0.25); /* 1 person for 1,000-1,999 */
    assert_true(ml_size_factor(sme, plant) == 1.0);   /* 20-49 for 1,000-1,999: 1/43 */
    assert_true(ml_size_factor(ml_size_rank("03"), plant) == 0.5);
    assert_true(ml_size_factor(solo, ml_size_rank("03")) == 1.0);
    assert_true(ml_size_factor(0, plant) == 1.0); /* unknown size: no penalty */
}

static void test_distance_is_great_circle(void **state)
{
    (void)state;
    /* Marseille (Vieux-Port) to Aix-en-Provence (centre): about 26.5 km. */
    double d = ml_distance_km(43.2951, 5.3745, 43.5297, 5.4474);
    assert_true(d > 26.0 && d < 27.0);
    assert_true(ml_distance_km(45, 5, 45, 5) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_top_k_equals_brute_force_on_random_data),
        cmocka_unit_test(test_ties_are_broken_by_smaller_siret),
        cmocka_unit_test(test_at_most_per_sector_of_one_class),
        cmocka_unit_test(test_size_factor_penalises_tiny_suppliers_of_big_plants),
        cmocka_unit_test(test_distance_is_great_circle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
