/* engine.c — scoring model and the two top-k searches (fast and reference). */
#include <math.h>

#include "match/match.h"

#define DEG_KM   111.19492664455873 /* km per degree on a 6371 km sphere */
#define RING_MAX 40                 /* beyond this many rings, scan what is left */

double ml_size_factor(int supplier_rank, int buyer_rank)
{
    if (supplier_rank <= 0 || buyer_rank <= 0) return 1.0; /* unknown: no penalty */
    if (supplier_rank > ML_SIZE_BANDS || buyer_rank > ML_SIZE_BANDS) return 1.0;
    double ratio = ml_size_bands[supplier_rank - 1].midpoint / ml_size_bands[buyer_rank - 1].midpoint;
    if (ratio >= 1.0 / 50) return 1.0;
    if (ratio >= 1.0 / 500) return 0.5;
    return 0.25;
}

double ml_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = 3.14159265358979323846 / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * 6371.0 * asin(sqrt(a < 1 ? a : 1));
}

/* Text similarity of a row (0 if none), -1 if the row is excluded. */
static double extra_text(const ml_query *q, uint32_t row)
{
    size_t lo = 0, hi = q->nextra;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (q->extra[mid].row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < q->nextra && q->extra[lo].row == row ? q->extra[lo].text : 0;
}

double ml_sector_weight(const ml_snapshot *s, const ml_query *q, int cand)
{
    int self = s->sector[q->self];
    if (self == ML_NO_SECTOR || cand == ML_NO_SECTOR || cand >= s->nsec) return 0;
    /* Suppliers: how much self's class buys from the candidate's class;
     * customers: how much the candidate's class buys from self's class. */
    size_t k = q->customers ? ml_pair(s, self, cand) : ml_pair(s, cand, self);
    /* Inputs every firm buys are not proposed as suppliers; a bank or a
     * cleaning firm looking for customers still finds them. */
    if (s->general[k] && !q->customers && !q->all_inputs) return 0;
    return s->weight[k];
}

double ml_score(const ml_snapshot *s, const ml_query *q, uint32_t row, ml_score_parts *parts)
{
    ml_score_parts p = {0};
    uint32_t self = q->self;
    if (row == self || ml_siret_siren(s->siret[row]) == ml_siret_siren(s->siret[self])) goto none;
    double text = extra_text(q, row);
    if (text < 0) goto none;
    p.text = text;
    p.sector = ml_sector_weight(s, q, s->sector[row]);
    if (p.sector > 0) {
        int self_sec = s->sector[self], cand = s->sector[row];
        size_t k = q->customers ? ml_pair(s, self_sec, cand) : ml_pair(s, cand, self_sec);
        p.ic_share = s->ic_share[k];
        p.resale_share = s->resale_share[k];
    }
    if (p.sector <= 0 && p.text <= 0) goto none;
    p.distance_km = ml_distance_km(s->lat[self], s->lon[self], s->lat[row], s->lon[row]);
    if (q->radius_km > 0 && p.distance_km > q->radius_km) goto none;
    p.decay = exp(-p.distance_km / q->scale_km);
    p.size = q->customers ? ml_size_factor(s->size[self], s->size[row])
                          : ml_size_factor(s->size[row], s->size[self]);
    p.network = ml_snapshot_share_group(s, self, row) ? ML_NETWORK_BONUS : 1.0;
    p.score = (p.sector + ML_TEXT_WEIGHT * p.text) * p.decay * p.size * p.network;
    if (parts) *parts = p;
    return p.score;
none:
    if (parts) *parts = p;
    return 0;
}

double ml_score_bound(const ml_snapshot *s, const ml_query *q, uint32_t row)
{
    double text = q->nextra ? extra_text(q, row) : 0;
    if (text < 0) return 0;
    double bonus = ml_snapshot_has_group(s, q->self) ? ML_NETWORK_BONUS : 1.0;
    return (ml_sector_weight(s, q, s->sector[row]) + ML_TEXT_WEIGHT * text) * bonus;
}

/* ------------------------------------------------------------ top-k heap */

/* a is worse than b: lower score, or same score and larger SIRET. */
static bool worse(const ml_snapshot *s, const ml_hit *a, const ml_hit *b)
{
    if (a->score != b->score) return a->score < b->score;
    return s->siret[a->row] > s->siret[b->row];
}

typedef struct heap {
    ml_hit *h;
    size_t n, k;
    bool distinct; /* one establishment per company (the best) */
} heap;

static void sift_down(const ml_snapshot *s, heap *hp, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < hp->n && worse(s, &hp->h[l], &hp->h[m])) m = l;
        if (r < hp->n && worse(s, &hp->h[r], &hp->h[m])) m = r;
        if (m == i) return;
        ml_hit t = hp->h[i];
        hp->h[i] = hp->h[m];
        hp->h[m] = t;
        i = m;
    }
}

