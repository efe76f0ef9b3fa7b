/* test_complexity.c — relatedness and economic complexity (lib/complexity,
 * docs/methods.md): the worked example of the methods page, figure by
 * figure; the invariants any table keeps (RCA's weighted mean, ECI's
 * standardisation, kp an eigenvector of Mpp, proximity and density in
 * [0, 1], COG 0 where present); degenerate tables answered without NaN; the
 * symmetric eigen-solver on matrices of known spectrum; and the CSV tool's
 * refusals, naming the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <unistd.h>

#include "complexity/complexity.h"

#define NEAR(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

static ml_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    ctx = ml_ctx_new();
    return ctx ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ml_ctx_free(ctx);
    return 0;
}

static ml_complexity *table(const char *const *rows, size_t n)
{
    ml_complexity *cx = NULL;
    assert_int_equal(ml_complexity_new(ctx, &cx), ML_OK);
    for (size_t i = 0; i < n; i++) {
        char loc[32], act[32];
        double v;
        assert_int_equal(sscanf(rows[i], "%31s %31s %lf", loc, act, &v), 3);
        assert_int_equal(ml_complexity_add(cx, loc, act, v), ML_OK);
    }
    return cx;
}

/* The worked example of docs/methods.md: four places, three activities. */
static const char *const example[] = {
    "A x 2", "A z 2", "B y 1", "B z 1", "C z 2", "D y 3",
};

static void test_worked_example_of_the_methods_page(void **state)
{
    (void)state;
    ml_complexity *cx = table(example, ML_ARRAY_LEN(example));
    assert_int_equal(ml_complexity_compute(cx, 1), ML_OK);
    ml_complexity_info info;
    ml_complexity_summary(cx, &info);
    assert_int_equal(info.locations, 4);
    assert_int_equal(info.activities, 3);
    assert_int_equal(info.present, 6);
    assert_true(info.ranked);
    NEAR(info.eigenvalue, 2.0 / 3); /* Mpp's eigenvalues: 1, 2/3, 1/4 */

    /* kp = (3, -3, 1), kc = (2, -1, 1, -3); mean -1/4 over the 12 rows,
     * sd sqrt(3 × 14.75 / 11). */
    double sd = sqrt(3 * 14.75 / 11), mean = -0.25;
    const double kc[] = {2, -1, 1, -3}, kp[] = {3, -3, 1};
    const unsigned div[] = {2, 2, 1, 1}, ubi[] = {1, 2, 3};
    const double coi_raw[] = {-3, 3, 0, 0.5};
    double coi_sd = sqrt(3 * 18.1875 / 11), coi_mean = 0.125;
    for (size_t c = 0; c < 4; c++) {
        ml_complexity_location l;
        ml_complexity_location_get(cx, c, &l);
        assert_int_equal(l.code[0], "ABCD"[c]);
        assert_int_equal(l.diversity, div[c]);
        assert_true(l.has_eci && l.has_coi);
        NEAR(l.eci, (kc[c] - mean) / sd);
        NEAR(l.coi, (coi_raw[c] - coi_mean) / coi_sd);
    }
    for (size_t p = 0; p < 3; p++) {
        ml_complexity_activity a;
        ml_complexity_activity_get(cx, p, &a);
        assert_int_equal(a.code[0], "xyz"[p]);
        assert_int_equal(a.ubiquity, ubi[p]);
        NEAR(a.pci, (kp[p] - mean) / sd);
    }
    /* φ(x,z) = 1/max(1,3), φ(y,z) = 1/max(2,3), φ(x,y) = 0, diagonal 0. */
    NEAR(ml_complexity_proximity(cx, 0, 2), 1.0 / 3);
    NEAR(ml_complexity_proximity(cx, 2, 0), 1.0 / 3);
    NEAR(ml_complexity_proximity(cx, 1, 2), 1.0 / 3);
    NEAR(ml_complexity_proximity(cx, 0, 1), 0);
    NEAR(ml_complexity_proximity(cx, 2, 2), 0);
    const double rca[4][3] = {{2.75, 0, 1.1}, {0, 1.375, 1.1}, {0, 0, 2.2}, {0, 2.75, 0}};
    const double density[4][3] = {{1, 1, 0.5}, {1, 1, 0.5}, {1, 1, 0}, {0, 0, 0.5}};
    const double cog[4][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0.5 / sd, 0, 3 / sd}};
    ml_complexity_cell cells[3];
    for (size_t c = 0; c < 4; c++) {
        assert_int_equal(ml_complexity_row(cx, c, cells), ML_OK);
        for (size_t p = 0; p < 3; p++) {
            NEAR(cells[p].rca, rca[c][p]);
            assert_int_equal(cells[p].mcp, rca[c][p] >= 1);
            NEAR(cells[p].density, density[c][p]);
            assert_true(cells[p].has_cog);
            NEAR(cells[p].cog, cog[c][p]);
        }
    }
    ml_complexity_free(cx);
}

