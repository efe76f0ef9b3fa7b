/* impact.c — the impact follow-up of a programme (issue 13 part 6): the
 * milestones it sets (months after each project's decision), the figures
 * recorded at each (jobs created and kept, investment realised), the
 * follow-ups due and overdue on a day, and the indicators per project and
 * for the programme: leverage, public aid per job, repayment rate, jobs
 * promised against realised (docs/methods.md, "Impact"). */
#include <time.h>

#include "programme/programme.h"

/* A follow-up not recorded this many months after its day is overdue. */
#define PROG_FOLLOWUP_GRACE_MONTHS 3

typedef struct fu_row {
    int64_t project, created, kept, invested;
    int months;
    char day[11];
    char note[PROG_TEXT_MAX + 1];
    char author[160];
} fu_row;

/* Everything the indicators read, loaded once. */
typedef struct impact_data {
    int months[ML_MILESTONES_MAX];
    size_t nmonths;
    prog_project *projects;
    size_t nprojects, cap_projects;
    fu_row *fus;
    size_t nfus, cap_fus;
    prog_inst *insts;
    size_t ninsts, cap_insts;
    int64_t *first_project; /* a project's first commitment, its day in first_day */
    char (*first_day)[11];
    size_t nfirsts, cap_firsts;
    prog_entries entries;
    bool nomem;
} impact_data;

#define GROW(v, n, cap, d)                                                                         \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            size_t c2 = (cap) ? (cap)*2 : 32;                                                      \
            void *p2 = realloc((v), c2 * sizeof *(v));                                             \
            if (!p2) {                                                                             \
                (d)->nomem = true;                                                                 \
                return 1;                                                                          \
            }                                                                                      \
            (v) = p2;                                                                              \
            (cap) = c2;                                                                            \
        }                                                                                          \
    } while (0)

static int months_row(void *ud, const char *const *c, size_t n)
{
    impact_data *d = ud;
    if (d->nmonths < ML_MILESTONES_MAX) d->months[d->nmonths++] = (int)prog_col_int(c, n, 0);
    return 0;
}

static int project_collect(void *ud, const char *const *c, size_t n)
{
    impact_data *d = ud;
    GROW(d->projects, d->nprojects, d->cap_projects, d);
    prog_project *p = &d->projects[d->nprojects++];
    memset(p, 0, sizeof *p);
    return prog_project_row(p, c, n);
}

static void fu_fill(fu_row *f, const char *const *c, size_t n)
{
    memset(f, 0, sizeof *f);
    f->project = prog_col_int(c, n, 0);
    f->months = (int)prog_col_int(c, n, 1);
    prog_col_text(c, n, 2, f->day, sizeof f->day);
    f->created = prog_col_int(c, n, 3);
    f->kept = prog_col_int(c, n, 4);
    f->invested = prog_col_int(c, n, 5);
    prog_col_text(c, n, 6, f->note, sizeof f->note);
    prog_col_text(c, n, 7, f->author, sizeof f->author);
}

static int fu_collect(void *ud, const char *const *c, size_t n)
{
    impact_data *d = ud;
    GROW(d->fus, d->nfus, d->cap_fus, d);
    fu_fill(&d->fus[d->nfus++], c, n);
    return 0;
}

static int inst_collect(void *ud, const char *const *c, size_t n)
{
    impact_data *d = ud;
    GROW(d->insts, d->ninsts, d->cap_insts, d);
    prog_inst *i = &d->insts[d->ninsts++];
    i->project = prog_col_int(c, n, 0);
    i->envelope = prog_col_int(c, n, 1);
    i->seq = (int)prog_col_int(c, n, 2);
    prog_col_text(c, n, 3, i->due, sizeof i->due);
    i->amount = prog_col_int(c, n, 4);
    return 0;
}

