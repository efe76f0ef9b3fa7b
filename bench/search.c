/* search.c — latency of ml_search() over a large database, by query kind,
 * with and without facets, against a brute-force LIKE scan as the reference;
 * then what people type in the web UI (trade words, postcodes, words being
 * typed), as the UI asks it: facets on, prefix on.
 * Usage: search DB [QUERIES=1000] [SEED=2026]
 * Queries are built deterministically (seeded PRNG) from fixed frequent words,
 * words of names and NAF labels found in the database, and its codes. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, strtok_r under -std=c17 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "maillage.h"

enum kind { K_FREQUENT, K_RARE, K_TWO_WORDS, K_FILTERED, K_FILTER_ONLY, K_COUNT };
static const char *const kind_names[K_COUNT] = {"frequent-word", "rare-word", "two-word",
                                                "filtered", "filter-only"};

#define MAX_QUERIES 5000
#define WARMUP 50
#define BRUTE_QUERIES 50
#define PHASE_BUDGET_S 300.0 /* stop a phase after this long; report what ran */

typedef struct bench_query {
    enum kind kind;
    char text[96];
    char dep[8];
    char naf[16];
    const char *size_min;
    bool active;
} bench_query;

static const char *const frequent_words[] = {
    "conseil", "transport", "boulangerie", "mécanique", "DÉMO", "commerce", "restaurant",
    "construction", "services", "garage", "immobilier", "industrie", "nettoyage", "informatique",
};
static const char *const size_bands[] = {"01", "03", "11", "12", "21", "22", "31", "41"};

static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static unsigned rng_below(unsigned n) { return (unsigned)(rng_next() % n); }

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentile (nearest rank) of a sorted array. */
static double pct(const double *v, size_t n, double p)
{
    if (n == 0) return 0;
    size_t i = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (i < 1) i = 1;
    if (i > n) i = n;
    return v[i - 1];
}

static void report(const char *label, const double *ms, size_t n, bool full)
{
    double *s = malloc((n ? n : 1) * sizeof *s);
    if (!s) return;
    memcpy(s, ms, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    if (full)
        printf("  %-22s n=%4zu  p50 %8.2f  p95 %8.2f  p99 %8.2f  max %8.2f ms\n", label, n,
               pct(s, n, 50), pct(s, n, 95), pct(s, n, 99), n ? s[n - 1] : 0);
    else
        printf("  %-22s n=%4zu  p50 %8.2f  p95 %8.2f ms\n", label, n, pct(s, n, 50), pct(s, n, 95));
    free(s);
}

/* Picks one word (4+ letters, not DÉMO) of a random row's text column. */
static int random_word(sqlite3 *db, const char *sql, sqlite3_int64 max_key, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return 0;
    for (int attempt = 0; attempt < 20 && !found; attempt++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, max_key > 0 ? (sqlite3_int64)(rng_next() % (uint64_t)max_key) : 0);
        if (sqlite3_step(st) != SQLITE_ROW) continue;
        const char *text = (const char *)sqlite3_column_text(st, 0);
        if (!text) continue;
        char buf[256];
        snprintf(buf, sizeof buf, "%s", text);
        char *words[32];
        int nw = 0;
        for (char *save = NULL, *w = strtok_r(buf, " -',()/.", &save); w && nw < 32;
             w = strtok_r(NULL, " -',()/.", &save))
            if (strlen(w) >= 4 && strcmp(w, "DÉMO") != 0 && strcmp(w, "Fils") != 0) words[nw++] = w;
        if (nw == 0) continue;
        snprintf(out, cap, "%s", words[rng_below((unsigned)nw)]);
        found = 1;
    }
    sqlite3_finalize(st);
    return found;
}

static sqlite3_int64 scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 v = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Random text value of a small table column (codes). */
static void random_code(sqlite3 *db, const char *sql, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    out[0] = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)rng_below(1000000));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static const char *const rare_sources[] = {
    "SELECT name FROM unite WHERE siren >= ?1 ORDER BY siren LIMIT 1",
    "SELECT sign FROM etab WHERE siret >= ?1 AND sign IS NOT NULL ORDER BY siret LIMIT 1",
    "SELECT label FROM naf ORDER BY code LIMIT 1 OFFSET ?1 % 732",
};

static void rare_word(sqlite3 *db, sqlite3_int64 max_siren, sqlite3_int64 max_siret, char *out,
                      size_t cap)
{
    unsigned src = rng_below(3);
    sqlite3_int64 max = src == 0 ? max_siren : src == 1 ? max_siret : 1000000;
    if (!random_word(db, rare_sources[src], max, out, cap)) snprintf(out, cap, "%s", "usinage");
}

