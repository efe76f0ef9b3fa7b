/* rank.c — territories ranked on criteria the user chooses and weighs
 * (territory.h, docs/methods.md "Rankings"): each criterion an indicator of
 * lib/territory/indicators.c, a weight, a direction and a normalisation;
 * each territory's score broken down by criterion with its values; and,
 * for EPCI, whether they belong to a Territoire d'industrie. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/csv.h"
#include "privacy/privacy.h"
#include "territory/indicators_impl.h"
#include "territory/territory.h"

#define CRITERIA_MAX   16
#define CANDIDATES_MAX 2000
#define TREND_YEARS    3 /* the complete years a trend looks at */

/* The indicators a criterion may use. */
typedef enum {
    I_ESTABLISHMENTS,
    I_EMPLOYERS,
    I_JOBS,
    I_POPULATION,
    I_INDUSTRY_ESTABLISHMENTS,
    I_INDUSTRY_JOBS,
    I_INDUSTRY_JOBS_SHARE,
    I_INDUSTRY_ESTABLISHMENTS_SHARE,
    I_INDUSTRY_SPECIALISATION,
    I_CREATION_RATE,
    I_NET_CREATION_RATE,
    I_DIVERSITY,
    I_HHI,
    I_TOP5_SHARE,
    I_SME_JOBS_SHARE,
    I_COUNT
} indicator;

static const struct {
    const char *name, *fr, *en;
} indicators[I_COUNT] = {
    [I_ESTABLISHMENTS] = {"establishments", "Établissements ouverts", "Open establishments"},
    [I_EMPLOYERS] = {"employers", "Établissements employeurs", "Employer establishments"},
    [I_JOBS] = {"jobs", "Emplois salariés estimés", "Estimated salaried jobs"},
    [I_POPULATION] = {"population", "Population", "Population"},
    [I_INDUSTRY_ESTABLISHMENTS] = {"industry_establishments", "Établissements industriels",
                                   "Industrial establishments"},
    [I_INDUSTRY_JOBS] = {"industry_jobs", "Emplois industriels estimés",
                         "Estimated industrial jobs"},
    [I_INDUSTRY_JOBS_SHARE] = {"industry_jobs_share", "Part de l'industrie dans l'emploi",
                               "Industry's share of jobs"},
    [I_INDUSTRY_ESTABLISHMENTS_SHARE] = {"industry_establishments_share",
                                         "Part de l'industrie dans les établissements",
                                         "Industry's share of establishments"},
    [I_INDUSTRY_SPECIALISATION] = {"industry_specialisation",
                                   "Spécialisation industrielle (quotient de localisation)",
                                   "Industrial specialisation (location quotient)"},
    [I_CREATION_RATE] = {"creation_rate", "Taux de création (3 dernières années)",
                         "Creation rate (last 3 years)"},
    [I_NET_CREATION_RATE] = {"net_creation_rate", "Solde créations - fermetures (3 ans)",
                             "Net creations (last 3 years)"},
    [I_DIVERSITY] = {"diversity", "Diversité (activités A38 présentes)",
                     "Diversity (A38 activities present)"},
    [I_HHI] = {"hhi", "Concentration (Herfindahl, A38)", "Concentration (Herfindahl, A38)"},
    [I_TOP5_SHARE] = {"top5_share", "Part des 5 plus grands employeurs",
                      "Share of the 5 largest employers"},
    [I_SME_JOBS_SHARE] = {"sme_jobs_share", "Part des PME dans l'emploi", "SMEs' share of jobs"},
};

typedef enum { N_MINMAX, N_ZSCORE, N_RANK } normalisation;
static const char *const norm_names[] = {"minmax", "zscore", "rank"};

typedef struct criterion {
    indicator ind;
    double weight;
    bool lower; /* lower is better */
    normalisation norm;
} criterion;

