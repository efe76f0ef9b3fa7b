/* info_sql.h — what `info` counts besides establishments, one SQL query
 * each, the same on every backend (plain SQL both engines run). */
#ifndef ML_INFO_SQL_H
#define ML_INFO_SQL_H

static const struct {
    const char *key, *sql;
} ml_info_counts[] = {
    {"regions", "SELECT count(*) FROM region"},
    {"departements", "SELECT count(*) FROM departement"},
    {"epci", "SELECT count(*) FROM epci"},
    {"communes", "SELECT count(*) FROM commune"},
    {"naf_subclasses", "SELECT count(*) FROM naf"},
    {"io_years", "SELECT count(DISTINCT year) FROM io_use"},
    {"legal_units", "SELECT count(*) FROM unite"},
    {"postcodes", "SELECT count(DISTINCT code) FROM postcode"},
    {"vocabulary_entries", "SELECT count(*) FROM vocabulary WHERE source <> 'user'"},
    {"user_vocabulary_entries", "SELECT count(*) FROM vocabulary WHERE source = 'user'"},
    {"cpv_codes", "SELECT count(*) FROM cpv"},
};

#endif
