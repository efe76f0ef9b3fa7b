/* flow.c — maximum-weight b-matching of a bipartite graph as a min-cost
 * flow: source → (total cap) → hub → left u (capacity capl[u]) → right v
 * (one unit per edge, cost −weight) → sink (capacity capr[v]). Primal-dual
 * successive shortest paths: Dijkstra on reduced costs (potentials keep
 * them ≥ 0), then a blocking flow (Dinic) on the edges of reduced cost 0,
 * so one phase augments every shortest path at once; stop when the
 * shortest path costs ≥ 0 (another meeting would not add weight). With
 * whole weights ≤ W there are at most W phases. The flow of each phase is a
 * maximum-weight flow of its value, so the last one is a maximum-weight
 * b-matching with at most `total` edges. */
#include "schedule/schedule.h"

typedef struct net {
    size_t n, m, alloc;
    uint32_t *head, *next, *to;
    int64_t *cap, *cost;
} net;

static int net_add(net *g, uint32_t a, uint32_t b, int64_t cap, int64_t cost)
{
    if (g->m + 2 > g->alloc) return -1;
    size_t e = g->m;
    g->to[e] = b, g->cap[e] = cap, g->cost[e] = cost, g->next[e] = g->head[a],
    g->head[a] = (uint32_t)e;
    g->to[e + 1] = a, g->cap[e + 1] = 0, g->cost[e + 1] = -cost, g->next[e + 1] = g->head[b];
    g->head[b] = (uint32_t)(e + 1);
    g->m += 2;
    return 0;
}

#define NONE UINT32_MAX
#define INF  INT64_MAX

typedef struct heap {
    size_t n;
    uint32_t *v;
    int64_t *k;
} heap;

static void heap_push(heap *h, uint32_t v, int64_t k)
{
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h->k[p] <= k) break;
        h->v[i] = h->v[p], h->k[i] = h->k[p], i = p;
    }
    h->v[i] = v, h->k[i] = k;
}

static void heap_pop(heap *h)
{
    uint32_t v = h->v[--h->n];
    int64_t k = h->k[h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && h->k[c + 1] < h->k[c]) c++;
        if (h->k[c] >= k) break;
        h->v[i] = h->v[c], h->k[i] = h->k[c], i = c;
    }
    h->v[i] = v, h->k[i] = k;
}

typedef struct dinic {
    const net *g;
    const int64_t *pot;
    uint32_t *level, *it;
    uint32_t sink;
} dinic;

static bool admissible(const dinic *d, uint32_t u, uint32_t e)
{
    const net *g = d->g;
    return g->cap[e] > 0 && g->cost[e] + d->pot[u] - d->pot[g->to[e]] == 0;
}

static int64_t dfs(dinic *d, net *g, uint32_t u, int64_t f)
{
    if (u == d->sink) return f;
    for (; d->it[u] != NONE; d->it[u] = g->next[d->it[u]]) {
        uint32_t e = d->it[u], v = g->to[e];
        if (d->level[v] != d->level[u] + 1 || !admissible(d, u, e)) continue;
        int64_t got = dfs(d, g, v, f < g->cap[e] ? f : g->cap[e]);
        if (got > 0) {
            g->cap[e] -= got, g->cap[e ^ 1] += got;
            return got;
        }
    }
    return 0;
}