static void heap_offer(const ml_snapshot *s, heap *hp, uint32_t row, double score)
{
    ml_hit x = {row, score};
    if (hp->distinct) {
        /* Another establishment of the same company: keep the better one. */
        int64_t siren = ml_siret_siren(s->siret[row]);
        for (size_t i = 0; i < hp->n; i++) {
            if (ml_siret_siren(s->siret[hp->h[i].row]) != siren) continue;
            if (worse(s, &hp->h[i], &x)) {
                hp->h[i] = x; /* better: it moves away from the root */
                sift_down(s, hp, i);
            }
            return;
        }
    }
    if (hp->n < hp->k) {
        size_t i = hp->n++;
        hp->h[i] = x;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!worse(s, &hp->h[i], &hp->h[p])) break;
            ml_hit t = hp->h[i];
            hp->h[i] = hp->h[p];
            hp->h[p] = t;
            i = p;
        }
    } else if (worse(s, &hp->h[0], &x)) {
        hp->h[0] = x;
        sift_down(s, hp, 0);
    }
}

/* The score a newcomer must beat, or 0 while the heap is not full. */
static double threshold(const heap *hp)
{
    return hp->n < hp->k ? 0 : hp->h[0].score;
}

/* Sorts the heap's hits best first. */
static size_t heap_finish(const ml_snapshot *s, heap *hp)
{
    size_t n = hp->n;
    while (hp->n > 1) {
        ml_hit t = hp->h[0];
        hp->h[0] = hp->h[--hp->n];
        hp->h[hp->n] = t;
        sift_down(s, hp, 0);
    }
    hp->n = n;
    return n;
}

static void offer_row(const ml_snapshot *s, const ml_query *q, heap *hp, uint32_t row)
{
    double sc = ml_score(s, q, row, NULL);
    if (sc > 0) heap_offer(s, hp, row, sc);
}

/* In the sector pass, rows with a text similarity were already offered. */
static void offer_sector_row(const ml_snapshot *s, const ml_query *q, heap *hp, uint32_t row)
{
    if (q->nextra && extra_text(q, row) > 0) return;
    offer_row(s, q, hp, row);
}

typedef struct scored {
    uint32_t row;
    double score;
    int64_t siret;
} scored;

static int cmp_scored(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->siret < y->siret ? -1 : x->siret > y->siret;
}

/* The reference: score every row, sort, keep at most per_sector of a sector
 * and then one establishment of a company within a sector. */