static int first_collect(void *ud, const char *const *c, size_t n)
{
    impact_data *d = ud;
    if (d->nfirsts == d->cap_firsts) {
        size_t cap = d->cap_firsts ? d->cap_firsts * 2 : 32;
        int64_t *a = realloc(d->first_project, cap * sizeof *a);
        if (a) d->first_project = a;
        char(*b)[11] = a ? realloc(d->first_day, cap * sizeof *b) : NULL;
        if (!a || !b) {
            d->nomem = true;
            return 1;
        }
        d->first_day = b;
        d->cap_firsts = cap;
    }
    d->first_project[d->nfirsts] = prog_col_int(c, n, 0);
    prog_col_text(c, n, 1, d->first_day[d->nfirsts], 11);
    d->nfirsts++;
    return 0;
}

static void data_free(impact_data *d)
{
    free(d->projects);
    free(d->fus);
    free(d->insts);
    free(d->first_project);
    free(d->first_day);
    prog_entries_free(&d->entries);
    memset(d, 0, sizeof *d);
}

static int by_project_envelope(const void *a, const void *b)
{
    const prog_entry *x = a, *y = b;
    if (x->project != y->project) return x->project < y->project ? -1 : 1;
    if (x->envelope != y->envelope) return x->envelope < y->envelope ? -1 : 1;
    return strcmp(x->day, y->day);
}

/* The programme's milestones, projects (one or all), follow-ups, first
 * commitments, instalments and entries (sorted by project, envelope). */
static ml_err data_load(ml_db *db, int64_t programme, int64_t project, impact_data *d)
{
    memset(d, 0, sizeof *d);
    ml_sql_arg a[] = {PI(programme)}, b[] = {PI(programme), PI(project)};
    ml_err r = prog_sql(db, ML_PROG_MILESTONES, a, 1, months_row, d);
    if (!r && project) {
        prog_project pj;
        if (!(r = prog_project_get(db, project, &pj))) {
            d->projects = malloc(sizeof pj);
            if (d->projects)
                d->projects[d->nprojects++] = pj, d->cap_projects = 1;
            else
                d->nomem = true;
        }
    } else if (!r) {
        r = prog_sql(db, ML_PROG_PROJ_LIST, a, 1, project_collect, d);
    }
    if (!r) r = prog_sql(db, ML_PROG_FOLLOWUPS, b, NARGS(b), fu_collect, d);
    if (!r) r = prog_sql(db, ML_PROG_INSTS, b, NARGS(b), inst_collect, d);
    if (!r) r = prog_sql(db, ML_PROG_FIRSTS, a, 1, first_collect, d);
    if (!r) r = prog_entries_load(db, programme, 0, project, &d->entries);
    if (!r && d->nomem) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        data_free(d);
        return r;
    }
    if (d->entries.n) qsort(d->entries.v, d->entries.n, sizeof *d->entries.v, by_project_envelope);
    return ML_OK;
}

/* The day of a project's first commitment ("" none): firsts come by project. */
static const char *decided_day(const impact_data *d, int64_t project)
{
    size_t lo = 0, hi = d->nfirsts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->first_project[mid] < project)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->nfirsts && d->first_project[lo] == project ? d->first_day[lo] : "";
}

/* The first follow-up of a project (follow-ups come by project, months): an
 * index into d->fus, d->nfus when it has none. */
static size_t first_followup(const impact_data *d, int64_t project)
{
    size_t lo = 0, hi = d->nfus;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->fus[mid].project < project)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ----------------------------------------------------------- milestones */

static json_t *months_json(const int *months, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_integer(months[i]));
    return a;
}

