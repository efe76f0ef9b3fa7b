/* build.c — loads the snapshot from the store: establishments, memberships,
 * the input-output weights of the latest year and the A38 labels. */
#include "match/match.h"
#include "store/store.h"

typedef struct loader {
    size_t n, cap;
    int64_t *siret;
    float *lat, *lon;
    uint8_t *sector, *size;
    char codes[ML_A38_COUNT][3];
    int ncodes;
    /* memberships */
    int64_t (*member)[2];
    size_t nmember, member_cap;
    json_t *groups; /* name -> id */
} loader;

static int sector_index(const loader *L, const char *a38)
{
    for (int i = 0; a38 && i < L->ncodes; i++)
        if (strcmp(L->codes[i], a38) == 0) return i;
    return ML_NO_SECTOR;
}

static int grow(void **p, size_t elem, size_t cap)
{
    void *q = realloc(*p, elem * cap);
    if (!q) return -1;
    *p = q;
    return 0;
}

static int on_row(void *ud, int64_t siret, const char *a38, const char *band, double lat,
                  double lon)
{
    loader *L = ud;
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 65536;
        if (grow((void **)&L->siret, sizeof *L->siret, cap) ||
            grow((void **)&L->lat, sizeof *L->lat, cap) ||
            grow((void **)&L->lon, sizeof *L->lon, cap) || grow((void **)&L->sector, 1, cap) ||
            grow((void **)&L->size, 1, cap))
            return -1;
        L->cap = cap;
    }
    L->siret[L->n] = siret;
    L->lat[L->n] = (float)lat;
    L->lon[L->n] = (float)lon;
    L->sector[L->n] = (uint8_t)sector_index(L, a38);
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

/* weight[p][b] = use[p][b] / sum over p of use[p][b]. */
static void set_weights_codes(ml_snapshot *s, const loader *L, json_t *io);

ml_err ml_snapshot_set_io(ml_snapshot *s, json_t *io)
{
    loader L = {0};
    size_t i;
    json_t *b;
    json_t *use = json_object_get(io, "use");
    json_array_foreach(json_object_get(io, "branches"), i, b) {
        const char *code = json_string_value(json_object_get(b, "code"));
        if (!json_object_get(use, code) || L.ncodes == ML_A38_COUNT) continue;
        ml_snprintf(L.codes[L.ncodes++], 3, "%s", code);
    }
    set_weights_codes(s, &L, io);
    json_array_foreach(json_object_get(io, "branches"), i, b) {
        int k = sector_index(&L, json_string_value(json_object_get(b, "code")));
        if (k == ML_NO_SECTOR) continue;
        ml_snprintf(s->a38_code[k], 3, "%s", L.codes[k]);
        free(s->a38_label_fr[k]);
        free(s->a38_label_en[k]);
        s->a38_label_fr[k] = ml_strdup(json_string_value(json_object_get(b, "label_fr")));
        s->a38_label_en[k] = ml_strdup(json_string_value(json_object_get(b, "label_en")));
    }
    return ML_OK;
}

static void set_weights_codes(ml_snapshot *s, const loader *L, json_t *io)
{
    json_t *use = json_object_get(io, "use");
    for (int b = 0; b < L->ncodes; b++) {
        double total = 0;
        for (int p = 0; p < L->ncodes; p++)
            total += json_number_value(json_object_get(json_object_get(use, L->codes[p]),
                                                       L->codes[b]));
        for (int p = 0; p < L->ncodes; p++) {
            double v = json_number_value(json_object_get(json_object_get(use, L->codes[p]),
                                                         L->codes[b]));
            s->weight[p][b] = total > 0 ? v / total : 0;
        }
    }
    s->io_year = (int)json_integer_value(json_object_get(io, "year"));
}

ml_err ml_snapshot_build(ml_db *db, ml_snapshot **out)
{
    *out = NULL;
    json_t *io = NULL;
    ml_err r = db->be->io_table(db, &io);
    if (r) return r;
    loader L = {0};
    L.groups = json_object();
    /* The A38 branches of the input-output table, in the labels' order. */
    size_t i;
    json_t *b;
    json_t *use = json_object_get(io, "use");
    json_array_foreach(json_object_get(io, "branches"), i, b) {
        const char *code = json_string_value(json_object_get(b, "code"));
        if (!json_object_get(use, code) || L.ncodes == ML_A38_COUNT) continue;
        ml_snprintf(L.codes[L.ncodes++], 3, "%s", code);
    }
    ml_snapshot *s = NULL;
    if ((r = db->be->snapshot_scan(db, on_row, &L)) || (r = db->be->memberships(db, on_member, &L)))
        goto out;
    s = ml_snapshot_from_rows(L.n, L.siret, L.lat, L.lon, L.sector, L.size,
                              (const int64_t(*)[2])L.member, L.nmember);
    if (!s) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory building the snapshot");
        goto out;
    }
    ml_snapshot_set_io(s, io);
    s->ngroups = json_object_size(L.groups);
    s->group_name = calloc(s->ngroups ? s->ngroups : 1, sizeof *s->group_name);
    const char *key;
    json_t *v;
    if (s->group_name)
        json_object_foreach(L.groups, key, v) s->group_name[json_integer_value(v)] = ml_strdup(key);
    *out = s;
out:
    free(L.siret);
    free(L.lat);
    free(L.lon);
    free(L.sector);
    free(L.size);
    free(L.member);
    json_decref(L.groups);
    json_decref(io);
    return r;
}