/* Filters: département, NAF at one of several levels, size, active. */
static void random_filters(sqlite3 *db, bench_query *q)
{
    unsigned f = rng_below(6);
    if (f == 0 || f == 5)
        random_code(db, "SELECT code FROM departement ORDER BY code LIMIT 1 OFFSET ?1 % 101", q->dep,
                    sizeof q->dep);
    if (f == 1) /* division */
        random_code(db, "SELECT DISTINCT substr(code,1,2) FROM naf ORDER BY 1 LIMIT 1 OFFSET ?1 % 88",
                    q->naf, sizeof q->naf);
    if (f == 2) /* section */
        random_code(db, "SELECT DISTINCT a21 FROM naf ORDER BY 1 LIMIT 1 OFFSET ?1 % 21", q->naf,
                    sizeof q->naf);
    if (f == 3) /* A38 */
        random_code(db, "SELECT DISTINCT a38 FROM naf ORDER BY 1 LIMIT 1 OFFSET ?1 % 38", q->naf,
                    sizeof q->naf);
    if (f == 4 || f == 5) q->size_min = size_bands[2 + rng_below(4)];
    q->active = rng_below(2) == 0;
}

static size_t build_queries(sqlite3 *db, bench_query *qs, size_t n)
{
    sqlite3_int64 max_siren = scalar(db, "SELECT max(siren) FROM unite");
    sqlite3_int64 max_siret = scalar(db, "SELECT max(siret) FROM etab");
    size_t nfreq = sizeof frequent_words / sizeof frequent_words[0];
    for (size_t i = 0; i < n; i++) {
        bench_query *q = &qs[i];
        memset(q, 0, sizeof *q);
        unsigned r = rng_below(100);
        q->kind = r < 20 ? K_FREQUENT : r < 45 ? K_RARE : r < 60 ? K_TWO_WORDS : r < 85 ? K_FILTERED
                                                                                         : K_FILTER_ONLY;
        char w1[48], w2[48];
        switch (q->kind) {
        case K_FREQUENT:
            /* DÉMO (in every generated name) once in 5: the worst case. */
            snprintf(q->text, sizeof q->text, "%s",
                     rng_below(5) == 0 ? "DÉMO" : frequent_words[rng_below((unsigned)nfreq)]);
            break;
        case K_RARE: rare_word(db, max_siren, max_siret, q->text, sizeof q->text); break;
        case K_TWO_WORDS:
            if (rng_below(2)) snprintf(w1, sizeof w1, "%s", frequent_words[rng_below((unsigned)nfreq)]);
            else rare_word(db, max_siren, max_siret, w1, sizeof w1);
            rare_word(db, max_siren, max_siret, w2, sizeof w2);
            snprintf(q->text, sizeof q->text, "%s %s", w1, w2);
            break;
        case K_FILTERED:
            if (rng_below(2)) snprintf(q->text, sizeof q->text, "%s", frequent_words[rng_below((unsigned)nfreq)]);
            else rare_word(db, max_siren, max_siret, q->text, sizeof q->text);
            random_filters(db, q);
            break;
        case K_FILTER_ONLY:
        default: random_filters(db, q); break;
        }
    }
    return n;
}

static void to_ml(const bench_query *b, bool facets, ml_search_query *q)
{
    memset(q, 0, sizeof *q);
    q->text = b->text[0] ? b->text : NULL;
    q->departement = b->dep[0] ? b->dep : NULL;
    q->naf = b->naf[0] ? b->naf : NULL;
    q->size_min = b->size_min;
    q->active_only = b->active;
    q->facets = facets;
    q->limit = 20;
}

static void describe(const bench_query *b, char *out, size_t cap)
{
    snprintf(out, cap, "[%s] '%s'%s%s%s%s%s%s%s", kind_names[b->kind], b->text,
             b->dep[0] ? " dep=" : "", b->dep, b->naf[0] ? " naf=" : "", b->naf,
             b->size_min ? " size>=" : "", b->size_min ? b->size_min : "", b->active ? " active" : "");
}

