/* build.c — loads the snapshot from the store: establishments, memberships,
 * the sectors (NAF classes) and the inter-industry links between them, the
 * labels the sentences need. */
#include "match/match.h"
#include "store/store.h"

/* ---------------------------------------------------------------- sectors */

typedef struct io_loader {
    ml_snapshot *s;
    /* sectors as they come (sorted by code), before the matrices exist */
    ml_sector_info *sec;
    int n, cap;
} io_loader;

static char *dup_or_null(const char *s)
{
    return s && *s ? ml_strdup(s) : NULL;
}

static int on_sector(void *ud, const char *code, const char *a38, const char *fr, const char *en)
{
    io_loader *L = ud;
    if (L->n == ML_SECTOR_MAX) return 1;
    if (L->n == L->cap) {
        int cap = L->cap ? L->cap * 2 : 1024;
        ml_sector_info *p = realloc(L->sec, (size_t)cap * sizeof *p);
        if (!p) return 1;
        L->sec = p;
        L->cap = cap;
    }
    ml_sector_info *si = &L->sec[L->n++];
    memset(si, 0, sizeof *si);
    ml_snprintf(si->code, sizeof si->code, "%s", code);
    ml_snprintf(si->a38, sizeof si->a38, "%s", a38 ? a38 : "");
    si->label_fr = dup_or_null(fr);
    si->label_en = dup_or_null(en ? en : fr);
    return 0;
}

/* The matrices are allocated at the first link (all sectors are known). */
static int ensure_matrices(io_loader *L)
{
    if (L->s->sec) return 0;
    if (ml_snapshot_set_sectors(L->s, L->n)) return 1;
    memcpy(L->s->sec, L->sec, (size_t)L->n * sizeof *L->sec);
    free(L->sec);
    L->sec = NULL;
    L->n = L->cap = 0;
    return 0;
}

static int on_link(void *ud, const char *sup, const char *buy, double w, double ic, double rs,
                   bool general)
{
    io_loader *L = ud;
    if (ensure_matrices(L)) return 1;
    ml_snapshot *s = L->s;
    int a = ml_snapshot_sector(s, sup), b = ml_snapshot_sector(s, buy);
    if (a == ML_NO_SECTOR || b == ML_NO_SECTOR) return 0;
    size_t k = ml_pair(s, a, b);
    s->weight[k] = (float)w;
    s->ic_share[k] = (float)ic;
    s->resale_share[k] = (float)rs;
    s->general[k] = general;
    return 0;
}

static int on_general(void *ud, const char *code, const char *fr, const char *en)
{
    io_loader *L = ud;
    if (ensure_matrices(L)) return 1;
    int k = ml_snapshot_sector(L->s, code);
    if (k == ML_NO_SECTOR) return 0;
    free(L->s->sec[k].general_fr);
    free(L->s->sec[k].general_en);
    L->s->sec[k].general_fr = dup_or_null(fr);
    L->s->sec[k].general_en = dup_or_null(en);
    return 0;
}

static int on_goods(void *ud, const char *code, const char *fr, const char *en)
{
    io_loader *L = ud;
    if (ensure_matrices(L)) return 1;
    int k = ml_snapshot_sector(L->s, code);
    if (k == ML_NO_SECTOR) return 0;
    free(L->s->sec[k].goods_fr);
    free(L->s->sec[k].goods_en);
    L->s->sec[k].goods_fr = dup_or_null(fr);
    L->s->sec[k].goods_en = dup_or_null(en);
    return 0;
}

ml_err ml_snapshot_load_io(ml_db *db, ml_snapshot *s)
{
    io_loader L = {.s = s};
    ml_io_sink sink = {&L, on_sector, on_link, on_general, on_goods};
    ml_err r = db->be->io_classes(db, &sink, &s->io_year);
    if (!r && ensure_matrices(&L)) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    for (int i = 0; i < L.n; i++) {
        free(L.sec[i].label_fr);
        free(L.sec[i].label_en);
    }
    free(L.sec);
    return r;
}

/* ------------------------------------------------------------ establishments */

