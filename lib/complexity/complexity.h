/* complexity.h — the relatedness and economic complexity domain's own
 * pieces: the table a computation keeps (tests and the benchmark reach
 * inside it), the symmetric eigen-solver, and the cell adder that also
 * counts establishments. The public calls are in maillage.h; the method
 * is docs/methods.md, "Relatedness and economic complexity". */
#ifndef ML_COMPLEXITY_H
#define ML_COMPLEXITY_H

#include "core/core.h"

/* Caps on what one table may hold: the activities × activities matrices
 * (three of them, 8 bytes a cell) must stay well under the memory a
 * national computation is allowed (bench/complexity.sh). */
#define ML_COMPLEXITY_ACTIVITIES_MAX 3000
#define ML_COMPLEXITY_LOCATIONS_MAX  (10u * 1000 * 1000)
#define ML_COMPLEXITY_CELLS_MAX      ((size_t)200 * 1000 * 1000)
#define ML_COMPLEXITY_NAME_MAX       1024   /* bytes of one location or activity name */
#define ML_COMPLEXITY_VALUE_MIN      1e-100 /* a value is 0 or within these */
#define ML_COMPLEXITY_VALUE_MAX      1e100

/* A set of names, each given a dense index in the order first seen. */
typedef struct ml_names {
    char **names; /* n, owned */
    uint32_t n, alloc;
    uint32_t *slots; /* open addressing: index + 1, 0 = empty */
    uint32_t nslots; /* a power of two */
} ml_names;

/* The index of name, added (copied) when new; -1 out of memory, -2 when a
 * new name would pass max names. */
int64_t ml_names_index(ml_names *t, const char *name, uint32_t max);
void ml_names_release(ml_names *t);

/* One cell as added (duplicates merged by compute). */
typedef struct ml_cx_cell {
    uint32_t loc, act;
    double value;
    uint64_t count; /* establishments (database tables) or input rows behind it */
} ml_cx_cell;

struct ml_complexity {
    ml_ctx *ctx;
    ml_names locs, acts;
    ml_cx_cell *cells; /* as added; after compute sorted and merged */
    size_t ncells, alloc;
    bool computed;
    double threshold;

    /* The table computed: locations and activities with a positive total,
     * each in byte order of its name. kept index -> ml_names index. */
    size_t nl, na;
    uint32_t *loc_of, *act_of;
    /* Cells by location (CSR over kept indexes): row c is
     * [row[c], row[c+1]) of col/val/cnt/mcp, activities increasing. */
    size_t *row;
    uint32_t *col;
    double *val;
    uint64_t *cnt;
    unsigned char *mcp;
    /* Present activities of each location (a second CSR, M only). */
    size_t *mrow;
    uint32_t *mcol;
    double *loc_total, *act_total, grand_total;
    uint32_t *diversity, *ubiquity;
    /* kc and kp with their sign set (kc correlates positively with
     * diversity); complexity_ok false when they are not defined (fewer than
     * two activities or locations with presence, or all kc equal). */
    bool complexity_ok;
    double eigenvalue; /* the second largest eigenvalue of Mpp */
    double *kc, *kp;
    double kc_mean, kc_sd; /* over the rows of the full table, n - 1 */
    double *eci, *pci;     /* defined where diversity (ubiquity) > 0 */
    double *coi;           /* standardised; coi_ok false when not defined */
    bool coi_ok;
    /* Activities × activities: proximity φ (diagonal 0) and its row sums;
     * w[p] = kp[p] / Σφ[p] (0 when that sum is 0) and psi_total[p] =
     * Σp' φ[p'][p] w[p']: COG from each location's present activities. */
    double *phi, *phi_sum, *w, *psi_total;
    size_t present;                         /* cells with M = 1 */
    size_t left_locations, left_activities; /* left out: all values zero */
};

/* Adds value and count to the cell (location, activity) — ml_complexity_add
 * with the establishments behind it. */
ml_err ml_complexity_add_count(ml_complexity *cx, const char *location, const char *activity,
                               double value, uint64_t count);

/* The eigenvector of the k-th largest eigenvalue (k = 0 the largest) of
 * the symmetric n × n matrix a (row-major; destroyed), by Householder
 * reduction to a tridiagonal matrix, bisection with Sturm counts and
 * inverse iteration. vec (n) gets a unit vector, *value the eigenvalue.
 * 0, or -1 out of memory. */
int ml_sym_eigvec(double *a, size_t n, size_t k, double *vec, double *value);

#endif
