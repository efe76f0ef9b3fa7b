/* bench/schedule.c — the scheduler on GENERATED business conventions, beside
 * a first-fit greedy in the same run: for each kind of event (two-sided or
 * open, slots shared or availability windows) and each size, RUNS events
 * of different seeds; prints medians of meetings, weight, upper bound, gap
 * to the bound and time, and checks every schedule with the independent
 * checker (a failed check stops the benchmark). Usage: schedule [RUNS=5];
 * SCHEDULE_EFFORT=STEPS sets the local search's steps (default: the library's). */
#include <math.h>
#include <time.h>

#include "schedule/schedule.h"

static uint64_t rng;
static uint64_t next(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static uint32_t below(uint32_t n)
{
    return (uint32_t)(next() % n);
}
static double unif(void)
{
    return (double)(next() >> 11) / 9007199254740992.0;
}

typedef struct kind {
    const char *name;
    bool two_sided, windows;
} kind;

typedef struct size {
    uint32_t people, requests, slots, tables;
} size;

/* A generated event: sides (two-sided: 30 % buyers on side A), popularity
 * skewed (a few participants are asked by many), weights 1 (60 %), 2, 3 or 5
 * (a must), max_meetings empty or drawn, and with windows 70 % of
 * participants available in one or two blocks of slots only. */
static ml_err generate(ml_sched_event *ev, const kind *k, const size *z, uint64_t seed)
{
    rng = seed * 0x2545F4914F6CDD1DULL + 7;
    ml_err r = ml_sched_event_init(ev, z->slots, z->tables, z->people, z->requests);
    if (r) return r;
    ev->two_sided = k->two_sided;
    uint32_t na = k->two_sided ? z->people * 3 / 10 : z->people;
    for (uint32_t p = 0; p < z->people; p++) {
        ev->side[p] = !k->two_sided ? ML_SIDE_NONE : p < na ? ML_SIDE_A : ML_SIDE_B;
        double u = unif();
        ev->max[p] = u < 0.4 ? ML_SCHED_NO_LIMIT : 4 + below(z->slots > 8 ? z->slots - 6 : 3);
        if (k->windows && unif() < 0.7) {
            uint32_t len = z->slots / 3 + below(z->slots - z->slots / 3),
                     start = below(z->slots - len + 1);
            uint64_t m = 0;
            for (uint32_t s = start; s < start + len; s++)
                m |= (uint64_t)1 << s;
            if (unif() < 0.3) { /* a second block */
                uint32_t l2 = 1 + below(z->slots / 4 + 1), s2 = below(z->slots - l2 + 1);
                for (uint32_t s = s2; s < s2 + l2; s++)
                    m |= (uint64_t)1 << s;
            }
            ev->avail[p] = m;
        }
    }
    /* Pairs: one side uniform, the other skewed (popular participants). */
    uint64_t *seen = calloc((size_t)z->requests * 4, sizeof *seen);
    size_t hsize = (size_t)z->requests * 4;
    if (!seen) return ML_NOMEM;
    while (ev->nr < z->requests) {
        uint32_t a, b;
        if (k->two_sided) {
            a = below(na);
            b = na + (uint32_t)((double)(z->people - na) * pow(unif(), 1.6));
        } else {
            a = below(z->people);
            b = (uint32_t)((double)z->people * pow(unif(), 1.6));
        }
        if (b >= z->people || a == b) continue;
        uint64_t lo = a < b ? a : b, hi = a < b ? b : a, key = (lo << 32 | hi) + 1;
        size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) % hsize);
        bool dup = false;
        while (seen[i]) {
            if (seen[i] == key) {
                dup = true;
                break;
            }
            i = (i + 1) % hsize;
        }
        if (dup) continue;
        seen[i] = key;
        double u = unif();
        int64_t w = u < 0.6 ? 1 : u < 0.85 ? 2 : u < 0.95 ? 3 : 5;
        ev->req[ev->nr++] = (ml_sched_request){a, b, w};
    }
    free(seen);
    return ML_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

enum { MEET, WEIGHT, BOUND, GAP, MS, CPU, IDLE, NSTAT };