typedef struct candidate {
    char code[ML_PERIMETER_CODE_MAX + 8];
    char name[160];
    ml_place place;
    double value[CRITERIA_MAX];
    bool has[CRITERIA_MAX];
    double norm[CRITERIA_MAX];
    double score;
    int64_t active;
    json_t *ti; /* the Territoires d'industrie it belongs to */
} candidate;

/* ------------------------------------------------------------ criteria */

typedef struct criteria {
    criterion c[CRITERIA_MAX];
    size_t n;
    char why[512];
} criteria;

static bool parse_one(criteria *cs, const char *where, const char *ind, const char *weight,
                      const char *dir, const char *norm)
{
    if (cs->n == CRITERIA_MAX) {
        ml_snprintf(cs->why, sizeof cs->why, "%s: more than %d criteria", where, CRITERIA_MAX);
        return false;
    }
    criterion c = {.weight = 1, .norm = N_MINMAX};
    int k = -1;
    for (int i = 0; i < I_COUNT; i++)
        if (ind && strcasecmp(ind, indicators[i].name) == 0) k = i;
    if (k < 0) {
        char list[600] = "";
        for (int i = 0; i < I_COUNT; i++) {
            size_t len = strlen(list);
            ml_snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", indicators[i].name);
        }
        ml_snprintf(cs->why, sizeof cs->why, "%s: unknown indicator '%.40s' (one of %s)", where,
                    ind ? ind : "", list);
        return false;
    }
    c.ind = (indicator)k;
    if (weight && *weight) {
        char *end = NULL;
        c.weight = strtod(weight, &end);
        if (!end || *end || !isfinite(c.weight) || c.weight < 0 || c.weight > 1000) {
            ml_snprintf(cs->why, sizeof cs->why,
                        "%s: weight '%.20s' is not a number from 0 to 1000", where, weight);
            return false;
        }
    }
    if (dir && *dir) {
        if (strcasecmp(dir, "lower") == 0)
            c.lower = true;
        else if (strcasecmp(dir, "higher") != 0) {
            ml_snprintf(cs->why, sizeof cs->why,
                        "%s: direction '%.20s' is neither higher nor lower", where, dir);
            return false;
        }
    }
    if (norm && *norm) {
        int m = -1;
        for (int i = 0; i < 3; i++)
            if (strcasecmp(norm, norm_names[i]) == 0) m = i;
        if (m < 0) {
            ml_snprintf(cs->why, sizeof cs->why,
                        "%s: normalisation '%.20s' is not minmax, zscore or rank", where, norm);
            return false;
        }
        c.norm = (normalisation)m;
    }
    cs->c[cs->n++] = c;
    return true;
}

typedef struct file_ctx {
    criteria *cs;
    const char *path;
    int col[4]; /* indicator, weight, direction, normalisation */
    bool bad;
} file_ctx;

static int criteria_row(void *ud, const ml_csv_row *row)
{
    file_ctx *f = ud;
    static const char *const names[4] = {"indicator", "weight", "direction", "normalisation"};
    if (row->index == 0) {
        for (int k = 0; k < 4; k++) {
            f->col[k] = -1;
            for (size_t i = 0; i < row->nfields; i++)
                if (strcasecmp(row->fields[i], names[k]) == 0) f->col[k] = (int)i;
        }
        if (f->col[0] < 0) {
            ml_snprintf(f->cs->why, sizeof f->cs->why,
                        "%s: line 1: no column 'indicator' (the header is indicator,weight,"
                        "direction,normalisation)",
                        f->path);
            f->bad = true;
            return 1;
        }
        return 0;
    }
    const char *v[4];
    for (int k = 0; k < 4; k++)
        v[k] = f->col[k] >= 0 && (size_t)f->col[k] < row->nfields ? row->fields[f->col[k]] : NULL;
    if (!v[0] || !*v[0]) return 0;
    char where[300];
    ml_snprintf(where, sizeof where, "%s: line %llu", f->path, (unsigned long long)row->line);
    if (!parse_one(f->cs, where, v[0], v[1], v[2], v[3])) {
        f->bad = true;
        return 1;
    }
    return 0;
}

