/* solve.c — the scheduler: which requests meet, in which slot, at which
 * table (docs/methods.md#scheduler).
 *
 * Exact case (two-sided, every participant with a request available in the
 * same K slots, nothing locked or kept): a schedule is a set of meetings
 * that (1) gives each participant at most c = min(max_meetings, K) meetings,
 * (2) holds at most T·K meetings, and (3) can be split into K slots of at
 * most T meetings with nobody twice in a slot. Any set with (1) and (2) has
 * (3): the meetings form a bipartite graph of maximum degree ≤ K, which has
 * a proper K-edge-colouring (König); and a proper colouring can be made
 * equitable: if class i has at least two more edges than class j, the
 * edges of colours i and j form disjoint paths and even cycles (each vertex
 * has at most one edge of each colour), cycles hold as many i as j edges,
 * so some path has one more i edge than j edges — both its ends are i
 * edges — and swapping i and j along it keeps the colouring proper and
 * moves one edge from i to j. Repeating ends with classes of ⌊M/K⌋ or
 * ⌈M/K⌉ edges, and ⌈M/K⌉ ≤ T since M ≤ T·K. So the best schedule is the
 * heaviest b-matching with (1) and (2), found by min-cost flow (flow.c);
 * the colouring (alternating paths) and the balancing give the slots. The
 * checker verifies the result.
 *
 * Otherwise: a greedy placement, heaviest requests first (those of the
 * relaxation's optimum before the others, scarce slots first), then local
 * search: insert a request by moving the meetings in its way to other slots
 * (ejection chains two moves deep), or by evicting lighter meetings and
 * placing them again elsewhere when the total weight grows. Deterministic:
 * the work is counted in steps, not seconds.
 *
 * Last, fewer idle gaps: a meeting moves to another slot when that shortens
 * its two participants' idle gaps; the weight never changes. */
#include "schedule/schedule.h"

typedef struct st {
    const ml_sched_event *ev;
    uint32_t N, T, lcap;
    int32_t *at;     /* at[p * N + s]: request met by p in slot s, or -1 */
    uint64_t *busy;  /* slots where p meets */
    uint32_t *cnt;   /* meetings of p */
    uint32_t *used;  /* meetings in slot s */
    uint64_t open;   /* slots with a free table */
    int32_t *slot;   /* slot of request r, or -1 */
    uint8_t *fixed;  /* never moved (locked, or kept from the previous schedule) */
    int32_t *ftable; /* the table of a fixed meeting, or -1 */
    int32_t *list;   /* list[s * lcap + i]: the meetings of slot s */
    uint32_t *pos;   /* index of request r in its slot's list */
    int64_t weight;
    int32_t *log; /* undo log: pairs (r, slot before: -1 when it was placed) */
    size_t nlog, logcap;
    bool nomem;
    uint64_t ops, budget;
} st;

static void log_push(st *S, int32_t r, int32_t s)
{
    if (S->nlog + 2 > S->logcap) {
        size_t cap = S->logcap ? 2 * S->logcap : 1024;
        int32_t *p = realloc(S->log, cap * sizeof *p);
        if (!p) {
            S->nomem = true;
            return;
        }
        S->log = p, S->logcap = cap;
    }
    S->log[S->nlog++] = r, S->log[S->nlog++] = s;
}

static void do_place(st *S, uint32_t r, uint32_t s)
{
    const ml_sched_request *q = &S->ev->req[r];
    S->at[(size_t)q->a * S->N + s] = (int32_t)r, S->at[(size_t)q->b * S->N + s] = (int32_t)r;
    S->busy[q->a] |= (uint64_t)1 << s, S->busy[q->b] |= (uint64_t)1 << s;
    S->cnt[q->a]++, S->cnt[q->b]++;
    S->slot[r] = (int32_t)s;
    S->pos[r] = S->used[s];
    S->list[(size_t)s * S->lcap + S->used[s]++] = (int32_t)r;
    if (S->used[s] >= S->T) S->open &= ~((uint64_t)1 << s);
    S->weight += q->weight;
}

static void do_unplace(st *S, uint32_t r)
{
    const ml_sched_request *q = &S->ev->req[r];
    uint32_t s = (uint32_t)S->slot[r];
    S->at[(size_t)q->a * S->N + s] = -1, S->at[(size_t)q->b * S->N + s] = -1;
    S->busy[q->a] &= ~((uint64_t)1 << s), S->busy[q->b] &= ~((uint64_t)1 << s);
    S->cnt[q->a]--, S->cnt[q->b]--;
    S->slot[r] = -1;
    int32_t *l = &S->list[(size_t)s * S->lcap];
    uint32_t i = S->pos[r], last = --S->used[s];
    l[i] = l[last], S->pos[l[i]] = i;
    S->open |= (uint64_t)1 << s;
    S->weight -= q->weight;
}

static void place(st *S, uint32_t r, uint32_t s)
{
    do_place(S, r, s);
    log_push(S, (int32_t)r, -1);
}

static void unplace(st *S, uint32_t r)
{
    int32_t s = S->slot[r];
    do_unplace(S, r);
    log_push(S, (int32_t)r, s);
}

static void rollback(st *S, size_t mark)
{
    while (S->nlog > mark) {
        int32_t s = S->log[--S->nlog], r = S->log[--S->nlog];
        if (s < 0)
            do_unplace(S, (uint32_t)r);
        else
            do_place(S, (uint32_t)r, (uint32_t)s);
    }
}

