/* bench/complexity.c — relatedness and economic complexity on a national
 * GENERATED table (every commune × the 615 NAF classes): the full recompute
 * of presence, proximity, density and complexity by lib/complexity (sparse
 * presence, activities × activities matrices, rows on demand) beside a
 * straightforward dense implementation written here, in the same run, with
 * every result compared. Usage: complexity DATADIR [RUNS=5] [DENSE_RUNS=3]
 * [COMMUNES=all]. The establishments are GENERATED: each commune gets
 * establishments in proportion to its real population, spread over the NAF
 * classes in the proportions of a real SIRENE sample (Strasbourg 2018,
 * data/naf), tilted per commune and A38 branch so that places specialise. */
#include <math.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "complexity/complexity.h"
#include "ingest/csv.h"

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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds of this process: the computation runs on one thread, so on
 * an idle machine wall time is this; on a shared one it is what the
 * computation costs whatever the others do. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double load_average(void)
{
    double load = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &load) != 1) load = -1;
        fclose(f);
    }
    return load;
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* ---------------------------------------------------------- the inputs */

#define MAX_CLASSES 700
typedef struct inputs {
    size_t ncom;
    char (*commune)[8];
    double *population;
    size_t ncls;
    char cls[MAX_CLASSES][8];
    int branch[MAX_CLASSES]; /* A38 index */
    double weight[MAX_CLASSES];
    char branches[64][4];
    int nbranches;
} inputs;

static int commune_row(void *ud, const ml_csv_row *r)
{
    inputs *in = ud;
    if (r->index == 0 || r->nfields < 8 || strcmp(r->fields[2], "COM") != 0) return 0;
    in->commune = realloc(in->commune, (in->ncom + 1) * sizeof *in->commune);
    in->population = realloc(in->population, (in->ncom + 1) * sizeof *in->population);
    snprintf(in->commune[in->ncom], 8, "%s", r->fields[0]);
    in->population[in->ncom++] = strtod(r->fields[7], NULL);
    return 0;
}

static int class_index(const inputs *in, const char *code)
{
    for (size_t i = 0; i < in->ncls; i++)
        if (strncmp(in->cls[i], code, 5) == 0) return (int)i;
    return -1;
}

static int naf_row(void *ud, const ml_csv_row *r)
{
    inputs *in = ud;
    if (r->index == 0 || r->nfields < 8) return 0;
    const char *cls = r->fields[2], *a38 = r->fields[7];
    if (class_index(in, cls) >= 0 || in->ncls >= MAX_CLASSES) return 0;
    int b = 0;
    while (b < in->nbranches && strcmp(in->branches[b], a38) != 0)
        b++;
    if (b == in->nbranches && b < 64) snprintf(in->branches[in->nbranches++], 4, "%s", a38);
    snprintf(in->cls[in->ncls], 8, "%s", cls);
    in->branch[in->ncls] = b;
    in->weight[in->ncls++] = 0.5; /* a class absent from the sample still exists */
    return 0;
}

static int sample_row(void *ud, const ml_csv_row *r)
{
    inputs *in = ud;
    if (r->index == 0 || r->nfields < 3) return 0;
    int i = class_index(in, r->fields[0]);
    if (i >= 0) in->weight[i] += strtod(r->fields[2], NULL);
    return 0;
}

/* ---------------------------------------------- the dense implementation */

/* Everything as full matrices, every product over every cell: what one
 * writes first from the formulas (as py-ecomplexity does with numpy). */
typedef struct dense {
    size_t C, P;
    double *X, *rca, *M, *density, *cog;
    double *div, *ubi, *kc, *kp, *eci, *pci, *coi, *phi;
    bool ok, coi_ok;
} dense;

static void dense_free(dense *d)
{
    double *parts[] = {d->X,  d->rca, d->M,   d->density, d->cog, d->div, d->ubi,
                       d->kc, d->kp,  d->eci, d->pci,     d->coi, d->phi};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        free(parts[i]);
}

