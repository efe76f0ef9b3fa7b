/* complexity.c — relatedness and economic complexity as the Atlas of
 * Economic Complexity defines them (Stata's ecomplexity, py-ecomplexity):
 * RCA, presence M, diversity, ubiquity, ECI, PCI, proximity, density, COI
 * and COG, from a sparse location × activity table. Never a locations ×
 * locations matrix: locations are rows of a sparse table, activities × activities
 * matrices are dense (at most ML_COMPLEXITY_ACTIVITIES_MAX), and the
 * location × activity results (density, COG) are computed a row at a time
 * when asked. The formulas, denominators and safeguards: docs/methods.md. */
#include <math.h>

#include "complexity/complexity.h"

/* ------------------------------------------------------------------ names */

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

void ml_names_release(ml_names *t)
{
    for (uint32_t i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
    free(t->slots);
    *t = (ml_names){0};
}

static int names_rehash(ml_names *t, uint32_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots) return -1;
    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t h = hash_name(t->names[i]) & (nslots - 1);
        while (slots[h])
            h = (h + 1) & (nslots - 1);
        slots[h] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return 0;
}

int64_t ml_names_index(ml_names *t, const char *name, uint32_t max)
{
    if (t->nslots == 0 && names_rehash(t, 64)) return -1;
    uint32_t h = hash_name(name) & (t->nslots - 1);
    for (; t->slots[h]; h = (h + 1) & (t->nslots - 1))
        if (strcmp(t->names[t->slots[h] - 1], name) == 0) return t->slots[h] - 1;
    if (t->n >= max) return -2;
    if (t->n == t->alloc) {
        uint32_t alloc = t->alloc ? t->alloc * 2 : 64;
        char **names = realloc(t->names, alloc * sizeof *names);
        if (!names) return -1;
        t->names = names;
        t->alloc = alloc;
    }
    char *copy = ml_strdup(name);
    if (!copy) return -1;
    t->names[t->n] = copy;
    t->slots[h] = ++t->n;
    if ((uint64_t)t->n * 2 > t->nslots && names_rehash(t, t->nslots * 2)) return -1;
    return t->n - 1;
}

/* ------------------------------------------------------------- the table */

ml_err ml_complexity_new(ml_ctx *ctx, ml_complexity **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out) return ml_fail(ctx, ML_NOMEM, "out of memory");
    (*out)->ctx = ctx;
    return ML_OK;
}

/* Frees what compute built (kept when the table is computed again). */
static void results_release(ml_complexity *cx)
{
    void *parts[] = {cx->loc_of,    cx->act_of,    cx->row,      cx->col,  cx->val,
                     cx->cnt,       cx->mcp,       cx->mrow,     cx->mcol, cx->loc_total,
                     cx->act_total, cx->diversity, cx->ubiquity, cx->kc,   cx->kp,
                     cx->eci,       cx->pci,       cx->coi,      cx->phi,  cx->phi_sum,
                     cx->w,         cx->psi_total};
    for (size_t i = 0; i < ML_ARRAY_LEN(parts); i++)
        free(parts[i]);
    cx->loc_of = cx->act_of = NULL;
    cx->row = cx->mrow = NULL;
    cx->col = cx->mcol = cx->diversity = cx->ubiquity = NULL;
    cx->val = cx->loc_total = cx->act_total = cx->kc = cx->kp = NULL;
    cx->eci = cx->pci = cx->coi = cx->phi = cx->phi_sum = cx->w = cx->psi_total = NULL;
    cx->cnt = NULL;
    cx->mcp = NULL;
    cx->computed = false;
}

void ml_complexity_free(ml_complexity *cx)
{
    if (!cx) return;
    results_release(cx);
    ml_names_release(&cx->locs);
    ml_names_release(&cx->acts);
    free(cx->cells);
    free(cx);
}