static uint64_t common(const st *S, uint32_t r)
{
    const ml_sched_request *q = &S->ev->req[r];
    return S->ev->avail[q->a] & S->ev->avail[q->b];
}

static bool caps_ok(const st *S, uint32_t r)
{
    const ml_sched_request *q = &S->ev->req[r];
    return S->cnt[q->a] < S->ev->max[q->a] && S->cnt[q->b] < S->ev->max[q->b];
}

static uint64_t free_mask(const st *S, uint32_t r)
{
    const ml_sched_request *q = &S->ev->req[r];
    return common(S, r) & ~S->busy[q->a] & ~S->busy[q->b] & S->open;
}

static int gap_delta(const st *S, uint32_t p, uint32_t s)
{
    uint64_t b = S->busy[p], av = S->ev->avail[p];
    return (int)ml_sched_gaps(b | (uint64_t)1 << s, av) - (int)ml_sched_gaps(b, av);
}

/* Of the slots in mask: the one that adds the fewest idle gaps, then the
 * emptiest, then the first. */
static uint32_t best_slot(const st *S, uint32_t r, uint64_t mask)
{
    const ml_sched_request *q = &S->ev->req[r];
    uint32_t best = 0;
    int bestg = 0;
    uint32_t bestu = 0;
    bool any = false;
    for (uint64_t m = mask; m; m &= m - 1) {
        uint32_t s = (uint32_t)__builtin_ctzll(m);
        int g = gap_delta(S, q->a, s) + gap_delta(S, q->b, s);
        if (!any || g < bestg || (g == bestg && S->used[s] < bestu)) {
            best = s, bestg = g, bestu = S->used[s], any = true;
        }
    }
    return best;
}

static bool relocate(st *S, uint32_t r, int depth, uint64_t forbid);

/* Places the unplaced request r in slot s, moving the meetings in its way
 * (the other meetings of its two participants in s; one meeting of s if
 * every table is taken) to other slots, at most `depth` moves deep. The
 * caller rolls back on false. */
static bool try_slot(st *S, uint32_t r, uint32_t s, int depth, uint64_t forbid)
{
    if (++S->ops > S->budget || S->nomem) return false;
    const ml_sched_request *q = &S->ev->req[r];
    if (!(common(S, r) >> s & 1) || !caps_ok(S, r)) return false;
    uint32_t ps[2] = {q->a, q->b};
    for (int k = 0; k < 2; k++) {
        int32_t x = S->at[(size_t)ps[k] * S->N + s];
        if (x < 0) continue;
        if (S->fixed[x] || depth == 0) return false;
        unplace(S, (uint32_t)x);
        if (!relocate(S, (uint32_t)x, depth - 1, forbid | (uint64_t)1 << s)) return false;
    }
    if (S->used[s] >= S->T) {
        if (depth == 0) return false;
        uint32_t n = S->used[s], tries = n < 6 ? n : 6;
        bool ok = false;
        for (uint32_t k = 0; k < tries && !ok; k++) {
            uint32_t x = (uint32_t)S->list[(size_t)s * S->lcap + (uint32_t)((S->ops + k) % n)];
            if (S->fixed[x]) continue;
            size_t mark = S->nlog;
            unplace(S, x);
            ok = relocate(S, x, depth - 1, forbid | (uint64_t)1 << s);
            if (!ok) rollback(S, mark);
        }
        if (!ok) return false;
    }
    place(S, r, s);
    return true;
}

/* Places the unplaced request r in a slot outside `forbid`: a free one if
 * there is, else by moving others (try_slot). */
static bool relocate(st *S, uint32_t r, int depth, uint64_t forbid)
{
    if (!caps_ok(S, r)) return false;
    uint64_t m = free_mask(S, r) & ~forbid;
    if (m) {
        place(S, r, best_slot(S, r, m));
        return true;
    }
    if (depth == 0) return false;
    for (uint64_t c = common(S, r) & ~forbid; c; c &= c - 1) {
        size_t mark = S->nlog;
        if (try_slot(S, r, (uint32_t)__builtin_ctzll(c), depth, forbid)) return true;
        rollback(S, mark);
        if (S->ops > S->budget) return false;
    }
    return false;
}

/* The lightest meeting of p that may move, preferring the one in slot s. */
static int32_t lightest_of(const st *S, uint32_t p, uint32_t s)
{
    int32_t x = S->at[(size_t)p * S->N + s];
    if (x >= 0 && !S->fixed[x]) return x;
    int32_t best = -1;
    for (uint64_t m = S->busy[p]; m; m &= m - 1) {
        int32_t y = S->at[(size_t)p * S->N + (uint32_t)__builtin_ctzll(m)];
        if (!S->fixed[y] && (best < 0 || S->ev->req[y].weight < S->ev->req[best].weight)) best = y;
    }
    return best;
}

/* Evicts what stands in the way of r in slot s (lighter meetings), places
 * r, and places the evicted again where they fit. Returns the gain (may be
 * ≤ 0; the caller rolls back then), or INT64_MIN when impossible. */
