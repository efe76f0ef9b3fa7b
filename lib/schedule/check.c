/* check.c — the independent checker of a schedule: every constraint tested
 * directly on the event and the list of meetings, with plain arrays (a grid
 * of participant × slot, of slot × table, a count per request), sharing no
 * code with the solver. The command runs it before it writes anything; the
 * tests and the benchmark run it on every schedule. */
#include "schedule/schedule.h"

static const char *name_of(const ml_sched_event *ev, uint32_t p, char *buf, size_t size)
{
    if (ev->id && ev->id[p]) return ev->id[p];
    ml_snprintf(buf, size, "#%u", p + 1);
    return buf;
}

#define FAIL(code, ...)                                                                            \
    do {                                                                                           \
        if (why) ml_snprintf(why, whysize, __VA_ARGS__);                                           \
        result = code;                                                                             \
        goto out;                                                                                  \
    } while (0)

ml_sched_violation ml_sched_check(const ml_sched_event *ev, const ml_sched_meeting *m, size_t n,
                                  int64_t weight, char *why, size_t whysize)
{
    ml_sched_violation result = ML_SCHED_VALID;
    size_t N = ev->nslots, T = ev->ntables;
    char n1[16], n2[16];
    if (why && whysize) why[0] = 0;
    /* who[p * N + s]: the meeting (index + 1) participant p is in at slot s. */
    uint32_t *who = calloc(ev->np * N + 1, sizeof *who);
    uint32_t *table = calloc(N * (T < n ? T : n) + 1, sizeof *table);
    uint32_t *met = calloc(ev->nr + 1, sizeof *met);
    uint32_t *count = calloc(ev->np + 1, sizeof *count);
    uint32_t *per_slot = calloc(N + 1, sizeof *per_slot);
    if (!who || !table || !met || !count || !per_slot) {
        /* Out of memory is not a verdict on the schedule; say it plainly. */
        FAIL(ML_SCHED_WEIGHT, "out of memory while checking");
    }
    for (size_t r = 0; r < ev->nr; r++) {
        const ml_sched_request *q = &ev->req[r];
        if (q->a == q->b)
            FAIL(ML_SCHED_SELF, "request %zu: %s with themself", r + 1,
                 name_of(ev, q->a, n1, sizeof n1));
        if (ev->two_sided && ev->side[q->a] == ev->side[q->b])
            FAIL(ML_SCHED_SAME_SIDE, "request %zu: %s and %s are on the same side", r + 1,
                 name_of(ev, q->a, n1, sizeof n1), name_of(ev, q->b, n2, sizeof n2));
    }
    int64_t total = 0;
    size_t tcols = T < n ? T : n; /* tables beyond n are never all used: index by rank */
    for (size_t i = 0; i < n; i++) {
        const ml_sched_meeting *x = &m[i];
        if (x->slot >= N)
            FAIL(ML_SCHED_BAD_SLOT, "meeting %zu: slot %u outside 1..%zu", i + 1, x->slot + 1, N);
        if (x->table >= T)
            FAIL(ML_SCHED_BAD_TABLE, "meeting %zu: table %u outside 1..%zu", i + 1, x->table + 1,
                 T);
        if (x->req >= ev->nr) FAIL(ML_SCHED_BAD_REQUEST, "meeting %zu answers no request", i + 1);
        const ml_sched_request *q = &ev->req[x->req];
        const char *a = name_of(ev, q->a, n1, sizeof n1), *b = name_of(ev, q->b, n2, sizeof n2);
        if (met[x->req])
            FAIL(ML_SCHED_REQUEST_TWICE, "%s and %s meet twice (slot %u)", a, b, x->slot + 1);
        met[x->req] = (uint32_t)i + 1;
        uint32_t ps[2] = {q->a, q->b};
        for (int k = 0; k < 2; k++) {
            uint32_t p = ps[k];
            if (!(ev->avail[p] >> x->slot & 1))
                FAIL(ML_SCHED_UNAVAILABLE, "%s meets %s in slot %u, where %s is not available", a,
                     b, x->slot + 1, k ? b : a);
            if (who[(size_t)p * N + x->slot])
                FAIL(ML_SCHED_TWO_PLACES, "%s is in two meetings in slot %u", k ? b : a,
                     x->slot + 1);
            who[(size_t)p * N + x->slot] = (uint32_t)i + 1;
            if (ev->max[p] != ML_SCHED_NO_LIMIT && ++count[p] > ev->max[p])
                FAIL(ML_SCHED_OVER_MAX, "%s has more than %u meetings", k ? b : a, ev->max[p]);
        }
        if (++per_slot[x->slot] > T)
            FAIL(ML_SCHED_TOO_MANY, "more than %zu meetings in slot %u", T, x->slot + 1);
        total += q->weight;
    }
    /* Tables: a second pass, now that each slot is known to hold at most T. */
    if (tcols > 0) {
        for (size_t i = 0; i < n; i++) {
            const ml_sched_meeting *x = &m[i];
            /* A table number may exceed tcols only when T > n; then compare pairwise. */
            if (x->table < tcols) {
                uint32_t *cell = &table[(size_t)x->slot * tcols + x->table];
                if (*cell)
                    FAIL(ML_SCHED_TABLE_TWICE, "two meetings at table %u in slot %u", x->table + 1,
                         x->slot + 1);
                *cell = (uint32_t)i + 1;
            } else {
                for (size_t j = 0; j < i; j++)
                    if (m[j].slot == x->slot && m[j].table == x->table)
                        FAIL(ML_SCHED_TABLE_TWICE, "two meetings at table %u in slot %u",
                             x->table + 1, x->slot + 1);
            }
        }
    }
    for (size_t l = 0; l < ev->nlocked; l++) {
        const ml_sched_meeting *k = &ev->locked[l];
        uint32_t i = k->req < ev->nr ? met[k->req] : 0;
        bool found = i && m[i - 1].slot == k->slot && m[i - 1].table == k->table;
        if (!found) {
            const ml_sched_request *q = &ev->req[k->req];
            FAIL(ML_SCHED_LOCKED_MISSING,
                 "the locked meeting of %s and %s (slot %u, table %u) "
                 "is not kept",
                 name_of(ev, q->a, n1, sizeof n1), name_of(ev, q->b, n2, sizeof n2), k->slot + 1,
                 k->table + 1);
        }
    }
    if (weight >= 0 && total != weight)
        FAIL(ML_SCHED_WEIGHT, "the meetings weigh %lld, not %lld as announced", (long long)total,
             (long long)weight);
out:
    free(who);
    free(table);
    free(met);
    free(count);
    free(per_slot);
    return result;
}