ml_err ml_complexity_add_count(ml_complexity *cx, const char *location, const char *activity,
                               double value, uint64_t count)
{
    ml_ctx *ctx = cx->ctx;
    if (!location || !activity)
        return ml_fail(ctx, ML_INVALID, "a location and an activity are needed");
    if (!isfinite(value) || value < 0)
        return ml_fail(ctx, ML_INVALID, "value %g: a value must be a finite number, 0 or more",
                       value);
    /* Within these bounds every sum, share and RCA of a table stays a
     * finite, normal number. */
    if (value != 0 && (value < ML_COMPLEXITY_VALUE_MIN || value > ML_COMPLEXITY_VALUE_MAX))
        return ml_fail(ctx, ML_INVALID, "value %g: a value must be 0 or between %g and %g", value,
                       ML_COMPLEXITY_VALUE_MIN, ML_COMPLEXITY_VALUE_MAX);
    if (strlen(location) > ML_COMPLEXITY_NAME_MAX || strlen(activity) > ML_COMPLEXITY_NAME_MAX)
        return ml_fail(ctx, ML_LIMIT, "a location or activity name is longer than %d bytes",
                       ML_COMPLEXITY_NAME_MAX);
    if (cx->ncells >= ML_COMPLEXITY_CELLS_MAX)
        return ml_fail(ctx, ML_LIMIT, "more than %zu cells in one table",
                       (size_t)ML_COMPLEXITY_CELLS_MAX);
    int64_t loc = ml_names_index(&cx->locs, location, ML_COMPLEXITY_LOCATIONS_MAX);
    int64_t act = loc < 0 ? loc : ml_names_index(&cx->acts, activity, ML_COMPLEXITY_ACTIVITIES_MAX);
    if (loc == -2)
        return ml_fail(ctx, ML_LIMIT, "more than %u locations in one table",
                       ML_COMPLEXITY_LOCATIONS_MAX);
    if (act == -2)
        return ml_fail(ctx, ML_LIMIT, "more than %d activities in one table",
                       ML_COMPLEXITY_ACTIVITIES_MAX);
    if (loc < 0 || act < 0) return ml_fail(ctx, ML_NOMEM, "out of memory");
    if (cx->ncells == cx->alloc) {
        size_t alloc = cx->alloc ? cx->alloc * 2 : 1024;
        ml_cx_cell *cells = realloc(cx->cells, alloc * sizeof *cells);
        if (!cells) return ml_fail(ctx, ML_NOMEM, "out of memory");
        cx->cells = cells;
        cx->alloc = alloc;
    }
    cx->cells[cx->ncells++] =
        (ml_cx_cell){.loc = (uint32_t)loc, .act = (uint32_t)act, .value = value, .count = count};
    cx->computed = false;
    return ML_OK;
}

ml_err ml_complexity_add(ml_complexity *cx, const char *location, const char *activity,
                         double value)
{
    return ml_complexity_add_count(cx, location, activity, value, 1);
}

/* ----------------------------------------------------------- computation */

typedef struct named {
    const char *name;
    uint32_t index;
} named;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

/* The kept indexes (total > 0) in byte order of their names; map[i] their
 * position, or UINT32_MAX for a name left out. */
static uint32_t *sort_kept(const ml_names *t, const double *total, uint32_t *map, size_t *n)
{
    uint32_t *kept = malloc(((size_t)t->n + 1) * sizeof *kept);
    named *order = malloc(((size_t)t->n + 1) * sizeof *order);
    if (!kept || !order) {
        free(kept);
        free(order);
        return NULL;
    }
    size_t k = 0;
    for (uint32_t i = 0; i < t->n; i++)
        if (total[i] > 0) order[k++] = (named){t->names[i], i};
    qsort(order, k, sizeof *order, by_name);
    for (uint32_t i = 0; i < t->n; i++)
        map[i] = UINT32_MAX;
    for (size_t i = 0; i < k; i++) {
        kept[i] = order[i].index;
        map[kept[i]] = (uint32_t)i;
    }
    free(order);
    *n = k;
    return kept;
}

