/* snapshot.c — the columnar snapshot: rows sorted by (sector, grid cell,
 * SIRET), each sector's non-empty cells, a SIRET index, memberships. */
#include <math.h>

#include "match/match.h"

typedef struct sort_key {
    uint16_t sector;
    uint32_t cell;
    int64_t siret;
    uint32_t src;
} sort_key;

static int cmp_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->sector != y->sector) return x->sector < y->sector ? -1 : 1;
    if (x->cell != y->cell) return x->cell < y->cell ? -1 : 1;
    return x->siret < y->siret ? -1 : x->siret > y->siret;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct siret_row {
    int64_t siret;
    uint32_t row;
} siret_row;

static int cmp_siret_row(const void *a, const void *b)
{
    const siret_row *x = a, *y = b;
    return x->siret < y->siret ? -1 : x->siret > y->siret;
}

static void sectors_free(ml_snapshot *s)
{
    for (int i = 0; i < ML_SECTOR_MAX; i++) {
        free(s->sectors[i].cell);
        free(s->sectors[i].start);
    }
}

void ml_snapshot_free(ml_snapshot *s)
{
    if (!s) return;
    free(s->siret);
    free(s->lat);
    free(s->lon);
    free(s->coslat);
    free(s->sector);
    free(s->size);
    free(s->by_siret_key);
    free(s->by_siret_row);
    free(s->member);
    sectors_free(s);
    for (int i = 0; i < s->nsec; i++) {
        ml_sector_info *si = &s->sec[i];
        free(si->label_fr);
        free(si->label_en);
        free(si->general_fr);
        free(si->general_en);
        free(si->goods_fr);
        free(si->goods_en);
    }
    free(s->sec);
    free(s->weight);
    free(s->ic_share);
    free(s->resale_share);
    free(s->general);
    for (size_t i = 0; i < s->ngroups; i++)
        free(s->group_name[i]);
    free(s->group_name);
    free(s);
}

size_t ml_snapshot_count(const ml_snapshot *s)
{
    return s ? s->n : 0;
}

static uint32_t cell_of(float lat, float lon)
{
    return (uint32_t)ml_cell_y(lat) * ML_GRID_W + (uint32_t)ml_cell_x(lon);
}

/* Per sector: its rows and its non-empty cells with their first rows. */
static int build_sectors(ml_snapshot *s)
{
    size_t row = 0;
    for (int sec = 0; sec < ML_SECTOR_MAX; sec++) {
        ml_sector_cells *sc = &s->sectors[sec];
        while (row < s->n && s->sector[row] < sec)
            row++;
        sc->first = (uint32_t)row;
        size_t end = row;
        while (end < s->n && s->sector[end] == sec)
            end++;
        sc->count = (uint32_t)(end - row);
        sc->min_iy = sc->min_ix = INT32_MAX;
        sc->max_iy = sc->max_ix = INT32_MIN;
        size_t ncells = 0;
        for (size_t i = row; i < end; i++)
            if (i == row || cell_of(s->lat[i], s->lon[i]) != cell_of(s->lat[i - 1], s->lon[i - 1]))
                ncells++;
        sc->cell = malloc((ncells ? ncells : 1) * sizeof *sc->cell);
        sc->start = malloc((ncells + 1) * sizeof *sc->start);
        if (!sc->cell || !sc->start) return -1;
        size_t c = 0;
        for (size_t i = row; i < end; i++) {
            uint32_t cell = cell_of(s->lat[i], s->lon[i]);
            if (i == row || cell != sc->cell[c - 1]) {
                sc->cell[c] = cell;
                sc->start[c] = (uint32_t)i;
                c++;
                int32_t iy = (int32_t)(cell / ML_GRID_W), ix = (int32_t)(cell % ML_GRID_W);
                if (iy < sc->min_iy) sc->min_iy = iy;
                if (iy > sc->max_iy) sc->max_iy = iy;
                if (ix < sc->min_ix) sc->min_ix = ix;
                if (ix > sc->max_ix) sc->max_ix = ix;
            }
        }
        sc->start[c] = (uint32_t)end;
        sc->ncells = (uint32_t)c;
        row = end;
    }
    return 0;
}