/* A skewed random table: `loc` locations, `act` activities. */
static ml_complexity *random_table(unsigned seed, size_t nloc, size_t nact, double fill)
{
    ml_complexity *cx = NULL;
    assert_int_equal(ml_complexity_new(ctx, &cx), ML_OK);
    uint64_t s = seed * 2654435761u + 1;
    for (size_t c = 0; c < nloc; c++)
        for (size_t p = 0; p < nact; p++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(s >> 11) / 9007199254740992.0;
            if (u > fill * (1 + (double)((c + 2 * p) % 3))) continue;
            char loc[16], act[16];
            snprintf(loc, sizeof loc, "L%03zu", c);
            snprintf(act, sizeof act, "A%02zu", p);
            assert_int_equal(ml_complexity_add(cx, loc, act, 1 + floor(u * 1000) * (1 + c % 5)),
                             ML_OK);
        }
    return cx;
}

static void test_invariants_of_a_random_table(void **state)
{
    (void)state;
    ml_complexity *cx = random_table(7, 120, 40, 0.12);
    assert_int_equal(ml_complexity_compute(cx, 1), ML_OK);
    size_t nl = ml_complexity_locations(cx), na = ml_complexity_activities(cx);
    ml_complexity_info info;
    ml_complexity_summary(cx, &info);
    assert_true(info.ranked);
    ml_complexity_cell *cells = calloc(na, sizeof *cells);
    ml_complexity_activity *acts = calloc(na, sizeof *acts);
    double total = 0, *share = calloc(na, sizeof *share);
    for (size_t p = 0; p < na; p++) {
        ml_complexity_activity_get(cx, p, &acts[p]);
        total += acts[p].total;
    }
    for (size_t p = 0; p < na; p++)
        share[p] = acts[p].total / total;
    double eci_sum = 0, eci_ss = 0, coi_sum = 0, coi_ss = 0, div_mean = 0, eci_div = 0;
    for (size_t c = 0; c < nl; c++) {
        ml_complexity_location l;
        ml_complexity_location_get(cx, c, &l);
        assert_int_equal(ml_complexity_row(cx, c, cells), ML_OK);
        /* RCA's mean weighted by the activities' shares is 1. */
        double w = 0;
        unsigned present = 0;
        for (size_t p = 0; p < na; p++) {
            w += cells[p].rca * share[p];
            present += cells[p].mcp;
            assert_true(cells[p].density >= 0 && cells[p].density <= 1 + 1e-12);
            if (cells[p].mcp) NEAR(cells[p].cog, 0);
            assert_false(isnan(cells[p].cog) || isnan(cells[p].density));
        }
        NEAR(w, 1);
        assert_int_equal(present, l.diversity);
        assert_true(l.diversity >= 1); /* a threshold of 1: some RCA is at least 1 */
        eci_sum += l.eci;
        eci_ss += l.eci * l.eci;
        coi_sum += l.coi;
        coi_ss += l.coi * l.coi;
        div_mean += l.diversity;
        eci_div += l.eci * l.diversity;
    }
    /* Standardised over the rows of the full table: mean 0, sd (n - 1) 1. */
    double rows = (double)nl * (double)na;
    NEAR(eci_sum / (double)nl, 0);
    NEAR(eci_ss * (double)na / (rows - 1), 1);
    NEAR(coi_sum / (double)nl, 0);
    NEAR(coi_ss * (double)na / (rows - 1), 1);
    /* The sign: ECI rises with diversity. */
    assert_true(eci_div - eci_sum * div_mean / (double)nl > 0);
    /* Proximity: symmetric, in [0, 1], diagonal 0. */
    for (size_t p = 0; p < na; p++)
        for (size_t q = 0; q < na; q++) {
            double f = ml_complexity_proximity(cx, p, q);
            assert_true(f >= 0 && f <= 1);
            NEAR(f, ml_complexity_proximity(cx, q, p));
            if (p == q) NEAR(f, 0);
        }
    /* kp (PCI up to an affine map) is an eigenvector of Mpp for the second
     * eigenvalue: Σp' Mpp[p,p'] kp[p'] = λ kp[p], with
     * Mpp[p,p'] = Σc M[c,p] M[c,p'] / (diversity c × ubiquity p). */
    double *kp = calloc(na, sizeof *kp), *mk = calloc(na, sizeof *mk);
    for (size_t p = 0; p < na; p++)
        kp[p] = cx->kp[p];
    for (size_t c = 0; c < nl; c++) {
        double s = 0;
        for (size_t i = cx->mrow[c]; i < cx->mrow[c + 1]; i++)
            s += kp[cx->mcol[i]];
        for (size_t i = cx->mrow[c]; i < cx->mrow[c + 1]; i++)
            mk[cx->mcol[i]] += s / cx->diversity[c];
    }
    double norm = 0;
    for (size_t p = 0; p < na; p++)
        norm = fmax(norm, fabs(kp[p]));
    for (size_t p = 0; p < na; p++)
        assert_true(fabs(mk[p] / cx->ubiquity[p] - info.eigenvalue * kp[p]) < 1e-9 * norm);
    assert_true(info.eigenvalue > 0 && info.eigenvalue < 1);
    free(kp);
    free(mk);
    free(cells);
    free(acts);
    free(share);
    ml_complexity_free(cx);
}

