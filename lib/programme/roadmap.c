/* roadmap.c — a programme's roadmap (issue 13, item 2): actions with an
 * owner, a due day, a state and the project or need they serve; and the
 * roadmap document's content (the programme, each campaign's synthesis
 * with the secrecy rule applied, the actions), which lib/export writes as
 * PDF or .docx. */
#include <time.h>

#include "privacy/privacy.h"
#include "programme/programme.h"

#define ACTIONS_MAX 2000 /* actions of one programme */

static const char *const action_states[] = {"open", "done"};

typedef struct action {
    int64_t id, programme, campaign, project, created, updated;
    char title[PROG_TEXT_MAX + 1], owner[PROG_TEXT_MAX + 1], due[11], state[8], need[16];
    char author[160];
} action;

static int action_row(void *ud, const char *const *c, size_t n)
{
    action *a = ud;
    a->id = prog_col_int(c, n, 0);
    a->programme = prog_col_int(c, n, 1);
    a->campaign = prog_col_int(c, n, 2);
    prog_col_text(c, n, 3, a->title, sizeof a->title);
    prog_col_text(c, n, 4, a->owner, sizeof a->owner);
    prog_col_text(c, n, 5, a->due, sizeof a->due);
    prog_col_text(c, n, 6, a->state, sizeof a->state);
    a->project = prog_col_int(c, n, 7);
    prog_col_text(c, n, 8, a->need, sizeof a->need);
    prog_col_text(c, n, 9, a->author, sizeof a->author);
    a->created = prog_col_int(c, n, 10);
    a->updated = prog_col_int(c, n, 11);
    return 0;
}

static json_t *action_json(const action *a, const char *today)
{
    bool late = a->due[0] && strcmp(a->state, "open") == 0 && strcmp(a->due, today) < 0;
    return json_pack("{sI sI s:o s:s s:s? s:s? s:s s:b s:o s:s? s:s}", "id", (json_int_t)a->id,
                     "programme", (json_int_t)a->programme, "campaign",
                     a->campaign ? json_integer(a->campaign) : json_null(), "title", a->title,
                     "owner", a->owner[0] ? a->owner : NULL, "due", a->due[0] ? a->due : NULL,
                     "state", a->state, "late", late, "project",
                     a->project ? json_integer(a->project) : json_null(), "need",
                     a->need[0] ? a->need : NULL, "author", a->author);
}

static ml_err action_answer(ml_db *db, int64_t id, json_t **out)
{
    action a;
    memset(&a, 0, sizeof a);
    ml_sql_arg q[] = {PI(id)};
    ml_err r = prog_sql(db, ML_PROG_ACTION_BY_ID, q, 1, action_row, &a);
    if (r) return r;
    char today[11];
    prog_today(today);
    *out = action_json(&a, today);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

typedef struct count_state {
    int64_t n;
} count_state;

static int count_row(void *ud, const char *const *c, size_t n)
{
    (void)c;
    (void)n;
    ((count_state *)ud)->n++;
    return 0;
}

ml_err ml_action_add(ml_db *db, const ml_actor *who, const ml_action_in *in, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], due[11] = "";
    ml_err r = prog_open(db, who, in->programme, true, &p, role);
    if (r || (r = prog_text_ok(db, "title", in->title, PROG_TEXT_MAX, true)) ||
        (r = prog_text_ok(db, "owner", in->owner, PROG_TEXT_MAX, false)))
        return r;
    if (in->due && *in->due && (r = prog_day(db, "due", in->due, due))) return r;
    if (in->need && *in->need && prog_theme_index(in->need) < 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "need: a theme of the needs grid (skills, land, access, ecosystem, "
                       "innovation, digital, transition, finance, export), not '%.20s'",
                       in->need);
    if (in->project) {
        prog_project pj;
        r = prog_project_get(db, in->project, &pj);
        if (r == ML_NOTFOUND || (!r && pj.programme != p.id))
            return ml_fail(db->ctx, ML_NOTFOUND, "no project %lld in programme '%s'",
                           (long long)in->project, p.name);
        if (r) return r;
    }
    if (in->campaign) {
        int64_t *ids, *sirets;
        size_t n;
        char name[201];
        prog cp;
        r = prog_campaign_members(db, who, in->campaign, &cp, &ids, &sirets, &n, name);
        if (r) return r;
        free(ids);
        free(sirets);
        if (cp.id != p.id)
            return ml_fail(db->ctx, ML_NOTFOUND, "no campaign %lld in programme '%s'",
                           (long long)in->campaign, p.name);
    }
    count_state cs = {0};
    ml_sql_arg q[] = {PI(p.id)};
    if ((r = prog_sql(db, ML_PROG_ACTIONS, q, 1, count_row, &cs))) return r;
    if (cs.n >= ACTIONS_MAX)
        return ml_fail(db->ctx, ML_LIMIT, "at most %d actions in a roadmap", ACTIONS_MAX);
    int64_t id = 0;
    ml_sql_arg a[] = {PI(p.id),
                      in->campaign ? PI(in->campaign) : PT(NULL),
                      PT(in->title),
                      PT(in->owner && *in->owner ? in->owner : NULL),
                      PT(due[0] ? due : NULL),
                      in->project ? PI(in->project) : PT(NULL),
                      PT(in->need && *in->need ? in->need : NULL),
                      PT(who->name),
                      PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_ACTION_ADD, a, NARGS(a), prog_first_id, &id))) return r;
    return action_answer(db, id, out);
}

