/* build.c — loads the snapshot from the store: establishments, memberships,
 * the sector table (INSEE A38 branches refined by WIOD industries), the
 * input-output weights and the labels. */
#include "match/match.h"
#include "store/store.h"

static int code_index(char (*codes)[3], int n, const char *code)
{
    for (int i = 0; code && i < n; i++)
        if (strcmp(codes[i], code) == 0) return i;
    return -1;
}

int ml_sector_map_build(json_t *io, ml_sector_map *m)
{
    memset(m, 0, sizeof *m);
    for (int d = 0; d < 100; d++)
        m->division_wiod[d] = -1;
    json_t *use = json_object_get(io, "use"), *wiod = json_object_get(io, "wiod");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(io, "branches"), i, v)
    {
        const char *code = json_string_value(json_object_get(v, "code"));
        if (!json_object_get(use, code) || m->na38 == ML_A38_MAX) continue;
        ml_snprintf(m->a38[m->na38++], 3, "%s", code);
    }
    json_array_foreach(json_object_get(wiod, "industries"), i, v)
    {
        if (m->nwiod == ML_WIOD_MAX) break;
        ml_snprintf(m->wiod[m->nwiod], sizeof m->wiod[0], "%s",
                    json_string_value(json_object_get(v, "code")));
        const char *p = json_string_value(json_object_get(v, "divisions"));
        while (p && *p) {
            int64_t d;
            size_t n = strcspn(p, " ");
            if (ml_parse_i64(p, n, 0, 99, &d) == 0) m->division_wiod[d] = m->nwiod;
            p += n + (p[n] == ' ');
        }
        m->nwiod++;
    }
    if (m->na38 == 0) return -1;
    /* The (A38, WIOD) pairs met in the NAF, sorted as the query returned them. */
    json_array_foreach(json_object_get(io, "naf_divisions"), i, v)
    {
        const char *a38 = json_string_value(json_object_get(v, "a38"));
        int ai = code_index(m->a38, m->na38, a38);
        int64_t d = -1;
        const char *div = json_string_value(json_object_get(v, "division"));
        if (ai < 0 || !div || ml_parse_i64(div, strlen(div), 0, 99, &d)) continue;
        int wi = m->division_wiod[d];
        int k = 0;
        while (k < m->n && !(m->def[k].a38_index == ai && m->def[k].wiod_index == wi))
            k++;
        if (k < m->n || m->n == ML_SECTOR_MAX) continue;
        ml_sector_def *def = &m->def[m->n++];
        ml_snprintf(def->a38, sizeof def->a38, "%s", a38);
        ml_snprintf(def->wiod, sizeof def->wiod, "%s", wi >= 0 ? m->wiod[wi] : "");
        def->a38_index = ai;
        def->wiod_index = wi;
    }
    for (int k = 0; k < m->n; k++)
        for (int j = 0; j < m->n; j++)
            if (m->def[j].a38_index == m->def[k].a38_index) m->def[k].nsplit++;
    return 0;
}

int ml_sector_map_find(const ml_sector_map *m, const char *a38, const char *division)
{
    int64_t d = -1;
    if (!a38 || !division || ml_parse_i64(division, strlen(division), 0, 99, &d))
        return ML_NO_SECTOR;
    int wi = m->division_wiod[d];
    for (int k = 0; k < m->n; k++)
        if (strcmp(m->def[k].a38, a38) == 0 && m->def[k].wiod_index == wi) return k;
    return ML_NO_SECTOR;
}

static double cell(json_t *table, const char *row, const char *col)
{
    return json_number_value(json_object_get(json_object_get(table, row), col));
}

