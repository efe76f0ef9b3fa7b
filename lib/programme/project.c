/* project.c — projects of a programme (issue 13): a firm of the register,
 * the pipeline's stages and their transitions, the decision checked against
 * the envelopes and the rules (maximum per project, aid intensity by
 * company size, the de minimis ceiling), the ledger's payments, repayments
 * and cancellations, and the repayment schedule of an advance. */
#include <time.h>

#include "firm/firm.h"
#include "programme/programme.h"

/* The pipeline, in order; the last two end a project without aid. */
static const char *const stages[] = {"detected",  "qualified", "routed",   "applied", "instructed",
                                     "committee", "decided",   "signed",   "paid",    "completed",
                                     "followed",  "rejected",  "abandoned"};
enum { S_COMMITTEE = 5, S_DECIDED = 6, S_FOLLOWED = 10, S_REJECTED = 11, S_ABANDONED = 12 };

static const char *const types[] = {"investment", "rd",     "industrialisation", "recruitment",
                                    "training",   "export", "collaborative_rd"};

static int stage_index(const char *s)
{
    for (int i = 0; s && i < (int)ML_ARRAY_LEN(stages); i++)
        if (strcmp(s, stages[i]) == 0) return i;
    return -1;
}

/* Instruments whose aid is paid back. */
static bool repayable(const char *instrument)
{
    return strcmp(instrument, "advance") == 0 || strcmp(instrument, "loan") == 0;
}

static void euros(int64_t cents, char out[32])
{
    ml_euros_format(cents, out, 32);
}

/* -------------------------------------------------------------- loading */

static int project_row(void *ud, const char *const *c, size_t n)
{
    prog_project *p = ud;
    p->id = prog_col_int(c, n, 0);
    p->programme = prog_col_int(c, n, 1);
    p->siret = prog_col_int(c, n, 2);
    p->siren = prog_col_int(c, n, 3);
    prog_col_text(c, n, 4, p->type, sizeof p->type);
    prog_col_text(c, n, 5, p->title, sizeof p->title);
    prog_col_text(c, n, 6, p->description, sizeof p->description);
    p->cost = prog_col_int(c, n, 7);
    p->eligible = prog_col_int(c, n, 8);
    p->jobs_created = prog_col_int(c, n, 9);
    p->jobs_kept = prog_col_int(c, n, 10);
    p->req_subsidy = prog_col_int(c, n, 11);
    p->req_advance = prog_col_int(c, n, 12);
    prog_col_text(c, n, 13, p->stage, sizeof p->stage);
    prog_col_text(c, n, 14, p->author, sizeof p->author);
    p->created = prog_col_int(c, n, 15);
    p->updated = prog_col_int(c, n, 16);
    return 0;
}

ml_err prog_project_get(ml_db *db, int64_t id, prog_project *p)
{
    memset(p, 0, sizeof *p);
    ml_sql_arg a[] = {PI(id)};
    ml_err r = prog_sql(db, ML_PROG_PROJ_BY_ID, a, 1, project_row, p);
    if (!r && !p->id) r = ml_fail(db->ctx, ML_NOTFOUND, "no project %lld", (long long)id);
    return r;
}

static int entry_row(void *ud, const char *const *c, size_t n)
{
    prog_entries *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        prog_entry *v = realloc(l->v, cap * sizeof *v);
        if (!v) return 1;
        l->v = v;
        l->cap = cap;
    }
    prog_entry *e = &l->v[l->n++];
    e->id = prog_col_int(c, n, 0);
    e->programme = prog_col_int(c, n, 1);
    e->envelope = prog_col_int(c, n, 2);
    e->project = prog_col_int(c, n, 3);
    e->siren = prog_col_int(c, n, 4);
    int k = prog_kind_parse(n > 5 ? c[5] : NULL);
    e->kind = k < 0 ? K_COMMIT : (prog_kind)k;
    prog_col_text(c, n, 6, e->day, sizeof e->day);
    e->amount = prog_col_int(c, n, 7);
    prog_col_text(c, n, 8, e->note, sizeof e->note);
    prog_col_text(c, n, 9, e->author, sizeof e->author);
    e->created = prog_col_int(c, n, 10);
    return 0;
}

static ml_err entries_end(ml_db *db, ml_err r, prog_entries *out)
{
    if (!r && out->n && !out->v) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) prog_entries_free(out);
    return r;
}

ml_err prog_entries_load(ml_db *db, int64_t programme, int64_t envelope, int64_t project,
                         prog_entries *out)
{
    memset(out, 0, sizeof *out);
    ml_sql_arg a[] = {PI(programme), PI(envelope), PI(project)};
    ml_err r = prog_sql(db, ML_PROG_ENTRIES, a, NARGS(a), entry_row, out);
    return entries_end(db, r, out);
}

void prog_entries_free(prog_entries *e)
{
    free(e->v);
    memset(e, 0, sizeof *e);
}

typedef struct inst_list {
    prog_inst v[PROG_INSTALMENTS_MAX * 2];
    size_t n;
} inst_list;

static int inst_row(void *ud, const char *const *c, size_t n)
{
    inst_list *l = ud;
    if (l->n == ML_ARRAY_LEN(l->v)) return 0;
    prog_inst *i = &l->v[l->n++];
    i->project = prog_col_int(c, n, 0);
    i->envelope = prog_col_int(c, n, 1);
    i->seq = (int)prog_col_int(c, n, 2);
    prog_col_text(c, n, 3, i->due, sizeof i->due);
    i->amount = prog_col_int(c, n, 4);
    return 0;
}

/* ------------------------------------------------------------- the JSON */

static json_t *project_json(const prog_project *p)
{
    char siret[ML_SIRET_SIZE];
    ml_siret_format(p->siret, siret);
    return json_pack(
        "{sI sI s:s s:s s:s s:s s:s? sI sI sI sI sI sI s:s s:s}", "id", (json_int_t)p->id,
        "programme", (json_int_t)p->programme, "siret", siret, "type", p->type, "title", p->title,
        "stage", p->stage, "description", p->description[0] ? p->description : NULL, "cost",
        (json_int_t)p->cost, "eligible", (json_int_t)p->eligible, "jobs_created",
        (json_int_t)p->jobs_created, "jobs_kept", (json_int_t)p->jobs_kept, "requested_subsidy",
        (json_int_t)p->req_subsidy, "requested_advance", (json_int_t)p->req_advance, "author",
        p->author, "money", "integer cents of euros");
}

static json_t *entry_json(const prog_entry *e, const prog_env *envs, size_t nenv)
{
    const char *instrument = "?", *funder = "";
    for (size_t i = 0; i < nenv; i++)
        if (envs[i].id == e->envelope) instrument = envs[i].instrument, funder = envs[i].funder;
    return json_pack("{sI sI sI s:s s:s s:s s:s sI s:s? s:s}", "id", (json_int_t)e->id, "project",
                     (json_int_t)e->project, "envelope", (json_int_t)e->envelope, "instrument",
                     instrument, "funder", funder, "kind", prog_kind_name(e->kind), "day", e->day,
                     "amount", (json_int_t)e->amount, "note", e->note[0] ? e->note : NULL, "author",
                     e->author);
}

/* The firm's name as shown (a public establishment), into name. */
typedef struct firm_seen {
    bool found, restricted;
    char name[200], category[8], band[4], a10[8];
} firm_seen;

static int firm_row(void *ud, const ml_etab_view *v)
{
    firm_seen *f = ud;
    f->found = true;
    f->restricted = v->e.diffusion == 'P' || (v->has_unit && v->u.diffusion == 'P');
    if (!f->restricted) ml_snprintf(f->name, sizeof f->name, "%s", ml_etab_display_name(v));
    ml_snprintf(f->category, sizeof f->category, "%s",
                v->has_unit && v->u.category ? v->u.category : "");
    ml_snprintf(f->band, sizeof f->band, "%s", v->e.size_band ? v->e.size_band : "");
    ml_snprintf(f->a10, sizeof f->a10, "%s", v->a10 ? v->a10 : "");
    return 0;
}

