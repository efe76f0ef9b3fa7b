/* committee.c — committee meetings of a programme (issue 13 part 5): the
 * meeting and its members, the agenda built from the projects ready
 * (instructed or at the committee stage) in an order the officer may
 * change, one sheet per project (the firm as the register may show it, its
 * interviews, the request, every rule of the decision checked by the
 * decision's own checks, the envelopes before and after), the members'
 * votes, and the committee's decision: a grant goes through
 * ml_project_decide (the ledger and its refusals stay one code path), a
 * refusal moves the project to rejected with the reason. */
#include <time.h>

#include "core/size_band.h"
#include "programme/programme.h"

#define COMMITTEE_MEMBERS_MAX 40
#define COMMITTEE_ITEMS_MAX   500
#define COMMITTEE_REASON_MAX  1000

typedef struct committee {
    int64_t id, programme, created;
    char day[11], place[PROG_TEXT_MAX + 1], author[160];
} committee;

static int committee_row(void *ud, const char *const *c, size_t n)
{
    committee *m = ud;
    m->id = prog_col_int(c, n, 0);
    m->programme = prog_col_int(c, n, 1);
    prog_col_text(c, n, 2, m->day, sizeof m->day);
    prog_col_text(c, n, 3, m->place, sizeof m->place);
    prog_col_text(c, n, 4, m->author, sizeof m->author);
    m->created = prog_col_int(c, n, 5);
    return 0;
}

/* A committee and its programme, as who may read (or change) it. */
static ml_err committee_open(ml_db *db, const ml_actor *who, int64_t id, bool write, committee *m,
                             prog *p)
{
    memset(m, 0, sizeof *m);
    char role[16];
    ml_sql_arg a[] = {PI(id)};
    ml_err r = prog_sql(db, ML_PROG_COM_BY_ID, a, 1, committee_row, m);
    if (!r && !m->id) r = ML_NOTFOUND;
    if (!r) r = prog_open_id(db, who, m->programme, write, p, role);
    if (r == ML_NOTFOUND)
        return ml_fail(db->ctx, ML_NOTFOUND, "no committee %lld in the programmes you run",
                       (long long)id);
    return r;
}

/* ------------------------------------------------------------- items */

typedef struct item {
    int64_t project;
    int seq;
    char decision[12];
    char reason[COMMITTEE_REASON_MAX + 1];
} item;

typedef struct items {
    item v[COMMITTEE_ITEMS_MAX];
    size_t n;
} items;

static int item_row(void *ud, const char *const *c, size_t n)
{
    items *l = ud;
    if (l->n == COMMITTEE_ITEMS_MAX) return 0;
    item *it = &l->v[l->n++];
    it->project = prog_col_int(c, n, 0);
    it->seq = (int)prog_col_int(c, n, 1);
    prog_col_text(c, n, 2, it->decision, sizeof it->decision);
    prog_col_text(c, n, 3, it->reason, sizeof it->reason);
    return 0;
}

static ml_err items_load(ml_db *db, int64_t committee_id, items **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_sql_arg a[] = {PI(committee_id)};
    ml_err r = prog_sql(db, ML_PROG_COM_ITEMS, a, 1, item_row, *out);
    if (r) {
        free(*out);
        *out = NULL;
    }
    return r;
}

static item *item_find(items *l, int64_t project)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].project == project) return &l->v[i];
    return NULL;
}

/* The projects of a programme ready for a committee, by id. */
typedef struct ready {
    int64_t v[COMMITTEE_ITEMS_MAX];
    size_t n;
} ready;

static int ready_row(void *ud, const char *const *c, size_t n)
{
    ready *l = ud;
    const char *stage = n > 13 && c[13] ? c[13] : "";
    if (l->n < COMMITTEE_ITEMS_MAX &&
        (strcmp(stage, "instructed") == 0 || strcmp(stage, "committee") == 0))
        l->v[l->n++] = prog_col_int(c, n, 0);
    return 0;
}

/* ----------------------------------------------------------- members */

typedef struct member {
    int seq;
    char name[PROG_TEXT_MAX + 1], organisation[PROG_TEXT_MAX + 1], role[PROG_TEXT_MAX + 1];
} member;

typedef struct members {
    member v[COMMITTEE_MEMBERS_MAX];
    size_t n;
} members;

