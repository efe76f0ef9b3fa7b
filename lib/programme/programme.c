/* programme.c — programmes (issue 13): creation, the organisations that run
 * them and who may read or write, envelopes and their rules, the list, one
 * programme, and the position of its envelopes computed from the ledger. */
#include <time.h>

#include "programme/programme.h"
#include "territory/territory.h"

/* ------------------------------------------------------------ the runner */

ml_err prog_sql(ml_db *db, ml_prog_sql id, const ml_sql_arg *args, size_t nargs, ml_text_row_fn fn,
                void *ud)
{
    return db->be->programme_sql(db, id, args, nargs, fn, ud, NULL);
}

int64_t prog_col_int(const char *const *cols, size_t n, size_t i)
{
    return i < n && cols[i] ? strtoll(cols[i], NULL, 10) : 0;
}

void prog_col_text(const char *const *cols, size_t n, size_t i, char *out, size_t size)
{
    ml_snprintf(out, size, "%s", i < n && cols[i] ? cols[i] : "");
}

int prog_first_id(void *ud, const char *const *cols, size_t n)
{
    *(int64_t *)ud = prog_col_int(cols, n, 0);
    return 0;
}

static const char *const kind_names[K_COUNT] = {"commit", "pay", "repay", "cancel"};

const char *prog_kind_name(prog_kind k)
{
    return k < K_COUNT ? kind_names[k] : "?";
}

int prog_kind_parse(const char *s)
{
    for (int k = 0; s && k < K_COUNT; k++)
        if (strcmp(s, kind_names[k]) == 0) return k;
    return -1;
}

/* ----------------------------------------------------------------- money */

int ml_euros_parse(const char *text, int64_t *cents)
{
    if (!text) return -1;
    int64_t units = 0, frac = 0;
    int digits = 0, decimals = -1;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= '0' && c <= '9') {
            if (decimals >= 0) {
                if (++decimals > 2) return -1;
                frac = frac * 10 + (c - '0');
            } else {
                if (units > PROG_EUROS_MAX / 1000) return -1;
                units = units * 10 + (c - '0');
                digits++;
            }
        } else if ((c == '.' || c == ',') && decimals < 0 && digits) {
            decimals = 0;
        } else if (c == ' ' && decimals < 0 && digits && p[1] >= '0' && p[1] <= '9') {
            continue; /* thousands separated by spaces */
        } else {
            return -1;
        }
    }
    if (!digits || decimals == 0) return -1;
    if (decimals == 1) frac *= 10;
    int64_t v = units * 100 + frac;
    if (v > PROG_EUROS_MAX) return -1;
    *cents = v;
    return 0;
}

void ml_euros_format(int64_t cents, char *out, size_t size)
{
    ml_snprintf(out, size, "%s%lld.%02lld", cents < 0 ? "-" : "",
                (long long)(cents < 0 ? -cents : cents) / 100,
                (long long)(cents < 0 ? -cents : cents) % 100);
}

/* ------------------------------------------------------------------ days */