static int64_t evict_into(st *S, uint32_t r, uint32_t s)
{
    const ml_sched_request *q = &S->ev->req[r];
    int64_t w = q->weight, loss = 0;
    uint32_t removed[6], nrem = 0;
    uint32_t ps[2] = {q->a, q->b};
    S->ops++;
    for (int k = 0; k < 2; k++) {
        if (S->cnt[ps[k]] < S->ev->max[ps[k]]) continue;
        int32_t x = lightest_of(S, ps[k], s);
        if (x < 0) return INT64_MIN;
        unplace(S, (uint32_t)x);
        loss += S->ev->req[x].weight, removed[nrem++] = (uint32_t)x;
    }
    for (int k = 0; k < 2; k++) {
        int32_t x = S->at[(size_t)ps[k] * S->N + s];
        if (x < 0) continue;
        if (S->fixed[x]) return INT64_MIN;
        unplace(S, (uint32_t)x);
        loss += S->ev->req[x].weight, removed[nrem++] = (uint32_t)x;
    }
    if (S->used[s] >= S->T) {
        int32_t best = -1;
        for (uint32_t i = 0; i < S->used[s]; i++) {
            int32_t y = S->list[(size_t)s * S->lcap + i];
            if (!S->fixed[y] && (best < 0 || S->ev->req[y].weight < S->ev->req[best].weight))
                best = y;
        }
        if (best < 0) return INT64_MIN;
        unplace(S, (uint32_t)best);
        loss += S->ev->req[best].weight, removed[nrem++] = (uint32_t)best;
    }
    if (loss >= w || !caps_ok(S, r)) return INT64_MIN;
    place(S, r, s);
    for (uint32_t i = 0; i < nrem; i++)
        if (relocate(S, removed[i], 1, 0)) loss -= S->ev->req[removed[i]].weight;
    return w - loss;
}

static bool evict(st *S, uint32_t r)
{
    int64_t best = 0;
    int32_t bests = -1;
    for (uint64_t c = common(S, r); c; c &= c - 1) {
        uint32_t s = (uint32_t)__builtin_ctzll(c);
        size_t mark = S->nlog;
        int64_t g = evict_into(S, r, s);
        rollback(S, mark);
        if (g > best) best = g, bests = (int32_t)s;
    }
    if (bests < 0) return false;
    return evict_into(S, r, (uint32_t)bests) > 0;
}

/* Moves single meetings, and swaps the slots of two meetings of one
 * participant, while that shortens idle gaps. */
static void fewer_gaps(st *S)
{
    const ml_sched_event *ev = S->ev;
    for (int pass = 0; pass < 8; pass++) {
        bool better = false;
        for (uint32_t r = 0; r < ev->nr; r++) {
            if (S->slot[r] < 0 || S->fixed[r]) continue;
            if (++S->ops > 2 * S->budget) return;
            const ml_sched_request *q = &ev->req[r];
            uint32_t s0 = (uint32_t)S->slot[r];
            uint64_t b0 = (uint64_t)1 << s0, ba = S->busy[q->a], bb = S->busy[q->b];
            uint32_t g0 = ml_sched_gaps(ba, ev->avail[q->a]) + ml_sched_gaps(bb, ev->avail[q->b]);
            uint32_t bestg = g0;
            int32_t bests = -1;
            for (uint64_t m = free_mask(S, r); m; m &= m - 1) {
                uint32_t s = (uint32_t)__builtin_ctzll(m);
                uint64_t b1 = (uint64_t)1 << s;
                uint32_t g = ml_sched_gaps((ba & ~b0) | b1, ev->avail[q->a]) +
                             ml_sched_gaps((bb & ~b0) | b1, ev->avail[q->b]);
                if (g < bestg) bestg = g, bests = (int32_t)s;
            }
            if (bests >= 0) {
                do_unplace(S, r);
                do_place(S, r, (uint32_t)bests);
                better = true;
                continue;
            }
            /* Swap with another meeting r2 of one participant p of r: r takes
             * r2's slot and r2 takes r's; p's day is unchanged, the other two
             * participants' days change. */
            bool swapped = false;
            for (int k = 0; k < 2 && !swapped; k++) {
                uint32_t piv = k ? q->b : q->a, x = k ? q->a : q->b;
                for (uint64_t m = S->busy[piv] & ~b0; m; m &= m - 1) {
                    uint32_t s1 = (uint32_t)__builtin_ctzll(m);
                    uint32_t r2 = (uint32_t)S->at[(size_t)piv * S->N + s1];
                    if (S->fixed[r2]) continue;
                    const ml_sched_request *q2 = &ev->req[r2];
                    uint32_t y = q2->a == piv ? q2->b : q2->a;
                    uint64_t b1 = (uint64_t)1 << s1;
                    if (!(ev->avail[x] & b1) || (S->busy[x] & b1) || !(ev->avail[y] & b0) ||
                        (S->busy[y] & b0))
                        continue;
                    uint32_t before = ml_sched_gaps(S->busy[x], ev->avail[x]) +
                                      ml_sched_gaps(S->busy[y], ev->avail[y]);
                    uint32_t after = ml_sched_gaps((S->busy[x] & ~b0) | b1, ev->avail[x]) +
                                     ml_sched_gaps((S->busy[y] & ~b1) | b0, ev->avail[y]);
                    if (after >= before) continue;
                    do_unplace(S, r), do_unplace(S, r2);
                    do_place(S, r, s1), do_place(S, r2, s0);
                    better = swapped = true;
                    break;
                }
            }
        }
        if (!better) break;
    }
}

