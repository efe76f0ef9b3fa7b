/* match.h — the supplier/customer engine: the scoring model, the in-memory
 * columnar snapshot it reads, and two top-k searches that must agree exactly:
 * the fast one (sectors by decreasing weight, rings of grid cells by
 * increasing distance, early stop on an upper bound) and the brute-force
 * reference that scores everyone. docs/methods.md is the prose version. */
#ifndef ML_MATCH_H
#define ML_MATCH_H

#include "core/core.h"
#include "core/size_band.h"

#define ML_SECTOR_MAX                 1024 /* sectors of the engine: NAF classes (615) */
#define ML_NO_SECTOR                  0xFFFF
#define ML_TEXT_WEIGHT                0.2  /* a perfect offers/needs match counts as a 20 % share */
#define ML_NETWORK_BONUS              1.2  /* shared network or label */
#define ML_SCALE_KM                   30.0 /* default distance decay scale */
#define ML_CELL_DEG                   0.1  /* grid cell, degrees of latitude and longitude */
#define ML_PER_SECTOR                 3    /* suggestions of one NAF class, by default */
#define ML_NETWORK_OUTSIDE_PER_MEMBER 10   /* outside partners counted per member */

/* The parts of one score, kept so they can be shown. */
typedef struct ml_score_parts {
    double sector;       /* weight of the link between the two NAF classes (see below) */
    double ic_share;     /* share of the buyer class's intermediate consumption (all origins) */
    double resale_share; /* trade buyers: share of their goods for resale (else 0) */
    double text;         /* 0..1 similarity of needs and offers (0 without profiles) */
    double distance_km;
    double decay;   /* exp(-distance / scale) */
    double size;    /* size compatibility, 0.25..1 */
    double network; /* 1 or ML_NETWORK_BONUS */
    double score;   /* (sector + ML_TEXT_WEIGHT * text) * decay * size * network */
} ml_score_parts;

/* A sector of the engine: one NAF class, with what the sentences need. */
typedef struct ml_sector_info {
    char code[8]; /* "10.61" */
    char a38[4];  /* its A38 branch, "CA" */
    char *label_fr, *label_en;
    char *general_fr, *general_en; /* group of inputs every firm buys, or NULL */
    char *goods_fr, *goods_en;     /* trade classes: the goods they resell, or NULL */
} ml_sector_info;

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
    float *coslat;    /* cos(lat): prunes distances without trigonometry per row */
    uint16_t *sector; /* NAF class index, ML_NO_SECTOR if unknown */
    uint8_t *size;    /* size band rank: 0 unknown, 1 = "00" ... 15 = "53" */
    ml_sector_cells sectors[ML_SECTOR_MAX];
    /* siret -> row, sorted by siret */
    int64_t *by_siret_key;
    uint32_t *by_siret_row;
    /* memberships (networks and profile labels): sorted (row, group) pairs */
    uint64_t *member;
    size_t nmember;
    /* The sectors (NAF classes) and the links between them, as nsec x nsec
     * matrices indexed [supplier * nsec + buyer] (data/io/naf_class_io_YEAR.csv):
     * weight = what ranks suggestions: the share of the buyer class's
     * purchases that come from the supplier class; for trade buyers it mixes
     * intermediate consumption and goods for resale (methods.md);
     * ic_share = share of the buyer class's intermediate consumption, made in
     * France or imported;
     * resale_share = share of a trade class's goods for resale;
     * general = the supplier is an input every firm buys (bank, rent, head
     * office, trade margins...): kept apart from local suppliers. */
    int nsec;
    ml_sector_info *sec;
    float *weight, *ic_share, *resale_share;
    uint8_t *general;
    int io_year;
    /* names of the groups in `member` ("network:NAME", "label:WORDS") */
    char **group_name;
    size_t ngroups;
};

/* Allocates the sector table and its (zeroed) matrices for `nsec` sectors;
 * -1 when out of memory or nsec is out of range. */
int ml_snapshot_set_sectors(ml_snapshot *s, int nsec);
/* Reads the sectors (NAF classes) and the links between them from the store
 * into a snapshot that has no sector table yet (used by ml_snapshot_build,
 * the benchmarks and the tests). */
ml_err ml_snapshot_load_io(ml_db *db, ml_snapshot *s);
/* Index of a NAF class code in s->sec, or ML_NO_SECTOR. */
int ml_snapshot_sector(const ml_snapshot *s, const char *code);
/* Index of pair (supplier, buyer) in the matrices. */
static inline size_t ml_pair(const ml_snapshot *s, int supplier, int buyer)
{
    return (size_t)supplier * (size_t)s->nsec + (size_t)buyer;
}

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
    bool all_inputs;       /* also inputs every firm buys (banks, rent, head office...) */
    size_t per_sector;     /* at most this many hits of one sector; 0 = no limit */
    double scale_km;       /* > 0 */
    double radius_km;      /* 0 = unlimited */
    size_t limit;          /* top-k */
    const ml_extra *extra; /* sorted by row; rows with text > 0 or excluded */
    size_t nextra;
} ml_query;