typedef struct action_list {
    json_t *list;
    const char *today;
    int64_t open, done, late;
} action_list;

static int actions_row(void *ud, const char *const *c, size_t n)
{
    action_list *l = ud;
    action a;
    memset(&a, 0, sizeof a);
    action_row(&a, c, n);
    json_t *j = action_json(&a, l->today);
    if (!j) return 1;
    l->open += strcmp(a.state, "open") == 0;
    l->done += strcmp(a.state, "done") == 0;
    l->late += json_is_true(json_object_get(j, "late"));
    return json_array_append_new(l->list, j) != 0;
}

static ml_err actions_load(ml_db *db, const prog *p, action_list *l)
{
    static char today[11];
    prog_today(today);
    memset(l, 0, sizeof *l);
    l->today = today;
    l->list = json_array();
    if (!l->list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_sql_arg q[] = {PI(p->id)};
    ml_err r = prog_sql(db, ML_PROG_ACTIONS, q, 1, actions_row, l);
    if (r) json_decref(l->list);
    return r;
}

ml_err ml_action_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    action_list l;
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = actions_load(db, &p, &l))) return r;
    *out = json_pack("{sI s:s s:o sI sI sI}", "programme", (json_int_t)p.id, "name", p.name,
                     "actions", l.list, "open", (json_int_t)l.open, "done", (json_int_t)l.done,
                     "late", (json_int_t)l.late);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_action_done(ml_db *db, const ml_actor *who, int64_t id, bool done, json_t **out)
{
    *out = NULL;
    action a;
    memset(&a, 0, sizeof a);
    ml_sql_arg q[] = {PI(id)};
    ml_err r = prog_sql(db, ML_PROG_ACTION_BY_ID, q, 1, action_row, &a);
    if (r) return r;
    prog p;
    char role[16];
    if (a.id) r = prog_open_id(db, who, a.programme, true, &p, role);
    if (!a.id || r == ML_NOTFOUND)
        return ml_fail(db->ctx, ML_NOTFOUND, "no action %lld in the programmes you run",
                       (long long)id);
    if (r) return r;
    ml_sql_arg u[] = {PI(id), PT(action_states[done ? 1 : 0]), PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_ACTION_STATE, u, NARGS(u), NULL, NULL))) return r;
    return action_answer(db, id, out);
}

/* ------------------------------------------------------- the document */

/* Needs as the document gives them: a count of 1 or 2 firms is null
 * (said "fewer than 3"), and a mean of fewer than 3 firms is not given. */
static json_t *protect_needs(json_t *needs)
{
    json_t *o = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(needs, key, v)
    {
        int64_t scored = json_integer_value(json_object_get(v, "scored"));
        json_object_set_new(
            o, key,
            json_pack("{s:o s:o s:o}", "scored", ml_safe_count(scored), "mean",
                      ml_count_secret(scored) ? json_null()
                                              : json_deep_copy(json_object_get(v, "mean")),
                      "strong", ml_safe_count(json_integer_value(json_object_get(v, "strong")))));
    }
    return o;
}

/* A campaign's synthesis as the document gives it: sectors of fewer than 3
 * firms folded into "other sectors" (and that one left out when it is
 * itself under 3), needs, red flags and project counts of 1 or 2 firms not
 * given, project types with fewer than 3 projects without their amounts. */
