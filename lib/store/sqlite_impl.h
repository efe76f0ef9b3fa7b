/* sqlite_impl.h — state and helpers shared by the SQLite backend's files. */
#ifndef ML_SQLITE_IMPL_H
#define ML_SQLITE_IMPL_H

#include <sqlite3.h>

#include "search/text.h"
#include "store/store.h"

/* The search index's rowid orders results and carries what facets and
 * filters read: 63 - key (open, size rank, head office; 6 bits) | ix (a dense
 * number of the establishment; 30 bits) | commune (its code as a number,
 * 2A → 20xxx, 2B → 00xxx; 17 bits) | NAF sub-class (index + 1; 10 bits). */
#define SQ_KEY_SHIFT   57
#define SQ_IX_SHIFT    27
#define SQ_IX_MAX      ((INT64_C(1) << 30) - 1)
#define SQ_COM_SHIFT   10
#define SQ_COM_MASK    ((INT64_C(1) << 17) - 1)
#define SQ_NAF_MASK    ((INT64_C(1) << 10) - 1)
#define SQ_COM_NUMS    100000
#define SQ_STATS_MIN   2000 /* words of this many names get counts by sub-class */
#define SQ_NAF_LEVELS  8    /* a615 a272 a129 a88 a64 a38 a21 a10 */
#define SQ_SPILL_FILES 64   /* rank keys: 1 << (64 - SQ_KEY_SHIFT - 1) */
enum { SQ_A615, SQ_A272, SQ_A129, SQ_A88, SQ_A64, SQ_A38, SQ_A21, SQ_A10 };

typedef enum sq_stmt_id {
    SQ_META_PUT,
    SQ_ETAB_OLD,
    SQ_ETAB_SEEN,
    SQ_CHANGE_PUT,
    SQ_ETAB_INSERT,
    SQ_ETAB_REPLACE,
    SQ_FTS_GONE_ETAB,
    SQ_FTS_TODO_ETAB,
    SQ_FTS_GONE_UNITE,
    SQ_FTS_TODO_UNITE,
    SQ_UNITE_OLD,
    SQ_UNITE_PUT,
    SQ_BRIEF,
    SQ_RUN_BEGIN,
    SQ_RUN_END,
    SQ_STMT_COUNT
} sq_stmt_id;

typedef struct sq_commune {
    char code[6], dep[4], reg[3], epci[10], parent[6];
    double lat, lon;
    bool has_pos;
    char *place; /* folded name (and parent's name for arrondissements) */
} sq_commune;

typedef struct sq_naf {
    char code[7];
    char level[SQ_NAF_LEVELS][6];
    char *activity; /* folded, stemmed label */
} sq_naf;

typedef struct sq_state {
    sqlite3 *sql;
    int64_t next_ix;              /* the dense number of the next new establishment */
    char run_kind[16];            /* kind of the import run in progress */
    sqlite3_stmt *siret_of_rowid; /* search: the SIRET of an index row */
    bool readonly;
    sqlite3_stmt *stmt[SQ_STMT_COUNT];
    sqlite3_stmt *ref_stmt[ML_REF_COUNT];
    ml_text *text;
    ml_buf scratch;
    bool cache_loaded;
    bool ref_dirty;     /* reference tables written in the open transaction */
    double run_started; /* ml_now() at run_begin */
    char run_date[16];  /* the run's day (YYYY-MM-DD): the date of its changes */
    bool bulk;          /* this run loads establishments into an empty table */
    /* A bulk load writes its search index rows to one file per rank key
     * (the rowid's top bits), each in import order: read in key order they
     * come out sorted, with no sort of the whole index (sqlite.c). */
    FILE *spill[SQ_SPILL_FILES];
    ml_buf spill_name;           /* the folded name of the row being spilled */
    ml_buf unit_words;           /* the folded name and acronym of unit_siren */
    int64_t unit_siren;          /* -1: none read yet */
    sqlite3_stmt *unit_of_siren; /* bulk: a unit's name and acronym, if units are loaded */
    bool journal_switched;       /* import_mode(on) left WAL: import_mode(off) goes back */
    int64_t data_version;        /* PRAGMA data_version when `stamp` was computed */
    uint64_t stamp;              /* ml_db_data_stamp's last answer, 0 = none yet */
    sq_commune *communes;
    size_t ncommunes;
    sq_naf *nafs;
    size_t nnaf;
    /* The last territory summaries (a summary of 500,000 establishments takes
     * a second; the page and its two exports ask for it in turn), valid while
     * the data stamp is unchanged. */
    struct {
        char code[24];
        uint64_t stamp;
        json_t *summary;
    } summaries[8];
    unsigned next_summary;
    int32_t *commune_by_num; /* SQ_COM_NUMS entries: index in communes + 1, 0 = none */
} sq_state;

