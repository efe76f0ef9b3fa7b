/* event.c — business conventions (issue 14): events, participants,
 * requests, suggestions from the supplier/customer engine, the schedule
 * (lib/schedule through maillage.h, checked before it is saved), agendas,
 * personal links and outcomes. The rules live here; the store keeps rows. */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "event/event.h"

/* ------------------------------------------------------------------- rules */

bool ev_reads_org(const ml_actor *who, int64_t org)
{
    if (!who) return false;
    if (who->site_admin) return true;
    if (who->role < ML_ROLE_VIEWER) return false;
    if (org == who->org) return true;
    for (size_t i = 0; i < who->norgs; i++)
        if (who->orgs[i] == org) return true;
    return false;
}

ml_err ev_may_write(ml_db *db, const ml_actor *who, int64_t org)
{
    if (who && (who->site_admin || (who->role >= ML_ROLE_OFFICER && who->org == org))) return ML_OK;
    return ml_fail(db->ctx, ML_INVALID,
                   "changing an event needs the role 'officer' in the organisation that runs it");
}

ml_err ev_check_text(ml_db *db, const char *field, const char *v, size_t max, bool required)
{
    if (!v || !*v) return required ? ml_fail(db->ctx, ML_INVALID, "%s is required", field) : ML_OK;
    size_t n = strlen(v);
    if (n > max)
        return ml_fail(db->ctx, ML_LIMIT, "%s: at most %zu bytes (not %zu)", field, max, n);
    if (!ml_utf8_valid(v, n)) return ml_fail(db->ctx, ML_INVALID, "%s must be UTF-8 text", field);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return ml_fail(db->ctx, ML_INVALID, "%s holds a control character (byte %zu)", field,
                           (size_t)(p - (const unsigned char *)v) + 1);
    return ML_OK;
}

static bool digits_only(const char *s)
{
    if (!s || !*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

static int64_t now_seconds(void)
{
    return (int64_t)time(NULL);
}

static ml_err run(ml_db *db, ml_event_sql id, const ml_sql_arg *args, size_t n, ml_text_row_fn fn,
                  void *ud)
{
    return db->be->event_sql(db, id, args, n, fn, ud, NULL);
}

#define INT(v) ((ml_sql_arg){.type = ML_ARG_INT, .i = (v)})
static inline ml_sql_arg TEXT(const char *v)
{
    return (ml_sql_arg){.type = v ? ML_ARG_TEXT : ML_ARG_NULL, .s = v};
}

static int first_id(void *ud, const char *const *c, size_t n)
{
    int64_t *id = ud;
    if (n >= 1 && c[0]) ml_parse_i64(c[0], strlen(c[0]), 0, INT64_MAX, id);
    return 0;
}

typedef struct by_name {
    const ml_actor *who;
    int64_t id;
    int found;
} by_name;

static int by_name_row(void *ud, const char *const *c, size_t n)
{
    by_name *b = ud;
    int64_t id = 0, org = 0;
    if (n < 2 || !c[0] || !c[1]) return 0;
    ml_parse_i64(c[0], strlen(c[0]), 0, INT64_MAX, &id);
    ml_parse_i64(c[1], strlen(c[1]), INT64_MIN, INT64_MAX, &org);
    if (!ev_reads_org(b->who, org)) return 0;
    b->id = id, b->found++;
    return 0;
}

/* The event named by its number or name, loaded, that `who` may read. */
static ml_err open_event(ml_db *db, const ml_actor *who, const char *event, ev_all *ev)
{
    memset(ev, 0, sizeof *ev);
    if (!event || !*event) return ml_fail(db->ctx, ML_INVALID, "give the event (number or name)");
    int64_t id = 0;
    if (digits_only(event) && strlen(event) < 12) {
        ml_parse_i64(event, strlen(event), 0, INT64_MAX, &id);
    } else {
        by_name b = {.who = who};
        ml_sql_arg a = TEXT(event);
        ml_err r = run(db, ML_EV_BY_NAME, &a, 1, by_name_row, &b);
        if (r) return r;
        if (b.found > 1)
            return ml_fail(db->ctx, ML_INVALID,
                           "%d events are named '%.80s': give the event's number", b.found, event);
        id = b.id;
    }
    ml_err r = id ? ev_load(db, id, ev) : ML_NOTFOUND;
    if (r == ML_NOTFOUND || (!r && !ev_reads_org(who, ev->e.org))) {
        if (!r) ev_release(ev);
        return ml_fail(db->ctx, ML_NOTFOUND, "no event '%.80s' (that this account may read)",
                       event);
    }
    return r;
}

static const ev_part *part_by_id(const ev_all *ev, int64_t id)
{
    for (size_t i = 0; i < ev->np; i++)
        if (ev->p[i].id == id) return &ev->p[i];
    return NULL;
}

/* A participant named by its number, SIRET or guest's name. */
static ml_err find_part(ml_db *db, const ev_all *ev, const char *ref, const ev_part **out)
{
    *out = NULL;
    if (!ref || !*ref) return ml_fail(db->ctx, ML_INVALID, "give a participant");
    size_t n = strlen(ref);
    int64_t v = 0;
    if (digits_only(ref) && n == ML_SIRET_DIGITS) {
        ml_parse_i64(ref, n, 0, INT64_MAX, &v);
        for (size_t i = 0; i < ev->np; i++)
            if (ev->p[i].siret == v) return *out = &ev->p[i], ML_OK;
    } else if (digits_only(ref) && n < 12) {
        ml_parse_i64(ref, n, 0, INT64_MAX, &v);
        if ((*out = part_by_id(ev, v))) return ML_OK;
    } else {
        for (size_t i = 0; i < ev->np; i++)
            if (strcmp(ev->p[i].name, ref) == 0) return *out = &ev->p[i], ML_OK;
    }
    return ml_fail(db->ctx, ML_NOTFOUND,
                   "no participant '%.80s' in event %lld (give its number, SIRET or guest's name)",
                   ref, (long long)ev->e.id);
}

static const ev_req *req_of(const ev_all *ev, int64_t a, int64_t b)
{
    for (size_t i = 0; i < ev->nr; i++)
        if ((ev->r[i].a == a && ev->r[i].b == b) || (ev->r[i].a == b && ev->r[i].b == a))
            return &ev->r[i];
    return NULL;
}

static const ev_meet *meet_of(const ev_all *ev, int64_t req)
{
    for (size_t i = 0; i < ev->nm; i++)
        if (ev->m[i].req == req) return &ev->m[i];
    return NULL;
}

static const ev_outcome *outcome_of(const ev_all *ev, int64_t req)
{
    for (size_t i = 0; i < ev->no; i++)
        if (ev->o[i].req == req) return &ev->o[i];
    return NULL;
}

/* Checks "1-6,9" against the event's slots; writes the set. */
static ml_err check_slots(ml_db *db, const char *s, int nslots, uint64_t *set)
{
    *set = nslots >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << nslots) - 1);
    if (!s || !*s) return ML_OK;
    uint64_t got = 0;
    for (const char *p = s; *p;) {
        size_t k = strcspn(p, ","), dash = strcspn(p, "-");
        int64_t lo, hi;
        bool ok;
        if (dash < k)
            ok = !ml_parse_i64(p, dash, 1, INT32_MAX, &lo) &&
                 !ml_parse_i64(p + dash + 1, k - dash - 1, 1, INT32_MAX, &hi) && lo <= hi;
        else
            ok = !ml_parse_i64(p, k, 1, INT32_MAX, &lo) && ((hi = lo), true);
        if (!ok)
            return ml_fail(db->ctx, ML_INVALID,
                           "slots '%.60s': '%.*s' is not a slot or a range (write 1-6,9)", s,
                           (int)(k > 20 ? 20 : k), p);
        if (hi > nslots)
            return ml_fail(db->ctx, ML_INVALID,
                           "slots '%.60s': slot %lld is past the event's %d slots", s,
                           (long long)hi, nslots);
        for (int64_t i = lo; i <= hi; i++)
            got |= (uint64_t)1 << (i - 1);
        p += k + (p[k] == ',');
        if (p[-1] == ',' && !*p)
            return ml_fail(db->ctx, ML_INVALID, "slots '%.60s': ends with a comma", s);
    }
    *set = got;
    return ML_OK;
}

/* ------------------------------------------------------------------- JSON */

static void hhmm(int minutes, char out[6])
{
    ml_snprintf(out, 6, "%02d:%02d", (minutes / 60) % 24, minutes % 60);
}

static json_t *slot_times(const ev_event *e)
{
    json_t *a = json_array();
    for (int s = 1; a && s <= e->slots; s++) {
        int st, en;
        char x[6], y[6];
        ev_slot_time(e, s, &st, &en);
        hhmm(st, x), hhmm(en, y);
        json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "slot", s, "start", x, "end", y));
    }
    return a;
}

static json_t *event_json(const ev_event *e)
{
    char start[6];
    hhmm(e->start_min, start);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:s, s:s?, s:s, s:o}", "id",
                          (json_int_t)e->id, "name", e->name, "date", e->day, "start", start,
                          "slot_minutes", e->slot_minutes, "slots", e->slots, "tables", e->tables,
                          "two_sided", e->two_sided, "breaks", e->breaks, "place", e->place,
                          "timezone", "Europe/Paris", "slot_times", slot_times(e));
    if (o && e->scheduled)
        json_object_set_new(o, "schedule",
                            json_pack("{s:I, s:I, s:I, s:b}", "at", (json_int_t)e->scheduled,
                                      "weight", (json_int_t)e->weight, "upper_bound",
                                      (json_int_t)e->bound, "optimal", e->optimal == 1));
    if (o)
        json_object_set_new(o, "published",
                            e->published ? json_integer(e->published) : json_null());
    return o;
}