/* Runs every query once; ms[i] is its latency (-1 if not run). Returns failures. */
static int run_phase(ml_db *mdb, const bench_query *qs, size_t n, bool facets, double *ms,
                     size_t *ran, long *zero_hits)
{
    int failures = 0;
    double start = now_ms();
    *ran = 0;
    *zero_hits = 0;
    for (size_t i = 0; i < n; i++) {
        if (now_ms() - start > PHASE_BUDGET_S * 1e3) break;
        ml_search_query q;
        to_ml(&qs[i], facets, &q);
        json_t *res = NULL;
        double t0 = now_ms();
        ml_err err = ml_search(mdb, &q, &res);
        ms[i] = now_ms() - t0;
        (*ran)++;
        if (err != ML_OK) {
            char d[200];
            describe(&qs[i], d, sizeof d);
            if (failures++ < 5)
                fprintf(stderr, "search failed %s: %s %s\n", d, ml_err_name(err),
                        ml_ctx_message(ml_db_ctx(mdb)));
        } else if (json_array_size(json_object_get(res, "results")) == 0) {
            if ((*zero_hits)++ < 6 && !facets) {
                char d[200];
                describe(&qs[i], d, sizeof d);
                printf("  no result: %s\n", d);
            }
        }
        json_decref(res);
    }
    return failures;
}

/* Reports one phase, overall and by kind, and the slowest queries. */
static void report_phase(const bench_query *qs, const double *ms, size_t n, bool full)
{
    double *sub = malloc(n * sizeof *sub);
    if (!sub) return;
    report("all", ms, n, full);
    for (int k = 0; k < K_COUNT; k++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (qs[i].kind == (enum kind)k) sub[m++] = ms[i];
        report(kind_names[k], sub, m, full);
    }
    free(sub);
}

static void slowest(const bench_query *qs, const double *ms, size_t n, int count)
{
    char *used = calloc(n, 1);
    if (!used) return;
    for (int c = 0; c < count; c++) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!used[i] && (best == n || ms[i] > ms[best])) best = i;
        if (best == n) break;
        used[best] = 1;
        char d[200];
        describe(&qs[best], d, sizeof d);
        printf("    %8.2f ms  %s\n", ms[best], d);
    }
    free(used);
}

/* What people type in the search box of the web UI, sent as the UI sends
 * it (facets on; prefix on while a word is typed): trade words and phrases,
 * postcodes, a SIREN, and the successive prefixes of a few words. */