static int member_row(void *ud, const char *const *c, size_t n)
{
    members *l = ud;
    if (l->n == COMMITTEE_MEMBERS_MAX) return 0;
    member *m = &l->v[l->n++];
    m->seq = (int)prog_col_int(c, n, 0);
    prog_col_text(c, n, 1, m->name, sizeof m->name);
    prog_col_text(c, n, 2, m->organisation, sizeof m->organisation);
    prog_col_text(c, n, 3, m->role, sizeof m->role);
    return 0;
}

static ml_err members_load(ml_db *db, int64_t committee_id, members *out)
{
    memset(out, 0, sizeof *out);
    ml_sql_arg a[] = {PI(committee_id)};
    return prog_sql(db, ML_PROG_COM_MEMBERS, a, 1, member_row, out);
}

/* ------------------------------------------------------------- votes */

typedef struct vote_row_s {
    int64_t project;
    int member;
    char vote[8];
} vote_row_s;

typedef struct votes {
    vote_row_s v[COMMITTEE_ITEMS_MAX * 4];
    size_t n;
} votes;

static int vote_row(void *ud, const char *const *c, size_t n)
{
    votes *l = ud;
    if (l->n == ML_ARRAY_LEN(l->v)) return 0;
    vote_row_s *v = &l->v[l->n++];
    v->project = prog_col_int(c, n, 0);
    v->member = (int)prog_col_int(c, n, 1);
    prog_col_text(c, n, 2, v->vote, sizeof v->vote);
    return 0;
}

static void tally(const votes *l, int64_t project, int t[3])
{
    t[0] = t[1] = t[2] = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].project == project)
            t[strcmp(l->v[i].vote, "for") == 0       ? 0
              : strcmp(l->v[i].vote, "against") == 0 ? 1
                                                     : 2]++;
}

/* --------------------------------------------------------------- add */

ml_err ml_committee_add(ml_db *db, const ml_actor *who, const ml_committee_in *in, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], day[11];
    ml_err r = prog_open(db, who, in->programme, true, &p, role);
    if (r || (r = prog_day(db, "date", in->date, day)) ||
        (r = prog_text_ok(db, "place", in->place, PROG_TEXT_MAX, false)))
        return r;
    if (!in->nmembers || in->nmembers > COMMITTEE_MEMBERS_MAX)
        return ml_fail(db->ctx, ML_INVALID,
                       "a committee has 1 to %d members (name, organisation, "
                       "role)",
                       COMMITTEE_MEMBERS_MAX);
    for (size_t i = 0; i < in->nmembers; i++) {
        const ml_committee_member *m = &in->members[i];
        if ((r = prog_text_ok(db, "a member's name", m->name, PROG_TEXT_MAX, true)) ||
            (r = prog_text_ok(db, "a member's organisation", m->organisation, PROG_TEXT_MAX, true)) ||
            (r = prog_text_ok(db, "a member's role", m->role, PROG_TEXT_MAX, true)))
            return r;
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->members[k].name, m->name) == 0)
                return ml_fail(db->ctx, ML_INVALID, "member '%s' is given twice", m->name);
    }
    ready *rd = calloc(1, sizeof *rd);
    if (!rd) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_sql_arg a[] = {PI(p.id)};
    if ((r = prog_sql(db, ML_PROG_PROJ_LIST, a, 1, ready_row, rd)) || (r = db->be->begin(db))) {
        free(rd);
        return r;
    }
    int64_t id = 0;
    ml_sql_arg c[] = {PI(p.id), PT(day), PT(in->place && *in->place ? in->place : NULL),
                      PT(who->name), PI((int64_t)time(NULL))};
    r = prog_sql(db, ML_PROG_COM_ADD, c, NARGS(c), prog_first_id, &id);
    for (size_t i = 0; !r && i < in->nmembers; i++) {
        ml_sql_arg m[] = {PI(id), PI((int64_t)i + 1), PT(in->members[i].name),
                          PT(in->members[i].organisation), PT(in->members[i].role)};
        r = prog_sql(db, ML_PROG_COM_MEMBER_ADD, m, NARGS(m), NULL, NULL);
    }
    for (size_t i = 0; !r && i < rd->n; i++) {
        ml_sql_arg m[] = {PI(id), PI(rd->v[i]), PI((int64_t)i + 1)};
        r = prog_sql(db, ML_PROG_COM_ITEM_PUT, m, NARGS(m), NULL, NULL);
    }
    free(rd);
    if (!r) r = db->be->commit(db);
    if (r) {
        db->be->rollback(db);
        return r;
    }
    return ml_committee_show(db, who, id, out);
}

