/* territory.h — territories above the storage: what a code names, and a
 * territory's summary with the secrecy rules of docs/privacy.md applied
 * (lib/privacy). The backend returns places and raw counts (store.h). */
#ifndef ML_TERRITORY_H
#define ML_TERRITORY_H

#include "store/store.h"

/* Resolves a territory code into a place the database knows: "FR", a commune
 * (13055), an EPCI (200054807) or a département (13, 2A, 971) code, or
 * com:, epci:, dep:, reg: and a code. ML_INVALID for a code of no known
 * shape, ML_NOTFOUND for one the database lacks (messages say which). */
ml_err ml_place_resolve(ml_db *db, const char *code, ml_place *p);
/* A place's activity cells (the backend's activity_cells), kept per data
 * stamp for the last few places: a base serves every level and territory. */
ml_err ml_territory_cells(ml_db *db, const ml_place *p, ml_activity_cell_fn fn, void *ud);
/* {kind, code, name} of a place (NULL on out of memory). */
json_t *ml_place_json(const ml_place *p);

/* Labels of a breakdown's cells (ml_label_fn of lib/privacy): a NAF
 * aggregate's ("A10", "A21", "A38": label_fr, label_en, label = English), a
 * place's name (commune, département...: label), a size band's (no ud). */
typedef struct ml_labeller {
    ml_db *db;
    const char *level;    /* NAF level, for ml_label_level */
    ml_place_level place; /* for ml_label_place */
} ml_labeller;
void ml_label_level(void *ud, const char *code, json_t *cell);
void ml_label_place(void *ud, const char *code, json_t *cell);
void ml_label_size(void *ud, const char *code, json_t *cell);

#endif
