/* load.c — an event read whole from the store's event slot into structs,
 * and the times of its slots (breaks included; Paris time to UTC). */
#include <time.h>

#include "event/event.h"

static int64_t num(const char *s, int64_t fallback)
{
    int64_t v;
    if (!s || ml_parse_i64(s, strlen(s), INT64_MIN, INT64_MAX, &v)) return fallback;
    return v;
}

static char *dup(const char *s, bool *failed)
{
    char *d = ml_strdup(s ? s : "");
    if (!d) *failed = true;
    return d;
}

typedef struct loading {
    ev_all *ev;
    bool failed;
} loading;

static int event_row(void *ud, const char *const *c, size_t n)
{
    loading *l = ud;
    ev_event *e = &l->ev->e;
    if (n < 17) return 1;
    e->id = num(c[0], 0), e->org = num(c[1], 0);
    e->name = dup(c[2], &l->failed);
    ml_snprintf(e->day, sizeof e->day, "%s", c[3] ? c[3] : "");
    e->start_min = (int)num(c[4], 0), e->slot_minutes = (int)num(c[5], 0);
    e->slots = (int)num(c[6], 1), e->tables = (int)num(c[7], 1);
    e->two_sided = num(c[8], 0) != 0;
    e->breaks = dup(c[9], &l->failed);
    e->place = c[10] ? dup(c[10], &l->failed) : NULL;
    e->author = dup(c[12], &l->failed);
    e->scheduled = num(c[13], 0), e->weight = num(c[14], 0), e->bound = num(c[15], 0);
    e->optimal = c[16] ? (int)num(c[16], 0) : -1;
    /* "4:30,8:60": the breaks as checked when the event was made */
    for (const char *p = e->breaks; p && *p;) {
        size_t k = strcspn(p, ","), colon = strcspn(p, ":");
        int64_t after, minutes;
        if (colon < k && !ml_parse_i64(p, colon, 1, EV_MAX_SLOTS, &after) &&
            !ml_parse_i64(p + colon + 1, k - colon - 1, 0, 24 * 60, &minutes))
            e->brk[after] += (int)minutes;
        p += k + (p[k] == ',');
    }
    return 0;
}

static int published_row(void *ud, const char *const *c, size_t n)
{
    loading *l = ud;
    if (n >= 1) l->ev->e.published = num(c[0], 0);
    return 0;
}

static void *grow(void *arr, size_t n, size_t size)
{
    if (n & (n - 1) && n) return arr; /* room until the next power of two */
    return realloc(arr, (n ? 2 * n : 8) * size);
}

static int part_row(void *ud, const char *const *c, size_t n)
{
    loading *l = ud;
    ev_all *ev = l->ev;
    if (n < 8) return 1;
    ev_part *p = grow(ev->p, ev->np, sizeof *p);
    if (!p) return l->failed = true, 1;
    ev->p = p;
    p = &ev->p[ev->np++];
    memset(p, 0, sizeof *p);
    p->id = num(c[0], 0);
    ml_snprintf(p->kind, sizeof p->kind, "%s", c[1] ? c[1] : "guest");
    p->siret = num(c[2], 0);
    p->name = dup(c[3], &l->failed);
    p->side = c[4] && (c[4][0] == 'A' || c[4][0] == 'B') ? c[4][0] : 0;
    p->slots_text = dup(c[5], &l->failed);
    p->max = c[6] ? num(c[6], -1) : -1;
    p->cancelled = num(c[7], 0) != 0;
    return 0;
}

static int req_row(void *ud, const char *const *c, size_t n)
{
    loading *l = ud;
    ev_all *ev = l->ev;
    if (n < 7) return 1;
    ev_req *r = grow(ev->r, ev->nr, sizeof *r);
    if (!r) return l->failed = true, 1;
    ev->r = r;
    r = &ev->r[ev->nr++];
    r->id = num(c[0], 0), r->a = num(c[1], 0), r->b = num(c[2], 0);
    r->must = c[3] && strcmp(c[3], "must") == 0;
    r->avoid = c[3] && strcmp(c[3], "avoid") == 0;
    r->asked_by = num(c[4], 0);
    r->accepted = num(c[5], 0) != 0;
    r->reason = c[6] ? dup(c[6], &l->failed) : NULL;
    return 0;
}

static int meet_row(void *ud, const char *const *c, size_t n)
{
    loading *l = ud;
    ev_all *ev = l->ev;
    if (n < 4) return 1;
    ev_meet *m = grow(ev->m, ev->nm, sizeof *m);
    if (!m) return l->failed = true, 1;
    ev->m = m;
    ev->m[ev->nm++] = (ev_meet){.req = num(c[0], 0),
                                .slot = (int)num(c[1], 0),
                                .table = (int)num(c[2], 0),
                                .locked = num(c[3], 0) != 0};
    return 0;
}