/* -------------------------------------------------------------- list */

typedef struct com_list {
    ml_db *db;
    json_t *list;
    ml_err err;
} com_list;

static int com_list_row(void *ud, const char *const *c, size_t n)
{
    com_list *s = ud;
    committee m;
    memset(&m, 0, sizeof m);
    committee_row(&m, c, n);
    items *l = NULL;
    if ((s->err = items_load(s->db, m.id, &l))) return 1;
    size_t decided = 0;
    for (size_t i = 0; i < l->n; i++)
        decided += l->v[i].decision[0] != '\0';
    json_array_append_new(s->list, json_pack("{sI s:s s:s? sI sI s:b}", "id", (json_int_t)m.id,
                                             "day", m.day, "place", m.place[0] ? m.place : NULL,
                                             "projects", (json_int_t)l->n, "decided",
                                             (json_int_t)decided, "held", decided > 0));
    free(l);
    return 0;
}

ml_err ml_committee_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r) return r;
    com_list s = {.db = db, .list = json_array()};
    if (!s.list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_sql_arg a[] = {PI(p.id)};
    r = prog_sql(db, ML_PROG_COMS, a, 1, com_list_row, &s);
    if (!r) r = s.err;
    if (r) {
        json_decref(s.list);
        return r;
    }
    *out = json_pack("{sI s:s s:o}", "programme", (json_int_t)p.id, "name", p.name, "committees",
                     s.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* -------------------------------------------------------------- show */

typedef struct iv_state {
    int64_t siret;
    json_t *list;
} iv_state;

static int interview_row(void *ud, const char *const *c, size_t n)
{
    iv_state *s = ud;
    if (prog_col_int(c, n, 1) != s->siret) return 0;
    json_array_append_new(s->list,
                          json_pack("{s:s s:s s:s s:s?}", "day", n > 3 && c[3] ? c[3] : "",
                                    "scores", n > 4 && c[4] ? c[4] : "", "flags",
                                    n > 5 && c[5] ? c[5] : "", "notes", n > 6 ? c[6] : NULL));
    return 0;
}

static json_t *firm_json(const prog_firm_view *f)
{
    char siret[ML_SIRET_SIZE];
    ml_siret_format(f->siret, siret);
    const ml_size_band *b = ml_size_band_of(f->band[0] ? f->band : NULL);
    return json_pack("{s:s s:b s:s? s:s? s:s? s:s? s:s? s:s? s:s? s:s?}", "siret", siret,
                     "restricted", f->restricted, "name", f->name[0] ? f->name : NULL, "naf",
                     f->naf[0] ? f->naf : NULL, "naf_label", f->naf_label[0] ? f->naf_label : NULL,
                     "size_band", f->band[0] ? f->band : NULL, "size_label", b ? b->fr : NULL,
                     "category", f->category[0] ? f->category : NULL, "commune",
                     f->commune[0] ? f->commune : NULL, "commune_name",
                     f->commune_name[0] ? f->commune_name : NULL);
}

/* What a project's commitments (less cancellations) come to per envelope. */
static ml_err committed_by_envelope(ml_db *db, int64_t programme, int64_t project,
                                    const prog_env *envs, size_t nenv, int64_t *out)
{
    prog_entries e;
    ml_err r = prog_entries_load(db, programme, 0, project, &e);
    if (r) return r;
    for (size_t k = 0; k < nenv; k++)
        out[k] = 0;
    for (size_t i = 0; i < e.n; i++)
        for (size_t k = 0; k < nenv; k++)
            if (e.v[i].envelope == envs[k].id)
                out[k] += e.v[i].kind == K_COMMIT   ? e.v[i].amount
                          : e.v[i].kind == K_CANCEL ? -e.v[i].amount
                                                    : 0;
    prog_entries_free(&e);
    return ML_OK;
}

/* The index of the one envelope of an instrument, -1 when none or several. */
static int envelope_of(const prog_env *envs, size_t nenv, const char *instrument)
{
    int found = -1;
    for (size_t k = 0; k < nenv; k++)
        if (strcmp(envs[k].instrument, instrument) == 0) {
            if (found >= 0) return -1;
            found = (int)k;
        }
    return found;
}

static json_t *checks_json(const prog_check *c, size_t n, bool *all)
{
    json_t *a = json_array();
    *all = true;
    for (size_t i = 0; a && i < n; i++) {
        *all = *all && c[i].pass;
        json_array_append_new(a, json_pack("{s:s s:s? s:b s:s}", "rule", c[i].rule, "instrument",
                                           c[i].instrument[0] ? c[i].instrument : NULL, "pass",
                                           c[i].pass, "detail", c[i].detail));
    }
    return a;
}

typedef struct show_ctx {
    ml_db *db;
    const ml_actor *who;
    const prog *p;
    const committee *m;
    const members *mem;
    const votes *vt;
    const prog_env *envs;
    size_t nenv;
    int64_t *running; /* each envelope's available as the agenda goes */
} show_ctx;

/* One project's sheet. */
static ml_err sheet(show_ctx *s, const item *it, json_t **out)
{
    ml_db *db = s->db;
    prog_project pj;
    prog_firm_view f;
    ml_err r = prog_project_get(db, it->project, &pj);
    if (r || (r = prog_firm_view_get(db, pj.siret, &f))) return r;
    char siret[ML_SIRET_SIZE];
    ml_siret_format(pj.siret, siret);
    json_t *j = json_pack("{si sI s:s s:s s:s s:s? sI sI sI sI s:o}", "seq", it->seq, "project",
                          (json_int_t)pj.id, "title", pj.title, "type", pj.type, "stage", pj.stage,
                          "description", pj.description[0] ? pj.description : NULL, "cost",
                          (json_int_t)pj.cost, "eligible", (json_int_t)pj.eligible, "jobs_created",
                          (json_int_t)pj.jobs_created, "jobs_kept", (json_int_t)pj.jobs_kept,
                          "firm", firm_json(&f));
    if (!j) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    /* the interviews of the establishment in this programme */
    iv_state iv = {.siret = pj.siret, .list = json_array()};
    ml_sql_arg a[] = {PI(s->p->id)};
    if ((r = prog_sql(db, ML_PROG_INTERVIEWS, a, 1, interview_row, &iv))) goto fail;
    json_object_set_new(j, "interviews", iv.list);
    json_object_set_new(j, "request",
                        json_pack("{sI sI}", "subsidy", (json_int_t)pj.req_subsidy, "advance",
                                  (json_int_t)pj.req_advance));
    /* the request (or, once granted, what was committed) per envelope */
    int64_t take[PROG_ENVELOPES] = {0};
    bool decided = it->decision[0] != '\0', all = true;
    if (strcmp(it->decision, "granted") == 0) {
        if ((r = committed_by_envelope(db, s->p->id, pj.id, s->envs, s->nenv, take))) goto fail;
        json_object_set_new(j, "checks", json_array());
        json_object_set_new(j, "checked", json_string("at the decision (project decide)"));
    } else if (!decided) {
        prog_check c[PROG_CHECKS_MAX];
        size_t nc = 0;
        if (pj.req_subsidy || pj.req_advance) {
            if ((r = prog_decision_checks(db, &pj, pj.req_subsidy, pj.req_advance, s->m->day, c,
                                          PROG_CHECKS_MAX, &nc)))
                goto fail;
        }
        json_object_set_new(j, "checks", checks_json(c, nc, &all));
        json_object_set_new(j, "checked", json_string(s->m->day));
        if (!nc) all = false; /* nothing asked: nothing to grant */
        int ks = envelope_of(s->envs, s->nenv, "subsidy"),
            ka = envelope_of(s->envs, s->nenv, "advance");
        if (all && ks >= 0) take[ks] += pj.req_subsidy;
        if (all && ka >= 0) take[ka] += pj.req_advance;
    } else {
        json_object_set_new(j, "checks", json_array());
        json_object_set_new(j, "checked", json_null());
    }
    json_object_set_new(j, "passes", decided ? json_null() : json_boolean(all));
    json_t *env = json_array();
    for (size_t k = 0; env && k < s->nenv; k++) {
        json_array_append_new(env, json_pack("{sI s:s s:s sI sI sI}", "envelope",
                                             (json_int_t)s->envs[k].id, "instrument",
                                             s->envs[k].instrument, "funder", s->envs[k].funder,
                                             "available_before", (json_int_t)s->running[k], "taken",
                                             (json_int_t)take[k], "available_after",
                                             (json_int_t)(s->running[k] - take[k])));
        s->running[k] -= take[k];
    }
    json_object_set_new(j, "envelopes", env);
    /* votes */
    int t[3];
    tally(s->vt, pj.id, t);
    json_t *by = json_array();
    for (size_t i = 0; by && i < s->vt->n; i++) {
        if (s->vt->v[i].project != pj.id) continue;
        const char *name = "?";
        for (size_t k = 0; k < s->mem->n; k++)
            if (s->mem->v[k].seq == s->vt->v[i].member) name = s->mem->v[k].name;
        json_array_append_new(by, json_pack("{si s:s s:s}", "member", s->vt->v[i].member, "name",
                                            name, "vote", s->vt->v[i].vote));
    }
    json_object_set_new(j, "votes",
                        json_pack("{si si si s:o}", "for", t[0], "against", t[1], "abstain", t[2],
                                  "by_member", by));
    json_object_set_new(j, "decision", decided ? json_string(it->decision) : json_null());
    json_object_set_new(j, "reason", it->reason[0] ? json_string(it->reason) : json_null());
    /* once granted: the aid and the schedule, as the project shows them */
    if (strcmp(it->decision, "granted") == 0) {
        json_t *shown = NULL;
        if ((r = ml_project_show(db, s->who, pj.id, s->m->day, &shown))) goto fail;
        json_object_set(j, "aid", json_object_get(shown, "aid"));
        json_object_set(j, "schedule", json_object_get(shown, "schedule"));
        json_decref(shown);
    }
    *out = j;
    return ML_OK;
fail:
    json_decref(j);
    return r;
}

ml_err ml_committee_show(ml_db *db, const ml_actor *who, int64_t id, json_t **out)
{
    *out = NULL;
    committee m;
    prog p;
    ml_err r = committee_open(db, who, id, false, &m, &p);
    if (r) return r;
    members *mem = calloc(1, sizeof *mem);
    votes *vt = calloc(1, sizeof *vt);
    items *l = NULL;
    prog_env envs[PROG_ENVELOPES];
    size_t nenv = 0;
    int64_t running[PROG_ENVELOPES] = {0}, granted[PROG_ENVELOPES];
    json_t *pos = NULL, *agenda = json_array(), *j = NULL;
    if (!mem || !vt || !agenda) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    ml_sql_arg a[] = {PI(m.id)};
    char ref[24];
    ml_snprintf(ref, sizeof ref, "%lld", (long long)p.id);
    if ((r = members_load(db, m.id, mem)) || (r = items_load(db, m.id, &l)) ||
        (r = prog_sql(db, ML_PROG_COM_VOTES, a, 1, vote_row, vt)) ||
        (r = prog_envelopes(db, p.id, envs, PROG_ENVELOPES, &nenv)) ||
        (r = ml_programme_position(db, who, ref, m.day, &pos)))
        goto out;
    /* Available before the committee: on its day, its own grants given back. */
    json_t *pe = json_object_get(pos, "envelopes");
    for (size_t k = 0; k < nenv; k++)
        running[k] = json_integer_value(json_object_get(json_array_get(pe, k), "available"));
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].decision, "granted") != 0) continue;
        if ((r = committed_by_envelope(db, p.id, l->v[i].project, envs, nenv, granted))) goto out;
        for (size_t k = 0; k < nenv; k++)
            running[k] += granted[k];
    }
    json_t *before = json_array();
    for (size_t k = 0; before && k < nenv; k++)
        json_array_append_new(before,
                              json_pack("{sI s:s s:s sI sI}", "envelope", (json_int_t)envs[k].id,
                                        "instrument", envs[k].instrument, "funder", envs[k].funder,
                                        "amount", (json_int_t)envs[k].amount, "available_before",
                                        (json_int_t)running[k]));
    show_ctx s = {.db = db,
                  .who = who,
                  .p = &p,
                  .m = &m,
                  .mem = mem,
                  .vt = vt,
                  .envs = envs,
                  .nenv = nenv,
                  .running = running};
    size_t decided = 0;
    for (size_t i = 0; i < l->n; i++) {
        json_t *sh = NULL;
        if ((r = sheet(&s, &l->v[i], &sh))) {
            json_decref(before);
            goto out;
        }
        json_array_append_new(agenda, sh);
        decided += l->v[i].decision[0] != '\0';
    }
    for (size_t k = 0; k < nenv; k++)
        json_object_set_new(json_array_get(before, k), "available_after", json_integer(running[k]));
    json_t *mj = json_array();
    for (size_t i = 0; mj && i < mem->n; i++)
        json_array_append_new(mj, json_pack("{si s:s s:s s:s}", "seq", mem->v[i].seq, "name",
                                            mem->v[i].name, "organisation", mem->v[i].organisation,
                                            "role", mem->v[i].role));
    j = json_pack("{sI sI s:s s:b s:s s:s? s:s s:b sI sI s:o s:o s:o s:s s:s}", "id",
                  (json_int_t)m.id, "programme", (json_int_t)p.id, "programme_name", p.name,
                  "generated", p.generated, "day", m.day, "place", m.place[0] ? m.place : NULL,
                  "author", m.author, "held", decided > 0, "projects", (json_int_t)l->n, "decided",
                  (json_int_t)decided, "members", mj, "agenda", agenda, "envelopes", before,
                  "money", "integer cents of euros", "note",
                  "each undecided project checked alone against the rules on the committee's "
                  "day; the envelopes before and after follow the agenda's order, counting the "
                  "requests that pass and the aid granted");
    agenda = NULL;
    if (!j) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    json_decref(pos);
    json_decref(agenda);
    free(mem);
    free(vt);
    free(l);
    if (r) return r;
    *out = j;
    return ML_OK;
}

