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
    SQ_UNITE_SEEN,
    SQ_BRIEF,
    SQ_RUN_BEGIN,
    SQ_RUN_END,
    SQ_STAGE_SEEN,
    SQ_STAGE_PUT,
    SQ_STAGE_UNITE_SEEN,
    SQ_STAGE_UNITE_PUT,
    SQ_COVER_PUT,
    SQ_STMT_COUNT
} sq_stmt_id;

typedef struct sq_commune {
    char code[6], dep[4], reg[3], epci[10], parent[6];
    double lat, lon;
    bool has_pos;
    char *place; /* folded name (and parent's name for arrondissements) */
} sq_commune;

/* The columns of an establishment view (sq_etab_get, view_row). */
#define SQ_VIEW_COLUMNS                                                                               \
    "e.siret, e.siren, e.diffusion, e.state, e.created, e.size_band, e.size_year,"                 \
    " e.head_office, e.sign, e.usual_name, e.address, e.postcode, e.city, e.commune, e.naf,"       \
    " e.naf_raw, e.naf25, e.employer, e.lat, e.lon, e.geo, e.generated, n.label, c.name,"          \
    " u.siren, u.diffusion, u.state, u.name, u.acronym, u.category, u.category_year,"              \
    " u.legal_form, u.naf, u.created, u.ess, u.generated, n.a10"
#define SQ_VIEW_FROM                                                                                  \
    " FROM etab e LEFT JOIN unite u ON u.siren = e.siren LEFT JOIN naf n ON n.code = e.naf"        \
    " LEFT JOIN commune c ON c.code = e.commune"

typedef struct sq_naf {
    char code[7];
    char level[SQ_NAF_LEVELS][6];
    char *activity; /* folded, stemmed label */
} sq_naf;

typedef struct sq_state {
    int busy_ms; /* how long a write waits for another writer */
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
    int32_t *commune_by_num; /* SQ_COM_NUMS entries: index in communes + 1, 0 = none */
    sqlite3_stmt *acct_stmt[ML_ACCT_SQL_COUNT]; /* accounts (sqlite_account.c), prepared once */
    /* An update of establishments reads the file under a snapshot, without
     * the write lock, and stages what changed in temporary tables; run_end
     * takes the lock and writes only that (sqlite.c, "staged updates"). */
    bool staged;              /* reading: rows are staged, not written */
    bool staged_run;          /* this run was staged (still true once written) */
    bool maintain;            /* committed: the index to merge, its words to count */
    int64_t staged_guard;     /* the last run of establishments or units at the snapshot */
    char staged_started[24];  /* when the run began (import_run.started) */
    bool index_touched;       /* the run queued or loaded search index rows */
    bool reindex_all;         /* the first legal units: the whole index is made again */
    unsigned char *cover;     /* ncommunes flags: communes of the rows this run read */
} sq_state;


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
/* An establishment from columns 0-21 of a row in SQ_VIEW_COLUMNS' order; a
 * legal unit from columns c.. (siren, diffusion, state, name ... generated).
 * Their texts live until the row's next step. */
void sq_etab_at(sqlite3_stmt *st, ml_etab *e);
ml_unite sq_unite_at(sqlite3_stmt *st, int c);
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
ml_err sq_etab_get(ml_db *db, int64_t siret, ml_etab_view_fn fn, void *ud);
ml_err sq_unit_etabs(ml_db *db, int64_t siren, unsigned max, ml_etab_view_fn fn, void *ud);
ml_err sq_unite_get(ml_db *db, int64_t siren, ml_unite_fn fn, void *ud);
ml_err sq_unit_active(ml_db *db, int64_t siren, int64_t *n);
ml_err sq_legal_form_label(ml_db *db, const char *code, char *out, size_t size);
ml_err sq_naf_levels(ml_db *db, const char *code, ml_level_fn fn, void *ud);
ml_err sq_commune_chain(ml_db *db, const char *commune, ml_chain_fn fn, void *ud);
ml_err sq_info(ml_db *db, ml_store_info *out, ml_text_row_fn meta, void *ud);
ml_err sq_search(ml_db *db, const struct ml_plan *plan, const ml_hit_sink *sink,
                 ml_hit_totals *out);