ml_err ml_snapshot_set_io(ml_snapshot *s, json_t *io)
{
    ml_sector_map *m = &s->map;
    json_t *use = json_object_get(io, "use");
    json_t *wuse = json_object_get(json_object_get(io, "wiod"), "use");
    s->io_year = (int)json_integer_value(json_object_get(io, "year"));
    s->wiod_year = (int)json_integer_value(json_object_get(json_object_get(io, "wiod"), "year"));
    for (int b = 0; b < m->n; b++) {
        const ml_sector_def *db = &m->def[b];
        double total = 0;
        for (int a = 0; a < m->na38; a++)
            total += cell(use, m->a38[a], db->a38);
        for (int p = 0; p < m->n; p++) {
            const ml_sector_def *dp = &m->def[p];
            double base = total > 0 ? cell(use, dp->a38, db->a38) / total : 0;
            /* Within the supplier's A38 branch, WIOD says how the buyer's
             * industry spreads its purchases over the branch's industries. */
            double split = 1;
            if (dp->nsplit > 1) {
                double den = 0;
                for (int k = 0; k < m->n; k++)
                    if (m->def[k].a38_index == dp->a38_index && m->def[k].wiod_index >= 0 &&
                        db->wiod_index >= 0)
                        den += cell(wuse, m->def[k].wiod, db->wiod);
                split = den > 0 && dp->wiod_index >= 0 && db->wiod_index >= 0
                            ? cell(wuse, dp->wiod, db->wiod) / den
                            : 1.0 / dp->nsplit;
            }
            s->base[p][b] = base;
            s->split[p][b] = split;
            s->weight[p][b] = base * split;
        }
    }
    /* Labels: the A38 branch's (INSEE, French and English), the WIOD
     * industry's (English; French from the NAF when it is one division). */
    json_t *dl = json_object_get(io, "division_labels");
    for (int k = 0; k < m->n; k++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(io, "branches"), i, v)
        {
            if (strcmp(json_string_value(json_object_get(v, "code")), m->def[k].a38)) continue;
            s->a38_label_fr[k] = ml_strdup(json_string_value(json_object_get(v, "label_fr")));
            s->a38_label_en[k] = ml_strdup(json_string_value(json_object_get(v, "label_en")));
        }
        json_array_foreach(json_object_get(json_object_get(io, "wiod"), "industries"), i, v)
        {
            if (strcmp(json_string_value(json_object_get(v, "code")), m->def[k].wiod)) continue;
            const char *divs = json_string_value(json_object_get(v, "divisions"));
            const char *fr =
                divs && strlen(divs) == 2 ? json_string_value(json_object_get(dl, divs)) : NULL;
            s->wiod_label_en[k] = ml_strdup(json_string_value(json_object_get(v, "label")));
            s->wiod_label_fr[k] =
                ml_strdup(fr ? fr : json_string_value(json_object_get(v, "label")));
        }
    }
    return ML_OK;
}

typedef struct loader {
    size_t n, cap;
    int64_t *siret;
    float *lat, *lon;
    uint8_t *sector, *size;
    const ml_sector_map *map;
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

static int on_row(void *ud, int64_t siret, const char *a38, const char *division, const char *band,
                  double lat, double lon)
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
    L->sector[L->n] = (uint8_t)ml_sector_map_find(L->map, a38, division);
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
    json_t *io = NULL;
    ml_err r = db->be->io_table(db, &io);
    if (r) return r;
    ml_sector_map map;
    if (ml_sector_map_build(io, &map)) {
        json_decref(io);
        return ml_fail(db->ctx, ML_ERROR, "%s: input-output tables missing: run `maillage init`",
                       db->path);
    }
    loader L = {.map = &map};
    L.groups = json_object();
    ml_snapshot *s = NULL;
    if ((r = db->be->snapshot_scan(db, on_row, &L)) || (r = db->be->memberships(db, on_member, &L)))
        goto out;
    s = ml_snapshot_from_rows(L.n, L.siret, L.lat, L.lon, L.sector, L.size,
                              (const int64_t(*)[2])L.member, L.nmember);
    if (!s) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory building the snapshot");
        goto out;
    }
    s->map = map;
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
