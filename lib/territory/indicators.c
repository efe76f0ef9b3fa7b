/* indicators.c — what a territory is made of and what it is specialised in
 * (territory.h, docs/methods.md "Territory indicators"): establishments and
 * estimated jobs, the industrial share, location quotients against a base
 * territory the database covers, diversity, concentration (HHI), dependence
 * on the largest employers, company categories, creations and closures by
 * year. Every count passes lib/privacy; a figure made of fewer than 3
 * establishments is never given. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/size_band.h"
#include "privacy/privacy.h"
#include "territory/indicators_impl.h"
#include "territory/territory.h"

/* A base covers its territory when at least this share of its communes of
 * COVER_POPULATION inhabitants or more have an establishment in the
 * database (a whole stock leaves none of them empty). */
#define COVER_SHARE      0.95
#define COVER_POPULATION 1000
#define SPECIALISED_LQ   1.25 /* listed as a specialisation from this quotient */
#define SPECIALISED_MAX  20
#define DOMINANCE_MIN    10 /* employers needed before the top-5/10 shares are given */
#define YEARS_SHOWN      20
#define EPCI_CHECK_MAX   2000 /* communes of a perimeter checked to lie in one EPCI */

/* The NAF levels a breakdown may use, with the naf table's column. */
static const struct {
    const char *name; /* as the option and naf_level say it */
    int column;       /* in a row of the naf table (ML_REF_NAF), -1: the sub-class */
} levels[] = {
    {"A10", 9},  {"A21", 8},   {"A38", 7},   {"A64", 6},      {"A88", 5},
    {"A129", 4}, {"group", 3}, {"class", 2}, {"subclass", 0},
};

static int naf_add(void *ud, const char *const *f, size_t n)
{
    naf_map *m = ud;
    if (n < 10) return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        naf_row *v = realloc(m->rows, cap * sizeof *v);
        if (!v) return m->nomem = true, 1;
        m->rows = v;
        m->cap = cap;
    }
    naf_row *r = &m->rows[m->n++];
    ml_snprintf(r->code, sizeof r->code, "%s", f[0] ? f[0] : "");
    ml_snprintf(r->level, sizeof r->level, "%s", f[m->column] ? f[m->column] : "");
    ml_snprintf(r->a21, sizeof r->a21, "%s", f[8] ? f[8] : "");
    ml_snprintf(r->label, sizeof r->label, "%s", f[1] ? f[1] : "");
    return 0;
}

static int naf_cmp(const void *a, const void *b)
{
    return strcmp(((const naf_row *)a)->code, ((const naf_row *)b)->code);
}

static const naf_row *naf_find(const naf_map *m, const char *code)
{
    if (!code) return NULL;
    naf_row key;
    ml_snprintf(key.code, sizeof key.code, "%s", code);
    return bsearch(&key, m->rows, m->n, sizeof *m->rows, naf_cmp);
}

static const char *const cat_codes[CATS] = {"PME", "ETI", "GE", NULL};

static int add_cell(void *ud, const ml_activity_cell *c)
{
    tally *t = ud;
    const ml_size_band *band = ml_size_band_of(c->size_band);
    double per = band && band != &ml_size_unknown ? band->midpoint : 0;
    double jobs = per * (double)c->active;
    t->active += c->active;
    t->employers += c->employers;
    t->restricted += c->restricted;
    t->jobs += jobs;
    if (!band || band == &ml_size_unknown) t->no_headcount += c->active;
    int rank = ml_size_rank(c->size_band);
    if (rank > 0) t->bands[rank - 1] += c->active;
    const char *a21 = c->a21;
    if (a21 && strchr("BCDE", a21[0]) && a21[1] == '\0') {
        t->industry += c->active;
        t->industry_jobs += jobs;
    }
    int k = CAT_UNKNOWN;
    for (int i = 0; i < CAT_UNKNOWN; i++)
        if (c->category && strcmp(c->category, cat_codes[i]) == 0) k = i;
    t->cat[k] += c->active;
    t->cat_jobs[k] += jobs;
    const naf_row *r = naf_find(t->naf, c->naf);
    const char *key = r && r->level[0] ? r->level : "??";
    json_t *cur = json_object_get(t->by_level, key);
    if (!cur) {
        if (!(cur = json_pack("[I, f]", (json_int_t)0, 0.0)) ||
            json_object_set_new(t->by_level, key, cur))
            return t->nomem = true, 1;
    }
    json_array_set_new(cur, 0,
                       json_integer(json_integer_value(json_array_get(cur, 0)) + c->active));
    json_array_set_new(cur, 1, json_real(json_real_value(json_array_get(cur, 1)) + jobs));
    return 0;
}