static void test_duplicates_are_summed_and_order_is_by_name(void **state)
{
    (void)state;
    const char *const twice[] = {"D y 1", "C z 2", "A x 2", "B y 1",
                                 "A z 1", "B z 1", "A z 1", "D y 2"};
    ml_complexity *a = table(example, ML_ARRAY_LEN(example));
    ml_complexity *b = table(twice, ML_ARRAY_LEN(twice));
    assert_int_equal(ml_complexity_compute(a, 1), ML_OK);
    assert_int_equal(ml_complexity_compute(b, 1), ML_OK);
    ml_complexity_cell ca[3], cb[3];
    for (size_t c = 0; c < 4; c++) {
        ml_complexity_location la, lb;
        ml_complexity_location_get(a, c, &la);
        ml_complexity_location_get(b, c, &lb);
        assert_string_equal(la.code, lb.code);
        NEAR(la.eci, lb.eci);
        ml_complexity_row(a, c, ca);
        ml_complexity_row(b, c, cb);
        for (size_t p = 0; p < 3; p++) {
            NEAR(ca[p].value, cb[p].value);
            NEAR(ca[p].cog, cb[p].cog);
        }
    }
    /* A zero cell of A stays 0; D's two rows make 3 and count 2. */
    ml_complexity_row(b, 3, cb);
    NEAR(cb[1].value, 3);
    assert_int_equal(cb[1].count, 2);
    ml_complexity_free(a);
    ml_complexity_free(b);
}

static void test_threshold_and_recompute(void **state)
{
    (void)state;
    ml_complexity *cx = table(example, ML_ARRAY_LEN(example));
    assert_int_equal(ml_complexity_compute(cx, 1), ML_OK);
    assert_int_equal(ml_complexity_compute(cx, 2), ML_OK);
    ml_complexity_info info;
    ml_complexity_summary(cx, &info);
    /* RCA ≥ 2: A x 2.75, C z 2.2, D y 2.75 only; B has no presence. */
    assert_int_equal(info.present, 3);
    ml_complexity_location b;
    ml_complexity_location_get(cx, 1, &b);
    assert_int_equal(b.diversity, 0);
    assert_false(b.has_eci);
    /* Each present activity is in one place alone: no co-occurrence, so
     * Mpp is the identity (λ2 = 1: no ranking) and density is 0, never NaN. */
    assert_false(info.ranked);
    ml_complexity_cell cells[3];
    for (size_t c = 0; c < 4; c++) {
        ml_complexity_row(cx, c, cells);
        for (size_t p = 0; p < 3; p++) {
            assert_false(isnan(cells[p].density) || isnan(cells[p].cog));
            NEAR(cells[p].density, 0);
        }
    }
    assert_int_equal(ml_complexity_compute(cx, 1), ML_OK);
    ml_complexity_summary(cx, &info);
    assert_int_equal(info.present, 6);
    NEAR(info.eigenvalue, 2.0 / 3);
    assert_int_equal(ml_complexity_compute(cx, 0), ML_INVALID);
    assert_int_equal(ml_complexity_compute(cx, -1), ML_INVALID);
    assert_int_equal(ml_complexity_compute(cx, NAN), ML_INVALID);
    ml_complexity_free(cx);
}