/* ------------------------------------------------------------- order */

ml_err ml_committee_order(ml_db *db, const ml_actor *who, int64_t id, const int64_t *projects,
                          size_t n, json_t **out)
{
    *out = NULL;
    committee m;
    prog p;
    ml_err r = committee_open(db, who, id, true, &m, &p);
    if (r) return r;
    if (!n || n > COMMITTEE_ITEMS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "give the projects in their new order (1 to %d)",
                       COMMITTEE_ITEMS_MAX);
    items *l = NULL;
    if ((r = items_load(db, m.id, &l))) return r;
    for (size_t i = 0; !r && i < n; i++) {
        for (size_t k = 0; k < i; k++)
            if (projects[k] == projects[i])
                r = ml_fail(db->ctx, ML_INVALID, "project %lld is given twice",
                            (long long)projects[i]);
        if (r || item_find(l, projects[i])) continue;
        /* a project not on the agenda joins it if it is ready */
        prog_project pj;
        if ((r = prog_project_get(db, projects[i], &pj)) == ML_NOTFOUND ||
            (!r && pj.programme != p.id))
            r = ml_fail(db->ctx, ML_NOTFOUND, "no project %lld in programme '%s'",
                        (long long)projects[i], p.name);
        else if (!r && strcmp(pj.stage, "instructed") != 0 && strcmp(pj.stage, "committee") != 0)
            r = ml_fail(db->ctx, ML_REFUSED,
                        "project %lld is %s: a committee's agenda takes projects instructed or "
                        "at the committee stage",
                        (long long)pj.id, pj.stage);
    }
    if (!r)
        r = db->be->begin(db);
    else {
        free(l);
        return r;
    }
    int seq = 1;
    for (size_t i = 0; !r && i < n; i++) {
        ml_sql_arg a[] = {PI(m.id), PI(projects[i]), PI(seq++)};
        r = prog_sql(db, ML_PROG_COM_ITEM_PUT, a, NARGS(a), NULL, NULL);
    }
    for (size_t i = 0; !r && i < l->n; i++) {
        bool given = false;
        for (size_t k = 0; k < n; k++)
            given = given || projects[k] == l->v[i].project;
        if (given) continue;
        ml_sql_arg a[] = {PI(m.id), PI(l->v[i].project), PI(seq++)};
        r = prog_sql(db, ML_PROG_COM_ITEM_PUT, a, NARGS(a), NULL, NULL);
    }
    free(l);
    if (!r) r = db->be->commit(db);
    if (r) {
        db->be->rollback(db);
        return r;
    }
    return ml_committee_show(db, who, m.id, out);
}