static void ui_phase(ml_db *mdb)
{
    static const char *const typed[] = {
        "usinage", "chaudronnerie", "soudure", "plasturgie", "agroalimentaire", "farine",
        "boulanger", "traitement de surface", "décolletage", "tôlerie", "fonderie", "BTP",
        "meunerie", "mécanique de précision", "transport frigorifique", "imprimerie",
        "13100", "75011", "69003", "33000", "boulangerie 13100", "usinage 31000",
        "méc", "méca", "mécan", "mécani", "chau", "chaud", "chaudr", "usi", "usin", "boul",
        "boula", "plas", "plast", "trans", "transp", "cons", "conse", "conseil informa",
    };
    enum { N = sizeof typed / sizeof typed[0] };
    double ms[N];
    int zero = 0, fails = 0;
    for (int pass = 0; pass < 2; pass++) /* the first pass warms the caches up */
        for (int i = 0; i < N; i++) {
            ml_search_query q = {.text = typed[i], .facets = true, .active_only = true,
                                 .prefix = true, .limit = 20};
            json_t *res = NULL;
            double t0 = now_ms();
            ml_err err = ml_search(mdb, &q, &res);
            ms[i] = now_ms() - t0;
            if (pass && err) fails++;
            if (pass && !err && json_array_size(json_object_get(res, "results")) == 0) zero++;
            json_decref(res);
        }
    printf("what people type in the UI (%d queries: trade words, postcodes, prefixes; facets on, "
           "prefix on, open only; %d failed, %d with no result):\n",
           N, fails, zero);
    report("typed", ms, N, true);
    printf("  slowest:\n");
    char *used = calloc(N, 1);
    for (int c = 0; used && c < 5; c++) {
        int best = -1;
        for (int i = 0; i < N; i++)
            if (!used[i] && (best < 0 || ms[i] > ms[best])) best = i;
        used[best] = 1;
        printf("    %8.2f ms  '%s'\n", ms[best], typed[best]);
    }
    free(used);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DB [QUERIES=1000] [SEED=2026]\n", argv[0]);
        return 2;
    }
    const char *path = argv[1];
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) : 2026;
    if (n < 1 || n > MAX_QUERIES) n = 1000;
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress visible through tee */

    int rc = 1;
    sqlite3 *raw = NULL;
    ml_ctx *ctx = NULL;
    ml_db *mdb = NULL;
    bench_query *qs = calloc(n, sizeof *qs);
    double *ms = calloc(n, sizeof *ms);
    double *ms_facets = calloc(n, sizeof *ms_facets);
    if (!qs || !ms || !ms_facets) goto out;

    if (sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s: %s\n", path, sqlite3_errmsg(raw));
        goto out;
    }
    ctx = ml_ctx_new();
    if (!ctx || ml_db_open(ctx, path, ML_DB_READONLY, &mdb) != ML_OK) {
        fprintf(stderr, "ml_db_open %s: %s\n", path, ctx ? ml_ctx_message(ctx) : "no memory");
        goto out;
    }
    long long etabs = scalar(raw, "SELECT count(*) FROM etab");
    build_queries(raw, qs, n);
    size_t per_kind[K_COUNT] = {0};
    for (size_t i = 0; i < n; i++) per_kind[qs[i].kind]++;
    printf("== search: %s, %lld establishments (GENERATED), %zu queries:", path, etabs, n);
    for (int k = 0; k < K_COUNT; k++) printf(" %s %zu%s", kind_names[k], per_kind[k], k + 1 < K_COUNT ? "," : "\n");

    /* Warm-up: the first queries, not timed. */
    for (size_t i = 0; i < WARMUP && i < n; i++) {
        ml_search_query q;
        to_ml(&qs[i], false, &q);
        json_t *res = NULL;
        ml_search(mdb, &q, &res);
        json_decref(res);
    }

    size_t ran = 0, ran_f = 0;
    long zero = 0, zero_f = 0;
    int fails = run_phase(mdb, qs, n, false, ms, &ran, &zero);
    printf("ml_search, limit 20, facets off (%zu queries run, %d failed, %ld with no result):\n", ran,
           fails, zero);
    report_phase(qs, ms, ran, true);
    printf("  slowest:\n");
    slowest(qs, ms, ran, 8);

    int fails_f = run_phase(mdb, qs, n, true, ms_facets, &ran_f, &zero_f);
    printf("ml_search, limit 20, facets on (%zu queries run, %d failed):\n", ran_f, fails_f);
    report_phase(qs, ms_facets, ran_f, false);
    printf("  slowest:\n");
    slowest(qs, ms_facets, ran_f, 5);

    /* Reference: brute-force LIKE over names and signs, for single-word queries. */
    sqlite3_stmt *st = NULL;
    const char *sql = "SELECT siret FROM etab e LEFT JOIN unite u ON u.siren=e.siren"
                      " WHERE e.diffusion='O' AND (u.name LIKE ?1 OR e.sign LIKE ?1) LIMIT 20";
    if (sqlite3_prepare_v2(raw, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "brute force: %s\n", sqlite3_errmsg(raw));
        goto out;
    }
    double brute[BRUTE_QUERIES], same[BRUTE_QUERIES];
    size_t nb = 0;
    double start = now_ms();
    for (size_t i = 0; i < ran && nb < BRUTE_QUERIES; i++) {
        if (qs[i].kind != K_FREQUENT && qs[i].kind != K_RARE) continue;
        if (now_ms() - start > PHASE_BUDGET_S * 1e3) break;
        char pattern[128];
        snprintf(pattern, sizeof pattern, "%%%s%%", qs[i].text);
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, pattern, -1, SQLITE_TRANSIENT);
        double t0 = now_ms();
        while (sqlite3_step(st) == SQLITE_ROW) {
        }
        brute[nb] = now_ms() - t0;
        same[nb] = ms[i];
        nb++;
    }
    sqlite3_finalize(st);
    printf("reference: brute-force LIKE on name/sign, LIMIT 20, first %zu single-word queries:\n", nb);
    report("brute force LIKE", brute, nb, false);
    report("ml_search (same)", same, nb, false);
    qsort(brute, nb, sizeof brute[0], cmp_double);
    qsort(same, nb, sizeof same[0], cmp_double);
    qsort(ms, ran, sizeof ms[0], cmp_double);
    double p95 = pct(ms, ran, 95);
    printf("search p95 (all, facets off): %.2f ms (goal: <= 10 ms for the first 20 results — %s)\n", p95,
           p95 <= 10 ? "met" : "NOT met");
    qsort(ms_facets, ran_f, sizeof ms_facets[0], cmp_double);
    double p95f = pct(ms_facets, ran_f, 95);
    printf("search p95 (all, facets on): %.2f ms (goal: <= 10 ms for the first 20 results with "
           "facets — %s)\n",
           p95f, p95f <= 10 ? "met" : "NOT met");
    ui_phase(mdb);
    printf("search ratio brute-force/ml_search on the same %zu queries: p50 %.1fx, p95 %.1fx\n", nb,
           pct(same, nb, 50) > 0 ? pct(brute, nb, 50) / pct(same, nb, 50) : 0,
           pct(same, nb, 95) > 0 ? pct(brute, nb, 95) / pct(same, nb, 95) : 0);
    rc = fails || fails_f ? 1 : 0;
out:
    ml_db_close(mdb);
    ml_ctx_free(ctx);
    sqlite3_close(raw);
    free(qs);
    free(ms);
    free(ms_facets);
    return rc;
}