/* "industry_jobs_share:3:higher:minmax,net_creation_rate:1" (the API's). */
static bool parse_text(criteria *cs, const char *text)
{
    size_t k = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, ",;\n");
        char one[200], *f[4] = {NULL, NULL, NULL, NULL};
        ml_snprintf(one, sizeof one, "%.*s", (int)(n < 199 ? n : 199), p);
        p += n + (p[n] != '\0');
        if (!one[0]) continue;
        char *save = NULL;
        int i = 0;
        for (char *tok = strtok_r(one, ":", &save); tok && i < 4; tok = strtok_r(NULL, ":", &save))
            f[i++] = tok;
        char where[64];
        ml_snprintf(where, sizeof where, "criterion %zu", ++k);
        if (!parse_one(cs, where, f[0], f[1], f[2], f[3])) return false;
    }
    return true;
}

/* ---------------------------------------------------------- candidates */

typedef struct cands {
    candidate *v;
    size_t n, cap;
    bool nomem, too_many;
} cands;

static int add_cand(void *ud, const char *code, const char *name)
{
    cands *c = ud;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->v[i].code, code) == 0) return 0;
    if (c->n == CANDIDATES_MAX) return c->too_many = true, 1;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        candidate *v = realloc(c->v, cap * sizeof *v);
        if (!v) return c->nomem = true, 1;
        c->v = v;
        c->cap = cap;
    }
    candidate *x = &c->v[c->n++];
    memset(x, 0, sizeof *x);
    ml_snprintf(x->code, sizeof x->code, "%s", code);
    ml_snprintf(x->name, sizeof x->name, "%s", name ? name : "");
    return 0;
}

static int add_ti(void *ud, const ml_perimeter *p)
{
    if (!p->kind || strcmp(p->kind, "ti2023") != 0) return 0;
    return add_cand(ud, p->code, p->name);
}

/* The territories ranked: the EPCI of a département or a région, the
 * communes of an EPCI, or the Territoires d'industrie (current phase). */
static ml_err candidates(ml_db *db, const char *among, cands *c, json_t **described)
{
    if (!among || !*among)
        return ml_fail(db->ctx, ML_INVALID,
                       "say which territories to rank: a département (its EPCI), reg:CODE (its "
                       "EPCI), an EPCI (its communes) or ti (the Territoires d'industrie)");
    ml_err r = ML_OK;
    const char *what;
    if (strcmp(among, "ti") == 0) {
        r = db->be->perimeter_list(db, add_ti, c);
        what = "Territoires d'industrie (current phase)";
        *described = json_pack("{s:s, s:s}", "code", "ti", "kind", "territoires_industrie");
    } else {
        ml_place p;
        if ((r = ml_place_resolve(db, among, &p))) return r;
        if (p.kind == ML_PLACE_DEPARTEMENT || p.kind == ML_PLACE_EPCI) {
            r = db->be->place_children(db, &p, add_cand, c);
            what = p.kind == ML_PLACE_EPCI ? "communes" : "epci";
        } else if (p.kind == ML_PLACE_REGION) {
            /* The EPCI of each of its départements (one EPCI may span two). */
            cands deps = {0};
            r = db->be->place_children(db, &p, add_cand, &deps);
            for (size_t i = 0; !r && i < deps.n; i++) {
                ml_place d = {.kind = ML_PLACE_DEPARTEMENT};
                ml_snprintf(d.code, sizeof d.code, "%s", deps.v[i].code);
                r = db->be->place_children(db, &d, add_cand, c);
            }
            free(deps.v);
            what = "epci";
        } else {
            return ml_fail(db->ctx, ML_INVALID,
                           "cannot rank inside %s: give a département, a région (reg:CODE), an "
                           "EPCI or ti",
                           among);
        }
        *described = ml_place_json(&p);
        if (*described) json_object_set_new(*described, "ranked", json_string(what));
    }
    if (r == ML_NOMEM || c->nomem) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (c->too_many)
        return ml_fail(db->ctx, ML_LIMIT, "more than %d territories to rank", CANDIDATES_MAX);
    if (r) return r;
    if (c->n < 2)
        return ml_fail(db->ctx, ML_INVALID, "%s holds fewer than 2 territories to rank", among);
    for (size_t i = 0; i < c->n; i++) {
        ml_err e = ml_place_resolve(db, c->v[i].code, &c->v[i].place);
        if (e) return e;
        if ((e = db->be->place_size(db, &c->v[i].place))) return e;
    }
    return ML_OK;
}

