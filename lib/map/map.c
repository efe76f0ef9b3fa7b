/* map.c — the map's aggregation. A territory's placeable establishments are
 * kept in Web Mercator fixed point (the world is [0, 2^32) on each axis), so
 * that the cell of an establishment at zoom z is the top z + 2 bits of its
 * coordinates (64-pixel cells of 256-pixel tiles): a cell of zoom z is
 * exactly four cells of zoom z + 1, and zooming in splits a cluster into
 * clusters whose counts add up to it. */
#include <math.h>

#include "firm/firm.h"
#include "store/store.h"
#include "territory/territory.h"

#define CELL_BITS     2  /* 256-pixel tiles / ML_MAP_CELL_PX-pixel cells = 2^2 */
#define NA10          11 /* the ten A10 sectors, then "unknown" */
#define SECTOR_MAX    4096
#define SECTOR_HASH   8192
#define LAT_MAX       85.0511287798066 /* Web Mercator's square world */
#define FIT_W         16               /* automatic zoom: the view in 16 × 12 cells */
#define FIT_H         12
#define AUTO_ZOOM_MAX 18

_Static_assert((256 >> CELL_BITS) == ML_MAP_CELL_PX, "cells are 256 >> CELL_BITS pixels");

static const char *const a10_codes[NA10 - 1] = {"AZ", "BE", "FZ", "GI", "JZ",
                                                "KZ", "LZ", "MN", "OQ", "RU"};

enum { FLAG_APPROX = 1, FLAG_GENERATED = 2 };

/* One NAF sub-class with its levels (index 0: unknown code). */
typedef struct sector {
    char *naf, *a88, *a38, *a21, *a10;
    uint8_t a10_index; /* into a10_codes, NA10 - 1 when unknown */
} sector;

struct ml_map_layer {
    size_t n, alloc;
    int64_t *siret;
    uint32_t *x, *y;
    uint16_t *sector;
    uint8_t *flags;
    sector *sectors; /* nsectors of sectors_alloc, at most SECTOR_MAX */
    size_t nsectors, sectors_alloc;
    uint16_t hash[SECTOR_HASH]; /* sector index + 1, by NAF code */
    json_t *territory;
    uint32_t min_x, min_y, max_x, max_y;
};

/* ------------------------------------------------------------ projection */

static uint32_t fixed(double unit)
{
    double v = unit * 4294967296.0;
    if (!(v > 0)) return 0;
    if (v >= 4294967295.0) return UINT32_MAX;
    return (uint32_t)v;
}

static uint32_t merc_x(double lon)
{
    return fixed((lon + 180.0) / 360.0);
}

static uint32_t merc_y(double lat)
{
    if (lat > LAT_MAX) lat = LAT_MAX;
    if (lat < -LAT_MAX) lat = -LAT_MAX;
    double r = lat * M_PI / 180.0;
    return fixed((1.0 - log(tan(r) + 1.0 / cos(r)) / M_PI) / 2.0);
}

static double lon_of(double x)
{
    return x / 4294967296.0 * 360.0 - 180.0;
}

static double lat_of(double y)
{
    return atan(sinh(M_PI * (1.0 - 2.0 * y / 4294967296.0))) * 180.0 / M_PI;
}

/* Rounded to 1e-6 degree (11 cm): enough for a map, short in JSON. */
static json_t *degrees(double v)
{
    return json_real(round(v * 1e6) / 1e6);
}

/* ----------------------------------------------------------------- layer */

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int sector_of(ml_map_layer *l, const ml_map_row *row, uint16_t *out)
{
    if (!row->naf) {
        *out = 0;
        return 0;
    }
    uint32_t h = hash_str(row->naf) & (SECTOR_HASH - 1);
    while (l->hash[h]) {
        const sector *s = &l->sectors[l->hash[h] - 1];
        if (strcmp(s->naf, row->naf) == 0) {
            *out = (uint16_t)(l->hash[h] - 1);
            return 0;
        }
        h = (h + 1) & (SECTOR_HASH - 1);
    }
    if (l->nsectors == SECTOR_MAX) return -1;
    if (l->nsectors == l->sectors_alloc) {
        size_t n = l->sectors_alloc * 2;
        sector *more = realloc(l->sectors, n * sizeof *more);
        if (!more) return -1;
        l->sectors = more;
        l->sectors_alloc = n;
    }
    sector *s = &l->sectors[l->nsectors];
    memset(s, 0, sizeof *s);
    s->naf = ml_strdup(row->naf);
    s->a88 = row->a88 ? ml_strdup(row->a88) : NULL;
    s->a38 = row->a38 ? ml_strdup(row->a38) : NULL;
    s->a21 = row->a21 ? ml_strdup(row->a21) : NULL;
    s->a10 = row->a10 ? ml_strdup(row->a10) : NULL;
    if (!s->naf || (row->a88 && !s->a88) || (row->a38 && !s->a38) || (row->a21 && !s->a21) ||
        (row->a10 && !s->a10))
        return -1;
    s->a10_index = NA10 - 1;
    for (uint8_t i = 0; row->a10 && i < NA10 - 1; i++)
        if (strcmp(row->a10, a10_codes[i]) == 0) s->a10_index = i;
    l->nsectors++;
    l->hash[h] = (uint16_t)l->nsectors;
    *out = (uint16_t)(l->nsectors - 1);
    return 0;
}

