/* bench/match.c — the supplier engine on a national-scale generated snapshot:
 * p50/p95 of the exact top-k engine and of the brute-force scan over the same
 * queries, and whether they agree. Usage: match [ROWS] [QUERIES] [BRUTE].
 * The establishments are GENERATED (real communes weighted by population,
 * sectors by INSEE output); the input-output weights are INSEE's. */
#include <math.h>
#include <time.h>

#include "core/core.h"
#include "match/match.h"
#include "store/store.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static double unif(void)
{
    return (double)(next() >> 11) / 9007199254740992.0;
}
static double gauss(void)
{
    double u = unif() + 1e-12, v = unif();
    return sqrt(-2 * log(u)) * cos(2 * 3.141592653589793 * v);
}

static size_t pick(const double *cum, size_t n, double x)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cum[mid] < x) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)ceil(p * (double)n) - 1;
    return v[i < n ? i : n - 1];
}

/* One row of the real SIRENE sample (subclass, band, establishments). */
static int sample_row(void *ud, const char *const *f, size_t n)
{
    if (n < 3 || !f[0] || !f[1] || !f[2]) return 0;
    return json_array_append_new(ud, json_pack("{s:s, s:s, s:I}", "subclass", f[0], "band", f[1],
                                               "n", (json_int_t)atoll(f[2])));
}

int main(int argc, char **argv)
{
    size_t rows = argc > 1 ? strtoull(argv[1], NULL, 10) : 16000000;
    size_t queries = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000;
    size_t brute = argc > 3 ? strtoull(argv[3], NULL, 10) : 30;
    ml_ctx *ctx = ml_ctx_new();
    ml_db *db = NULL;
    json_t *communes = NULL, *sample = NULL;
    ml_snapshot *io = ml_snapshot_from_rows(0, NULL, NULL, NULL, NULL, NULL, NULL, 0);
    if (ml_db_open(ctx, ":memory:", ML_DB_CREATE, &db) || ml_db_init(db) ||
        ml_territory_communes(db, "FR", &communes) || !(sample = json_pack("{s:[]}", "sample")) ||
        db->be->ref_scan(db, ML_REF_NAF_SAMPLE, sample_row, json_object_get(sample, "sample")) ||
        ml_snapshot_load_io(db, io)) {
        fprintf(stderr, "bench: %s\n", ml_ctx_message(ctx));
        return 1;
    }
    /* Communes weighted by population. */
    json_t *list = json_object_get(communes, "communes");
    size_t nc = json_array_size(list);
    double *ccum = malloc(nc * sizeof *ccum), total = 0;
    for (size_t i = 0; i < nc; i++) {
        total += fmax(1, (double)json_integer_value(json_object_get(json_array_get(list, i), "population")));
        ccum[i] = total;
    }
    /* NAF classes and size bands from the real SIRENE sample (Strasbourg area). */
    json_t *cells = json_object_get(sample, "sample");
    size_t ncell = json_array_size(cells);
    double *scum = malloc(ncell * sizeof *scum), stotal = 0;
    uint16_t *csec = malloc(ncell * sizeof *csec);
    uint8_t *cband = malloc(ncell);
    for (size_t i = 0; i < ncell; i++) {
        json_t *c = json_array_get(cells, i);
        char cls[6];
        snprintf(cls, sizeof cls, "%.5s", json_string_value(json_object_get(c, "subclass")));
        csec[i] = (uint16_t)ml_snapshot_sector(io, cls);
        cband[i] = (uint8_t)ml_size_rank(json_string_value(json_object_get(c, "band")));
        stotal += (double)json_integer_value(json_object_get(c, "n"));
        scum[i] = stotal;
    }
    int64_t *siret = malloc(rows * sizeof *siret);
    float *lat = malloc(rows * sizeof *lat), *lon = malloc(rows * sizeof *lon);
    uint16_t *sector = malloc(rows * sizeof *sector);
    uint8_t *size = malloc(rows);
    double t0 = ml_now();
    for (size_t r = 0; r < rows; r++) {
        json_t *c = json_array_get(list, pick(ccum, nc, unif() * total));
        double clat = json_number_value(json_object_get(c, "lat"));
        double clon = json_number_value(json_object_get(c, "lon"));
        lat[r] = (float)(clat + gauss() * 0.02);
        lon[r] = (float)(clon + gauss() * 0.025);
        size_t k = pick(scum, ncell, unif() * stotal);
        sector[r] = csec[k];
        size[r] = cband[k];
        siret[r] = (int64_t)(10000000000000ULL + (uint64_t)r * 100003ULL % 89999999999999ULL);
    }
    ml_snapshot *s = ml_snapshot_from_rows(rows, siret, lat, lon, sector, size, NULL, 0);
    if (!s || ml_snapshot_load_io(db, s)) {
        fprintf(stderr, "bench: %s\n", s ? ml_ctx_message(ctx) : "out of memory");
        return 1;
    }
    printf("snapshot: %zu GENERATED establishments (real communes, NAF classes and sizes drawn\n"
           "from the real Strasbourg SIRENE extract, NAF class table %d) built in %.1f s\n",
           rows, s->io_year, ml_now() - t0);
    free(siret), free(lat), free(lon), free(sector), free(size), free(ccum), free(scum);
    free(csec), free(cband);
    ml_snapshot_free(io);

    ml_hit fast[50], ref[50];
    double *tf = malloc(queries * sizeof *tf), *tb = malloc((brute ? brute : 1) * sizeof *tb);
    size_t mismatches = 0;
    for (size_t q = 0; q < queries; q++) {
        uint32_t self = (uint32_t)(next() % s->n);
        ml_query mq = {.self = self, .scale_km = ML_SCALE_KM, .limit = 50,
                       .per_sector = ML_PER_SECTOR};
        double a = ml_now();
        size_t nf = ml_match_topk(s, &mq, fast);
        tf[q] = (ml_now() - a) * 1000;
        if (q < brute) {
            a = ml_now();
            size_t nr = ml_match_brute(s, &mq, ref);
            tb[q] = (ml_now() - a) * 1000;
            bool same = nf == nr;
            for (size_t k = 0; same && k < nf; k++)
                same = fast[k].row == ref[k].row && fast[k].score == ref[k].score;
            if (!same) mismatches++;
        }
    }
    double f50 = pct(tf, queries, 0.5), f95 = pct(tf, queries, 0.95), f99 = pct(tf, queries, 0.99);
    printf("engine      top-50 suppliers (at most 3 per NAF class), %zu random buyers:\n"
           "            p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  (goal p95 <= 5 ms)\n",
           queries, f50, f95, f99);
    if (brute) {
        double b50 = pct(tb, brute, 0.5), b95 = pct(tb, brute, 0.95);
        printf("brute force same buyers (first %zu):             p50 %.1f ms  p95 %.1f ms\n", brute,
               b50, b95);
        printf("ratio brute/engine at p50: %.0fx; results identical on %zu of %zu buyers\n",
               b50 / f50, brute - mismatches, brute);
    }
    ml_snapshot_free(s);
    free(tf);
    free(tb);
    json_decref(communes);
    json_decref(sample);
    ml_db_close(db);
    ml_ctx_free(ctx);
    return mismatches ? 1 : 0;
}