extern const char *const sq_size_bands[15];

ml_err sq_fail(ml_db *db, const char *what);
ml_err sq_exec(ml_db *db, const char *sql);
/* A meta value into out ("" when absent). */
ml_err sq_meta_get(ml_db *db, const char *key, char *out, size_t size);
/* The first column of the first row of `sql` as an integer, -1 on failure. */
int64_t sq_scalar(ml_db *db, const char *sql);
sqlite3_stmt *sq_prepare(ml_db *db, const char *sql);
sqlite3_stmt *sq_stmt(ml_db *db, sq_stmt_id id);
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
const char *sq_col_text(sqlite3_stmt *st, int i);
ml_err sq_cache_load(ml_db *db);
ml_err sq_data_stamp(ml_db *db, uint64_t *out);
const sq_commune *sq_commune_find(sq_state *s, const char *code);
const sq_naf *sq_naf_find(sq_state *s, const char *code);
int sq_size_rank(const char *band);
/* The number of a commune code in the rowid (0 = none). */
int sq_commune_num(const char *code);
int64_t sq_fts_rowid(int64_t ix, char state, const char *size_band, bool head_office, int commune,
                     int naf);
/* The rowid past the last open establishment of at least this size rank
 * (INT64_MAX: no such bound). */
int64_t sq_fts_end_rowid(bool active, int size_rank);
/* The size rank (0 = unknown) a rowid carries. */
int sq_fts_size_rank(int64_t rowid);
int sq_tag(ml_buf *b, const char *prefix, const char *code);

/* Fills the search index again (after a migration changed its layout). */
ml_err sq_search_rebuild(ml_db *db);

/* Reads (sqlite_read.c). */
ml_err sq_brief(ml_db *db, int64_t siret, json_t **out);
ml_err sq_info(ml_db *db, json_t **out);
ml_err sq_search(ml_db *db, const struct ml_plan *plan, json_t **out);
ml_err sq_word_complete(ml_db *db, const char *prefix, unsigned max, ml_word_fn fn, void *ud);
ml_err sq_ref_scan(ml_db *db, ml_ref_table t, ml_row_fn fn, void *ud);
ml_err sq_show(ml_db *db, int64_t siret, json_t **out);
ml_err sq_territory(ml_db *db, const char *code, json_t **out);
ml_err sq_territory_communes(ml_db *db, const char *code, json_t **out);
ml_err sq_naf_table(ml_db *db, json_t **out);
ml_err sq_naf_sample(ml_db *db, json_t **out);

/* For the web (sqlite_read.c). */
ml_err sq_company(ml_db *db, int64_t siren, json_t **out);
ml_err sq_territory_children(ml_db *db, const char *parent, json_t **out);
ml_err sq_map_points(ml_db *db, const char *code, const char *naf, unsigned limit, json_t **out);
ml_err sq_map_rows(ml_db *db, const char *code, json_t **info, ml_map_row_fn fn, void *ud);
ml_err sq_map_names(ml_db *db, const int64_t *sirets, size_t n, ml_map_name_fn fn, void *ud);

/* Matching (sqlite_match.c). */
ml_err sq_snapshot_scan(ml_db *db, ml_snapshot_row_fn fn, void *ud);
ml_err sq_memberships(ml_db *db, ml_member_fn fn, void *ud);
ml_err sq_io_classes(ml_db *db, const ml_io_sink *sink, int *year);
ml_err sq_io_table(ml_db *db, json_t **out);
ml_err sq_profile_put(ml_db *db, int64_t run, const ml_profile *p, ml_put_result *res);
ml_err sq_profile_matches(ml_db *db, int64_t self, bool customers, json_t **out);
ml_err sq_verdict_put(ml_db *db, int64_t supplier, int64_t buyer, const char *verdict,
                      const char *note, const char *author);
ml_err sq_verdicts(ml_db *db, int64_t siret, json_t **out);
ml_err sq_network_put(ml_db *db, const char *name, const int64_t *sirets, size_t n);
ml_err sq_network_get(ml_db *db, const char *name, json_t **out);
ml_err sq_network_list(ml_db *db, json_t **out);
ml_err sq_profile_texts(ml_db *db, json_t **out);

#endif