static int grow(ml_map_layer *l)
{
    size_t n = l->alloc ? l->alloc * 2 : 4096;
    int64_t *siret = realloc(l->siret, n * sizeof *siret);
    if (siret) l->siret = siret;
    uint32_t *x = realloc(l->x, n * sizeof *x);
    if (x) l->x = x;
    uint32_t *y = realloc(l->y, n * sizeof *y);
    if (y) l->y = y;
    uint16_t *sec = realloc(l->sector, n * sizeof *sec);
    if (sec) l->sector = sec;
    uint8_t *flags = realloc(l->flags, n * sizeof *flags);
    if (flags) l->flags = flags;
    if (!siret || !x || !y || !sec || !flags) return -1;
    l->alloc = n;
    return 0;
}

static int add_row(void *ud, const ml_map_row *row)
{
    ml_map_layer *l = ud;
    if (!isfinite(row->lat) || !isfinite(row->lon)) return 0;
    if (l->n == l->alloc && grow(l)) return -1;
    uint16_t sec;
    if (sector_of(l, row, &sec)) return -1;
    size_t i = l->n++;
    l->siret[i] = row->siret;
    l->x[i] = merc_x(row->lon);
    l->y[i] = merc_y(row->lat);
    l->sector[i] = sec;
    l->flags[i] =
        (uint8_t)((row->approximate ? FLAG_APPROX : 0) | (row->generated ? FLAG_GENERATED : 0));
    if (i == 0 || l->x[i] < l->min_x) l->min_x = l->x[i];
    if (i == 0 || l->x[i] > l->max_x) l->max_x = l->x[i];
    if (i == 0 || l->y[i] < l->min_y) l->min_y = l->y[i];
    if (i == 0 || l->y[i] > l->max_y) l->max_y = l->y[i];
    return 0;
}

ml_err ml_map_layer_build(ml_db *db, const char *territory, ml_map_layer **out)
{
    *out = NULL;
    ml_place place;
    ml_err r = ml_place_resolve(db, territory, &place);
    if (r) return r;
    ml_map_layer *l = calloc(1, sizeof *l);
    if (!l) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    l->sectors = calloc(64, sizeof *l->sectors);
    if (!l->sectors) {
        free(l);
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    l->sectors_alloc = 64;
    l->nsectors = 1; /* sector 0: no known NAF code */
    l->sectors[0].a10_index = NA10 - 1;
    l->territory = ml_place_json(&place);
    if (!l->territory) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r) r = db->be->map_rows(db, &place, true, add_row, l); /* only public ones are mapped */
    if (r) {
        ml_map_layer_free(l);
        return r;
    }
    *out = l;
    return ML_OK;
}

void ml_map_layer_free(ml_map_layer *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->nsectors; i++) {
        sector *s = &l->sectors[i];
        free(s->naf);
        free(s->a88);
        free(s->a38);
        free(s->a21);
        free(s->a10);
    }
    free(l->sectors);
    free(l->siret);
    free(l->x);
    free(l->y);
    free(l->sector);
    free(l->flags);
    json_decref(l->territory);
    free(l);
}

size_t ml_map_layer_count(const ml_map_layer *l)
{
    return l ? l->n : 0;
}

/* ------------------------------------------------------------ aggregation */

typedef struct cell {
    uint32_t count;
    uint32_t min_x, min_y, max_x, max_y;
    double sx, sy;
    uint32_t a10[NA10];
    bool points; /* shown as its establishments */
} cell;

typedef struct grid {
    int zoom, shift;
    uint32_t cx0, cy0, w, h; /* cells [cx0, cx0 + w) × [cy0, cy0 + h) */
    cell *cells;
} grid;

static bool naf_matches(const sector *s, const char *naf)
{
    const char *codes[] = {s->naf, s->a88, s->a38, s->a21, s->a10};
    for (size_t i = 0; i < ML_ARRAY_LEN(codes); i++)
        if (codes[i] && strcmp(codes[i], naf) == 0) return true;
    return false;
}

