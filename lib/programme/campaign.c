/* campaign.c — interview campaigns of a programme (issue 13, item 2): the
 * firms to meet, suggested from the register and the territory's
 * diagnostics (scored, each reason with its source, docs/methods.md
 * "Campaign suggestions") or added by hand, removed with a reason; their
 * planned visits and status; workshops; and the programme's engineering
 * budget in person-days (tenths of a day here) that visits and workshops
 * consume, never beyond it. */
#include <stdarg.h>
#include <time.h>

#include "core/size_band.h"
#include "firm/firm.h"
#include "privacy/privacy.h"
#include "programme/programme.h"
#include "territory/territory.h"

#define CAMP_REASONS_MAX 3000 /* a firm's reasons, as stored (JSON text) */
#define CAMP_TOP_DEFAULT 30
#define CAMP_TOP_MAX     500
#define CAMP_SCAN_MAX    50000  /* industrial establishments read from a territory */
#define CAMP_TENTHS_MAX  100000 /* 10,000 person-days: more is a typo */
#define CAMP_FIRMS_MAX   2000   /* firms on one campaign's list */

typedef struct camp {
    int64_t id, programme, created;
    char name[PROG_NAME_MAX + 1], start[11], end[11], author[160];
    bool generated;
} camp;

typedef struct cfirm {
    int64_t id, campaign, siret, siren, score, tenths, created, updated;
    char source[16], status[16], visit_day[11], visit_time[8];
    char consultant[PROG_TEXT_MAX + 1], note[PROG_TEXT_MAX + 1], author[160];
    char reasons[CAMP_REASONS_MAX + 1];
} cfirm;

static const char *const statuses[] = {"to_contact", "planned", "done", "declined", "removed"};

static int camp_row(void *ud, const char *const *c, size_t n)
{
    camp *k = ud;
    k->id = prog_col_int(c, n, 0);
    k->programme = prog_col_int(c, n, 1);
    prog_col_text(c, n, 2, k->name, sizeof k->name);
    prog_col_text(c, n, 3, k->start, sizeof k->start);
    prog_col_text(c, n, 4, k->end, sizeof k->end);
    prog_col_text(c, n, 5, k->author, sizeof k->author);
    k->created = prog_col_int(c, n, 6);
    k->generated = prog_col_int(c, n, 7) != 0;
    return 0;
}

static int cfirm_row(void *ud, const char *const *c, size_t n)
{
    cfirm *f = ud;
    f->id = prog_col_int(c, n, 0);
    f->campaign = prog_col_int(c, n, 1);
    f->siret = prog_col_int(c, n, 2);
    f->siren = prog_col_int(c, n, 3);
    prog_col_text(c, n, 4, f->source, sizeof f->source);
    f->score = prog_col_int(c, n, 5);
    prog_col_text(c, n, 6, f->reasons, sizeof f->reasons);
    prog_col_text(c, n, 7, f->note, sizeof f->note);
    prog_col_text(c, n, 8, f->status, sizeof f->status);
    prog_col_text(c, n, 9, f->visit_day, sizeof f->visit_day);
    prog_col_text(c, n, 10, f->visit_time, sizeof f->visit_time);
    prog_col_text(c, n, 11, f->consultant, sizeof f->consultant);
    f->tenths = prog_col_int(c, n, 12);
    prog_col_text(c, n, 13, f->author, sizeof f->author);
    f->created = prog_col_int(c, n, 14);
    f->updated = prog_col_int(c, n, 15);
    return 0;
}

/* A campaign and its programme, as who may see (or change) them; a
 * campaign of a programme who does not run reads as absent. */
static ml_err camp_open(ml_db *db, const ml_actor *who, int64_t id, bool write, camp *k, prog *p,
                        char role[16])
{
    memset(k, 0, sizeof *k);
    ml_sql_arg a[] = {PI(id)};
    ml_err r = prog_sql(db, ML_PROG_CAMP_BY_ID, a, 1, camp_row, k);
    if (r) return r;
    if (k->id) r = prog_open_id(db, who, k->programme, write, p, role);
    if (!k->id || r == ML_NOTFOUND)
        return ml_fail(db->ctx, ML_NOTFOUND, "no campaign %lld in the programmes you run",
                       (long long)id);
    return r;
}

static void days_text(int64_t tenths, char *out, size_t size)
{
    ml_snprintf(out, size, "%s%lld.%lld", tenths < 0 ? "-" : "",
                (long long)(tenths < 0 ? -tenths : tenths) / 10,
                (long long)(tenths < 0 ? -tenths : tenths) % 10);
}

/* ---------------------------------------------------- engineering budget */

typedef struct eng_pos {
    int64_t budget, consumed, reserved;
} eng_pos;

static int status_days_row(void *ud, const char *const *c, size_t n)
{
    eng_pos *e = ud;
    const char *status = n > 0 && c[0] ? c[0] : "";
    int64_t v = prog_col_int(c, n, 1);
    if (strcmp(status, "done") == 0) e->consumed += v;
    if (strcmp(status, "planned") == 0) e->reserved += v;
    return 0;
}

static int add_first(void *ud, const char *const *c, size_t n)
{
    *(int64_t *)ud += prog_col_int(c, n, 0);
    return 0;
}

/* The position, the visit `except` (a campaign firm's id, 0: none) left out. */
static ml_err eng_position(ml_db *db, int64_t programme, int64_t except, eng_pos *e)
{
    memset(e, 0, sizeof *e);
    ml_sql_arg a[] = {PI(programme)};
    ml_sql_arg b[] = {PI(programme), PI(except)};
    ml_err r = prog_sql(db, ML_PROG_ENG_GET, a, 1, prog_first_id, &e->budget);
    if (!r) r = prog_sql(db, ML_PROG_VISIT_DAYS, b, NARGS(b), status_days_row, e);
    if (!r) r = prog_sql(db, ML_PROG_WORKSHOP_DAYS, a, 1, add_first, &e->consumed);
    return r;
}