static json_t *siret_json(int64_t siret)
{
    char s[ML_SIRET_SIZE];
    return siret ? json_string(ml_siret_format(siret, s)) : json_null();
}

static json_t *part_json(const ev_part *p)
{
    return json_pack("{s:I, s:s, s:o, s:s, s:s?, s:s, s:o, s:b}", "id", (json_int_t)p->id, "kind",
                     p->kind, "siret", siret_json(p->siret), "name", p->name, "side",
                     p->side == 'A'   ? "A"
                     : p->side == 'B' ? "B"
                                      : NULL,
                     "slots", p->slots_text, "max_meetings",
                     p->max >= 0 ? json_integer(p->max) : json_null(), "cancelled", p->cancelled);
}

static json_t *who_json(const ev_part *p)
{
    if (!p) return json_null();
    return json_pack("{s:I, s:s, s:s, s:o, s:s?}", "id", (json_int_t)p->id, "name", p->name, "kind",
                     p->kind, "siret", siret_json(p->siret), "side",
                     p->side == 'A'   ? "A"
                     : p->side == 'B' ? "B"
                                      : NULL);
}

static json_t *outcome_json(const ev_outcome *o)
{
    if (!o) return json_null();
    return json_pack("{s:b, s:s, s:o, s:o, s:s?}", "met", o->met, "result", o->result, "amount",
                     o->amount >= 0 ? json_integer(o->amount) : json_null(), "jobs",
                     o->jobs >= 0 ? json_integer(o->jobs) : json_null(), "by", o->author);
}

static json_t *req_json(const ev_all *ev, const ev_req *r)
{
    const ev_meet *m = meet_of(ev, r->id);
    return json_pack("{s:I, s:o, s:o, s:s, s:s, s:b, s:s?, s:b}", "id", (json_int_t)r->id, "a",
                     who_json(part_by_id(ev, r->a)), "b", who_json(part_by_id(ev, r->b)),
                     "priority",
                     r->avoid  ? "avoid"
                     : r->must ? "must"
                               : "wish",
                     "asked_by",
                     r->asked_by == r->a   ? "a"
                     : r->asked_by == r->b ? "b"
                                           : "organiser",
                     "accepted", r->accepted, "reason", r->reason, "scheduled", m != NULL);
}

static json_t *meeting_json(const ev_all *ev, const ev_meet *m)
{
    const ev_req *r = NULL;
    for (size_t i = 0; i < ev->nr && !r; i++)
        if (ev->r[i].id == m->req) r = &ev->r[i];
    if (!r) return NULL;
    int st, en;
    char x[6], y[6];
    ev_slot_time(&ev->e, m->slot, &st, &en);
    hhmm(st, x), hhmm(en, y);
    return json_pack("{s:I, s:i, s:i, s:s, s:s, s:o, s:o, s:s, s:b, s:o}", "request",
                     (json_int_t)r->id, "slot", m->slot, "table", m->table, "start", x, "end", y,
                     "a", who_json(part_by_id(ev, r->a)), "b", who_json(part_by_id(ev, r->b)),
                     "priority", r->must ? "must" : "wish", "locked", m->locked, "outcome",
                     outcome_json(outcome_of(ev, r->id)));
}

/* ------------------------------------------------------------------- events */

static ml_err parse_hhmm(ml_db *db, const char *s, int *out)
{
    int64_t h, m;
    if (s && strlen(s) == 5 && s[2] == ':' && !ml_parse_i64(s, 2, 0, 23, &h) &&
        !ml_parse_i64(s + 3, 2, 0, 59, &m)) {
        *out = (int)(h * 60 + m);
        return ML_OK;
    }
    return ml_fail(db->ctx, ML_INVALID, "start: '%.20s' is not a time (HH:MM)", s ? s : "");
}

ml_err ev_check_date(ml_db *db, const char *field, const char *v)
{
    int64_t y, m, d;
    if (v && strlen(v) == 10 && v[4] == '-' && v[7] == '-' && !ml_parse_i64(v, 4, 1900, 2200, &y) &&
        !ml_parse_i64(v + 5, 2, 1, 12, &m) && !ml_parse_i64(v + 8, 2, 1, 31, &d)) {
        static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (d <= days[m - 1] && !(m == 2 && d == 29 && !leap)) return ML_OK;
    }
    return ml_fail(db->ctx, ML_INVALID, "%s: '%.20s' is not a date (YYYY-MM-DD)", field,
                   v ? v : "");
}

/* "4:30,8:60": each break after a slot inside the event; the day ends before midnight. */
static ml_err check_breaks(ml_db *db, const char *s, unsigned slots)
{
    for (const char *p = s; p && *p;) {
        size_t k = strcspn(p, ","), colon = strcspn(p, ":");
        int64_t after, minutes;
        if (colon >= k || ml_parse_i64(p, colon, 1, INT32_MAX, &after) ||
            ml_parse_i64(p + colon + 1, k - colon - 1, 1, 600, &minutes))
            return ml_fail(db->ctx, ML_INVALID,
                           "breaks '%.60s': write SLOT:MINUTES pairs, as 4:30,8:60 (a break of 1 "
                           "to 600 minutes after a slot)",
                           s);
        if (after >= (int64_t)slots)
            return ml_fail(db->ctx, ML_INVALID,
                           "breaks '%.60s': a break after slot %lld, but slots go from 1 to %u "
                           "and a break comes before the last",
                           s, (long long)after, slots);
        p += k + (p[k] == ',');
    }
    return ML_OK;
}

