/* match.h — the supplier/customer engine: the scoring model, the in-memory
 * columnar snapshot it reads, and two top-k searches that must agree exactly:
 * the fast one (sectors by decreasing weight, rings of grid cells by
 * increasing distance, early stop on an upper bound) and the brute-force
 * reference that scores everyone. docs/methods.md is the prose version. */
#ifndef ML_MATCH_H
#define ML_MATCH_H

#include "core/core.h"

#define ML_SECTOR_MAX                 64 /* (A38 branch, WIOD industry) pairs met in the NAF: 58 */
#define ML_A38_MAX                    40
#define ML_WIOD_MAX                   64
#define ML_NO_SECTOR                  255
#define ML_TEXT_WEIGHT                0.2 /* a perfect offers/needs match counts as a 20 % sector share */
#define ML_NETWORK_BONUS              1.2  /* shared network or label */
#define ML_SCALE_KM                   30.0 /* default distance decay scale */
#define ML_CELL_DEG                   0.1  /* grid cell, degrees of latitude and longitude */
#define ML_NETWORK_OUTSIDE_PER_MEMBER 10   /* outside partners counted per member */

/* The parts of one score, kept so they can be shown. */
typedef struct ml_score_parts {
    double sector; /* share of the buyer's purchases from the supplier's sector: base * split */
    double base;   /* INSEE A38 share */
    double split;  /* WIOD share of the supplier's industry within its A38 branch (1 if whole) */
    double text;   /* 0..1 similarity of needs and offers (0 without profiles) */
    double distance_km;
    double decay;   /* exp(-distance / scale) */
    double size;    /* size compatibility, 0.25..1 */
    double network; /* 1 or ML_NETWORK_BONUS */
    double score;   /* (sector + ML_TEXT_WEIGHT * text) * decay * size * network */
} ml_score_parts;

/* A sector of the engine: an INSEE A38 branch, refined by the WIOD industry
 * (56 for France) of the NAF division, e.g. CH x C25 "fabricated metal
 * products" apart from CH x C24 "basic metals". */
typedef struct ml_sector_def {
    char a38[3];
    char wiod[12];
    int a38_index;  /* row/column in the INSEE table */
    int wiod_index; /* row/column in the WIOD table */
    int nsplit;     /* WIOD industries inside this A38 branch (1: no refinement) */
} ml_sector_def;

typedef struct ml_sector_map {
    ml_sector_def def[ML_SECTOR_MAX];
    int n;
    char a38[ML_A38_MAX][3];
    int na38;
    char wiod[ML_WIOD_MAX][12];
    int nwiod;
    int division_wiod[100]; /* WIOD index of each NAF division, -1 if none */
} ml_sector_map;

/* Builds the sector table from the backend's io_table JSON: the (A38, WIOD)
 * pairs met in the NAF, sorted. Returns 0, or -1 if the tables are missing. */
int ml_sector_map_build(json_t *io, ml_sector_map *m);
/* Sector of a NAF sub-class given its A38 code and division; ML_NO_SECTOR if none. */
int ml_sector_map_find(const ml_sector_map *m, const char *a38, const char *division);

/* The snapshot: active, diffusible, placed establishments as columns, sorted
 * by (sector, grid cell, SIRET); per sector, its non-empty cells. */
typedef struct ml_sector_cells {
    uint32_t first, count; /* rows of this sector */
    uint32_t *cell;        /* sorted unique cell ids (iy * ML_GRID_W + ix) */
    uint32_t *start;       /* row of each cell's first point; start[ncells] = end */
    uint32_t ncells;
    int32_t min_iy, max_iy, min_ix, max_ix;
} ml_sector_cells;

struct ml_snapshot {
    size_t n;
    int64_t *siret;
    float *lat, *lon;
    uint8_t *sector; /* A38 index, ML_NO_SECTOR if unknown */
    uint8_t *size;   /* size band rank: 0 unknown, 1 = "00" ... 15 = "53" */
    ml_sector_cells sectors[ML_SECTOR_MAX];
    /* siret -> row, sorted by siret */
    int64_t *by_siret_key;
    uint32_t *by_siret_row;
    /* memberships (networks and profile labels): sorted (row, group) pairs */
    uint64_t *member;
    size_t nmember;
    /* input-output weights between sectors: weight[supplier][buyer] = share of
     * the buyer sector's domestic intermediate purchases from the supplier
     * sector = base (INSEE, A38) * split (WIOD, within the supplier's A38) */
    ml_sector_map map;
    double base[ML_SECTOR_MAX][ML_SECTOR_MAX];
    double split[ML_SECTOR_MAX][ML_SECTOR_MAX];
    double weight[ML_SECTOR_MAX][ML_SECTOR_MAX];
    int io_year, wiod_year;
    /* per sector: its A38 branch's labels, its WIOD industry's labels */
    char *a38_label_fr[ML_SECTOR_MAX], *a38_label_en[ML_SECTOR_MAX];
    char *wiod_label_fr[ML_SECTOR_MAX], *wiod_label_en[ML_SECTOR_MAX];
    /* names of the groups in `member` ("network:NAME", "label:WORDS") */
    char **group_name;
    size_t ngroups;
};

