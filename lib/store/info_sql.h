/* info_sql.h — what `info` counts, one SQL query each (ml_info_count
 * order), the same on every backend (plain SQL both engines run); and the
 * last import runs. A backend may count the establishments in one pass
 * instead (SQLite does). No rule here: the secrecy of small counts and the
 * names shown are lib/firm's. */
#ifndef ML_INFO_SQL_H
#define ML_INFO_SQL_H

#include "store/store.h"

static const char *const ml_info_sql[ML_INFO_COUNTS] = {
    [ML_INFO_REGIONS] = "SELECT count(*) FROM region",
    [ML_INFO_DEPARTEMENTS] = "SELECT count(*) FROM departement",
    [ML_INFO_EPCI] = "SELECT count(*) FROM epci",
    [ML_INFO_COMMUNES] = "SELECT count(*) FROM commune",
    [ML_INFO_NAF] = "SELECT count(*) FROM naf",
    [ML_INFO_IO_YEARS] = "SELECT count(DISTINCT year) FROM io_use",
    [ML_INFO_UNITS] = "SELECT count(*) FROM unite",
    [ML_INFO_POSTCODES] = "SELECT count(DISTINCT code) FROM postcode",
    [ML_INFO_VOCABULARY] = "SELECT count(*) FROM vocabulary WHERE source <> 'user'",
    [ML_INFO_USER_VOCABULARY] = "SELECT count(*) FROM vocabulary WHERE source = 'user'",
    [ML_INFO_ETABS] = "SELECT count(*) FROM etab",
    [ML_INFO_ETABS_ACTIVE] = "SELECT count(*) FROM etab WHERE state = 'A'",
    [ML_INFO_ETABS_RESTRICTED] = "SELECT count(*) FROM etab WHERE diffusion <> 'O'",
    [ML_INFO_ETABS_GENERATED] = "SELECT count(*) FROM etab WHERE generated <> 0",
    [ML_INFO_ETABS_APPROXIMATE] = "SELECT count(*) FROM etab WHERE geo = 3",
};

/* The last runs, newest first: id, kind, started, finished, rows,
 * imported, rejected. */
static const char ml_info_runs_sql[] =
    "SELECT id, kind, started, finished, rows, imported, rejected FROM import_run"
    " ORDER BY id DESC LIMIT 5";
static const char ml_info_meta_sql[] = "SELECT key, value FROM meta ORDER BY key";

/* A run from its row's columns as text (NULL for SQL NULL). */
static inline void ml_info_run_from(ml_info_run *r, const char *const *cols, size_t n)
{
    int64_t *nums[] = {&r->id, &r->rows, &r->imported, &r->rejected};
    const size_t num_col[] = {0, 4, 5, 6};
    for (size_t k = 0; k < 4; k++)
        *nums[k] = num_col[k] < n && cols[num_col[k]] ? strtoll(cols[num_col[k]], NULL, 10) : -1;
    char *texts[] = {r->kind, r->started, r->finished};
    const size_t sizes[] = {sizeof r->kind, sizeof r->started, sizeof r->finished};
    for (size_t k = 0; k < 3; k++)
        snprintf(texts[k], sizes[k], "%s", k + 1 < n && cols[k + 1] ? cols[k + 1] : "");
}

#endif