/* -------------------------------------------------------------- vote */

ml_err ml_committee_vote(ml_db *db, const ml_actor *who, int64_t id, int64_t project,
                         const char *member_ref, const char *vote, json_t **out)
{
    *out = NULL;
    committee m;
    prog p;
    ml_err r = committee_open(db, who, id, true, &m, &p);
    if (r) return r;
    if (!vote || (strcmp(vote, "for") && strcmp(vote, "against") && strcmp(vote, "abstain")))
        return ml_fail(db->ctx, ML_INVALID, "a vote is for, against or abstain, not '%.20s'",
                       vote ? vote : "");
    members *mem = calloc(1, sizeof *mem);
    items *l = NULL;
    if (!mem) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if ((r = members_load(db, m.id, mem)) || (r = items_load(db, m.id, &l))) goto out;
    int seq = 0;
    int64_t num = 0;
    bool by_number = member_ref && ml_parse_i64(member_ref, strlen(member_ref), 1, 1000, &num) == 0;
    for (size_t i = 0; member_ref && i < mem->n; i++)
        if ((by_number && mem->v[i].seq == num) || strcmp(mem->v[i].name, member_ref) == 0)
            seq = mem->v[i].seq;
    item *it = item_find(l, project);
    if (!seq)
        r = ml_fail(db->ctx, ML_NOTFOUND,
                    "no member '%.100s' in committee %lld (its number or "
                    "its name)",
                    member_ref ? member_ref : "", (long long)m.id);
    else if (!it)
        r = ml_fail(db->ctx, ML_NOTFOUND, "project %lld is not on committee %lld's agenda",
                    (long long)project, (long long)m.id);
    else if (it->decision[0])
        r = ml_fail(db->ctx, ML_REFUSED, "project %lld is decided (%s): the votes are closed",
                    (long long)project, it->decision);
    if (!r) {
        ml_sql_arg a[] = {PI(m.id), PI(project), PI(seq), PT(vote)};
        r = prog_sql(db, ML_PROG_COM_VOTE_PUT, a, NARGS(a), NULL, NULL);
    }
out:
    free(mem);
    free(l);
    if (r) return r;
    return ml_committee_show(db, who, m.id, out);
}