/* The commune -> Territoire d'industrie index, to say which EPCI belong. */
typedef struct ti_index {
    ml_db *db;
    json_t *by_commune; /* commune -> [ti codes] */
    const char *current;
    bool nomem;
} ti_index;

static int ti_commune(void *ud, const char *code, const char *name, int64_t population, double lat,
                      double lon, const char *departement)
{
    (void)name, (void)population, (void)lat, (void)lon, (void)departement;
    ti_index *x = ud;
    json_t *list = json_object_get(x->by_commune, code);
    if (!list && json_object_set_new(x->by_commune, code, list = json_array()))
        return x->nomem = true, 1;
    return json_array_append_new(list, json_string(x->current)) ? (x->nomem = true, 1) : 0;
}

static int ti_collect(void *ud, const ml_perimeter *p)
{
    if (!p->kind || strcmp(p->kind, "ti2023") != 0) return 0;
    return json_array_append_new(ud, json_string(p->code));
}

static ml_err ti_membership(ml_db *db, cands *c, bool ranking_ti)
{
    for (size_t i = 0; i < c->n; i++)
        if (!(c->v[i].ti = json_array())) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (ranking_ti) return ML_OK;
    json_t *codes = json_array();
    ti_index x = {.db = db, .by_commune = json_object()};
    ml_err r = codes && x.by_commune ? db->be->perimeter_list(db, ti_collect, codes)
                                     : ml_fail(db->ctx, ML_NOMEM, "out of memory");
    for (size_t i = 0; !r && i < json_array_size(codes); i++) {
        ml_place p = {.kind = ML_PLACE_PERIMETER};
        x.current = json_string_value(json_array_get(codes, i));
        ml_snprintf(p.code, sizeof p.code, "%s", x.current);
        r = db->be->place_communes(db, &p, ti_commune, &x);
    }
    /* An EPCI (or commune) belongs to the territories of its communes. */
    for (size_t i = 0; !r && i < c->n; i++) {
        json_t *communes = NULL;
        if ((r = ml_territory_communes(db, c->v[i].code, &communes))) break;
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(communes, "communes"), k, v)
        {
            json_t *tis =
                json_object_get(x.by_commune, json_string_value(json_object_get(v, "code")));
            size_t j;
            json_t *t;
            json_array_foreach(tis, j, t)
            {
                bool seen = false;
                for (size_t m = 0; m < json_array_size(c->v[i].ti); m++)
                    seen |= json_equal(json_array_get(c->v[i].ti, m), t);
                if (!seen) json_array_append(c->v[i].ti, t);
            }
        }
        json_decref(communes);
    }
    if (!r && x.nomem) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    json_decref(codes);
    json_decref(x.by_commune);
    return r;
}

/* ------------------------------------------------------------- values */

typedef struct years_sum {
    int latest;
    struct {
        int year;
        int64_t created, closed;
    } v[256];
    size_t n;
} years_sum;

static int year_row(void *ud, int year, int64_t created, int64_t closed)
{
    years_sum *y = ud;
    if (year <= 0 || y->n == ML_ARRAY_LEN(y->v)) return 0;
    y->v[y->n].year = year;
    y->v[y->n].created = created;
    y->v[y->n].closed = closed;
    y->n++;
    if (created > 0 && year > y->latest) y->latest = year;
    return 0;
}

/* A place's indicators, before the group's (specialisation) is known:
 * value[ind] and whether it may be given (3 establishments at least). */