size_t ml_match_brute(const ml_snapshot *s, const ml_query *q, ml_hit *out)
{
    size_t n = 0, cap = 1024, found = 0, per = q->per_sector;
    scored *all = malloc(cap * sizeof *all);
    unsigned *taken = calloc(ML_SECTOR_MAX + 1, sizeof *taken);
    int64_t *sirens = per ? calloc((size_t)(ML_SECTOR_MAX + 1) * per, sizeof *sirens) : NULL;
    if (!all || !taken || (per && !sirens)) goto out;
    for (uint32_t row = 0; row < s->n; row++) {
        double sc = ml_score(s, q, row, NULL);
        if (sc <= 0) continue;
        if (n == cap) {
            scored *p = realloc(all, 2 * cap * sizeof *all);
            if (!p) goto out;
            all = p;
            cap *= 2;
        }
        all[n++] = (scored){row, sc, s->siret[row]};
    }
    qsort(all, n, sizeof *all, cmp_scored);
    for (size_t i = 0; i < n && found < q->limit; i++) {
        uint16_t sec = s->sector[all[i].row];
        size_t k = sec == ML_NO_SECTOR ? ML_SECTOR_MAX : sec;
        if (per) {
            if (taken[k] >= per) continue;
            bool seen = false;
            for (unsigned j = 0; j < taken[k] && !seen; j++)
                seen = sirens[k * per + j] == ml_siret_siren(all[i].siret);
            if (seen) continue;
            sirens[k * per + taken[k]] = ml_siret_siren(all[i].siret);
        }
        taken[k]++;
        out[found++] = (ml_hit){all[i].row, all[i].score};
    }
out:
    free(all);
    free(taken);
    free(sirens);
    return found;
}

/* ------------------------------------------------------------- fast search */

int32_t ml_cell_y(double lat)
{
    return (int32_t)floor((lat + 90.0) / ML_CELL_DEG);
}

int32_t ml_cell_x(double lon)
{
    int32_t x = (int32_t)floor((lon + 180.0) / ML_CELL_DEG);
    return x < 0 ? 0 : x >= ML_GRID_W ? ML_GRID_W - 1 : x;
}

static int64_t find_cell(const ml_sector_cells *sc, uint32_t cell)
{
    size_t lo = 0, hi = sc->ncells;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sc->cell[mid] < cell)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sc->ncells && sc->cell[lo] == cell ? (int64_t)lo : -1;
}

/* The score a newcomer of the sector must beat: its own heap's, and the
 * final list's (a row below the k-th best overall cannot enter). */
static double threshold2(const heap *local, const heap *global)
{
    double a = local->n == local->k ? local->h[0].score : 0;
    double b = global->n == global->k ? global->h[0].score : 0;
    return a > b ? a : b;
}

/* What a sector's scan needs to skip rows that cannot enter without scoring
 * them: a row enters only if weight x bonus x exp(-d / scale) reaches the
 * current threshold, i.e. if d <= scale x ln(weight x bonus / threshold),
 * i.e. if the haversine term a = sin^2(dlat/2) + cos lat0 cos lat sin^2(dlon/2)
 * is at most sin^2(dmax / 2R) (a margin keeps float rounding on the safe side). */
typedef struct scan_ctx {
    const heap *global;
    double wbonus;     /* the sector's weight x the largest network bonus */
    double lat0, lon0; /* self, radians */
    double coslat0;
    double thr, amax; /* the threshold amax was computed for, and amax */
} scan_ctx;

#define RAD (3.14159265358979323846 / 180.0)