/* ------------------------------------------------------------ exact case */

/* A proper K-edge-colouring of a bipartite graph of maximum degree ≤ K
 * (alternating paths), then balanced so that the classes differ by at most
 * one edge. col[e] receives the colours. -1 out of memory. */
static int colour_bipartite(size_t np, size_t ne, const uint32_t *ea, const uint32_t *eb,
                            uint32_t K, uint32_t *col)
{
    int rc = -1;
    int32_t *tab = malloc(np * K * sizeof *tab + 1);
    uint32_t *path = malloc((ne + 1) * sizeof *path);
    size_t *count = calloc(K + 1, sizeof *count);
    if (!tab || !path || !count) goto out;
    for (size_t i = 0; i < np * K; i++)
        tab[i] = -1;
#define TAB(x, c) tab[(size_t)(x)*K + (c)]
    for (size_t e = 0; e < ne; e++) {
        uint32_t u = ea[e], v = eb[e], alpha = K, beta = K;
        for (uint32_t c = 0; c < K; c++)
            if (TAB(u, c) < 0 && (alpha == K || count[c] < count[alpha])) alpha = c;
        if (TAB(v, alpha) >= 0) {
            for (uint32_t c = 0; c < K && beta == K; c++)
                if (TAB(v, c) < 0) beta = c;
            assert(alpha < K && beta < K);
            /* The alpha/beta path from v cannot reach u: flip it. */
            size_t n = 0;
            uint32_t x = v, c = alpha;
            for (int32_t f; (f = TAB(x, c)) >= 0; c = c == alpha ? beta : alpha) {
                path[n++] = (uint32_t)f;
                x = ea[f] == x ? eb[f] : ea[f];
            }
            for (size_t i = 0; i < n; i++)
                TAB(ea[path[i]], col[path[i]]) = TAB(eb[path[i]], col[path[i]]) = -1;
            for (size_t i = 0; i < n; i++) {
                uint32_t f = path[i], nc = col[f] == alpha ? beta : alpha;
                count[col[f]]--, count[nc]++;
                col[f] = nc;
                TAB(ea[f], nc) = TAB(eb[f], nc) = (int32_t)f;
            }
        }
        col[e] = alpha, count[alpha]++;
        TAB(u, alpha) = TAB(v, alpha) = (int32_t)e;
    }
    /* Balance: swap i and j along a path that starts and ends with i. */
    for (;;) {
        uint32_t i = 0, j = 0;
        for (uint32_t c = 1; c < K; c++) {
            if (count[c] > count[i]) i = c;
            if (count[c] < count[j]) j = c;
        }
        if (count[i] <= count[j] + 1) break;
        bool done = false;
        for (size_t x0 = 0; x0 < np && !done; x0++) {
            if (TAB(x0, i) < 0 || TAB(x0, j) >= 0) continue;
            size_t n = 0;
            uint32_t x = (uint32_t)x0, c = i;
            for (int32_t f; (f = TAB(x, c)) >= 0; c = c == i ? j : i) {
                path[n++] = (uint32_t)f;
                x = ea[f] == x ? eb[f] : ea[f];
            }
            if (n % 2 == 0) continue;
            for (size_t k = 0; k < n; k++)
                TAB(ea[path[k]], col[path[k]]) = TAB(eb[path[k]], col[path[k]]) = -1;
            for (size_t k = 0; k < n; k++) {
                uint32_t f = path[k], nc = col[f] == i ? j : i;
                col[f] = nc;
                TAB(ea[f], nc) = TAB(eb[f], nc) = (int32_t)f;
            }
            count[i]--, count[j]++;
            done = true;
        }
        assert(done);
        if (!done) break;
    }
#undef TAB
    rc = 0;
out:
    free(tab), free(path), free(count);
    return rc;
}

/* The slots every participant with a request shares, or false when they do
 * not all share the same ones. */
static bool shared_slots(const ml_sched_event *ev, uint64_t *slots)
{
    bool any = false;
    for (size_t r = 0; r < ev->nr; r++) {
        uint32_t ps[2] = {ev->req[r].a, ev->req[r].b};
        for (int k = 0; k < 2; k++) {
            if (!any)
                *slots = ev->avail[ps[k]], any = true;
            else if (ev->avail[ps[k]] != *slots)
                return false;
        }
    }
    if (!any) *slots = 0;
    return true;
}

