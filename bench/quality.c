/* bench/quality.c — do the suggestions name the suppliers (and customers) a
 * professional would name? For each pair of tests/data/quality_pairs.csv
 * (buyer class -> expected supplier class, or supplier -> expected customer),
 * a territory holds one establishment per NAF class, all at the same place
 * and of the same size, so that only the inter-industry model decides; the
 * pair passes when the expected class is among the first 10 suggestions.
 * The models, in the same run: maillage's NAF class table (the engine as
 * shipped, inputs every firm buys left out), optionally a variant of that
 * table read from a CSV file of the same columns (bench/quality.sh passes the
 * domestic-use variant of tools/refdata/io_naf.py), and INSEE's A38 table
 * alone (the former model: every class of a branch gets the branch's share;
 * ties are broken by a seeded random order of the establishments).
 * Usage: quality PAIRS_CSV [TOP=10 [VARIANT_CSV [VARIANT_NAME]]]. Prints each
 * miss of the shipped table with the other models' ranks, and the scores. */
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

/* One cell of INSEE's A38 table into {product: {branch: M€}}. */
static int io_cell(void *ud, const char *product, const char *branch, double value)
{
    json_t *row = json_object_get(ud, product);
    if (!row && json_object_set_new(ud, product, row = json_object())) return 1;
    return json_object_set_new(row, branch, json_real(value));
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

/* Replaces the snapshot's links by those of a table file
 * (supplier,buyer,weight,ic_share,resale_share,general); -1 if unreadable. */
static int load_table(ml_snapshot *s, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t nn = (size_t)s->nsec * (size_t)s->nsec;
    memset(s->weight, 0, nn * sizeof *s->weight);
    memset(s->ic_share, 0, nn * sizeof *s->ic_share);
    memset(s->resale_share, 0, nn * sizeof *s->resale_share);
    memset(s->general, 0, nn * sizeof *s->general);
    char line[256], sup[16], buy[16];
    double w, ic, rs;
    int general, n = 0;
    if (!fgets(line, sizeof line, f) || strncmp(line, "supplier,buyer,weight,", 22) != 0) {
        fclose(f);
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%15[^,],%15[^,],%lf,%lf,%lf,%d", sup, buy, &w, &ic, &rs, &general) != 6)
            continue;
        int a = ml_snapshot_sector(s, sup), b = ml_snapshot_sector(s, buy);
        if (a == ML_NO_SECTOR || b == ML_NO_SECTOR) continue;
        size_t k = ml_pair(s, a, b);
        s->weight[k] = (float)w;
        s->ic_share[k] = (float)ic;
        s->resale_share[k] = (float)rs;
        s->general[k] = general != 0;
        n++;
    }
    fclose(f);
    return n > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: quality PAIRS_CSV [TOP [VARIANT_CSV [VARIANT_NAME]]]\n");
        return 2;
    }
    size_t top = argc > 2 ? strtoull(argv[2], NULL, 10) : 10;
    if (top < 1 || top > 64) top = 10;
    static pair pairs[1000];
    size_t np = read_pairs(argv[1], pairs, 1000);
    ml_ctx *ctx = ml_ctx_new();
    ml_db *db = NULL;
    json_t *io = NULL; /* {product: {branch: M€}} */
    int io_year = 0;
    ml_snapshot *cls = ml_snapshot_from_rows(0, NULL, NULL, NULL, NULL, NULL, NULL, 0);
    if (!np || ml_db_open(ctx, ":memory:", ML_DB_CREATE, &db) || ml_db_init(db) ||
        ml_snapshot_load_io(db, cls) || !(io = json_object()) ||
        db->be->io_a38(db, &io_year, io_cell, io)) {
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
    /* model[0] the shipped table, model[1] the variant (if any), model[2] A38. */
    const char *variant = argc > 3 ? argv[3] : NULL;
    const char *name[3] = {"NAF class model", argc > 4 ? argv[4] : "variant", "A38 model (former)"};
    ml_snapshot *model[3] = {NULL, NULL, NULL};
    for (int m = 0; m < 3; m++) {
        if (m == 1 && !variant) continue;
        model[m] = ml_snapshot_from_rows((size_t)n, siret, lat, lon, sector, size, NULL, 0);
        if (!model[m] || ml_snapshot_load_io(db, model[m])) {
            fprintf(stderr, "quality: %s\n", ml_ctx_message(ctx));
            return 1;
        }
    }
    if (variant && load_table(model[1], variant)) {
        fprintf(stderr, "quality: %s: not a NAF class table\n", variant);
        return 1;
    }
    /* The A38 model: each class gets its branch's share, nothing left out. */
    ml_snapshot *a38 = model[2];
    json_t *use = io;
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
    size_t hits[3] = {0, 0, 0}, hits_dir[2][3] = {{0, 0, 0}, {0, 0, 0}}, count_dir[2] = {0, 0};
    static size_t rank[1000][3];
    static char first[1000][2][128];
    printf("%zu pairs (tests/data/quality_pairs.csv), one establishment per NAF class (%d),\n"
           "same place and size; a pair passes when the expected class is in the first %zu.\n",
           np, n, top);
    for (size_t i = 0; i < np; i++) {
        count_dir[pairs[i].customers]++;
        for (int m = 0; m < 3; m++) {
            if (!model[m]) continue;
            char other[128];
            rank[i][m] = rank_of(model[m], &pairs[i], top, m < 2 ? first[i][m] : other,
                                 sizeof other);
            hits[m] += rank[i][m] > 0;
            hits_dir[pairs[i].customers][m] += rank[i][m] > 0;
        }
    }
    for (int m = 0; m < 2; m++) {
        if (!model[m]) continue;
        printf("\nmisses of the %s%s (its first five suggestions; the other models' ranks\n"
               "in the first %zu, 0 = absent):\n",
               name[m], m ? "" : ", as shipped", top);
        for (size_t i = 0; i < np; i++) {
            if (rank[i][m]) continue;
            printf("  %-9s %s <- %s (%s): first five %s;", pairs[i].customers ? "customers" : "suppliers",
                   pairs[i].self, pairs[i].expected, pairs[i].rationale, first[i][m]);
            if (model[1 - m]) printf(" %s rank %zu,", name[1 - m], rank[i][1 - m]);
            printf(" A38 rank %zu\n", rank[i][2]);
        }
    }
    printf("\n%-22s", "");
    for (int m = 0; m < 3; m++)
        if (model[m]) printf("  %-20s", name[m]);
    printf("\n");
    static const char *const dir[2] = {"suppliers", "customers"};
    for (int d = 0; d < 3; d++) {
        size_t cnt = d < 2 ? count_dir[d] : np;
        printf("%-9s (%3zu pairs)    ", d < 2 ? dir[d] : "all", cnt);
        for (int m = 0; m < 3; m++) {
            if (!model[m]) continue;
            size_t h = d < 2 ? hits_dir[d][m] : hits[m];
            printf("  %5.1f %% (%3zu)%7s", 100.0 * (double)h / (double)(cnt ? cnt : 1), h, "");
        }
        printf(d == 2 ? "(goal >= 90 %%)\n" : "\n");
    }
    for (int m = 0; m < 3; m++)
        ml_snapshot_free(model[m]);
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