static void dense_compute(dense *d)
{
    size_t C = d->C, P = d->P;
    double *rtot = calloc(C, sizeof *rtot), *ctot = calloc(P, sizeof *ctot), all = 0;
    for (size_t c = 0; c < C; c++)
        for (size_t p = 0; p < P; p++) {
            rtot[c] += d->X[c * P + p];
            ctot[p] += d->X[c * P + p];
        }
    for (size_t c = 0; c < C; c++)
        all += rtot[c];
    for (size_t i = 0; i < P; i++)
        d->ubi[i] = 0;
    for (size_t c = 0; c < C; c++) {
        d->div[c] = 0;
        for (size_t p = 0; p < P; p++) {
            double r = (d->X[c * P + p] / rtot[c]) / (ctot[p] / all);
            d->rca[c * P + p] = r;
            d->M[c * P + p] = r >= 1 ? 1 : 0;
            d->div[c] += d->M[c * P + p];
            d->ubi[p] += d->M[c * P + p];
        }
    }
    /* N = MᵀM and A = Mᵀ D⁻¹ M, full products. */
    double *N = calloc(P * P, sizeof *N), *A = calloc(P * P, sizeof *A);
    for (size_t c = 0; c < C; c++) {
        const double *m = d->M + c * P;
        double w = d->div[c] > 0 ? 1 / d->div[c] : 0;
        for (size_t p = 0; p < P; p++) {
            double mp = m[p];
            double *np = N + p * P, *ap = A + p * P;
            for (size_t q = 0; q < P; q++) {
                np[q] += mp * m[q];
                ap[q] += mp * m[q] * w;
            }
        }
    }
    /* kp: Mpp = U⁻¹A made symmetric, the same solver as the library (the
     * comparison is of the rest). */
    size_t n = 0;
    size_t *q = calloc(P, sizeof *q);
    for (size_t p = 0; p < P; p++)
        if (d->ubi[p] > 0) q[n++] = p;
    double *S = calloc(n * n, sizeof *S), *u = calloc(n, sizeof *u), lambda;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            S[i * n + j] = A[q[i] * P + q[j]] / sqrt(d->ubi[q[i]] * d->ubi[q[j]]);
    ml_sym_eigvec(S, n, 1, u, &lambda);
    for (size_t p = 0; p < P; p++)
        d->kp[p] = 0;
    for (size_t i = 0; i < n; i++)
        d->kp[q[i]] = u[i] / sqrt(d->ubi[q[i]]);
    double md = 0, mk = 0, cov = 0;
    size_t ranked = 0;
    for (size_t c = 0; c < C; c++) {
        double s = 0;
        for (size_t p = 0; p < P; p++)
            s += d->M[c * P + p] * d->kp[p];
        d->kc[c] = d->div[c] > 0 ? s / d->div[c] : 0;
        if (d->div[c] > 0) md += d->div[c], mk += d->kc[c], ranked++;
    }
    md /= (double)ranked;
    mk /= (double)ranked;
    for (size_t c = 0; c < C; c++)
        if (d->div[c] > 0) cov += (d->div[c] - md) * (d->kc[c] - mk);
    double sign = cov < 0 ? -1 : 1;
    for (size_t c = 0; c < C; c++)
        d->kc[c] *= sign;
    for (size_t p = 0; p < P; p++)
        d->kp[p] *= sign;
    /* Mean and sd over the rows of the long table (C × P rows). */
    double sum = 0, ss = 0, rows = 0;
    for (size_t c = 0; c < C; c++)
        for (size_t p = 0; p < P && d->div[c] > 0; p++)
            sum += d->kc[c], rows++;
    double mean = sum / rows;
    for (size_t c = 0; c < C; c++)
        for (size_t p = 0; p < P && d->div[c] > 0; p++)
            ss += (d->kc[c] - mean) * (d->kc[c] - mean);
    double sd = sqrt(ss / (rows - 1));
    d->ok = sd > 0;
    for (size_t c = 0; c < C; c++)
        d->eci[c] = (d->kc[c] - mean) / sd;
    for (size_t p = 0; p < P; p++)
        d->pci[p] = (d->kp[p] - mean) / sd;
    /* Proximity, density, COI, COG. */
    double *rs = calloc(P, sizeof *rs);
    for (size_t p = 0; p < P; p++)
        for (size_t r = 0; r < P; r++) {
            double mx = fmax(d->ubi[p], d->ubi[r]);
            d->phi[p * P + r] = p == r || mx == 0 ? 0 : N[p * P + r] / mx;
            rs[p] += p == r || mx == 0 ? 0 : N[p * P + r] / mx;
        }
    for (size_t c = 0; c < C; c++) {
        double *dc = d->density + c * P, *gc = d->cog + c * P;
        const double *m = d->M + c * P;
        for (size_t p = 0; p < P; p++)
            dc[p] = gc[p] = 0;
        for (size_t r = 0; r < P; r++) {
            const double *pr = d->phi + r * P;
            double mr = m[r], ar = (1 - m[r]) * (rs[r] > 0 ? d->kp[r] / rs[r] : 0);
            for (size_t p = 0; p < P; p++) {
                dc[p] += mr * pr[p];
                gc[p] += ar * pr[p];
            }
        }
        double coi = 0;
        for (size_t p = 0; p < P; p++) {
            dc[p] = rs[p] > 0 ? dc[p] / rs[p] : 0;
            gc[p] = (1 - m[p]) * gc[p] / sd;
            coi += (1 - m[p]) * dc[p] * d->kp[p];
        }
        d->coi[c] = coi;
    }
    sum = ss = 0;
    for (size_t c = 0; c < C; c++)
        sum += d->coi[c] * (double)P;
    mean = sum / ((double)C * (double)P);
    for (size_t c = 0; c < C; c++)
        ss += (d->coi[c] - mean) * (d->coi[c] - mean) * (double)P;
    double sd2 = sqrt(ss / ((double)C * (double)P - 1));
    d->coi_ok = sd2 > 0;
    for (size_t c = 0; c < C; c++)
        d->coi[c] = (d->coi[c] - mean) / sd2;
    free(rtot);
    free(ctot);
    free(N);
    free(A);
    free(q);
    free(S);
    free(u);
    free(rs);
}