static ml_err solve_exact(st *S, uint64_t slots)
{
    const ml_sched_event *ev = S->ev;
    ml_err r = ML_NOMEM;
    uint32_t K = (uint32_t)__builtin_popcountll(slots), nl = 0, nright = 0;
    uint32_t *index = malloc((ev->np + 1) * sizeof *index);
    uint32_t *capl = malloc((ev->np + 1) * sizeof *capl),
             *capr = malloc((ev->np + 1) * sizeof *capr);
    uint32_t *u = malloc((ev->nr + 1) * sizeof *u), *v = malloc((ev->nr + 1) * sizeof *v);
    uint32_t *ea = malloc((ev->nr + 1) * sizeof *ea), *eb = malloc((ev->nr + 1) * sizeof *eb);
    uint32_t *col = malloc((ev->nr + 1) * sizeof *col), *req = malloc((ev->nr + 1) * sizeof *req);
    int64_t *w = malloc((ev->nr + 1) * sizeof *w);
    uint8_t *used = malloc(ev->nr + 1);
    uint32_t slot_of[ML_SCHED_MAX_SLOTS];
    if (!index || !capl || !capr || !u || !v || !ea || !eb || !col || !req || !w || !used) goto out;
    if (K == 0) {
        r = ML_OK;
        goto out;
    }
    for (uint32_t c = 0, s = 0; s < ev->nslots; s++)
        if (slots >> s & 1) slot_of[c++] = s;
    for (size_t p = 0; p < ev->np; p++) {
        uint32_t c = ev->max[p] < K ? ev->max[p] : K;
        if (ev->side[p] == ML_SIDE_A)
            index[p] = nl, capl[nl++] = c;
        else
            index[p] = nright, capr[nright++] = c;
    }
    for (size_t i = 0; i < ev->nr; i++) {
        uint32_t a = ev->req[i].a, b = ev->req[i].b;
        if (ev->side[a] != ML_SIDE_A) a = ev->req[i].b, b = ev->req[i].a;
        u[i] = index[a], v[i] = index[b], w[i] = ev->req[i].weight;
    }
    int64_t weight = 0;
    r = ml_sched_bmatching(nl, capl, nright, capr, ev->nr, u, v, w, (uint64_t)S->T * K, used,
                           &weight);
    if (r) goto out;
    size_t ne = 0;
    for (size_t i = 0; i < ev->nr; i++)
        if (used[i]) ea[ne] = ev->req[i].a, eb[ne] = ev->req[i].b, req[ne++] = (uint32_t)i;
    r = ML_NOMEM;
    if (colour_bipartite(ev->np, ne, ea, eb, K, col)) goto out;
    for (size_t e = 0; e < ne; e++)
        do_place(S, req[e], slot_of[col[e]]);
    assert(S->weight == weight);
    r = ML_OK;
out:
    free(index), free(capl), free(capr), free(u), free(v), free(ea), free(eb), free(col), free(req);
    free(w), free(used);
    return r;
}

/* --------------------------------------------------------- the heuristic */

typedef struct order_key {
    uint32_t r;
    uint8_t prev, chosen;
    uint8_t scarce; /* common slots */
    int64_t weight;
    uint64_t tie;
} order_key;

static int order_cmp(const void *x, const void *y)
{
    const order_key *a = x, *b = y;
    if (a->prev != b->prev) return a->prev > b->prev ? -1 : 1;
    if (a->chosen != b->chosen) return a->chosen > b->chosen ? -1 : 1;
    if (a->weight != b->weight) return a->weight > b->weight ? -1 : 1;
    if (a->scarce != b->scarce) return a->scarce < b->scarce ? -1 : 1;
    return a->tie < b->tie ? -1 : a->tie > b->tie;
}

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A Kempe chain: r = {u, v} is unplaced, u is free in slot s, v is busy in
 * s and free in t. The meetings of slots s and t form paths and cycles
 * (nobody has two meetings in a slot); v ends one path. Swapping s and t
 * along it frees v in s, and r goes there. Refused when the path reaches u,
 * holds a fixed meeting, moves a meeting to a slot one side is away, or
 * overfills a slot. The caller rolls back on false. */
static bool kempe(st *S, uint32_t r, uint32_t u, uint32_t v, uint32_t s, uint32_t t)
{
    enum { CHAIN_MAX = 64 };
    uint32_t chain[CHAIN_MAX], to[CHAIN_MAX];
    size_t n = 0;
    int into_t = 0;
    uint32_t x = v, cur = s;
    for (int32_t m; (m = S->at[(size_t)x * S->N + cur]) >= 0;) {
        const ml_sched_request *q = &S->ev->req[m];
        uint32_t y = q->a == x ? q->b : q->a, other = cur == s ? t : s;
        if (S->fixed[m] || n == CHAIN_MAX || y == u || !(common(S, (uint32_t)m) >> other & 1))
            return false;
        chain[n] = (uint32_t)m, to[n++] = other;
        into_t += cur == s ? 1 : -1;
        x = y, cur = other;
    }
    if ((int)S->used[t] + into_t > (int)S->T || (int)S->used[s] - into_t + 1 > (int)S->T)
        return false;
    for (size_t i = 0; i < n; i++)
        unplace(S, chain[i]);
    for (size_t i = 0; i < n; i++)
        place(S, chain[i], to[i]);
    place(S, r, s);
    return true;
}

static bool kempe_insert(st *S, uint32_t r)
{
    const ml_sched_request *q = &S->ev->req[r];
    for (uint64_t c = common(S, r); c; c &= c - 1) {
        uint32_t s = (uint32_t)__builtin_ctzll(c);
        for (int k = 0; k < 2; k++) {
            uint32_t u = k ? q->b : q->a, v = k ? q->a : q->b;
            if (S->busy[u] >> s & 1 || !(S->busy[v] >> s & 1)) continue;
            for (uint64_t m = S->ev->avail[v] & ~S->busy[v]; m; m &= m - 1) {
                if (++S->ops > S->budget) return false;
                uint32_t t = (uint32_t)__builtin_ctzll(m);
                size_t mark = S->nlog;
                if (kempe(S, r, u, v, s, t)) return true;
                rollback(S, mark);
            }
        }
    }
    return false;
}