/* The largest zoom at which [x0, x1] × [y0, y1] fits in FIT_W × FIT_H cells. */
static int fit_zoom(uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1)
{
    for (int z = AUTO_ZOOM_MAX; z > 0; z--) {
        int shift = 32 - (z + CELL_BITS);
        if ((x1 >> shift) - (x0 >> shift) < FIT_W && (y1 >> shift) - (y0 >> shift) < FIT_H)
            return z;
    }
    return 0;
}

static ml_err check_view(ml_db *db, const ml_map_view *v)
{
    if (v->zoom < -1 || v->zoom > ML_MAP_ZOOM_MAX)
        return ml_fail(db->ctx, ML_INVALID, "zoom must be from 0 to %d", ML_MAP_ZOOM_MAX);
    if (v->has_bbox &&
        !(isfinite(v->west) && isfinite(v->east) && isfinite(v->south) && isfinite(v->north) &&
          v->west >= -180 && v->east <= 180 && v->south >= -90 && v->north <= 90 &&
          v->west < v->east && v->south < v->north))
        return ml_fail(db->ctx, ML_INVALID,
                       "bbox must be west,south,east,north in degrees, west < east (from -180 "
                       "to 180) and south < north (from -90 to 90)");
    return ml_store_check_naf(db, v->naf);
}

typedef struct names_ctx {
    const ml_map_layer *l;
    const grid *g;
    const uint32_t *rows;
    size_t next;
    json_t *points;
} names_ctx;

/* The name of a point (lib/firm's rule), NULL if none or not listable. */
static int point_name(void *ud, const ml_etab_view *v)
{
    const char *name = ml_etab_listable(v) ? ml_etab_display_name(v) : NULL;
    if (name) *(char **)ud = ml_strdup(name);
    return name && !*(char **)ud;
}

static int add_point(names_ctx *c, int64_t siret, const char *name)
{
    const ml_map_layer *l = c->l;
    uint32_t i = c->rows[c->next++];
    assert(l->siret[i] == siret);
    const sector *s = &l->sectors[l->sector[i]];
    char sirets[ML_SIRET_SIZE];
    ml_siret_format(siret, sirets);
    json_t *p = json_pack(
        "{s:[I,I], s:s, s:s?, s:o, s:o, s:s?, s:s?, s:b, s:b}", "cell",
        (json_int_t)(l->x[i] >> c->g->shift), (json_int_t)(l->y[i] >> c->g->shift), "siret", sirets,
        "name", name, "lat", degrees(lat_of(l->y[i] + 0.5)), "lon", degrees(lon_of(l->x[i] + 0.5)),
        "a10", s->a10, "naf", s->naf, "approximate", (l->flags[i] & FLAG_APPROX) != 0, "generated",
        (l->flags[i] & FLAG_GENERATED) != 0);
    return p ? json_array_append_new(c->points, p) : -1;
}

/* Row order of the points: by cell (row-major), then SIRET. qsort has no
 * user pointer: the layer and the shift are the sorting thread's own. */
static _Thread_local const ml_map_layer *sort_layer;
static _Thread_local int sort_shift;

static int cmp_rows(const void *a, const void *b)
{
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const ml_map_layer *l = sort_layer;
    uint32_t yi = l->y[i] >> sort_shift, yj = l->y[j] >> sort_shift;
    if (yi != yj) return yi < yj ? -1 : 1;
    uint32_t xi = l->x[i] >> sort_shift, xj = l->x[j] >> sort_shift;
    if (xi != xj) return xi < xj ? -1 : 1;
    return l->siret[i] < l->siret[j] ? -1 : l->siret[i] > l->siret[j];
}

