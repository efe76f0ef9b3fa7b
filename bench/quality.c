/* bench/quality.c — do the suggestions name the suppliers (and customers) a
 * professional would name? For each pair of tests/data/quality_pairs.csv
 * (buyer class -> expected supplier class, or supplier -> expected customer),
 * a territory holds one establishment per NAF class, all at the same place
 * and of the same size, so that only the inter-industry model decides; the
 * pair passes when the expected class is among the first 10 suggestions.
 * Two models in the same run: maillage's NAF class table (the engine as
 * shipped, inputs every firm buys left out) and INSEE's A38 table alone (the
 * former model: every class of a branch gets the branch's share; ties are
 * broken by a seeded random order of the establishments).
 * Usage: quality PAIRS_CSV [TOP=10]. Prints each miss and both shares. */
#include <math.h>

#include "core/core.h"
#include "match/match.h"
#include "store/store.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct pair {
    bool customers;
    char self[8], expected[8];
    char rationale[200];
} pair;

static size_t read_pairs(const char *path, pair *out, size_t max)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[512];
    size_t n = 0;
    if (!fgets(line, sizeof line, f)) { /* header */
        fclose(f);
        return 0;
    }
    while (n < max && fgets(line, sizeof line, f)) {
        char dir[16];
        pair *p = &out[n];
        if (sscanf(line, "%15[^,],%7[^,],%7[^,],%199[^\n]", dir, p->self, p->expected,
                   p->rationale) != 4)
            continue;
        p->customers = strcmp(dir, "customers") == 0;
        n++;
    }
    fclose(f);
    return n;
}