/* Inserts the unplaced request r: in a free slot, by moving others (an
 * ejection chain, then a Kempe chain), or by evicting lighter meetings. The
 * caller rolls back on false. */
static bool insert(st *S, uint32_t r)
{
    if (caps_ok(S, r)) {
        if (relocate(S, r, 2, 0)) return true;
        rollback(S, 0);
        if (kempe_insert(S, r)) return true;
        rollback(S, 0);
    }
    return evict(S, r);
}

static int key_desc(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a > b ? -1 : a < b;
}

/* Ruin and recreate (large neighbourhood search): take out every meeting of
 * one participant who has a request left unmet and of one of their
 * partners, then insert the requests around them again, heaviest first
 * with a little noise; keep the result unless it weighs less. */
static ml_err ruin_and_recreate(st *S, uint64_t seed, int64_t bound)
{
    const ml_sched_event *ev = S->ev;
    size_t np = ev->np, nr = ev->nr;
    uint32_t *start = calloc(np + 2, sizeof *start), *adj = malloc((2 * nr + 1) * sizeof *adj);
    uint32_t *cand = malloc((2 * nr + 1) * sizeof *cand);
    uint64_t *key = malloc((2 * nr + 1) * sizeof *key);
    uint32_t *mark = calloc(nr + 1, sizeof *mark);
    uint32_t *hungry = malloc((np + 1) * sizeof *hungry);
    if (!start || !adj || !cand || !key || !mark || !hungry) {
        free(start), free(adj), free(cand), free(key), free(mark), free(hungry);
        return ML_NOMEM;
    }
    for (size_t r = 0; r < nr; r++)
        start[ev->req[r].a + 1]++, start[ev->req[r].b + 1]++;
    for (size_t p = 0; p < np; p++)
        start[p + 1] += start[p];
    for (size_t r = 0; r < nr; r++) {
        adj[start[ev->req[r].a]++] = (uint32_t)r;
        adj[start[ev->req[r].b]++] = (uint32_t)r;
    }
    for (size_t p = np; p > 0; p--)
        start[p] = start[p - 1];
    start[0] = 0;
    uint64_t rs = seed ^ 0x5DEECE66DULL;
    uint32_t stamp = 0;
    for (uint64_t iter = 0; S->ops < S->budget && S->weight < bound && !S->nomem; iter++) {
        /* Participants with an unmet request that could still add weight. */
        if (iter % 64 == 0) {
            S->ops += 2 * nr / 100; /* the scan is work too: big events rescan less */
            size_t nh = 0;
            for (size_t p = 0; p < np; p++)
                for (uint32_t i = start[p]; i < start[p + 1]; i++) {
                    uint32_t r = adj[i];
                    if (S->slot[r] < 0 && common(S, r) && ev->max[ev->req[r].a] &&
                        ev->max[ev->req[r].b]) {
                        hungry[nh++] = (uint32_t)p;
                        break;
                    }
                }
            if (!nh) break;
            hungry[np] = (uint32_t)nh;
        }
        rs = mix(rs);
        /* p, a partner through an unmet request of p, and every other time a
         * partner of that one through an unmet request of theirs. */
        uint32_t who[3] = {hungry[rs % hungry[np]], 0, 0};
        int nwho = 1;
        for (int k = 0; k < (iter % 2 ? 2 : 1) && nwho == k + 1; k++) {
            uint32_t x = who[k], deg = start[x + 1] - start[x];
            for (uint32_t t = 0; t < deg; t++) {
                uint32_t r = adj[start[x] + (uint32_t)((rs >> 20) + t) % deg];
                uint32_t o = ev->req[r].a == x ? ev->req[r].b : ev->req[r].a;
                if (S->slot[r] < 0 && common(S, r) && ev->max[o] && o != who[0]) {
                    who[nwho++] = o;
                    break;
                }
            }
        }
        S->nlog = 0;
        int64_t before = S->weight;
        size_t nc = 0;
        if (++stamp == 0) memset(mark, 0, (nr + 1) * sizeof *mark), stamp = 1;
        for (int k = 0; k < nwho; k++) {
            for (uint32_t i = start[who[k]]; i < start[who[k] + 1]; i++) {
                uint32_t r = adj[i];
                if (S->fixed[r]) continue;
                if (S->slot[r] >= 0) unplace(S, r);
                if (mark[r] != stamp) mark[r] = stamp, cand[nc++] = r;
            }
        }
        /* The partners of the meetings taken out may now meet others. */
        size_t first = nc;
        for (size_t c = 0; c < first && nc < 2 * nr; c++) {
            const ml_sched_request *x = &ev->req[cand[c]];
            uint32_t other = x->a;
            for (int k = 0; k < nwho; k++)
                if (x->a == who[k]) other = x->b;
            for (uint32_t i = start[other]; i < start[other + 1] && nc < 2 * nr; i++) {
                uint32_t r = adj[i];
                if (S->slot[r] < 0 && mark[r] != stamp && caps_ok(S, r) && common(S, r))
                    mark[r] = stamp, cand[nc++] = r;
            }
        }
        for (size_t c = 0; c < nc; c++) {
            rs = mix(rs);
            /* weight first, ties and near-ties broken at random */
            key[c] = ((uint64_t)(ev->req[cand[c]].weight * 4 + (int64_t)(rs % 5)) << 32) | cand[c];
        }
        qsort(key, nc, sizeof *key, key_desc);
        for (size_t c = 0; c < nc && S->ops < S->budget; c++) {
            uint32_t r = (uint32_t)(key[c] & 0xffffffffu);
            if (S->slot[r] >= 0 || !caps_ok(S, r)) continue;
            S->ops++;
            uint64_t m = free_mask(S, r);
            if (m) {
                place(S, r, best_slot(S, r, m));
                continue;
            }
            size_t at = S->nlog;
            if (!relocate(S, r, 1, 0)) rollback(S, at);
        }
        if (S->weight < before) rollback(S, 0);
        S->nlog = 0;
    }
    free(start), free(adj), free(cand), free(key), free(mark), free(hungry);
    return ML_OK;
}