static json_t *eng_json(const eng_pos *e)
{
    return json_pack("{sI sI sI sI s:s}", "budget", (json_int_t)e->budget, "consumed",
                     (json_int_t)e->consumed, "reserved", (json_int_t)e->reserved, "left",
                     (json_int_t)(e->budget - e->consumed - e->reserved), "unit",
                     "tenths of a person-day");
}

/* A transaction holding the programmes' write lock (ML_PROG_LOCK), so that
 * two officers cannot both take the last days of a budget; and its end:
 * committed when r is ML_OK, else rolled back. */
static ml_err begin_locked(ml_db *db)
{
    ml_err r = db->be->begin(db);
    if (!r && (r = prog_sql(db, ML_PROG_LOCK, NULL, 0, NULL, NULL))) db->be->rollback(db);
    return r;
}

static ml_err end_locked(ml_db *db, ml_err r)
{
    if (!r) r = db->be->commit(db);
    if (r) db->be->rollback(db);
    return r;
}

/* ML_REFUSED, said why, unless `tenths` more fit in the programme's budget
 * beside what is consumed and reserved (the visit `except` left out). */
static ml_err eng_check(ml_db *db, const prog *p, int64_t except, int64_t tenths, const char *what)
{
    eng_pos e;
    ml_err r = eng_position(db, p->id, except, &e);
    if (r) return r;
    if (e.budget <= 0)
        return ml_fail(db->ctx, ML_REFUSED,
                       "programme '%s' has no engineering budget: set it first (maillage campaign "
                       "budget PROGRAMME --days N)",
                       p->name);
    int64_t left = e.budget - e.consumed - e.reserved;
    if (tenths > left) {
        char b[24], c[24], rs[24], l[24], t[24];
        days_text(e.budget, b, sizeof b);
        days_text(e.consumed, c, sizeof c);
        days_text(e.reserved, rs, sizeof rs);
        days_text(left, l, sizeof l);
        days_text(tenths, t, sizeof t);
        return ml_fail(db->ctx, ML_REFUSED,
                       "the engineering budget of programme '%s' is %s person-days: %s consumed "
                       "and %s reserved leave %s, not the %s %s takes",
                       p->name, b, c, rs, l, t, what);
    }
    return ML_OK;
}

ml_err ml_programme_engineering_position(ml_db *db, const ml_actor *who, const char *programme,
                                         json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    eng_pos e;
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = eng_position(db, p.id, 0, &e))) return r;
    *out = json_pack("{sI s:s s:o}", "programme", (json_int_t)p.id, "name", p.name, "engineering",
                     eng_json(&e));
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_programme_engineering(ml_db *db, const ml_actor *who, const char *programme,
                                int64_t tenths, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    eng_pos e;
    ml_err r = prog_open(db, who, programme, true, &p, role);
    if (r) return r;
    if (tenths <= 0 || tenths > CAMP_TENTHS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "an engineering budget is 0.1 to 10,000 person-days");
    if ((r = begin_locked(db))) return r;
    if ((r = eng_position(db, p.id, 0, &e))) return end_locked(db, r);
    if (tenths < e.consumed + e.reserved) {
        char c[24], t[24];
        days_text(e.consumed + e.reserved, c, sizeof c);
        days_text(tenths, t, sizeof t);
        return end_locked(db, ml_fail(db->ctx, ML_REFUSED,
                                      "programme '%s' has %s person-days consumed or reserved: "
                                      "its budget cannot be %s",
                                      p.name, c, t));
    }
    ml_sql_arg a[] = {PI(p.id), PI(tenths)};
    if ((r = end_locked(db, prog_sql(db, ML_PROG_ENG_SET, a, NARGS(a), NULL, NULL)))) return r;
    return ml_programme_engineering_position(db, who, programme, out);
}

/* ------------------------------------------------------------- campaigns */

static json_t *camp_json(const camp *k)
{
    return json_pack("{sI sI s:s s:s? s:s? s:s s:b}", "id", (json_int_t)k->id, "programme",
                     (json_int_t)k->programme, "name", k->name, "start",
                     k->start[0] ? k->start : NULL, "end", k->end[0] ? k->end : NULL, "author",
                     k->author, "generated", k->generated);
}

ml_err ml_campaign_add(ml_db *db, const ml_actor *who, const ml_campaign_in *in, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], start[11] = "", end[11] = "";
    ml_err r = prog_open(db, who, in->programme, true, &p, role);
    if (r || (r = prog_text_ok(db, "name", in->name, PROG_NAME_MAX, true))) return r;
    if (in->start && *in->start && (r = prog_day(db, "start", in->start, start))) return r;
    if (in->end && *in->end && (r = prog_day(db, "end", in->end, end))) return r;
    if (start[0] && end[0] && strcmp(end, start) < 0)
        return ml_fail(db->ctx, ML_INVALID, "the campaign ends (%s) before it starts (%s)", end,
                       start);
    int64_t id = 0;
    ml_sql_arg a[] = {PI(p.id),
                      PT(in->name),
                      PT(start[0] ? start : NULL),
                      PT(end[0] ? end : NULL),
                      PT(who->name),
                      PI((int64_t)time(NULL)),
                      PI(in->generated)};
    r = prog_sql(db, ML_PROG_CAMP_ADD, a, NARGS(a), prog_first_id, &id);
    if (r == ML_DB)
        return ml_fail(db->ctx, ML_INVALID, "programme '%s' already has a campaign named '%s'",
                       p.name, in->name);
    if (r) return r;
    return ml_campaign_show(db, who, id, out);
}

typedef struct firm_list {
    cfirm *v;
    size_t n, cap;
    bool nomem;
} firm_list;