ml_err sq_word_complete(ml_db *db, const char *prefix, unsigned max, ml_word_fn fn, void *ud);
ml_err sq_ref_scan(ml_db *db, ml_ref_table t, ml_row_fn fn, void *ud);
ml_err sq_place(ml_db *db, ml_place *p);
ml_err sq_place_size(ml_db *db, ml_place *p);
ml_err sq_place_cells(ml_db *db, const ml_place *p, ml_place_cell_fn fn, void *ud);
/* Prepares fmt, where %W stands for the place's condition on the commune
 * table (alias c), with the place's code bound as ?1 (NULL on failure). */
sqlite3_stmt *sq_place_prepare(ml_db *db, const ml_place *p, const char *fmt);
/* Territory diagnostics (sqlite_territory.c). */
ml_err sq_perimeter_put(ml_db *db, const ml_perimeter *p, const char *const *communes, size_t n);
ml_err sq_perimeter_delete(ml_db *db, const char *code);
ml_err sq_perimeter_list(ml_db *db, ml_perimeter_fn fn, void *ud);
ml_err sq_activity_cells(ml_db *db, const ml_place *p, ml_activity_cell_fn fn, void *ud);
ml_err sq_place_years(ml_db *db, const ml_place *p, ml_year_fn fn, void *ud);
ml_err sq_place_leaders(ml_db *db, const ml_place *p, const char *const *classes, size_t n,
                        unsigned per_class, ml_leader_fn fn, void *ud);
ml_err sq_place_coverage(ml_db *db, const ml_place *p, int64_t min_population, int64_t *communes,
                         int64_t *covered);
ml_err sq_run_finished(ml_db *db, int64_t run, char *out, size_t size);
ml_err sq_level_label(ml_db *db, const char *level, const char *code, char *fr, char *en,
                      size_t size);
ml_err sq_place_communes(ml_db *db, const ml_place *p, ml_commune_fn fn, void *ud);

/* For the web (sqlite_read.c). */
ml_err sq_place_children(ml_db *db, const ml_place *parent, ml_child_fn fn, void *ud);
ml_err sq_place_etabs(ml_db *db, const ml_place *p, const char *naf, bool public_only,
                      unsigned limit, ml_etab_view_fn fn, void *ud);
ml_err sq_map_rows(ml_db *db, const ml_place *p, bool public_only, ml_map_row_fn fn, void *ud);
/* Relatedness and complexity (sqlite_complexity.c). */
ml_err sq_location_cells(ml_db *db, bool by_epci, ml_location_cell_fn fn, void *ud);

/* Matching (sqlite_match.c). */
ml_err sq_snapshot_scan(ml_db *db, bool public_only, ml_snapshot_row_fn fn, void *ud);
ml_err sq_memberships(ml_db *db, ml_member_fn fn, void *ud);
ml_err sq_io_classes(ml_db *db, const ml_io_sink *sink, int *year);
ml_err sq_io_a38(ml_db *db, int *year, ml_io_cell_fn fn, void *ud);
ml_err sq_profile_put(ml_db *db, int64_t run, const ml_profile *p, ml_put_result *res);
ml_err sq_profile_words(ml_db *db, int64_t siret, bool needs, ml_buf *stems, ml_buf *raw);
ml_err sq_profile_df(ml_db *db, bool needs, const char *word, size_t n, int64_t *count);
ml_err sq_profile_candidates(ml_db *db, bool needs, const char *words, int64_t exclude,
                             unsigned max, ml_profile_text_fn fn, void *ud);
ml_err sq_verdict_put(ml_db *db, int64_t supplier, int64_t buyer, const char *verdict,
                      const char *note, const char *author);