/* Size compatibility of a supplier with a buyer (ranks), see methods.md. */
double ml_size_factor(int supplier_rank, int buyer_rank);
/* Great-circle distance in km. */
double ml_distance_km(double lat1, double lon1, double lat2, double lon2);
/* Weight of the link between self's sector and a candidate sector for the
 * query (suppliers: candidate -> self; customers: self -> candidate); 0 for
 * inputs every firm buys unless q->all_inputs. */
double ml_sector_weight(const ml_snapshot *s, const ml_query *q, int cand);
/* The score of `row` for the query; parts may be NULL. 0 if not a candidate. */
double ml_score(const ml_snapshot *s, const ml_query *q, uint32_t row, ml_score_parts *parts);

/* An upper bound of ml_score() that costs no distance: the score with the
 * best distance and size factors. */
double ml_score_bound(const ml_snapshot *s, const ml_query *q, uint32_t row);

/* Top-k by score (ties: smaller SIRET first), with at most q->per_sector hits
 * of one sector. `out` holds q->limit hits; returns how many were found. The
 * two must return the same hits. */
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
 * (siret, group id). Sectors and weights are set by the caller afterwards
 * (ml_snapshot_set_sectors, then the matrices). */
ml_snapshot *ml_snapshot_from_rows(size_t n, const int64_t *siret, const float *lat,
                                   const float *lon, const uint16_t *sector, const uint8_t *size,
                                   const int64_t (*member)[2], size_t nmember);

/* Words (explain.c). Shares as "4,3 %" (French, non-breaking space) or "4.3%". */
void ml_say_percent(ml_buf *b, double share, bool fr);
/* "à 12 km", "à moins d'un kilomètre" / "12 km away". */
void ml_say_distance(ml_buf *b, double km, bool fr);
/* Why sector `supplier` sells to sector `buyer`: the buyer class's share of
 * its intermediate consumption bought from the supplier class (or,
 * for a trade buyer, the goods it resells), named with both classes.
 * `from_supplier` phrases it for the supplier ("its class … from yours"). */
void ml_say_link(const ml_snapshot *s, int supplier, int buyer, bool from_supplier, ml_buf *b,
                 bool fr);
/* The source of the shares, with its year. */
void ml_say_source(const ml_snapshot *s, ml_buf *b, bool fr);
/* "an input every firm buys (banking and finance)" for a general input class. */
void ml_say_general(const ml_snapshot *s, int sector, ml_buf *b, bool fr);
/* True when the link is goods for resale rather than intermediate consumption. */
bool ml_link_is_resale(const ml_snapshot *s, int supplier, int buyer);

/* What people said about self's partners: text matches from profiles and
 * rejected pairs (as `extra`, sorted), accepted pairs (`links`). */
typedef struct ml_partners {
    json_t *texts, *verdicts, *links;
    ml_extra *extra;
    size_t nextra;
} ml_partners;

ml_err ml_partners_load(ml_db *db, const ml_snapshot *snap, int64_t id, bool customers,
                        ml_partners *pc);
void ml_partners_release(ml_partners *pc);
/* One suggestion with its parts, reasons and sentences; *out NULL if the
 * establishment is gone from the store. */
ml_err ml_suggestion_json(ml_db *db, const ml_snapshot *snap, const ml_query *q, uint32_t row,
                          json_t *texts, json_t **out);

/* Declared needs against declared offers (texts.c): the establishments whose
 * offers (suppliers; needs for customers) hold words of self's needs (offers):
 * [{"siret", "similarity" (idf-weighted share of self's words), "words"}]. */
ml_err ml_profile_matches(ml_db *db, int64_t self, bool customers, json_t **out);

/* The stored records as JSON (stored.c): verdicts involving siret
 * ([{"supplier","buyer","verdict","note","author","at"}]), a network
 * ({"name","created","members": [SIRET]}, ML_NOTFOUND with a message), every
 * profile's words ({"SIRET": {"words","offers","needs"}}). */
ml_err ml_verdicts_json(ml_db *db, int64_t siret, json_t **out);
ml_err ml_network_json(ml_db *db, const char *name, json_t **out);
ml_err ml_profile_texts_json(ml_db *db, json_t **out);

#endif