static void scan_cell(const ml_snapshot *s, const ml_query *q, heap *hp, const ml_sector_cells *sc,
                      int32_t iy, int32_t ix, scan_ctx *cx)
{
    if (iy < sc->min_iy || iy > sc->max_iy || ix < sc->min_ix || ix > sc->max_ix) return;
    int64_t c = find_cell(sc, (uint32_t)iy * ML_GRID_W + (uint32_t)ix);
    if (c < 0) return;
    for (uint32_t row = sc->start[c]; row < sc->start[c + 1]; row++) {
        double thr = threshold2(hp, cx->global);
        if (thr > 0) {
            if (thr != cx->thr) {
                cx->thr = thr;
                double dmax = thr < cx->wbonus ? q->scale_km * log(cx->wbonus / thr) : 0;
                double h = sin(fmin(dmax / (2 * 6371.0), 1.5707963267948966));
                cx->amax = h * h * (1 + 1e-6) + 1e-12;
            }
            /* A lower bound of a without trigonometry: sin t >= t - t^3/6
             * for 0 <= t <= 1. */
            double y = fabs(s->lat[row] * RAD - cx->lat0) / 2;
            double x = fabs(s->lon[row] * RAD - cx->lon0) / 2;
            if (y <= 1 && x <= 1) {
                double sy = y - y * y * y / 6, sx = x - x * x * x / 6;
                double a = sy * sy + cx->coslat0 * (double)s->coslat[row] * sx * sx;
                if (a > cx->amax * (1 + 1e-5)) continue; /* too far to enter */
            }
        }
        offer_sector_row(s, q, hp, row);
    }
}

/* Lower bound of the distance from the centre cell's point to any point in
 * ring r (r >= 1): at least r - 1 whole cells away in latitude or in
 * longitude; a degree of longitude shrinks with latitude, so take the
 * largest latitude the ring reaches. */
static double ring_min_km(double lat, int r)
{
    if (r <= 1) return 0;
    double far_lat = fabs(lat) + (r + 1) * ML_CELL_DEG;
    if (far_lat > 89.9) far_lat = 89.9;
    double c = cos(far_lat * 3.14159265358979323846 / 180.0);
    return (r - 1) * ML_CELL_DEG * DEG_KM * c * 0.999; /* 0.1 % margin for rounding */
}

static void search_sector(const ml_snapshot *s, const ml_query *q, heap *hp, const heap *global,
                          int sector, double weight, double bonus_max)
{
    const ml_sector_cells *sc = &s->sectors[sector];
    if (sc->count == 0 || weight <= 0) return;
    double lat = s->lat[q->self], lon = s->lon[q->self];
    int32_t y0 = ml_cell_y(lat), x0 = ml_cell_x(lon);
    /* The ring that covers the sector's whole bounding box. */
    int32_t reach = 0;
    int32_t d[4] = {y0 - sc->min_iy, sc->max_iy - y0, x0 - sc->min_ix, sc->max_ix - x0};
    for (int i = 0; i < 4; i++)
        if (d[i] > reach) reach = d[i];
    scan_ctx cx = {global, weight * bonus_max, lat * RAD, lon * RAD, cos(lat * RAD), -1, 0};
    int r = 0;
    for (; r <= reach && r <= RING_MAX; r++) {
        double dmin = ring_min_km(lat, r);
        if (q->radius_km > 0 && dmin > q->radius_km) return;
        double bound = weight * exp(-dmin / q->scale_km) * bonus_max;
        if (bound < threshold2(hp, global)) return;
        if (r == 0) {
            scan_cell(s, q, hp, sc, y0, x0, &cx);
            continue;
        }
        for (int32_t x = x0 - r; x <= x0 + r; x++) {
            scan_cell(s, q, hp, sc, y0 - r, x, &cx);
            scan_cell(s, q, hp, sc, y0 + r, x, &cx);
        }
        for (int32_t y = y0 - r + 1; y <= y0 + r - 1; y++) {
            scan_cell(s, q, hp, sc, y, x0 - r, &cx);
            scan_cell(s, q, hp, sc, y, x0 + r, &cx);
        }
    }
    if (r > reach) return;
    /* Far and sparse: scan the points outside the square already visited. */
    for (uint32_t c = 0; c < sc->ncells; c++) {
        int32_t iy = (int32_t)(sc->cell[c] / ML_GRID_W), ix = (int32_t)(sc->cell[c] % ML_GRID_W);
        if (abs(iy - y0) <= RING_MAX && abs(ix - x0) <= RING_MAX) continue;
        for (uint32_t row = sc->start[c]; row < sc->start[c + 1]; row++)
            offer_sector_row(s, q, hp, row);
    }
}