/* ------------------------------------------------------------ comparing */

static double worst = 0;
static size_t compared = 0;
static void same(double a, double b)
{
    double diff = fabs(a - b) / fmax(1, fmax(fabs(a), fabs(b)));
    if (diff > worst) worst = diff;
    compared++;
}

/* Every row of the table (what `maillage complexity` writes): density and
 * COG of each location × activity. Returns a checksum so nothing is
 * optimised away. */
static double all_rows(const ml_complexity *cx, ml_complexity_cell *cells)
{
    double s = 0;
    for (size_t c = 0; c < cx->nl; c++) {
        ml_complexity_row(cx, c, cells);
        s += cells[c % cx->na].density + cells[c % cx->na].cog;
    }
    return s;
}

int main(int argc, char **argv)
{
    const char *datadir = argc > 1 ? argv[1] : ML_DATADIR;
    int runs = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5,
        dense_runs = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3;
    size_t limit = argc > 4 ? (size_t)strtoull(argv[4], NULL, 10) : 0;
    if (runs < 1) runs = 1;
    ml_ctx *ctx = ml_ctx_new();
    inputs in = {0};
    char path[4096];
    snprintf(path, sizeof path, "%s/geo/communes.csv", datadir);
    if (ml_csv_parse_file(ctx, path, NULL, commune_row, &in)) goto fail;
    snprintf(path, sizeof path, "%s/naf/naf.csv", datadir);
    if (ml_csv_parse_file(ctx, path, NULL, naf_row, &in)) goto fail;
    snprintf(path, sizeof path, "%s/naf/sirene_strasbourg_2018_counts.csv", datadir);
    if (ml_csv_parse_file(ctx, path, NULL, sample_row, &in)) goto fail;
    if (limit && limit < in.ncom) in.ncom = limit;

    /* GENERATED establishments: ~1 per 10 inhabitants (at least 1 a
     * commune), classes drawn from the sample's shares tilted per commune
     * and A38 branch (log-normal, sd 1). */
    double t0 = now();
    ml_complexity *cx;
    ml_complexity_new(ctx, &cx);
    size_t P = in.ncls;
    double *cum = malloc(P * sizeof *cum), tilt[64];
    uint32_t *count = calloc(P, sizeof *count);
    uint64_t establishments = 0;
    for (size_t c = 0; c < in.ncom; c++) {
        for (int b = 0; b < in.nbranches; b++)
            tilt[b] = exp(gauss());
        double s = 0;
        for (size_t p = 0; p < P; p++)
            cum[p] = s += in.weight[p] * tilt[in.branch[p]];
        double mean = in.population[c] / 10;
        uint64_t k = (uint64_t)fmax(1, floor(mean * exp(0.3 * gauss()) + unif()));
        for (uint64_t i = 0; i < k; i++) {
            double x = unif() * s;
            size_t lo = 0, hi = P - 1;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (cum[mid] < x)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            count[lo]++;
        }
        establishments += k;
        for (size_t p = 0; p < P; p++)
            if (count[p]) {
                ml_complexity_add_count(cx, in.commune[c], in.cls[p], count[p], count[p]);
                count[p] = 0;
            }
    }
    double t_gen = now() - t0;
    printf("   GENERATED table: %zu communes x %zu NAF classes, %llu establishments, %zu "
           "non-zero cells (%.1f%%), made in %.2f s\n",
           in.ncom, P, (unsigned long long)establishments, cx->ncells,
           100.0 * (double)cx->ncells / ((double)in.ncom * (double)P), t_gen);

    /* Ours: compute (presence, proximity, eigenvector, ECI, PCI, COI) and
     * every row's density and COG, RUNS times. */
    double *times = calloc((size_t)runs, sizeof *times), check = 0;
    double *cpu = calloc((size_t)runs, sizeof *cpu);
    ml_complexity_cell *cells = NULL;
    printf("   load average before the runs: %.2f on %ld cores\n", load_average(),
           sysconf(_SC_NPROCESSORS_ONLN));
    for (int r = 0; r < runs; r++) {
        double s = now(), sc = cpu_now();
        if (ml_complexity_compute(cx, 1.0)) goto fail;
        double mid = now();
        if (!cells) cells = calloc(cx->na, sizeof *cells);
        check += all_rows(cx, cells);
        times[r] = now() - s;
        cpu[r] = cpu_now() - sc;
        printf("   run %d: compute %.3f s + density and COG rows %.3f s (CPU %.3f s)\n", r + 1,
               mid - s, now() - mid, cpu[r]);
    }
    double mem_ours = peak_mb();
    double t_ours = median(times, (size_t)runs), c_ours = median(cpu, (size_t)runs);
    printf("   lib/complexity: median of %d: %.3f s wall, %.3f s CPU (presence, proximity, "
           "eigenvector, ECI/PCI, COI; then density and COG of all %zu cells), peak RSS %.0f MB "
           "(whole process: generated input included); M has %zu ones, second eigenvalue %.6f\n",
           runs, t_ours, c_ours, cx->nl * cx->na, mem_ours, cx->present, cx->eigenvalue);

    /* The dense peer on the same table (the library's locations and
     * activities in its order), DENSE_RUNS times, then every figure compared. */
    dense d = {.C = cx->nl, .P = cx->na};
    size_t C = d.C, NP = d.P;
    d.X = calloc(C * NP, sizeof *d.X);
    d.rca = calloc(C * NP, sizeof *d.rca);
    d.M = calloc(C * NP, sizeof *d.M);
    d.density = calloc(C * NP, sizeof *d.density);
    d.cog = calloc(C * NP, sizeof *d.cog);
    d.div = calloc(C, sizeof *d.div);
    d.kc = calloc(C, sizeof *d.kc);
    d.eci = calloc(C, sizeof *d.eci);
    d.coi = calloc(C, sizeof *d.coi);
    d.ubi = calloc(NP, sizeof *d.ubi);
    d.kp = calloc(NP, sizeof *d.kp);
    d.pci = calloc(NP, sizeof *d.pci);
    d.phi = calloc(NP * NP, sizeof *d.phi);
    for (size_t c = 0; c < C; c++)
        for (size_t i = cx->row[c]; i < cx->row[c + 1]; i++)
            d.X[c * NP + cx->col[i]] = cx->val[i];
    double *dtimes = calloc((size_t)(dense_runs > 0 ? dense_runs : 1), sizeof *dtimes);
    double *dcpu = calloc((size_t)(dense_runs > 0 ? dense_runs : 1), sizeof *dcpu);
    for (int r = 0; r < dense_runs; r++) {
        double s = now(), sc = cpu_now();
        dense_compute(&d);
        dtimes[r] = now() - s;
        dcpu[r] = cpu_now() - sc;
    }
    if (dense_runs > 0) {
        double t_dense = median(dtimes, (size_t)dense_runs);
        double c_dense = median(dcpu, (size_t)dense_runs);
        double mem_dense = peak_mb();
        printf("   dense peer:     median of %d: %.3f s wall, %.3f s CPU, peak RSS %.0f MB\n",
               dense_runs, t_dense, c_dense, mem_dense);
        for (size_t c = 0; c < C; c++) {
            ml_complexity_row(cx, c, cells);
            ml_complexity_location loc;
            ml_complexity_location_get(cx, c, &loc);
            same(loc.diversity, d.div[c]);
            if (loc.has_eci) same(loc.eci, d.eci[c]);
            same(loc.coi, d.coi[c]);
            for (size_t p = 0; p < NP; p++) {
                same(cells[p].rca, d.rca[c * NP + p]);
                same(cells[p].mcp, d.M[c * NP + p]);
                same(cells[p].density, d.density[c * NP + p]);
                same(cells[p].cog, d.cog[c * NP + p]);
            }
        }
        for (size_t p = 0; p < NP; p++) {
            ml_complexity_activity act;
            ml_complexity_activity_get(cx, p, &act);
            same(act.ubiquity, d.ubi[p]);
            if (act.has_pci) same(act.pci, d.pci[p]);
            for (size_t q = 0; q < NP; q++)
                same(ml_complexity_proximity(cx, p, q), d.phi[p * NP + q]);
        }
        bool ok = worst <= 1e-9;
        printf("   same results: %s (%zu figures compared, largest difference %.2g relative)\n",
               ok ? "yes" : "NO", compared, worst);
        printf("   ratio: lib/complexity %.1fx faster than the dense peer (CPU; %.1fx wall); goal "
               "< 1 s and < 500 MB: %s (CPU time: the wall time of a loaded machine is "
               "longer)\n",
               c_dense / c_ours, t_dense / t_ours,
               c_ours < 1 && mem_ours < 500 ? "met" : "NOT met");
        if (!ok) return 1;
    }
    printf("   (checksum %.6g)\n", check);
    dense_free(&d);
    free(cells);
    free(times);
    free(cpu);
    free(dtimes);
    free(dcpu);
    free(cum);
    free(count);
    free(in.commune);
    free(in.population);
    ml_complexity_free(cx);
    ml_ctx_free(ctx);
    return 0;
fail:
    fprintf(stderr, "complexity bench: %s\n", ml_ctx_message(ctx));
    return 1;
}