static int firm_list_row(void *ud, const char *const *c, size_t n)
{
    firm_list *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        cfirm *v = realloc(l->v, cap * sizeof *v);
        if (!v) return l->nomem = true, 1;
        l->v = v;
        l->cap = cap;
    }
    memset(&l->v[l->n], 0, sizeof *l->v);
    return cfirm_row(&l->v[l->n++], c, n);
}

static ml_err firms_load(ml_db *db, int64_t campaign, firm_list *l)
{
    memset(l, 0, sizeof *l);
    ml_sql_arg a[] = {PI(campaign)};
    ml_err r = prog_sql(db, ML_PROG_CFIRMS, a, 1, firm_list_row, l);
    if (!r && l->nomem) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) free(l->v);
    return r;
}

/* The establishment's name as shown now ("" when it became restricted). */
typedef struct seen {
    char name[200], city[120];
} seen;

static int seen_row(void *ud, const ml_etab_view *v)
{
    seen *s = ud;
    bool restricted = v->e.diffusion == 'P' || (v->has_unit && v->u.diffusion == 'P');
    if (!restricted) {
        ml_snprintf(s->name, sizeof s->name, "%s", ml_etab_display_name(v));
        ml_snprintf(s->city, sizeof s->city, "%s",
                    v->commune_name ? v->commune_name
                    : v->e.city     ? v->e.city
                                    : "");
    }
    return 0;
}

static json_t *cfirm_json(ml_db *db, const cfirm *f)
{
    char siret[ML_SIRET_SIZE], days[24];
    ml_siret_format(f->siret, siret);
    days_text(f->tenths, days, sizeof days);
    seen s;
    memset(&s, 0, sizeof s);
    db->be->etab_get(db, f->siret, seen_row, &s);
    json_t *reasons = f->reasons[0] ? json_loads(f->reasons, 0, NULL) : NULL;
    return json_pack("{sI s:s s:s? s:s? s:s sI s:o s:s? s:s s:s? s:s? s:s? sI s:s s:s}", "id",
                     (json_int_t)f->id, "siret", siret, "firm", s.name[0] ? s.name : NULL, "city",
                     s.city[0] ? s.city : NULL, "source", f->source, "score", (json_int_t)f->score,
                     "reasons", reasons ? reasons : json_array(), "note",
                     f->note[0] ? f->note : NULL, "status", f->status, "visit_day",
                     f->visit_day[0] ? f->visit_day : NULL, "visit_time",
                     f->visit_time[0] ? f->visit_time : NULL, "consultant",
                     f->consultant[0] ? f->consultant : NULL, "tenths", (json_int_t)f->tenths,
                     "days", days, "author", f->author);
}

static int workshop_row(void *ud, const char *const *c, size_t n)
{
    char days[24];
    days_text(prog_col_int(c, n, 3), days, sizeof days);
    json_array_append_new(ud, json_pack("{sI s:s? s:s? sI s:s s:s?}", "id",
                                        (json_int_t)prog_col_int(c, n, 0), "title",
                                        n > 1 ? c[1] : NULL, "day", n > 2 ? c[2] : NULL, "tenths",
                                        (json_int_t)prog_col_int(c, n, 3), "days", days, "author",
                                        n > 4 ? c[4] : NULL));
    return 0;
}

ml_err ml_campaign_show(ml_db *db, const ml_actor *who, int64_t campaign, json_t **out)
{
    *out = NULL;
    camp k;
    prog p;
    char role[16];
    firm_list l;
    eng_pos e;
    ml_err r = camp_open(db, who, campaign, false, &k, &p, role);
    if (r || (r = eng_position(db, p.id, 0, &e)) || (r = firms_load(db, k.id, &l))) return r;
    json_t *j = camp_json(&k), *firms = json_array(), *removed = json_array(), *ws = json_array(),
           *counts = json_object();
    int64_t per[ML_ARRAY_LEN(statuses)] = {0};
    for (size_t i = 0; firms && removed && i < l.n; i++) {
        for (size_t s = 0; s < ML_ARRAY_LEN(statuses); s++)
            per[s] += strcmp(l.v[i].status, statuses[s]) == 0;
        json_array_append_new(strcmp(l.v[i].status, "removed") ? firms : removed,
                              cfirm_json(db, &l.v[i]));
    }
    free(l.v);
    for (size_t s = 0; counts && s < ML_ARRAY_LEN(statuses); s++)
        json_object_set_new(counts, statuses[s], json_integer(per[s]));
    ml_sql_arg a[] = {PI(k.id)};
    if (ws) r = prog_sql(db, ML_PROG_WORKSHOPS, a, 1, workshop_row, ws);
    if (!j || !firms || !removed || !ws || !counts) r = r ? r : ML_NOMEM;
    if (!r) {
        json_object_set_new(j, "programme_name", json_string(p.name));
        json_object_set_new(j, "territory",
                            p.territory[0] ? json_string(p.territory) : json_null());
        json_object_set_new(j, "role", json_string(role));
        json_object_set_new(j, "firms", firms);
        json_object_set_new(j, "removed", removed);
        json_object_set_new(j, "workshops", ws);
        json_object_set_new(j, "counts", counts);
        json_object_set_new(j, "engineering", eng_json(&e));
        *out = j;
        return ML_OK;
    }
    json_decref(j);
    json_decref(firms);
    json_decref(removed);
    json_decref(ws);
    json_decref(counts);
    return r == ML_NOMEM ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : r;
}

static int camps_row(void *ud, const char *const *c, size_t n)
{
    camp k;
    memset(&k, 0, sizeof k);
    camp_row(&k, c, n);
    json_array_append_new(ud, camp_json(&k));
    return 0;
}