static ml_err firm_get(ml_db *db, int64_t siret, firm_seen *f)
{
    memset(f, 0, sizeof *f);
    return db->be->etab_get(db, siret, firm_row, f);
}

ml_err prog_firm(ml_db *db, const char *text, const char *what, int64_t *siret, char name[200],
                 char a10[8])
{
    size_t sn = text ? strlen(text) : 0;
    if (ml_siret_parse(text, sn, siret) != ML_ID_OK)
        return ml_fail(db->ctx, ML_INVALID,
                       "'%.20s' is not a valid SIRET (14 digits with a valid checksum)",
                       text ? text : "");
    firm_seen f;
    ml_err r = firm_get(db, *siret, &f);
    if (r) return r;
    if (!f.found) return ml_fail(db->ctx, ML_NOTFOUND, "SIRET %s is not in the register", text);
    if (f.restricted)
        return ml_fail(db->ctx, ML_PRIVATE,
                       "SIRET %s has restricted diffusion (statut P): maillage keeps no "
                       "programme %s about it",
                       text, what);
    if (name) ml_snprintf(name, 200, "%s", f.name);
    if (a10) ml_snprintf(a10, 8, "%s", f.a10);
    return ML_OK;
}

/* ------------------------------------------------------------- projects */

static ml_err amount_ok(ml_db *db, const char *field, int64_t v)
{
    if (v < 0 || v > PROG_EUROS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "%s: an amount between 0 and 10^12 euros", field);
    return ML_OK;
}

/* The checks of a project's fields (type, texts, amounts, jobs). */
static ml_err project_fields(ml_db *db, const char *type, const ml_project_in *in)
{
    ml_err r;
    bool known = false;
    for (size_t i = 0; i < ML_ARRAY_LEN(types); i++)
        known = known || strcmp(type, types[i]) == 0;
    if (!known)
        return ml_fail(db->ctx, ML_INVALID,
                       "a project's type is investment, rd, industrialisation, recruitment, "
                       "training, export or collaborative_rd, not '%.30s'",
                       type);
    if ((r = prog_text_ok(db, "title", in->title, PROG_TEXT_MAX, true)) ||
        (r = prog_text_ok(db, "description", in->description, PROG_DESC_MAX, false)) ||
        (r = amount_ok(db, "cost", in->cost)) || (r = amount_ok(db, "eligible", in->eligible)) ||
        (r = amount_ok(db, "requested subsidy", in->req_subsidy)) ||
        (r = amount_ok(db, "requested advance", in->req_advance)))
        return r;
    if (in->cost <= 0) return ml_fail(db->ctx, ML_INVALID, "cost: the project's total cost, > 0");
    if (in->eligible > in->cost)
        return ml_fail(db->ctx, ML_INVALID, "the eligible expenses exceed the total cost");
    if (in->jobs_created < 0 || in->jobs_kept < 0 || in->jobs_created > 1000000 ||
        in->jobs_kept > 1000000)
        return ml_fail(db->ctx, ML_INVALID, "jobs: a number between 0 and 1,000,000");
    return ML_OK;
}

ml_err ml_project_add(ml_db *db, const ml_actor *who, const ml_project_in *in, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    ml_err r = prog_open(db, who, in->programme, true, &p, role);
    if (r) return r;
    int64_t siret = 0;
    size_t sn = in->siret ? strlen(in->siret) : 0;
    if (ml_siret_parse(in->siret, sn, &siret) != ML_ID_OK)
        return ml_fail(db->ctx, ML_INVALID,
                       "'%.20s' is not a valid SIRET (14 digits with a valid checksum)",
                       in->siret ? in->siret : "");
    firm_seen f;
    if ((r = firm_get(db, siret, &f))) return r;
    if (!f.found)
        return ml_fail(db->ctx, ML_NOTFOUND, "SIRET %s is not in the register", in->siret);
    if (f.restricted)
        return ml_fail(db->ctx, ML_PRIVATE,
                       "SIRET %s has restricted diffusion (statut P): maillage keeps no programme "
                       "project about it",
                       in->siret);
    const char *type = in->type && *in->type ? in->type : "investment";
    if ((r = project_fields(db, type, in))) return r;
    int64_t id = 0;
    ml_sql_arg a[] = {PI(p.id),
                      PI(siret),
                      PI(ml_siret_siren(siret)),
                      PT(type),
                      PT(in->title),
                      PT(in->description && *in->description ? in->description : NULL),
                      PI(in->cost),
                      PI(in->eligible ? in->eligible : in->cost),
                      PI(in->jobs_created),
                      PI(in->jobs_kept),
                      PI(in->req_subsidy),
                      PI(in->req_advance),
                      PT("detected"),
                      PT(who->name),
                      PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_PROJ_ADD, a, NARGS(a), prog_first_id, &id))) return r;
    return ml_project_show(db, who, id, NULL, out);
}

/* A project and its programme, as who may see (or change) it. */
static ml_err project_open(ml_db *db, const ml_actor *who, int64_t id, bool write, prog_project *pj,
                           prog *p)
{
    char role[16];
    ml_err r = prog_project_get(db, id, pj);
    if (r == ML_NOTFOUND)
        return ml_fail(db->ctx, ML_NOTFOUND, "no project %lld in the programmes you run",
                       (long long)id);
    if (!r) r = prog_open_id(db, who, pj->programme, write, p, role);
    if (r == ML_NOTFOUND)
        return ml_fail(db->ctx, ML_NOTFOUND, "no project %lld in the programmes you run",
                       (long long)id);
    return r;
}

typedef struct plist {
    ml_db *db;
    json_t *list;
    int64_t stale_before; /* Unix seconds: a project not moved or edited since is stale */
    bool stale_only;
    int stop;
} plist;

static int plist_row(void *ud, const char *const *c, size_t n)
{
    plist *s = ud;
    prog_project pj;
    memset(&pj, 0, sizeof pj);
    project_row(&pj, c, n);
    int stage = stage_index(pj.stage);
    bool stale = stage >= 0 && stage < S_DECIDED && pj.updated < s->stale_before;
    if (s->stale_only && !stale) return 0;
    json_t *j = project_json(&pj);
    if (j) json_object_set_new(j, "stale", json_boolean(stale));
    firm_seen f;
    if (j && firm_get(s->db, pj.siret, &f) == ML_OK && f.name[0])
        json_object_set_new(j, "firm", json_string(f.name));
    if (!j || json_array_append_new(s->list, j)) return s->stop = 1;
    return 0;
}

static json_t *stage_names(void)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < ML_ARRAY_LEN(stages); i++)
        json_array_append_new(a, json_string(stages[i]));
    return a;
}