typedef struct loader {
    size_t n, cap;
    int64_t *siret;
    float *lat, *lon;
    uint16_t *sector;
    uint8_t *size;
    const ml_snapshot *io; /* the sector table */
    int64_t (*member)[2];
    size_t nmember, member_cap;
    json_t *groups; /* name -> id */
} loader;

static int grow(void **p, size_t elem, size_t cap)
{
    void *q = realloc(*p, elem * cap);
    if (!q) return -1;
    *p = q;
    return 0;
}

static int on_row(void *ud, int64_t siret, const char *naf_class, const char *band, double lat,
                  double lon)
{
    loader *L = ud;
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 65536;
        if (grow((void **)&L->siret, sizeof *L->siret, cap) ||
            grow((void **)&L->lat, sizeof *L->lat, cap) ||
            grow((void **)&L->lon, sizeof *L->lon, cap) ||
            grow((void **)&L->sector, sizeof *L->sector, cap) || grow((void **)&L->size, 1, cap))
            return -1;
        L->cap = cap;
    }
    L->siret[L->n] = siret;
    L->lat[L->n] = (float)lat;
    L->lon[L->n] = (float)lon;
    L->sector[L->n] = (uint16_t)ml_snapshot_sector(L->io, naf_class);
    L->size[L->n] = (uint8_t)ml_size_rank(band);
    L->n++;
    return 0;
}

static void on_member(void *ud, int64_t siret, const char *group)
{
    loader *L = ud;
    json_t *id = json_object_get(L->groups, group);
    if (!id) {
        id = json_integer((json_int_t)json_object_size(L->groups));
        json_object_set_new(L->groups, group, id);
    }
    if (L->nmember == L->member_cap) {
        size_t cap = L->member_cap ? L->member_cap * 2 : 1024;
        if (grow((void **)&L->member, sizeof *L->member, cap)) return;
        L->member_cap = cap;
    }
    L->member[L->nmember][0] = siret;
    L->member[L->nmember][1] = json_integer_value(id);
    L->nmember++;
}

ml_err ml_snapshot_build(ml_db *db, ml_snapshot **out)
{
    *out = NULL;
    /* The sector table first: establishments are placed in its sectors. */
    ml_snapshot *io = ml_snapshot_from_rows(0, NULL, NULL, NULL, NULL, NULL, NULL, 0);
    if (!io) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r = ml_snapshot_load_io(db, io);
    if (r) {
        ml_snapshot_free(io);
        return r;
    }
    loader L = {.io = io};
    L.groups = json_object();
    ml_snapshot *s = NULL;
    /* Only public establishments are ever suggested (docs/privacy.md). */
    if ((r = db->be->snapshot_scan(db, true, on_row, &L)) || (r = db->be->memberships(db, on_member, &L)))
        goto out;
    s = ml_snapshot_from_rows(L.n, L.siret, L.lat, L.lon, L.sector, L.size,
                              (const int64_t(*)[2])L.member, L.nmember);
    if (!s) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory building the snapshot");
        goto out;
    }
    /* Hand the sector table over. */
    s->nsec = io->nsec;
    s->sec = io->sec;
    s->weight = io->weight;
    s->ic_share = io->ic_share;
    s->resale_share = io->resale_share;
    s->general = io->general;
    s->io_year = io->io_year;
    io->nsec = 0;
    io->sec = NULL;
    io->weight = io->ic_share = io->resale_share = NULL;
    io->general = NULL;
    s->ngroups = json_object_size(L.groups);
    s->group_name = calloc(s->ngroups ? s->ngroups : 1, sizeof *s->group_name);
    const char *key;
    json_t *v;
    if (s->group_name)
        json_object_foreach(L.groups, key, v) s->group_name[json_integer_value(v)] = ml_strdup(key);
    *out = s;
out:
    ml_snapshot_free(io);
    free(L.siret);
    free(L.lat);
    free(L.lon);
    free(L.sector);
    free(L.size);
    free(L.member);
    json_decref(L.groups);
    return r;
}