ml_err ml_sched_bmatching(size_t nl, const uint32_t *capl, size_t nright, const uint32_t *capr,
                          size_t ne, const uint32_t *u, const uint32_t *v, const int64_t *w,
                          uint64_t total, uint8_t *used, int64_t *weight)
{
    ml_err r = ML_NOMEM;
    net g = {.n = nl + nright + 3};
    g.alloc = 2 * (ne + nl + nright + 1);
    size_t S = 0, H = 1, L0 = 2, R0 = 2 + nl, T = 2 + nl + nright;
    g.head = malloc(g.n * sizeof *g.head);
    g.next = malloc(g.alloc * sizeof *g.next);
    g.to = malloc(g.alloc * sizeof *g.to);
    g.cap = malloc(g.alloc * sizeof *g.cap);
    g.cost = malloc(g.alloc * sizeof *g.cost);
    int64_t *pot = calloc(g.n, sizeof *pot), *dist = malloc(g.n * sizeof *dist);
    uint32_t *level = malloc(g.n * sizeof *level), *it = malloc(g.n * sizeof *it);
    uint32_t *queue = malloc(g.n * sizeof *queue);
    heap h = {0, malloc((g.alloc + 1) * sizeof(uint32_t)), malloc((g.alloc + 1) * sizeof(int64_t))};
    *weight = 0;
    if (!g.head || !g.next || !g.to || !g.cap || !g.cost || !pot || !dist || !level || !it ||
        !queue || !h.v || !h.k)
        goto out;
    for (size_t i = 0; i < g.n; i++)
        g.head[i] = NONE;
    if (total > INT64_MAX / 2) total = INT64_MAX / 2;
    net_add(&g, (uint32_t)S, (uint32_t)H, (int64_t)total, 0);
    for (size_t i = 0; i < nl; i++)
        net_add(&g, (uint32_t)H, (uint32_t)(L0 + i), capl[i], 0);
    size_t first_edge = g.m;
    for (size_t i = 0; i < ne; i++)
        net_add(&g, (uint32_t)(L0 + u[i]), (uint32_t)(R0 + v[i]), 1, -w[i]);
    for (size_t i = 0; i < nright; i++)
        net_add(&g, (uint32_t)(R0 + i), (uint32_t)T, capr[i], 0);
    /* Initial potentials: shortest distances in the DAG S, H, L, R, T. */
    for (size_t i = 0; i < ne; i++)
        if (-w[i] < pot[R0 + v[i]]) pot[R0 + v[i]] = -w[i];
    for (size_t i = 0; i < nright; i++)
        if (pot[R0 + i] < pot[T]) pot[T] = pot[R0 + i];
    dinic d = {&g, pot, level, it, (uint32_t)T};
    for (;;) {
        /* Dijkstra on reduced costs. */
        for (size_t i = 0; i < g.n; i++)
            dist[i] = INF;
        dist[S] = 0;
        h.n = 0;
        heap_push(&h, (uint32_t)S, 0);
        while (h.n) {
            uint32_t x = h.v[0];
            int64_t k = h.k[0];
            heap_pop(&h);
            if (k > dist[x]) continue;
            for (uint32_t e = g.head[x]; e != NONE; e = g.next[e]) {
                if (g.cap[e] <= 0) continue;
                uint32_t y = g.to[e];
                int64_t nd = k + g.cost[e] + pot[x] - pot[y];
                if (nd < dist[y]) {
                    dist[y] = nd;
                    heap_push(&h, y, nd);
                }
            }
        }
        if (dist[T] == INF) break;
        for (size_t i = 0; i < g.n; i++)
            pot[i] += dist[i] < dist[T] ? dist[i] : dist[T];
        if (pot[T] - pot[S] >= 0) break; /* no path that adds weight */
        /* Blocking flows on the admissible edges. */
        for (;;) {
            for (size_t i = 0; i < g.n; i++)
                level[i] = NONE;
            size_t qh = 0, qt = 0;
            queue[qt++] = (uint32_t)S;
            level[S] = 0;
            while (qh < qt) {
                uint32_t x = queue[qh++];
                for (uint32_t e = g.head[x]; e != NONE; e = g.next[e]) {
                    uint32_t y = g.to[e];
                    if (level[y] == NONE && admissible(&d, x, e)) {
                        level[y] = level[x] + 1;
                        queue[qt++] = y;
                    }
                }
            }
            if (level[T] == NONE) break;
            for (size_t i = 0; i < g.n; i++)
                it[i] = g.head[i];
            int64_t f;
            while ((f = dfs(&d, &g, (uint32_t)S, INF)) > 0)
                *weight -= f * (pot[T] - pot[S]);
        }
    }
    for (size_t i = 0; i < ne; i++)
        used[i] = g.cap[first_edge + 2 * i] == 0;
    r = ML_OK;
out:
    free(g.head), free(g.next), free(g.to), free(g.cap), free(g.cost);
    free(pot), free(dist), free(level), free(it), free(queue), free(h.v), free(h.k);
    return r;
}