ml_err ml_project_list(ml_db *db, const ml_actor *who, const char *programme, const char *at,
                       bool stale_only, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], day[11];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = prog_day(db, "at", at, day))) return r;
    struct tm tm = {0};
    int64_t y = 0, mo = 0, d = 0;
    ml_parse_i64(day, 4, 1900, 2200, &y);
    ml_parse_i64(day + 5, 2, 1, 12, &mo);
    ml_parse_i64(day + 8, 2, 1, 31, &d);
    tm.tm_year = (int)y - 1900;
    tm.tm_mon = (int)mo - 1;
    tm.tm_mday = (int)d;
    plist s = {.db = db,
               .list = json_array(),
               .stale_before = (int64_t)timegm(&tm) + 86400 - PROG_STALE_DAYS * 86400,
               .stale_only = stale_only};
    if (!s.list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_sql_arg a[] = {PI(p.id)};
    r = prog_sql(db, ML_PROG_PROJ_LIST, a, 1, plist_row, &s);
    if (!r && s.stop) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        json_decref(s.list);
        return r;
    }
    *out = json_pack("{sI s:s s:o s:o}", "programme", (json_int_t)p.id, "name", p.name, "stages",
                     stage_names(), "projects", s.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* The schedule of a project's instalments with their state on `at`:
 * repayments are applied to the instalments in order of due day. */
static json_t *schedule_json(const inst_list *l, const prog_entry *e, size_t n, const char *at)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->n; i++) {
        const prog_inst *in = &l->v[i];
        int64_t paid = 0, repaid = 0, before = 0;
        for (size_t k = 0; k < n; k++)
            if (e[k].envelope == in->envelope && e[k].project == in->project &&
                strcmp(e[k].day, at) <= 0) {
                if (e[k].kind == K_PAY) paid += e[k].amount;
                if (e[k].kind == K_REPAY) repaid += e[k].amount;
            }
        for (size_t k = 0; k < i; k++)
            if (l->v[k].envelope == in->envelope && l->v[k].project == in->project)
                before += l->v[k].amount;
        int64_t owed = prog_owed(in->amount, paid, before);
        int64_t covered = prog_covered(owed, repaid, before);
        json_array_append_new(a, json_pack("{sI si s:s sI sI sI s:s}", "envelope",
                                           (json_int_t)in->envelope, "seq", in->seq, "due", in->due,
                                           "amount", (json_int_t)in->amount, "owed",
                                           (json_int_t)owed, "repaid", (json_int_t)covered, "state",
                                           prog_inst_state(in->due, owed, covered, at)));
    }
    return a;
}

ml_err ml_project_show(ml_db *db, const ml_actor *who, int64_t id, const char *at, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    char day[11];
    ml_err r = project_open(db, who, id, false, &pj, &p);
    if (r || (r = prog_day(db, "at", at, day))) return r;
    prog_env envs[PROG_ENVELOPES];
    size_t nenv;
    prog_entries e;
    if ((r = prog_envelopes(db, p.id, envs, PROG_ENVELOPES, &nenv)) ||
        (r = prog_entries_load(db, p.id, 0, pj.id, &e)))
        return r;
    inst_list *l = calloc(1, sizeof *l);
    if (!l) {
        prog_entries_free(&e);
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    ml_sql_arg a[] = {PI(p.id), PI(pj.id)};
    r = prog_sql(db, ML_PROG_INSTS, a, NARGS(a), inst_row, l);
    json_t *j = r ? NULL : project_json(&pj), *entries = json_array(), *aid = json_array();
    for (size_t i = 0; entries && i < e.n; i++)
        json_array_append_new(entries, entry_json(&e.v[i], envs, nenv));
    for (size_t i = 0; aid && i < nenv; i++) {
        prog_entry *mine = NULL;
        int64_t sums[K_COUNT] = {0};
        for (size_t k = 0; k < e.n; k++)
            if (e.v[k].envelope == envs[i].id && strcmp(e.v[k].day, day) <= 0)
                sums[e.v[k].kind] += e.v[k].amount, mine = &e.v[k];
        if (mine)
            json_array_append_new(
                aid, json_pack("{sI s:s s:s sI sI sI}", "envelope", (json_int_t)envs[i].id,
                               "instrument", envs[i].instrument, "funder", envs[i].funder,
                               "committed", (json_int_t)(sums[K_COMMIT] - sums[K_CANCEL]), "paid",
                               (json_int_t)sums[K_PAY], "repaid", (json_int_t)sums[K_REPAY]));
    }
    firm_seen f;
    if (j && firm_get(db, pj.siret, &f) == ML_OK && f.name[0])
        json_object_set_new(j, "firm", json_string(f.name));
    json_t *routes = NULL; /* the schemes it was routed to (scheme.c) */
    if (j && !r && ml_project_routes(db, who, pj.id, &routes) == ML_OK)
        json_object_set(j, "routes", json_object_get(routes, "routes"));
    json_decref(routes);
    if (j && (json_object_set_new(j, "programme_name", json_string(p.name)) ||
              json_object_set_new(j, "at", json_string(day)) ||
              json_object_set_new(j, "entries", entries) || json_object_set_new(j, "aid", aid) ||
              json_object_set_new(j, "schedule", schedule_json(l, e.v, e.n, day)))) {
        json_decref(j);
        j = NULL;
    } else if (!j) {
        json_decref(entries);
        json_decref(aid);
    }
    free(l);
    prog_entries_free(&e);
    if (r) return r;
    if (!j) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    *out = j;
    return ML_OK;
}

ml_err ml_project_move(ml_db *db, const ml_actor *who, int64_t id, const char *stage, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    ml_err r = project_open(db, who, id, true, &pj, &p);
    if (r) return r;
    int from = stage_index(pj.stage), to = stage_index(stage);
    if (to < 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "unknown stage '%.30s' (detected, qualified, routed, applied, instructed, "
                       "committee, decided, signed, paid, completed, followed, rejected, "
                       "abandoned)",
                       stage ? stage : "");
    bool ok;
    if (to == S_DECIDED)
        return ml_fail(db->ctx, ML_REFUSED,
                       "a project becomes decided by a decision (project decide), which commits "
                       "its aid");
    if (from >= S_REJECTED)
        ok = false;
    else if (from < S_DECIDED)
        ok = to == from + 1 || to == from - 1 || to == S_ABANDONED ||
             (to == S_REJECTED && from >= S_COMMITTEE - 1);
    else
        ok = to == from + 1 && to <= S_FOLLOWED;
    if (!ok)
        return ml_fail(db->ctx, ML_REFUSED,
                       "project %lld cannot move from %s to %s: before the decision a project "
                       "moves one stage on or back, or is abandoned (rejected from instructed or "
                       "committee); after it, one stage on; rejected and abandoned are final",
                       (long long)id, pj.stage, stages[to]);
    ml_sql_arg a[] = {PI(pj.id), PT(stages[to]), PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_PROJ_STAGE, a, NARGS(a), NULL, NULL))) return r;
    return ml_project_show(db, who, id, NULL, out);
}

/* ------------------------------------------------------------ de minimis */

/* Aid a company (SIREN) was granted in the three years that end on `day`:
 * the commitments of every programme, less their cancellations, dated by
 * the decision; and the aid recorded from elsewhere. */
typedef struct aid_sum {
    const char *from, *to;
    int64_t total;
} aid_sum;

static int aid_row(void *ud, const char *const *c, size_t n)
{
    aid_sum *s = ud;
    const char *d = n > 2 && c[2] ? c[2] : "";
    if (strcmp(d, s->from) > 0 && strcmp(d, s->to) <= 0) s->total += prog_col_int(c, n, 3);
    return 0;
}

static ml_err de_minimis_used(ml_db *db, int64_t siren, const char *day, int64_t *programmes,
                              int64_t *other)
{
    char from[11];
    prog_add_months(day, -36, from);
    prog_entries e = {0};
    ml_sql_arg a[] = {PI(siren)};
    ml_err r = prog_sql(db, ML_PROG_SIREN_ENTRIES, a, 1, entry_row, &e);
    if ((r = entries_end(db, r, &e))) return r;
    *programmes = 0;
    for (size_t i = 0; i < e.n; i++) {
        if (e.v[i].kind != K_COMMIT) continue;
        bool first = true; /* the project's first commitment dates its grant */
        for (size_t k = 0; k < i; k++)
            first = first && !(e.v[k].project == e.v[i].project && e.v[k].kind == K_COMMIT);
        if (!first) continue;
        const char *granted = e.v[i].day;
        if (strcmp(granted, from) <= 0 || strcmp(granted, day) > 0) continue;
        for (size_t k = 0; k < e.n; k++)
            if (e.v[k].project == e.v[i].project && strcmp(e.v[k].day, day) <= 0)
                *programmes += e.v[k].kind == K_COMMIT   ? e.v[k].amount
                               : e.v[k].kind == K_CANCEL ? -e.v[k].amount
                                                         : 0;
    }
    prog_entries_free(&e);
    aid_sum s = {.from = from, .to = day};
    if ((r = prog_sql(db, ML_PROG_AIDS, a, 1, aid_row, &s))) return r;
    *other = s.total;
    return ML_OK;
}