ml_snapshot *ml_snapshot_from_rows(size_t n, const int64_t *siret, const float *lat,
                                   const float *lon, const uint16_t *sector, const uint8_t *size,
                                   const int64_t (*member)[2], size_t nmember)
{
    if (n > UINT32_MAX - 1) return NULL;
    ml_snapshot *s = calloc(1, sizeof *s);
    sort_key *keys = malloc((n ? n : 1) * sizeof *keys);
    siret_row *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!s || !keys || !idx) goto fail;
    s->n = n;
    s->siret = malloc((n ? n : 1) * sizeof *s->siret);
    s->lat = malloc((n ? n : 1) * sizeof *s->lat);
    s->lon = malloc((n ? n : 1) * sizeof *s->lon);
    s->coslat = malloc((n ? n : 1) * sizeof *s->coslat);
    s->sector = malloc((n ? n : 1) * sizeof *s->sector);
    s->size = malloc(n ? n : 1);
    s->by_siret_key = malloc((n ? n : 1) * sizeof *s->by_siret_key);
    s->by_siret_row = malloc((n ? n : 1) * sizeof *s->by_siret_row);
    if (!s->siret || !s->lat || !s->lon || !s->coslat || !s->sector || !s->size ||
        !s->by_siret_key || !s->by_siret_row)
        goto fail;
    for (size_t i = 0; i < n; i++)
        keys[i] = (sort_key){sector[i], cell_of(lat[i], lon[i]), siret[i], (uint32_t)i};
    qsort(keys, n, sizeof *keys, cmp_key);
    for (size_t i = 0; i < n; i++) {
        uint32_t src = keys[i].src;
        s->siret[i] = siret[src];
        s->lat[i] = lat[src];
        s->lon[i] = lon[src];
        s->coslat[i] = (float)cos(lat[src] * 3.14159265358979323846 / 180.0);
        s->sector[i] = sector[src];
        s->size[i] = size[src];
        idx[i] = (siret_row){siret[src], (uint32_t)i};
    }
    qsort(idx, n, sizeof *idx, cmp_siret_row);
    for (size_t i = 0; i < n; i++) {
        s->by_siret_key[i] = idx[i].siret;
        s->by_siret_row[i] = idx[i].row;
    }
    if (build_sectors(s)) goto fail;
    s->member = malloc((nmember ? nmember : 1) * sizeof *s->member);
    if (!s->member) goto fail;
    for (size_t i = 0; i < nmember; i++) {
        int64_t row = ml_snapshot_row(s, member[i][0]);
        if (row < 0 || member[i][1] < 0 || member[i][1] > UINT32_MAX) continue;
        s->member[s->nmember++] = ((uint64_t)row << 32) | (uint64_t)member[i][1];
    }
    qsort(s->member, s->nmember, sizeof *s->member, cmp_u64);
    free(keys);
    free(idx);
    return s;
fail:
    free(keys);
    free(idx);
    ml_snapshot_free(s);
    return NULL;
}

int ml_snapshot_set_sectors(ml_snapshot *s, int nsec)
{
    if (nsec <= 0 || nsec > ML_SECTOR_MAX || s->sec) return -1;
    size_t cells = (size_t)nsec * (size_t)nsec;
    s->sec = calloc((size_t)nsec, sizeof *s->sec);
    s->weight = calloc(cells, sizeof *s->weight);
    s->ic_share = calloc(cells, sizeof *s->ic_share);
    s->resale_share = calloc(cells, sizeof *s->resale_share);
    s->general = calloc(cells, 1);
    s->nsec = nsec;
    if (!s->sec || !s->weight || !s->ic_share || !s->resale_share || !s->general) return -1;
    return 0;
}

int ml_snapshot_sector(const ml_snapshot *s, const char *code)
{
    if (!code) return ML_NO_SECTOR;
    /* Sectors are sorted by code. */
    int lo = 0, hi = s->nsec;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(s->sec[mid].code, code);
        if (c == 0) return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return ML_NO_SECTOR;
}

int64_t ml_snapshot_row(const ml_snapshot *s, int64_t siret)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->by_siret_key[mid] < siret)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->by_siret_key[lo] == siret ? (int64_t)s->by_siret_row[lo] : -1;
}

int64_t ml_snapshot_row_str(const ml_snapshot *s, const char *siret)
{
    int64_t id;
    if (!siret || ml_siret_digits(siret, strlen(siret), &id) != ML_ID_OK) return -1;
    return ml_snapshot_row(s, id);
}

/* First index of row's memberships. */
static size_t member_first(const ml_snapshot *s, uint32_t row)
{
    uint64_t key = (uint64_t)row << 32;
    size_t lo = 0, hi = s->nmember;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->member[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool ml_snapshot_has_group(const ml_snapshot *s, uint32_t a)
{
    size_t i = member_first(s, a);
    return i < s->nmember && (s->member[i] >> 32) == a;
}

bool ml_snapshot_share_group(const ml_snapshot *s, uint32_t a, uint32_t b)
{
    if (s->nmember == 0) return false;
    size_t i = member_first(s, a), j = member_first(s, b);
    while (i < s->nmember && j < s->nmember && (s->member[i] >> 32) == a &&
           (s->member[j] >> 32) == b) {
        uint32_t ga = (uint32_t)s->member[i], gb = (uint32_t)s->member[j];
        if (ga == gb) return true;
        if (ga < gb)
            i++;
        else
            j++;
    }
    return false;
}
