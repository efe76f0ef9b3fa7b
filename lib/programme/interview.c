/* interview.c — interviews of firms in a programme (issue 13, item 2 in
 * part): the needs grid scored 0 to 3 per theme, red flags, notes; and the
 * synthesis across interviews (needs by theme and by sector, red flags,
 * projects by type and amount), of a programme or of one campaign
 * (campaign.c plans the visits; roadmap.c writes the roadmap). */
#include <time.h>

#include "programme/programme.h"

/* The needs grid, in the order of the issue. */
static const char *const themes[] = {"skills",  "land",       "access",  "ecosystem", "innovation",
                                     "digital", "transition", "finance", "export"};
#define THEMES (sizeof themes / sizeof *themes)
static const char *const flags[] = {"succession", "key_customer", "site_at_risk"};
#define FLAGS (sizeof flags / sizeof *flags)

static int theme_index(const char *s, size_t n)
{
    for (size_t i = 0; i < THEMES; i++)
        if (strlen(themes[i]) == n && strncmp(s, themes[i], n) == 0) return (int)i;
    return -1;
}

int prog_theme_index(const char *s)
{
    return s ? theme_index(s, strlen(s)) : -1;
}

static int flag_index(const char *s, size_t n)
{
    for (size_t i = 0; i < FLAGS; i++)
        if (strlen(flags[i]) == n && strncmp(s, flags[i], n) == 0) return (int)i;
    return -1;
}

/* "skills=2,land=0" into scores (-1: not scored); 0 or -1. */
static int scores_parse(const char *text, int scores[THEMES])
{
    for (size_t i = 0; i < THEMES; i++)
        scores[i] = -1;
    for (const char *p = text ? text : ""; *p;) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        int64_t v;
        if (!eq) return -1;
        int t = theme_index(p, (size_t)(eq - p));
        if (t < 0 || ml_parse_i64(eq + 1, len - (size_t)(eq - p) - 1, 0, 3, &v) != 0 ||
            scores[t] >= 0)
            return -1;
        scores[t] = (int)v;
        p += len + (p[len] == ',');
    }
    return 0;
}

/* "succession,site_at_risk" into a bit set; 0 or -1. */
static int flags_parse(const char *text, unsigned *set)
{
    *set = 0;
    for (const char *p = text ? text : ""; *p;) {
        size_t len = strcspn(p, ",");
        int f = flag_index(p, len);
        if (f < 0) return -1;
        *set |= 1u << f;
        p += len + (p[len] == ',');
    }
    return 0;
}

static json_t *scores_json(const int scores[THEMES])
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < THEMES; i++)
        json_object_set_new(o, themes[i], scores[i] < 0 ? json_null() : json_integer(scores[i]));
    return o;
}

static json_t *flags_json(unsigned set)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < FLAGS; i++)
        if (set & (1u << i)) json_array_append_new(a, json_string(flags[i]));
    return a;
}

