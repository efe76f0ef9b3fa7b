/* size_band.h — SIRENE's headcount bands (trancheEffectifs), the one table
 * every part of maillage reads: codes in increasing order, labels in English
 * and French, and the midpoint headcount used to estimate jobs and compare
 * sizes (docs/methods.md). "NN" (unknown, non-employer) is not a band: its
 * rank is 0. */
#ifndef ML_SIZE_BAND_H
#define ML_SIZE_BAND_H

#include <stdbool.h>

typedef struct ml_size_band {
    const char *code;     /* "00" ... "53" */
    const char *en, *fr;  /* "20-49 employees", "20 à 49 salariés" */
    double midpoint;      /* headcount in the middle of the band */
} ml_size_band;

/* The 15 bands, from "00" (0 employees) to "53" (10,000 or more). */
#define ML_SIZE_BANDS 15
extern const ml_size_band ml_size_bands[ML_SIZE_BANDS];
/* What "NN" or an absent band says. */
extern const ml_size_band ml_size_unknown;

/* 1 + the band's index ("00" is 1, "53" is 15); 0 for NULL, "NN" or an
 * unknown code. */
int ml_size_rank(const char *code);
/* The band of a code; &ml_size_unknown for NULL and "NN"; NULL for a code
 * that is no band. */
const ml_size_band *ml_size_band_of(const char *code);
/* A code SIRENE may publish: a band or "NN". */
bool ml_size_code_valid(const char *code);

#endif
