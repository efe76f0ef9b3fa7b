/* choropleth.c — a territory's communes with the figures a map colours them
 * by (docs/methods.md "The communes' map"): open establishments, per 1,000
 * inhabitants, and industry's share of estimated jobs. Each commune is a cell
 * of its own under the rule of docs/privacy.md: a count of 1 or 2 is not
 * given (null, "secret": true), nor a share made of 1 or 2 establishments
 * (or of all but 1 or 2). Paris, Lyon and Marseille are whole cities, as the
 * base map draws them and the backend counts them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/size_band.h"
#include "privacy/privacy.h"
#include "territory/territory.h"

#define CHOROPLETH_MAX 5000 /* communes of one map */

/* The municipal arrondissements of the three cities (INSEE's COG). */
static const struct {
    int first, last;
    const char *city, *name;
} arrondissements[] = {
    {75101, 75120, "75056", "Paris"},
    {69381, 69389, "69123", "Lyon"},
    {13201, 13216, "13055", "Marseille"},
};

/* The city an arrondissement belongs to, or NULL. */
static const char *city_of(const char *code, const char **name)
{
    if (!code || strlen(code) != 5) return NULL;
    int64_t n;
    if (ml_parse_i64(code, 5, 0, 99999, &n)) return NULL;
    for (size_t i = 0; i < ML_ARRAY_LEN(arrondissements); i++)
        if (n >= arrondissements[i].first && n <= arrondissements[i].last) {
            if (name) *name = arrondissements[i].name;
            return arrondissements[i].city;
        }
    return NULL;
}

typedef struct commune {
    char code[8], name[160], departement[4];
    int64_t population; /* -1 unknown */
    double lat, lon;
    int parts; /* arrondissements folded in (their centres averaged) */
    int64_t active, industry;
    double jobs, industry_jobs;
} commune;

typedef struct map {
    commune *v;
    size_t n, cap;
    bool nomem, too_many;
} map;

static commune *find(map *m, const char *code)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].code, code) == 0) return &m->v[i];
    return NULL;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const commune *)a)->code, ((const commune *)b)->code);
}

/* The commune of a code once the list is sorted. */
static commune *lookup(map *m, const char *code)
{
    commune key;
    ml_snprintf(key.code, sizeof key.code, "%s", code);
    return bsearch(&key, m->v, m->n, sizeof *m->v, by_code);
}

static int commune_row(void *ud, const char *code, const char *name, int64_t population,
                       double lat, double lon, const char *departement)
{
    map *m = ud;
    const char *city_name = NULL, *city = city_of(code, &city_name);
    commune *c = city ? find(m, city) : NULL;
    if (c) { /* another arrondissement of a city already listed */
        if (population >= 0 && c->population >= 0) c->population += population;
        c->lat += lat;
        c->lon += lon;
        c->parts++;
        return 0;
    }
    if (m->n == CHOROPLETH_MAX) return m->too_many = true, 1;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 128;
        commune *v = realloc(m->v, cap * sizeof *v);
        if (!v) return m->nomem = true, 1;
        m->v = v;
        m->cap = cap;
    }
    c = &m->v[m->n++];
    memset(c, 0, sizeof *c);
    ml_snprintf(c->code, sizeof c->code, "%s", city ? city : code ? code : "");
    ml_snprintf(c->name, sizeof c->name, "%s", city ? city_name : name ? name : "");
    ml_snprintf(c->departement, sizeof c->departement, "%s", departement ? departement : "");
    c->population = population;
    c->lat = lat;
    c->lon = lon;
    c->parts = 1;
    return 0;
}

static int cell_row(void *ud, const ml_place_cell *pc)
{
    map *m = ud;
    if (!pc->commune || pc->active <= 0) return 0;
    const char *city = city_of(pc->commune, NULL);
    commune *c = lookup(m, city ? city : pc->commune);
    if (!c) return 0; /* not drawn: a commune the territory's list lacks */
    const ml_size_band *band = ml_size_band_of(pc->size_band);
    double jobs = (band && band != &ml_size_unknown ? band->midpoint : 0) * (double)pc->active;
    c->active += pc->active;
    c->jobs += jobs;
    if (pc->a10 && strcmp(pc->a10, "BE") == 0) { /* sections B to E: industry */
        c->industry += pc->active;
        c->industry_jobs += jobs;
    }
    return 0;
}

static json_t *commune_json(const commune *c)
{
    bool secret = ml_count_secret(c->active);
    /* A share of jobs made of 1 or 2 establishments, or of all but 1 or 2, is not given. */
    bool share_secret = secret || ml_count_secret(c->industry) ||
                        ml_count_secret(c->active - c->industry);
    json_t *per = json_null(), *share = json_null();
    if (!secret && c->population > 0)
        per = json_real(1000.0 * (double)c->active / (double)c->population);
    if (!share_secret && c->jobs > 0) share = json_real(c->industry_jobs / c->jobs);
    return json_pack("{s:s, s:s, s:s, s:o, s:f, s:f, s:o, s:b, s:o, s:o, s:b}", "code", c->code,
                     "name", c->name, "departement", c->departement, "population",
                     c->population >= 0 ? json_integer(c->population) : json_null(), "lat",
                     c->lat / c->parts, "lon", c->lon / c->parts, "establishments",
                     ml_safe_count(c->active), "secret", secret, "per_1000", per,
                     "industry_jobs_share", share, "industry_secret", !secret && share_secret);
}

ml_err ml_territory_choropleth(ml_db *db, const char *code, json_t **out)
{
    *out = NULL;
    ml_place p;
    ml_err r = ml_place_resolve(db, code, &p);
    if (r) return r;
    map m = {0};
    r = db->be->place_communes(db, &p, commune_row, &m);
    if (m.too_many) /* the callback stopped the backend, which said "out of memory" */
        r = ml_fail(db->ctx, ML_INVALID,
                    "territory '%s' has more than %d communes: choose a département or smaller",
                    code, CHOROPLETH_MAX);
    else if (m.nomem)
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r && m.n) qsort(m.v, m.n, sizeof *m.v, by_code);
    if (!r) r = db->be->place_cells(db, &p, cell_row, &m);
    json_t *list = r ? NULL : json_array();
    for (size_t i = 0; !r && i < m.n; i++)
        if (!list || json_array_append_new(list, commune_json(&m.v[i])))
            r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    free(m.v);
    if (r) {
        json_decref(list);
        return r;
    }
    *out = json_pack("{s:o, s:o, s:o, s:o}", "territory", ml_place_json(&p), "communes", list,
                     "indicators",
                     json_pack("[s, s]", "per_1000", "industry_jobs_share"), "privacy",
                     ml_privacy_note());
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}