ml_err ml_impact_milestones(ml_db *db, const ml_actor *who, const char *programme,
                            const int *months, size_t n, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    ml_err r = prog_open(db, who, programme, true, &p, role);
    if (r) return r;
    if (n < 1 || n > ML_MILESTONES_MAX)
        return ml_fail(db->ctx, ML_INVALID, "a programme sets 1 to %d follow-up milestones",
                       ML_MILESTONES_MAX);
    int sorted[ML_MILESTONES_MAX];
    for (size_t i = 0; i < n; i++) {
        if (months[i] < 1 || months[i] > 240)
            return ml_fail(db->ctx, ML_INVALID,
                           "a milestone is a number of months after the decision, 1 to 240 "
                           "(not %d)",
                           months[i]);
        size_t k = i;
        for (; k > 0 && sorted[k - 1] > months[i]; k--)
            sorted[k] = sorted[k - 1];
        if (k > 0 && sorted[k - 1] == months[i])
            return ml_fail(db->ctx, ML_INVALID, "milestone %d is given twice", months[i]);
        sorted[k] = months[i];
    }
    if ((r = db->be->begin(db))) return r;
    ml_sql_arg a[] = {PI(p.id)};
    r = prog_sql(db, ML_PROG_MILESTONE_DROP, a, 1, NULL, NULL);
    for (size_t i = 0; !r && i < n; i++) {
        ml_sql_arg m[] = {PI(p.id), PI(sorted[i])};
        r = prog_sql(db, ML_PROG_MILESTONE_PUT, m, NARGS(m), NULL, NULL);
    }
    if (!r) r = db->be->commit(db);
    if (r) {
        db->be->rollback(db);
        return r;
    }
    *out = json_pack("{sI s:s s:o s:s}", "programme", (json_int_t)p.id, "name", p.name,
                     "milestones", months_json(sorted, n), "from",
                     "months after each project's decision (its first commitment)");
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ------------------------------------------------------------ follow-ups */

ml_err ml_impact_record(ml_db *db, const ml_actor *who, const ml_impact_in *in, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    char day[11];
    ml_err r = prog_project_open(db, who, in->project, true, &pj, &p);
    if (r || (r = prog_day(db, "date", in->date, day))) return r;
    impact_data d;
    if ((r = data_load(db, p.id, pj.id, &d))) return r;
    bool known = false;
    for (size_t i = 0; i < d.nmonths; i++)
        known = known || d.months[i] == in->months;
    const char *decided = decided_day(&d, pj.id);
    char decided_copy[11];
    ml_snprintf(decided_copy, sizeof decided_copy, "%s", decided);
    size_t nmonths = d.nmonths;
    int months[ML_MILESTONES_MAX];
    memcpy(months, d.months, sizeof months);
    data_free(&d);
    if (!prog_project_decided(&pj) || !decided_copy[0])
        return ml_fail(db->ctx, ML_REFUSED,
                       "project %lld is %s: its impact is followed once its aid is decided",
                       (long long)pj.id, pj.stage);
    if (!known) {
        char list[80] = "";
        size_t used = 0;
        for (size_t i = 0; i < nmonths && used < sizeof list - 8; i++)
            used +=
                (size_t)snprintf(list + used, sizeof list - used, "%s%d", i ? ", " : "", months[i]);
        return ml_fail(db->ctx, ML_INVALID,
                       nmonths ? "%d months is not a milestone of programme '%s' (%s)"
                               : "%d months: programme '%s' sets no follow-up milestones yet%s "
                                 "(impact milestones PROGRAMME 12,24,36)",
                       in->months, p.name, list);
    }
    if (strcmp(day, decided_copy) < 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "the figures are dated %s, before the project's decision (%s)", day,
                       decided_copy);
    if (in->jobs_created < 0 || in->jobs_kept < 0 || in->jobs_created > 1000000 ||
        in->jobs_kept > 1000000)
        return ml_fail(db->ctx, ML_INVALID, "jobs: a number between 0 and 1,000,000");
    if (in->invested < 0 || in->invested > PROG_EUROS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "investment realised: between 0 and 10^12 euros");
    if ((r = prog_text_ok(db, "note", in->note, PROG_TEXT_MAX, false))) return r;
    ml_sql_arg a[] = {PI(pj.id),
                      PI(in->months),
                      PT(day),
                      PI(in->jobs_created),
                      PI(in->jobs_kept),
                      PI(in->invested),
                      PT(in->note && *in->note ? in->note : NULL),
                      PT(who->name),
                      PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_FOLLOWUP_PUT, a, NARGS(a), NULL, NULL))) return r;
    char ref[24];
    ml_snprintf(ref, sizeof ref, "%lld", (long long)p.id);
    return ml_impact_report(db, who, ref, pj.id, NULL, out);
}