/* Rank (1-based) of the expected class among the suggestions, 0 if absent. */
static size_t rank_of(const ml_snapshot *s, const pair *p, size_t top, char *first, size_t len)
{
    int self = ml_snapshot_sector(s, p->self), want = ml_snapshot_sector(s, p->expected);
    if (self == ML_NO_SECTOR || want == ML_NO_SECTOR) return 0;
    uint32_t row = 0;
    while (row < s->n && s->sector[row] != self)
        row++;
    ml_query q = {.self = row,
                  .customers = p->customers,
                  .scale_km = ML_SCALE_KM,
                  .limit = top,
                  .per_sector = 1};
    ml_hit hits[64];
    size_t n = ml_match_topk(s, &q, hits), rank = 0;
    first[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const char *code = s->sec[s->sector[hits[i].row]].code;
        if (i < 5) {
            size_t used = strlen(first);
            ml_snprintf(first + used, len - used, "%s%s", i ? " " : "", code);
        }
        if (!rank && s->sector[hits[i].row] == want) rank = i + 1;
    }
    return rank;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: quality PAIRS_CSV [TOP]\n");
        return 2;
    }
    size_t top = argc > 2 ? strtoull(argv[2], NULL, 10) : 10;
    if (top < 1 || top > 64) top = 10;
    static pair pairs[1000];
    size_t np = read_pairs(argv[1], pairs, 1000);
    ml_ctx *ctx = ml_ctx_new();
    ml_db *db = NULL;
    json_t *io = NULL;
    ml_snapshot *cls = ml_snapshot_from_rows(0, NULL, NULL, NULL, NULL, NULL, NULL, 0);
    if (!np || ml_db_open(ctx, ":memory:", ML_DB_CREATE, &db) || ml_db_init(db) ||
        ml_snapshot_load_io(db, cls) || db->be->io_table(db, &io)) {
        fprintf(stderr, "quality: %s\n", np ? ml_ctx_message(ctx) : "no pairs read");
        return 1;
    }
    /* One establishment per NAF class, same place, same size; SIRETs in a
     * seeded random order (it breaks the A38 model's ties). */
    int n = cls->nsec;
    int64_t *siret = malloc((size_t)n * sizeof *siret);
    float *lat = malloc((size_t)n * sizeof *lat), *lon = malloc((size_t)n * sizeof *lon);
    uint16_t *sector = malloc((size_t)n * sizeof *sector);
    uint8_t *size = malloc((size_t)n);
    for (int i = 0; i < n; i++) {
        siret[i] = 10000000000000LL + (int64_t)i * 100000;
        lat[i] = 45.0f;
        lon[i] = 5.0f;
        sector[i] = (uint16_t)i;
        size[i] = (uint8_t)ml_size_rank("12");
    }
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(next() % (uint64_t)(i + 1));
        int64_t t = siret[i];
        siret[i] = siret[j];
        siret[j] = t;
    }
    ml_snapshot *model[2];
    for (int m = 0; m < 2; m++) {
        model[m] = ml_snapshot_from_rows((size_t)n, siret, lat, lon, sector, size, NULL, 0);
        if (!model[m] || ml_snapshot_load_io(db, model[m])) {
            fprintf(stderr, "quality: %s\n", ml_ctx_message(ctx));
            return 1;
        }
    }
    /* The A38 model: each class gets its branch's share, nothing left out. */
    ml_snapshot *a38 = model[1];
    json_t *use = json_object_get(io, "use");
    for (int b = 0; b < n; b++) {
        double total = 0;
        const char *key;
        json_t *row;
        json_object_foreach(use, key, row) total +=
            json_number_value(json_object_get(row, a38->sec[b].a38));
        for (int s = 0; s < n; s++) {
            size_t k = ml_pair(a38, s, b);
            double v = json_number_value(
                json_object_get(json_object_get(use, a38->sec[s].a38), a38->sec[b].a38));
            a38->weight[k] = a38->ic_share[k] = total > 0 ? (float)(v / total) : 0;
            a38->resale_share[k] = 0;
            a38->general[k] = 0;
        }
    }
    size_t hits[2] = {0, 0}, hits_dir[2][2] = {{0, 0}, {0, 0}}, count_dir[2] = {0, 0};
    printf("%zu pairs (tests/data/quality_pairs.csv), one establishment per NAF class (%d),\n"
           "same place and size; a pair passes when the expected class is in the first %zu.\n\n",
           np, n, top);
    printf("misses of the NAF class model (rank in the first %zu, 0 = absent; A38 model's rank):\n",
           top);
    for (size_t i = 0; i < np; i++) {
        char first[2][128];
        size_t r0 = rank_of(model[0], &pairs[i], top, first[0], sizeof first[0]);
        size_t r1 = rank_of(model[1], &pairs[i], top, first[1], sizeof first[1]);
        hits[0] += r0 > 0;
        hits[1] += r1 > 0;
        count_dir[pairs[i].customers]++;
        hits_dir[pairs[i].customers][0] += r0 > 0;
        hits_dir[pairs[i].customers][1] += r1 > 0;
        if (!r0)
            printf("  %-9s %s <- %s (%s): first five %s; A38 rank %zu\n",
                   pairs[i].customers ? "customers" : "suppliers", pairs[i].self,
                   pairs[i].expected, pairs[i].rationale, first[0], r1);
    }
    printf("\n                              NAF class model   A38 model (former)\n");
    printf("suppliers (%3zu pairs)          %5.1f %%           %5.1f %%\n", count_dir[0],
           100.0 * (double)hits_dir[0][0] / (double)(count_dir[0] ? count_dir[0] : 1),
           100.0 * (double)hits_dir[0][1] / (double)(count_dir[0] ? count_dir[0] : 1));
    printf("customers (%3zu pairs)          %5.1f %%           %5.1f %%\n", count_dir[1],
           100.0 * (double)hits_dir[1][0] / (double)(count_dir[1] ? count_dir[1] : 1),
           100.0 * (double)hits_dir[1][1] / (double)(count_dir[1] ? count_dir[1] : 1));
    printf("all       (%3zu pairs)          %5.1f %%           %5.1f %%   (goal >= 90 %%)\n", np,
           100.0 * (double)hits[0] / (double)np, 100.0 * (double)hits[1] / (double)np);
    ml_snapshot_free(model[0]);
    ml_snapshot_free(model[1]);
    ml_snapshot_free(cls);
    free(siret);
    free(lat);
    free(lon);
    free(sector);
    free(size);
    json_decref(io);
    ml_db_close(db);
    ml_ctx_free(ctx);
    return 0;
}