ml_err ml_campaign_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    eng_pos e;
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = eng_position(db, p.id, 0, &e))) return r;
    json_t *list = json_array();
    if (!list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_sql_arg a[] = {PI(p.id)};
    if ((r = prog_sql(db, ML_PROG_CAMPS, a, 1, camps_row, list))) {
        json_decref(list);
        return r;
    }
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c)
    {
        firm_list l;
        if ((r = firms_load(db, json_integer_value(json_object_get(c, "id")), &l))) {
            json_decref(list);
            return r;
        }
        int64_t listed = 0, planned = 0, done = 0;
        for (size_t f = 0; f < l.n; f++) {
            listed += strcmp(l.v[f].status, "removed") != 0;
            planned += strcmp(l.v[f].status, "planned") == 0;
            done += strcmp(l.v[f].status, "done") == 0;
        }
        free(l.v);
        json_object_set_new(c, "firms", json_integer(listed));
        json_object_set_new(c, "planned", json_integer(planned));
        json_object_set_new(c, "done", json_integer(done));
    }
    *out = json_pack("{sI s:s s:o s:o}", "programme", (json_int_t)p.id, "name", p.name, "campaigns",
                     list, "engineering", eng_json(&e));
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ---------------------------------------------------------- suggestions */

typedef struct cand {
    int64_t siret, siren, score;
    int rank; /* size band rank */
    double jobs;
    size_t idx; /* its place in the scan, kept through the sort */
    char name[160], city[80], naf[8], a38[8], band[4], created[11], category[8];
    bool head_office;
    bool candidate; /* public, with employees: may be suggested */
} cand;

/* An A38 sector's industrial establishments and estimated jobs in the territory. */
typedef struct sector {
    char a38[8];
    int64_t n;
    double jobs;
} sector;

typedef struct naf_a38 {
    char naf[8], a38[8];
} naf_a38;

typedef struct scan {
    ml_db *db;
    cand *v;
    size_t n, cap;
    double jobs; /* estimated industrial jobs of the territory, restricted ones included */
    int64_t restricted;
    naf_a38 map[1024];
    size_t nmap;
    bool nomem;
} scan;

static int level_row(void *ud, const char *level, const char *code, const char *fr, const char *en)
{
    (void)fr;
    (void)en;
    if (strcmp(level, "A38") == 0) ml_snprintf(ud, 8, "%s", code ? code : "");
    return 0;
}

static const char *a38_of(scan *s, const char *naf)
{
    for (size_t i = 0; i < s->nmap; i++)
        if (strcmp(s->map[i].naf, naf) == 0) return s->map[i].a38;
    if (s->nmap == ML_ARRAY_LEN(s->map)) return "";
    naf_a38 *m = &s->map[s->nmap++];
    ml_snprintf(m->naf, sizeof m->naf, "%s", naf);
    m->a38[0] = '\0';
    s->db->be->naf_levels(s->db, naf, level_row, m->a38);
    return m->a38;
}

static int scan_row(void *ud, const ml_etab_view *v)
{
    scan *s = ud;
    const ml_size_band *b = ml_size_band_of(v->e.size_band);
    double mid = b ? b->midpoint : 0;
    s->jobs += mid;
    /* Every establishment counts in its sector; only public employers are candidates. */
    bool restricted = v->e.diffusion == 'P' || (v->has_unit && v->u.diffusion == 'P');
    int rank = ml_size_rank(v->e.size_band);
    s->restricted += restricted;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        cand *nv = realloc(s->v, cap * sizeof *nv);
        if (!nv) return s->nomem = true, 1;
        s->v = nv;
        s->cap = cap;
    }
    cand *c = &s->v[s->n++];
    memset(c, 0, sizeof *c);
    c->jobs = mid;
    ml_snprintf(c->naf, sizeof c->naf, "%s", v->e.naf ? v->e.naf : "");
    c->candidate = !restricted && rank >= ml_size_rank("01") && v->e.naf;
    if (!c->candidate) return 0; /* nothing of it is kept but its sector and jobs */
    c->siret = v->e.siret;
    c->siren = v->e.siren;
    c->rank = rank;
    c->head_office = v->e.head_office;
    ml_snprintf(c->name, sizeof c->name, "%s", ml_etab_display_name(v));
    ml_snprintf(c->city, sizeof c->city, "%s",
                v->commune_name ? v->commune_name
                : v->e.city     ? v->e.city
                                : "");
    ml_snprintf(c->band, sizeof c->band, "%s", v->e.size_band ? v->e.size_band : "");
    ml_snprintf(c->created, sizeof c->created, "%s", v->e.created ? v->e.created : "");
    ml_snprintf(c->category, sizeof c->category, "%s",
                v->has_unit && v->u.category ? v->u.category : "");
    return 0;
}

static int by_score(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->candidate != b->candidate) return a->candidate ? -1 : 1;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->rank != b->rank) return a->rank > b->rank ? -1 : 1;
    return a->siret < b->siret ? -1 : a->siret > b->siret;
}