/* CPU time of this process: the machine may be shared, wall time then lies. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 5;
    if (runs < 1 || runs > 50) runs = 5;
    static const kind kinds[] = {
        {"two-sided, shared slots", true, false},
        {"two-sided, windows", true, true},
        {"open, shared slots", false, false},
        {"open, windows", false, true},
    };
    static const size sizes[] = {
        {200, 2000, 12, 80},
        {1000, 10000, 16, 400},
        {2000, 20000, 20, 800},
    };
    /* SCHEDULE_EFFORT: steps of local search (the library's default when unset). */
    const char *effort_env = getenv("SCHEDULE_EFFORT");
    uint64_t effort = effort_env ? strtoull(effort_env, NULL, 10) : 0;
    ml_ctx *ctx = ml_ctx_new();
    printf("GENERATED events; medians of %d runs (a new event per run); every schedule checked\n",
           runs);
    printf("%-25s %-22s %-9s %8s %8s %8s %7s %8s %8s %8s %6s %s\n", "event", "size (P/R/N/T)",
           "solver", "meetings", "weight", "bound", "gap %", "max gap", "ms", "cpu ms", "idle",
           "optimal");
    for (size_t ki = 0; ki < ML_ARRAY_LEN(kinds); ki++) {
        for (size_t si = 0; si < ML_ARRAY_LEN(sizes); si++) {
            const kind *k = &kinds[ki];
            const size *z = &sizes[si];
            double stat[2][NSTAT][50];
            int optimal[2] = {0, 0};
            for (int run = 0; run < runs; run++) {
                ml_sched_event ev;
                if (generate(&ev, k, z, (uint64_t)run + 1)) return 1;
                for (int solver = 0; solver < 2; solver++) {
                    ml_sched_params p = {.seed = 1, .effort = effort, .greedy_only = solver == 1};
                    ml_sched_result res;
                    double t0 = ml_now(), c0 = cpu_now();
                    if (ml_sched_solve(ctx, &ev, &p, &res)) {
                        fprintf(stderr, "bench: %s\n", ml_ctx_message(ctx));
                        return 1;
                    }
                    double ms = (ml_now() - t0) * 1000, cpu = (cpu_now() - c0) * 1000;
                    int64_t bound = res.bound;
                    if (solver == 1) { /* the greedy has no bound: compare with the solver's */
                        bound = (int64_t)stat[0][BOUND][run];
                    }
                    char why[300];
                    if (ml_sched_check(&ev, res.m, res.n, res.weight, why, sizeof why)) {
                        fprintf(stderr, "bench: %s, %s: the checker refused the schedule: %s\n",
                                k->name, solver ? "greedy" : "maillage", why);
                        return 1;
                    }
                    if (res.weight > bound) {
                        fprintf(stderr, "bench: weight above the bound\n");
                        return 1;
                    }
                    stat[solver][MEET][run] = (double)res.n;
                    stat[solver][WEIGHT][run] = (double)res.weight;
                    stat[solver][BOUND][run] = (double)bound;
                    stat[solver][GAP][run] =
                        bound ? 100.0 * (double)(bound - res.weight) / (double)bound : 0;
                    stat[solver][MS][run] = ms;
                    stat[solver][CPU][run] = cpu;
                    stat[solver][IDLE][run] = (double)res.gaps;
                    optimal[solver] += res.weight == bound;
                    ml_sched_result_release(&res);
                }
                ml_sched_event_release(&ev);
            }
            for (int solver = 0; solver < 2; solver++) {
                char sz[40];
                snprintf(sz, sizeof sz, "%u/%u/%u/%u", z->people, z->requests, z->slots, z->tables);
                double m[NSTAT], worst = 0;
                for (int r = 0; r < runs; r++)
                    if (stat[solver][GAP][r] > worst) worst = stat[solver][GAP][r];
                for (int s = 0; s < NSTAT; s++)
                    m[s] = median(stat[solver][s], (size_t)runs);
                printf("%-25s %-22s %-9s %8.0f %8.0f %8.0f %7.3f %8.3f %8.1f %8.1f %6.0f %d/%d\n",
                       solver ? "" : k->name, solver ? "" : sz, solver ? "greedy" : "maillage",
                       m[MEET], m[WEIGHT], m[BOUND], m[GAP], worst, m[MS], m[CPU], m[IDLE],
                       optimal[solver], runs);
            }
        }
    }
    ml_ctx_free(ctx);
    return 0;
}
