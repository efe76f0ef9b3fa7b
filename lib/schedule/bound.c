/* bound.c — an upper bound of the weight of any schedule, and the event's
 * basic helpers. Forget which slot each meeting takes and keep only what
 * any schedule must respect: a participant meets at most min(max_meetings,
 * slots available) times, two participants meet only if they share a slot,
 * and slot s holds at most min(T, people available in s / 2) meetings (two-
 * sided: min(T, A available, B available)). The heaviest set of requests
 * within these limits is a b-matching:
 *  - two-sided: a bipartite b-matching, solved exactly by min-cost flow
 *    (flow.c);
 *  - open: the fractional b-matching (the linear relaxation), computed on
 *    the bipartite double cover — each participant p as p' and p'', each
 *    request {a, b} as the edges a'b'' and b'a'' — whose best b-matching
 *    weighs exactly twice the relaxation's optimum (x_ab = (y_a'b'' +
 *    y_b'a'') / 2 maps one to the other); the bound is half of it, rounded
 *    down since weights are whole numbers. */
#include "schedule/schedule.h"

ml_err ml_sched_event_init(ml_sched_event *ev, uint32_t nslots, uint32_t ntables, size_t np,
                           size_t nr)
{
    memset(ev, 0, sizeof *ev);
    ev->nslots = nslots, ev->ntables = ntables, ev->np = np;
    ev->side = calloc(np + 1, sizeof *ev->side);
    ev->avail = calloc(np + 1, sizeof *ev->avail);
    ev->max = calloc(np + 1, sizeof *ev->max);
    ev->req = calloc(nr + 1, sizeof *ev->req);
    if (!ev->side || !ev->avail || !ev->max || !ev->req) {
        ml_sched_event_release(ev);
        return ML_NOMEM;
    }
    for (size_t p = 0; p < np; p++) {
        ev->avail[p] = ml_sched_all_slots(nslots);
        ev->max[p] = ML_SCHED_NO_LIMIT;
    }
    return ML_OK;
}

void ml_sched_event_release(ml_sched_event *ev)
{
    if (ev->id)
        for (size_t p = 0; p < ev->np; p++)
            free(ev->id[p]);
    free(ev->id), free(ev->side), free(ev->avail), free(ev->max), free(ev->req), free(ev->locked);
    memset(ev, 0, sizeof *ev);
}

uint32_t ml_sched_gaps(uint64_t busy, uint64_t avail)
{
    if (!busy) return 0;
    int lo = __builtin_ctzll(busy), hi = 63 - __builtin_clzll(busy);
    uint64_t span =
        (hi == 63 ? ~(uint64_t)0 : (((uint64_t)1 << (hi + 1)) - 1)) & ~(((uint64_t)1 << lo) - 1);
    return (uint32_t)__builtin_popcountll(span & avail & ~busy);
}

ml_err ml_sched_bound(const ml_sched_event *ev, int64_t *bound, uint8_t *chosen)
{
    ml_err r = ML_NOMEM;
    size_t np = ev->np, ne = 0;
    bool open = !ev->two_sided;
    uint32_t *cap = malloc((np + 1) * sizeof *cap), *index = malloc((np + 1) * sizeof *index);
    size_t emax = (open ? 2 : 1) * ev->nr + 1;
    uint32_t *u = malloc(emax * sizeof *u), *v = malloc(emax * sizeof *v);
    int64_t *w = malloc(emax * sizeof *w);
    uint8_t *used = malloc(emax);
    size_t *from = malloc(emax * sizeof *from);
    *bound = 0;
    if (!cap || !index || !u || !v || !w || !used || !from) goto out;
    /* Left and right vertices: A and B (two-sided), everyone twice (open). */
    size_t nl = 0, nright = 0;
    uint32_t *capl = cap, *capr = cap;
    for (size_t p = 0; p < np; p++) {
        uint32_t k = (uint32_t)__builtin_popcountll(ev->avail[p]);
        cap[p] = ev->max[p] < k ? ev->max[p] : k;
        index[p] = open                       ? (uint32_t)p
                   : ev->side[p] == ML_SIDE_A ? (uint32_t)nl++
                                              : (uint32_t)nright++;
    }
    if (open) nl = nright = np;
    uint32_t *ca = NULL, *cb = NULL;
    if (!open) {
        ca = malloc((nl + 1) * sizeof *ca), cb = malloc((nright + 1) * sizeof *cb);
        if (!ca || !cb) {
            free(ca), free(cb);
            goto out;
        }
        for (size_t p = 0; p < np; p++)
            (ev->side[p] == ML_SIDE_A ? ca : cb)[index[p]] = cap[p];
        capl = ca, capr = cb;
    }
    for (size_t i = 0; i < ev->nr; i++) {
        const ml_sched_request *q = &ev->req[i];
        if (!(ev->avail[q->a] & ev->avail[q->b])) continue;
        uint32_t a = q->a, b = q->b;
        if (!open && ev->side[a] != ML_SIDE_A) a = q->b, b = q->a;
        u[ne] = index[a], v[ne] = index[b], w[ne] = q->weight, from[ne++] = i;
        if (open) u[ne] = index[b], v[ne] = index[a], w[ne] = q->weight, from[ne++] = i;
    }
    /* Meetings each slot can hold. */
    uint64_t total = 0;
    for (uint32_t s = 0; s < ev->nslots; s++) {
        uint64_t na = 0, nb = 0;
        for (size_t p = 0; p < np; p++)
            if (ev->avail[p] >> s & 1 && cap[p] > 0) {
                if (ev->side[p] == ML_SIDE_B)
                    nb++;
                else
                    na++;
            }
        uint64_t k = open ? (na + nb) / 2 : (na < nb ? na : nb);
        total += k < ev->ntables ? k : ev->ntables;
    }
    int64_t weight = 0;
    r = ml_sched_bmatching(nl, capl, nright, capr, ne, u, v, w, open ? 2 * total : total, used,
                           &weight);
    free(ca), free(cb);
    if (r) goto out;
    *bound = open ? weight / 2 : weight;
    if (chosen) {
        memset(chosen, 0, ev->nr);
        for (size_t e = 0; e < ne; e++)
            chosen[from[e]] += used[e];
    }
out:
    free(cap), free(index), free(u), free(v), free(w), free(used), free(from);
    return r;
}