static int outcome_row(void *ud, const char *const *c, size_t n)
{
    loading *l = ud;
    ev_all *ev = l->ev;
    if (n < 7) return 1;
    ev_outcome *o = grow(ev->o, ev->no, sizeof *o);
    if (!o) return l->failed = true, 1;
    ev->o = o;
    o = &ev->o[ev->no++];
    o->req = num(c[0], 0), o->met = num(c[1], 0) != 0;
    ml_snprintf(o->result, sizeof o->result, "%s", c[2] ? c[2] : "none");
    o->amount = c[3] ? num(c[3], -1) : -1, o->jobs = c[4] ? num(c[4], -1) : -1;
    o->at = num(c[5], 0);
    o->author = dup(c[6], &l->failed);
    return 0;
}

/* Slots "1-6,9" (already checked) as a set; empty: all. */
static uint64_t slot_set(const char *s, int nslots)
{
    uint64_t all = nslots >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << nslots) - 1);
    if (!s || !*s) return all;
    uint64_t set = 0;
    while (*s) {
        size_t k = strcspn(s, ","), dash = strcspn(s, "-");
        int64_t lo, hi;
        if (dash < k) {
            if (!ml_parse_i64(s, dash, 1, 64, &lo) &&
                !ml_parse_i64(s + dash + 1, k - dash - 1, 1, 64, &hi))
                for (int64_t i = lo; i <= hi; i++)
                    set |= (uint64_t)1 << (i - 1);
        } else if (!ml_parse_i64(s, k, 1, 64, &lo)) {
            set |= (uint64_t)1 << (lo - 1);
        }
        s += k + (s[k] == ',');
    }
    return set & all;
}

ml_err ev_load(ml_db *db, int64_t id, ev_all *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->e.optimal = -1;
    loading l = {.ev = ev};
    ml_sql_arg arg = {.type = ML_ARG_INT, .i = id};
    ml_err r = db->be->event_sql(db, ML_EV_GET, &arg, 1, event_row, &l, NULL);
    if (!r && !ev->e.id) r = ml_fail(db->ctx, ML_NOTFOUND, "no event %lld", (long long)id);
    if (!r) r = db->be->event_sql(db, ML_EV_PUBLISHED, &arg, 1, published_row, &l, NULL);
    if (!r) r = db->be->event_sql(db, ML_EV_P_LIST, &arg, 1, part_row, &l, NULL);
    if (!r) r = db->be->event_sql(db, ML_EV_R_LIST, &arg, 1, req_row, &l, NULL);
    if (!r) r = db->be->event_sql(db, ML_EV_M_LIST, &arg, 1, meet_row, &l, NULL);
    if (!r) r = db->be->event_sql(db, ML_EV_O_LIST, &arg, 1, outcome_row, &l, NULL);
    if (!r && l.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        ev_release(ev);
        return r;
    }
    for (size_t i = 0; i < ev->np; i++)
        ev->p[i].avail = slot_set(ev->p[i].slots_text, ev->e.slots);
    return ML_OK;
}

void ev_release(ev_all *ev)
{
    free(ev->e.name), free(ev->e.place), free(ev->e.author), free(ev->e.breaks);
    for (size_t i = 0; i < ev->np; i++)
        free(ev->p[i].name), free(ev->p[i].slots_text);
    for (size_t i = 0; i < ev->nr; i++)
        free(ev->r[i].reason);
    for (size_t i = 0; i < ev->no; i++)
        free(ev->o[i].author);
    free(ev->p), free(ev->r), free(ev->m), free(ev->o);
    memset(ev, 0, sizeof *ev);
}

void ev_slot_time(const ev_event *e, int s, int *start, int *end)
{
    int t = e->start_min;
    for (int k = 1; k < s; k++)
        t += e->slot_minutes + e->brk[k];
    *start = t, *end = t + e->slot_minutes;
}

/* The last Sunday of a month at 01:00 UTC, when Europe changes its clocks. */
static time_t last_sunday(int year, int month)
{
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month, .tm_mday = 0, .tm_hour = 1};
    time_t t = timegm(&tm); /* day 0 of the next month: the month's last day */
    struct tm d;
    gmtime_r(&t, &d);
    return t - (time_t)d.tm_wday * 86400;
}

void ev_utc_stamp(const char *day, int minutes, char out[17])
{
    int64_t y = 2000, m = 1, d = 1;
    if (day && strlen(day) == 10) {
        ml_parse_i64(day, 4, 1900, 2200, &y);
        ml_parse_i64(day + 5, 2, 1, 12, &m);
        ml_parse_i64(day + 8, 2, 1, 31, &d);
    }
    struct tm tm = {.tm_year = (int)y - 1900, .tm_mon = (int)m - 1, .tm_mday = (int)d};
    time_t local = timegm(&tm) + (time_t)minutes * 60;
    time_t utc = local - 7200; /* summer time, if it is then */
    if (!(utc >= last_sunday((int)y, 3) && utc < last_sunday((int)y, 10))) utc = local - 3600;
    struct tm u;
    gmtime_r(&utc, &u);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &u);
}