typedef struct sector_bound {
    int sector;
    double weight, bound;
    size_t first_extra, nextra; /* its rows with a text similarity, in `texts` */
} sector_bound;

static int cmp_bound(const void *a, const void *b)
{
    const sector_bound *x = a, *y = b;
    if (x->bound != y->bound) return x->bound > y->bound ? -1 : 1;
    return x->sector - y->sector;
}

static int cmp_extra_sector(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t ml_match_topk(const ml_snapshot *s, const ml_query *q, ml_hit *out)
{
    heap global = {out, 0, q->limit, false};
    if (q->limit == 0) return 0;
    size_t cap = q->per_sector && q->per_sector < q->limit ? q->per_sector : q->limit;
    double bonus_max = ml_snapshot_has_group(s, q->self) ? ML_NETWORK_BONUS : 1.0;
    /* Rows with a text similarity may score outside their sector's weight:
     * they are grouped by sector ((sector << 32) | row) and offered first. */
    size_t ntexts = 0;
    for (size_t i = 0; i < q->nextra; i++)
        if (q->extra[i].text > 0) ntexts++;
    uint64_t *texts = malloc((ntexts ? ntexts : 1) * sizeof *texts);
    sector_bound *order = malloc(((size_t)s->nsec + ntexts + 1) * sizeof *order);
    ml_hit *local_buf = malloc(cap * sizeof *local_buf);
    if (!texts || !order || !local_buf) goto out;
    ntexts = 0;
    for (size_t i = 0; i < q->nextra; i++)
        if (q->extra[i].text > 0)
            texts[ntexts++] = ((uint64_t)s->sector[q->extra[i].row] << 32) | q->extra[i].row;
    qsort(texts, ntexts, sizeof *texts, cmp_extra_sector);
    /* Each sector's bound: its weight, or one of its text rows' better bound. */
    size_t n = 0, t = 0;
    for (int c = 0; c < s->nsec; c++) {
        sector_bound sb = {c, ml_sector_weight(s, q, c), 0, 0, 0};
        sb.bound = sb.weight;
        while (t < ntexts && (int)(texts[t] >> 32) < c)
            t++;
        sb.first_extra = t;
        for (; t < ntexts && (int)(texts[t] >> 32) == c; t++) {
            double b = ml_score_bound(s, q, (uint32_t)texts[t]) / bonus_max;
            if (b > sb.bound) sb.bound = b;
            sb.nextra++;
        }
        sb.bound *= bonus_max;
        if (sb.bound > 0) order[n++] = sb;
    }
    /* Rows of no sector with a text similarity: a sector of their own. */
    if (t < ntexts) {
        heap local = {local_buf, 0, cap, q->per_sector > 0};
        for (; t < ntexts; t++)
            offer_row(s, q, &local, (uint32_t)texts[t]);
        for (size_t h = 0; h < local.n; h++)
            heap_offer(s, &global, local.h[h].row, local.h[h].score);
    }
    qsort(order, n, sizeof *order, cmp_bound);
    /* Sectors by decreasing bound; stop when the best a sector could give
     * cannot enter the top-k. Each sector keeps its own best `cap`. */
    for (size_t i = 0; i < n; i++) {
        if (global.n == global.k && order[i].bound < threshold(&global)) break;
        heap local = {local_buf, 0, cap, q->per_sector > 0};
        for (size_t e = 0; e < order[i].nextra; e++)
            offer_row(s, q, &local, (uint32_t)texts[order[i].first_extra + e]);
        search_sector(s, q, &local, &global, order[i].sector, order[i].weight, bonus_max);
        for (size_t h = 0; h < local.n; h++)
            heap_offer(s, &global, local.h[h].row, local.h[h].score);
    }
out:
    free(texts);
    free(order);
    free(local_buf);
    return heap_finish(s, &global);
}