static int by_cell(const void *a, const void *b)
{
    const ml_cx_cell *x = a, *y = b;
    if (x->loc != y->loc) return x->loc < y->loc ? -1 : 1;
    return x->act < y->act ? -1 : x->act > y->act;
}

/* Sorts cells by location (counting sort: locations are 0..nl-1), then
 * each location's cells by activity. 0, or -1 out of memory. */
static int sort_cells(ml_cx_cell *cells, size_t n, size_t nl)
{
    size_t *start = calloc(nl + 1, sizeof *start);
    ml_cx_cell *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!start || !tmp) {
        free(start);
        free(tmp);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        start[cells[i].loc + 1]++;
    for (size_t c = 0; c < nl; c++)
        start[c + 1] += start[c];
    for (size_t i = 0; i < n; i++)
        tmp[start[cells[i].loc]++] = cells[i];
    memcpy(cells, tmp, n * sizeof *cells);
    /* start[c] is now the end of location c's cells. */
    for (size_t c = 0, begin = 0; c < nl; begin = start[c++]) {
        size_t len = start[c] - begin;
        ml_cx_cell *r = cells + begin;
        if (len > 16) {
            qsort(r, len, sizeof *r, by_cell);
            continue;
        }
        for (size_t i = 1; i < len; i++) /* insertion sort: most rows are short */
            for (size_t j = i; j > 0 && r[j - 1].act > r[j].act; j--) {
                ml_cx_cell t = r[j];
                r[j] = r[j - 1];
                r[j - 1] = t;
            }
    }
    free(start);
    free(tmp);
    return 0;
}

/* calloc that never asks for 0 bytes (an empty table still gets arrays). */
static void *zalloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}
#define NEW(p, n) ((p) = zalloc((n), sizeof *(p)))

/* Locations, activities and cells of the table: duplicates summed, names
 * with a zero total left out, cells by location in CSR. */
static int build_table(ml_complexity *cx)
{
    size_t L = cx->locs.n, P = cx->acts.n;
    double *ltot = NULL, *atot = NULL;
    uint32_t *lmap = NULL, *amap = NULL;
    int rc = -1;
    if (!NEW(ltot, L) || !NEW(atot, P) || !NEW(lmap, L) || !NEW(amap, P)) goto out;
    for (size_t i = 0; i < cx->ncells; i++) {
        ltot[cx->cells[i].loc] += cx->cells[i].value;
        atot[cx->cells[i].act] += cx->cells[i].value;
    }
    if (!(cx->loc_of = sort_kept(&cx->locs, ltot, lmap, &cx->nl))) goto out;
    if (!(cx->act_of = sort_kept(&cx->acts, atot, amap, &cx->na))) goto out;
    cx->left_locations = L - cx->nl;
    cx->left_activities = P - cx->na;
    /* Renumber the cells to kept positions (dropping the others and
     * zeros), sort, merge duplicates. */
    size_t n = 0;
    for (size_t i = 0; i < cx->ncells; i++) {
        ml_cx_cell c = cx->cells[i];
        if (lmap[c.loc] == UINT32_MAX || amap[c.act] == UINT32_MAX) continue;
        c.loc = lmap[c.loc];
        c.act = amap[c.act];
        cx->cells[n++] = c;
    }
    if (sort_cells(cx->cells, n, cx->nl)) goto out;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && cx->cells[m - 1].loc == cx->cells[i].loc &&
            cx->cells[m - 1].act == cx->cells[i].act) {
            cx->cells[m - 1].value += cx->cells[i].value;
            cx->cells[m - 1].count += cx->cells[i].count;
        } else {
            cx->cells[m++] = cx->cells[i];
        }
    }
    /* The cells are now kept-numbered: restore the names' numbering, so that
     * computing again (another threshold) starts from cells as added. */
    for (size_t i = 0; i < m; i++) {
        cx->cells[i].loc = cx->loc_of[cx->cells[i].loc];
        cx->cells[i].act = cx->act_of[cx->cells[i].act];
    }
    cx->ncells = m;
    if (!NEW(cx->row, cx->nl + 1) || !NEW(cx->col, m) || !NEW(cx->val, m) || !NEW(cx->cnt, m) ||
        !NEW(cx->mcp, m) || !NEW(cx->loc_total, cx->nl) || !NEW(cx->act_total, cx->na))
        goto out;
    for (size_t i = 0; i < m; i++) {
        uint32_t c = lmap[cx->cells[i].loc], p = amap[cx->cells[i].act];
        cx->row[c + 1]++;
        cx->col[i] = p;
        cx->val[i] = cx->cells[i].value;
        cx->cnt[i] = cx->cells[i].count;
        cx->loc_total[c] += cx->val[i];
        cx->act_total[p] += cx->val[i];
    }
    for (size_t c = 0; c < cx->nl; c++)
        cx->row[c + 1] += cx->row[c];
    cx->grand_total = 0;
    for (size_t c = 0; c < cx->nl; c++)
        cx->grand_total += cx->loc_total[c];
    rc = 0;