ml_err ml_map_clusters(ml_db *db, const ml_map_layer *l, const ml_map_view *v, json_t **out)
{
    *out = NULL;
    ml_err r = check_view(db, v);
    if (r) return r;
    /* Which establishments count: the NAF filter, by sector. */
    bool match[SECTOR_MAX];
    for (size_t s = 0; s < l->nsectors; s++)
        match[s] = !v->naf || naf_matches(&l->sectors[s], v->naf);
    size_t territory_total = 0;
    for (size_t i = 0; i < l->n; i++)
        territory_total += match[l->sector[i]];
    /* The view, in fixed point. */
    bool empty = !v->has_bbox && l->n == 0;
    uint32_t x0 = v->has_bbox ? merc_x(v->west) : l->min_x;
    uint32_t x1 = v->has_bbox ? merc_x(v->east) : l->max_x;
    uint32_t y0 = v->has_bbox ? merc_y(v->north) : l->min_y;
    uint32_t y1 = v->has_bbox ? merc_y(v->south) : l->max_y;
    grid g = {.zoom = v->zoom >= 0 ? v->zoom : empty ? 5 : fit_zoom(x0, y0, x1, y1)};
    g.shift = 32 - (g.zoom + CELL_BITS);
    g.cx0 = x0 >> g.shift;
    g.cy0 = y0 >> g.shift;
    g.w = (x1 >> g.shift) - g.cx0 + 1;
    g.h = (y1 >> g.shift) - g.cy0 + 1;
    if ((uint64_t)g.w * g.h > ML_MAP_CELLS_MAX)
        return ml_fail(db->ctx, ML_INVALID,
                       "the box covers %llu cells of %d pixels at zoom %d, more than %d: send a "
                       "smaller bbox or a lower zoom",
                       (unsigned long long)g.w * g.h, ML_MAP_CELL_PX, g.zoom, ML_MAP_CELLS_MAX);
    if (empty) g.w = g.h = 0;
    g.cells = calloc((size_t)g.w * g.h + 1, sizeof *g.cells);
    if (!g.cells) return ml_fail(db->ctx, ML_NOMEM, "out of memory");

    /* Count every establishment of the view into its cell. */
    size_t total = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!match[l->sector[i]]) continue;
        uint32_t cx = l->x[i] >> g.shift, cy = l->y[i] >> g.shift;
        if (cx < g.cx0 || cx - g.cx0 >= g.w || cy < g.cy0 || cy - g.cy0 >= g.h) continue;
        cell *c = &g.cells[(size_t)(cy - g.cy0) * g.w + (cx - g.cx0)];
        if (c->count == 0 || l->x[i] < c->min_x) c->min_x = l->x[i];
        if (c->count == 0 || l->x[i] > c->max_x) c->max_x = l->x[i];
        if (c->count == 0 || l->y[i] < c->min_y) c->min_y = l->y[i];
        if (c->count == 0 || l->y[i] > c->max_y) c->max_y = l->y[i];
        c->count++;
        c->sx += l->x[i];
        c->sy += l->y[i];
        c->a10[l->sectors[l->sector[i]].a10_index]++;
        total++;
    }
    /* Which cells show their establishments: the few ones, or all of them
     * from ML_MAP_ALL_ZOOM; never more than ML_MAP_POINTS_MAX in all. */
    size_t ncells = (size_t)g.w * g.h, few = 0;
    bool all = g.zoom >= ML_MAP_ALL_ZOOM && total <= ML_MAP_POINTS_MAX;
    for (size_t k = 0; k < ncells; k++)
        if (g.cells[k].count && (all || g.cells[k].count <= ML_MAP_FEW)) few += g.cells[k].count;
    bool points = few <= ML_MAP_POINTS_MAX;
    for (size_t k = 0; k < ncells && points; k++)
        g.cells[k].points = g.cells[k].count && (all || g.cells[k].count <= ML_MAP_FEW);

    json_t *clusters = json_array(), *pts = json_array();
    ml_json_build jb = {0};
    for (size_t k = 0; k < ncells; k++) {
        const cell *c = &g.cells[k];
        if (!c->count || c->points) continue;
        int best = -1;
        for (int s = 0; s < NA10 - 1; s++)
            if (c->a10[s] && (best < 0 || c->a10[s] > c->a10[best])) best = s;
        json_array_append_new(
            clusters, ml_json_pack(&jb, "{s:[I,I], s:o, s:o, s:I, s:s?, s:I, s:[o,o,o,o]}", "cell",
                                   (json_int_t)(g.cx0 + k % g.w), (json_int_t)(g.cy0 + k / g.w),
                                   "lat", degrees(lat_of(c->sy / c->count)), "lon",
                                   degrees(lon_of(c->sx / c->count)), "count", (json_int_t)c->count,
                                   "a10", best >= 0 ? a10_codes[best] : NULL, "a10_count",
                                   (json_int_t)(best >= 0 ? c->a10[best] : 0), "bounds",
                                   degrees(lon_of(c->min_x)), degrees(lat_of(c->max_y + 1.0)),
                                   degrees(lon_of(c->max_x + 1.0)), degrees(lat_of(c->min_y))));
    }
    /* The points, with their names. */
    uint32_t *rows = points && few ? malloc(few * sizeof *rows) : NULL;
    size_t nrows = 0;
    int64_t *sirets = rows ? malloc(few * sizeof *sirets) : NULL;
    if (points && few && (!rows || !sirets)) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; rows && i < l->n && nrows < few; i++) {
        if (!match[l->sector[i]]) continue;
        uint32_t cx = l->x[i] >> g.shift, cy = l->y[i] >> g.shift;
        if (cx < g.cx0 || cx - g.cx0 >= g.w || cy < g.cy0 || cy - g.cy0 >= g.h) continue;
        if (g.cells[(size_t)(cy - g.cy0) * g.w + (cx - g.cx0)].points) rows[nrows++] = (uint32_t)i;
    }
    sort_layer = l;
    sort_shift = g.shift;
    if (nrows) qsort(rows, nrows, sizeof *rows, cmp_rows);
    for (size_t k = 0; k < nrows; k++)
        sirets[k] = l->siret[rows[k]];
    names_ctx nc = {.l = l, .g = &g, .rows = rows, .points = pts};
    for (size_t k = 0; k < nrows && !r; k++) {
        char *name = NULL;
        if (!(r = db->be->etab_get(db, sirets[k], point_name, &name)) &&
            add_point(&nc, sirets[k], name))
            r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        free(name);
    }
    if (r) goto out;

    double side = (double)(1ull << g.shift); /* a cell, in fixed-point units */
    json_t *bbox =
        empty ? json_null()
              : ml_json_pack(&jb, "[o,o,o,o]", degrees(lon_of(g.cx0 * side)),
                             degrees(lat_of((g.cy0 + g.h) * side)),
                             degrees(lon_of((g.cx0 + g.w) * side)), degrees(lat_of(g.cy0 * side)));
    json_t *extent = l->n == 0
                         ? json_null()
                         : ml_json_pack(&jb, "[o,o,o,o]", degrees(lon_of(l->min_x)),
                                        degrees(lat_of(l->max_y + 1.0)),
                                        degrees(lon_of(l->max_x + 1.0)), degrees(lat_of(l->min_y)));
    *out = ml_json_pack(
        &jb, "{s:O, s:i, s:i, s:o, s:o, s:s?, s:I, s:I, s:o, s:o, s:s}", "territory", l->territory,
        "zoom", g.zoom, "cell_px", ML_MAP_CELL_PX, "bbox", bbox, "extent", extent, "naf", v->naf,
        "total", (json_int_t)total, "territory_total", (json_int_t)territory_total, "clusters",
        clusters, "points", pts, "privacy",
        "counts and points are active establishments with public diffusion (statut O) that have "
        "a position; an establishment with restricted diffusion (statut P) is never placed nor "
        "counted on the map");
    clusters = pts = NULL;
    if ((r = ml_json_done(db->ctx, &jb))) {
        json_decref(*out);
        *out = NULL;
    }