ml_err ml_de_minimis(ml_db *db, const ml_actor *who, const char *siren, const char *at,
                     json_t **out)
{
    *out = NULL;
    if (!who || who->role < ML_ROLE_VIEWER)
        return ml_fail(db->ctx, ML_INVALID, "reading aid needs the viewer role");
    int64_t s = 0;
    char day[11], from[11];
    if (ml_siren_parse(siren, siren ? strlen(siren) : 0, &s) != ML_ID_OK)
        return ml_fail(db->ctx, ML_INVALID, "'%.20s' is not a valid SIREN", siren ? siren : "");
    ml_err r = prog_day(db, "at", at, day);
    int64_t programmes = 0, other = 0;
    if (r || (r = de_minimis_used(db, s, day, &programmes, &other))) return r;
    prog_add_months(day, -36, from);
    *out = json_pack("{s:s s:s s:s sI sI sI sI}", "siren", siren, "after", from, "at", day,
                     "programmes", (json_int_t)programmes, "other", (json_int_t)other, "ceiling",
                     (json_int_t)ML_DE_MINIMIS_CENTS, "left",
                     (json_int_t)(ML_DE_MINIMIS_CENTS - programmes - other));
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_aid_add(ml_db *db, const ml_actor *who, const char *siren, const char *date,
                  int64_t amount, const char *source, json_t **out)
{
    *out = NULL;
    if (!who || who->role < ML_ROLE_OFFICER)
        return ml_fail(db->ctx, ML_INVALID, "recording aid needs the officer role");
    int64_t s = 0;
    char day[11];
    if (ml_siren_parse(siren, siren ? strlen(siren) : 0, &s) != ML_ID_OK)
        return ml_fail(db->ctx, ML_INVALID, "'%.20s' is not a valid SIREN", siren ? siren : "");
    ml_err r = prog_day(db, "date", date, day);
    if (r || (r = prog_text_ok(db, "source", source, PROG_TEXT_MAX, true))) return r;
    if (amount <= 0 || amount > PROG_EUROS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "amount: between 0.01 and 10^12 euros");
    int64_t id = 0;
    ml_sql_arg a[] = {PI(s),      PT(day),       PI(amount),
                      PT(source), PT(who->name), PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_AID_ADD, a, NARGS(a), prog_first_id, &id))) return r;
    return ml_de_minimis(db, who, siren, day, out);
}

/* ------------------------------------------------------------- decisions */

/* The envelope of an instrument (and funder when given): ML_REFUSED when
 * there is none, ML_INVALID when several and no funder says which. */
static ml_err envelope_for(ml_db *db, const prog *p, const prog_env *envs, size_t n,
                           const char *instrument, const char *funder, const prog_env **out)
{
    *out = NULL;
    size_t found = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(envs[i].instrument, instrument) == 0 &&
            (!funder || !*funder || strcmp(envs[i].funder, funder) == 0)) {
            if (!*out) *out = &envs[i];
            found++;
        }
    if (!found)
        return ml_fail(db->ctx, ML_REFUSED, "programme '%s' has no %s envelope%s%s", p->name,
                       instrument, funder && *funder ? " of funder " : "",
                       funder && *funder ? funder : "");
    if (found > 1)
        return ml_fail(db->ctx, ML_INVALID, "programme '%s' has %zu %s envelopes: say which funder",
                       p->name, found, instrument);
    return ML_OK;
}

/* The rules of one envelope's aid to a project on the decision's day,
 * each checked (out[0..2]): the envelope's headroom on that day and after,
 * the most per project, the aid intensity for the company's size. A
 * check's detail is the refusal's sentence when it does not pass. */
static ml_err envelope_rules(ml_db *db, const prog_project *pj, const prog_env *env,
                             int64_t amount, const char *day, int size, prog_check out[3])
{
    char a[32], b[32], c[32];
    euros(amount, a);
    prog_entries e;
    ml_err r = prog_entries_load(db, pj->programme, env->id, 0, &e);
    if (r) return r;
    int coef[K_COUNT] = {[K_COMMIT] = -1, [K_CANCEL] = 1, [K_REPAY] = env->revolving ? 1 : 0};
    int64_t left = prog_headroom(e.v, e.n, day, env->amount, coef);
    prog_entries_free(&e);
    const char *funder = env->funder[0] ? env->funder : "";
    memset(out, 0, 3 * sizeof *out);
    for (int i = 0; i < 3; i++)
        ml_snprintf(out[i].instrument, sizeof out[i].instrument, "%s", env->instrument);
    ml_snprintf(out[0].rule, sizeof out[0].rule, "envelope");
    out[0].pass = amount <= left;
    euros(left, b);
    ml_snprintf(out[0].detail, sizeof out[0].detail,
                "the %s envelope%s%s has %s euros available on %s and after; %s euros asked",
                env->instrument, *funder ? " of " : "", funder, b, day, a);
    ml_snprintf(out[1].rule, sizeof out[1].rule, "max_project");
    out[1].pass = !env->max_project || amount <= env->max_project;
    euros(env->max_project, b);
    if (env->max_project)
        ml_snprintf(out[1].detail, sizeof out[1].detail,
                    "the most one project may get from the %s envelope is %s euros; %s euros "
                    "asked",
                    env->instrument, b, a);
    else
        ml_snprintf(out[1].detail, sizeof out[1].detail,
                    "the %s envelope sets no maximum per project", env->instrument);
    ml_snprintf(out[2].rule, sizeof out[2].rule, "intensity");
    int cap = size == 0 ? env->max_small : size == 1 ? env->max_medium : env->max_large;
    out[2].pass = !cap || amount * 100 <= (int64_t)cap * pj->eligible;
    euros(pj->eligible, b);
    euros(pj->eligible * cap / 100, c);
    if (!cap)
        ml_snprintf(out[2].detail, sizeof out[2].detail,
                    "the %s envelope sets no aid intensity cap for a %s company",
                    env->instrument, prog_size_name(size));
    else
        ml_snprintf(out[2].detail, sizeof out[2].detail,
                    "aid intensity: %s euros of %s aid is %s %d %% of the eligible expenses (%s "
                    "euros) allowed for a %s company: at most %s euros",
                    a, env->instrument, out[2].pass ? "within" : "more than", cap, b,
                    prog_size_name(size), c);
    return ML_OK;
}

/* The checks of one envelope's aid to a project, on the decision's day:
 * ML_REFUSED with the first rule that fails. */
static ml_err check_envelope(ml_db *db, const prog_project *pj, const prog_env *env, int64_t amount,
                             const char *day, int size)
{
    prog_check c[3];
    ml_err r = envelope_rules(db, pj, env, amount, day, size, c);
    for (int i = 0; !r && i < 3; i++)
        if (!c[i].pass) return ml_fail(db->ctx, ML_REFUSED, "%s", c[i].detail);
    return r;
}