static json_t *protect(json_t *syn)
{
    json_t *sectors = json_array();
    int64_t other_firms = 0, other_iv = 0;
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(syn, "by_sector"), key, v)
    {
        int64_t firms = json_integer_value(json_object_get(v, "firms"));
        if (ml_count_secret(firms) || strcmp(key, "unknown") == 0) {
            other_firms += firms;
            other_iv += json_integer_value(json_object_get(v, "interviews"));
            continue;
        }
        json_array_append_new(sectors,
                              json_pack("{s:s sI s:o}", "sector", key, "firms", (json_int_t)firms,
                                        "needs", protect_needs(json_object_get(v, "needs"))));
    }
    json_t *flags = json_object();
    json_object_foreach(json_object_get(syn, "red_flags"), key, v)
        json_object_set_new(flags, key, ml_safe_count(json_integer_value(v)));
    json_t *types = json_array();
    size_t i;
    json_array_foreach(json_object_get(syn, "projects_by_type"), i, v)
    {
        int64_t n = json_integer_value(json_object_get(v, "projects"));
        json_t *t = json_pack("{s:O s:o}", "type", json_object_get(v, "type"), "projects",
                              ml_safe_count(n));
        if (t && !ml_count_secret(n)) {
            json_object_set(t, "cost", json_object_get(v, "cost"));
            json_object_set(t, "requested_subsidy", json_object_get(v, "requested_subsidy"));
            json_object_set(t, "requested_advance", json_object_get(v, "requested_advance"));
        }
        json_array_append_new(types, t);
    }
    int64_t firms = json_integer_value(json_object_get(syn, "firms"));
    return json_pack(
        "{s:O s:O? s:O s:o s:o s:o s:o s:o s:o}", "campaign", json_object_get(syn, "campaign"),
        "name", json_object_get(syn, "campaign_name"), "interviews",
        json_object_get(syn, "interviews"), "firms", json_integer(firms), "needs",
        ml_count_secret(firms) ? json_null() : protect_needs(json_object_get(syn, "needs")),
        "by_sector", sectors, "other_sectors",
        other_firms && !ml_count_secret(other_firms)
            ? json_pack("{sI sI}", "firms", (json_int_t)other_firms, "interviews",
                        (json_int_t)other_iv)
            : json_null(),
        "red_flags", flags, "projects_by_type", types);
}

ml_err ml_roadmap_document(ml_db *db, const ml_actor *who, const char *programme, json_t **out)
{
    *out = NULL;
    json_t *show = NULL, *camps = NULL, *eng = NULL, *list = json_array();
    action_list l;
    prog p;
    char role[16];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r) goto out;
    if ((r = ml_programme_show(db, who, programme, &show)) ||
        (r = ml_campaign_list(db, who, programme, &camps)))
        goto out;
    size_t i;
    json_t *c;
    bool generated = p.generated;
    json_array_foreach(json_object_get(camps, "campaigns"), i, c)
    {
        json_t *syn = NULL;
        if ((r = ml_campaign_synthesis(db, who, json_integer_value(json_object_get(c, "id")),
                                       &syn)))
            goto out;
        json_t *pr = protect(syn);
        json_decref(syn);
        if (pr) {
            json_object_set(pr, "start", json_object_get(c, "start"));
            json_object_set(pr, "end", json_object_get(c, "end"));
            json_object_set(pr, "planned", json_object_get(c, "planned"));
            json_object_set(pr, "done", json_object_get(c, "done"));
            json_object_set(pr, "listed", json_object_get(c, "firms"));
        }
        generated = generated || json_is_true(json_object_get(c, "generated"));
        json_array_append_new(list, pr);
    }
    eng = json_incref(json_object_get(camps, "engineering"));
    if ((r = actions_load(db, &p, &l))) goto out;
    char today[11];
    prog_today(today);
    *out = json_pack(
        "{s:O s:O? s:O? s:O? s:O s:b s:o s:o s:o s:s s:s}", "programme",
        json_object_get(show, "name"), "territory_name", json_object_get(show, "territory_name"),
        "start", json_object_get(show, "start"), "end", json_object_get(show, "end"), "envelopes",
        json_object_get(show, "envelopes"), "generated", generated, "engineering",
        eng ? eng : json_null(), "campaigns", list, "actions", l.list, "day", today, "secrecy",
        "figures from fewer than 3 firms are not given (sectors folded into other "
        "sectors, red flags and project amounts left out)");
    eng = list = NULL;
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    json_decref(show);
    json_decref(camps);
    json_decref(eng);
    json_decref(list);
    return r;
}
