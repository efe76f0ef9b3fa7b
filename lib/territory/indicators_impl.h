/* indicators_impl.h — what the indicators (indicators.c) and the rankings
 * (rank.c) share: a place's open establishments summed from its activity
 * cells, with a NAF level's codes. Private to lib/territory. */
#ifndef ML_INDICATORS_IMPL_H
#define ML_INDICATORS_IMPL_H

#include "core/size_band.h"
#include "store/store.h"

typedef struct naf_row {
    char code[8];  /* sub-class */
    char level[8]; /* its code at the chosen level */
    char a21[4];
    char label[256]; /* the sub-class's (French) */
} naf_row;

typedef struct naf_map {
    naf_row *rows;
    size_t n, cap;
    int column;
    bool nomem;
} naf_map;

/* The NAF table, each sub-class with its code in the naf table's column
 * `column` (ML_REF_NAF's order: 2 class ... 9 A10; 0 the sub-class). */
ml_err ml_naf_map_load(ml_db *db, naf_map *m, int column);

enum { CAT_PME, CAT_ETI, CAT_GE, CAT_UNKNOWN, CATS };

/* What one place holds. */
typedef struct tally {
    const naf_map *naf;
    json_t *by_level; /* level code -> [establishments, jobs] */
    int64_t active, employers, restricted, no_headcount;
    double jobs;
    int64_t industry; /* sections B to E */
    double industry_jobs;
    int64_t cat[CATS];
    double cat_jobs[CATS];
    int64_t bands[ML_SIZE_BANDS]; /* establishments by band, for the largest employers */
    bool nomem;
} tally;

/* Sums a place's activity cells into t (t->naf set by the caller). */
ml_err ml_tally_place(ml_db *db, const ml_place *p, tally *t);
void ml_tally_free(tally *t);
/* Estimated jobs of the n largest establishments. */
double ml_tally_largest_jobs(const tally *t, int64_t n);

#endif