/* The de minimis rule for `total` more euros to the project's company on `day`. */
static ml_err de_minimis_rule(ml_db *db, const prog_project *pj, int64_t total, const char *day,
                              prog_check *out)
{
    int64_t programmes = 0, other = 0;
    ml_err r = de_minimis_used(db, pj->siren, day, &programmes, &other);
    if (r) return r;
    char a[32], b[32], c[32], d[32], from[11];
    euros(total, a);
    euros(programmes + other, b);
    euros(ML_DE_MINIMIS_CENTS - programmes - other, c);
    euros(ML_DE_MINIMIS_CENTS, d);
    prog_add_months(day, -36, from);
    memset(out, 0, sizeof *out);
    ml_snprintf(out->rule, sizeof out->rule, "de_minimis");
    out->pass = programmes + other + total <= ML_DE_MINIMIS_CENTS;
    if (out->pass)
        ml_snprintf(out->detail, sizeof out->detail,
                    "de minimis: the company (SIREN %09lld) got %s euros of aid after %s; with %s "
                    "euros more it stays under the ceiling of %s euros over three years "
                    "(Regulation (EU) 2023/2831)",
                    (long long)pj->siren, b, from, a, d);
    else
        ml_snprintf(out->detail, sizeof out->detail,
                    "de minimis: the company (SIREN %09lld) got %s euros of aid after %s; %s "
                    "euros more would pass the ceiling of %s euros over three years (Regulation "
                    "(EU) 2023/2831): at most %s euros",
                    (long long)pj->siren, b, from, a, d, c);
    return ML_OK;
}

static ml_err entry_put(ml_db *db, const ml_actor *who, const prog_project *pj, int64_t envelope,
                        prog_kind kind, const char *day, int64_t amount, const char *note,
                        int64_t *id)
{
    ml_sql_arg a[] = {PI(pj->programme),
                      PI(envelope),
                      PI(pj->id),
                      PI(pj->siren),
                      PT(prog_kind_name(kind)),
                      PT(day),
                      PI(amount),
                      PT(note && *note ? note : NULL),
                      PT(who->name),
                      PI((int64_t)time(NULL))};
    *id = 0;
    return prog_sql(db, ML_PROG_ENTRY_ADD, a, NARGS(a), prog_first_id, id);
}

/* Writes the instalments of an advance: n of them, the first `deferral`
 * months after `day`, then every `every` months (each counted from `day`,
 * so a 31st stays the month's last day), amounts summing to `amount`. */
static ml_err schedule_put(ml_db *db, int64_t project, int64_t envelope, int64_t amount,
                           const char *day, int deferral, int n, int every)
{
    int64_t parts[PROG_INSTALMENTS_MAX];
    prog_split(amount, n, parts);
    ml_err r = ML_OK;
    for (int i = 0; !r && i < n; i++) {
        char due[11];
        prog_add_months(day, deferral + i * every, due);
        ml_sql_arg a[] = {PI(project), PI(envelope), PI(i + 1), PT(due), PI(parts[i])};
        r = prog_sql(db, ML_PROG_INST_ADD, a, NARGS(a), NULL, NULL);
    }
    return r;
}

/* One instrument's aid in a decision, with its envelope. */
typedef struct aid_line {
    const char *instrument;
    int64_t amount;
    const prog_env *env;
} aid_line;

/* The aid of a decision against the project's eligible expenses. */
static void eligible_rule(const prog_project *pj, int64_t total, prog_check *out)
{
    char a[32], b[32];
    euros(total, a);
    euros(pj->eligible, b);
    memset(out, 0, sizeof *out);
    ml_snprintf(out->rule, sizeof out->rule, "eligible");
    out->pass = total <= pj->eligible;
    ml_snprintf(out->detail, sizeof out->detail,
                out->pass ? "the aid (%s euros) is within the project's eligible expenses (%s euros)"
                          : "the aid (%s euros) exceeds the project's eligible expenses (%s euros)",
                a, b);
}

static int name_row(void *ud, const char *const *c, size_t n)
{
    prog_col_text(c, n, 2, ud, PROG_NAME_MAX + 1);
    return 0;
}

ml_err prog_decision_checks(ml_db *db, const prog_project *pj, int64_t subsidy, int64_t advance,
                            const char *day, prog_check *out, size_t max, size_t *n)
{
    *n = 0;
    if (max < 2 + 2 * 3) return ml_fail(db->ctx, ML_ERROR, "decision checks: room for 8");
    prog p = {.id = pj->programme};
    prog_env envs[PROG_ENVELOPES];
    size_t nenv;
    ml_err r = prog_envelopes(db, pj->programme, envs, PROG_ENVELOPES, &nenv);
    if (r) return r;
    ml_sql_arg a[] = {PI(pj->programme)};
    if ((r = prog_sql(db, ML_PROG_BY_ID, a, 1, name_row, p.name))) return r;
    eligible_rule(pj, subsidy + advance, &out[(*n)++]);
    firm_seen f;
    if ((r = firm_get(db, pj->siret, &f))) return r;
    int size = prog_company_size(f.category, f.band);
    const char *instruments[] = {"subsidy", "advance"};
    int64_t amounts[] = {subsidy, advance};
    for (size_t i = 0; i < 2; i++) {
        if (!amounts[i]) continue;
        const prog_env *env = NULL;
        r = envelope_for(db, &p, envs, nenv, instruments[i], NULL, &env);
        if (r == ML_REFUSED || r == ML_INVALID) { /* no envelope, or several: the check fails */
            prog_check *c = &out[(*n)++];
            memset(c, 0, sizeof *c);
            ml_snprintf(c->rule, sizeof c->rule, "envelope");
            ml_snprintf(c->instrument, sizeof c->instrument, "%s", instruments[i]);
            ml_snprintf(c->detail, sizeof c->detail, "%s", ml_ctx_message(db->ctx));
            continue;
        }
        if (r || (r = envelope_rules(db, pj, env, amounts[i], day, size, &out[*n]))) return r;
        *n += 3;
    }
    return de_minimis_rule(db, pj, subsidy + advance, day, &out[(*n)++]);
}