static void test_degenerate_tables_answer_without_nan(void **state)
{
    (void)state;
    ml_complexity_info info;
    ml_complexity_location l;
    ml_complexity_cell cells[4];
    /* One location: RCA 1 everywhere, nothing to rank. */
    const char *const one[] = {"A x 1", "A y 3"};
    ml_complexity *cx = table(one, 2);
    assert_int_equal(ml_complexity_compute(cx, 1), ML_OK);
    ml_complexity_summary(cx, &info);
    assert_false(info.ranked);
    ml_complexity_location_get(cx, 0, &l);
    assert_false(l.has_eci || l.has_coi);
    assert_int_equal(l.diversity, 2);
    ml_complexity_row(cx, 0, cells);
    NEAR(cells[0].rca, 1);
    NEAR(cells[1].density, 1);
    assert_false(cells[0].has_cog);
    ml_complexity_free(cx);
    /* Places all alike (the same shares): every kc equal, not ranked. */
    const char *const alike[] = {"A x 1", "A y 2", "B x 2", "B y 4", "C x 3", "C y 6"};
    cx = table(alike, 6);
    assert_int_equal(ml_complexity_compute(cx, 1), ML_OK);
    ml_complexity_summary(cx, &info);
    assert_false(info.ranked);
    ml_complexity_free(cx);
    /* Zero rows and columns are left out, as py-ecomplexity does. */
    const char *const zeros[] = {"A x 2", "A z 2", "B y 1", "B z 1", "C z 2",
                                 "D y 3", "E x 0", "A w 0", "E w 0"};
    cx = table(zeros, ML_ARRAY_LEN(zeros));
    assert_int_equal(ml_complexity_compute(cx, 1), ML_OK);
    ml_complexity_summary(cx, &info);
    assert_int_equal(info.locations, 4);
    assert_int_equal(info.activities, 3);
    assert_int_equal(info.left_out_locations, 1);
    assert_int_equal(info.left_out_activities, 1);
    NEAR(info.eigenvalue, 2.0 / 3);
    ml_complexity_free(cx);
    /* Nothing positive: refused. */
    const char *const none[] = {"A x 0"};
    cx = table(none, 1);
    assert_int_equal(ml_complexity_compute(cx, 1), ML_INVALID);
    assert_int_equal(ml_complexity_locations(cx), 0);
    /* Values must be finite and not negative. */
    assert_int_equal(ml_complexity_add(cx, "A", "x", -1), ML_INVALID);
    assert_int_equal(ml_complexity_add(cx, "A", "x", INFINITY), ML_INVALID);
    assert_int_equal(ml_complexity_add(cx, "A", "x", NAN), ML_INVALID);
    assert_int_equal(ml_complexity_add(cx, NULL, "x", 1), ML_INVALID);
    ml_complexity_free(cx);
}

/* A = Q diag(values) Qᵀ with Q a Householder reflection: known spectrum. */
static void test_eigen_solver_on_known_spectra(void **state)
{
    (void)state;
    enum { N = 9 };
    const double values[N] = {0.9, -0.3, 0.5, 0.5, 0.1, 0.75, 0.0, 0.2, 0.3};
    double v[N], a[N * N], x[N], lambda;
    double vv = 0;
    for (int i = 0; i < N; i++)
        v[i] = 1 + i % 3 + 0.1 * i, vv += v[i] * v[i];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int k = 0; k < N; k++) {
                double qik = (i == k) - 2 * v[i] * v[k] / vv;
                double qjk = (j == k) - 2 * v[j] * v[k] / vv;
                s += qik * values[k] * qjk;
            }
            a[i * N + j] = s;
        }
    const double sorted[] = {0.9, 0.75, 0.5, 0.5, 0.3};
    for (size_t k = 0; k < ML_ARRAY_LEN(sorted); k++) {
        double b[N * N];
        memcpy(b, a, sizeof b);
        assert_int_equal(ml_sym_eigvec(b, N, k, x, &lambda), 0);
        NEAR(lambda, sorted[k]);
        /* A x = λ x, |x| = 1 */
        double n2 = 0;
        for (int i = 0; i < N; i++) {
            double s = 0;
            for (int j = 0; j < N; j++)
                s += a[i * N + j] * x[j];
            assert_true(fabs(s - lambda * x[i]) < 1e-10);
            n2 += x[i] * x[i];
        }
        NEAR(n2, 1);
        /* k = 1: the eigenvector of 0.75 is Q's column 5. */
        if (k == 1) {
            double dot = 0;
            for (int i = 0; i < N; i++)
                dot += x[i] * ((i == 5) - 2 * v[i] * v[5] / vv);
            NEAR(fabs(dot), 1);
        }
    }
    /* 1 × 1 and 2 × 2. */
    double one = 4;
    assert_int_equal(ml_sym_eigvec(&one, 1, 0, x, &lambda), 0);
    NEAR(lambda, 4);
    double two[4] = {2, 1, 1, 2};
    assert_int_equal(ml_sym_eigvec(two, 2, 1, x, &lambda), 0);
    NEAR(lambda, 1);
    NEAR(fabs(x[0] + x[1]), 0);
}