static ml_err solve_heuristic(st *S, const ml_sched_params *p, const uint8_t *chosen,
                              const uint8_t *prev, int64_t bound)
{
    const ml_sched_event *ev = S->ev;
    order_key *k = malloc((ev->nr + 1) * sizeof *k);
    if (!k) return ML_NOMEM;
    size_t n = 0;
    for (uint32_t r = 0; r < ev->nr; r++) {
        if (S->slot[r] >= 0) continue;
        k[n++] = (order_key){r,
                             prev[r],
                             p->greedy_only ? 0 : chosen[r],
                             (uint8_t)__builtin_popcountll(common(S, r)),
                             p->greedy_only ? 0 : ev->req[r].weight,
                             mix(p->seed ^ mix(r))};
        if (p->greedy_only) k[n - 1].tie = r;
    }
    qsort(k, n, sizeof *k, order_cmp);
    for (size_t i = 0; i < n; i++) {
        uint32_t r = k[i].r;
        uint64_t m;
        if (!caps_ok(S, r) || !(m = free_mask(S, r))) continue;
        do_place(S, r, p->greedy_only ? (uint32_t)__builtin_ctzll(m) : best_slot(S, r, m));
    }
    if (p->greedy_only) {
        free(k);
        return ML_OK;
    }
    /* The local search budget is shared: half for insertions, the rest
     * for ruin and recreate. */
    uint64_t budget = S->budget;
    S->budget = budget / 2;
    for (int pass = 0; pass < 50 && S->weight < bound && S->ops < S->budget; pass++) {
        int64_t before = S->weight;
        for (size_t i = 0; i < n && S->ops < S->budget && S->weight < bound; i++) {
            uint32_t r = k[i].r;
            if (S->slot[r] >= 0) continue;
            S->nlog = 0;
            if (insert(S, r)) continue;
            rollback(S, 0);
        }
        S->nlog = 0;
        if (S->weight == before) break;
    }
    S->budget = budget;
    free(k);
    ml_err r = ruin_and_recreate(S, p->seed, bound);
    if (r) return r;
    return S->nomem ? ML_NOMEM : ML_OK;
}

/* ---------------------------------------------------------------- driver */

typedef struct tabled {
    ml_sched_meeting m;
    int32_t want; /* a table asked for (fixed meetings), or -1 */
} tabled;

static int by_slot_table(const void *x, const void *y)
{
    const ml_sched_meeting *a = x, *b = y;
    if (a->slot != b->slot) return a->slot < b->slot ? -1 : 1;
    return a->table < b->table ? -1 : a->table > b->table;
}

static int by_slot_want(const void *x, const void *y)
{
    const tabled *a = x, *b = y;
    if (a->m.slot != b->m.slot) return a->m.slot < b->m.slot ? -1 : 1;
    if ((a->want < 0) != (b->want < 0)) return a->want >= 0 ? -1 : 1;
    return a->m.req < b->m.req ? -1 : a->m.req > b->m.req;
}

/* The result: each meeting with its table (fixed ones keep theirs, the
 * others take the lowest free tables of their slot). */
static ml_err result_from(st *S, ml_sched_result *out)
{
    const ml_sched_event *ev = S->ev;
    size_t n = 0;
    for (uint32_t r = 0; r < ev->nr; r++)
        n += S->slot[r] >= 0;
    tabled *t = malloc((n + 1) * sizeof *t);
    uint8_t *taken = calloc(S->lcap + 1, 1);
    out->m = malloc((n + 1) * sizeof *out->m);
    if (!t || !taken || !out->m) {
        free(t), free(taken);
        return ML_NOMEM;
    }
    n = 0;
    for (uint32_t r = 0; r < ev->nr; r++)
        if (S->slot[r] >= 0) t[n++] = (tabled){{r, (uint32_t)S->slot[r], 0}, S->ftable[r]};
    qsort(t, n, sizeof *t, by_slot_want);
    /* Tables beyond lcap are asked only by fixed meetings; free ones are found below lcap. */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        memset(taken, 0, S->lcap + 1);
        uint32_t next = 0;
        for (; j < n && t[j].m.slot == t[i].m.slot; j++) {
            if (t[j].want >= 0) {
                t[j].m.table = (uint32_t)t[j].want;
                if (t[j].m.table < S->lcap) taken[t[j].m.table] = 1;
            } else {
                while (next < S->lcap && taken[next])
                    next++;
                t[j].m.table = next;
                if (next < S->lcap) taken[next] = 1;
            }
        }
        i = j;
    }
    for (size_t i = 0; i < n; i++)
        out->m[i] = t[i].m;
    qsort(out->m, n, sizeof *out->m, by_slot_table);
    out->n = n;
    out->weight = S->weight;
    out->gaps = 0;
    for (size_t p = 0; p < ev->np; p++)
        out->gaps += ml_sched_gaps(S->busy[p], ev->avail[p]);
    free(t), free(taken);
    return ML_OK;
}