ml_err ml_project_decide(ml_db *db, const ml_actor *who, const ml_decision_in *in, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    char day[11];
    ml_err r = project_open(db, who, in->project, true, &pj, &p);
    if (r || (r = prog_day(db, "date", in->date, day))) return r;
    int stage = stage_index(pj.stage);
    if (stage >= S_DECIDED)
        return ml_fail(db->ctx, ML_REFUSED, "project %lld is already %s", (long long)pj.id,
                       pj.stage);
    /* The aid by instrument: subsidy, advance, then the others given. */
    aid_line lines[PROG_ENVELOPES];
    size_t n = 0;
    if (in->naid > PROG_ENVELOPES - 2)
        return ml_fail(db->ctx, ML_LIMIT, "at most %d instruments in a decision",
                       PROG_ENVELOPES - 2);
    if (in->subsidy) lines[n++] = (aid_line){"subsidy", in->subsidy, NULL};
    if (in->advance) lines[n++] = (aid_line){"advance", in->advance, NULL};
    for (size_t i = 0; i < in->naid; i++)
        lines[n++] = (aid_line){in->aid[i].instrument, in->aid[i].amount, NULL};
    bool schedule = false;
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!lines[i].instrument || !*lines[i].instrument)
            return ml_fail(db->ctx, ML_INVALID, "an aid line names its instrument");
        if ((r = amount_ok(db, lines[i].instrument, lines[i].amount))) return r;
        if (lines[i].amount <= 0)
            return ml_fail(db->ctx, ML_INVALID, "%s: an amount above 0", lines[i].instrument);
        for (size_t k = 0; k < i; k++)
            if (strcmp(lines[k].instrument, lines[i].instrument) == 0)
                return ml_fail(db->ctx, ML_INVALID, "%s is given twice", lines[i].instrument);
        if (repayable(lines[i].instrument)) {
            schedule = true;
            if (lines[i].amount < in->instalments)
                return ml_fail(db->ctx, ML_INVALID, "%s: fewer cents than instalments",
                               lines[i].instrument);
        }
        total += lines[i].amount;
    }
    if (!n)
        return ml_fail(db->ctx, ML_INVALID,
                       "a decision grants a subsidy, an advance or another instrument's aid");
    if (schedule &&
        (in->instalments < 1 || in->instalments > PROG_INSTALMENTS_MAX || in->every < 1 ||
         in->every > PROG_MONTHS_MAX || in->deferral < 0 || in->deferral > PROG_MONTHS_MAX))
        return ml_fail(db->ctx, ML_INVALID,
                       "an advance or a loan needs its schedule: instalments 1 to %d, every 1 "
                       "to %d months, a deferral of 0 to %d months",
                       PROG_INSTALMENTS_MAX, PROG_MONTHS_MAX, PROG_MONTHS_MAX);
    prog_env envs[PROG_ENVELOPES];
    size_t nenv;
    if ((r = prog_envelopes(db, p.id, envs, PROG_ENVELOPES, &nenv))) return r;
    for (size_t i = 0; i < n; i++)
        if ((r = envelope_for(db, &p, envs, nenv, lines[i].instrument, in->funder, &lines[i].env)))
            return r;
    prog_check el;
    eligible_rule(&pj, total, &el);
    if (!el.pass) return ml_fail(db->ctx, ML_REFUSED, "%s", el.detail);
    firm_seen f;
    if ((r = firm_get(db, pj.siret, &f))) return r;
    int size = prog_company_size(f.category, f.band);
    /* A dry run reads only (a read-only connection may make it). */
    if (!in->dry_run && (r = db->be->begin(db))) return r;
    int64_t id;
    if (!in->dry_run && (r = prog_sql(db, ML_PROG_LOCK, NULL, 0, NULL, NULL))) goto out;
    for (size_t i = 0; i < n; i++)
        if ((r = check_envelope(db, &pj, lines[i].env, lines[i].amount, day, size))) goto out;
    prog_check dm;
    if ((r = de_minimis_rule(db, &pj, total, day, &dm))) goto out;
    if (!dm.pass) {
        r = ml_fail(db->ctx, ML_REFUSED, "%s", dm.detail);
        goto out;
    }
    if (in->dry_run) { /* every check passed: nothing is written */
        *out = json_pack("{s:b}", "ok", true);
        return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        if ((r = entry_put(db, who, &pj, lines[i].env->id, K_COMMIT, day, lines[i].amount,
                           "decision", &id)))
            goto out;
        if (repayable(lines[i].instrument) &&
            (r = schedule_put(db, pj.id, lines[i].env->id, lines[i].amount, day, in->deferral,
                              in->instalments, in->every)))
            goto out;
    }
    ml_sql_arg s[] = {PI(pj.id), PT("decided"), PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_PROJ_STAGE, s, NARGS(s), NULL, NULL))) goto out;
    r = db->be->commit(db);
out:
    if (r) {
        if (!in->dry_run) db->be->rollback(db);
        return r;
    }
    return ml_project_show(db, who, pj.id, day, out);
}

/* --------------------------------------------------------------- ledger */

ml_err ml_ledger_add(ml_db *db, const ml_actor *who, const ml_entry_in *in, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    char day[11], a[32], b[32];
    ml_err r = project_open(db, who, in->project, true, &pj, &p);
    if (r || (r = prog_day(db, "date", in->date, day))) return r;
    int kind = prog_kind_parse(in->kind);
    if (kind != K_PAY && kind != K_REPAY && kind != K_CANCEL)
        return ml_fail(db->ctx, ML_INVALID,
                       "a ledger entry is pay, repay or cancel, not '%.20s' (commitments come "
                       "from decisions)",
                       in->kind ? in->kind : "");
    if (in->amount <= 0 || in->amount > PROG_EUROS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "amount: between 0.01 and 10^12 euros");
    if ((r = prog_text_ok(db, "note", in->note, PROG_TEXT_MAX, false))) return r;
    prog_env envs[PROG_ENVELOPES];
    size_t nenv;
    prog_entries e;
    if ((r = prog_envelopes(db, p.id, envs, PROG_ENVELOPES, &nenv))) return r;
    if ((r = db->be->begin(db))) return r;
    if ((r = prog_sql(db, ML_PROG_LOCK, NULL, 0, NULL, NULL)) ||
        (r = prog_entries_load(db, p.id, 0, pj.id, &e))) {
        db->be->rollback(db);
        return r;
    }
    /* The envelope: the one of the project's commitments of that instrument. */
    const prog_env *env = NULL;
    size_t found = 0;
    for (size_t i = 0; i < nenv; i++) {
        bool committed = false;
        for (size_t k = 0; k < e.n && !committed; k++)
            committed = e.v[k].envelope == envs[i].id && e.v[k].kind == K_COMMIT;
        if (committed && (!in->instrument || !*in->instrument ||
                          strcmp(in->instrument, envs[i].instrument) == 0)) {
            env = env ? env : &envs[i];
            found++;
        }
    }
    int64_t id = 0;
    if (!found) {
        r = ml_fail(db->ctx, ML_REFUSED, "project %lld has no %s%scommitment to %s",
                    (long long)pj.id, in->instrument ? in->instrument : "",
                    in->instrument ? " " : "", prog_kind_name((prog_kind)kind));
        goto out;
    }
    if (found > 1) {
        r = ml_fail(db->ctx, ML_INVALID,
                    "project %lld has aid of several instruments: say which (--instrument)",
                    (long long)pj.id);
        goto out;
    }
    if (kind == K_REPAY && !repayable(env->instrument)) {
        r = ml_fail(db->ctx, ML_REFUSED, "a %s is not repaid (only an advance or a loan is)",
                    env->instrument);
        goto out;
    }
    /* Keep this envelope's entries only: the headroom is the project's in it. */
    size_t m = 0;
    for (size_t k = 0; k < e.n; k++)
        if (e.v[k].envelope == env->id) e.v[m++] = e.v[k];
    int unpaid[K_COUNT] = {[K_COMMIT] = 1, [K_CANCEL] = -1, [K_PAY] = -1};
    int owed[K_COUNT] = {[K_PAY] = 1, [K_REPAY] = -1};
    int64_t room = prog_headroom(e.v, m, day, 0, kind == K_REPAY ? owed : unpaid);
    if (in->amount > room) {
        euros(in->amount, a);
        euros(room < 0 ? 0 : room, b);
        r = ml_fail(db->ctx, ML_REFUSED,
                    kind == K_PAY      ? "paying %s euros: only %s euros are committed and unpaid "
                                         "on %s and after"
                    : kind == K_CANCEL ? "cancelling %s euros: only %s euros are committed and "
                                         "unpaid on %s and after (what is paid is not cancelled)"
                                       : "repaying %s euros: only %s euros are paid and not "
                                         "repaid on %s and after",
                    a, b, day);
        goto out;
    }
    if ((r = entry_put(db, who, &pj, env->id, (prog_kind)kind, day, in->amount, in->note, &id)))
        goto out;
    if (kind == K_CANCEL && repayable(env->instrument)) {
        /* The schedule follows the advance left: the same days, amounts split again. */
        inst_list *l = calloc(1, sizeof *l);
        ml_sql_arg q[] = {PI(p.id), PI(pj.id)}, d[] = {PI(pj.id), PI(env->id)};
        int64_t sums[K_COUNT];
        prog_sums(e.v, m, NULL, sums);
        int64_t left = sums[K_COMMIT] - sums[K_CANCEL] - in->amount;
        if (!l) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        if (!r) r = prog_sql(db, ML_PROG_INSTS, q, NARGS(q), inst_row, l);
        if (!r) r = prog_sql(db, ML_PROG_INST_DROP, d, NARGS(d), NULL, NULL);
        size_t n = 0;
        int64_t parts[PROG_INSTALMENTS_MAX];
        for (size_t i = 0; l && i < l->n; i++)
            if (l->v[i].envelope == env->id && n < PROG_INSTALMENTS_MAX) l->v[n++] = l->v[i];
        if (n) prog_split(left, (int)n, parts);
        for (size_t i = 0; !r && i < n; i++) {
            ml_sql_arg s[] = {PI(pj.id), PI(env->id), PI(l->v[i].seq), PT(l->v[i].due),
                              PI(parts[i])};
            r = prog_sql(db, ML_PROG_INST_ADD, s, NARGS(s), NULL, NULL);
        }
        free(l);
    }
    if (!r) r = db->be->commit(db);
out:
    prog_entries_free(&e);
    if (r) {
        db->be->rollback(db);
        return r;
    }
    return ml_project_show(db, who, pj.id, day, out);
}

