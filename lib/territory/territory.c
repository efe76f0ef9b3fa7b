/* territory.c — territory codes and summaries (territory.h). The summary's
 * figures come from the backend as raw counts in groups (ml_place_cell);
 * every count passes through lib/privacy before it is returned. */
#include <stdlib.h>
#include <string.h>

#include "core/size_band.h"
#include "privacy/privacy.h"
#include "territory/territory.h"

/* The populations shipped in data/geo/communes.csv (@etalab/decoupage-administratif
 * 6.0.0: INSEE's legal populations of this year, in force from 1 January of
 * the next but two; Marseille 886,040, Paris 2,103,778). See data/SOURCES.md. */
#define ML_POPULATION_YEAR 2023
#define ML_POPULATION_NEXT 2026

static const struct {
    const char *prefix, *name;
} kinds[] = {
    [ML_PLACE_COUNTRY] = {"", "country"},
    [ML_PLACE_COMMUNE] = {"com:", "commune"},
    [ML_PLACE_EPCI] = {"epci:", "epci"},
    [ML_PLACE_DEPARTEMENT] = {"dep:", "departement"},
    [ML_PLACE_REGION] = {"reg:", "region"},
    [ML_PLACE_PERIMETER] = {"", "perimeter"},
};

/* Only codes of letters, digits and dots name a place. */
static bool code_ok(const char *code)
{
    if (!code || !*code || strlen(code) > 12) return false;
    for (const char *p = code; *p; p++)
        if (!((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || *p == '.'))
            return false;
    return true;
}

ml_err ml_place_resolve(ml_db *db, const char *code, ml_place *p)
{
    memset(p, 0, sizeof *p);
    p->population = -1;
    ml_err r = ml_store_check_territory(db, code); /* the shapes of codes */
    if (r) return r;
    if (strcmp(code, "FR") == 0 || strcmp(code, "fr") == 0) {
        p->kind = ML_PLACE_COUNTRY;
        ml_snprintf(p->code, sizeof p->code, "FR");
        ml_snprintf(p->name, sizeof p->name, "France");
        return db->be->place(db, p);
    }
    if (ml_perimeter_code_shape(code)) {
        p->kind = ML_PLACE_PERIMETER;
        ml_snprintf(p->code, sizeof p->code, "%s", code);
        r = db->be->place(db, p);
        if (r == ML_NOTFOUND)
            return ml_fail(db->ctx, ML_NOTFOUND,
                           "no perimeter with code '%s' (`maillage territory list` lists them)",
                           code);
        return r;
    }
    int k = -1;
    const char *c = code;
    for (size_t i = ML_PLACE_COMMUNE; i < ML_PLACE_PERIMETER; i++) {
        size_t pl = strlen(kinds[i].prefix);
        if (strncmp(code, kinds[i].prefix, pl) == 0) {
            k = (int)i;
            c = code + pl;
        }
    }
    size_t n = strlen(c);
    if (!code_ok(c)) return ml_fail(db->ctx, ML_INVALID, "invalid territory code '%.40s'", code);
    /* Without a prefix, the length says what a code is: 9 digits an EPCI's
     * SIREN, 5 a commune, 2 or 3 a département (2A, 971). */
    if (k < 0)
        k = n == 9 ? ML_PLACE_EPCI : n == 5 ? ML_PLACE_COMMUNE
            : (n == 2 || n == 3)            ? ML_PLACE_DEPARTEMENT
                                            : -1;
    if (k < 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "cannot tell what '%.40s' is: use a commune (13055), EPCI (200054807), "
                       "département (13) code, reg:93 for a région, or FR",
                       code);
    p->kind = (ml_place_level)k;
    ml_snprintf(p->code, sizeof p->code, "%s", c);
    r = db->be->place(db, p);
    if (r == ML_NOTFOUND)
        return ml_fail(db->ctx, ML_NOTFOUND, "no %s with code '%s'", kinds[k].name, c);
    return r;
}

json_t *ml_place_json(const ml_place *p)
{
    return json_pack("{s:s, s:s, s:s}", "kind", kinds[p->kind].name, "code", p->code, "name",
                     p->name);
}

/* ----------------------------------------------------------------- summary */

typedef struct summary {
    json_t *dims[4]; /* active establishments by A10, A38, size band, commune: {code: n} */
    ml_estab_figures fig;
    int64_t run, size_year;
    char created[16];
    bool failed;
} summary;

static int add_cell(void *ud, const ml_place_cell *c)
{
    summary *s = ud;
    s->fig.total += c->total;
    s->fig.active += c->active;
    s->fig.restricted += c->restricted;
    s->fig.generated += c->generated;
    s->fig.approximate += c->approximate;
    s->fig.employers += c->employers;
    if (c->run > s->run) s->run = c->run;
    if (c->latest_created && strcmp(c->latest_created, s->created) > 0)
        ml_snprintf(s->created, sizeof s->created, "%s", c->latest_created);
    if (c->size_year > s->size_year) s->size_year = c->size_year;
    if (c->active == 0) return 0;
    const char *keys[4] = {c->a10, c->a38, c->size_band, c->commune};
    for (int d = 0; d < 4; d++) {
        const char *key = keys[d] ? keys[d] : "??"; /* an activity code missing from the NAF */
        json_t *cur = json_object_get(s->dims[d], key);
        if (json_object_set_new(s->dims[d], key,
                                json_integer(c->active + (cur ? json_integer_value(cur) : 0))))
            return 1;
    }
    return 0;
}

/* Where the figures come from, with their dates: the SIRENE import behind
 * them (the latest run that wrote one of its establishments), the latest
 * creation date and headcount year found in them, the population vintage and
 * the geography (data/SOURCES.md). */
static json_t *sources(ml_db *db, const summary *s)
{
    char finished[32] = "";
    if (s->run > 0 && db->be->run_finished(db, s->run, finished, sizeof finished)) return NULL;
    json_t *sirene = json_pack("{s:b, s:s?, s:s?, s:o}", "generated", s->fig.generated > 0,
                               "imported", finished[0] ? finished : NULL, /* UTC */
                               "latest_creation", s->created[0] ? s->created : NULL,
                               "headcount_year",
                               s->size_year > 0 ? json_integer(s->size_year) : json_null());
    return json_pack(
        "{s:o, s:{s:i, s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}}", "sirene", sirene, "population",
        "year", ML_POPULATION_YEAR, "label_fr",
        "Populations légales " ML_STR(ML_POPULATION_YEAR) " de l'Insee (en vigueur au 1er janvier "
        ML_STR(ML_POPULATION_NEXT) ")",
        "label_en",
        "INSEE legal populations " ML_STR(ML_POPULATION_YEAR) " (in force from 1 January "
        ML_STR(ML_POPULATION_NEXT) ")",
        "geography", "label_fr",
        "Code officiel géographique 2026 (Insee) et EPCI au 1er janvier 2026 (DGCL)", "label_en",
        "INSEE official geographic code 2026 and EPCI as of 1 January 2026 (DGCL)", "sectors",
        "label_fr", "Nomenclature d'activités française NAF rév. 2 (Insee), niveaux A10 et A38",
        "label_en", "French classification of activities NAF rev. 2 (INSEE), A10 and A38 levels");
}

void ml_label_level(void *ud, const char *code, json_t *cell)
{
    const ml_labeller *l = ud;
    char fr[256], en[256];
    if (l->db->be->level_label(l->db, l->level, code, fr, en, sizeof fr) || !fr[0]) return;
    json_object_set_new(cell, "label_fr", json_string(fr));
    json_object_set_new(cell, "label_en", json_string(en));
    json_object_set_new(cell, "label", json_string(en));
}

void ml_label_size(void *ud, const char *code, json_t *cell)
{
    (void)ud;
    const ml_size_band *b = ml_size_band_of(code);
    if (!b) return;
    json_object_set_new(cell, "label", json_string(b->en));
    json_object_set_new(cell, "label_fr", json_string(b->fr));
}

void ml_label_place(void *ud, const char *code, json_t *cell)
{
    const ml_labeller *l = ud;
    ml_place p = {.kind = l->place};
    ml_snprintf(p.code, sizeof p.code, "%s", code);
    if (l->db->be->place(l->db, &p) == ML_OK) json_object_set_new(cell, "label", json_string(p.name));
}

/* Size bands in their own order (0 employees first, unknown headcount and
 * "other" last), as a reader of a size distribution expects. */
static int size_order(json_t *v)
{
    const char *c = json_string_value(json_object_get(v, "code"));
    if (!c) return 1000; /* "other" last */
    int r = ml_size_rank(c);
    return r ? r : 999;  /* "NN" before "other" */
}

static int by_size_order(const void *pa, const void *pb)
{
    return size_order(*(json_t *const *)pa) - size_order(*(json_t *const *)pb);
}


static ml_err build_summary(ml_db *db, const char *code, json_t **out)
{
    ml_place p;
    ml_err r = ml_place_resolve(db, code, &p);
    if (r || (r = db->be->place_size(db, &p))) return r;
    summary s = {0};
    json_t *o = NULL;
    for (int d = 0; d < 4; d++)
        if (!(s.dims[d] = json_object())) goto nomem;
    if ((r = db->be->place_cells(db, &p, add_cell, &s))) goto out;
    json_t *info = ml_place_json(&p);
    if (info) {
        json_object_set_new(info, "communes", json_integer(p.communes));
        json_object_set_new(info, "population",
                            p.population >= 0 ? json_integer(p.population) : json_null());
    }
    ml_labeller a10 = {.db = db, .level = "A10"}, a38 = {.db = db, .level = "A38"};
    ml_labeller com = {.db = db, .place = ML_PLACE_COMMUNE};
    o = json_pack("{s:o, s:o, s:b, s:o, s:o, s:o, s:o}", "territory", info, "establishments",
                  ml_figures_json(&s.fig), "contains_generated_data", s.fig.generated > 0,
                  "sources", sources(db, &s), "by_a10",
                  ml_count_list(s.dims[0], 0, ml_label_level, &a10), "by_a38",
                  ml_count_list(s.dims[1], 0, ml_label_level, &a38), "by_size",
                  ml_count_list(s.dims[2], 0, ml_label_size, NULL));
    if (!o || ml_json_array_sort(json_object_get(o, "by_size"), by_size_order)) goto nomem;
    if (p.kind != ML_PLACE_COMMUNE) {
        json_t *top = ml_count_list(s.dims[3], 10, ml_label_place, &com);
        if (!top || json_object_set_new(o, "top_communes", top)) goto nomem;
    }
    if (json_object_set_new(o, "privacy", ml_privacy_note())) goto nomem;
    goto out;
nomem:
    r = ml_fail(db->ctx, ML_NOMEM, "out of memory summing up the territory");
out:
    for (int d = 0; d < 4; d++) json_decref(s.dims[d]);
    if (r) json_decref(o);
    else *out = o;
    return r;
}

/* The last summaries built (a summary of 500,000 establishments takes a
 * second; the page and its two exports ask for it in turn), valid while the
 * data stamp is unchanged. */
typedef struct cache {
    struct {
        char code[ML_PERIMETER_CODE_MAX + 8];
        uint64_t stamp;
        json_t *summary;
    } entry[8];
    unsigned next;
    /* Activity cells of the places last read (indicators.c): a base such as
     * a département serves every territory inside it and every level. */
    struct {
        char code[ML_PERIMETER_CODE_MAX + 8];
        uint64_t stamp;
        json_t *cells;
    } cells[4];
    unsigned next_cells;
} cache;

static void cache_free(void *ud)
{
    cache *c = ud;
    if (!c) return;
    for (size_t i = 0; i < ML_ARRAY_LEN(c->entry); i++) json_decref(c->entry[i].summary);
    for (size_t i = 0; i < ML_ARRAY_LEN(c->cells); i++) json_decref(c->cells[i].cells);
    free(c);
}

static int cell_row(void *ud, const ml_activity_cell *c)
{
    return json_array_append_new(
        ud, json_pack("[s?, s?, s?, s?, s?, I, I, I]", c->naf, c->a10, c->a21, c->size_band,
                      c->category, (json_int_t)c->active, (json_int_t)c->employers,
                      (json_int_t)c->restricted));
}

ml_err ml_territory_cells(ml_db *db, const ml_place *p, ml_activity_cell_fn fn, void *ud)
{
    if (!db->territory_cache && (db->territory_cache = calloc(1, sizeof(cache))))
        db->territory_cache_free = cache_free;
    cache *c = db->territory_cache;
    uint64_t stamp = 0;
    char key[sizeof c->cells[0].code];
    ml_snprintf(key, sizeof key, "%d:%s", (int)p->kind, p->code);
    json_t *cells = NULL;
    bool cacheable = c && db->be->data_stamp(db, &stamp) == ML_OK;
    for (size_t i = 0; cacheable && !cells && i < ML_ARRAY_LEN(c->cells); i++)
        if (c->cells[i].cells && c->cells[i].stamp == stamp && strcmp(c->cells[i].code, key) == 0)
            cells = json_incref(c->cells[i].cells);
    if (!cells) {
        if (!(cells = json_array())) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
        ml_err r = db->be->activity_cells(db, p, cell_row, cells);
        if (r) {
            json_decref(cells);
            return r;
        }
        if (cacheable) {
            unsigned k = c->next_cells++ % ML_ARRAY_LEN(c->cells);
            json_decref(c->cells[k].cells);
            ml_snprintf(c->cells[k].code, sizeof c->cells[k].code, "%s", key);
            c->cells[k].stamp = stamp;
            c->cells[k].cells = json_incref(cells);
        }
    }
    size_t i;
    json_t *v;
    int stop = 0;
    json_array_foreach(cells, i, v)
    {
        if (stop) break;
        ml_activity_cell x = {.naf = json_string_value(json_array_get(v, 0)),
                              .a10 = json_string_value(json_array_get(v, 1)),
                              .a21 = json_string_value(json_array_get(v, 2)),
                              .size_band = json_string_value(json_array_get(v, 3)),
                              .category = json_string_value(json_array_get(v, 4)),
                              .active = json_integer_value(json_array_get(v, 5)),
                              .employers = json_integer_value(json_array_get(v, 6)),
                              .restricted = json_integer_value(json_array_get(v, 7))};
        stop = fn(ud, &x);
    }
    json_decref(cells);
    return stop ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : ML_OK;
}

ml_err ml_territory_summary(ml_db *db, const char *code, json_t **out)
{
    *out = NULL;
    if (!db->territory_cache && (db->territory_cache = calloc(1, sizeof(cache))))
        db->territory_cache_free = cache_free;
    cache *c = db->territory_cache;
    uint64_t stamp = 0;
    bool cacheable = c && code && strlen(code) < sizeof c->entry[0].code &&
                     db->be->data_stamp(db, &stamp) == ML_OK;
    for (size_t i = 0; cacheable && i < ML_ARRAY_LEN(c->entry); i++)
        if (c->entry[i].summary && c->entry[i].stamp == stamp &&
            strcmp(c->entry[i].code, code) == 0) {
            *out = json_deep_copy(c->entry[i].summary);
            return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
        }
    ml_err r = build_summary(db, code, out);
    if (r || !cacheable) return r;
    unsigned k = c->next++ % ML_ARRAY_LEN(c->entry);
    json_decref(c->entry[k].summary);
    ml_snprintf(c->entry[k].code, sizeof c->entry[k].code, "%s", code);
    c->entry[k].stamp = stamp;
    c->entry[k].summary = json_deep_copy(*out);
    return ML_OK;
}

/* Communes of a territory with population and centre; Paris, Lyon and
 * Marseille are given as their arrondissements, as SIRENE codes them. */
static int commune_row(void *ud, const char *code, const char *name, int64_t population,
                       double lat, double lon, const char *departement)
{
    return json_array_append_new(
        ud, json_pack("{s:s?, s:s?, s:o, s:f, s:f, s:s?}", "code", code, "name", name,
                      "population", population >= 0 ? json_integer(population) : json_null(),
                      "lat", lat, "lon", lon, "departement", departement));
}

ml_err ml_territory_communes(ml_db *db, const char *code, json_t **out)
{
    *out = NULL;
    ml_place p;
    ml_err r = ml_place_resolve(db, code, &p);
    if (r) return r;
    json_t *list = json_array();
    if (!list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if ((r = db->be->place_communes(db, &p, commune_row, list))) {
        json_decref(list);
        return r;
    }
    *out = json_pack("{s:o, s:o}", "territory", ml_place_json(&p), "communes", list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* Children in the territorial tree. */
typedef struct children {
    const char *kind;
    json_t *list;
} children;

static int child_row(void *ud, const char *code, const char *name)
{
    children *c = ud;
    return json_array_append_new(c->list, json_pack("{s:s, s:s?, s:s?}", "kind", c->kind, "code",
                                                    code, "name", name));
}

ml_err ml_territory_children(ml_db *db, const char *parent, json_t **out)
{
    *out = NULL;
    ml_place p = {.kind = ML_PLACE_COUNTRY};
    children c = {.kind = "region"};
    if (parent && *parent) {
        /* reg:CODE gives its départements, a département code its EPCI, an
         * EPCI's SIREN its communes. */
        static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        size_t n = strlen(parent);
        if (strncmp(parent, "reg:", 4) == 0 && n > 4 && n <= 7 &&
            strspn(parent + 4, alnum) == n - 4) {
            p.kind = ML_PLACE_REGION;
            c.kind = "departement";
            ml_snprintf(p.code, sizeof p.code, "%s", parent + 4);
        } else if ((n == 2 || n == 3) && strspn(parent, alnum) == n) {
            p.kind = ML_PLACE_DEPARTEMENT;
            c.kind = "epci";
            ml_snprintf(p.code, sizeof p.code, "%s", parent);
        } else if (n == 9 && strspn(parent, "0123456789") == 9) {
            p.kind = ML_PLACE_EPCI;
            c.kind = "commune";
            ml_snprintf(p.code, sizeof p.code, "%s", parent);
        } else {
            return ml_fail(db->ctx, ML_INVALID,
                           "invalid parent '%.40s': empty (régions), reg:CODE (its départements), "
                           "a département code (its EPCI) or an EPCI SIREN (its communes)",
                           parent);
        }
    }
    if (!(c.list = json_array())) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r = db->be->place_children(db, &p, child_row, &c);
    if (r) {
        json_decref(c.list);
        return r;
    }
    *out = json_pack("{s:s?, s:o}", "parent", parent && *parent ? parent : NULL, "children",
                     c.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}