static const fu_row *followup_of(const impact_data *d, int64_t project, int months)
{
    for (size_t i = first_followup(d, project); i < d->nfus && d->fus[i].project == project; i++)
        if (d->fus[i].months == months) return &d->fus[i];
    return NULL;
}

ml_err ml_impact_due(ml_db *db, const ml_actor *who, const char *programme, const char *at,
                     bool all, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], day[11];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = prog_day(db, "at", at, day))) return r;
    impact_data d;
    if ((r = data_load(db, p.id, 0, &d))) return r;
    json_t *list = json_array();
    int64_t counts[4] = {0}; /* recorded, upcoming, due, overdue */
    static const char *const states[] = {"recorded", "upcoming", "due", "overdue"};
    for (size_t i = 0; list && i < d.nprojects; i++) {
        const prog_project *pj = &d.projects[i];
        const char *decided = decided_day(&d, pj->id);
        if (!prog_project_decided(pj) || !decided[0] || strcmp(decided, day) > 0) continue;
        char firm[200];
        prog_firm_name(db, pj->siret, firm);
        for (size_t k = 0; k < d.nmonths; k++) {
            char due[11], late[11];
            prog_add_months(decided, d.months[k], due);
            prog_add_months(due, PROG_FOLLOWUP_GRACE_MONTHS, late);
            const fu_row *f = followup_of(&d, pj->id, d.months[k]);
            int s = f && strcmp(f->day, day) <= 0 ? 0
                    : strcmp(due, day) > 0        ? 1
                    : strcmp(late, day) > 0       ? 2
                                                  : 3;
            counts[s]++;
            if (!all && s < 2) continue;
            json_array_append_new(list, json_pack("{sI s:s s:s? s:s s:i s:s s:s s:s?}", "project",
                                                  (json_int_t)pj->id, "title", pj->title, "firm",
                                                  firm[0] ? firm : NULL, "decided", decided,
                                                  "months", d.months[k], "due", due, "state",
                                                  states[s], "recorded", s == 0 ? f->day : NULL));
        }
    }
    json_t *m = months_json(d.months, d.nmonths);
    data_free(&d);
    *out = json_pack("{sI s:s s:s s:o s:i s:o s:{sI sI sI sI}}", "programme", (json_int_t)p.id,
                     "name", p.name, "at", day, "milestones", m, "grace_months",
                     PROG_FOLLOWUP_GRACE_MONTHS, "followups", list, "counts", "recorded",
                     (json_int_t)counts[0], "upcoming", (json_int_t)counts[1], "due",
                     (json_int_t)counts[2], "overdue", (json_int_t)counts[3]);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ------------------------------------------------------------ indicators */

/* A ratio, or null when the denominator is 0. */
static json_t *ratio(int64_t num, int64_t den)
{
    return den ? json_real((double)num / (double)den) : json_null();
}

/* Leverage: private euros per public euro, the private part never below 0. */
static json_t *leverage(int64_t cost, int64_t aid)
{
    return ratio(cost > aid ? cost - aid : 0, aid);
}

typedef struct project_sums {
    int64_t aid, paid, due, covered, late, defaulted;
} project_sums;

/* A project's aid and repayments on day `at`: its entries are e[0..n)
 * (sorted by envelope then day), its instalments in[0..ni) (by envelope,
 * seq). */