typedef struct measures {
    double v[I_COUNT];
    bool has[I_COUNT];
    years_sum years;
} measures;

static ml_err measure(ml_db *db, const naf_map *naf, candidate *c, measures *m)
{
    tally t = {.naf = naf};
    ml_err r = ml_tally_place(db, &c->place, &t);
    if (!r) r = db->be->place_years(db, &c->place, year_row, &m->years);
    if (r) {
        ml_tally_free(&t);
        return r;
    }
    c->active = t.active;
    bool enough = !ml_count_secret(t.active) && t.active > 0;
#define SET(i, x, ok)                                                                              \
    do {                                                                                           \
        m->v[i] = (x);                                                                             \
        m->has[i] = (ok);                                                                          \
    } while (0)
    SET(I_ESTABLISHMENTS, (double)t.active, !ml_count_secret(t.active));
    SET(I_EMPLOYERS, (double)t.employers, !ml_count_secret(t.employers));
    SET(I_JOBS, t.jobs, enough);
    SET(I_POPULATION, (double)c->place.population, c->place.population >= 0);
    bool ind = !ml_count_secret(t.industry);
    SET(I_INDUSTRY_ESTABLISHMENTS, (double)t.industry, ind);
    SET(I_INDUSTRY_JOBS, t.industry_jobs, ind);
    SET(I_INDUSTRY_JOBS_SHARE, t.jobs > 0 ? t.industry_jobs / t.jobs : 0, ind && enough);
    SET(I_INDUSTRY_ESTABLISHMENTS_SHARE, t.active > 0 ? (double)t.industry / (double)t.active : 0,
        ind && enough);
    double hhi = 0;
    int64_t present = 0;
    const char *key;
    json_t *v;
    json_object_foreach(t.by_level, key, v)
    {
        double x = json_real_value(json_array_get(v, 1));
        if (t.jobs > 0) hhi += (x / t.jobs) * (x / t.jobs);
        if (json_integer_value(json_array_get(v, 0)) > 0 && strcmp(key, "??") != 0) present++;
    }
    SET(I_DIVERSITY, (double)present, enough);
    SET(I_HHI, hhi, enough && t.jobs > 0);
    SET(I_TOP5_SHARE, t.jobs > 0 ? ml_tally_largest_jobs(&t, 5) / t.jobs : 0,
        t.employers >= 10 && t.jobs > 0);
    SET(I_SME_JOBS_SHARE, t.jobs > 0 ? t.cat_jobs[CAT_PME] / t.jobs : 0,
        enough && t.jobs > 0 && !ml_count_secret(t.cat[CAT_PME]));
#undef SET
    ml_tally_free(&t);
    return ML_OK;
}

/* ------------------------------------------------------------- scores */