/* ------------------------------------------------------------ decide */

ml_err ml_committee_decide(ml_db *db, const ml_actor *who, const ml_committee_decision_in *in,
                           json_t **out)
{
    *out = NULL;
    committee m;
    prog p;
    ml_err r = committee_open(db, who, in->committee, true, &m, &p);
    if (r) return r;
    items *l = NULL;
    votes *vt = calloc(1, sizeof *vt);
    if (!vt) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_sql_arg a[] = {PI(m.id)};
    if ((r = items_load(db, m.id, &l)) || (r = prog_sql(db, ML_PROG_COM_VOTES, a, 1, vote_row, vt)))
        goto out;
    item *it = item_find(l, in->project);
    if (!it) {
        r = ml_fail(db->ctx, ML_NOTFOUND, "project %lld is not on committee %lld's agenda",
                    (long long)in->project, (long long)m.id);
        goto out;
    }
    if (it->decision[0]) {
        r = ml_fail(db->ctx, ML_REFUSED, "committee %lld has decided project %lld: %s",
                    (long long)m.id, (long long)in->project, it->decision);
        goto out;
    }
    json_t *res = NULL;
    if (in->grant) {
        int t[3];
        tally(vt, in->project, t);
        if (t[0] + t[1] + t[2] && t[0] <= t[1]) {
            r = ml_fail(db->ctx, ML_REFUSED,
                        "the votes recorded (for %d, against %d, abstain %d) do not carry a "
                        "grant: it needs more votes for than against",
                        t[0], t[1], t[2]);
            goto out;
        }
        if ((r = prog_text_ok(db, "reason", in->reason, COMMITTEE_REASON_MAX, false))) goto out;
        ml_decision_in d = in->aid;
        d.project = in->project;
        d.date = m.day;
        d.dry_run = false;
        if ((r = ml_project_decide(db, who, &d, &res))) goto out; /* refused: its reason */
    } else {
        if ((r = prog_text_ok(db, "reason", in->reason, COMMITTEE_REASON_MAX, true))) {
            r = ml_fail(db->ctx, ML_INVALID, "a refusal says its reason (--reason)");
            goto out;
        }
        if ((r = ml_project_move(db, who, in->project, "rejected", &res))) goto out;
    }
    json_decref(res);
    ml_sql_arg d[] = {PI(m.id), PI(in->project), PT(in->grant ? "granted" : "refused"),
                      PT(in->reason && *in->reason ? in->reason : NULL)};
    r = prog_sql(db, ML_PROG_COM_ITEM_DECIDE, d, NARGS(d), NULL, NULL);
out:
    free(l);
    free(vt);
    if (r) return r;
    return ml_committee_show(db, who, m.id, out);
}