static void project_money(const prog_entry *e, size_t n, const prog_inst *in, size_t ni,
                          const char *at, project_sums *s)
{
    memset(s, 0, sizeof *s);
    for (size_t k = 0; k < n; k++) {
        if (strcmp(e[k].day, at) > 0) continue;
        if (e[k].kind == K_COMMIT) s->aid += e[k].amount;
        if (e[k].kind == K_CANCEL) s->aid -= e[k].amount;
        if (e[k].kind == K_PAY) s->paid += e[k].amount;
    }
    for (size_t i = 0; i < ni;) {
        size_t end = i;
        while (end < ni && in[end].envelope == in[i].envelope)
            end++;
        int64_t paid = 0, back = 0, before = 0;
        for (size_t k = 0; k < n; k++)
            if (e[k].envelope == in[i].envelope && strcmp(e[k].day, at) <= 0) {
                if (e[k].kind == K_PAY) paid += e[k].amount;
                if (e[k].kind == K_REPAY) back += e[k].amount;
            }
        for (size_t k = i; k < end; k++) {
            int64_t owed = prog_owed(in[k].amount, paid, before);
            int64_t covered = prog_covered(owed, back, before);
            before += in[k].amount;
            if (strcmp(in[k].due, at) > 0) continue;
            s->due += owed;
            s->covered += covered;
            const char *state = prog_inst_state(in[k].due, owed, covered, at);
            if (strcmp(state, "late") == 0) s->late += owed - covered;
            if (strcmp(state, "defaulted") == 0) s->defaulted += owed - covered;
        }
        i = end;
    }
}

typedef struct totals {
    int64_t decided, followed, aid, paid, cost, aid_followed, invested, promised_created,
        promised_kept, promised_created_followed, promised_kept_followed, created, kept, due,
        covered, late, defaulted;
} totals;