out:
    json_decref(clusters);
    json_decref(pts);
    free(rows);
    free(sirets);
    free(g.cells);
    return r;
}

/* Points of a territory's active, public, placed establishments. */
typedef struct points_ctx {
    json_t *pts;
    unsigned limit;
    bool truncated;
} points_ctx;

static int add_listed(void *ud, const ml_etab_view *v)
{
    points_ctx *c = ud;
    if (!ml_etab_listable(v)) return 0;
    if (json_array_size(c->pts) == c->limit) {
        c->truncated = true; /* the backend was asked for limit + 1 rows */
        return 0;
    }
    char siret[ML_SIRET_SIZE];
    ml_siret_format(v->e.siret, siret);
    const char *name = ml_etab_display_name(v), *a10 = v->a10;
    return json_array_append_new(
        c->pts, json_pack("{s:s, s:s?, s:f, s:f, s:s?, s:s?, s:b, s:b}", "siret", siret, "name",
                          name, "lat", v->e.lat, "lon", v->e.lon, "a10", a10, "naf", v->e.naf,
                          "approximate", v->e.geo == ML_GEO_COMMUNE, "generated",
                          v->e.generated));
}

ml_err ml_map_points(ml_db *db, const char *territory, const char *naf, unsigned limit,
                     json_t **out)
{
    *out = NULL;
    if (limit == 0 || limit > 100000)
        return ml_fail(db->ctx, ML_INVALID, "limit must be from 1 to 100000");
    ml_err r = ml_store_check_naf(db, naf);
    if (r) return r;
    ml_place p;
    if ((r = ml_place_resolve(db, territory, &p))) return r;
    points_ctx c = {.pts = json_array(), .limit = limit};
    if (!c.pts) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if ((r = db->be->place_etabs(db, &p, naf, true, limit + 1, add_listed, &c))) {
        json_decref(c.pts);
        return r;
    }
    *out = json_pack("{s:o, s:o, s:b}", "territory", ml_place_json(&p), "points", c.pts,
                     "truncated", c.truncated);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}