static void reason(json_t *list, const char *code, int points, const char *source, json_t *values,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* One reason: its code, points, the sentence, the data it comes from, and
 * its figures (values, stolen) for a face that words it in its language. */
static void reason(json_t *list, const char *code, int points, const char *source, json_t *values,
                   const char *fmt, ...)
{
    char text[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    json_array_append_new(list, json_pack("{s:s s:i s:s s:s s:o}", "code", code, "points", points,
                                          "text", text, "source", source, "values",
                                          values ? values : json_object()));
}

/* The score of a candidate (docs/methods.md "Campaign suggestions") and
 * its reasons, each with its points and the data it comes from. */
static json_t *score_cand(cand *c, json_t *lqs, const sector *secs, size_t nsec,
                          double territory_jobs, int year_now)
{
    json_t *rs = json_array();
    int score = 0, pts;
    const ml_size_band *b = ml_size_band_of(c->band);
    pts = c->rank >= ml_size_rank("22")   ? 30
          : c->rank >= ml_size_rank("21") ? 25
          : c->rank >= ml_size_rank("12") ? 20
          : c->rank >= ml_size_rank("11") ? 15
          : c->rank >= ml_size_rank("03") ? 8
                                          : 5;
    score += pts;
    reason(rs, "size", pts, "SIRENE: trancheEffectifsEtablissement",
           json_pack("{s:s}", "band", c->band), "%s", b ? b->en : "?");
    json_t *lq = json_object_get(lqs, c->a38);
    if (json_is_number(lq)) {
        double q = json_number_value(lq);
        /* A quotient a hair above 1 is no weight: from 1.10 some, from 1.25
         * (the diagnostics' specialisation) the most. */
        pts = q >= 1.25 ? 25 : q >= 1.10 ? 10 : 0;
        score += pts;
        reason(
            rs, "sector", pts, "territory diagnostics: location quotient of estimated jobs (A38)",
            json_pack("{s:s s:f}", "a38", c->a38, "lq", q), "sector %s: location quotient %.2f%s",
            c->a38, q, q >= 1.25 ? " (a specialisation of the territory)" : "");
    } else {
        /* No base territory covered for a quotient: the sector's share of
         * the territory's industrial jobs, given from 3 establishments. */
        const sector *sc = NULL;
        for (size_t i = 0; i < nsec && !sc; i++)
            if (strcmp(secs[i].a38, c->a38) == 0) sc = &secs[i];
        double share = sc && territory_jobs > 0 ? sc->jobs / territory_jobs : 0;
        pts = share >= 0.20 ? 15 : share >= 0.10 ? 8 : 0;
        if (sc && !ml_count_secret(sc->n) && pts) {
            score += pts;
            reason(rs, "sector", pts,
                   "SIRENE size bands: the sector's share of the territory's estimated industrial "
                   "jobs (no covered base territory for a location quotient)",
                   json_pack("{s:s s:f}", "a38", c->a38, "share", share),
                   "sector %s: %.1f%% of the territory's estimated industrial jobs", c->a38,
                   share * 100);
        }
    }
    int64_t year = 0;
    /* A young company growing: the head office's date is the company's; a
     * secondary site's is when the site was registered (a transfer, a
     * restructuring), which says nothing of growth. */
    if (c->head_office && strlen(c->created) >= 4 &&
        ml_parse_i64(c->created, 4, 1800, 2200, &year) == 0) {
        int64_t age = year_now - year;
        pts = age <= 5 && c->rank >= ml_size_rank("11") ? 15 : age <= 10 ? 8 : 0;
        score += pts;
        if (pts)
            reason(rs, "growth", pts, "SIRENE: dateCreationEtablissement",
                   json_pack("{s:I s:b}", "year", (json_int_t)year, "employer", pts == 15),
                   pts == 15 ? "created in %lld and already 10 employees or more"
                             : "created in %lld (less than 10 years)",
                   (long long)year);
    }
    if (!c->head_office && (strcmp(c->category, "ETI") == 0 || strcmp(c->category, "GE") == 0)) {
        score += 15;
        reason(rs, "external_decision", 15,
               "SIRENE: etablissementSiege and categorieEntreprise of the legal unit",
               json_pack("{s:s}", "category", c->category),
               "a secondary establishment of a %s: decisions are taken at a head office",
               strcmp(c->category, "GE") == 0 ? "large company" : "mid-sized company (ETI)");
    }
    double share = territory_jobs > 0 ? c->jobs / territory_jobs : 0;
    pts = share >= 0.05 ? 15 : share >= 0.02 ? 8 : 0;
    score += pts;
    if (pts)
        reason(rs, "territory_dependence", pts,
               "SIRENE size bands: midpoint estimate of jobs (docs/methods.md)",
               json_pack("{s:f}", "share", share),
               "about %.1f%% of the territory's estimated industrial jobs", share * 100);
    c->score = score > 100 ? 100 : score;
    return rs;
}

ml_err ml_campaign_suggest(ml_db *db, const ml_actor *who, int64_t campaign, unsigned top,
                           bool save, json_t **out)
{
    *out = NULL;
    camp k;
    prog p;
    char role[16];
    ml_err r = camp_open(db, who, campaign, save, &k, &p, role);
    if (r) return r;
    if (!p.territory[0])
        return ml_fail(db->ctx, ML_INVALID,
                       "programme '%s' has no territory: suggestions come from the register of "
                       "its territory (add the firms by hand)",
                       p.name);
    if (top == 0) top = CAMP_TOP_DEFAULT;
    if (top > CAMP_TOP_MAX)
        return ml_fail(db->ctx, ML_LIMIT, "at most %d suggestions", CAMP_TOP_MAX);
    ml_place place;
    if ((r = ml_place_resolve(db, p.territory, &place))) return r;
    /* Location quotients of the A38 sectors (secret ones are not given). */
    json_t *ind = NULL, *lqs = json_object();
    ml_indicator_opts io = {.level = "A38"};
    if ((r = ml_territory_indicators(db, p.territory, &io, &ind))) {
        json_decref(lqs);
        return r;
    }
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(ind, "activities"), i, a)
    {
        json_t *lq = json_object_get(a, "lq");
        const char *code = json_string_value(json_object_get(a, "code"));
        if (code && json_is_number(lq)) json_object_set(lqs, code, lq);
    }
    json_t *base = json_incref(json_object_get(ind, "base"));
    json_decref(ind);
    scan s = {.db = db};
    r = db->be->place_etabs(db, &place, "BE", false, CAMP_SCAN_MAX, scan_row, &s);
    if (!r && s.nomem) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    /* Sectors after the scan: a backend may stream its rows, one query at a time. */
    sector secs[64];
    size_t nsec = 0, candidates = 0;
    for (size_t c = 0; !r && c < s.n; c++) {
        cand *x = &s.v[c];
        x->idx = c;
        candidates += x->candidate;
        ml_snprintf(x->a38, sizeof x->a38, "%s", x->naf[0] ? a38_of(&s, x->naf) : "");
        size_t j = 0;
        while (j < nsec && strcmp(secs[j].a38, x->a38) != 0)
            j++;
        if (j == nsec && nsec < ML_ARRAY_LEN(secs)) {
            memset(&secs[nsec], 0, sizeof secs[nsec]);
            ml_snprintf(secs[nsec++].a38, sizeof secs[0].a38, "%s", x->a38);
        }
        if (j < nsec) {
            secs[j].n++;
            secs[j].jobs += x->jobs;
        }
    }
    firm_list l = {0};
    if (!r) r = firms_load(db, k.id, &l);
    if (r) {
        free(s.v);
        json_decref(lqs);
        json_decref(base);
        return r;
    }
    char today[11];
    prog_today(today);
    int64_t year_now = 0;
    ml_parse_i64(today, 4, 1900, 2200, &year_now);
    json_t **reasons = calloc(s.n ? s.n : 1, sizeof *reasons);
    for (size_t c = 0; reasons && c < s.n; c++)
        if (s.v[c].candidate)
            reasons[c] = score_cand(&s.v[c], lqs, secs, nsec, s.jobs, (int)year_now);
    if (reasons && s.n) qsort(s.v, s.n, sizeof *s.v, by_score);
    json_t *list = json_array();
    int64_t added = 0, kept = 0;
    time_t now = time(NULL);
    for (size_t c = 0; reasons && list && c < s.n && json_array_size(list) < top; c++) {
        cand *x = &s.v[c];
        json_t *rs = reasons[x->idx];
        if (!x->candidate || !rs) break; /* candidates come first */
        const char *on = NULL;
        for (size_t f = 0; f < l.n && !on; f++)
            if (l.v[f].siret == x->siret) on = l.v[f].status;
        char siret[ML_SIRET_SIZE];
        ml_siret_format(x->siret, siret);
        if (save && !on && l.n + (size_t)added < CAMP_FIRMS_MAX) {
            char *text = json_dumps(rs, JSON_COMPACT);
            if (text && strlen(text) > CAMP_REASONS_MAX) text[0] = '\0';
            int64_t id = 0;
            ml_sql_arg ins[] = {PI(k.id),      PI(x->siret),
                                PI(x->siren),  PT("suggested"),
                                PI(x->score),  PT(text && text[0] ? text : NULL),
                                PT(NULL),      PT("to_contact"),
                                PT(who->name), PI((int64_t)now)};
            r = prog_sql(db, ML_PROG_CFIRM_ADD, ins, NARGS(ins), prog_first_id, &id);
            free(text);
            if (r) break;
            added++;
            on = "to_contact";
        } else if (on) {
            kept++;
        }
        json_array_append_new(list,
                              json_pack("{s:s s:s s:s? s:s s:s s:s s:s? sI s:O s:s?}", "siret",
                                        siret, "firm", x->name, "city", x->city[0] ? x->city : NULL,
                                        "naf", x->naf, "a38", x->a38, "size_band", x->band,
                                        "created", x->created[0] ? x->created : NULL, "score",
                                        (json_int_t)x->score, "reasons", rs, "on_list", on));
    }
    int64_t considered = (int64_t)candidates;
    for (size_t c = 0; reasons && c < s.n; c++)
        json_decref(reasons[c]);
    free(reasons);
    free(s.v);
    free(l.v);
    json_decref(lqs);
    if (r || !list) {
        json_decref(list);
        json_decref(base);
        return r ? r : ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    *out = json_pack("{sI s:s s:s s:o sI sI sI s:o s:s}", "campaign", (json_int_t)k.id, "territory",
                     p.territory, "territory_name", place.name, "base", base ? base : json_null(),
                     "considered", (json_int_t)considered, "added", (json_int_t)added,
                     "already_listed", (json_int_t)kept, "suggestions", list, "method",
                     "industrial establishments (A10 section BE) of the territory with at least "
                     "one employee, never of restricted diffusion; score 0 to 100: size, sector "
                     "specialisation, creation, decision centre, weight in the territory "
                     "(docs/methods.md)");
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ---------------------------------------------------------- list edits */

static ml_err cfirm_find(ml_db *db, int64_t campaign, const char *text, cfirm *f)
{
    int64_t siret;
    memset(f, 0, sizeof *f);
    if (ml_siret_parse(text, text ? strlen(text) : 0, &siret) != ML_ID_OK)
        return ml_fail(db->ctx, ML_INVALID,
                       "'%.20s' is not a valid SIRET (14 digits with a valid checksum)",
                       text ? text : "");
    ml_sql_arg a[] = {PI(campaign), PI(siret)};
    ml_err r = prog_sql(db, ML_PROG_CFIRM_GET, a, NARGS(a), cfirm_row, f);
    if (!r && (!f->id || strcmp(f->status, "removed") == 0))
        return ml_fail(db->ctx, ML_NOTFOUND, "SIRET %s is not on campaign %lld's list", text,
                       (long long)campaign);
    return r;
}

static json_t *one_firm(ml_db *db, int64_t id)
{
    cfirm f;
    memset(&f, 0, sizeof f);
    ml_sql_arg a[] = {PI(id)};
    if (prog_sql(db, ML_PROG_CFIRM_BY_ID, a, 1, cfirm_row, &f) || !f.id) return NULL;
    return cfirm_json(db, &f);
}

static ml_err firm_answer(ml_db *db, int64_t id, json_t **out)
{
    *out = one_firm(db, id);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_campaign_firm_add(ml_db *db, const ml_actor *who, int64_t campaign, const char *siret,
                            const char *why, json_t **out)
{
    *out = NULL;
    camp k;
    prog p;
    char role[16], name[200], a10[8];
    int64_t s;
    ml_err r = camp_open(db, who, campaign, true, &k, &p, role);
    if (r || (r = prog_text_ok(db, "reason", why, PROG_TEXT_MAX, true)) ||
        (r = prog_firm(db, siret, "campaign", &s, name, a10)))
        return r;
    cfirm f;
    memset(&f, 0, sizeof f);
    ml_sql_arg g[] = {PI(k.id), PI(s)};
    if ((r = prog_sql(db, ML_PROG_CFIRM_GET, g, NARGS(g), cfirm_row, &f))) return r;
    if (f.id && strcmp(f.status, "removed") != 0) {
        /* Already on the list: the reason given is kept as its note. */
        ml_sql_arg u[] = {PI(f.id), PT(f.status), PT(why), PI(f.tenths), PI((int64_t)time(NULL))};
        r = prog_sql(db, ML_PROG_CFIRM_STATUS, u, NARGS(u), NULL, NULL);
        return r ? r : firm_answer(db, f.id, out);
    }
    firm_list l;
    if ((r = firms_load(db, k.id, &l))) return r;
    size_t n = l.n;
    free(l.v);
    if (!f.id && n >= CAMP_FIRMS_MAX)
        return ml_fail(db->ctx, ML_LIMIT, "at most %d firms on a campaign's list", CAMP_FIRMS_MAX);
    int64_t now = (int64_t)time(NULL), id = f.id;
    if (f.id) {
        ml_sql_arg a[] = {PI(f.id), PT("added"), PI(0), PT(NULL), PT(why), PI(now)};
        r = prog_sql(db, ML_PROG_CFIRM_READD, a, NARGS(a), NULL, NULL);
    } else {
        ml_sql_arg a[] = {PI(k.id), PI(s),   PI(ml_siret_siren(s)), PT("added"),   PI(0),
                          PT(NULL), PT(why), PT("to_contact"),      PT(who->name), PI(now)};
        r = prog_sql(db, ML_PROG_CFIRM_ADD, a, NARGS(a), prog_first_id, &id);
    }
    return r ? r : firm_answer(db, id, out);
}

ml_err ml_campaign_firm_remove(ml_db *db, const ml_actor *who, int64_t campaign, const char *siret,
                               const char *why, json_t **out)
{
    *out = NULL;
    camp k;
    prog p;
    char role[16];
    cfirm f;
    ml_err r = camp_open(db, who, campaign, true, &k, &p, role);
    if (r || (r = prog_text_ok(db, "reason", why, PROG_TEXT_MAX, false)) ||
        (r = cfirm_find(db, k.id, siret, &f)))
        return r;
    if (strcmp(f.status, "done") == 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "SIRET %s was visited: a visit done stays on the list (its days were "
                       "consumed)",
                       siret);
    ml_sql_arg a[] = {PI(f.id), PT("removed"), PT(why && *why ? why : NULL), PI(0),
                      PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_CFIRM_STATUS, a, NARGS(a), NULL, NULL))) return r;
    return firm_answer(db, f.id, out);
}

static ml_err time_ok(ml_db *db, const char *t)
{
    int64_t h, m;
    if (!t || !*t) return ML_OK;
    if (strlen(t) == 5 && t[2] == ':' && ml_parse_i64(t, 2, 0, 23, &h) == 0 &&
        ml_parse_i64(t + 3, 2, 0, 59, &m) == 0)
        return ML_OK;
    return ml_fail(db->ctx, ML_INVALID, "time: '%.10s' is not HH:MM", t);
}

ml_err ml_campaign_visit(ml_db *db, const ml_actor *who, int64_t campaign, const ml_visit_in *in,
                         json_t **out)
{
    *out = NULL;
    camp k;
    prog p;
    char role[16], day[11];
    cfirm f;
    ml_err r = camp_open(db, who, campaign, true, &k, &p, role);
    if (r || (r = cfirm_find(db, k.id, in->siret, &f))) return r;
    if (!in->date || !*in->date)
        return ml_fail(db->ctx, ML_INVALID, "a visit needs its day (YYYY-MM-DD)");
    if ((r = prog_day(db, "date", in->date, day)) || (r = time_ok(db, in->time)) ||
        (r = prog_text_ok(db, "consultant", in->consultant, PROG_TEXT_MAX, false)))
        return r;
    int64_t tenths = in->tenths ? in->tenths : 10;
    if (tenths < 1 || tenths > CAMP_TENTHS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "a visit takes 0.1 to 10,000 person-days");
    if (strcmp(f.status, "done") == 0)
        return ml_fail(db->ctx, ML_INVALID, "the visit of SIRET %s is done already", in->siret);
    ml_sql_arg a[] = {PI(f.id),
                      PT(day),
                      PT(in->time && *in->time ? in->time : NULL),
                      PT(in->consultant && *in->consultant ? in->consultant : NULL),
                      PI(tenths),
                      PI((int64_t)time(NULL))};
    if ((r = begin_locked(db))) return r;
    r = eng_check(db, &p, f.id, tenths, "this visit");
    if (!r) r = prog_sql(db, ML_PROG_CFIRM_VISIT, a, NARGS(a), NULL, NULL);
    if ((r = end_locked(db, r))) return r;
    return firm_answer(db, f.id, out);
}

/* A firm's new status (the list's row f of programme p). */
static ml_err status_set(ml_db *db, const prog *p, const cfirm *f, const char *status,
                         int64_t tenths)
{
    if (tenths < 0 || tenths > CAMP_TENTHS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "a visit takes 0.1 to 10,000 person-days");
    int64_t t = tenths ? tenths : f->tenths ? f->tenths : 10;
    if (strcmp(status, "done") == 0 || strcmp(status, "planned") == 0) {
        ml_err r = eng_check(db, p, f->id, t, "this visit");
        if (r) return r;
    } else {
        t = 0; /* neither reserved nor consumed */
    }
    ml_sql_arg a[] = {PI(f->id), PT(status), PT(NULL), PI(t), PI((int64_t)time(NULL))};
    return prog_sql(db, ML_PROG_CFIRM_STATUS, a, NARGS(a), NULL, NULL);
}

ml_err ml_campaign_status(ml_db *db, const ml_actor *who, int64_t campaign, const char *siret,
                          const char *status, int64_t tenths, json_t **out)
{
    *out = NULL;
    camp k;
    prog p;
    char role[16];
    cfirm f;
    ml_err r = camp_open(db, who, campaign, true, &k, &p, role);
    if (r || (r = cfirm_find(db, k.id, siret, &f))) return r;
    bool known = false;
    for (size_t i = 0; i + 1 < ML_ARRAY_LEN(statuses); i++)
        known = known || (status && strcmp(status, statuses[i]) == 0);
    if (!known)
        return ml_fail(db->ctx, ML_INVALID,
                       "a visit's status is to_contact, planned, done or declined, not '%.20s' "
                       "(remove a firm with campaign firm remove)",
                       status ? status : "");
    if (strcmp(status, "planned") == 0 && !f.visit_day[0])
        return ml_fail(db->ctx, ML_INVALID,
                       "plan the visit with its day (campaign visit CAMPAIGN --siret S --date D)");
    if ((r = begin_locked(db))) return r;
    if ((r = end_locked(db, status_set(db, &p, &f, status, tenths)))) return r;
    return firm_answer(db, f.id, out);
}

ml_err ml_campaign_workshop(ml_db *db, const ml_actor *who, int64_t campaign, const char *title,
                            const char *date, int64_t tenths, json_t **out)
{
    *out = NULL;
    camp k;
    prog p;
    char role[16], day[11];
    ml_err r = camp_open(db, who, campaign, true, &k, &p, role);
    if (r || (r = prog_text_ok(db, "title", title, PROG_TEXT_MAX, true)) ||
        (r = prog_day(db, "date", date, day)))
        return r;
    if (tenths < 1 || tenths > CAMP_TENTHS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "a workshop takes 0.1 to 10,000 person-days");
    int64_t id = 0;
    ml_sql_arg a[] = {PI(k.id),   PT(title),     PT(day),
                      PI(tenths), PT(who->name), PI((int64_t)time(NULL))};
    if ((r = begin_locked(db))) return r;
    r = eng_check(db, &p, 0, tenths, "this workshop");
    if (!r) r = prog_sql(db, ML_PROG_WORKSHOP_ADD, a, NARGS(a), prog_first_id, &id);
    if ((r = end_locked(db, r))) return r;
    char days[24];
    days_text(tenths, days, sizeof days);
    *out = json_pack("{sI sI s:s s:s sI s:s}", "id", (json_int_t)id, "campaign", (json_int_t)k.id,
                     "title", title, "day", day, "tenths", (json_int_t)tenths, "days", days);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ------------------------------------------------- interviews and visits */

ml_err prog_visit_link(ml_db *db, const prog *p, int64_t interview, int64_t visit, int64_t siret)
{
    cfirm f;
    camp k;
    memset(&f, 0, sizeof f);
    memset(&k, 0, sizeof k);
    ml_sql_arg a[] = {PI(visit)};
    ml_err r = prog_sql(db, ML_PROG_CFIRM_BY_ID, a, 1, cfirm_row, &f);
    if (!r && f.id) {
        ml_sql_arg b[] = {PI(f.campaign)};
        r = prog_sql(db, ML_PROG_CAMP_BY_ID, b, 1, camp_row, &k);
    }
    if (r) return r;
    if (!f.id || k.programme != p->id || strcmp(f.status, "removed") == 0)
        return ml_fail(db->ctx, ML_NOTFOUND, "no planned visit %lld in programme '%s'",
                       (long long)visit, p->name);
    if (f.siret != siret)
        return ml_fail(db->ctx, ML_INVALID,
                       "visit %lld is of another establishment than the interview's",
                       (long long)visit);
    /* The caller's transaction takes the budget's lock before the visit's days count. */
    if (strcmp(f.status, "done") != 0 && ((r = prog_sql(db, ML_PROG_LOCK, NULL, 0, NULL, NULL)) ||
                                          (r = status_set(db, p, &f, "done", 0))))
        return r;
    ml_sql_arg c[] = {PI(interview), PI(visit)};
    return prog_sql(db, ML_PROG_INTERVIEW_VISIT, c, NARGS(c), NULL, NULL);
}

/* Which campaign firm ids belong to campaign k (and their SIRET). */
ml_err prog_campaign_members(ml_db *db, const ml_actor *who, int64_t campaign, prog *p,
                             int64_t **ids, int64_t **sirets, size_t *n, char name[201])
{
    camp k;
    char role[16];
    firm_list l;
    *ids = *sirets = NULL;
    *n = 0;
    ml_err r = camp_open(db, who, campaign, false, &k, p, role);
    if (r || (r = firms_load(db, k.id, &l))) return r;
    ml_snprintf(name, 201, "%s", k.name);
    *ids = calloc(l.n + 1, sizeof **ids);
    *sirets = calloc(l.n + 1, sizeof **sirets);
    if (!*ids || !*sirets) {
        free(*ids);
        free(*sirets);
        free(l.v);
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(l.v[i].status, "removed") != 0) {
            (*ids)[*n] = l.v[i].id;
            (*sirets)[(*n)++] = l.v[i].siret;
        }
    free(l.v);
    return ML_OK;
}