ml_err ml_ledger_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r) return r;
    prog_env envs[PROG_ENVELOPES];
    size_t nenv;
    prog_entries e;
    if ((r = prog_envelopes(db, p.id, envs, PROG_ENVELOPES, &nenv)) ||
        (r = prog_entries_load(db, p.id, 0, 0, &e)))
        return r;
    json_t *list = json_array();
    for (size_t i = 0; list && i < e.n; i++)
        if (json_array_append_new(list, entry_json(&e.v[i], envs, nenv))) {
            json_decref(list);
            list = NULL;
        }
    prog_entries_free(&e);
    *out = json_pack("{sI s:s s:o s:s}", "programme", (json_int_t)p.id, "name", p.name, "entries",
                     list, "money", "integer cents of euros");
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ---------------------------------------------------------------- impact */

typedef struct proj_list {
    prog_project *v;
    size_t n, cap;
} proj_list;

static int proj_collect(void *ud, const char *const *c, size_t n)
{
    proj_list *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        prog_project *v = realloc(l->v, cap * sizeof *v);
        if (!v) return 1;
        l->v = v;
        l->cap = cap;
    }
    memset(&l->v[l->n], 0, sizeof l->v[l->n]);
    project_row(&l->v[l->n++], c, n);
    return 0;
}

typedef struct inst_vec {
    prog_inst *v;
    size_t n, cap;
} inst_vec;

static int inst_collect(void *ud, const char *const *c, size_t n)
{
    inst_vec *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        prog_inst *v = realloc(l->v, cap * sizeof *v);
        if (!v) return 1;
        l->v = v;
        l->cap = cap;
    }
    prog_inst *i = &l->v[l->n++];
    i->project = prog_col_int(c, n, 0);
    i->envelope = prog_col_int(c, n, 1);
    i->seq = (int)prog_col_int(c, n, 2);
    prog_col_text(c, n, 3, i->due, sizeof i->due);
    i->amount = prog_col_int(c, n, 4);
    return 0;
}

static int by_project_envelope(const void *a, const void *b)
{
    const prog_entry *x = a, *y = b;
    if (x->project != y->project) return x->project < y->project ? -1 : 1;
    if (x->envelope != y->envelope) return x->envelope < y->envelope ? -1 : 1;
    return 0;
}

ml_err ml_programme_impact(ml_db *db, const ml_actor *who, const char *programme, const char *at,
                           json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], day[11];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = prog_day(db, "at", at, day))) return r;
    proj_list pl = {0};
    inst_vec iv = {0};
    prog_entries e = {0};
    ml_sql_arg a[] = {PI(p.id)}, b[] = {PI(p.id), PI(0)};
    r = prog_sql(db, ML_PROG_PROJ_LIST, a, 1, proj_collect, &pl);
    if (!r && pl.n && !pl.v) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r) r = prog_sql(db, ML_PROG_INSTS, b, NARGS(b), inst_collect, &iv);
    if (!r && iv.n && !iv.v) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r) r = prog_entries_load(db, p.id, 0, 0, &e);
    if (r) {
        free(pl.v);
        free(iv.v);
        return r;
    }
    /* Aid per project on the day: commitments less cancellations. */
    int64_t decided = 0, cost = 0, aid = 0, jobs_created = 0, jobs_kept = 0, paid = 0;
    for (size_t i = 0; i < pl.n; i++) {
        int s = stage_index(pl.v[i].stage);
        if (s < S_DECIDED || s > S_FOLLOWED) continue;
        int64_t mine = 0;
        for (size_t k = 0; k < e.n; k++)
            if (e.v[k].project == pl.v[i].id && strcmp(e.v[k].day, day) <= 0)
                mine += e.v[k].kind == K_COMMIT   ? e.v[k].amount
                        : e.v[k].kind == K_CANCEL ? -e.v[k].amount
                                                  : 0;
        if (mine <= 0) continue; /* decided after the day */
        decided++;
        cost += pl.v[i].cost;
        aid += mine;
        jobs_created += pl.v[i].jobs_created;
        jobs_kept += pl.v[i].jobs_kept;
    }
    /* Repayments: the instalments due by the day (what of them was paid
     * out) against the repayments of each project's envelope, applied in
     * order of due day. */
    size_t m = 0;
    int64_t due = 0, repaid = 0, covered_due = 0, late = 0, defaulted = 0;
    for (size_t k = 0; k < e.n; k++) {
        if (strcmp(e.v[k].day, day) > 0) continue;
        if (e.v[k].kind == K_PAY) paid += e.v[k].amount;
        if (e.v[k].kind == K_REPAY) repaid += e.v[k].amount;
        if (e.v[k].kind == K_PAY || e.v[k].kind == K_REPAY) e.v[m++] = e.v[k];
    }
    if (m) qsort(e.v, m, sizeof *e.v, by_project_envelope); /* e.v is NULL when empty */
    size_t j = 0;
    for (size_t i = 0; i < iv.n;) {
        size_t end = i;
        while (end < iv.n && iv.v[end].project == iv.v[i].project &&
               iv.v[end].envelope == iv.v[i].envelope)
            end++;
        int64_t out_paid = 0, back = 0;
        while (j < m && (e.v[j].project < iv.v[i].project ||
                         (e.v[j].project == iv.v[i].project && e.v[j].envelope < iv.v[i].envelope)))
            j++;
        for (; j < m && e.v[j].project == iv.v[i].project && e.v[j].envelope == iv.v[i].envelope;
             j++)
            *(e.v[j].kind == K_PAY ? &out_paid : &back) += e.v[j].amount;
        int64_t before = 0;
        for (size_t k = i; k < end; k++) {
            const prog_inst *in = &iv.v[k];
            int64_t owed = prog_owed(in->amount, out_paid, before);
            int64_t covered = prog_covered(owed, back, before);
            before += in->amount;
            if (strcmp(in->due, day) > 0) continue; /* not yet due */
            due += owed;
            covered_due += covered;
            const char *state = prog_inst_state(in->due, owed, covered, day);
            if (strcmp(state, "late") == 0) late += owed - covered;
            if (strcmp(state, "defaulted") == 0) defaulted += owed - covered;
        }
        i = end;
    }
    int64_t private_part = cost > aid ? cost - aid : 0;
    *out = json_pack(
        "{sI s:s s:s s:I s:I s:I s:I s:I s:I s:o s:o s:{s:I s:I s:I s:I s:I s:o} s:s}", "programme",
        (json_int_t)p.id, "name", p.name, "at", day, "projects_decided", (json_int_t)decided,
        "cost", (json_int_t)cost, "aid", (json_int_t)aid, "paid", (json_int_t)paid, "jobs_created",
        (json_int_t)jobs_created, "jobs_kept", (json_int_t)jobs_kept, "leverage",
        aid ? json_real((double)private_part / (double)aid) : json_null(), "aid_per_job_created",
        jobs_created ? json_integer(aid / jobs_created) : json_null(), "repayments", "due",
        (json_int_t)due, "repaid", (json_int_t)repaid, "repaid_of_due", (json_int_t)covered_due,
        "late", (json_int_t)late, "defaulted", (json_int_t)defaulted, "rate",
        due ? json_real((double)covered_due / (double)due) : json_null(), "jobs",
        "as declared in the projects (the jobs measured at the follow-ups: impact show, "
        "/indicators)");
    free(pl.v);
    free(iv.v);
    prog_entries_free(&e);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_project_edit(ml_db *db, const ml_actor *who, int64_t id, const ml_project_in *in,
                       json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    ml_err r = project_open(db, who, id, true, &pj, &p);
    if (r) return r;
    bool figures = (in->type && *in->type) || in->cost >= 0 || in->eligible >= 0 ||
                   in->jobs_created >= 0 || in->jobs_kept >= 0 || in->req_subsidy >= 0 ||
                   in->req_advance >= 0;
    if (figures && stage_index(pj.stage) >= S_DECIDED && stage_index(pj.stage) <= S_FOLLOWED)
        return ml_fail(db->ctx, ML_REFUSED,
                       "project %lld is %s: its figures are those the decision was checked "
                       "against (only its title and description change)",
                       (long long)pj.id, pj.stage);
    ml_project_in v = {
        .type = in->type && *in->type ? in->type : pj.type,
        .title = in->title ? in->title : pj.title,
        .description = in->description ? in->description : pj.description,
        .cost = in->cost >= 0 ? in->cost : pj.cost,
        .eligible = in->eligible > 0         ? in->eligible
                    : in->eligible == 0      ? 0 /* the cost */
                    : pj.eligible == pj.cost ? 0 /* it was the cost: it follows it */
                                             : pj.eligible,
        .jobs_created = in->jobs_created >= 0 ? in->jobs_created : pj.jobs_created,
        .jobs_kept = in->jobs_kept >= 0 ? in->jobs_kept : pj.jobs_kept,
        .req_subsidy = in->req_subsidy >= 0 ? in->req_subsidy : pj.req_subsidy,
        .req_advance = in->req_advance >= 0 ? in->req_advance : pj.req_advance,
    };
    if (v.eligible == 0) v.eligible = v.cost;
    if ((r = project_fields(db, v.type, &v))) return r;
    ml_sql_arg a[] = {PI(pj.id),
                      PT(v.type),
                      PT(v.title),
                      PT(v.description && *v.description ? v.description : NULL),
                      PI(v.cost),
                      PI(v.eligible),
                      PI(v.jobs_created),
                      PI(v.jobs_kept),
                      PI(v.req_subsidy),
                      PI(v.req_advance),
                      PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_PROJ_EDIT, a, NARGS(a), NULL, NULL))) return r;
    return ml_project_show(db, who, pj.id, NULL, out);
}