void prog_today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int month_days(int64_t y, int64_t m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

ml_err prog_day(ml_db *db, const char *field, const char *v, char out[11])
{
    if (!v || !*v) {
        prog_today(out);
        return ML_OK;
    }
    int64_t y, m, d;
    if (strlen(v) == 10 && v[4] == '-' && v[7] == '-' && ml_parse_i64(v, 4, 1900, 2200, &y) == 0 &&
        ml_parse_i64(v + 5, 2, 1, 12, &m) == 0 && ml_parse_i64(v + 8, 2, 1, 31, &d) == 0 &&
        d <= month_days(y, m)) {
        memcpy(out, v, 11);
        return ML_OK;
    }
    return ml_fail(db->ctx, ML_INVALID, "%s: '%.20s' is not a date (YYYY-MM-DD)", field, v);
}

void prog_add_months(const char *day, int months, char out[11])
{
    int64_t y = 0, m = 0, d = 0;
    ml_parse_i64(day, 4, 0, 9999, &y);
    ml_parse_i64(day + 5, 2, 1, 12, &m);
    ml_parse_i64(day + 8, 2, 1, 31, &d);
    int64_t total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    if (d > month_days(y, m)) d = month_days(y, m);
    ml_snprintf(out, 11, "%04lld-%02lld-%02lld", (long long)y, (long long)m, (long long)d);
}

/* ---------------------------------------------------------------- access */

static int prog_row(void *ud, const char *const *c, size_t n)
{
    prog *p = ud;
    p->id = prog_col_int(c, n, 0);
    p->org = prog_col_int(c, n, 1);
    prog_col_text(c, n, 2, p->name, sizeof p->name);
    prog_col_text(c, n, 3, p->territory, sizeof p->territory);
    prog_col_text(c, n, 4, p->territory_name, sizeof p->territory_name);
    prog_col_text(c, n, 5, p->start, sizeof p->start);
    prog_col_text(c, n, 6, p->end, sizeof p->end);
    prog_col_text(c, n, 7, p->author, sizeof p->author);
    p->created = prog_col_int(c, n, 8);
    p->generated = prog_col_int(c, n, 9) != 0;
    return 0;
}

static int text_row(void *ud, const char *const *c, size_t n)
{
    prog_col_text(c, n, 0, ud, 16);
    return 0;
}

/* who's role in programme p ("" when none). */
static ml_err role_of(ml_db *db, const ml_actor *who, const prog *p, char role[16])
{
    role[0] = '\0';
    if (!who || who->role < ML_ROLE_VIEWER) return ML_OK;
    if (who->site_admin) {
        ml_snprintf(role, 16, "admin");
        return ML_OK;
    }
    ml_sql_arg a[] = {PI(p->id), PI(who->org)};
    return prog_sql(db, ML_PROG_ORG_ROLE, a, NARGS(a), text_row, role);
}

static ml_err check_access(ml_db *db, const ml_actor *who, const char *ref, bool write, prog *p,
                           char role[16])
{
    ml_err r = role_of(db, who, p, role);
    if (r) return r;
    if (!p->id || !role[0])
        return ml_fail(db->ctx, ML_NOTFOUND,
                       "no programme '%.200s' among those your organisation runs", ref);
    if (write && strcmp(role, "admin") != 0 &&
        (strcmp(role, "officer") != 0 || who->role < ML_ROLE_OFFICER))
        return ml_fail(db->ctx, ML_INVALID,
                       "changing programme '%s' needs the officer role in an organisation that "
                       "is its officer (yours is its %s, you are %s there)",
                       p->name, role, ml_role_name(who->role));
    return ML_OK;
}

ml_err prog_open(ml_db *db, const ml_actor *who, const char *ref, bool write, prog *p,
                 char role[16])
{
    memset(p, 0, sizeof *p);
    role[0] = '\0';
    if (!ref || !*ref) return ml_fail(db->ctx, ML_INVALID, "give a programme (its id or name)");
    int64_t id = 0;
    ml_err r;
    if (ml_parse_i64(ref, strlen(ref), 1, INT64_MAX, &id) == 0) {
        ml_sql_arg a[] = {PI(id)};
        r = prog_sql(db, ML_PROG_BY_ID, a, 1, prog_row, p);
    } else {
        ml_sql_arg a[] = {PT(ref)};
        r = prog_sql(db, ML_PROG_BY_NAME, a, 1, prog_row, p);
    }
    if (r) return r;
    return check_access(db, who, ref, write, p, role);
}

ml_err prog_open_id(ml_db *db, const ml_actor *who, int64_t id, bool write, prog *p, char role[16])
{
    char ref[24];
    ml_snprintf(ref, sizeof ref, "%lld", (long long)id);
    return prog_open(db, who, ref, write, p, role);
}

/* ------------------------------------------------------------- envelopes */

typedef struct env_list {
    prog_env *v;
    size_t n, max;
} env_list;

static int env_row(void *ud, const char *const *c, size_t n)
{
    env_list *l = ud;
    if (l->n == l->max) return 0;
    prog_env *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    e->id = prog_col_int(c, n, 0);
    prog_col_text(c, n, 1, e->instrument, sizeof e->instrument);
    prog_col_text(c, n, 2, e->funder, sizeof e->funder);
    e->amount = prog_col_int(c, n, 3);
    e->max_project = prog_col_int(c, n, 4);
    e->max_small = (int)prog_col_int(c, n, 5);
    e->max_medium = (int)prog_col_int(c, n, 6);
    e->max_large = (int)prog_col_int(c, n, 7);
    e->revolving = prog_col_int(c, n, 8) != 0;
    return 0;
}

ml_err prog_envelopes(ml_db *db, int64_t programme, prog_env *out, size_t max, size_t *n)
{
    env_list l = {.v = out, .max = max};
    ml_sql_arg a[] = {PI(programme)};
    ml_err r = prog_sql(db, ML_PROG_ENVS, a, 1, env_row, &l);
    *n = l.n;
    return r;
}

static bool word_shape(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (!n || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-')) return false;
    return true;
}

static ml_err envelope_check(ml_db *db, const ml_envelope_in *in)
{
    if (!word_shape(in->instrument, 24))
        return ml_fail(db->ctx, ML_INVALID,
                       "an envelope's instrument is a word of a-z and '-' (subsidy, advance...), "
                       "not '%.30s'",
                       in->instrument ? in->instrument : "");
    ml_err r = prog_text_ok(db, "funder", in->funder, PROG_TEXT_MAX, false);
    if (r) return r;
    if (in->amount < 0 || in->amount > PROG_EUROS_MAX || in->max_project < 0 ||
        in->max_project > PROG_EUROS_MAX)
        return ml_fail(db->ctx, ML_INVALID, "envelope %s: an amount between 0 and 10^12 euros",
                       in->instrument);
    int caps[] = {in->max_small, in->max_medium, in->max_large};
    for (size_t i = 0; i < 3; i++)
        if (caps[i] < 0 || caps[i] > 100)
            return ml_fail(db->ctx, ML_INVALID,
                           "envelope %s: an aid intensity cap is a percentage, 0 to 100",
                           in->instrument);
    return ML_OK;
}

static ml_err envelope_put(ml_db *db, int64_t programme, const ml_envelope_in *in, int64_t *id)
{
    ml_sql_arg a[] = {PI(programme),      PT(in->instrument),  PT(in->funder ? in->funder : ""),
                      PI(in->amount),     PI(in->max_project), PI(in->max_small),
                      PI(in->max_medium), PI(in->max_large),   PI(in->revolving)};
    *id = 0;
    ml_err r = prog_sql(db, ML_PROG_ENV_ADD, a, NARGS(a), prog_first_id, id);
    if (r == ML_DB)
        return ml_fail(db->ctx, ML_INVALID,
                       "the programme already has a %s envelope of funder '%s'", in->instrument,
                       in->funder ? in->funder : "");
    return r;
}

/* ------------------------------------------------------------ programmes */

static json_t *envelope_json(const prog_env *e)
{
    return json_pack("{sI s:s s:s s:I s:I s:{s:i s:i s:i} s:b}", "id", (json_int_t)e->id,
                     "instrument", e->instrument, "funder", e->funder, "amount",
                     (json_int_t)e->amount, "max_project", (json_int_t)e->max_project,
                     "max_intensity", "small", e->max_small, "medium", e->max_medium, "large",
                     e->max_large, "revolving", e->revolving);
}

static json_t *programme_json(const prog *p, const char *role)
{
    json_t *j = json_pack(
        "{sI s:s s:I s:s? s:s? s:s? s:s? s:s s:b s:s s:s}", "id", (json_int_t)p->id, "name",
        p->name, "org", (json_int_t)p->org, "territory", p->territory[0] ? p->territory : NULL,
        "territory_name", p->territory_name[0] ? p->territory_name : NULL, "start",
        p->start[0] ? p->start : NULL, "end", p->end[0] ? p->end : NULL, "author", p->author,
        "generated", p->generated, "role", role, "money", "integer cents of euros");
    return j;
}

ml_err ml_programme_add(ml_db *db, const ml_actor *who, const ml_programme_in *in, json_t **out)
{
    *out = NULL;
    if (!who || who->role < ML_ROLE_OFFICER)
        return ml_fail(db->ctx, ML_INVALID, "creating a programme needs the officer role");
    ml_err r = prog_text_ok(db, "name", in->name, PROG_NAME_MAX, true);
    if (r) return r;
    int64_t digits = 0;
    if (ml_parse_i64(in->name, strlen(in->name), 0, INT64_MAX, &digits) == 0)
        return ml_fail(db->ctx, ML_INVALID, "a programme's name may not be only digits (ids are)");
    char start[11] = "", end[11] = "";
    if (in->start && *in->start && (r = prog_day(db, "start", in->start, start))) return r;
    if (in->end && *in->end && (r = prog_day(db, "end", in->end, end))) return r;
    if (start[0] && end[0] && strcmp(end, start) < 0)
        return ml_fail(db->ctx, ML_INVALID, "the period ends (%s) before it starts (%s)", end,
                       start);
    if (in->nenvelopes > PROG_ENVELOPES)
        return ml_fail(db->ctx, ML_LIMIT, "at most %d envelopes", PROG_ENVELOPES);
    for (size_t i = 0; i < in->nenvelopes; i++)
        if ((r = envelope_check(db, &in->envelopes[i]))) return r;
    ml_place place = {0};
    if (in->territory && *in->territory && (r = ml_place_resolve(db, in->territory, &place)))
        return r;
    if ((r = db->be->begin(db))) return r;
    int64_t id = 0;
    ml_sql_arg a[] = {PT(in->name),
                      PI(who->org),
                      PT(in->territory && *in->territory ? place.code : NULL),
                      PT(in->territory && *in->territory ? place.name : NULL),
                      PT(start[0] ? start : NULL),
                      PT(end[0] ? end : NULL),
                      PT(who->name),
                      PI((int64_t)time(NULL)),
                      PI(in->generated)};
    r = prog_sql(db, ML_PROG_ADD, a, NARGS(a), prog_first_id, &id);
    if (r == ML_DB) r = ml_fail(db->ctx, ML_INVALID, "a programme named '%s' exists", in->name);
    if (!r) {
        ml_sql_arg m[] = {PI(id), PI(who->org), PT("officer")};
        r = prog_sql(db, ML_PROG_ORG_PUT, m, NARGS(m), NULL, NULL);
    }
    for (size_t i = 0; !r && i < in->nenvelopes; i++) {
        int64_t env;
        r = envelope_put(db, id, &in->envelopes[i], &env);
    }
    if (!r) r = db->be->commit(db);
    if (r) {
        db->be->rollback(db);
        return r;
    }
    char ref[24];
    ml_snprintf(ref, sizeof ref, "%lld", (long long)id);
    return ml_programme_show(db, who, ref, out);
}

ml_err ml_programme_envelope(ml_db *db, const ml_actor *who, const char *programme,
                             const ml_envelope_in *in, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    ml_err r = prog_open(db, who, programme, true, &p, role);
    if (r || (r = envelope_check(db, in))) return r;
    prog_env envs[PROG_ENVELOPES];
    size_t n;
    if ((r = prog_envelopes(db, p.id, envs, PROG_ENVELOPES, &n))) return r;
    if (n >= PROG_ENVELOPES)
        return ml_fail(db->ctx, ML_LIMIT, "at most %d envelopes", PROG_ENVELOPES);
    int64_t id;
    if ((r = envelope_put(db, p.id, in, &id))) return r;
    return ml_programme_show(db, who, programme, out);
}

ml_err ml_programme_member(ml_db *db, const ml_actor *who, const char *programme, const char *org,
                           const char *role_name, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    ml_err r = prog_open(db, who, programme, true, &p, role);
    if (r) return r;
    static const char *const roles[] = {"officer", "funder", "committee", "reader"};
    bool known = false;
    for (size_t i = 0; i < ML_ARRAY_LEN(roles); i++)
        known = known || (role_name && strcmp(role_name, roles[i]) == 0);
    if (!known)
        return ml_fail(db->ctx, ML_INVALID,
                       "a programme role is officer, funder, committee or reader, not '%.20s'",
                       role_name ? role_name : "");
    int64_t id = 0;
    if (!org || !*org) return ml_fail(db->ctx, ML_INVALID, "give an organisation");
    ml_sql_arg a[] = {PT(org)};
    bool by_id = ml_parse_i64(org, strlen(org), 1, INT64_MAX, &id) == 0;
    if (by_id) a[0] = PI(id);
    id = 0;
    r = db->be->account_sql(db, by_id ? ML_ACCT_ORG_BY_ID : ML_ACCT_ORG_BY_NAME, a, 1,
                            prog_first_id, &id, NULL);
    if (r) return r;
    if (!id) return ml_fail(db->ctx, ML_NOTFOUND, "no organisation '%.200s'", org);
    ml_sql_arg m[] = {PI(p.id), PI(id), PT(role_name)};
    if ((r = prog_sql(db, ML_PROG_ORG_PUT, m, NARGS(m), NULL, NULL))) return r;
    return ml_programme_show(db, who, programme, out);
}

typedef struct list_state {
    ml_db *db;
    const ml_actor *who;
    json_t *list;
    ml_err err;
} list_state;

static int list_row(void *ud, const char *const *c, size_t n)
{
    list_state *s = ud;
    prog p;
    memset(&p, 0, sizeof p);
    prog_row(&p, c, n);
    char role[16];
    if ((s->err = role_of(s->db, s->who, &p, role))) return 1;
    if (role[0] && json_array_append_new(s->list, programme_json(&p, role))) {
        s->err = ml_fail(s->db->ctx, ML_NOMEM, "out of memory");
        return 1;
    }
    return 0;
}

ml_err ml_programme_list(ml_db *db, const ml_actor *who, json_t **out)
{
    *out = NULL;
    list_state s = {.db = db, .who = who, .list = json_array()};
    if (!s.list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r = prog_sql(db, ML_PROG_LIST, NULL, 0, list_row, &s);
    if (!r) r = s.err;
    if (r) {
        json_decref(s.list);
        return r;
    }
    *out = json_pack("{s:o}", "programmes", s.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

static int org_row(void *ud, const char *const *c, size_t n)
{
    json_array_append_new(ud, json_pack("{sI s:s? s:s?}", "org", (json_int_t)prog_col_int(c, n, 0),
                                        "name", n > 1 ? c[1] : NULL, "role", n > 2 ? c[2] : NULL));
    return 0;
}

ml_err ml_programme_show(ml_db *db, const ml_actor *who, const char *programme, json_t **out)
{
    *out = NULL;
    prog p;
    char role[16];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r) return r;
    prog_env envs[PROG_ENVELOPES];
    size_t n;
    if ((r = prog_envelopes(db, p.id, envs, PROG_ENVELOPES, &n))) return r;
    json_t *j = programme_json(&p, role), *orgs = json_array(), *ev = json_array();
    ml_sql_arg a[] = {PI(p.id)};
    if (j && orgs) r = prog_sql(db, ML_PROG_ORGS, a, 1, org_row, orgs);
    for (size_t i = 0; ev && i < n; i++)
        json_array_append_new(ev, envelope_json(&envs[i]));
    if (!r && (!j || !orgs || !ev || json_object_set_new(j, "organisations", orgs) ||
               json_object_set_new(j, "envelopes", ev))) {
        orgs = ev = NULL;
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    } else {
        orgs = ev = NULL;
    }
    if (r) {
        json_decref(j);
        return r;
    }
    *out = j;
    return ML_OK;
}

/* ------------------------------------------------------------- positions */

typedef struct sums_state {
    const prog_env *envs;
    size_t n;
    int64_t (*sums)[K_COUNT];
} sums_state;

static int sum_row(void *ud, const char *const *c, size_t n)
{
    sums_state *s = ud;
    int64_t env = prog_col_int(c, n, 0);
    int k = prog_kind_parse(n > 1 ? c[1] : NULL);
    for (size_t i = 0; k >= 0 && i < s->n; i++)
        if (s->envs[i].id == env) s->sums[i][k] += prog_col_int(c, n, 2);
    return 0;
}

ml_err ml_programme_position(ml_db *db, const ml_actor *who, const char *programme, const char *at,
                             json_t **out)
{
    *out = NULL;
    prog p;
    char role[16], day[11];
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r || (r = prog_day(db, "at", at, day))) return r;
    prog_env envs[PROG_ENVELOPES];
    size_t n;
    if ((r = prog_envelopes(db, p.id, envs, PROG_ENVELOPES, &n))) return r;
    int64_t sums[PROG_ENVELOPES][K_COUNT];
    memset(sums, 0, sizeof sums);
    sums_state s = {.envs = envs, .n = n, .sums = sums};
    ml_sql_arg a[] = {PI(p.id), PT(day)};
    /* The daily sums kept beside the entries (prog_entry_day): a few rows a
     * day instead of every entry; ml_programme_sums_check compares both. */
    if ((r = prog_sql(db, ML_PROG_DAY_SUMS, a, NARGS(a), sum_row, &s))) return r;
    json_t *list = json_array();
    int64_t total[4] = {0};
    for (size_t i = 0; list && i < n; i++) {
        int64_t committed = sums[i][K_COMMIT] - sums[i][K_CANCEL];
        int64_t available = envs[i].amount - committed + (envs[i].revolving ? sums[i][K_REPAY] : 0);
        json_t *e = envelope_json(&envs[i]);
        if (e && json_object_update_new(
                     e, json_pack("{sI sI sI sI sI}", "committed", (json_int_t)committed, "paid",
                                  (json_int_t)sums[i][K_PAY], "repaid",
                                  (json_int_t)sums[i][K_REPAY], "available", (json_int_t)available,
                                  "cancelled", (json_int_t)sums[i][K_CANCEL])) == 0)
            json_array_append_new(list, e);
        total[0] += envs[i].amount;
        total[1] += committed;
        total[2] += sums[i][K_PAY];
        total[3] += sums[i][K_REPAY];
    }
    *out = json_pack("{sI s:s s:s s:o s:{sI sI sI sI}}", "programme", (json_int_t)p.id, "name",
                     p.name, "at", day, "envelopes", list, "total", "amount", (json_int_t)total[0],
                     "committed", (json_int_t)total[1], "paid", (json_int_t)total[2], "repaid",
                     (json_int_t)total[3]);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err prog_text_ok(ml_db *db, const char *field, const char *v, size_t max, bool required)
{
    if (!v || !*v) return required ? ml_fail(db->ctx, ML_INVALID, "%s is required", field) : ML_OK;
    size_t n = strlen(v);
    if (n > max)
        return ml_fail(db->ctx, ML_LIMIT, "%s: at most %zu bytes (not %zu)", field, max, n);
    if (!ml_utf8_valid(v, n)) return ml_fail(db->ctx, ML_INVALID, "%s must be UTF-8 text", field);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
            return ml_fail(db->ctx, ML_INVALID, "%s holds a control character", field);
    return ML_OK;
}

ml_err ml_programme_sums_check(ml_db *db, const ml_actor *who, const char *programme,
                               int64_t *mismatches)
{
    prog p;
    char role[16];
    *mismatches = -1;
    ml_err r = prog_open(db, who, programme, false, &p, role);
    if (r) return r;
    ml_sql_arg a[] = {PI(p.id)};
    return prog_sql(db, ML_PROG_DAY_MISMATCH, a, 1, prog_first_id, mismatches);
}