ml_err ml_tally_place(ml_db *db, const ml_place *p, tally *t)
{
    if (!(t->by_level = json_object())) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r = ml_territory_cells(db, p, add_cell, t);
    if (!r && t->nomem) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    return r;
}

/* Jobs of the n largest establishments, band by band from the top. */
double ml_tally_largest_jobs(const tally *t, int64_t n)
{
    double sum = 0;
    for (int i = ML_SIZE_BANDS - 1; i >= 0 && n > 0; i--) {
        int64_t k = t->bands[i] < n ? t->bands[i] : n;
        sum += (double)k * ml_size_bands[i].midpoint;
        n -= k;
    }
    return sum;
}

static json_t *share(double part, double whole)
{
    return whole > 0 ? json_real(part / whole) : json_null();
}

/* An estimate of jobs, rounded to the unit, given only for a group of at
 * least ML_MIN_CELL establishments. */
static json_t *jobs_json(double jobs, int64_t establishments)
{
    if (establishments < ML_MIN_CELL && establishments > 0) return json_null();
    return json_integer((json_int_t)llround(jobs));
}

/* Whether the database's establishments cover a place. */
static ml_err coverage(ml_db *db, const ml_place *p, json_t **out, bool *covered)
{
    int64_t communes = 0, with = 0;
    ml_err r = db->be->place_coverage(db, p, COVER_POPULATION, &communes, &with);
    if (r) return r;
    *covered = communes > 0 && (double)with >= COVER_SHARE * (double)communes;
    *out = json_pack("{s:I, s:I, s:i}", "communes", (json_int_t)communes, "with_establishments",
                     (json_int_t)with, "min_population", COVER_POPULATION);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* The places above a commune, as territory codes. */
typedef struct chain {
    char epci[24], dep[24], reg[24];
} chain;

static int chain_row(void *ud, const char *kind, const char *code, const char *name,
                     const char *type)
{
    (void)name;
    (void)type;
    chain *c = ud;
    if (!code) return 0;
    if (strcmp(kind, "epci") == 0) ml_snprintf(c->epci, sizeof c->epci, "epci:%s", code);
    if (strcmp(kind, "departement") == 0) ml_snprintf(c->dep, sizeof c->dep, "dep:%s", code);
    if (strcmp(kind, "region") == 0) ml_snprintf(c->reg, sizeof c->reg, "reg:%s", code);
    return 0;
}

/* The base: the code asked (even if the database does not cover it: its
 * coverage is in *tried), or the widest of France, the région, the
 * département (and, for a commune or a perimeter inside one EPCI, that EPCI)
 * of the territory's first commune that the database covers.
 * Its place in *b (*found false when none); every place tried, with its
 * coverage, in *tried. */
static ml_err choose_base(ml_db *db, const ml_place *t, const char *asked, ml_place *b, bool *found,
                          json_t **tried)
{
    *found = false;
    if (!(*tried = json_array())) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    bool chosen = asked && *asked && strcmp(asked, "auto") != 0;
    char cands[4][24];
    size_t n = 0;
    if (chosen) {
        ml_snprintf(cands[n++], sizeof cands[0], "%.23s", asked);
    } else if (t->kind != ML_PLACE_COUNTRY) {
        ml_snprintf(cands[n++], sizeof cands[0], "FR");
        json_t *list = NULL;
        chain c = {{0}, {0}, {0}};
        bool one_epci = t->kind == ML_PLACE_COMMUNE;
        if (ml_territory_communes(db, t->code, &list) == ML_OK) {
            json_t *communes = json_object_get(list, "communes");
            const char *code =
                json_string_value(json_object_get(json_array_get(communes, 0), "code"));
            if (code && db->be->commune_chain(db, code, chain_row, &c)) {
                json_decref(list);
                return ml_fail(db->ctx, ML_NOMEM, "out of memory");
            }
            /* A perimeter inside one EPCI may be compared with it. */
            size_t ncom = json_array_size(communes);
            if (t->kind == ML_PLACE_PERIMETER && c.epci[0] && ncom <= EPCI_CHECK_MAX) {
                one_epci = true;
                for (size_t i = 1; one_epci && i < ncom; i++) {
                    chain o = {{0}, {0}, {0}};
                    code = json_string_value(json_object_get(json_array_get(communes, i), "code"));
                    if (!code || db->be->commune_chain(db, code, chain_row, &o))
                        one_epci = false;
                    else
                        one_epci = strcmp(o.epci, c.epci) == 0;
                }
            }
        }
        json_decref(list);
        if (t->kind != ML_PLACE_REGION && c.reg[0]) memcpy(cands[n++], c.reg, sizeof c.reg);
        if (t->kind != ML_PLACE_REGION && t->kind != ML_PLACE_DEPARTEMENT && c.dep[0])
            memcpy(cands[n++], c.dep, sizeof c.dep);
        if (one_epci && c.epci[0]) memcpy(cands[n++], c.epci, sizeof c.epci);
    }
    for (size_t i = 0; i < n && !*found; i++) {
        ml_place p;
        ml_err r = ml_place_resolve(db, cands[i], &p);
        if (r) {
            if (chosen || r == ML_NOMEM) return r;
            continue;
        }
        json_t *cov = NULL;
        bool ok = false;
        if ((r = coverage(db, &p, &cov, &ok))) return r;
        json_t *entry = ml_place_json(&p);
        if (!entry || json_object_set_new(entry, "coverage", cov) ||
            json_object_set_new(entry, "covered", json_boolean(ok)) ||
            json_array_append_new(*tried, entry))
            return ml_fail(db->ctx, ML_NOMEM, "out of memory");
        /* The base asked is used as it is; its coverage is said beside it. */
        if (ok || chosen) {
            *b = p;
            *found = true;
        }
    }
    return ML_OK;
}

/* One activity of the chosen level, with its figures and quotient. */
typedef struct activity {
    const char *code;
    int64_t n, base_n;
    double jobs, base_jobs, lq;
    bool has_lq;
} activity;

static int by_jobs_desc(const void *pa, const void *pb)
{
    const activity *a = pa, *b = pb;
    if (a->jobs != b->jobs) return a->jobs > b->jobs ? -1 : 1;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return strcmp(a->code, b->code);
}

static int by_lq_desc(const void *pa, const void *pb)
{
    const activity *a = pa, *b = pb;
    if (a->lq != b->lq) return a->lq > b->lq ? -1 : 1;
    return strcmp(a->code, b->code);
}

static void label_activity(ml_db *db, const char *level, const naf_map *naf, const char *code,
                           json_t *cell)
{
    if (strcmp(level, "subclass") == 0) {
        /* Sub-classes are labelled by the NAF itself, in French only. */
        const naf_row *r = naf_find(naf, code);
        if (r && r->label[0]) {
            json_object_set_new(cell, "label_fr", json_string(r->label));
            json_object_set_new(cell, "label", json_string(r->label));
        }
        return;
    }
    ml_labeller l = {.db = db, .level = level};
    ml_label_level(&l, code, cell);
}

static json_t *activity_json(ml_db *db, const char *level, const naf_map *naf, const activity *a,
                             double total, double base_total, bool by_jobs)
{
    double x = by_jobs ? a->jobs : (double)a->n;
    double bx = by_jobs ? a->base_jobs : (double)a->base_n;
    json_t *o =
        json_pack("{s:s, s:I, s:o, s:o, s:o, s:o}", "code", a->code, "establishments",
                  (json_int_t)a->n, "jobs", jobs_json(a->jobs, a->n), "share", share(x, total),
                  "base_share", base_total > 0 ? share(bx, base_total) : json_null(), "lq",
                  a->has_lq ? json_real(a->lq) : json_null());
    if (o) label_activity(db, level, naf, a->code, o);
    return o;
}

/* Creations and closures by year, as the backend counts them. */
typedef struct years {
    struct {
        int year;
        int64_t created, closed;
    } v[512];
    size_t n;
} years;

static int year_row(void *ud, int year, int64_t created, int64_t closed)
{
    years *y = ud;
    if (year <= 0 || y->n == ML_ARRAY_LEN(y->v)) return 0;
    y->v[y->n].year = year;
    y->v[y->n].created = created;
    y->v[y->n].closed = closed;
    y->n++;
    return 0;
}

/* The last YEARS_SHOWN years, earlier ones summed as "before"; each count
 * through the secrecy rule. */
static json_t *years_json(const years *y)
{
    json_t *list = json_array();
    size_t from = y->n > YEARS_SHOWN ? y->n - YEARS_SHOWN : 0;
    int64_t cr = 0, cl = 0;
    for (size_t i = 0; i < from; i++) {
        cr += y->v[i].created;
        cl += y->v[i].closed;
    }
    json_t *before = from ? json_pack("{s:i, s:o, s:o}", "until", y->v[from - 1].year, "created",
                                      ml_safe_count(cr), "closed", ml_safe_count(cl))
                          : json_null();
    for (size_t i = from; list && i < y->n; i++)
        if (json_array_append_new(list, json_pack("{s:i, s:o, s:o}", "year", y->v[i].year,
                                                  "created", ml_safe_count(y->v[i].created),
                                                  "closed", ml_safe_count(y->v[i].closed))))
            break;
    return json_pack("{s:o, s:o}", "by_year", list, "before", before);
}

void ml_tally_free(tally *t)
{
    json_decref(t->by_level);
}

ml_err ml_naf_map_load(ml_db *db, naf_map *m, int column)
{
    m->column = column;
    ml_err r = db->be->ref_scan(db, ML_REF_NAF, naf_add, m);
    if (!r && m->nomem) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r) qsort(m->rows, m->n, sizeof *m->rows, naf_cmp);
    return r;
}