out:
    free(ltot);
    free(atot);
    free(lmap);
    free(amap);
    return rc;
}

/* RCA = (x[c,p] / x[c]) / (x[p] / x), as py-ecomplexity computes it. */
static double rca_of(const ml_complexity *cx, size_t c, uint32_t p, double value)
{
    return (value / cx->loc_total[c]) / (cx->act_total[p] / cx->grand_total);
}

/* M, diversity, ubiquity, and M's own CSR. */
static int presence(ml_complexity *cx)
{
    size_t nl = cx->nl, na = cx->na;
    if (!NEW(cx->diversity, nl) || !NEW(cx->ubiquity, na) || !NEW(cx->mrow, nl + 1)) return -1;
    cx->present = 0;
    for (size_t c = 0; c < nl; c++)
        for (size_t i = cx->row[c]; i < cx->row[c + 1]; i++) {
            cx->mcp[i] = rca_of(cx, c, cx->col[i], cx->val[i]) >= cx->threshold;
            if (!cx->mcp[i]) continue;
            cx->diversity[c]++;
            cx->ubiquity[cx->col[i]]++;
            cx->present++;
        }
    if (!NEW(cx->mcol, cx->present)) return -1;
    size_t k = 0;
    for (size_t c = 0; c < nl; c++) {
        cx->mrow[c] = k;
        for (size_t i = cx->row[c]; i < cx->row[c + 1]; i++)
            if (cx->mcp[i]) cx->mcol[k++] = cx->col[i];
    }
    cx->mrow[nl] = k;
    return 0;
}

/* Co-occurrences N[p][p'] = Σc M[c,p] M[c,p'] into phi, and
 * A[p][p'] = Σc M[c,p] M[c,p'] / diversity[c] into a (lower triangles,
 * diagonal included), from each location's pairs of present activities. */
static void cooccurrences(const ml_complexity *cx, double *phi, double *a)
{
    size_t na = cx->na;
    for (size_t c = 0; c < cx->nl; c++) {
        const uint32_t *m = cx->mcol + cx->mrow[c];
        size_t k = cx->mrow[c + 1] - cx->mrow[c];
        if (k == 0) continue;
        double w = 1.0 / (double)k;
        for (size_t i = 0; i < k; i++) {
            double *pr = phi + (size_t)m[i] * na, *ar = a + (size_t)m[i] * na;
            for (size_t j = 0; j <= i; j++) {
                pr[m[j]] += 1;
                ar[m[j]] += w;
            }
        }
    }
}

/* kp: the eigenvector of the second largest eigenvalue of
 * Mpp = U⁻¹ A (U = diag(ubiquity)), from the symmetric U^-½ A U^-½ over the
 * activities with ubiquity > 0; kc = D⁻¹ M kp; both signed so that kc
 * correlates positively with diversity. 0, -1 out of memory. */