ml_err ml_interview_add(ml_db *db, const ml_actor *who, const ml_interview_in *in, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], day[11], name[200], a10[8];
    int64_t siret = 0;
    ml_err r = prog_open(db, who, in->programme, true, &p, role);
    if (r || (r = prog_day(db, "date", in->date, day)) ||
        (r = prog_firm(db, in->siret, "interview", &siret, name, a10)))
        return r;
    int scores[THEMES];
    unsigned set;
    if (scores_parse(in->scores, scores) != 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "scores: THEME=0..3 separated by commas, each theme once (skills, land, "
                       "access, ecosystem, innovation, digital, transition, finance, export), "
                       "not '%.60s'",
                       in->scores);
    if (flags_parse(in->flags, &set) != 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "red flags: succession, key_customer, site_at_risk separated by commas, "
                       "not '%.60s'",
                       in->flags);
    size_t n = in->notes ? strlen(in->notes) : 0;
    if (n > PROG_DESC_MAX)
        return ml_fail(db->ctx, ML_LIMIT, "notes: at most %d bytes (not %zu)", PROG_DESC_MAX, n);
    if (n && !ml_utf8_valid(in->notes, n))
        return ml_fail(db->ctx, ML_INVALID, "notes must be UTF-8 text");
    /* Stored normalised: every theme in order, -1 when not scored. */
    char stored[128] = "", fl[64] = "";
    size_t used = 0;
    for (size_t i = 0; i < THEMES; i++)
        used +=
            (size_t)snprintf(stored + used, sizeof stored - used, "%s%d", i ? "," : "", scores[i]);
    used = 0;
    for (size_t i = 0; i < FLAGS; i++)
        if (set & (1u << i))
            used +=
                (size_t)snprintf(fl + used, sizeof fl - used, "%s%s", used ? "," : "", flags[i]);
    int64_t id = 0;
    ml_sql_arg a[] = {PI(p.id),
                      PI(siret),
                      PI(ml_siret_siren(siret)),
                      PT(day),
                      PT(stored),
                      PT(fl),
                      PT(n ? in->notes : NULL),
                      PT(who->name),
                      PI((int64_t)time(NULL))};
    /* The interview and its visit (done, its days consumed) or neither. */
    if ((r = db->be->begin(db))) return r;
    r = prog_sql(db, ML_PROG_INTERVIEW_ADD, a, NARGS(a), prog_first_id, &id);
    if (!r && in->visit) r = prog_visit_link(db, &p, id, in->visit, siret);
    if (!r) r = db->be->commit(db);
    if (r) {
        db->be->rollback(db);
        return r;
    }
    *out = json_pack("{sI s:s s:s s:s s:o s:o s:s? s:s s:o}", "id", (json_int_t)id, "siret",
                     in->siret, "firm", name, "date", day, "scores", scores_json(scores), "flags",
                     flags_json(set), "notes", n ? in->notes : NULL, "author",
                     who->name ? who->name : "", "visit",
                     in->visit ? json_integer(in->visit) : json_null());
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* One stored interview, read back. */
typedef struct interview {
    int64_t id, siret, visit;
    char day[11], author[160], a10[8], name[200];
    int scores[THEMES];
    unsigned flags;
    char *notes;
} interview;

typedef struct iv_list {
    ml_db *db;
    interview *v;
    size_t n, cap;
} iv_list;

static int iv_row(void *ud, const char *const *c, size_t n)
{
    iv_list *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        interview *v = realloc(l->v, cap * sizeof *v);
        if (!v) return 1;
        l->v = v;
        l->cap = cap;
    }
    interview *iv = &l->v[l->n++];
    memset(iv, 0, sizeof *iv);
    iv->id = prog_col_int(c, n, 0);
    iv->siret = prog_col_int(c, n, 1);
    prog_col_text(c, n, 3, iv->day, sizeof iv->day);
    for (size_t i = 0; i < THEMES; i++)
        iv->scores[i] = -1;
    const char *p = n > 4 && c[4] ? c[4] : "";
    for (size_t i = 0; i < THEMES && *p; i++) {
        iv->scores[i] = (int)strtol(p, NULL, 10);
        p += strcspn(p, ",");
        if (*p == ',') p++;
    }
    flags_parse(n > 5 ? c[5] : NULL, &iv->flags);
    iv->notes = n > 6 && c[6] ? strdup(c[6]) : NULL;
    prog_col_text(c, n, 7, iv->author, sizeof iv->author);
    iv->visit = prog_col_int(c, n, 8);
    char siret[ML_SIRET_SIZE];
    ml_siret_format(iv->siret, siret);
    int64_t s;
    /* The firm as shown (its diffusion may have changed since: then nameless). */
    if (prog_firm(l->db, siret, "interview", &s, iv->name, iv->a10) != ML_OK) iv->name[0] = '\0';
    return 0;
}

static void iv_free(iv_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].notes);
    free(l->v);
}

static ml_err iv_load(ml_db *db, const prog *p, iv_list *l)
{
    memset(l, 0, sizeof *l);
    l->db = db;
    ml_sql_arg a[] = {PI(p->id)};
    ml_err r = prog_sql(db, ML_PROG_INTERVIEWS, a, 1, iv_row, l);
    if (!r && l->n && !l->v) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) iv_free(l);
    return r;
}