ml_err ml_impact_report(ml_db *db, const ml_actor *who, const char *programme, int64_t project,
                        const char *at, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], day[11];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = prog_day(db, "at", at, day))) return r;
    if (project) {
        prog_project pj;
        prog pp;
        if ((r = prog_project_open(db, who, project, false, &pj, &pp))) return r;
        if (pj.programme != p.id)
            return ml_fail(db->ctx, ML_NOTFOUND, "no project %lld in programme '%s'",
                           (long long)project, p.name);
    }
    impact_data d;
    if ((r = data_load(db, p.id, project, &d))) return r;
    json_t *list = json_array();
    totals t = {0};
    size_t e0 = 0, i0 = 0;
    for (size_t i = 0; list && i < d.nprojects; i++) {
        const prog_project *pj = &d.projects[i];
        /* This project's entries and instalments (both sorted by project). */
        while (e0 < d.entries.n && d.entries.v[e0].project < pj->id)
            e0++;
        size_t e1 = e0;
        while (e1 < d.entries.n && d.entries.v[e1].project == pj->id)
            e1++;
        while (i0 < d.ninsts && d.insts[i0].project < pj->id)
            i0++;
        size_t i1 = i0;
        while (i1 < d.ninsts && d.insts[i1].project == pj->id)
            i1++;
        const char *decided = decided_day(&d, pj->id);
        if (!prog_project_decided(pj) || !decided[0] || strcmp(decided, day) > 0) {
            e0 = e1, i0 = i1;
            continue;
        }
        project_sums s;
        project_money(d.entries.v + e0, e1 - e0, d.insts + i0, i1 - i0, day, &s);
        e0 = e1, i0 = i1;
        /* The latest follow-up dated on or before the day. */
        const fu_row *last = NULL;
        json_t *fus = json_array();
        for (size_t k = first_followup(&d, pj->id); k < d.nfus && d.fus[k].project == pj->id; k++) {
            const fu_row *f = &d.fus[k];
            if (strcmp(f->day, day) > 0) continue;
            if (!last || f->months > last->months) last = f;
            json_array_append_new(
                fus, json_pack("{s:i s:s sI sI sI s:s? s:s}", "months", f->months, "day", f->day,
                               "jobs_created", (json_int_t)f->created, "jobs_kept",
                               (json_int_t)f->kept, "invested", (json_int_t)f->invested, "note",
                               f->note[0] ? f->note : NULL, "author", f->author));
        }
        t.decided++;
        t.aid += s.aid;
        t.paid += s.paid;
        t.cost += pj->cost;
        t.promised_created += pj->jobs_created;
        t.promised_kept += pj->jobs_kept;
        t.due += s.due;
        t.covered += s.covered;
        t.late += s.late;
        t.defaulted += s.defaulted;
        if (last) {
            t.followed++;
            t.aid_followed += s.aid;
            t.invested += last->invested;
            t.created += last->created;
            t.kept += last->kept;
            t.promised_created_followed += pj->jobs_created;
            t.promised_kept_followed += pj->jobs_kept;
        }
        char siret[ML_SIRET_SIZE], firm[200];
        ml_siret_format(pj->siret, siret);
        prog_firm_name(db, pj->siret, firm);
        json_t *row = json_pack(
            "{sI s:s s:s? s:s s:s s:s s:s sI sI sI s:{sI sI} s:o s:o s:o s:o s:o s:o s:{sI sI sI "
            "sI s:o}}",
            "project", (json_int_t)pj->id, "title", pj->title, "firm", firm[0] ? firm : NULL,
            "siret", siret, "type", pj->type, "stage", pj->stage, "decided", decided, "cost",
            (json_int_t)pj->cost, "aid", (json_int_t)s.aid, "paid", (json_int_t)s.paid,
            "jobs_promised", "created", (json_int_t)pj->jobs_created, "kept",
            (json_int_t)pj->jobs_kept, "jobs_realised",
            last ? json_pack("{sI sI s:i s:s}", "created", (json_int_t)last->created, "kept",
                             (json_int_t)last->kept, "months", last->months, "day", last->day)
                 : json_null(),
            "invested", last ? json_integer(last->invested) : json_null(), "leverage",
            last ? leverage(last->invested, s.aid) : json_null(), "leverage_planned",
            leverage(pj->cost, s.aid), "aid_per_job",
            last ? ratio(s.aid, last->created + last->kept) : json_null(), "followups", fus,
            "repayments", "due", (json_int_t)s.due, "repaid", (json_int_t)s.covered, "late",
            (json_int_t)s.late, "defaulted", (json_int_t)s.defaulted, "rate",
            ratio(s.covered, s.due));
        if (row) {
            /* aid per job: whole cents, as every amount */
            json_t *apj = json_object_get(row, "aid_per_job");
            if (json_is_real(apj))
                json_object_set_new(row, "aid_per_job",
                                    json_integer((json_int_t)(json_real_value(apj) + 0.5)));
        }
        if (!row || json_array_append_new(list, row)) {
            json_decref(list);
            list = NULL;
        }
    }
    json_t *m = months_json(d.months, d.nmonths);
    data_free(&d);
    if (!list) {
        json_decref(m);
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    int64_t jobs = t.created + t.kept;
    *out = json_pack(
        "{sI s:s s:s s:b s:o s:o s:{sI sI sI sI sI sI sI s:{sI sI} s:{sI sI} s:{sI sI} s:o s:o "
        "s:o s:o s:{sI sI sI sI s:o}} s:s}",
        "programme", (json_int_t)p.id, "name", p.name, "at", day, "generated", p.generated,
        "milestones", m, "projects", list, "total", "projects_decided", (json_int_t)t.decided,
        "projects_followed", (json_int_t)t.followed, "cost", (json_int_t)t.cost, "aid",
        (json_int_t)t.aid, "paid", (json_int_t)t.paid, "aid_followed", (json_int_t)t.aid_followed,
        "invested", (json_int_t)t.invested, "jobs_promised", "created",
        (json_int_t)t.promised_created, "kept", (json_int_t)t.promised_kept,
        "jobs_promised_followed", "created", (json_int_t)t.promised_created_followed, "kept",
        (json_int_t)t.promised_kept_followed, "jobs_realised", "created", (json_int_t)t.created,
        "kept", (json_int_t)t.kept, "leverage",
        t.followed ? leverage(t.invested, t.aid_followed) : json_null(), "leverage_planned",
        leverage(t.cost, t.aid), "aid_per_job",
        jobs ? json_integer((t.aid_followed + jobs / 2) / jobs) : json_null(), "jobs_ratio",
        t.promised_created_followed + t.promised_kept_followed
            ? ratio(jobs, t.promised_created_followed + t.promised_kept_followed)
            : json_null(),
        "repayments", "due", (json_int_t)t.due, "repaid", (json_int_t)t.covered, "late",
        (json_int_t)t.late, "defaulted", (json_int_t)t.defaulted, "rate", ratio(t.covered, t.due),
        "money", "integer cents of euros");
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}