ml_err ml_territory_indicators(ml_db *db, const char *code, const ml_indicator_opts *opts,
                               json_t **out)
{
    *out = NULL;
    const char *level = opts && opts->level && *opts->level ? opts->level : "A38";
    int column = -1;
    for (size_t i = 0; i < ML_ARRAY_LEN(levels); i++)
        if (strcmp(level, levels[i].name) == 0) column = levels[i].column;
    if (column < 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "unknown level '%.20s': A10, A21, A38, A64, A88, A129, group, class or "
                       "subclass",
                       level);
    bool by_jobs = !(opts && opts->by_establishments);
    ml_place p, b;
    ml_err r = ml_place_resolve(db, code, &p);
    if (r || (r = db->be->place_size(db, &p))) return r;
    naf_map naf = {0};
    tally t = {.naf = &naf}, bt = {.naf = &naf};
    json_t *tried = NULL, *o = NULL;
    bool has_base = false;
    if ((r = ml_naf_map_load(db, &naf, column))) goto out;
    if ((r = ml_tally_place(db, &p, &t))) goto out;
    if ((r = choose_base(db, &p, opts ? opts->base : NULL, &b, &has_base, &tried))) goto out;
    if (has_base && (r = ml_tally_place(db, &b, &bt))) goto out;

    /* Activities of the level, with their quotients. */
    size_t na = json_object_size(t.by_level), k = 0;
    activity *acts = calloc(na ? na : 1, sizeof *acts);
    if (!acts) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    double total = by_jobs ? t.jobs : (double)t.active;
    double base_total = by_jobs ? bt.jobs : (double)bt.active;
    const char *key;
    json_t *v;
    json_object_foreach(t.by_level, key, v)
    {
        activity *a = &acts[k++];
        a->code = key;
        a->n = json_integer_value(json_array_get(v, 0));
        a->jobs = json_real_value(json_array_get(v, 1));
        json_t *bv = has_base ? json_object_get(bt.by_level, key) : NULL;
        a->base_n = bv ? json_integer_value(json_array_get(bv, 0)) : 0;
        a->base_jobs = bv ? json_real_value(json_array_get(bv, 1)) : 0;
        double x = by_jobs ? a->jobs : (double)a->n;
        double bx = by_jobs ? a->base_jobs : (double)a->base_n;
        a->has_lq = has_base && total > 0 && base_total > 0 && bx > 0;
        a->lq = a->has_lq ? (x / total) / (bx / base_total) : 0;
    }
    qsort(acts, na, sizeof *acts, by_jobs_desc);
    json_t *list = json_array(), *spec = json_array();
    int64_t hidden = 0, present = 0, specialised = 0;
    double hhi = 0;
    for (size_t i = 0; list && spec && i < na; i++) {
        const activity *a = &acts[i];
        double x = by_jobs ? a->jobs : (double)a->n;
        if (total > 0) hhi += (x / total) * (x / total);
        if (a->n > 0) present++;
        if (ml_count_secret(a->n) || strcmp(a->code, "??") == 0) {
            hidden += a->n;
            continue;
        }
        if (a->has_lq && a->lq >= 1.0) specialised++;
        json_array_append_new(list, activity_json(db, level, &naf, a, total, base_total, by_jobs));
    }
    qsort(acts, na, sizeof *acts, by_lq_desc);
    for (size_t i = 0; list && spec && i < na && json_array_size(spec) < SPECIALISED_MAX; i++) {
        const activity *a = &acts[i];
        if (!a->has_lq || a->lq < SPECIALISED_LQ || ml_count_secret(a->n) ||
            strcmp(a->code, "??") == 0)
            continue;
        json_array_append_new(spec, activity_json(db, level, &naf, a, total, base_total, by_jobs));
    }
    free(acts);
    if (!list || !spec) {
        json_decref(list);
        json_decref(spec);
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }

    /* Company categories (INSEE's PME, ETI, GE of the legal unit). */
    json_t *cats = json_object();
    for (int i = 0; cats && i < CATS; i++)
        if (t.cat[i])
            json_object_set_new(cats, cat_codes[i] ? cat_codes[i] : "unknown",
                                json_integer(t.cat[i]));
    json_t *cat_list = cats ? ml_count_list(cats, 0, NULL, NULL) : NULL;
    json_decref(cats);
    /* Each listed category with its share and jobs; the "other" cell of
     * the secrecy rule (at least 3 establishments) with what is left. */
    int64_t left_n = t.active;
    double left_jobs = t.jobs;
    json_t *other = NULL;
    for (size_t i = 0; cat_list && i < json_array_size(cat_list); i++) {
        json_t *c = json_array_get(cat_list, i);
        const char *cc = json_string_value(json_object_get(c, "code"));
        if (!cc) other = c;
        for (int j = 0; cc && j < CATS; j++)
            if ((cat_codes[j] && strcmp(cc, cat_codes[j]) == 0) ||
                (!cat_codes[j] && strcmp(cc, "unknown") == 0)) {
                json_object_set_new(c, "share", share((double)t.cat[j], (double)t.active));
                json_object_set_new(c, "jobs", jobs_json(t.cat_jobs[j], t.cat[j]));
                json_object_set_new(c, "jobs_share", share(t.cat_jobs[j], t.jobs));
                left_n -= t.cat[j];
                left_jobs -= t.cat_jobs[j];
            }
    }
    if (other && !ml_count_secret(left_n)) {
        json_object_set_new(other, "share", share((double)left_n, (double)t.active));
        json_object_set_new(other, "jobs", jobs_json(left_jobs, left_n));
        json_object_set_new(other, "jobs_share", share(left_jobs, t.jobs));
    }

    /* Creations and closures by year. */
    years *y = calloc(1, sizeof *y);
    if (!y)
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    else
        r = db->be->place_years(db, &p, year_row, y);
    json_t *years_o = !r ? years_json(y) : NULL;
    free(y);
    if (r) {
        json_decref(list);
        json_decref(spec);
        json_decref(cat_list);
        goto out;
    }
    bool dominance = t.employers >= DOMINANCE_MIN;
    json_t *territory = ml_place_json(&p);
    if (territory) {
        json_object_set_new(territory, "communes", json_integer(p.communes));
        json_object_set_new(territory, "population",
                            p.population >= 0 ? json_integer(p.population) : json_null());
    }
    ml_json_build jb = {0};
    o = ml_json_pack(
        &jb,
        "{s:o, s:o, s:o, s:s, s:s, s:{s:o, s:o, s:o, s:o, s:o, s:{s:o, s:o, s:o, s:o},"
        " s:{s:I, s:I}, s:o, s:{s:o, s:o}}, s:o, s:o, s:o, s:o, s:o}",
        "territory", territory, "base", has_base ? ml_place_json(&b) : json_null(), "bases_tried",
        tried, "level", level, "value", by_jobs ? "jobs" : "establishments", "figures",
        "establishments", ml_safe_count(t.active), "employer_establishments",
        ml_safe_count(t.employers), "without_headcount", ml_safe_count(t.no_headcount),
        "jobs_estimated", jobs_json(t.jobs, t.active), "restricted", ml_safe_count(t.restricted),
        "industry", "establishments", ml_safe_count(t.industry), "share",
        ml_count_secret(t.industry) ? json_null() : share((double)t.industry, (double)t.active),
        "jobs", jobs_json(t.industry_jobs, t.industry), "jobs_share",
        ml_count_secret(t.industry) ? json_null() : share(t.industry_jobs, t.jobs), "diversity",
        "activities", (json_int_t)present, "specialised", (json_int_t)specialised, "hhi",
        total > 0 ? json_real(hhi) : json_null(), "largest", "top5_jobs_share",
        dominance ? share(ml_tally_largest_jobs(&t, 5), t.jobs) : json_null(), "top10_jobs_share",
        dominance ? share(ml_tally_largest_jobs(&t, 10), t.jobs) : json_null(), "activities", list,
        "specialisations", spec, "company_categories", cat_list, "years", years_o, "privacy",
        ml_privacy_note());
    tried = NULL; /* stolen */
    if (o && hidden) json_object_set_new(o, "activities_hidden", ml_safe_count(hidden));
    if (!r) r = ml_json_done(db->ctx, &jb);
out:
    json_decref(tried);
    ml_tally_free(&t);
    ml_tally_free(&bt);
    free(naf.rows);
    if (r)
        json_decref(o);
    else
        *out = o;
    return r;
}