/* ml_complexity_csv's refusals name the file and line. */
static ml_err run_csv(const char *text, const char *time, char *out, size_t size)
{
    char path[] = "/tmp/test_complexity_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    FILE *f = tmpfile();
    ml_complexity_csv_opts o = {.location = "place", .activity = "naf", .value = "n", .time = time};
    ml_err r = ml_complexity_csv(ctx, path, &o, f, NULL);
    rewind(f);
    size_t n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    fclose(f);
    unlink(path);
    return r;
}

static void test_csv_tool_refuses_with_the_line(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_csv("place,naf,n\nA,x,2\nB,y,abc\n", NULL, out, sizeof out), ML_FORMAT);
    assert_non_null(strstr(ml_ctx_message(ctx), ":3: column n: 'abc' is not a number"));
    assert_int_equal(run_csv("place,naf,n\nA,x,2\nB,y,-1\n", NULL, out, sizeof out), ML_FORMAT);
    assert_non_null(strstr(ml_ctx_message(ctx), ":3: column n: -1 is negative"));
    assert_int_equal(run_csv("place,naf,n\nA,x,\n", NULL, out, sizeof out), ML_FORMAT);
    assert_non_null(strstr(ml_ctx_message(ctx), ":2: column n: empty value"));
    assert_int_equal(run_csv("place,sector,n\nA,x,1\n", NULL, out, sizeof out), ML_FORMAT);
    assert_non_null(strstr(ml_ctx_message(ctx), ":1: no column 'naf' in the header"));
    assert_int_equal(run_csv("place,naf,n\n", NULL, out, sizeof out), ML_FORMAT);
    assert_non_null(strstr(ml_ctx_message(ctx), "no data rows"));
    assert_int_equal(run_csv("place,naf,n\nA,x,0x10\n", NULL, out, sizeof out), ML_FORMAT);
    assert_int_equal(run_csv("place,naf,n\nA,x,nan\n", NULL, out, sizeof out), ML_FORMAT);
    assert_int_equal(run_csv("place,naf,n\nA,x,1\nB,y\n", NULL, out, sizeof out), ML_FORMAT);
    assert_non_null(strstr(ml_ctx_message(ctx), ":3: 2 cells, the header has 3"));
    /* The same file, read right: the header and one row per cell. */
    assert_int_equal(run_csv("year,place,naf,n\n2020,A,x,2\n2020,A,z,2\n2020,B,y,1\n2020,B,z,1\n"
                             "2020,C,z,2\n2020,D,y,3\n2019,A,x,1\n2019,B,y,1\n",
                             "year", out, sizeof out),
                     ML_OK);
    assert_true(strncmp(out,
                        "time,location,activity,value,rca,mcp,diversity,ubiquity,eci,pci,"
                        "density,coi,cog\n\"2019\",\"A\",\"x\",1,",
                        strlen("time,location,activity,value,rca,mcp,diversity,ubiquity,eci,pci,"
                               "density,coi,cog\n\"2019\",\"A\",\"x\",1,")) == 0);
    /* 2019: A and B have one activity each: not ranked, empty cells. */
    assert_non_null(strstr(out, "\"2019\",\"A\",\"x\",1,2,1,1,1,\"\",\"\",0,\"\",\"\"\n"));
    assert_non_null(strstr(out, "\"2020\",\"D\",\"z\",0,0,0,1,3,-1.371110318,0.6232319625,0.5,"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example_of_the_methods_page),
        cmocka_unit_test(test_invariants_of_a_random_table),
        cmocka_unit_test(test_duplicates_are_summed_and_order_is_by_name),
        cmocka_unit_test(test_threshold_and_recompute),
        cmocka_unit_test(test_degenerate_tables_answer_without_nan),
        cmocka_unit_test(test_eigen_solver_on_known_spectra),
        cmocka_unit_test(test_csv_tool_refuses_with_the_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
