/* map.c — GET /api/v1/map/clusters: the establishments of a territory
 * counted by the library per cell of one map view (lib/map). The layer of a
 * territory (its establishments in memory) is read once and kept in a cache
 * that belongs to the server's snapshot: an import that changes the data
 * gives a new snapshot, hence a new, empty cache. Threads asking for a layer
 * being read wait for it rather than read it twice. */
#include <pthread.h>

#include "http.h"

#define CACHE_POINTS  20000000 /* establishments kept in all (about 20 bytes each) */
#define CACHE_ENTRIES 64
#define KEY_MAX       32

typedef struct map_entry {
    char key[KEY_MAX];
    ml_map_layer *layer; /* NULL while it is read */
    unsigned refs;       /* requests using it */
    uint64_t used;       /* for least-recently-used eviction */
    struct map_entry *next;
} map_entry;

struct map_cache {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    map_entry *entries;
    size_t points, count;
    uint64_t clock;
};

map_cache *map_cache_new(void)
{
    map_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->ready, NULL);
    return c;
}

void map_cache_free(map_cache *c)
{
    if (!c) return;
    for (map_entry *e = c->entries, *next; e; e = next) {
        next = e->next;
        ml_map_layer_free(e->layer);
        free(e);
    }
    pthread_cond_destroy(&c->ready);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static void unlink_entry(map_cache *c, map_entry *gone)
{
    for (map_entry **p = &c->entries; *p; p = &(*p)->next)
        if (*p == gone) {
            *p = gone->next;
            break;
        }
    c->points -= ml_map_layer_count(gone->layer);
    c->count--;
    ml_map_layer_free(gone->layer);
    free(gone);
}

/* Drops unused layers, least recently used first, until the cache is within
 * its limits. `keep`, the layer just used, stays even alone past the limit
 * (France's, say), until another layer needs the room. Under the lock. */
static void evict(map_cache *c, const map_entry *keep)
{
    while (c->points > CACHE_POINTS || c->count > CACHE_ENTRIES) {
        map_entry *oldest = NULL;
        for (map_entry *e = c->entries; e; e = e->next)
            if (e != keep && e->layer && e->refs == 0 && (!oldest || e->used < oldest->used))
                oldest = e;
        if (!oldest) return;
        unlink_entry(c, oldest);
    }
}

/* The layer of `key`, read with db if the cache does not have it; released
 * with release(). */
static ml_err acquire(map_cache *c, ml_db *db, const char *key, map_entry **out)
{
    *out = NULL;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        map_entry *e = c->entries;
        while (e && strcmp(e->key, key) != 0)
            e = e->next;
        if (!e) break;
        if (e->layer) {
            e->refs++;
            e->used = ++c->clock;
            pthread_mutex_unlock(&c->lock);
            *out = e;
            return ML_OK;
        }
        pthread_cond_wait(&c->ready, &c->lock); /* another thread reads it */
    }
    map_entry *e = calloc(1, sizeof *e);
    if (!e) {
        pthread_mutex_unlock(&c->lock);
        return ml_fail(ml_db_ctx(db), ML_NOMEM, "out of memory");
    }
    ml_snprintf(e->key, sizeof e->key, "%s", key);
    e->refs = 1;
    e->next = c->entries;
    c->entries = e;
    c->count++;
    pthread_mutex_unlock(&c->lock);

    ml_map_layer *layer = NULL;
    ml_err err = ml_map_layer_build(db, key, &layer);

    pthread_mutex_lock(&c->lock);
    if (err) {
        unlink_entry(c, e); /* waiters then read it themselves, and say why */
    } else {
        e->layer = layer;
        e->used = ++c->clock;
        c->points += ml_map_layer_count(layer);
        evict(c, e);
        *out = e;
    }
    pthread_cond_broadcast(&c->ready);
    pthread_mutex_unlock(&c->lock);
    return err;
}

static void release(map_cache *c, map_entry *e)
{
    if (!e) return;
    pthread_mutex_lock(&c->lock);
    e->refs--;
    evict(c, e);
    pthread_mutex_unlock(&c->lock);
}

/* "west,south,east,north", already checked to be four numbers. */
static bool parse_bbox(const char *s, ml_map_view *v)
{
    double d[4];
    for (int i = 0; i < 4; i++) {
        size_t n = strcspn(s, ",");
        if (ml_parse_double(s, n, &d[i])) return false;
        s += n + (s[n] == ',');
    }
    v->west = d[0], v->south = d[1], v->east = d[2], v->north = d[3];
    v->has_bbox = true;
    return true;
}

int http_map_clusters_handler(request *r)
{
    const char *territory = http_arg(r, "territory");
    if (strlen(territory) >= KEY_MAX)
        return http_problem(r, 400, "Invalid request", "the territory code is too long");
    ml_map_view v = {.zoom = (int)http_arg_int(r, "zoom", -1), .naf = http_arg(r, "naf")};
    const char *bbox = http_arg(r, "bbox");
    if (bbox && !parse_bbox(bbox, &v))
        return http_problem(r, 400, "Invalid request",
                            "parameter 'bbox': expected west,south,east,north in degrees");
    map_cache *cache = http_map_cache(r);
    if (!cache) return http_problem(r, 503, "Unavailable", "the map is not ready");
    map_entry *e = NULL;
    ml_err err = acquire(cache, r->db, territory, &e);
    if (err) return http_error(r, err);
    json_t *j = NULL;
    err = ml_map_clusters(r->db, e->layer, &v, &j);
    release(cache, e);
    if (err) return http_error(r, err);
    return http_json_digits(r, 200, j, 9);
}