/* Projects detected during an interview: {id, interview, type, title, cost, siret}. */
static int linked_row(void *ud, const char *const *c, size_t n)
{
    char siret[ML_SIRET_SIZE];
    ml_siret_format(prog_col_int(c, n, 5), siret);
    json_array_append_new(ud, json_pack("{sI sI s:s? s:s? sI s:s}", "id",
                                        (json_int_t)prog_col_int(c, n, 0), "interview",
                                        (json_int_t)prog_col_int(c, n, 1), "type",
                                        n > 2 ? c[2] : NULL, "title", n > 3 ? c[3] : NULL, "cost",
                                        (json_int_t)prog_col_int(c, n, 4), "siret", siret));
    return 0;
}

ml_err ml_interview_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    iv_list l;
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = iv_load(db, &p, &l))) return r;
    json_t *list = json_array(), *linked = json_array();
    ml_sql_arg a[] = {PI(p.id)};
    if (linked && (r = prog_sql(db, ML_PROG_PROJ_LINKED, a, 1, linked_row, linked))) {
        json_decref(list);
        json_decref(linked);
        iv_free(&l);
        return r;
    }
    for (size_t i = 0; list && linked && i < l.n; i++) {
        char siret[ML_SIRET_SIZE];
        ml_siret_format(l.v[i].siret, siret);
        json_t *projects = json_array();
        size_t k;
        json_t *pj;
        json_array_foreach(
            linked, k, pj) if (json_integer_value(json_object_get(pj, "interview")) == l.v[i].id)
            json_array_append(projects, pj);
        json_array_append_new(
            list,
            json_pack("{sI s:s s:s? s:s s:o s:o s:s? s:s s:o s:o}", "id", (json_int_t)l.v[i].id,
                      "siret", siret, "firm", l.v[i].name[0] ? l.v[i].name : NULL, "date",
                      l.v[i].day, "scores", scores_json(l.v[i].scores), "flags",
                      flags_json(l.v[i].flags), "notes", l.v[i].notes, "author", l.v[i].author,
                      "visit", l.v[i].visit ? json_integer(l.v[i].visit) : json_null(), "projects",
                      projects ? projects : json_array()));
    }
    json_decref(linked);
    iv_free(&l);
    *out = json_pack("{sI s:s s:o}", "programme", (json_int_t)p.id, "name", p.name, "interviews",
                     list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* Needs of a set of interviews: per theme, how many scored it, its mean,
 * and how many said 2 or 3 (a strong need). */
static json_t *needs_json(const interview *v, size_t n, const char *a10)
{
    json_t *o = json_object();
    for (size_t t = 0; o && t < THEMES; t++) {
        int64_t scored = 0, sum = 0, strong = 0;
        for (size_t i = 0; i < n; i++) {
            if (a10 && strcmp(v[i].a10, a10) != 0) continue;
            if (v[i].scores[t] < 0) continue;
            scored++;
            sum += v[i].scores[t];
            strong += v[i].scores[t] >= 2;
        }
        json_object_set_new(
            o, themes[t],
            json_pack("{sI s:o sI}", "scored", (json_int_t)scored, "mean",
                      scored ? json_real((double)sum / (double)scored) : json_null(), "strong",
                      (json_int_t)strong));
    }
    return o;
}

typedef struct by_type {
    char type[32];
    int64_t projects, cost, req_subsidy, req_advance;
} by_type;

typedef struct type_sums {
    by_type v[8];
    size_t n;
} type_sums;

static int type_row(void *ud, const char *const *c, size_t n)
{
    type_sums *s = ud;
    const char *type = n > 4 && c[4] ? c[4] : "";
    size_t i = 0;
    while (i < s->n && strcmp(s->v[i].type, type) != 0)
        i++;
    if (i == s->n) {
        if (s->n == ML_ARRAY_LEN(s->v)) return 0;
        memset(&s->v[s->n], 0, sizeof s->v[s->n]);
        ml_snprintf(s->v[s->n++].type, sizeof s->v[0].type, "%s", type);
    }
    s->v[i].projects++;
    s->v[i].cost += prog_col_int(c, n, 7);
    s->v[i].req_subsidy += prog_col_int(c, n, 11);
    s->v[i].req_advance += prog_col_int(c, n, 12);
    return 0;
}

/* An interview's programme, establishment and day. */
static int iv_head_row(void *ud, const char *const *c, size_t n)
{
    struct {
        int64_t programme, siret;
        char day[11];
    } *iv = ud;
    iv->programme = prog_col_int(c, n, 0);
    iv->siret = prog_col_int(c, n, 1);
    prog_col_text(c, n, 2, iv->day, sizeof iv->day);
    return 0;
}

/* The interviews a synthesis covers. */
typedef struct iv_filter {
    const int64_t *visits, *sirets; /* a campaign's firms (ids and SIRET), n of each */
    size_t n;
} iv_filter;

static bool iv_in(const iv_filter *f, const interview *iv)
{
    if (!f) return true;
    for (size_t i = 0; i < f->n; i++)
        if (iv->visit ? iv->visit == f->visits[i] : iv->siret == f->sirets[i]) return true;
    return false;
}

/* A campaign's projects: those detected during its interviews. */
typedef struct linked_sums {
    type_sums *ts;
    const interview *v;
    size_t n;
} linked_sums;

static int linked_type_row(void *ud, const char *const *c, size_t n)
{
    linked_sums *s = ud;
    int64_t iv = prog_col_int(c, n, 1);
    bool in = false;
    for (size_t i = 0; i < s->n && !in; i++)
        in = s->v[i].id == iv;
    if (!in) return 0;
    /* Laid out as PROJ columns for type_row: type 4, cost 7, requests 11, 12. */
    const char *cols[13] = {0};
    char cost[24], sub[24], adv[24];
    ml_snprintf(cost, sizeof cost, "%lld", (long long)prog_col_int(c, n, 4));
    ml_snprintf(sub, sizeof sub, "%lld", (long long)prog_col_int(c, n, 6));
    ml_snprintf(adv, sizeof adv, "%lld", (long long)prog_col_int(c, n, 7));
    cols[4] = n > 2 ? c[2] : NULL;
    cols[7] = cost;
    cols[11] = sub;
    cols[12] = adv;
    return type_row(s->ts, cols, 13);
}

static ml_err synthesis(ml_db *db, const prog *p, const iv_filter *filter, json_t **out)
{
    iv_list l;
    ml_err r = iv_load(db, p, &l);
    if (r) return r;
    size_t kept = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (iv_in(filter, &l.v[i])) {
            interview t = l.v[kept];
            l.v[kept++] = l.v[i];
            l.v[i] = t;
        }
    }
    for (size_t i = kept; i < l.n; i++) {
        free(l.v[i].notes);
        l.v[i].notes = NULL;
    }
    l.n = kept;
    type_sums ts = {0};
    ml_sql_arg a[] = {PI(p->id)};
    if (filter) {
        linked_sums ls = {.ts = &ts, .v = l.v, .n = l.n};
        r = prog_sql(db, ML_PROG_PROJ_LINKED, a, 1, linked_type_row, &ls);
    } else {
        r = prog_sql(db, ML_PROG_PROJ_LIST, a, 1, type_row, &ts);
    }
    if (r) {
        iv_free(&l);
        return r;
    }
    /* Firms met (an establishment interviewed twice counts once). */
    int64_t firms = 0;
    for (size_t i = 0; i < l.n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = l.v[k].siret == l.v[i].siret;
        firms += !seen;
    }
    json_t *flags_o = json_object(), *sectors = json_object(), *types = json_array();
    for (size_t f = 0; flags_o && f < FLAGS; f++) {
        int64_t k = 0;
        for (size_t i = 0; i < l.n; i++)
            k += (l.v[i].flags >> f) & 1u;
        json_object_set_new(flags_o, flags[f], json_integer(k));
    }
    for (size_t i = 0; sectors && i < l.n; i++) {
        const char *sec = l.v[i].a10[0] ? l.v[i].a10 : "unknown";
        if (json_object_get(sectors, sec)) continue;
        int64_t k = 0;
        for (size_t j = 0; j < l.n; j++)
            k += strcmp(l.v[j].a10[0] ? l.v[j].a10 : "unknown", sec) == 0;
        int64_t firms_here = 0;
        for (size_t j = 0; j < l.n; j++) {
            if (strcmp(l.v[j].a10[0] ? l.v[j].a10 : "unknown", sec) != 0) continue;
            bool seen = false;
            for (size_t m = 0; m < j && !seen; m++)
                seen = l.v[m].siret == l.v[j].siret;
            firms_here += !seen;
        }
        json_object_set_new(sectors, sec,
                            json_pack("{sI sI s:o}", "interviews", (json_int_t)k, "firms",
                                      (json_int_t)firms_here, "needs",
                                      needs_json(l.v, l.n, l.v[i].a10)));
    }
    for (size_t i = 0; types && i < ts.n; i++)
        json_array_append_new(types, json_pack("{s:s sI sI sI sI}", "type", ts.v[i].type,
                                               "projects", (json_int_t)ts.v[i].projects, "cost",
                                               (json_int_t)ts.v[i].cost, "requested_subsidy",
                                               (json_int_t)ts.v[i].req_subsidy, "requested_advance",
                                               (json_int_t)ts.v[i].req_advance));
    *out = json_pack("{sI s:s sI sI s:o s:o s:o s:o s:s}", "programme", (json_int_t)p->id, "name",
                     p->name, "interviews", (json_int_t)l.n, "firms", (json_int_t)firms, "needs",
                     needs_json(l.v, l.n, NULL), "by_sector", sectors, "red_flags", flags_o,
                     "projects_by_type", types, "scale",
                     "0 no need, 1 a small one, 2 a real one, 3 a pressing one");
    iv_free(&l);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_programme_synthesis(ml_db *db, const ml_actor *who, const char *programme, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    return r ? r : synthesis(db, &p, NULL, out);
}

ml_err ml_campaign_synthesis(ml_db *db, const ml_actor *who, int64_t campaign, json_t **out)
{
    *out = NULL;
    prog p;
    int64_t *ids, *sirets;
    size_t n;
    char name[201];
    ml_err r = prog_campaign_members(db, who, campaign, &p, &ids, &sirets, &n, name);
    if (r) return r;
    iv_filter f = {.visits = ids, .sirets = sirets, .n = n};
    r = synthesis(db, &p, &f, out);
    free(ids);
    free(sirets);
    if (!r) {
        json_object_set_new(*out, "campaign", json_integer(campaign));
        json_object_set_new(*out, "campaign_name", json_string(name));
    }
    return r;
}

ml_err ml_interview_project(ml_db *db, const ml_actor *who, int64_t id, const ml_project_in *in,
                            json_t **out)
{
    *out = NULL;
    struct {
        int64_t programme, siret;
        char day[11];
    } iv = {0};
    ml_sql_arg a[] = {PI(id)};
    ml_err r = prog_sql(db, ML_PROG_INTERVIEW_BY_ID, a, 1, iv_head_row, &iv);
    if (r) return r;
    prog p;
    char role[16];
    if (iv.programme) r = prog_open_id(db, who, iv.programme, true, &p, role);
    if (!iv.programme || r == ML_NOTFOUND)
        return ml_fail(db->ctx, ML_NOTFOUND, "no interview %lld in the programmes you run",
                       (long long)id);
    if (r) return r;
    char ref[24], siret[ML_SIRET_SIZE];
    ml_snprintf(ref, sizeof ref, "%lld", (long long)p.id);
    ml_siret_format(iv.siret, siret);
    ml_project_in pin = *in;
    pin.programme = ref;
    pin.siret = siret;
    if ((r = ml_project_add(db, who, &pin, out))) return r;
    int64_t project = json_integer_value(json_object_get(*out, "id"));
    ml_sql_arg b[] = {PI(project), PI(id)};
    if ((r = prog_sql(db, ML_PROG_PROJ_INTERVIEW, b, NARGS(b), NULL, NULL))) {
        json_decref(*out);
        *out = NULL;
        return r;
    }
    json_object_set_new(*out, "interview", json_integer(id));
    return ML_OK;
}
