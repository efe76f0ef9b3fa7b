/* bench/programme.c — the position of every envelope of a programme at a
 * date (issue 13) on a GENERATED programme of 10,000 projects and 200,000
 * ledger entries: ml_programme_position (the library, through the store's
 * slot and the JSON answer) timed RUNS times after a warm-up, its median,
 * and the figures it gives. bench/programme.sh times the plain SQL
 * aggregate of the same entries with the sqlite3 CLI in the same run and
 * compares both. Usage: programme DB [RUNS=50] [AT=2027-06-30]. The
 * database is made when it has no programme: one GENERATED programme, four
 * envelopes, projects of fictitious SIRETs, and per project 20 entries that
 * keep the ledger's rules (2 commitments, 3 + 3 payments, 11 repayments of
 * the advance, 1 cancellation of unpaid subsidy), dated 2026 to 2029. */
#include <sqlite3.h>
#include <time.h>

#include "maillage.h"

#define PROJECTS 10000

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of this process: on a shared machine, what the call costs
 * whatever the others do. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* day `d` days after 2026-01-01 as YYYY-MM-DD. */
static void day_of(int d, char out[11])
{
    time_t t = 1767225600 + (time_t)d * 86400; /* 2026-01-01 UTC */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

typedef struct gen_entry {
    int env;
    const char *kind;
    int day;
    int64_t amount;
} gen_entry;

static int generate(const char *path)
{
    sqlite3 *s;
    if (sqlite3_open(path, &s) != SQLITE_OK) return -1;
    char *err = NULL;
    if (sqlite3_exec(s,
                     "BEGIN;"
                     "INSERT INTO programme(id, name, org, territory, territory_name, start_day,"
                     " end_day, author, created, generated) VALUES(1, 'GENERATED programme"
                     " (bench)', 0, '13', 'Bouches-du-Rhône', '2026-01-01', '2029-12-31',"
                     " 'bench', 0, 1);"
                     "INSERT INTO prog_org VALUES(1, 0, 'officer');"
                     "INSERT INTO prog_envelope(id, programme, instrument, funder, amount,"
                     " revolving) VALUES(1, 1, 'subsidy', 'Région', 80000000000, 0),"
                     " (2, 1, 'subsidy', 'État', 80000000000, 0),"
                     " (3, 1, 'advance', 'Bpifrance', 80000000000, 1),"
                     " (4, 1, 'advance', 'Région', 80000000000, 0);",
                     NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "generate: %s\n", err);
        return -1;
    }
    sqlite3_stmt *proj, *ent;
    sqlite3_prepare_v2(s,
                       "INSERT INTO prog_project(id, programme, siret, siren, type, title, cost,"
                       " eligible, stage, author, created, updated) VALUES(?1, 1, ?2, ?2 / 100000,"
                       " 'investment', 'GENERATED project ' || ?1, ?3, ?3, 'paid', 'bench', 0, 0)",
                       -1, &proj, NULL);
    sqlite3_prepare_v2(s,
                       "INSERT INTO prog_entry(programme, envelope, project, siren, kind, day,"
                       " amount, author, created) VALUES(1, ?1, ?2, ?3, ?4, ?5, ?6, 'bench', 0)",
                       -1, &ent, NULL);
    int64_t entries = 0;
    for (int p = 1; p <= PROJECTS; p++) {
        int64_t siret = 99000000000000LL + p * 10, siren = siret / 100000;
        int64_t sub = 1000000 + (int64_t)(next() % 20000000);
        int64_t adv = 1000000 + (int64_t)(next() % 20000000);
        int sub_env = 1 + (int)(next() % 2), adv_env = 3 + (int)(next() % 2);
        int d0 = (int)(next() % 700);
        sqlite3_bind_int(proj, 1, p);
        sqlite3_bind_int64(proj, 2, siret);
        sqlite3_bind_int64(proj, 3, 3 * (sub + adv));
        sqlite3_step(proj);
        sqlite3_reset(proj);
        gen_entry e[20];
        int n = 0;
        e[n++] = (gen_entry){sub_env, "commit", d0, sub};
        e[n++] = (gen_entry){adv_env, "commit", d0, adv};
        int64_t paid_sub = 0;
        for (int i = 0; i < 3; i++) { /* three payments of a quarter of the subsidy */
            e[n++] = (gen_entry){sub_env, "pay", d0 + 30 * (i + 1), sub / 4};
            paid_sub += sub / 4;
        }
        e[n++] = (gen_entry){sub_env, "cancel", d0 + 120, sub - paid_sub};
        for (int i = 0; i < 3; i++) /* the advance in three thirds (the last takes the rest) */
            e[n++] = (gen_entry){adv_env, "pay", d0 + 15 * (i + 1),
                                 i < 2 ? adv / 3 : adv - 2 * (adv / 3)};
        for (int i = 0; i < 11; i++) /* eleven quarterly repayments of a twelfth */
            e[n++] = (gen_entry){adv_env, "repay", d0 + 365 + 91 * i, adv / 12};
        for (int i = 0; i < n; i++) {
            char day[11];
            day_of(e[i].day, day);
            sqlite3_bind_int(ent, 1, e[i].env);
            sqlite3_bind_int(ent, 2, p);
            sqlite3_bind_int64(ent, 3, siren);
            sqlite3_bind_text(ent, 4, e[i].kind, -1, SQLITE_STATIC);
            sqlite3_bind_text(ent, 5, day, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(ent, 6, e[i].amount);
            sqlite3_step(ent);
            sqlite3_reset(ent);
            entries++;
        }
    }
    sqlite3_finalize(proj);
    sqlite3_finalize(ent);
    int rc = sqlite3_exec(s, "COMMIT; ANALYZE;", NULL, NULL, &err);
    sqlite3_close(s);
    printf("generated: 1 programme (GENERATED), 4 envelopes, %d projects, %lld ledger entries\n",
           PROJECTS, (long long)entries);
    return rc == SQLITE_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: programme DB [RUNS] [AT]\n");
        return 2;
    }
    const char *path = argv[1], *at = argc > 3 ? argv[3] : "2027-06-30";
    int runs = argc > 2 ? atoi(argv[2]) : 50;
    if (runs < 1 || runs > 100000) runs = 50;
    ml_ctx *ctx = ml_ctx_new();
    ml_db *db = NULL;
    if (ml_db_open(ctx, path, ML_DB_CREATE, &db) || ml_db_init(db)) {
        fprintf(stderr, "%s\n", ml_ctx_message(ctx));
        return 1;
    }
    const ml_actor local = {.role = ML_ROLE_ADMIN, .name = "bench", .site_admin = true};
    json_t *out = NULL;
    if (ml_programme_show(db, &local, "1", &out) == ML_NOTFOUND) {
        ml_db_close(db);
        if (generate(path)) return 1;
        if (ml_db_open(ctx, path, ML_DB_READONLY, &db)) return 1;
    }
    json_decref(out);
    for (int i = 0; i < 5; i++) { /* warm-up */
        if (ml_programme_position(db, &local, "1", at, &out)) {
            fprintf(stderr, "%s\n", ml_ctx_message(ctx));
            return 1;
        }
        json_decref(out);
    }
    double *t = malloc(sizeof *t * (size_t)runs), *c = malloc(sizeof *c * (size_t)runs);
    for (int i = 0; i < runs; i++) {
        double t0 = now(), c0 = cpu_now();
        ml_programme_position(db, &local, "1", at, &out);
        t[i] = (now() - t0) * 1000;
        c[i] = (cpu_now() - c0) * 1000;
        if (i < runs - 1) json_decref(out);
    }
    qsort(t, (size_t)runs, sizeof *t, cmp);
    qsort(c, (size_t)runs, sizeof *c, cmp);
    printf("maillage ml_programme_position at %s: median %.2f ms wall (min %.2f, max %.2f), "
           "cpu %.2f ms (%d runs)\n",
           at, t[runs / 2], t[0], t[runs - 1], c[runs / 2], runs);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(out, "envelopes"), i, e)
        printf("position %lld committed=%lld paid=%lld repaid=%lld available=%lld\n",
               (long long)json_integer_value(json_object_get(e, "id")),
               (long long)json_integer_value(json_object_get(e, "committed")),
               (long long)json_integer_value(json_object_get(e, "paid")),
               (long long)json_integer_value(json_object_get(e, "repaid")),
               (long long)json_integer_value(json_object_get(e, "available")));
    json_decref(out);
    free(t);
    free(c);
    ml_db_close(db);
    ml_ctx_free(ctx);
    return 0;
}
