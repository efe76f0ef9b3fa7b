/* io.c — `maillage schedule` in the library: reads the participants, the
 * requests, the locked meetings and a previous schedule (CSV, through the
 * project's reader; every error names file:line and why), runs the solver,
 * checks the schedule with the independent checker before anyone may
 * publish it, and writes it (the project's CSV writer). */
#include <errno.h>
#include <strings.h>
#include <unistd.h>

#include "export/csv.h"
#include "ingest/csv.h"
#include "schedule/schedule.h"

#define ID_MAX 200

struct ml_schedule {
    ml_sched_event ev;
    ml_sched_result res;
    uint64_t seed;
    bool has_previous;
    size_t merged;      /* duplicate requests merged */
    size_t unplaceable; /* requests whose participants share no slot */
    uint64_t unplaceable_line;
    char *unplaceable_file;
    char *cancelled; /* the participant who cancelled, or NULL */
    size_t cancelled_meetings;
    double seconds;
    /* Priorities: must-meet requests come before any wish. The solver sees
     * weight + big for a must (big > all weights together: lexicographic);
     * the user's weights stay in user_weight. */
    uint8_t *must;
    int64_t *user_weight;
    int64_t big;
    size_t musts, musts_met, musts_bound;
    int64_t weight, bound; /* in the user's weights */
    bool optimal;
};

/* ------------------------------------------------------------ id lookup */

typedef struct idmap {
    uint32_t *slot; /* index + 1, 0 = empty */
    size_t size;    /* power of two */
} idmap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int64_t idmap_find(const idmap *m, char *const *ids, const char *s)
{
    if (!m->size) return -1;
    for (size_t i = hash_str(s) & (m->size - 1);; i = (i + 1) & (m->size - 1)) {
        if (!m->slot[i]) return -1;
        if (strcmp(ids[m->slot[i] - 1], s) == 0) return m->slot[i] - 1;
    }
}

static int idmap_add(idmap *m, char *const *ids, size_t n)
{
    /* Called after ids[n - 1] was appended; keeps the load under one half. */
    if (2 * n > m->size) {
        size_t size = m->size ? 2 * m->size : 64;
        uint32_t *slot = calloc(size, sizeof *slot);
        if (!slot) return -1;
        free(m->slot);
        m->slot = slot, m->size = size;
        for (size_t k = 0; k + 1 < n; k++) {
            size_t i = hash_str(ids[k]) & (size - 1);
            while (slot[i])
                i = (i + 1) & (size - 1);
            slot[i] = (uint32_t)k + 1;
        }
    }
    size_t i = hash_str(ids[n - 1]) & (m->size - 1);
    while (m->slot[i])
        i = (i + 1) & (m->size - 1);
    m->slot[i] = (uint32_t)n;
    return 0;
}

/* -------------------------------------------------------------- helpers */

/* A field without its surrounding spaces, copied into buf (NUL-terminated). */
static const char *trimmed(const ml_csv_row *row, int col, char *buf, size_t size, size_t *len)
{
    *len = 0;
    buf[0] = 0;
    if (col < 0 || (size_t)col >= row->nfields) return buf;
    const char *s = row->fields[col];
    size_t n = row->lens[col];
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= size) n = size - 1; /* callers check lengths against smaller limits */
    memcpy(buf, s, n);
    buf[n] = 0;
    *len = n;
    return buf;
}