static int eigenvector(ml_complexity *cx, const double *a)
{
    size_t na = cx->na, nl = cx->nl;
    uint32_t *q = NULL;
    double *s = NULL, *u = NULL;
    int rc = -1;
    if (!NEW(cx->kp, na) || !NEW(cx->kc, nl) || !NEW(q, na)) goto out;
    size_t n = 0;
    for (size_t p = 0; p < na; p++)
        if (cx->ubiquity[p] > 0) q[n++] = (uint32_t)p;
    size_t ranked = 0;
    for (size_t c = 0; c < nl; c++)
        ranked += cx->diversity[c] > 0;
    cx->complexity_ok = false;
    if (n < 2 || ranked < 2) {
        rc = 0;
        goto out;
    }
    if (!NEW(s, n * n) || !NEW(u, n)) goto out;
    for (size_t i = 0; i < n; i++) {
        double ui = sqrt((double)cx->ubiquity[q[i]]);
        for (size_t j = 0; j <= i; j++) {
            /* a is filled in the lower triangle of the pair as visited:
             * a location adds at [m_i][m_j] with m_j <= m_i in its own
             * increasing order, so a[max][min] holds the sum. */
            size_t hi = q[i] > q[j] ? q[i] : q[j], lo = q[i] + q[j] - hi;
            s[i * n + j] = a[hi * na + lo] / (ui * sqrt((double)cx->ubiquity[q[j]]));
        }
    }
    if (ml_sym_eigvec(s, n, 1, u, &cx->eigenvalue)) goto out;
    /* λ2 = 1: the places and activities fall into groups that share
     * nothing (the presence network is disconnected); any mix of the
     * groups' indicator vectors is then an eigenvector, and a solver's
     * choice would decide the ranking. Not defined. */
    if (cx->eigenvalue > 1 - 1e-9) {
        rc = 0;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        cx->kp[q[i]] = u[i] / sqrt((double)cx->ubiquity[q[i]]);
    for (size_t c = 0; c < nl; c++) {
        size_t k = cx->mrow[c + 1] - cx->mrow[c];
        if (k == 0) continue;
        double sum = 0;
        for (size_t i = cx->mrow[c]; i < cx->mrow[c + 1]; i++)
            sum += cx->kp[cx->mcol[i]];
        cx->kc[c] = sum / (double)k;
    }
    /* The sign: that of corr(diversity, kc) over the ranked locations
     * (np.corrcoef's); + when it is 0 or undefined. */
    double md = 0, mk = 0;
    for (size_t c = 0; c < nl; c++)
        if (cx->diversity[c]) md += cx->diversity[c], mk += cx->kc[c];
    md /= (double)ranked;
    mk /= (double)ranked;
    double cov = 0;
    for (size_t c = 0; c < nl; c++)
        if (cx->diversity[c]) cov += (cx->diversity[c] - md) * (cx->kc[c] - mk);
    if (cov < 0) {
        for (size_t p = 0; p < na; p++)
            cx->kp[p] = -cx->kp[p];
        for (size_t c = 0; c < nl; c++)
            cx->kc[c] = -cx->kc[c];
    }
    cx->complexity_ok = true;
    rc = 0;
out:
    free(q);
    free(s);
    free(u);
    return rc;
}

/* Mean and standard deviation (n - 1) of x over the rows of the full
 * location × activity table: each location's value counted once per
 * activity, locations where `use` is false left out. false when the sd is
 * not defined or 0 (all values equal, to rounding). */
static bool table_moments(const double *x, const uint32_t *use, size_t nl, size_t na, double *mean,
                          double *sd)
{
    double sum = 0, big = 0;
    size_t n = 0;
    for (size_t c = 0; c < nl; c++)
        if (!use || use[c]) sum += x[c], n++, big = fmax(big, fabs(x[c]));
    if (n == 0) return false;
    *mean = sum / (double)n;
    double ss = 0;
    for (size_t c = 0; c < nl; c++)
        if (!use || use[c]) ss += (x[c] - *mean) * (x[c] - *mean);
    double rows = (double)n * (double)na;
    if (rows < 2) return false;
    *sd = sqrt(ss * (double)na / (rows - 1));
    return *sd > 1e-12 * big && *sd > 0;
}

/* φ[p][p'] = N[p][p'] / max(ubiquity p, ubiquity p'), diagonal 0, made
 * whole from its lower triangle; its row sums. */
static void proximity(ml_complexity *cx)
{
    size_t na = cx->na;
    double *phi = cx->phi;
    for (size_t p = 0; p < na; p++) {
        phi[p * na + p] = 0;
        for (size_t q = 0; q < p; q++) {
            uint32_t up = cx->ubiquity[p], uq = cx->ubiquity[q];
            double v = phi[p * na + q] / (double)(up > uq ? up : uq);
            phi[p * na + q] = phi[q * na + p] = v;
        }
    }
    for (size_t p = 0; p < na; p++) {
        double s = 0;
        for (size_t q = 0; q < na; q++)
            s += phi[p * na + q];
        cx->phi_sum[p] = s;
    }
}

/* One location's density (into dens, na) and, when wanted, the sum over
 * absent p' of ψ[p'][p] = φ[p'][p] w[p'] (into outlook, na), which is
 * Σ ψ[p'][p] over all p' less the present ones: one pass over the φ rows
 * of its present activities, O(diversity × activities). Four activities
 * at a time, so that each result is stored once. Scratch: room for
 * diversity row pointers and weights. */
static void density_row(const ml_complexity *cx, size_t c, double *restrict dens,
                        double *restrict outlook, const double **rows, double *weight)
{
    size_t na = cx->na, k = cx->mrow[c + 1] - cx->mrow[c];
    for (size_t i = 0; i < k; i++) {
        uint32_t q = cx->mcol[cx->mrow[c] + i];
        rows[i] = cx->phi + (size_t)q * na;
        weight[i] = outlook ? cx->w[q] : 0;
    }
    const double *t = outlook ? cx->psi_total : NULL;
    size_t p = 0;
    for (; p + 4 <= na; p += 4) {
        double d0 = 0, d1 = 0, d2 = 0, d3 = 0, o0 = 0, o1 = 0, o2 = 0, o3 = 0;
        for (size_t i = 0; i < k; i++) {
            const double *r = rows[i] + p;
            double wi = weight[i];
            d0 += r[0], d1 += r[1], d2 += r[2], d3 += r[3];
            o0 += r[0] * wi, o1 += r[1] * wi, o2 += r[2] * wi, o3 += r[3] * wi;
        }
        dens[p] = d0, dens[p + 1] = d1, dens[p + 2] = d2, dens[p + 3] = d3;
        if (!outlook) continue;
        outlook[p] = t[p] - o0, outlook[p + 1] = t[p + 1] - o1;
        outlook[p + 2] = t[p + 2] - o2, outlook[p + 3] = t[p + 3] - o3;
    }
    for (; p < na; p++) {
        double d = 0, o = 0;
        for (size_t i = 0; i < k; i++) {
            d += rows[i][p];
            o += rows[i][p] * weight[i];
        }
        dens[p] = d;
        if (outlook) outlook[p] = t[p] - o;
    }
    for (p = 0; p < na; p++)
        dens[p] = cx->phi_sum[p] > 0 ? dens[p] / cx->phi_sum[p] : 0;
}

/* COI and what COG needs, once kp is known. With w[p] = kp[p] / Σφ[p]
 * (0 when that sum is 0), ψ[p'][p] = φ[p'][p] w[p'] and h[p'] = Σp φ[p'][p] w[p]:
 *   COI[c] = Σp (1 - M[c,p]) density[c,p] kp[p]
 *          = Σ_{p' present} h[p'] - Σ_{p present} w[p] Σ_{p' present} φ[p'][p],
 * O(diversity²) a location instead of a density row; COG's Σ over all p'
 * of ψ[p'][p] is psi_total. */
static int outlook(ml_complexity *cx)
{
    size_t na = cx->na, nl = cx->nl;
    double *h = NULL;
    int rc = -1;
    cx->coi_ok = false;
    if (!cx->complexity_ok) return 0;
    if (!NEW(cx->coi, nl) || !NEW(cx->w, na) || !NEW(cx->psi_total, na) || !NEW(h, na)) goto out;
    double *w = cx->w;
    for (size_t q = 0; q < na; q++)
        w[q] = cx->phi_sum[q] > 0 ? cx->kp[q] / cx->phi_sum[q] : 0;
    for (size_t q = 0; q < na; q++) {
        const double *pr = cx->phi + q * na;
        double s = 0;
        for (size_t p = 0; p < na; p++) {
            cx->psi_total[p] += pr[p] * w[q];
            s += pr[p] * w[p];
        }
        h[q] = s;
    }
    for (size_t c = 0; c < nl; c++) {
        const uint32_t *m = cx->mcol + cx->mrow[c];
        size_t k = cx->mrow[c + 1] - cx->mrow[c];
        double all = 0, inside = 0;
        for (size_t i = 0; i < k; i++) {
            all += h[m[i]];
            const double *pr = cx->phi + (size_t)m[i] * na;
            double s = 0;
            for (size_t j = 0; j < k; j++)
                s += pr[m[j]];
            inside += w[m[i]] * s;
        }
        cx->coi[c] = all - inside;
    }
    double mean = 0, sd = 0;
    cx->coi_ok = table_moments(cx->coi, NULL, nl, na, &mean, &sd);
    for (size_t c = 0; c < nl; c++)
        cx->coi[c] = cx->coi_ok ? (cx->coi[c] - mean) / sd : 0;
    rc = 0;
out:
    free(h);
    return rc;
}

ml_err ml_complexity_compute(ml_complexity *cx, double rca_threshold)
{
    ml_ctx *ctx = cx->ctx;
    if (!isfinite(rca_threshold) || rca_threshold <= 0)
        return ml_fail(ctx, ML_INVALID, "the RCA threshold must be a number above 0, not %g",
                       rca_threshold);
    results_release(cx);
    cx->threshold = rca_threshold;
    double *a = NULL;
    if (build_table(cx)) goto nomem;
    if (cx->nl == 0 || cx->na == 0) {
        results_release(cx);
        return ml_fail(ctx, ML_INVALID, "the table has no positive value");
    }
    if (presence(cx)) goto nomem;
    size_t na = cx->na, nl = cx->nl;
    if (!NEW(cx->phi, na * na) || !NEW(cx->phi_sum, na) || !NEW(a, na * na)) goto nomem;
    cooccurrences(cx, cx->phi, a);
    int r = eigenvector(cx, a);
    free(a);
    a = NULL;
    if (r) goto nomem;
    proximity(cx);
    if (!NEW(cx->eci, nl) || !NEW(cx->pci, na)) goto nomem;
    if (cx->complexity_ok)
        cx->complexity_ok = table_moments(cx->kc, cx->diversity, nl, na, &cx->kc_mean, &cx->kc_sd);
    if (cx->complexity_ok) {
        for (size_t c = 0; c < nl; c++)
            cx->eci[c] = cx->diversity[c] ? (cx->kc[c] - cx->kc_mean) / cx->kc_sd : 0;
        for (size_t p = 0; p < na; p++)
            cx->pci[p] = cx->ubiquity[p] ? (cx->kp[p] - cx->kc_mean) / cx->kc_sd : 0;
    }
    if (outlook(cx)) goto nomem;
    cx->computed = true;
    return ML_OK;
nomem:
    free(a);
    results_release(cx);
    return ml_fail(ctx, ML_NOMEM, "out of memory computing complexity");
}

/* ---------------------------------------------------------------- results */

void ml_complexity_summary(const ml_complexity *cx, ml_complexity_info *out)
{
    *out = (ml_complexity_info){
        .locations = cx->computed ? cx->nl : 0,
        .activities = cx->computed ? cx->na : 0,
        .left_out_locations = cx->computed ? cx->left_locations : 0,
        .left_out_activities = cx->computed ? cx->left_activities : 0,
        .present = cx->computed ? cx->present : 0,
        .ranked = cx->computed && cx->complexity_ok,
        .eigenvalue = cx->computed && cx->complexity_ok ? cx->eigenvalue : 0,
        .rca_threshold = cx->threshold,
    };
}

size_t ml_complexity_locations(const ml_complexity *cx)
{
    return cx->computed ? cx->nl : 0;
}

size_t ml_complexity_activities(const ml_complexity *cx)
{
    return cx->computed ? cx->na : 0;
}

void ml_complexity_location_get(const ml_complexity *cx, size_t c, ml_complexity_location *out)
{
    assert(cx->computed && c < cx->nl);
    *out = (ml_complexity_location){
        .code = cx->locs.names[cx->loc_of[c]],
        .total = cx->loc_total[c],
        .diversity = cx->diversity[c],
        .has_eci = cx->complexity_ok && cx->diversity[c] > 0,
        .eci = cx->complexity_ok && cx->diversity[c] ? cx->eci[c] : 0,
        .has_coi = cx->coi_ok,
        .coi = cx->coi_ok ? cx->coi[c] : 0,
    };
}

void ml_complexity_activity_get(const ml_complexity *cx, size_t p, ml_complexity_activity *out)
{
    assert(cx->computed && p < cx->na);
    *out = (ml_complexity_activity){
        .code = cx->acts.names[cx->act_of[p]],
        .total = cx->act_total[p],
        .ubiquity = cx->ubiquity[p],
        .has_pci = cx->complexity_ok && cx->ubiquity[p] > 0,
        .pci = cx->complexity_ok && cx->ubiquity[p] ? cx->pci[p] : 0,
    };
}

double ml_complexity_proximity(const ml_complexity *cx, size_t p, size_t q)
{
    assert(cx->computed && p < cx->na && q < cx->na);
    return cx->phi[p * cx->na + q];
}

ml_err ml_complexity_row(const ml_complexity *cx, size_t c, ml_complexity_cell *cells)
{
    assert(cx->computed && c < cx->nl);
    size_t na = cx->na, k = cx->diversity[c];
    double *dens = malloc((2 * na + k + 1) * sizeof *dens);
    const double **rows = malloc((k + 1) * sizeof *rows);
    if (!dens || !rows) {
        free(dens);
        free(rows);
        return ml_fail(cx->ctx, ML_NOMEM, "out of memory");
    }
    double *out = dens + na, *weight = dens + 2 * na;
    density_row(cx, c, dens, cx->complexity_ok ? out : NULL, rows, weight);
    for (size_t p = 0; p < na; p++)
        cells[p] = (ml_complexity_cell){.density = dens[p],
                                        .has_cog = cx->complexity_ok,
                                        .cog = cx->complexity_ok ? out[p] / cx->kc_sd : 0};
    for (size_t i = cx->row[c]; i < cx->row[c + 1]; i++) {
        ml_complexity_cell *x = &cells[cx->col[i]];
        x->value = cx->val[i];
        x->count = cx->cnt[i];
        x->rca = rca_of(cx, c, cx->col[i], cx->val[i]);
        x->mcp = cx->mcp[i];
        if (x->mcp) x->cog = 0;
    }
    free(dens);
    free(rows);
    return ML_OK;
}