static int by_score(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return strcmp(a->code, b->code);
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Normalises criterion k over the candidates that have a value; the others
 * get the worst normalised value (0; the lowest z-score). */
static void normalise(candidate *v, size_t n, size_t k, const criterion *c)
{
    double lo = INFINITY, hi = -INFINITY, sum = 0, sq = 0;
    size_t m = 0;
    double *sorted = malloc((n ? n : 1) * sizeof *sorted);
    for (size_t i = 0; i < n; i++) {
        if (!v[i].has[k]) continue;
        double x = c->lower ? -v[i].value[k] : v[i].value[k];
        lo = fmin(lo, x);
        hi = fmax(hi, x);
        sum += x;
        sq += x * x;
        if (sorted) sorted[m] = x;
        m++;
    }
    double mean = m ? sum / (double)m : 0;
    double sd = m > 1 ? sqrt(fmax(0, (sq - (double)m * mean * mean) / (double)(m - 1))) : 0;
    if (sorted) qsort(sorted, m, sizeof *sorted, cmp_double);
    double worst_z = sd > 0 ? (lo - mean) / sd : 0;
    for (size_t i = 0; i < n; i++) {
        if (!v[i].has[k]) {
            v[i].norm[k] = c->norm == N_ZSCORE ? worst_z : 0;
            continue;
        }
        double x = c->lower ? -v[i].value[k] : v[i].value[k];
        switch (c->norm) {
        case N_MINMAX:
            v[i].norm[k] = hi > lo ? (x - lo) / (hi - lo) : 1;
            break;
        case N_ZSCORE:
            v[i].norm[k] = sd > 0 ? (x - mean) / sd : 0;
            break;
        case N_RANK: {
            /* The share of the others it beats (ties count half). */
            double below = 0, same = 0;
            for (size_t j = 0; sorted && j < m; j++) {
                if (sorted[j] < x)
                    below++;
                else if (sorted[j] == x)
                    same++;
            }
            v[i].norm[k] = m > 1 ? (below + (same - 1) / 2) / (double)(m - 1) : 1;
            break;
        }
        }
    }
    free(sorted);
}

static ml_err rank(ml_db *db, criteria *cs, const char *among, json_t **out)
{
    double wsum = 0;
    for (size_t k = 0; k < cs->n; k++)
        wsum += cs->c[k].weight;
    if (cs->n == 0 || wsum <= 0)
        return ml_fail(db->ctx, ML_INVALID, "no criterion with a positive weight");
    cands c = {0};
    json_t *described = NULL, *list = NULL, *crit = NULL;
    naf_map naf = {0};
    measures *ms = NULL;
    ml_err r = candidates(db, among, &c, &described);
    if (!r) r = ml_naf_map_load(db, &naf, 7 /* A38 */);
    if (!r && !(ms = calloc(c.n, sizeof *ms))) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    for (size_t i = 0; !r && i < c.n; i++)
        r = measure(db, &naf, &c.v[i], &ms[i]);
    if (!r) r = ti_membership(db, &c, strcmp(among, "ti") == 0);
    if (r) goto out;
    /* The group's industrial share (the specialisation's denominator) and
     * the latest year with creations (the trend looks at the complete years
     * before it). */
    double gjobs = 0, gind = 0;
    int latest = 0;
    for (size_t i = 0; i < c.n; i++) {
        gjobs += ms[i].v[I_JOBS];
        gind += ms[i].v[I_INDUSTRY_JOBS];
        if (ms[i].years.latest > latest) latest = ms[i].years.latest;
    }
    for (size_t i = 0; i < c.n; i++) {
        measures *m = &ms[i];
        double share = m->v[I_INDUSTRY_JOBS_SHARE];
        m->v[I_INDUSTRY_SPECIALISATION] = gind > 0 ? share / (gind / gjobs) : 0;
        m->has[I_INDUSTRY_SPECIALISATION] = m->has[I_INDUSTRY_JOBS_SHARE] && gind > 0;
        int64_t cr = 0, cl = 0;
        for (size_t k = 0; k < m->years.n; k++)
            if (m->years.v[k].year >= latest - TREND_YEARS && m->years.v[k].year < latest) {
                cr += m->years.v[k].created;
                cl += m->years.v[k].closed;
            }
        bool ok = c.v[i].active >= ML_MIN_CELL && latest > 0;
        m->v[I_CREATION_RATE] = ok ? (double)cr / (double)c.v[i].active : 0;
        m->has[I_CREATION_RATE] = ok && !ml_count_secret(cr);
        m->v[I_NET_CREATION_RATE] = ok ? (double)(cr - cl) / (double)c.v[i].active : 0;
        m->has[I_NET_CREATION_RATE] = ok && !ml_count_secret(cr) && !ml_count_secret(cl);
        for (size_t k = 0; k < cs->n; k++) {
            c.v[i].value[k] = m->v[cs->c[k].ind];
            c.v[i].has[k] = m->has[cs->c[k].ind];
        }
    }
    for (size_t k = 0; k < cs->n; k++)
        normalise(c.v, c.n, k, &cs->c[k]);
    for (size_t i = 0; i < c.n; i++) {
        double s = 0;
        for (size_t k = 0; k < cs->n; k++)
            s += cs->c[k].weight / wsum * c.v[i].norm[k];
        /* A territory without establishments in the database is last. */
        c.v[i].score = c.v[i].active > 0 ? s : -INFINITY;
    }
    qsort(c.v, c.n, sizeof *c.v, by_score);
    crit = json_array();
    for (size_t k = 0; crit && k < cs->n; k++)
        json_array_append_new(crit, json_pack("{s:s, s:f, s:f, s:s, s:s, s:s, s:s}", "indicator",
                                              indicators[cs->c[k].ind].name, "weight",
                                              cs->c[k].weight, "share", cs->c[k].weight / wsum,
                                              "direction", cs->c[k].lower ? "lower" : "higher",
                                              "normalisation", norm_names[cs->c[k].norm],
                                              "label_fr", indicators[cs->c[k].ind].fr, "label_en",
                                              indicators[cs->c[k].ind].en));
    list = json_array();
    size_t covered = 0, in_ti = 0;
    for (size_t i = 0; list && i < c.n; i++) {
        candidate *x = &c.v[i];
        json_t *vals = json_array();
        for (size_t k = 0; vals && k < cs->n; k++)
            json_array_append_new(vals, json_pack("{s:s, s:o, s:f, s:f}", "indicator",
                                                  indicators[cs->c[k].ind].name, "value",
                                                  x->has[k] ? json_real(x->value[k]) : json_null(),
                                                  "normalised", x->norm[k], "contribution",
                                                  cs->c[k].weight / wsum * x->norm[k]));
        bool has_data = x->active > 0;
        if (has_data) covered++;
        if (json_array_size(x->ti)) in_ti++;
        json_t *t = ml_place_json(&x->place);
        json_array_append_new(
            list, json_pack("{s:I, s:o, s:o, s:b, s:o, s:O}", "rank", (json_int_t)(i + 1),
                            "territory", t, "score", has_data ? json_real(x->score) : json_null(),
                            "has_data", has_data, "values", vals, "territoires_industrie", x->ti));
    }
    /* How many of the top-ranked belong to a Territoire d'industrie, beside
     * how many of all do: the selection's agreement with ANCT's. */
    size_t top = in_ti < covered ? in_ti : covered, top_in = 0;
    for (size_t i = 0; i < top && i < c.n; i++)
        if (json_array_size(c.v[i].ti)) top_in++;
    *out = json_pack("{s:o, s:o, s:o, s:I, s:{s:I, s:I, s:I}, s:i, s:o}", "among", described,
                     "criteria", crit, "territories", list, "with_data", (json_int_t)covered,
                     "territoires_industrie", "in_all", (json_int_t)in_ti, "top", (json_int_t)top,
                     "in_top", (json_int_t)top_in, "trend_until", latest > 0 ? latest - 1 : 0,
                     "privacy", ml_privacy_note());
    described = crit = list = NULL;
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    json_decref(described);
    json_decref(crit);
    json_decref(list);
    for (size_t i = 0; i < c.n; i++)
        json_decref(c.v[i].ti);
    free(c.v);
    free(ms);
    free(naf.rows);
    return r;
}

ml_err ml_territory_rank(ml_db *db, const char *criteria_path, const char *criteria_text,
                         const char *among, json_t **out)
{
    *out = NULL;
    criteria cs = {.n = 0};
    if (criteria_path) {
        file_ctx f = {.cs = &cs, .path = criteria_path};
        ml_err r = ml_csv_parse_file(db->ctx, criteria_path, NULL, criteria_row, &f);
        if (r == ML_INTERRUPTED || f.bad) return ml_fail(db->ctx, ML_FORMAT, "%s", cs.why);
        if (r) return r;
    } else if (!criteria_text || !parse_text(&cs, criteria_text)) {
        return ml_fail(db->ctx, ML_INVALID, "%s",
                       cs.why[0] ? cs.why
                                 : "criteria: indicator:weight:direction:normalisation, "
                                   "separated by commas");
    }
    return rank(db, &cs, among, out);
}