void ml_sched_result_release(ml_sched_result *r)
{
    free(r->m);
    memset(r, 0, sizeof *r);
}

ml_err ml_sched_solve(ml_ctx *ctx, const ml_sched_event *ev, const ml_sched_params *p,
                      ml_sched_result *out)
{
    static const ml_sched_params defaults = {0};
    if (!p) p = &defaults;
    memset(out, 0, sizeof *out);
    ml_err r = ML_NOMEM;
    size_t np = ev->np, nr = ev->nr, N = ev->nslots;
    /* Tables a slot may need: at most T, at most one per pair of participants,
     * and the tables fixed meetings ask for. */
    uint32_t lcap = ev->ntables;
    if (lcap > np / 2 + 1) lcap = (uint32_t)(np / 2 + 1);
    st S = {.ev = ev, .N = ev->nslots, .T = ev->ntables, .lcap = lcap};
    S.budget = p->effort ? p->effort : 3000000;
    S.open = ml_sched_all_slots(ev->nslots);
    S.at = malloc((np * N + 1) * sizeof *S.at);
    S.busy = calloc(np + 1, sizeof *S.busy);
    S.cnt = calloc(np + 1, sizeof *S.cnt);
    S.used = calloc(N + 1, sizeof *S.used);
    S.slot = malloc((nr + 1) * sizeof *S.slot);
    S.fixed = calloc(nr + 1, 1);
    S.ftable = malloc((nr + 1) * sizeof *S.ftable);
    S.list = malloc(((size_t)N * lcap + 1) * sizeof *S.list);
    S.pos = calloc(nr + 1, sizeof *S.pos);
    uint8_t *chosen = calloc(nr + 1, 1), *prev = calloc(nr + 1, 1);
    uint8_t *cell = NULL;
    if (!S.at || !S.busy || !S.cnt || !S.used || !S.slot || !S.fixed || !S.ftable || !S.list ||
        !S.pos || !chosen || !prev)
        goto out;
    for (size_t i = 0; i < np * N; i++)
        S.at[i] = -1;
    for (size_t i = 0; i < nr; i++)
        S.slot[i] = -1, S.ftable[i] = -1;
    uint64_t shared = 0;
    bool exact = ev->two_sided && !ev->nlocked && !p->nprevious && !p->no_exact &&
                 !p->greedy_only && shared_slots(ev, &shared);
    if (exact) {
        r = solve_exact(&S, shared);
        if (r) goto out;
        out->bound = S.weight;
        out->exact = true;
    } else {
        /* The greedy (a benchmark's peer) has no bound: INT64_MAX says so. */
        out->bound = INT64_MAX;
        r = p->greedy_only ? ML_OK : ml_sched_bound(ev, &out->bound, chosen);
        if (r) goto out;
        r = ML_NOMEM;
        /* Locked meetings, then the previous schedule where it still fits. */
        for (size_t i = 0; i < ev->nlocked; i++) {
            const ml_sched_meeting *m = &ev->locked[i];
            do_place(&S, m->req, m->slot);
            S.fixed[m->req] = 1, S.ftable[m->req] = (int32_t)m->table;
        }
        if (p->nprevious) {
            cell = calloc(N * (size_t)ev->ntables + 1, 1);
            if (!cell) goto out;
            for (size_t i = 0; i < ev->nlocked; i++)
                cell[(size_t)ev->locked[i].slot * ev->ntables + ev->locked[i].table] = 1;
        }
        for (size_t i = 0; i < p->nprevious; i++) {
            const ml_sched_meeting *m = &p->previous[i];
            if (m->req >= nr || S.slot[m->req] >= 0) continue;
            uint8_t *c = m->slot < N && m->table < ev->ntables
                             ? &cell[(size_t)m->slot * ev->ntables + m->table]
                             : NULL;
            if (c && !*c && caps_ok(&S, m->req) && free_mask(&S, m->req) >> m->slot & 1) {
                do_place(&S, m->req, m->slot);
                S.fixed[m->req] = 1, S.ftable[m->req] = (int32_t)m->table;
                *c = 1;
                out->kept++;
            } else {
                prev[m->req] = 1;
            }
        }
        r = solve_heuristic(&S, p, chosen, prev, out->bound);
        if (r) goto out;
        for (size_t i = 0; i < nr; i++)
            if (prev[i]) {
                if (S.slot[i] >= 0)
                    out->moved++;
                else
                    out->dropped++;
            }
    }
    if (!p->greedy_only) fewer_gaps(&S);
    r = result_from(&S, out);
    if (r) goto out;
    out->optimal = out->weight == out->bound;
out:
    if (r == ML_NOMEM) ml_fail(ctx, r, "out of memory while scheduling");
    free(S.at), free(S.busy), free(S.cnt), free(S.used), free(S.slot), free(S.fixed);
    free(S.ftable), free(S.list), free(S.pos), free(S.log), free(chosen), free(prev), free(cell);
    return r;
}