ml_err sq_verdicts(ml_db *db, int64_t siret, ml_verdict_fn fn, void *ud);
ml_err sq_network_put(ml_db *db, const char *name, const int64_t *sirets, size_t n);
ml_err sq_network_get(ml_db *db, const char *name, char *created, size_t size, ml_siret_fn fn,
                      void *ud);
ml_err sq_network_list(ml_db *db, ml_network_fn fn, void *ud);
ml_err sq_profile_texts(ml_db *db, ml_profile_row_fn fn, void *ud);

/* History (sqlite_history.c, issue 11). */
ml_err sq_contact_put(ml_db *db, ml_contact_row *c);
ml_err sq_contact_touch(ml_db *db, int64_t id);
ml_err sq_contact_delete(ml_db *db, int64_t id);
ml_err sq_contacts(ml_db *db, const ml_hist_query *q, ml_contact_fn fn, void *ud);
ml_err sq_interaction_put(ml_db *db, ml_interaction_row *i);
ml_err sq_interactions(ml_db *db, const ml_hist_query *q, ml_interaction_fn fn, void *ud);
/* sqlite_needs.c (issue 12 part 6) */
ml_err sq_need_put(ml_db *db, ml_need_row *n);
ml_err sq_needs(ml_db *db, const char *subject, ml_need_fn fn, void *ud);
ml_err sq_followup_put(ml_db *db, ml_followup_row *f);
ml_err sq_followup_done(ml_db *db, int64_t id, bool done);
ml_err sq_followups(ml_db *db, const ml_hist_query *q, ml_followup_fn fn, void *ud);
ml_err sq_document_put(ml_db *db, const ml_document_row *d);
ml_err sq_documents(ml_db *db, const ml_hist_query *q, ml_document_fn fn, void *ud);
ml_err sq_erasure_put(ml_db *db, int64_t org, int64_t author_id, const char *author, const char *what);
ml_err sq_erasures(ml_db *db, ml_erasure_fn fn, void *ud);
ml_err sq_etab_changes(ml_db *db, int64_t siret, ml_change_fn fn, void *ud);
ml_err sq_verdict_put_by(ml_db *db, const ml_verdict_by *v);
ml_err sq_verdict_rows(ml_db *db, int64_t siret, ml_verdict_by_fn fn, void *ud);
/* The statement slots' common runner (sqlite_text.c): a statement written
 * with $N parameters prepared (persistent: kept for the connection); its
 * arguments bound, its rows given to fn as text (a write's RETURNING rows
 * read to the end), the rows changed; the statement reset. sq_text_sql
 * prepares, runs and finalizes. */
sqlite3_stmt *sq_prepare_dollar(ml_db *db, const char *sql, bool persistent);
ml_err sq_text_run(ml_db *db, sqlite3_stmt *st, const char *what, const ml_sql_arg *args,
                   size_t nargs, ml_text_row_fn fn, void *ud, int64_t *changed);
ml_err sq_text_sql(ml_db *db, const char *what, const char *sql, const ml_sql_arg *args,
                   size_t nargs, ml_text_row_fn fn, void *ud, int64_t *changed);
/* Accounts (sqlite_account.c). */
ml_err sq_account_sql(ml_db *db, ml_acct_sql id, const ml_sql_arg *args, size_t nargs,
                      ml_text_row_fn fn, void *ud, int64_t *changed);
/* Programmes (sqlite_programme.c, issue 13). */
ml_err sq_programme_sql(ml_db *db, ml_prog_sql id, const ml_sql_arg *args, size_t nargs,
                        ml_text_row_fn fn, void *ud, int64_t *changed);
/* Events (sqlite_event.c, issue 14). */
ml_err sq_event_sql(ml_db *db, ml_event_sql id, const ml_sql_arg *args, size_t nargs,
                    ml_text_row_fn fn, void *ud, int64_t *changed);

#endif