ml_err ml_event_add(ml_db *db, const ml_actor *who, const ml_event_in *in, json_t **out)
{
    *out = NULL;
    ml_err r = ev_may_write(db, who, who ? who->org : 0);
    int start = 0;
    if (!r) r = ev_check_text(db, "name", in->name, EV_NAME_MAX, true);
    if (!r) r = ev_check_date(db, "date", in->date);
    if (!r) r = parse_hhmm(db, in->start, &start);
    if (!r && (in->slot_minutes < 5 || in->slot_minutes > 240))
        r = ml_fail(db->ctx, ML_INVALID, "slot minutes: from 5 to 240 (not %u)", in->slot_minutes);
    if (!r && (in->slots < 1 || in->slots > EV_MAX_SLOTS))
        r = ml_fail(db->ctx, ML_INVALID, "slots: from 1 to %d (not %u)", EV_MAX_SLOTS, in->slots);
    if (!r && (in->tables < 1 || in->tables > EV_MAX_TABLES))
        r = ml_fail(db->ctx, ML_INVALID, "tables: from 1 to %d (not %u)", EV_MAX_TABLES,
                    in->tables);
    if (!r) r = check_breaks(db, in->breaks, in->slots);
    if (!r) r = ev_check_text(db, "place", in->place, EV_NAME_MAX, false);
    if (r) return r;
    const char *breaks = in->breaks ? in->breaks : "";
    /* the last slot must end the same day */
    ev_all tmp = {.e = {.start_min = start, .slot_minutes = (int)in->slot_minutes}};
    tmp.e.slots = (int)in->slots;
    for (const char *p = breaks; *p;) {
        size_t k = strcspn(p, ","), colon = strcspn(p, ":");
        int64_t after = 0, minutes = 0;
        ml_parse_i64(p, colon, 1, EV_MAX_SLOTS, &after);
        ml_parse_i64(p + colon + 1, k - colon - 1, 1, 600, &minutes);
        tmp.e.brk[after] += (int)minutes;
        p += k + (p[k] == ',');
    }
    int st, en;
    ev_slot_time(&tmp.e, (int)in->slots, &st, &en);
    if (en > 24 * 60)
        return ml_fail(db->ctx, ML_INVALID,
                       "the last slot would end after midnight (%d:%02d): fewer or shorter slots",
                       en / 60, en % 60);
    int64_t id = 0;
    ml_sql_arg args[] = {INT(who->org),         TEXT(in->name),
                         TEXT(in->date),        INT(start),
                         INT(in->slot_minutes), INT(in->slots),
                         INT(in->tables),       INT(in->two_sided),
                         TEXT(breaks),          TEXT(in->place && *in->place ? in->place : NULL),
                         INT(now_seconds()),    TEXT(who->name)};
    r = run(db, ML_EV_ADD, args, ML_ARRAY_LEN(args), first_id, &id);
    if (r) return r;
    ev_all ev;
    if ((r = ev_load(db, id, &ev))) return r;
    *out = json_pack("{s:o}", "event", event_json(&ev.e));
    ev_release(&ev);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

typedef struct listing {
    const ml_actor *who;
    json_t *list;
} listing;

static int list_row(void *ud, const char *const *c, size_t n)
{
    listing *l = ud;
    if (n < 9) return 1;
    int64_t v[9] = {0};
    for (int i = 0; i < 9; i++)
        if (i != 2 && i != 3 && c[i]) ml_parse_i64(c[i], strlen(c[i]), INT64_MIN, INT64_MAX, &v[i]);
    if (!ev_reads_org(l->who, v[1])) return 0;
    json_array_append_new(
        l->list, json_pack("{s:I, s:s, s:s, s:I, s:I, s:b, s:I, s:b}", "id", (json_int_t)v[0],
                           "name", c[2] ? c[2] : "", "date", c[3] ? c[3] : "", "slots",
                           (json_int_t)v[4], "tables", (json_int_t)v[5], "two_sided", v[6] != 0,
                           "participants", (json_int_t)v[7], "scheduled", c[8] != NULL));
    return 0;
}

ml_err ml_event_list(ml_db *db, const ml_actor *who, json_t **out)
{
    *out = NULL;
    listing l = {.who = who, .list = json_array()};
    if (!l.list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r = run(db, ML_EV_LIST, NULL, 0, list_row, &l);
    if (r) {
        json_decref(l.list);
        return r;
    }
    *out = json_pack("{s:o}", "events", l.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

static bool any_generated(ml_db *db, const ev_all *ev);

static json_t *show_json(const ev_all *ev)
{
    json_t *ps = json_array(), *rs = json_array(), *ms = json_array(), *grid = json_array();
    for (size_t i = 0; i < ev->np; i++)
        json_array_append_new(ps, part_json(&ev->p[i]));
    for (size_t i = 0; i < ev->nr; i++)
        json_array_append_new(rs, req_json(ev, &ev->r[i]));
    for (size_t i = 0; i < ev->nm; i++)
        json_array_append_new(ms, meeting_json(ev, &ev->m[i]));
    /* the organiser's grid: slots by tables, each cell "A / B" or null; at
     * most 200 tables of the grid are shown (the list has every meeting) */
    int tables = ev->e.tables < 200 ? ev->e.tables : 200;
    for (int s = 1; grid && s <= ev->e.slots; s++) {
        json_t *row = json_array();
        for (int t = 1; row && t <= tables; t++)
            json_array_append_new(row, json_null());
        json_array_append_new(grid, row);
    }
    for (size_t i = 0; grid && i < ev->nm; i++) {
        const ev_meet *m = &ev->m[i];
        const ev_req *r = NULL;
        for (size_t k = 0; k < ev->nr && !r; k++)
            if (ev->r[k].id == m->req) r = &ev->r[k];
        const ev_part *a = r ? part_by_id(ev, r->a) : NULL, *b = r ? part_by_id(ev, r->b) : NULL;
        if (!a || !b || m->table > tables) continue;
        json_array_set_new(
            json_array_get(grid, (size_t)m->slot - 1), (size_t)m->table - 1,
            json_pack("{s:I, s:s, s:s}", "request", (json_int_t)r->id, "a", a->name, "b", b->name));
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "event", event_json(&ev->e), "participants", ps,
                     "requests", rs, "meetings", ms, "grid", grid);
}

ml_err ml_event_show(ml_db *db, const ml_actor *who, const char *event, json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    *out = show_json(&ev);
    if (*out)
        json_object_set_new(*out, "contains_generated_data", json_boolean(any_generated(db, &ev)));
    ev_release(&ev);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ------------------------------------------------------------- participants */

static void link_hash(const char *secret, char out[65])
{
    unsigned char h[32];
    if (sodium_init() < 0) {
        out[0] = '\0';
        return;
    }
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

ml_err ml_event_participant_add(ml_db *db, const ml_actor *who, const char *event,
                                const ml_event_participant_in *in, json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    char name[EV_NAME_MAX + 1] = "";
    int64_t siret = 0;
    const char *kind = in->buyer ? "buyer" : "guest";
    uint64_t avail;
    if ((r = ev_may_write(db, who, ev.e.org))) goto out;
    if (in->siret && *in->siret) {
        if (in->guest && *in->guest) {
            r = ml_fail(db->ctx, ML_INVALID, "give a SIRET or a guest's name, not both");
            goto out;
        }
        size_t n = strlen(in->siret);
        if (n != ML_SIRET_DIGITS || ml_siret_parse(in->siret, n, &siret) != ML_ID_OK) {
            r = ml_fail(db->ctx, ML_INVALID,
                        "'%.20s' is not a valid SIRET (14 digits with a valid checksum)",
                        in->siret);
            goto out;
        }
        json_t *j = NULL;
        r = ml_show(db, in->siret, &j);
        if (r == ML_PRIVATE) {
            r = ml_fail(db->ctx, ML_PRIVATE,
                        "SIRET %s has restricted diffusion (statut P): it cannot be named as a "
                        "participant; invite it as a guest under the name it gives you",
                        in->siret);
        } else if (r == ML_NOTFOUND) {
            r = ml_fail(db->ctx, ML_NOTFOUND, "SIRET %s is not in the register", in->siret);
        }
        if (!r) {
            const char *nm =
                json_string_value(json_object_get(json_object_get(j, "establishment"), "name"));
            if (!nm) nm = json_string_value(json_object_get(j, "name"));
            ml_snprintf(name, sizeof name, "%s", nm ? nm : in->siret);
        }
        json_decref(j);
        if (r) goto out;
        if (!in->buyer) kind = "firm";
        for (size_t i = 0; i < ev.np; i++)
            if (ev.p[i].siret == siret) {
                r = ml_fail(db->ctx, ML_INVALID, "SIRET %s is already participant %lld", in->siret,
                            (long long)ev.p[i].id);
                goto out;
            }
    } else {
        if ((r = ev_check_text(db, "guest name", in->guest, EV_NAME_MAX, true))) goto out;
        if (digits_only(in->guest)) {
            r = ml_fail(db->ctx, ML_INVALID,
                        "a guest's name cannot be only digits (it would read as a number)");
            goto out;
        }
        ml_snprintf(name, sizeof name, "%s", in->guest);
        for (size_t i = 0; i < ev.np; i++)
            if (strcmp(ev.p[i].name, name) == 0) {
                r = ml_fail(db->ctx, ML_INVALID, "'%.80s' is already participant %lld", name,
                            (long long)ev.p[i].id);
                goto out;
            }
    }
    const char *side = in->side && *in->side ? in->side : NULL;
    if (side && strcmp(side, "A") && strcmp(side, "B")) {
        r = ml_fail(db->ctx, ML_INVALID, "side: A or B (not '%.10s')", side);
        goto out;
    }
    if (ev.e.two_sided && !side) {
        r = ml_fail(db->ctx, ML_INVALID,
                    "event %lld is two-sided: give the participant's side (A: buyers, B: "
                    "sellers)",
                    (long long)ev.e.id);
        goto out;
    }
    if (!ev.e.two_sided && side) {
        r = ml_fail(db->ctx, ML_INVALID, "event %lld is open: its participants have no side",
                    (long long)ev.e.id);
        goto out;
    }
    if ((r = ev_check_text(db, "slots", in->slots, 200, false))) goto out;
    if ((r = check_slots(db, in->slots, ev.e.slots, &avail))) goto out;
    if (!avail) {
        r = ml_fail(db->ctx, ML_INVALID, "slots: the participant would be available in no slot");
        goto out;
    }
    if (in->max_meetings > EV_MAX_MEET) {
        r = ml_fail(db->ctx, ML_INVALID, "max meetings: from 1 to %d (0: no limit)", EV_MAX_MEET);
        goto out;
    }
    char secret[ML_SECRET_CHARS + 1], hash[65];
    if (ml_random_secret(secret)) {
        r = ml_fail(db->ctx, ML_ERROR, "libsodium cannot start");
        goto out;
    }
    link_hash(secret, hash);
    int64_t id = 0;
    ml_sql_arg args[] = {INT(ev.e.id),
                         TEXT(kind),
                         siret ? INT(siret) : (ml_sql_arg){.type = ML_ARG_NULL},
                         TEXT(name),
                         TEXT(side ? side : ""),
                         TEXT(in->slots ? in->slots : ""),
                         in->max_meetings ? INT(in->max_meetings)
                                          : (ml_sql_arg){.type = ML_ARG_NULL},
                         TEXT(hash)};
    if ((r = run(db, ML_EV_P_ADD, args, ML_ARRAY_LEN(args), first_id, &id))) goto out;
    char slots_text[300];
    ml_snprintf(slots_text, sizeof slots_text, "%s", in->slots ? in->slots : "");
    ev_part p = {.id = id,
                 .siret = siret,
                 .name = name,
                 .side = side ? side[0] : 0,
                 .slots_text = slots_text,
                 .max = in->max_meetings ? (int64_t)in->max_meetings : -1};
    ml_snprintf(p.kind, sizeof p.kind, "%s", kind);
    *out = json_pack("{s:I, s:o, s:s}", "event", (json_int_t)ev.e.id, "participant", part_json(&p),
                     "link", secret);
    sodium_memzero(secret, sizeof secret);
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    ev_release(&ev);
    return r;
}

ml_err ml_event_participant_link(ml_db *db, const ml_actor *who, const char *event,
                                 const char *participant, json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    const ev_part *p;
    char secret[ML_SECRET_CHARS + 1], hash[65];
    if (!(r = ev_may_write(db, who, ev.e.org)) && !(r = find_part(db, &ev, participant, &p))) {
        if (ml_random_secret(secret)) {
            r = ml_fail(db->ctx, ML_ERROR, "libsodium cannot start");
        } else {
            link_hash(secret, hash);
            ml_sql_arg args[] = {INT(ev.e.id), INT(p->id), TEXT(hash)};
            r = run(db, ML_EV_P_TOKEN, args, 3, NULL, NULL);
            if (!r)
                *out = json_pack("{s:I, s:I, s:s}", "event", (json_int_t)ev.e.id, "participant",
                                 (json_int_t)p->id, "link", secret);
            sodium_memzero(secret, sizeof secret);
        }
    }
    ev_release(&ev);
    return r;
}

/* ----------------------------------------------------------------- requests */

static unsigned popcount(uint64_t v)
{
    return (unsigned)__builtin_popcountll(v);
}

/* The most meetings a participant can have: available slots and max. */
static unsigned capacity(const ev_part *p)
{
    unsigned c = popcount(p->avail);
    return p->max >= 0 && (uint64_t)p->max < c ? (unsigned)p->max : c;
}

static unsigned musts_of(const ev_all *ev, int64_t id)
{
    unsigned n = 0;
    for (size_t i = 0; i < ev->nr; i++)
        n += ev->r[i].must && ev->r[i].accepted && (ev->r[i].a == id || ev->r[i].b == id);
    return n;
}

/* The rules of a request between a and b, whatever its priority. */
static ml_err check_pair(ml_db *db, const ev_all *ev, const ev_part *a, const ev_part *b, bool must)
{
    if (a->id == b->id)
        return ml_fail(db->ctx, ML_INVALID, "'%.80s' cannot meet themself", a->name);
    if (ev->e.two_sided && a->side == b->side)
        return ml_fail(db->ctx, ML_INVALID,
                       "'%.80s' and '%.80s' are both on side %c (%s): a two-sided event only "
                       "holds meetings between sides A and B",
                       a->name, b->name, a->side, a->side == 'A' ? "buyers" : "sellers");
    const ev_req *had = req_of(ev, a->id, b->id);
    if (had && had->avoid)
        return ml_fail(db->ctx, ML_INVALID,
                       "'%.80s' and '%.80s' are not to meet (a do-not-meet request): they are "
                       "never scheduled together",
                       a->name, b->name);
    if (had)
        return ml_fail(db->ctx, ML_INVALID, "'%.80s' and '%.80s' already have a request", a->name,
                       b->name);
    if (!(a->avail & b->avail))
        return ml_fail(db->ctx, ML_INVALID,
                       "'%.80s' (slots %s) and '%.80s' (slots %s) share no available slot", a->name,
                       *a->slots_text ? a->slots_text : "all", b->name,
                       *b->slots_text ? b->slots_text : "all");
    const ev_part *ps[2] = {a, b};
    for (int k = 0; must && k < 2; k++) {
        unsigned n = musts_of(ev, ps[k]->id) + 1, cap = capacity(ps[k]);
        if (n > cap)
            return ml_fail(db->ctx, ML_INVALID,
                           "'%.80s' would have %u must-meet requests but can have %u meetings "
                           "(%s): make this one a wish",
                           ps[k]->name, n, cap,
                           ps[k]->max >= 0 && (unsigned)ps[k]->max < popcount(ps[k]->avail)
                               ? "its maximum"
                               : "its available slots");
    }
    return ML_OK;
}

/* A do-not-meet request: the pair is never scheduled. A request the pair
 * already has (a suggested one, a wish, a must) becomes do-not-meet; the
 * next schedule drops its meeting. */
static ml_err avoid_pair(ml_db *db, const ev_all *ev, const ev_part *pa, const ev_part *pb,
                         const char *asked_by, const char *reason, json_t **out)
{
    if (pa->id == pb->id)
        return ml_fail(db->ctx, ML_INVALID, "'%.80s' cannot avoid themself", pa->name);
    ml_err r = ev_check_text(db, "reason", reason, 2000, false);
    if (r) return r;
    int64_t asker = 0;
    if (asked_by && strcmp(asked_by, "a") == 0)
        asker = pa->id;
    else if (asked_by && strcmp(asked_by, "b") == 0)
        asker = pb->id;
    else if (asked_by && strcmp(asked_by, "organiser"))
        return ml_fail(db->ctx, ML_INVALID, "asked by: a, b or organiser (not '%.20s')", asked_by);
    const ev_req *had = req_of(ev, pa->id, pb->id);
    if (had && had->avoid)
        return ml_fail(db->ctx, ML_INVALID, "'%.80s' and '%.80s' are already not to meet", pa->name,
                       pb->name);
    ev_req q = {.a = pa->id, .b = pb->id, .asked_by = asker, .accepted = true, .avoid = true};
    if (had) {
        ml_sql_arg args[] = {INT(ev->e.id), INT(had->id), TEXT("avoid")};
        if ((r = run(db, ML_EV_R_PRIORITY, args, 3, NULL, NULL))) return r;
        q = *had;
        q.must = false, q.avoid = true;
    } else {
        ml_sql_arg args[] = {INT(ev->e.id),
                             INT(pa->id),
                             INT(pb->id),
                             TEXT("avoid"),
                             INT(asker),
                             INT(1),
                             TEXT(reason && *reason ? reason : NULL),
                             INT(now_seconds())};
        if ((r = run(db, ML_EV_R_ADD, args, ML_ARRAY_LEN(args), first_id, &q.id))) return r;
    }
    char *own = NULL;
    if (!had && reason && *reason && !(q.reason = own = ml_strdup(reason)))
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    *out = json_pack("{s:I, s:o, s:s?}", "event", (json_int_t)ev->e.id, "request", req_json(ev, &q),
                     "replaced",
                     !had        ? NULL
                     : had->must ? "must"
                                 : "wish");
    free(own);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_event_request_add(ml_db *db, const ml_actor *who, const char *event, const char *a,
                            const char *b, const char *priority, const char *asked_by, bool pending,
                            const char *reason, json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    const ev_part *pa, *pb;
    bool must = priority && strcmp(priority, "must") == 0;
    bool avoid = priority && strcmp(priority, "avoid") == 0;
    if ((r = ev_may_write(db, who, ev.e.org))) goto out;
    if (priority && !must && !avoid && strcmp(priority, "wish")) {
        r = ml_fail(db->ctx, ML_INVALID, "priority: must, wish or avoid (not '%.20s')", priority);
        goto out;
    }
    if ((r = find_part(db, &ev, a, &pa)) || (r = find_part(db, &ev, b, &pb))) goto out;
    if (avoid) {
        r = avoid_pair(db, &ev, pa, pb, asked_by, reason, out);
        goto out;
    }
    if (pa->cancelled || pb->cancelled) {
        r = ml_fail(db->ctx, ML_INVALID, "'%.80s' cancelled their participation",
                    pa->cancelled ? pa->name : pb->name);
        goto out;
    }
    if ((r = check_pair(db, &ev, pa, pb, must && !pending))) goto out;
    if ((r = ev_check_text(db, "reason", reason, 2000, false))) goto out;
    int64_t asker = 0;
    if (asked_by && strcmp(asked_by, "a") == 0)
        asker = pa->id;
    else if (asked_by && strcmp(asked_by, "b") == 0)
        asker = pb->id;
    else if (asked_by && strcmp(asked_by, "organiser")) {
        r = ml_fail(db->ctx, ML_INVALID, "asked by: a, b or organiser (not '%.20s')", asked_by);
        goto out;
    }
    int64_t id = 0;
    ml_sql_arg args[] = {INT(ev.e.id),
                         INT(pa->id),
                         INT(pb->id),
                         TEXT(must ? "must" : "wish"),
                         INT(asker),
                         INT(!pending),
                         TEXT(reason && *reason ? reason : NULL),
                         INT(now_seconds())};
    if ((r = run(db, ML_EV_R_ADD, args, ML_ARRAY_LEN(args), first_id, &id))) goto out;
    ev_req q = {.id = id,
                .a = pa->id,
                .b = pb->id,
                .asked_by = asker,
                .must = must,
                .accepted = !pending,
                .reason = reason && *reason ? ml_strdup(reason) : NULL};
    *out = json_pack("{s:I, s:o}", "event", (json_int_t)ev.e.id, "request", req_json(&ev, &q));
    free(q.reason);
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    ev_release(&ev);
    return r;
}

ml_err ml_event_request_accept(ml_db *db, const ml_actor *who, const char *event, const char *a,
                               const char *b, json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    const ev_part *pa, *pb;
    const ev_req *q = NULL;
    if (!(r = ev_may_write(db, who, ev.e.org)) && !(r = find_part(db, &ev, a, &pa)) &&
        !(r = find_part(db, &ev, b, &pb))) {
        if (!(q = req_of(&ev, pa->id, pb->id)))
            r = ml_fail(db->ctx, ML_NOTFOUND, "no request between '%.80s' and '%.80s'", pa->name,
                        pb->name);
        else if (q->must && !q->accepted) {
            unsigned na = musts_of(&ev, q->a) + 1, nb = musts_of(&ev, q->b) + 1;
            const ev_part *x = part_by_id(&ev, q->a), *y = part_by_id(&ev, q->b);
            if (na > capacity(x) || nb > capacity(y))
                r = ml_fail(db->ctx, ML_INVALID,
                            "'%.80s' would have more must-meet requests than meetings they can "
                            "have",
                            na > capacity(x) ? x->name : y->name);
        }
    }
    if (!r) {
        ml_sql_arg args[] = {INT(ev.e.id), INT(q->id)};
        r = run(db, ML_EV_R_ACCEPT, args, 2, NULL, NULL);
    }
    if (!r) {
        ev_req acc = *q;
        acc.accepted = true;
        *out =
            json_pack("{s:I, s:o}", "event", (json_int_t)ev.e.id, "request", req_json(&ev, &acc));
    }
    ev_release(&ev);
    return r;
}

/* --------------------------------------------------------------- suggestions */

static int by_score(const void *x, const void *y)
{
    double a = json_real_value(json_object_get(*(json_t *const *)x, "score"));
    double b = json_real_value(json_object_get(*(json_t *const *)y, "score"));
    return (a < b) - (a > b);
}

typedef struct part_nafs {
    const ev_all *ev;
    char (*naf)[8]; /* by the participant's index in ev->p */
} part_nafs;

static int part_naf_row(void *ud, const char *const *c, size_t n)
{
    part_nafs *pn = ud;
    int64_t id = 0;
    if (n < 2 || !c[0] || !c[1] || ml_parse_i64(c[0], strlen(c[0]), 0, INT64_MAX, &id)) return 0;
    for (size_t i = 0; i < pn->ev->np; i++)
        if (pn->ev->p[i].id == id) ml_snprintf(pn->naf[i], sizeof pn->naf[i], "%s", c[1]);
    return 0;
}

static bool pair_listed(json_t *list, int64_t a, int64_t b)
{
    size_t t;
    json_t *o;
    json_array_foreach(list, t, o)
    {
        int64_t x = json_integer_value(json_object_get(json_object_get(o, "a"), "id"));
        int64_t y = json_integer_value(json_object_get(json_object_get(o, "b"), "id"));
        if ((x == a && y == b) || (x == b && y == a)) return true;
    }
    return false;
}

/* Whether a and b may be suggested a meeting: both there, no request yet,
 * on both sides of a two-sided event, a slot in common. */
static bool may_suggest(const ev_all *ev, const ev_part *a, const ev_part *b)
{
    if (!a || !b || a == b || a->cancelled || b->cancelled || req_of(ev, a->id, b->id))
        return false;
    if (ev->e.two_sided && a->side == b->side) return false;
    return (a->avail & b->avail) != 0;
}

/* The suggestions from the public buyers' needs: each buyer taking part
 * meets the firms of the event suggested for its needs (ml_need_show's
 * firms), the reason naming the need. */
static ml_err need_suggestions(ml_db *db, const ml_actor *who, const ev_all *ev, json_t *list)
{
    for (size_t i = 0; i < ev->np; i++) {
        const ev_part *buyer = &ev->p[i];
        if (strcmp(buyer->kind, "buyer") || buyer->cancelled) continue;
        json_t *needs = NULL;
        ml_err r = ev_buyer_needs(db, who, buyer, 200, &needs);
        if (r) return r;
        size_t k, f;
        json_t *nd, *firm;
        json_array_foreach(needs, k, nd)
        {
            const char *title = json_string_value(json_object_get(nd, "title"));
            json_array_foreach(json_object_get(nd, "firms"), f, firm)
            {
                const char *ss = json_string_value(json_object_get(firm, "siret"));
                int64_t v = 0;
                if (!ss || ml_parse_i64(ss, strlen(ss), 0, INT64_MAX, &v)) continue;
                const ev_part *seller = NULL;
                for (size_t j = 0; j < ev->np && !seller; j++)
                    if (ev->p[j].siret == v && j != i) seller = &ev->p[j];
                if (!may_suggest(ev, buyer, seller) || pair_listed(list, buyer->id, seller->id))
                    continue;
                char fr[1200], en[1200];
                ml_snprintf(fr, sizeof fr, "répond au besoin « %s » (besoin %lld) : %s", title,
                            (long long)json_integer_value(json_object_get(nd, "id")),
                            json_string_value(json_object_get(firm, "reason_fr")));
                ml_snprintf(en, sizeof en, "answers the need \"%s\" (need %lld): %s", title,
                            (long long)json_integer_value(json_object_get(nd, "id")),
                            json_string_value(json_object_get(firm, "reason_en")));
                json_t *o = json_pack("{s:s, s:o, s:o, s:n, s:{s:O, s:s}, s:s, s:s}", "source",
                                      "need", "a", who_json(buyer), "b", who_json(seller), "score",
                                      "need", "id", json_object_get(nd, "id"), "title", title,
                                      "reason_fr", fr, "reason_en", en);
                if (!o || json_array_append_new(list, o)) {
                    json_decref(needs);
                    return ml_fail(db->ctx, ML_NOMEM, "out of memory");
                }
            }
        }
        json_decref(needs);
    }
    return ML_OK;
}

ml_err ml_event_suggest(ml_db *db, const ml_actor *who, const char *event, json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    json_t *list = json_array(), *from_needs = json_array();
    ml_snapshot *snap = NULL;
    ev_learn *learned = NULL;
    part_nafs pn = {.ev = &ev, .naf = calloc(ev.np + 1, sizeof *pn.naf)};
    if (!list || !from_needs || !pn.naf) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    ml_sql_arg eid = INT(ev.e.id);
    if ((r = run(db, ML_EV_P_NAF, &eid, 1, part_naf_row, &pn))) goto out;
    size_t firms = 0;
    for (size_t i = 0; i < ev.np; i++)
        firms += ev.p[i].siret && !ev.p[i].cancelled;
    if (firms >= 2 &&
        ((r = ml_snapshot_build(db, &snap)) || (r = ev_learn_load(db, who, &learned))))
        goto out;
    /* Each establishment's suppliers found among the others: the buyer is a,
     * the supplier b (a two-sided event keeps pairs across its sides). */
    for (size_t i = 0; firms >= 2 && i < ev.np; i++) {
        const ev_part *buyer = &ev.p[i];
        if (!buyer->siret || buyer->cancelled) continue;
        char s[ML_SIRET_SIZE];
        ml_siret_format(buyer->siret, s);
        ml_match_opts mo = {.direction = ML_SUPPLIERS, .limit = 500, .per_input = 100};
        json_t *m = NULL;
        r = ml_match(db, snap, s, &mo, &m);
        if (r == ML_NOTFOUND || r == ML_PRIVATE) {
            r = ML_OK; /* closed, unplaced: nothing to suggest */
            continue;
        }
        if (r) goto out;
        size_t k;
        json_t *sug;
        json_array_foreach(json_object_get(m, "suggestions"), k, sug)
        {
            const char *ss = json_string_value(json_object_get(sug, "siret"));
            int64_t v = 0;
            if (!ss || ml_parse_i64(ss, strlen(ss), 0, INT64_MAX, &v)) continue;
            const ev_part *seller = NULL;
            size_t js = 0;
            for (size_t j = 0; j < ev.np && !seller; j++)
                if (ev.p[j].siret == v && !ev.p[j].cancelled && j != i) seller = &ev.p[j], js = j;
            /* one suggestion a pair: the best of both directions */
            if (!may_suggest(&ev, buyer, seller) || pair_listed(list, buyer->id, seller->id))
                continue;
            double raw = json_real_value(json_object_get(sug, "score")), factor = 1;
            json_t *kind = ev_learn_pair(learned, pn.naf[js], pn.naf[i], &factor);
            const char *rfr = json_string_value(json_object_get(sug, "reason_fr"));
            const char *ren = json_string_value(json_object_get(sug, "reason_en"));
            const char *lfr = json_string_value(json_object_get(kind, "reason_fr"));
            const char *len = json_string_value(json_object_get(kind, "reason_en"));
            char *fr = NULL, *en = NULL;
            if (lfr && rfr && asprintf(&fr, "%s ; %s", rfr, lfr) < 0) fr = NULL;
            if (len && ren && asprintf(&en, "%s; %s", ren, len) < 0) en = NULL;
            json_array_append_new(
                list, json_pack("{s:s, s:o, s:o, s:f, s:f, s:o, s:s?, s:s?, s:O?}", "source",
                                "match", "a", who_json(buyer), "b", who_json(seller), "score",
                                raw * factor, "score_engine", raw, "learned", kind, "reason_fr",
                                fr ? fr : rfr, "reason_en", en ? en : ren, "distance_km",
                                json_object_get(sug, "distance_km")));
            free(fr), free(en);
        }
        json_decref(m);
    }
    if (ml_json_array_sort(list, by_score)) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    /* the buyers' needs first: a buyer said what it needs */
    if ((r = need_suggestions(db, who, &ev, from_needs))) goto out;
    size_t k;
    json_t *o;
    json_array_foreach(list, k, o)
    {
        int64_t a = json_integer_value(json_object_get(json_object_get(o, "a"), "id"));
        int64_t b = json_integer_value(json_object_get(json_object_get(o, "b"), "id"));
        if (!pair_listed(from_needs, a, b)) json_array_append(from_needs, o);
    }
    *out =
        json_pack("{s:I, s:O, s:s}", "event", (json_int_t)ev.e.id, "suggestions", from_needs, "how",
                  "first the public buyers' needs: each buyer taking part meets the event's "
                  "firms suggested for its needs (a is the buyer); then the supplier/customer "
                  "engine (maillage match) run for each establishment of the event, kept when "
                  "the supplier is another participant (a is the buyer, b the supplier), its "
                  "score multiplied by what past meetings of the same kind of pair taught "
                  "(learned)");
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    json_decref(list), json_decref(from_needs);
    ml_snapshot_free(snap);
    free(learned);
    free(pn.naf);
    ev_release(&ev);
    return r;
}

/* ----------------------------------------------------------------- schedule */

static int add_line(ml_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add_line(ml_buf *b, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof line) return b->failed = true, -1;
    return ml_buf_add(b, line, (size_t)n);
}

static const ev_req *req_by_id(const ev_all *ev, int64_t id)
{
    for (size_t i = 0; i < ev->nr; i++)
        if (ev->r[i].id == id) return &ev->r[i];
    return NULL;
}

/* After publication, what a new schedule changes for each participant:
 * a meeting moved (slot or table), new, or cancelled; one row a
 * participant, naming the other party; nothing for a participant who
 * cancelled. */
static ml_err change_row(ml_db *db, const ev_all *ev, const ev_part *p, const ev_part *other,
                         const char *kind, const ev_meet *before, const ev_meet *after, int64_t at)
{
    if (!p || p->cancelled || !other) return ML_OK;
    ml_sql_arg args[] = {INT(ev->e.id),
                         INT(p->id),
                         TEXT(kind),
                         TEXT(other->name),
                         before ? INT(before->slot) : TEXT(NULL),
                         before ? INT(before->table) : TEXT(NULL),
                         after ? INT(after->slot) : TEXT(NULL),
                         after ? INT(after->table) : TEXT(NULL),
                         INT(at)};
    return run(db, ML_EV_C_ADD, args, ML_ARRAY_LEN(args), NULL, NULL);
}

static ml_err record_changes(ml_db *db, const ev_all *ev, const ev_meet *now_m, size_t n,
                             const ev_part *gone, size_t *count)
{
    int64_t at = now_seconds();
    ml_err r = ML_OK;
    for (size_t i = 0; i < ev->nm && !r; i++) { /* cancelled or moved */
        const ev_meet *old = &ev->m[i], *now = NULL;
        for (size_t k = 0; k < n && !now; k++)
            if (now_m[k].req == old->req) now = &now_m[k];
        if (now && now->slot == old->slot && now->table == old->table) continue;
        const ev_req *q = req_by_id(ev, old->req);
        if (!q) continue;
        const ev_part *a = part_by_id(ev, q->a), *b = part_by_id(ev, q->b);
        const char *kind = now ? "moved" : "cancelled";
        if (gone && a == gone) a = NULL;
        if (gone && b == gone) b = NULL;
        if (!(r = change_row(db, ev, a, part_by_id(ev, q->b), kind, old, now, at)))
            r = change_row(db, ev, b, part_by_id(ev, q->a), kind, old, now, at);
        *count += (a && !a->cancelled) + (b && !b->cancelled);
    }
    for (size_t k = 0; k < n && !r; k++) { /* new */
        if (meet_of(ev, now_m[k].req)) continue;
        const ev_req *q = req_by_id(ev, now_m[k].req);
        if (!q) continue;
        const ev_part *a = part_by_id(ev, q->a), *b = part_by_id(ev, q->b);
        if (!(r = change_row(db, ev, a, b, "new", NULL, &now_m[k], at)))
            r = change_row(db, ev, b, a, "new", NULL, &now_m[k], at);
        *count += (a && !a->cancelled) + (b && !b->cancelled);
    }
    return r;
}

ml_err ml_event_schedule(ml_db *db, const ml_actor *who, const char *event, const char *cancel,
                         json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    ml_buf P, R, L, V;
    ml_buf_init(&P, 0), ml_buf_init(&R, 0), ml_buf_init(&L, 0), ml_buf_init(&V, 0);
    ml_schedule *s = NULL;
    const ev_part *gone = NULL;
    bool in_tx = false;
    char gone_id[24] = "";
    if ((r = ev_may_write(db, who, ev.e.org))) goto out;
    if (cancel && *cancel) {
        if ((r = find_part(db, &ev, cancel, &gone))) goto out;
        if (!ev.nm) {
            r = ml_fail(db->ctx, ML_INVALID,
                        "event %lld has no schedule yet: remove nobody, schedule it",
                        (long long)ev.e.id);
            goto out;
        }
        ml_snprintf(gone_id, sizeof gone_id, "%lld", (long long)gone->id);
    }
    size_t accepted = 0;
    for (size_t i = 0; i < ev.nr; i++)
        accepted += ev.r[i].accepted && !ev.r[i].avoid;
    if (!accepted) {
        r = ml_fail(db->ctx, ML_INVALID,
                    "event %lld has no accepted request to schedule (add requests, or accept "
                    "suggested ones)",
                    (long long)ev.e.id);
        goto out;
    }
    ml_buf_addstr(&P, "id,side,slots,max_meetings\n");
    for (size_t i = 0; i < ev.np; i++) {
        const ev_part *p = &ev.p[i];
        char max[24] = "";
        if (p->cancelled)
            ml_snprintf(max, sizeof max, "0");
        else if (p->max >= 0)
            ml_snprintf(max, sizeof max, "%lld", (long long)p->max);
        add_line(&P, "%lld,%s,\"%s\",%s\n", (long long)p->id,
                 p->side == 'A'   ? "A"
                 : p->side == 'B' ? "B"
                                  : "",
                 p->slots_text, max);
    }
    ml_buf_addstr(&R, "a,b,weight,priority\n");
    for (size_t i = 0; i < ev.nr; i++) {
        const ev_req *q = &ev.r[i];
        const ev_part *a = part_by_id(&ev, q->a), *b = part_by_id(&ev, q->b);
        /* whoever cancels now keeps their requests: the scheduler drops
         * their meetings and says how many */
        if (!q->accepted || q->avoid || !a || !b || a->cancelled || b->cancelled) continue;
        add_line(&R, "%lld,%lld,1,%s\n", (long long)q->a, (long long)q->b,
                 q->must ? "must" : "wish");
    }
    ml_buf_addstr(&L, "slot,table,a,b\n");
    ml_buf_addstr(&V, "slot,table,a,b\n");
    size_t nlocked = 0;
    for (size_t i = 0; i < ev.nm; i++) {
        const ev_req *q = req_by_id(&ev, ev.m[i].req);
        if (!q) continue;
        const ev_part *a = part_by_id(&ev, q->a), *b = part_by_id(&ev, q->b);
        bool out_now = !a || !b || a->cancelled || b->cancelled || !q->accepted || q->avoid;
        if (out_now) continue;
        add_line(&V, "%d,%d,%lld,%lld\n", ev.m[i].slot, ev.m[i].table, (long long)q->a,
                 (long long)q->b);
        if (ev.m[i].locked) {
            add_line(&L, "%d,%d,%lld,%lld\n", ev.m[i].slot, ev.m[i].table, (long long)q->a,
                     (long long)q->b);
            nlocked++;
        }
    }
    if (ml_buf_failed(&P) || ml_buf_failed(&R) || ml_buf_failed(&L) || ml_buf_failed(&V)) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    ml_schedule_opts so = {.participants = P.data,
                           .requests = R.data,
                           .slots = (unsigned)ev.e.slots,
                           .tables = (unsigned)ev.e.tables,
                           .locked = nlocked ? L.data : NULL,
                           .previous = gone ? V.data : NULL,
                           .cancel = gone ? gone_id : NULL,
                           .seed = 1,
                           .texts = true};
    if ((r = ml_schedule_run(db->ctx, &so, &s))) goto out;
    json_t *rep = NULL;
    if ((r = ml_schedule_report(db->ctx, s, &rep))) goto out;
    /* Save: the meetings, the locks kept, the figures; all or nothing. */
    if ((r = run(db, ML_EV_BEGIN, NULL, 0, NULL, NULL))) goto report_out;
    in_tx = true;
    ml_sql_arg eid = INT(ev.e.id);
    if ((r = run(db, ML_EV_M_CLEAR, &eid, 1, NULL, NULL))) goto report_out;
    json_t *list = json_array();
    size_t n = ml_schedule_count(s);
    ev_meet *now_m = calloc(n + 1, sizeof *now_m);
    if (!now_m) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    for (size_t i = 0; i < n && !r; i++) {
        unsigned slot, table;
        const char *ia, *ib;
        ml_schedule_meeting(s, i, &slot, &table, &ia, &ib);
        int64_t a = 0, b = 0;
        ml_parse_i64(ia, strlen(ia), 0, INT64_MAX, &a);
        ml_parse_i64(ib, strlen(ib), 0, INT64_MAX, &b);
        const ev_req *q = req_of(&ev, a, b);
        if (!q) {
            r = ml_fail(db->ctx, ML_ERROR, "the schedule holds a meeting no request asked for");
            break;
        }
        const ev_meet *old = meet_of(&ev, q->id);
        bool locked = old && old->locked && old->slot == (int)slot && old->table == (int)table;
        ml_sql_arg args[] = {eid, INT(q->id), INT(slot), INT(table), INT(locked)};
        r = run(db, ML_EV_M_ADD, args, 5, NULL, NULL);
        ev_meet m = {.req = q->id, .slot = (int)slot, .table = (int)table, .locked = locked};
        now_m[i] = m;
        json_array_append_new(list, meeting_json(&ev, &m));
    }
    size_t nchanges = 0;
    if (!r && ev.e.published) r = record_changes(db, &ev, now_m, n, gone, &nchanges);
    free(now_m);
    if (!r && gone) {
        ml_sql_arg args[] = {eid, INT(gone->id)};
        r = run(db, ML_EV_P_CANCEL, args, 2, NULL, NULL);
    }
    if (!r) {
        json_t *w = json_object_get(rep, "weight"), *ub = json_object_get(rep, "upper_bound");
        ml_sql_arg args[] = {eid, INT(now_seconds()), INT(json_integer_value(w)),
                             INT(json_integer_value(ub)),
                             INT(json_is_true(json_object_get(rep, "optimal")))};
        r = run(db, ML_EV_SCHEDULED, args, 5, NULL, NULL);
    }
    if (!r) r = run(db, ML_EV_COMMIT, NULL, 0, NULL, NULL);
    if (!r) {
        in_tx = false;
        json_object_set_new(rep, "event", json_integer(ev.e.id));
        json_object_set_new(rep, "meetings_list", list);
        if (ev.e.published) json_object_set_new(rep, "changes", json_integer((json_int_t)nchanges));
        *out = rep;
        rep = NULL;
    } else {
        json_decref(list);
    }
report_out:
    json_decref(rep);
out:
    if (in_tx) run(db, ML_EV_ROLLBACK, NULL, 0, NULL, NULL);
    ml_schedule_free(s);
    ml_buf_release(&P), ml_buf_release(&R), ml_buf_release(&L), ml_buf_release(&V);
    ev_release(&ev);
    return r;
}

ml_err ml_event_lock(ml_db *db, const ml_actor *who, const char *event, const char *a,
                     const char *b, bool locked)
{
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    const ev_part *pa, *pb;
    if (!(r = ev_may_write(db, who, ev.e.org)) && !(r = find_part(db, &ev, a, &pa)) &&
        !(r = find_part(db, &ev, b, &pb))) {
        const ev_req *q = req_of(&ev, pa->id, pb->id);
        if (!q || !meet_of(&ev, q->id)) {
            r = ml_fail(db->ctx, ML_NOTFOUND, "'%.80s' and '%.80s' have no scheduled meeting",
                        pa->name, pb->name);
        } else {
            ml_sql_arg args[] = {INT(ev.e.id), INT(q->id), INT(locked)};
            r = run(db, ML_EV_M_LOCK, args, 3, NULL, NULL);
        }
    }
    ev_release(&ev);
    return r;
}

/* ------------------------------------------------------------------- agenda */

/* What the register says of a participant's establishment for an agenda:
 * {"commune": {"code", "name"}, "activity": {"code", "label_fr",
 * "label_en"}} added to `with`; *generated set when it is a generated
 * (demo) establishment. A guest, or an establishment the register no
 * longer shows (removed, or restricted since), adds nothing. */
static void firm_facts(ml_db *db, const ev_part *p, json_t *with, bool *generated)
{
    if (!p || !p->siret || !with) return;
    char siret[16];
    ml_snprintf(siret, sizeof siret, "%014lld", (long long)p->siret);
    json_t *f = NULL;
    if (ml_show(db, siret, &f) != ML_OK) {
        json_decref(f);
        return;
    }
    if (json_is_true(json_object_get(f, "generated"))) *generated = true;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(f, "territory"), i, t)
    {
        const char *k = json_string_value(json_object_get(t, "kind"));
        if (k && strcmp(k, "commune") == 0) {
            json_object_set_new(with, "commune",
                                json_pack("{s:O, s:O}", "code", json_object_get(t, "code"), "name",
                                          json_object_get(t, "name")));
            break;
        }
    }
    json_t *act = json_object_get(f, "activity"), *lv = json_object_get(act, "levels");
    json_t *sub = json_array_get(lv, 0), *cls = json_array_get(lv, 1);
    const char *fr = json_string_value(json_object_get(sub, "label_fr"));
    const char *en = json_string_value(json_object_get(sub, "label_en"));
    if (!en) en = json_string_value(json_object_get(cls, "label_en"));
    if (json_is_string(json_object_get(act, "code")))
        json_object_set_new(with, "activity",
                            json_pack("{s:O, s:s?, s:s?}", "code", json_object_get(act, "code"),
                                      "label_fr", fr, "label_en", en));
    json_decref(f);
}

/* -------------------------------------------------- changes after publication */

typedef struct change_rows {
    const ev_all *ev;
    int64_t only; /* a participant's id, 0: all */
    bool unseen;  /* only those not seen yet */
    json_t *list;
} change_rows;

static json_t *place_json(const ev_event *e, const char *slot, const char *table)
{
    int64_t s = 0, t = 0;
    if (!slot || !table || ml_parse_i64(slot, strlen(slot), 1, EV_MAX_SLOTS, &s) ||
        ml_parse_i64(table, strlen(table), 1, EV_MAX_TABLES, &t))
        return json_null();
    int st, en;
    char x[6], y[6];
    ev_slot_time(e, (int)s, &st, &en);
    hhmm(st, x), hhmm(en, y);
    return json_pack("{s:I, s:I, s:s, s:s}", "slot", (json_int_t)s, "table", (json_int_t)t, "start",
                     x, "end", y);
}

static int change_row_json(void *ud, const char *const *c, size_t n)
{
    change_rows *cr = ud;
    if (n < 10 || !c[0] || !c[1] || !c[2] || !c[3]) return 0;
    int64_t id = 0, part = 0, at = 0;
    ml_parse_i64(c[0], strlen(c[0]), 0, INT64_MAX, &id);
    ml_parse_i64(c[1], strlen(c[1]), 0, INT64_MAX, &part);
    if (c[8]) ml_parse_i64(c[8], strlen(c[8]), 0, INT64_MAX, &at);
    bool seen = c[9] && strcmp(c[9], "0") != 0;
    if ((cr->only && part != cr->only) || (cr->unseen && seen)) return 0;
    const ev_part *p = part_by_id(cr->ev, part);
    json_t *o =
        json_pack("{s:I, s:{s:I, s:s?}, s:s, s:s, s:o, s:o, s:I, s:b}", "id", (json_int_t)id,
                  "participant", "id", (json_int_t)part, "name", p ? p->name : NULL, "kind", c[2],
                  "with", c[3], "before", place_json(&cr->ev->e, c[4], c[5]), "after",
                  place_json(&cr->ev->e, c[6], c[7]), "at", (json_int_t)at, "seen", seen);
    return o ? json_array_append_new(cr->list, o) : 1;
}

/* The changes recorded since publication, oldest first: all of them, or a
 * participant's (`only`), or only those not seen yet. */
static ml_err changes_json(ml_db *db, const ev_all *ev, int64_t only, bool unseen, json_t **out)
{
    change_rows cr = {.ev = ev, .only = only, .unseen = unseen, .list = json_array()};
    if (!cr.list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_sql_arg a = INT(ev->e.id);
    ml_err r = run(db, ML_EV_C_LIST, &a, 1, change_row_json, &cr);
    if (r) {
        json_decref(cr.list);
        return r;
    }
    *out = cr.list;
    return ML_OK;
}

ml_err ml_event_publish(ml_db *db, const ml_actor *who, const char *event, json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    if ((r = ev_may_write(db, who, ev.e.org))) goto out;
    if (!ev.e.scheduled) {
        r = ml_fail(db->ctx, ML_INVALID,
                    "event %lld has no schedule yet: schedule it, then publish it",
                    (long long)ev.e.id);
        goto out;
    }
    bool again = ev.e.published != 0;
    int64_t at = again ? ev.e.published : now_seconds();
    if (!again) {
        ml_sql_arg args[] = {INT(ev.e.id), INT(at)};
        if ((r = run(db, ML_EV_PUBLISH, args, 2, NULL, NULL))) goto out;
    }
    *out = json_pack("{s:I, s:I, s:b, s:I}", "event", (json_int_t)ev.e.id, "published",
                     (json_int_t)at, "already", again, "meetings", (json_int_t)ev.nm);
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    ev_release(&ev);
    return r;
}

ml_err ml_event_changes(ml_db *db, const ml_actor *who, const char *event, const char *participant,
                        json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    const ev_part *p = NULL;
    json_t *list = NULL;
    if (participant && *participant && (r = find_part(db, &ev, participant, &p))) goto out;
    if ((r = changes_json(db, &ev, p ? p->id : 0, false, &list))) goto out;
    *out = json_pack("{s:I, s:o, s:o}", "event", (json_int_t)ev.e.id, "published",
                     ev.e.published ? json_integer(ev.e.published) : json_null(), "changes", list);
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    ev_release(&ev);
    return r;
}

/* Whether the event's establishments are generated (demo) ones: the first
 * GENERATED_SAMPLE establishments are read from the register (a generated
 * event is generated throughout: the demo makes it whole; reading every one
 * of thousands would slow each `event show`). An agenda also reads the
 * participant's and each other party's. */
#define GENERATED_SAMPLE 20
static bool any_generated(ml_db *db, const ev_all *ev)
{
    bool generated = false;
    for (size_t i = 0, seen = 0; i < ev->np && !generated && seen < GENERATED_SAMPLE; i++) {
        if (!ev->p[i].siret) continue;
        json_t *scratch = json_object();
        firm_facts(db, &ev->p[i], scratch, &generated);
        json_decref(scratch);
        seen++;
    }
    return generated;
}

static ml_err agenda_json(ml_db *db, const ev_all *ev, const ev_part *p, json_t **out)
{
    bool generated = any_generated(db, ev);
    json_t *ms = json_array();
    for (size_t i = 0; ms && i < ev->nm; i++) {
        const ev_meet *m = &ev->m[i];
        const ev_req *q = req_by_id(ev, m->req);
        if (!q || (q->a != p->id && q->b != p->id)) continue;
        const ev_part *other = part_by_id(ev, q->a == p->id ? q->b : q->a);
        int st, en;
        char x[6], y[6], us[17], ue[17];
        ev_slot_time(&ev->e, m->slot, &st, &en);
        hhmm(st, x), hhmm(en, y);
        ev_utc_stamp(ev->e.day, st, us);
        ev_utc_stamp(ev->e.day, en, ue);
        json_t *with = who_json(other);
        firm_facts(db, other, with, &generated);
        json_array_append_new(ms, json_pack("{s:I, s:i, s:i, s:s, s:s, s:s, s:s, s:o, s:o}",
                                            "request", (json_int_t)q->id, "slot", m->slot, "table",
                                            m->table, "start", x, "end", y, "start_utc", us,
                                            "end_utc", ue, "with", with, "outcome",
                                            outcome_json(outcome_of(ev, q->id))));
    }
    json_t *e = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:o}", "id", (json_int_t)ev->e.id, "name",
                          ev->e.name, "date", ev->e.day, "place", ev->e.place, "timezone",
                          "Europe/Paris", "slot_times", slot_times(&ev->e));
    json_t *me = who_json(p);
    firm_facts(db, p, me, &generated);
    json_t *changes = NULL;
    ml_err r = changes_json(db, ev, p->id, true, &changes);
    if (r) {
        json_decref(e), json_decref(me), json_decref(ms);
        return r;
    }
    *out =
        json_pack("{s:o, s:o, s:o, s:b, s:b, s:b, s:o}", "event", e, "participant", me, "meetings",
                  ms, "scheduled", ev->e.scheduled != 0, "published", ev->e.published != 0,
                  "contains_generated_data", generated, "changes", changes);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_event_agenda(ml_db *db, const ml_actor *who, const char *event, const char *participant,
                       json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    const ev_part *p;
    if (!(r = find_part(db, &ev, participant, &p))) r = agenda_json(db, &ev, p, out);
    ev_release(&ev);
    return r;
}

typedef struct token_hit {
    int64_t event, id;
} token_hit;

static int token_row(void *ud, const char *const *c, size_t n)
{
    token_hit *t = ud;
    if (n >= 2 && c[0] && c[1]) {
        ml_parse_i64(c[0], strlen(c[0]), 0, INT64_MAX, &t->event);
        ml_parse_i64(c[1], strlen(c[1]), 0, INT64_MAX, &t->id);
    }
    return 1;
}

static ml_err by_token(ml_db *db, const char *secret, token_hit *t);

ml_err ml_event_agenda_seen(ml_db *db, const char *secret, json_t **out)
{
    *out = NULL;
    token_hit t = {0};
    ml_err r = by_token(db, secret, &t);
    if (r) return r;
    ml_sql_arg args[] = {INT(t.event), INT(t.id)};
    if ((r = run(db, ML_EV_C_SEEN, args, 2, NULL, NULL))) return r;
    *out = json_pack("{s:b}", "seen", true);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

static ml_err by_token(ml_db *db, const char *secret, token_hit *t)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if (!secret || strlen(secret) != ML_SECRET_CHARS || strspn(secret, b64) != ML_SECRET_CHARS)
        return ml_fail(db->ctx, ML_NOTFOUND,
                       "this agenda link is not valid (ask the organiser "
                       "for a new one)");
    char hash[65];
    link_hash(secret, hash);
    ml_sql_arg a = TEXT(hash);
    ml_err r = run(db, ML_EV_P_BY_TOKEN, &a, 1, token_row, t);
    if (r) return r;
    if (!t->event)
        return ml_fail(db->ctx, ML_NOTFOUND,
                       "this agenda link is not valid (ask the organiser for a new one)");
    return ML_OK;
}

ml_err ml_event_agenda_link(ml_db *db, const char *secret, json_t **out)
{
    *out = NULL;
    token_hit t = {0};
    ml_err r = by_token(db, secret, &t);
    if (r) return r;
    ev_all ev;
    if ((r = ev_load(db, t.event, &ev))) return r;
    const ev_part *p = part_by_id(&ev, t.id);
    r = p ? agenda_json(db, &ev, p, out) : ml_fail(db->ctx, ML_NOTFOUND, "no such participant");
    ev_release(&ev);
    return r;
}

/* ----------------------------------------------------------------- outcomes */

static const char *money(int64_t amount, char *buf, size_t size)
{
    ml_snprintf(buf, size, "%lld €", (long long)amount);
    return buf;
}

ml_err ml_event_outcome(ml_db *db, const ml_actor *who, const char *event, const char *a,
                        const char *b, const ml_event_outcome_in *in, json_t **out)
{
    *out = NULL;
    ev_all ev;
    ml_err r = open_event(db, who, event, &ev);
    if (r) return r;
    const ev_part *pa, *pb;
    const ev_req *q = NULL;
    const char *result = in->result && *in->result ? in->result : "none";
    json_t *written = json_array();
    if ((r = ev_may_write(db, who, ev.e.org)) || (r = find_part(db, &ev, a, &pa)) ||
        (r = find_part(db, &ev, b, &pb)))
        goto out;
    if (strcmp(result, "none") && strcmp(result, "quote") && strcmp(result, "contract")) {
        r = ml_fail(db->ctx, ML_INVALID, "result: quote, contract or none (not '%.20s')", result);
        goto out;
    }
    if (!in->met && strcmp(result, "none")) {
        r = ml_fail(db->ctx, ML_INVALID, "a meeting that was not held has no result");
        goto out;
    }
    if (in->amount > 1000000000000LL || in->jobs > 1000000) {
        r = ml_fail(db->ctx, ML_INVALID, "amount or jobs out of range");
        goto out;
    }
    if (!(q = req_of(&ev, pa->id, pb->id)) || !meet_of(&ev, q->id)) {
        r = ml_fail(db->ctx, ML_NOTFOUND,
                    "'%.80s' and '%.80s' had no scheduled meeting in event %lld", pa->name,
                    pb->name, (long long)ev.e.id);
        goto out;
    }
    const ev_outcome *before = outcome_of(&ev, q->id);
    ml_sql_arg args[] = {INT(ev.e.id),
                         INT(q->id),
                         INT(in->met),
                         TEXT(result),
                         in->amount >= 0 ? INT(in->amount) : (ml_sql_arg){.type = ML_ARG_NULL},
                         in->jobs >= 0 ? INT(in->jobs) : (ml_sql_arg){.type = ML_ARG_NULL},
                         INT(now_seconds()),
                         TEXT(who->name)};
    if ((r = run(db, ML_EV_O_PUT, args, ML_ARRAY_LEN(args), NULL, NULL))) goto out;
    /* A meeting held joins each establishment's history, once. */
    if (in->met && !(before && before->met)) {
        const ev_part *ps[2] = {pa, pb};
        for (int k = 0; k < 2 && !r; k++) {
            if (!ps[k]->siret) continue;
            const ev_part *other = ps[1 - k];
            char notes[1200], amount[40] = "", s[ML_SIRET_SIZE];
            ml_snprintf(notes, sizeof notes, "Rendez-vous d'affaires « %s » avec %s%s%s%s%s%s",
                        ev.e.name, other->name, strcmp(result, "none") ? " ; suite : " : "",
                        strcmp(result, "quote") == 0      ? "devis"
                        : strcmp(result, "contract") == 0 ? "contrat"
                                                          : "",
                        in->amount >= 0 ? ", " : "",
                        in->amount >= 0 ? money(in->amount, amount, sizeof amount) : "",
                        in->jobs >= 0 ? "" : "");
            if (in->jobs >= 0) {
                size_t len = strlen(notes);
                ml_snprintf(notes + len, sizeof notes - len, ", %lld emploi%s", (long long)in->jobs,
                            in->jobs > 1 ? "s" : "");
            }
            ml_interaction_in ii = {.siret = ml_siret_format(ps[k]->siret, s),
                                    .kind = "event",
                                    .date = ev.e.day,
                                    .notes = notes};
            json_t *j = NULL;
            r = ml_interaction_add(db, who, &ii, &j);
            if (!r)
                json_array_append_new(written,
                                      json_pack("{s:s, s:s}", "kind", "interaction", "siret", s));
            json_decref(j);
        }
        if (r) goto out;
    }
    /* A contract between two establishments: the pair is a known link. */
    if (strcmp(result, "contract") == 0 && pa->siret && pb->siret) {
        const ev_part *supplier = pb, *buyer = pa;
        if (pa->side == 'B') supplier = pa, buyer = pb;
        char ss[ML_SIRET_SIZE], bs[ML_SIRET_SIZE], note[300];
        ml_snprintf(note, sizeof note, "contrat après le rendez-vous d'affaires « %s »", ev.e.name);
        r = ml_verdict_add_as(db, who, ml_siret_format(supplier->siret, ss),
                              ml_siret_format(buyer->siret, bs), "accept", note, NULL);
        if (r) goto out;
        json_array_append_new(
            written, json_pack("{s:s, s:s, s:s}", "kind", "verdict", "supplier", ss, "buyer", bs));
    }
    char author[256];
    ml_snprintf(author, sizeof author, "%s", who->name ? who->name : "");
    ev_outcome o = {
        .req = q->id, .met = in->met, .amount = in->amount, .jobs = in->jobs, .author = author};
    ml_snprintf(o.result, sizeof o.result, "%s", result);
    *out = json_pack("{s:I, s:I, s:o, s:O}", "event", (json_int_t)ev.e.id, "request",
                     (json_int_t)q->id, "outcome", outcome_json(&o), "written", written);
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    json_decref(written);
    ev_release(&ev);
    return r;
}