/* ------------------------------------------------------------ committee */

ml_err ml_programme_committee(ml_db *db, const ml_actor *who, const char *programme, const char *at,
                              json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], day[11];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = prog_day(db, "at", at, day))) return r;
    json_t *pos = NULL;
    char ref[24];
    ml_snprintf(ref, sizeof ref, "%lld", (long long)p.id);
    if ((r = ml_programme_position(db, who, ref, day, &pos))) return r;
    proj_list pl = {0};
    ml_sql_arg a[] = {PI(p.id)};
    r = prog_sql(db, ML_PROG_PROJ_LIST, a, 1, proj_collect, &pl);
    if (!r && pl.n && !pl.v) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        json_decref(pos);
        free(pl.v);
        return r;
    }
    /* Available before, and what the requests that pass take from it. */
    json_t *envs = json_object_get(pos, "envelopes");
    size_t nenv = json_array_size(envs);
    int64_t taken[PROG_ENVELOPES] = {0};
    json_t *items = json_array();
    /* A check as the officer would run it: the caller may only read, so
     * the dry run is made as a local officer of the programme. */
    ml_actor checker = {.role = ML_ROLE_OFFICER, .name = "committee", .site_admin = true};
    for (size_t i = 0; items && i < pl.n; i++) {
        if (strcmp(pl.v[i].stage, "committee") != 0) continue;
        ml_decision_in d = {.project = pl.v[i].id,
                            .date = day,
                            .subsidy = pl.v[i].req_subsidy,
                            .advance = pl.v[i].req_advance,
                            .instalments = 1,
                            .every = 1,
                            .dry_run = true};
        json_t *res = NULL;
        ml_err c = ml_project_decide(db, &checker, &d, &res);
        json_decref(res);
        const char *why = c ? ml_ctx_message(db->ctx) : NULL;
        if (c && c != ML_REFUSED && c != ML_INVALID) {
            r = c;
            break;
        }
        if (!c)
            for (size_t k = 0; k < nenv && k < PROG_ENVELOPES; k++) {
                const char *instr =
                    json_string_value(json_object_get(json_array_get(envs, k), "instrument"));
                if (instr && strcmp(instr, "subsidy") == 0) taken[k] += pl.v[i].req_subsidy;
                if (instr && strcmp(instr, "advance") == 0) taken[k] += pl.v[i].req_advance;
            }
        json_t *j = project_json(&pl.v[i]);
        firm_seen f;
        if (j && firm_get(db, pl.v[i].siret, &f) == ML_OK && f.name[0])
            json_object_set_new(j, "firm", json_string(f.name));
        if (j) {
            json_object_set_new(j, "passes", json_boolean(!c));
            json_object_set_new(j, "reason", why ? json_string(why) : json_null());
        }
        json_array_append_new(items, j);
    }
    json_t *after = json_array();
    for (size_t k = 0; after && k < nenv && k < PROG_ENVELOPES; k++) {
        json_t *e = json_array_get(envs, k);
        int64_t before = json_integer_value(json_object_get(e, "available"));
        json_array_append_new(after,
                              json_pack("{sO sO sO sI sI sI}", "id", json_object_get(e, "id"),
                                        "instrument", json_object_get(e, "instrument"), "funder",
                                        json_object_get(e, "funder"), "available_before",
                                        (json_int_t)before, "requested", (json_int_t)taken[k],
                                        "available_after", (json_int_t)(before - taken[k])));
    }
    free(pl.v);
    json_decref(pos);
    if (r) {
        json_decref(items);
        json_decref(after);
        return r;
    }
    *out = json_pack("{sI s:s s:s s:o s:o s:s}", "programme", (json_int_t)p.id, "name", p.name,
                     "at", day, "projects", items, "envelopes", after, "note",
                     "each project checked alone against the envelopes as they stand; the "
                     "envelopes after the committee if every request that passes is granted");
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ------------------------------------------ shared with impact.c, pole.c */

int prog_project_row(void *ud, const char *const *c, size_t n)
{
    return project_row(ud, c, n);
}

ml_err prog_project_open(ml_db *db, const ml_actor *who, int64_t id, bool write, prog_project *pj,
                         prog *p)
{
    return project_open(db, who, id, write, pj, p);
}

bool prog_project_decided(const prog_project *pj)
{
    int s = stage_index(pj->stage);
    return s >= S_DECIDED && s <= S_FOLLOWED;
}

void prog_firm_name(ml_db *db, int64_t siret, char name[200])
{
    firm_seen f;
    name[0] = '\0';
    if (firm_get(db, siret, &f) == ML_OK) ml_snprintf(name, 200, "%s", f.name);
}