enum { ML_GRID_W = 3600 }; /* 360 degrees / ML_CELL_DEG */

/* A candidate with a text similarity, or a pair never to propose. */
typedef struct ml_extra {
    uint32_t row;
    double text; /* similarity 0..1; < 0 marks an excluded row */
} ml_extra;

typedef struct ml_hit {
    uint32_t row;
    double score;
} ml_hit;

typedef struct ml_query {
    uint32_t self;         /* the buyer (suppliers) or the seller (customers) */
    bool customers;        /* false: suggest suppliers of self; true: customers */
    double scale_km;       /* > 0 */
    double radius_km;      /* 0 = unlimited */
    size_t limit;          /* top-k */
    const ml_extra *extra; /* sorted by row; rows with text > 0 or excluded */
    size_t nextra;
} ml_query;

/* Size band rank of a trancheEffectifs code (0 unknown). */
int ml_size_rank(const char *band);
/* Size compatibility of a supplier with a buyer (ranks), see methods.md. */
double ml_size_factor(int supplier_rank, int buyer_rank);
/* Great-circle distance in km. */
double ml_distance_km(double lat1, double lon1, double lat2, double lon2);
/* The score of `row` for the query; parts may be NULL. 0 if not a candidate. */
double ml_score(const ml_snapshot *s, const ml_query *q, uint32_t row, ml_score_parts *parts);

/* An upper bound of ml_score() that costs no distance: the score with the
 * best distance and size factors. */
double ml_score_bound(const ml_snapshot *s, const ml_query *q, uint32_t row);

/* Top-k by score (ties: smaller SIRET first). `out` holds q->limit hits;
 * returns how many were found. The two must return the same hits. */
size_t ml_match_topk(const ml_snapshot *s, const ml_query *q, ml_hit *out);
size_t ml_match_brute(const ml_snapshot *s, const ml_query *q, ml_hit *out);

/* Grid cell coordinates of a point (rows and columns of ML_CELL_DEG). */
int32_t ml_cell_y(double lat);
int32_t ml_cell_x(double lon);

/* Row of a SIRET, or -1; the _str form takes the 14-digit text. */
int64_t ml_snapshot_row(const ml_snapshot *s, int64_t siret);
int64_t ml_snapshot_row_str(const ml_snapshot *s, const char *siret);
/* True when rows a and b share a network or a label. */
bool ml_snapshot_share_group(const ml_snapshot *s, uint32_t a, uint32_t b);
bool ml_snapshot_has_group(const ml_snapshot *s, uint32_t a);

/* Builds the snapshot from arrays (used by the store loader and the tests):
 * takes ownership of nothing; copies and sorts. `member` pairs are
 * (siret, group id). Weights and labels are set by the caller afterwards. */
ml_snapshot *ml_snapshot_from_rows(size_t n, const int64_t *siret, const float *lat,
                                   const float *lon, const uint8_t *sector, const uint8_t *size,
                                   const int64_t (*member)[2], size_t nmember);

/* Sets the weights and labels from the backend's io_table JSON, for the
 * sectors of s->map (which the caller has set, with ml_sector_map_build). */
ml_err ml_snapshot_set_io(ml_snapshot *s, json_t *io);

/* What people said about self's partners: text matches from profiles and
 * rejected pairs (as `extra`, sorted), accepted pairs (`links`). */
typedef struct ml_partners {
    json_t *texts, *verdicts, *links;
    ml_extra *extra;
    size_t nextra;
} ml_partners;

typedef struct ml_db ml_db;
ml_err ml_partners_load(ml_db *db, const ml_snapshot *snap, int64_t id, bool customers,
                        ml_partners *pc);
void ml_partners_release(ml_partners *pc);
/* One suggestion with its parts, reasons and sentences; *out NULL if the
 * establishment is gone from the store. */
ml_err ml_suggestion_json(ml_db *db, const ml_snapshot *snap, const ml_query *q, uint32_t row,
                          json_t *texts, json_t **out);

#endif
