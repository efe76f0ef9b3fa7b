/* engine.c — scoring model and the two top-k searches (fast and reference). */
#include <math.h>

#include "match/match.h"

#define DEG_KM   111.19492664455873 /* km per degree on a 6371 km sphere */
#define RING_MAX 40                 /* beyond this many rings, scan what is left */

/* Midpoint headcount of each size band rank (0 = unknown). */
static const double band_headcount[16] = {0,   0.5, 1.5, 4,   7.5,  15,   35,   75,
                                          150, 225, 375, 750, 1500, 3500, 7500, 12000};

int ml_size_rank(const char *band)
{
    static const char *const codes[] = {"00", "01", "02", "03", "11", "12", "21", "22",
                                        "31", "32", "41", "42", "51", "52", "53"};
    if (!band) return 0;
    for (size_t i = 0; i < ML_ARRAY_LEN(codes); i++)
        if (strcmp(band, codes[i]) == 0) return (int)i + 1;
    return 0;
}

double ml_size_factor(int supplier_rank, int buyer_rank)
{
    if (supplier_rank <= 0 || buyer_rank <= 0) return 1.0; /* unknown: no penalty */
    double ratio = band_headcount[supplier_rank] / band_headcount[buyer_rank];
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

static double sector_weight(const ml_snapshot *s, const ml_query *q, uint8_t cand)
{
    uint8_t self = s->sector[q->self];
    if (self == ML_NO_SECTOR || cand == ML_NO_SECTOR) return 0;
    /* Suppliers: how much self's branch buys from the candidate's product;
     * customers: how much the candidate's branch buys from self's product. */
    return q->customers ? s->weight[self][cand] : s->weight[cand][self];
}

double ml_score(const ml_snapshot *s, const ml_query *q, uint32_t row, ml_score_parts *parts)
{
    ml_score_parts p = {0};
    uint32_t self = q->self;
    if (row == self || s->siret[row] / 100000 == s->siret[self] / 100000) goto none;
    double text = extra_text(q, row);
    if (text < 0) goto none;
    p.text = text;
    p.sector = sector_weight(s, q, s->sector[row]);
    if (p.sector > 0) {
        int self_sec = s->sector[self], cand = s->sector[row];
        int sup = q->customers ? self_sec : cand, buy = q->customers ? cand : self_sec;
        p.base = s->base[sup][buy];
        p.split = s->split[sup][buy];
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
    return (sector_weight(s, q, s->sector[row]) + ML_TEXT_WEIGHT * text) * bonus;
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

size_t ml_match_brute(const ml_snapshot *s, const ml_query *q, ml_hit *out)
{
    heap hp = {out, 0, q->limit};
    for (uint32_t row = 0; row < s->n; row++)
        offer_row(s, q, &hp, row);
    return heap_finish(s, &hp);
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

static void scan_cell(const ml_snapshot *s, const ml_query *q, heap *hp, const ml_sector_cells *sc,
                      int32_t iy, int32_t ix)
{
    if (iy < sc->min_iy || iy > sc->max_iy || ix < sc->min_ix || ix > sc->max_ix) return;
    int64_t c = find_cell(sc, (uint32_t)iy * ML_GRID_W + (uint32_t)ix);
    if (c < 0) return;
    for (uint32_t row = sc->start[c]; row < sc->start[c + 1]; row++)
        offer_sector_row(s, q, hp, row);
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

static void search_sector(const ml_snapshot *s, const ml_query *q, heap *hp, int sector,
                          double weight, double bonus_max)
{
    const ml_sector_cells *sc = &s->sectors[sector];
    if (sc->count == 0) return;
    double lat = s->lat[q->self], lon = s->lon[q->self];
    int32_t y0 = ml_cell_y(lat), x0 = ml_cell_x(lon);
    /* The ring that covers the sector's whole bounding box. */
    int32_t reach = 0;
    int32_t d[4] = {y0 - sc->min_iy, sc->max_iy - y0, x0 - sc->min_ix, sc->max_ix - x0};
    for (int i = 0; i < 4; i++)
        if (d[i] > reach) reach = d[i];
    int r = 0;
    for (; r <= reach && r <= RING_MAX; r++) {
        double dmin = ring_min_km(lat, r);
        if (q->radius_km > 0 && dmin > q->radius_km) return;
        double bound = weight * exp(-dmin / q->scale_km) * bonus_max;
        if (hp->n == hp->k && bound < threshold(hp)) return;
        if (r == 0) {
            scan_cell(s, q, hp, sc, y0, x0);
            continue;
        }
        for (int32_t x = x0 - r; x <= x0 + r; x++) {
            scan_cell(s, q, hp, sc, y0 - r, x);
            scan_cell(s, q, hp, sc, y0 + r, x);
        }
        for (int32_t y = y0 - r + 1; y <= y0 + r - 1; y++) {
            scan_cell(s, q, hp, sc, y, x0 - r);
            scan_cell(s, q, hp, sc, y, x0 + r);
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

size_t ml_match_topk(const ml_snapshot *s, const ml_query *q, ml_hit *out)
{
    heap hp = {out, 0, q->limit};
    if (q->limit == 0) return 0;
    /* Rows with a text similarity may score outside their sector's weight:
     * they are scored first, one by one. */
    for (size_t i = 0; i < q->nextra; i++)
        if (q->extra[i].text > 0) offer_row(s, q, &hp, q->extra[i].row);
    double bonus_max = ml_snapshot_has_group(s, q->self) ? ML_NETWORK_BONUS : 1.0;
    /* Sectors by decreasing weight; stop when the best a sector could give
     * cannot enter the top-k. */
    int order[ML_SECTOR_MAX];
    double w[ML_SECTOR_MAX];
    int n = 0;
    for (int c = 0; c < ML_SECTOR_MAX; c++) {
        double x = sector_weight(s, q, (uint8_t)c);
        if (x <= 0) continue;
        int i = n++;
        while (i > 0 && w[i - 1] < x) {
            w[i] = w[i - 1];
            order[i] = order[i - 1];
            i--;
        }
        w[i] = x;
        order[i] = c;
    }
    for (int i = 0; i < n; i++) {
        if (hp.n == hp.k && w[i] * bonus_max < threshold(&hp)) break;
        search_sector(s, q, &hp, order[i], w[i], bonus_max);
    }
    return heap_finish(s, &hp);
}