static bool digits(const char *s, size_t n)
{
    if (!n) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* A whole number of at most 9 digits within [lo, hi], or -1. */
static int64_t whole(const char *s, size_t n, int64_t lo, int64_t hi)
{
    if (!digits(s, n) || n > 9) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v < lo || v > hi ? -1 : v;
}

/* Parses "1-6,9,11-20" (1-based, spaces allowed) into a set of slots. */
static int slot_list(const char *s, uint32_t nslots, uint64_t *out, char *why, size_t whysize)
{
    uint64_t set = 0;
    const char *p = s;
    for (;;) {
        while (*p == ' ')
            p++;
        const char *a = p;
        while (*p >= '0' && *p <= '9')
            p++;
        size_t alen = (size_t)(p - a);
        while (*p == ' ')
            p++;
        int64_t lo = whole(a, alen, 0, 999999999), hi = lo;
        if (lo < 0) {
            ml_snprintf(why, whysize, "bad slot list '%.60s' (expected slots like 1-6,9,11-20)", s);
            return -1;
        }
        if (*p == '-') {
            p++;
            while (*p == ' ')
                p++;
            const char *b = p;
            while (*p >= '0' && *p <= '9')
                p++;
            hi = whole(b, (size_t)(p - b), 0, 999999999);
            while (*p == ' ')
                p++;
            if (hi < 0) {
                ml_snprintf(why, whysize, "bad slot list '%.60s' (expected slots like 1-6,9,11-20)",
                            s);
                return -1;
            }
            if (hi < lo) {
                ml_snprintf(why, whysize, "slot range %lld-%lld runs backwards", (long long)lo,
                            (long long)hi);
                return -1;
            }
        }
        if (lo < 1 || hi > nslots) {
            ml_snprintf(why, whysize, "slot %lld outside 1..%u (--slots %u)",
                        (long long)(lo < 1 ? lo : hi), nslots, nslots);
            return -1;
        }
        for (int64_t k = lo; k <= hi; k++)
            set |= (uint64_t)1 << (k - 1);
        if (*p == 0) break;
        if (*p != ',') {
            ml_snprintf(why, whysize, "bad slot list '%.60s' (expected slots like 1-6,9,11-20)", s);
            return -1;
        }
        p++;
    }
    *out = set;
    return 0;
}

/* The columns of a header row: col[i] = index of names[i], or -1. */
static void header(const ml_csv_row *row, const char *const *names, int n, int *col)
{
    for (int i = 0; i < n; i++)
        col[i] = -1;
    for (size_t f = 0; f < row->nfields; f++) {
        char buf[64];
        size_t len;
        trimmed(row, (int)f, buf, sizeof buf, &len);
        for (int i = 0; i < n; i++)
            if (col[i] < 0 && strcasecmp(buf, names[i]) == 0) col[i] = (int)f;
    }
}

/* ------------------------------------------------------------ participants */

enum { P_ID, P_SIDE, P_SLOTS, P_MAX, P_N };
static const char *const p_names[P_N] = {"id", "side", "slots", "max_meetings"};

typedef struct reading {
    ml_ctx *ctx;
    const char *path;
    bool texts;       /* the inputs are CSV texts (ml_schedule_opts.texts) */
    const char *name; /* then: what messages call the one being read */
    ml_schedule *s;
    idmap ids;
    size_t alloc_p, alloc_r;
    uint64_t *pline; /* line of each participant */
    uint32_t *pmust; /* must-meet requests of each participant */
    int col[5];
    uint64_t sided_line, unsided_line;
    /* requests */
    uint64_t *pairs; /* open addressing: key (lo << 32 | hi) + 1, 0 empty */
    uint32_t *pair_req;
    size_t pair_size;
    /* meetings (locked, previous) */
    ml_sched_meeting *meet;
    size_t nmeet, alloc_m;
    bool previous;
    int64_t cancelled;
    ml_err err;
} reading;

#define ROW_FAIL(rd, row, code, ...)                                                               \
    do {                                                                                           \
        char msg_[600];                                                                            \
        ml_snprintf(msg_, sizeof msg_, __VA_ARGS__);                                               \
        (rd)->err = ml_fail((rd)->ctx, code, "%s:%llu: %s", (rd)->path,                            \
                            (unsigned long long)(row)->line, msg_);                                \
        return 1;                                                                                  \
    } while (0)

static int check_row(reading *rd, const ml_csv_row *row)
{
    if (!row->complete || row->broken) ROW_FAIL(rd, row, ML_FORMAT, "a quoted field is not closed");
    for (size_t f = 0; f < row->nfields; f++)
        if (!ml_utf8_valid(row->fields[f], row->lens[f]))
            ROW_FAIL(rd, row, ML_FORMAT, "not valid UTF-8 text (save the file as UTF-8)");
    return 0;
}

static int participant_row(void *ud, const ml_csv_row *row)
{
    reading *rd = ud;
    ml_sched_event *ev = &rd->s->ev;
    if (check_row(rd, row)) return 1;
    if (row->index == 0) {
        header(row, p_names, P_N, rd->col);
        if (rd->col[P_ID] < 0)
            ROW_FAIL(rd, row, ML_FORMAT,
                     "no column 'id' in the header (expected id,side,slots,max_meetings)");
        return 0;
    }
    char id[ID_MAX + 2], side[8], slots[512], max[16];
    size_t idlen, sidelen, slotslen, maxlen;
    trimmed(row, rd->col[P_ID], id, sizeof id, &idlen);
    trimmed(row, rd->col[P_SIDE], side, sizeof side, &sidelen);
    trimmed(row, rd->col[P_SLOTS], slots, sizeof slots, &slotslen);
    trimmed(row, rd->col[P_MAX], max, sizeof max, &maxlen);
    if (!idlen) ROW_FAIL(rd, row, ML_FORMAT, "empty id");
    if (idlen > ID_MAX) ROW_FAIL(rd, row, ML_FORMAT, "id longer than %d bytes", ID_MAX);
    if (ev->np >= ML_SCHED_MAX_PEOPLE)
        ROW_FAIL(rd, row, ML_LIMIT, "more than %d participants", ML_SCHED_MAX_PEOPLE);
    int64_t dup = idmap_find(&rd->ids, ev->id, id);
    if (dup >= 0)
        ROW_FAIL(rd, row, ML_FORMAT, "duplicate id '%.60s' (first on line %llu)", id,
                 (unsigned long long)rd->pline[dup]);
    uint8_t sd = ML_SIDE_NONE;
    if (sidelen == 1 && (side[0] == 'A' || side[0] == 'a'))
        sd = ML_SIDE_A;
    else if (sidelen == 1 && (side[0] == 'B' || side[0] == 'b'))
        sd = ML_SIDE_B;
    else if (sidelen)
        ROW_FAIL(rd, row, ML_FORMAT, "side '%.20s' (expected A, B, or empty in an open event)",
                 side);
    if (sd && !rd->sided_line) rd->sided_line = row->line;
    if (!sd && !rd->unsided_line) rd->unsided_line = row->line;
    if (rd->sided_line && rd->unsided_line)
        ROW_FAIL(rd, row, ML_FORMAT,
                 "participant without a side, but line %llu has one (a two-sided event gives "
                 "every participant side A or B; an open event gives none)",
                 (unsigned long long)(sd ? rd->unsided_line : rd->sided_line));
    uint64_t avail = ml_sched_all_slots(ev->nslots);
    if (slotslen >= sizeof slots - 1) ROW_FAIL(rd, row, ML_FORMAT, "slot list too long");
    char why[200];
    if (slotslen && slot_list(slots, ev->nslots, &avail, why, sizeof why))
        ROW_FAIL(rd, row, ML_FORMAT, "%s", why);
    uint32_t mx = ML_SCHED_NO_LIMIT;
    if (maxlen) {
        int64_t v = whole(max, maxlen, 0, 100000);
        if (v < 0)
            ROW_FAIL(rd, row, ML_FORMAT,
                     "max_meetings '%.20s' (expected a whole number from 0 to 100000, or empty "
                     "for no limit)",
                     max);
        mx = (uint32_t)v;
    }
    if (ev->np == rd->alloc_p) {
        size_t n = rd->alloc_p ? 2 * rd->alloc_p : 256;
        char **ids = realloc(ev->id, n * sizeof *ids);
        if (ids) ev->id = ids;
        uint8_t *sides = realloc(ev->side, n);
        if (sides) ev->side = sides;
        uint64_t *av = realloc(ev->avail, n * sizeof *av);
        if (av) ev->avail = av;
        uint32_t *mxs = realloc(ev->max, n * sizeof *mxs);
        if (mxs) ev->max = mxs;
        uint64_t *lines = realloc(rd->pline, n * sizeof *lines);
        if (lines) rd->pline = lines;
        if (!ids || !sides || !av || !mxs || !lines) ROW_FAIL(rd, row, ML_NOMEM, "out of memory");
        rd->alloc_p = n;
    }
    size_t p = ev->np;
    if (!(ev->id[p] = ml_strdup(id))) ROW_FAIL(rd, row, ML_NOMEM, "out of memory");
    ev->side[p] = sd, ev->avail[p] = avail, ev->max[p] = mx, rd->pline[p] = row->line;
    ev->np++;
    if (idmap_add(&rd->ids, ev->id, ev->np)) ROW_FAIL(rd, row, ML_NOMEM, "out of memory");
    return 0;
}

/* ------------------------------------------------------------- requests */

static uint64_t mix_key(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int64_t pair_find(const reading *rd, uint32_t a, uint32_t b)
{
    uint64_t lo = a < b ? a : b, hi = a < b ? b : a, key = (lo << 32 | hi) + 1;
    if (!rd->pair_size) return -1;
    for (size_t i = mix_key(key) & (rd->pair_size - 1);; i = (i + 1) & (rd->pair_size - 1)) {
        if (!rd->pairs[i]) return -1;
        if (rd->pairs[i] == key) return rd->pair_req[i];
    }
}

static int pair_add(reading *rd, uint32_t a, uint32_t b, uint32_t r)
{
    if (2 * (rd->s->ev.nr + 1) > rd->pair_size) {
        size_t size = rd->pair_size ? 2 * rd->pair_size : 1024;
        uint64_t *keys = calloc(size, sizeof *keys);
        uint32_t *reqs = calloc(size, sizeof *reqs);
        if (!keys || !reqs) {
            free(keys), free(reqs);
            return -1;
        }
        for (size_t k = 0; k < rd->pair_size; k++) {
            if (!rd->pairs[k]) continue;
            size_t i = mix_key(rd->pairs[k]) & (size - 1);
            while (keys[i])
                i = (i + 1) & (size - 1);
            keys[i] = rd->pairs[k], reqs[i] = rd->pair_req[k];
        }
        free(rd->pairs), free(rd->pair_req);
        rd->pairs = keys, rd->pair_req = reqs, rd->pair_size = size;
    }
    uint64_t lo = a < b ? a : b, hi = a < b ? b : a, key = (lo << 32 | hi) + 1;
    size_t i = mix_key(key) & (rd->pair_size - 1);
    while (rd->pairs[i])
        i = (i + 1) & (rd->pair_size - 1);
    rd->pairs[i] = key, rd->pair_req[i] = r;
    return 0;
}

/* A participant named in column `col` of a row: its index, or -1 after an
 * error. A previous schedule may name the participant who cancelled. */
static int64_t participant(reading *rd, const ml_csv_row *row, int col, const char *colname)
{
    char id[ID_MAX + 2];
    size_t len;
    trimmed(row, col, id, sizeof id, &len);
    if (!len) {
        rd->err = ml_fail(rd->ctx, ML_FORMAT, "%s:%llu: empty %s", rd->path,
                          (unsigned long long)row->line, colname);
        return -1;
    }
    int64_t p = idmap_find(&rd->ids, rd->s->ev.id, id);
    /* Our writer puts a ' before an id a spreadsheet would take for a formula. */
    if (p < 0 && id[0] == '\'' && strchr("=+-@", id[1]))
        p = idmap_find(&rd->ids, rd->s->ev.id, id + 1);
    if (p < 0)
        rd->err = ml_fail(rd->ctx, ML_FORMAT,
                          "%s:%llu: unknown participant '%.60s' in column %s (not in the "
                          "participants file)",
                          rd->path, (unsigned long long)row->line, id, colname);
    return p;
}

enum { R_A, R_B, R_WEIGHT, R_PRIORITY, R_N };
static const char *const r_names[R_N] = {"a", "b", "weight", "priority"};

/* A must-meet request counts against what each of its participants can
 * meet: more musts than that is an error at the line where it happens. */
static int count_must(reading *rd, const ml_csv_row *row, uint32_t a, uint32_t b)
{
    ml_sched_event *ev = &rd->s->ev;
    if (!(ev->avail[a] & ev->avail[b]))
        ROW_FAIL(rd, row, ML_FORMAT,
                 "a must-meet request between '%.60s' and '%.60s', who share no available slot",
                 ev->id[a], ev->id[b]);
    uint32_t ps[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        uint32_t p = ps[k], slots = (uint32_t)__builtin_popcountll(ev->avail[p]);
        uint32_t cap = ev->max[p] < slots ? ev->max[p] : slots;
        if (++rd->pmust[p] > cap)
            ROW_FAIL(rd, row, ML_FORMAT,
                     "'%.60s' has more must-meet requests (%u so far) than meetings they can "
                     "have (%u: %s)",
                     ev->id[p], rd->pmust[p], cap,
                     ev->max[p] < slots ? "max_meetings" : "slots available");
    }
    rd->s->musts++;
    return 0;
}

static int request_row(void *ud, const ml_csv_row *row)
{
    reading *rd = ud;
    ml_sched_event *ev = &rd->s->ev;
    if (check_row(rd, row)) return 1;
    if (row->index == 0) {
        header(row, r_names, R_N, rd->col);
        if (rd->col[R_A] < 0 || rd->col[R_B] < 0)
            ROW_FAIL(rd, row, ML_FORMAT,
                     "the header needs columns 'a' and 'b' (expected a,b,weight,priority)");
        return 0;
    }
    int64_t a = participant(rd, row, rd->col[R_A], "a");
    if (a < 0) return 1;
    int64_t b = participant(rd, row, rd->col[R_B], "b");
    if (b < 0) return 1;
    if (a == b) ROW_FAIL(rd, row, ML_FORMAT, "a request of '%.60s' with themself", ev->id[a]);
    if (ev->two_sided && ev->side[a] == ev->side[b])
        ROW_FAIL(rd, row, ML_FORMAT,
                 "'%.60s' and '%.60s' are both on side %c: a two-sided event schedules meetings "
                 "between side A and side B only",
                 ev->id[a], ev->id[b], ev->side[a] == ML_SIDE_A ? 'A' : 'B');
    char wt[32];
    size_t wlen;
    trimmed(row, rd->col[R_WEIGHT], wt, sizeof wt, &wlen);
    int64_t w = 1;
    if (wlen && (w = whole(wt, wlen, 1, ML_SCHED_MAX_WEIGHT)) < 0)
        ROW_FAIL(rd, row, ML_FORMAT,
                 "weight '%.20s' (expected a whole number from 1 to %d; empty means 1)", wt,
                 ML_SCHED_MAX_WEIGHT);
    char pr[16];
    size_t plen;
    trimmed(row, rd->col[R_PRIORITY], pr, sizeof pr, &plen);
    bool must = plen && strcasecmp(pr, "must") == 0;
    if (plen && !must && strcasecmp(pr, "wish") != 0)
        ROW_FAIL(rd, row, ML_FORMAT, "priority '%.20s' (expected must, wish, or empty for a wish)",
                 pr);
    /* Whoever cancelled has no requests any more. */
    bool gone = a == rd->cancelled || b == rd->cancelled;
    int64_t dup = pair_find(rd, (uint32_t)a, (uint32_t)b);
    if (dup >= 0) {
        /* The same pair asked twice (or each asked the other): one meeting,
         * of the larger weight, a must if either says so. */
        if (ev->req[dup].weight < w) ev->req[dup].weight = w;
        if (must && !rd->s->must[dup] && !gone) {
            if (count_must(rd, row, (uint32_t)a, (uint32_t)b)) return 1;
            rd->s->must[dup] = 1;
        }
        rd->s->merged++;
        return 0;
    }
    if (must && !gone && count_must(rd, row, (uint32_t)a, (uint32_t)b)) return 1;
    if (ev->nr >= ML_SCHED_MAX_REQUESTS)
        ROW_FAIL(rd, row, ML_LIMIT, "more than %d requests", ML_SCHED_MAX_REQUESTS);
    if (ev->nr == rd->alloc_r) {
        size_t n = rd->alloc_r ? 2 * rd->alloc_r : 1024;
        ml_sched_request *q = realloc(ev->req, n * sizeof *q);
        if (q) ev->req = q;
        uint8_t *m = realloc(rd->s->must, n);
        if (m) rd->s->must = m;
        if (!q || !m) ROW_FAIL(rd, row, ML_NOMEM, "out of memory");
        rd->alloc_r = n;
    }
    rd->s->must[ev->nr] = must && !gone;
    if (pair_add(rd, (uint32_t)a, (uint32_t)b, (uint32_t)ev->nr))
        ROW_FAIL(rd, row, ML_NOMEM, "out of memory");
    ev->req[ev->nr++] = (ml_sched_request){(uint32_t)a, (uint32_t)b, w};
    /* The requests of whoever cancelled are not unplaceable: they are gone. */
    if (!(ev->avail[a] & ev->avail[b]) && a != rd->cancelled && b != rd->cancelled &&
        !rd->s->unplaceable++)
        rd->s->unplaceable_line = row->line;
    return 0;
}

/* ------------------------------------------------- locked and previous */

enum { M_SLOT, M_TABLE, M_A, M_B, M_N };
static const char *const m_names[M_N] = {"slot", "table", "a", "b"};

static int meeting_row(void *ud, const ml_csv_row *row)
{
    reading *rd = ud;
    ml_sched_event *ev = &rd->s->ev;
    if (check_row(rd, row)) return 1;
    if (row->index == 0) {
        header(row, m_names, M_N, rd->col);
        for (int i = 0; i < M_N; i++)
            if (rd->col[i] < 0)
                ROW_FAIL(rd, row, ML_FORMAT,
                         "no column '%s' in the header (expected slot,table,a,b)", m_names[i]);
        return 0;
    }
    char buf[32];
    size_t len;
    trimmed(row, rd->col[M_SLOT], buf, sizeof buf, &len);
    int64_t slot = whole(buf, len, 1, ev->nslots);
    if (slot < 0) ROW_FAIL(rd, row, ML_FORMAT, "slot '%.20s' (expected 1..%u)", buf, ev->nslots);
    trimmed(row, rd->col[M_TABLE], buf, sizeof buf, &len);
    int64_t table = whole(buf, len, 1, ev->ntables);
    if (table < 0) ROW_FAIL(rd, row, ML_FORMAT, "table '%.20s' (expected 1..%u)", buf, ev->ntables);
    int64_t a = participant(rd, row, rd->col[M_A], "a");
    if (a < 0) return 1;
    int64_t b = participant(rd, row, rd->col[M_B], "b");
    if (b < 0) return 1;
    if (a == rd->cancelled || b == rd->cancelled) {
        if (!rd->previous)
            ROW_FAIL(rd, row, ML_INVALID, "a locked meeting of '%.60s', who cancelled",
                     ev->id[rd->cancelled]);
        rd->s->cancelled_meetings++;
        return 0;
    }
    int64_t r = pair_find(rd, (uint32_t)a, (uint32_t)b);
    if (r < 0) {
        if (rd->previous) return 0; /* the request was withdrawn since: not kept */
        ROW_FAIL(rd, row, ML_FORMAT, "'%.60s' and '%.60s' have no request in the requests file",
                 ev->id[a], ev->id[b]);
    }
    if (rd->nmeet == rd->alloc_m) {
        size_t n = rd->alloc_m ? 2 * rd->alloc_m : 256;
        ml_sched_meeting *m = realloc(rd->meet, n * sizeof *m);
        if (!m) ROW_FAIL(rd, row, ML_NOMEM, "out of memory");
        rd->meet = m, rd->alloc_m = n;
    }
    rd->meet[rd->nmeet++] =
        (ml_sched_meeting){(uint32_t)r, (uint32_t)slot - 1, (uint32_t)table - 1};
    return 0;
}

/* A file, or (opts->texts, lib/event) a CSV text named `name` in messages. */
static ml_err read_file(reading *rd, const char *path, ml_csv_row_fn fn)
{
    static const ml_csv_limits limits = {.max_field = 4096, .max_fields = 64, .max_row = 65536};
    rd->path = rd->texts ? rd->name : path;
    rd->err = ML_OK;
    ml_err r = rd->texts ? ml_csv_parse_buffer(rd->ctx, rd->name, path, strlen(path), &limits, fn,
                                               rd)
                         : ml_csv_parse_file(rd->ctx, path, &limits, fn, rd);
    if (r == ML_INTERRUPTED) return rd->err;
    return r;
}

/* ----------------------------------------------------------- the API */

ml_err ml_schedule_run(ml_ctx *ctx, const ml_schedule_opts *o, ml_schedule **out)
{
    *out = NULL;
    if (!o->participants || !o->requests)
        return ml_fail(ctx, ML_INVALID, "give the participants and the requests files");
    if (o->slots < 1 || o->slots > ML_SCHED_MAX_SLOTS)
        return ml_fail(ctx, ML_INVALID, "--slots must be from 1 to %d", ML_SCHED_MAX_SLOTS);
    if (o->tables < 1 || o->tables > ML_SCHED_MAX_TABLES)
        return ml_fail(ctx, ML_INVALID, "--tables must be from 1 to %d", ML_SCHED_MAX_TABLES);
    if (o->cancel && !o->previous)
        return ml_fail(ctx, ML_INVALID, "--cancel needs the schedule it changes (--previous FILE)");
    double t0 = ml_now();
    ml_schedule *s = calloc(1, sizeof *s);
    if (!s) return ml_fail(ctx, ML_NOMEM, "out of memory");
    s->seed = o->seed;
    ml_sched_event *ev = &s->ev;
    ev->nslots = o->slots, ev->ntables = o->tables;
    reading rd = {.ctx = ctx, .s = s, .cancelled = -1, .texts = o->texts, .name = "participants"};
    ml_sched_meeting *previous = NULL;
    size_t nprevious = 0;
    ml_err r = read_file(&rd, o->participants, participant_row);
    if (r) goto out;
    if (!ev->np) {
        r = ml_fail(ctx, ML_FORMAT, "%s: no participant", rd.path);
        goto out;
    }
    ev->two_sided = rd.sided_line != 0;
    if (o->cancel) {
        rd.cancelled = idmap_find(&rd.ids, ev->id, o->cancel);
        if (rd.cancelled < 0) {
            r = ml_fail(ctx, ML_INVALID, "--cancel: no participant '%.60s' in %s", o->cancel,
                        o->texts ? "the participants" : o->participants);
            goto out;
        }
        /* Whoever cancelled meets nobody. */
        ev->avail[rd.cancelled] = 0, ev->max[rd.cancelled] = 0;
        if (!(s->cancelled = ml_strdup(o->cancel))) {
            r = ml_fail(ctx, ML_NOMEM, "out of memory");
            goto out;
        }
    }
    if (!ev->req && !(ev->req = malloc(sizeof *ev->req))) {
        r = ml_fail(ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    if (!(rd.pmust = calloc(ev->np, sizeof *rd.pmust))) {
        r = ml_fail(ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    rd.name = "requests";
    r = read_file(&rd, o->requests, request_row);
    if (r) goto out;
    if (s->musts) {
        /* Musts first: each weighs more than all the wishes together. */
        if (!(s->user_weight = malloc((ev->nr + 1) * sizeof *s->user_weight))) {
            r = ml_fail(ctx, ML_NOMEM, "out of memory");
            goto out;
        }
        s->big = 1;
        for (size_t i = 0; i < ev->nr; i++)
            s->big += s->user_weight[i] = ev->req[i].weight;
        for (size_t i = 0; i < ev->nr; i++)
            if (s->must[i]) ev->req[i].weight += s->big;
    }
    if (s->unplaceable && !(s->unplaceable_file = ml_strdup(rd.path))) {
        r = ml_fail(ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    if (o->locked) {
        rd.name = "locked";
        r = read_file(&rd, o->locked, meeting_row);
        if (r) goto out;
        ev->locked = rd.meet, ev->nlocked = rd.nmeet;
        rd.meet = NULL, rd.nmeet = rd.alloc_m = 0;
        char why[400];
        if (ml_sched_check(ev, ev->locked, ev->nlocked, -1, why, sizeof why)) {
            r = ml_fail(ctx, ML_FORMAT, "%s: the locked meetings cannot all be kept: %s", rd.path,
                        why);
            goto out;
        }
    }
    if (o->previous) {
        rd.previous = true;
        rd.name = "previous";
        r = read_file(&rd, o->previous, meeting_row);
        if (r) goto out;
        previous = rd.meet, nprevious = rd.nmeet;
        rd.meet = NULL;
        s->has_previous = true;
    }
    ml_sched_params p = {
        .seed = o->seed, .effort = o->effort, .previous = previous, .nprevious = nprevious};
    r = ml_sched_solve(ctx, ev, &p, &s->res);
    if (r) goto out;
    /* Nothing leaves the library that the checker did not pass. */
    char why[400];
    if (ml_sched_check(ev, s->res.m, s->res.n, s->res.weight, why, sizeof why) ||
        s->res.weight > s->res.bound) {
        r = ml_fail(ctx, ML_ERROR,
                    "the schedule failed its check (%s): this is a bug in maillage, please "
                    "report it; nothing was written",
                    *why ? why : "weight above the upper bound");
        goto out;
    }
    s->weight = s->res.weight, s->bound = s->res.bound, s->optimal = s->res.optimal;
    if (s->musts) {
        /* Say it in the user's weights: the weight, the musts met, and a
         * bound of the weight without priorities. "optimal" is about the
         * priorities first (the solver's objective). */
        s->weight = 0;
        for (size_t i = 0; i < s->res.n; i++) {
            s->weight += s->user_weight[s->res.m[i].req];
            s->musts_met += s->must[s->res.m[i].req];
        }
        s->musts_bound = (size_t)(s->res.bound / s->big);
        if (s->musts_bound > s->musts) s->musts_bound = s->musts;
        for (size_t i = 0; i < ev->nr; i++)
            ev->req[i].weight = s->user_weight[i];
        r = ml_sched_bound(ev, &s->bound, NULL);
        for (size_t i = 0; i < ev->nr; i++)
            if (s->must[i]) ev->req[i].weight += s->big;
        if (r) {
            r = ml_fail(ctx, r, "out of memory");
            goto out;
        }
        if (s->bound < s->weight) s->bound = s->weight; /* never: the bound is valid */
    }
    s->seconds = ml_now() - t0;
out:
    free(rd.ids.slot), free(rd.pline), free(rd.pmust), free(rd.pairs), free(rd.pair_req);
    free(rd.meet);
    free(previous);
    if (r)
        ml_schedule_free(s);
    else
        *out = s;
    return r;
}

void ml_schedule_free(ml_schedule *s)
{
    if (!s) return;
    ml_sched_event_release(&s->ev);
    ml_sched_result_release(&s->res);
    free(s->cancelled), free(s->unplaceable_file), free(s->must), free(s->user_weight);
    free(s);
}

ml_err ml_schedule_report(ml_ctx *ctx, const ml_schedule *s, json_t **out)
{
    const ml_sched_result *res = &s->res;
    ml_json_build jb = {0};
    double gap = s->bound > 0 ? 100.0 * (double)(s->bound - s->weight) / (double)s->bound : 0;
    json_t *o = ml_json_pack(
        &jb,
        "{s:I, s:I, s:I, s:b, s:f, s:s, s:I, s:I, s:I, s:I, s:i, s:i, s:b, s:I, s:I, s:I, s:s,"
        " s:f, s:I}",
        "meetings", (json_int_t)res->n, "weight", (json_int_t)s->weight, "upper_bound",
        (json_int_t)s->bound, "optimal", s->optimal, "gap_percent", gap, "method",
        res->exact ? "exact" : "heuristic", "idle_gaps", (json_int_t)res->gaps, "participants",
        (json_int_t)s->ev.np, "requests", (json_int_t)s->ev.nr, "requests_met", (json_int_t)res->n,
        "slots", (int)s->ev.nslots, "tables", (int)s->ev.ntables, "two_sided", s->ev.two_sided,
        "locked", (json_int_t)s->ev.nlocked, "merged_requests", (json_int_t)s->merged,
        "unplaceable_requests", (json_int_t)s->unplaceable, "check", "passed", "milliseconds",
        s->seconds * 1000.0, "seed", (json_int_t)s->seed);
    if (o && s->musts)
        json_object_set_new(o, "musts",
                            ml_json_pack(&jb, "{s:I, s:I, s:I}", "requested", (json_int_t)s->musts,
                                         "met", (json_int_t)s->musts_met, "upper_bound",
                                         (json_int_t)s->musts_bound));
    if (o && s->unplaceable)
        json_object_set_new(o, "first_unplaceable",
                            ml_json_pack(&jb, "{s:s, s:I}", "file", s->unplaceable_file, "line",
                                         (json_int_t)s->unplaceable_line));
    if (o && s->has_previous)
        json_object_set_new(o, "previous",
                            ml_json_pack(&jb, "{s:I, s:I, s:I}", "kept", (json_int_t)res->kept,
                                         "moved", (json_int_t)res->moved, "dropped",
                                         (json_int_t)res->dropped));
    if (o && s->cancelled)
        json_object_set_new(o, "cancelled",
                            ml_json_pack(&jb, "{s:s, s:I}", "id", s->cancelled, "meetings",
                                         (json_int_t)s->cancelled_meetings));
    ml_err r = ml_json_done(ctx, &jb);
    if (r) {
        json_decref(o);
        return r;
    }
    *out = o;
    return ML_OK;
}

/* An id as a cell: a number stays a number, other text is text (the
 * writer neutralises what a spreadsheet would run; the readers above undo it). */
static void id_cell(ml_csv_writer *w, const char *id)
{
    if (digits(id, strlen(id)))
        ml_csvw_number(w, id);
    else
        ml_csvw_text(w, id);
}

ml_err ml_schedule_write(ml_ctx *ctx, const ml_schedule *s, const char *path)
{
    /* Written beside the target, then renamed over it (as the exports do):
     * a published schedule is never replaced by half a file. */
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp) return ml_fail(ctx, ML_NOMEM, "out of memory");
    ml_snprintf(tmp, len, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        ml_err r = ml_fail(ctx, ML_IO, "%s: cannot write: %s", path, strerror(errno));
        free(tmp);
        return r;
    }
    ml_csv_writer w;
    ml_csvw_init(&w, f, 0);
    ml_csvw_name(&w, "slot"), ml_csvw_name(&w, "table"), ml_csvw_name(&w, "a");
    ml_csvw_name(&w, "b"), ml_csvw_end_row(&w);
    for (size_t i = 0; i < s->res.n; i++) {
        const ml_sched_meeting *m = &s->res.m[i];
        const ml_sched_request *q = &s->ev.req[m->req];
        ml_csvw_uint(&w, m->slot + 1), ml_csvw_uint(&w, m->table + 1);
        id_cell(&w, s->ev.id[q->a]), id_cell(&w, s->ev.id[q->b]);
        ml_csvw_end_row(&w);
    }
    int bad = ml_csvw_finish(&w);
    if (fclose(f) || bad || rename(tmp, path) != 0) {
        ml_err r = ml_fail(ctx, ML_IO, "%s: write failed: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return r;
    }
    free(tmp);
    return ML_OK;
}

/* One meeting of the schedule, for the faces: its slot and table (1-based)
 * and the two participants' ids (owned by s). */
size_t ml_schedule_count(const ml_schedule *s)
{
    return s->res.n;
}

void ml_schedule_meeting(const ml_schedule *s, size_t i, unsigned *slot, unsigned *table,
                         const char **a, const char **b)
{
    const ml_sched_meeting *m = &s->res.m[i];
    *slot = m->slot + 1, *table = m->table + 1;
    *a = s->ev.id[s->ev.req[m->req].a], *b = s->ev.id[s->ev.req[m->req].b];
}
