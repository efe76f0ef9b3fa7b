/* pg_impl.h — state and helpers shared by the PostgreSQL backend's files. */
#ifndef ML_PG_IMPL_H
#define ML_PG_IMPL_H

#include <libpq-fe.h>

#include "search/text.h"
#include "store/store.h"

/* What a COPY writes into: a reference table (its ml_ref_table), or the
 * establishments or legal units of an import run. Each has a temporary
 * staging table, dropped at the end of the transaction. */
enum { PG_STAGE_ETAB = ML_REF_COUNT, PG_STAGE_UNITE, PG_STAGE_COUNT };
/* A COPY straight into a table that has no staging table (the search rows). */
enum { PG_COPY_DIRECT = PG_STAGE_COUNT };

/* A set of identifiers (SIRET, SIREN) with two flags each: already in the
 * published table, and seen in this run. Open addressing (linear probing),
 * 8 bytes a slot, at most 3/4 full. */
typedef struct pg_idset {
    uint64_t *slot; /* id << 2 | flags, 0 = empty */
    size_t cap, n;
} pg_idset;
enum { PG_ID_EXISTS = 1, PG_ID_SEEN = 2 };

typedef struct pg_commune {
    char code[6], dep[4];
    double lat, lon;
    bool has_pos;
} pg_commune;

typedef struct pg_state {
    PGconn *conn;
    char where[320]; /* "PostgreSQL database NAME on HOST": messages never show a password */
    bool readonly;
    ml_text *text;
    int copying;                 /* the target of the COPY in progress, -1 = none */
    ml_buf line;                 /* COPY rows waiting to be sent */
    bool staged[PG_STAGE_COUNT]; /* staging table created in this transaction */
    bool direct[PG_STAGE_COUNT]; /* copied straight into its table, empty when the run began */
    bool analyze[PG_STAGE_COUNT]; /* written by the committed import: statistics to refresh */
    char run_kind[16];
    pg_idset etab_ids, unite_ids;
    bool cache_loaded, ref_dirty;
    pg_commune *communes;
    size_t ncommunes;
    char (*nafs)[8];
    size_t nnaf;
    int64_t next_ix; /* the dense number of the next new establishment (search order) */
    int64_t run;     /* the import run in progress */
} pg_state;

/* The error of the last command, or of the connection, as an ML_DB failure. */
ml_err pg_fail(ml_db *db, const char *what);
/* Runs SQL without rows (several statements allowed), after ending any COPY. */
ml_err pg_exec(ml_db *db, const char *what, const char *sql);
/* Runs a query with text parameters; *out is the result (PQclear it) when
 * it succeeded with rows or a command status. */
ml_err pg_query(ml_db *db, const char *what, const char *sql, int n, const char *const *params,
                PGresult **out);
/* Calls fn for each row of a query, one row at a time (bounded memory);
 * fn returns non-zero to stop, which pg_each reports as ML_INTERRUPTED
 * without a message. */
typedef int (*pg_row_fn)(void *ud, PGresult *res);
ml_err pg_each(ml_db *db, const char *what, const char *sql, int n, const char *const *params,
               pg_row_fn fn, void *ud);
/* Column helpers: NULL for SQL NULL; 0 for NULL numbers. */
const char *pg_text(PGresult *res, int col);
int64_t pg_i64(PGresult *res, int col);
double pg_f64(PGresult *res, int col);
/* Ends a COPY in progress (its rows stay in the staging table). */
ml_err pg_copy_end(ml_db *db);
/* COPY rows in text format (pg.c): a field (NULL or "" is \N), numbers,
 * each ending with a tab or, for the last, a newline; non-zero past the
 * buffer's cap. pg_copy_direct starts a COPY of `columns` into `table`;
 * pg_copy_row_done sends the buffered rows when there are enough. */
int pg_copy_field(ml_buf *b, const char *v, bool last);
int pg_copy_i64(ml_buf *b, int64_t v, bool present, bool last);
ml_err pg_copy_direct(ml_db *db, const char *table, const char *columns);
ml_err pg_copy_row_done(ml_db *db, int bad);
/* The first column of the first row as an integer; -1 when there is none. */
ml_err pg_scalar(ml_db *db, const char *what, const char *sql, int n, const char *const *params,
                 int64_t *out);

/* Search (pg_search.c): the search rows of the establishments an import
 * run wrote (or of the establishments of the legal units it wrote), or of
 * every establishment (run 0), and the words a word being typed completes
 * to; filled again when a migration or a new folding asks (meta). */
ml_err pg_search_refresh(ml_db *db, int64_t run, bool units);
ml_err pg_search_check(ml_db *db);
ml_err pg_search(ml_db *db, const struct ml_plan *plan, const ml_hit_sink *sink,
                 ml_hit_totals *out);
ml_err pg_word_complete(ml_db *db, const char *prefix, unsigned max, ml_word_fn fn, void *ud);

/* Profiles (pg_profile.c). */
ml_err pg_profile_put(ml_db *db, int64_t run, const ml_profile *p, ml_put_result *res);
ml_err pg_profile_words(ml_db *db, int64_t siret, bool needs, ml_buf *stems, ml_buf *raw);
ml_err pg_profile_df(ml_db *db, bool needs, const char *word, size_t n, int64_t *count);
ml_err pg_profile_candidates(ml_db *db, bool needs, const char *words, int64_t exclude,
                             unsigned max, ml_profile_text_fn fn, void *ud);
ml_err pg_profile_texts(ml_db *db, ml_profile_row_fn fn, void *ud);

/* Matching and what people add (pg_match.c). */
ml_err pg_snapshot_scan(ml_db *db, bool public_only, ml_snapshot_row_fn fn, void *ud);
ml_err pg_memberships(ml_db *db, ml_member_fn fn, void *ud);
ml_err pg_io_classes(ml_db *db, const ml_io_sink *sink, int *year);
ml_err pg_verdict_put(ml_db *db, int64_t supplier, int64_t buyer, const char *verdict,
                      const char *note, const char *author);
ml_err pg_network_put(ml_db *db, const char *name, const int64_t *sirets, size_t n);

/* Relatedness and complexity (pg_complexity.c). */
ml_err pg_location_cells(ml_db *db, bool by_epci, ml_location_cell_fn fn, void *ud);

/* The typed reads (pg_read.c). */
ml_err pg_place(ml_db *db, ml_place *p);
ml_err pg_place_size(ml_db *db, ml_place *p);
ml_err pg_place_cells(ml_db *db, const ml_place *p, ml_place_cell_fn fn, void *ud);
/* A place's condition on the commune table (alias c), its code as $1. */
const char *pg_place_where(const ml_place *p);
/* Territory diagnostics (pg_territory.c). */
ml_err pg_perimeter_put(ml_db *db, const ml_perimeter *p, const char *const *communes, size_t n);
ml_err pg_perimeter_delete(ml_db *db, const char *code);
ml_err pg_perimeter_list(ml_db *db, ml_perimeter_fn fn, void *ud);
ml_err pg_activity_cells(ml_db *db, const ml_place *p, ml_activity_cell_fn fn, void *ud);
ml_err pg_place_years(ml_db *db, const ml_place *p, ml_year_fn fn, void *ud);
ml_err pg_place_leaders(ml_db *db, const ml_place *p, const char *const *classes, size_t n,
                        unsigned per_class, ml_leader_fn fn, void *ud);
ml_err pg_place_coverage(ml_db *db, const ml_place *p, int64_t min_population, int64_t *communes,
                         int64_t *covered);
ml_err pg_run_finished(ml_db *db, int64_t run, char *out, size_t size);
ml_err pg_level_label(ml_db *db, const char *level, const char *code, char *fr, char *en,
                      size_t size);
ml_err pg_place_children(ml_db *db, const ml_place *parent, ml_child_fn fn, void *ud);
ml_err pg_place_communes(ml_db *db, const ml_place *p, ml_commune_fn fn, void *ud);
ml_err pg_etab_get(ml_db *db, int64_t siret, ml_etab_view_fn fn, void *ud);
ml_err pg_unit_etabs(ml_db *db, int64_t siren, unsigned max, ml_etab_view_fn fn, void *ud);
ml_err pg_unite_get(ml_db *db, int64_t siren, ml_unite_fn fn, void *ud);
ml_err pg_unit_active(ml_db *db, int64_t siren, int64_t *n);
ml_err pg_legal_form_label(ml_db *db, const char *code, char *out, size_t size);
ml_err pg_naf_levels(ml_db *db, const char *code, ml_level_fn fn, void *ud);
ml_err pg_commune_chain(ml_db *db, const char *commune, ml_chain_fn fn, void *ud);
ml_err pg_place_etabs(ml_db *db, const ml_place *p, const char *naf, bool public_only,
                      unsigned limit, ml_etab_view_fn fn, void *ud);
ml_err pg_map_rows(ml_db *db, const ml_place *p, bool public_only, ml_map_row_fn fn, void *ud);
ml_err pg_verdicts(ml_db *db, int64_t siret, ml_verdict_fn fn, void *ud);
ml_err pg_network_get(ml_db *db, const char *name, char *created, size_t size, ml_siret_fn fn,
                      void *ud);
ml_err pg_network_list(ml_db *db, ml_network_fn fn, void *ud);
ml_err pg_io_a38(ml_db *db, int *year, ml_io_cell_fn fn, void *ud);

/* History (pg_history.c, issue 11). */
ml_err pg_contact_put(ml_db *db, ml_contact_row *c);
ml_err pg_contact_touch(ml_db *db, int64_t id);
ml_err pg_contact_delete(ml_db *db, int64_t id);
ml_err pg_contacts(ml_db *db, const ml_hist_query *q, ml_contact_fn fn, void *ud);
ml_err pg_interaction_put(ml_db *db, ml_interaction_row *i);
ml_err pg_interactions(ml_db *db, const ml_hist_query *q, ml_interaction_fn fn, void *ud);
/* pg_needs.c (issue 12 part 6) */
ml_err pg_need_put(ml_db *db, ml_need_row *n);
ml_err pg_needs(ml_db *db, const char *subject, ml_need_fn fn, void *ud);
ml_err pg_followup_put(ml_db *db, ml_followup_row *f);
ml_err pg_followup_done(ml_db *db, int64_t id, bool done);
ml_err pg_followups(ml_db *db, const ml_hist_query *q, ml_followup_fn fn, void *ud);
ml_err pg_document_put(ml_db *db, const ml_document_row *d);
ml_err pg_documents(ml_db *db, const ml_hist_query *q, ml_document_fn fn, void *ud);
ml_err pg_erasure_put(ml_db *db, int64_t org, int64_t author_id, const char *author, const char *what);
ml_err pg_erasures(ml_db *db, ml_erasure_fn fn, void *ud);
ml_err pg_etab_changes(ml_db *db, int64_t siret, ml_change_fn fn, void *ud);
ml_err pg_verdict_put_by(ml_db *db, const ml_verdict_by *v);
ml_err pg_verdict_rows(ml_db *db, int64_t siret, ml_verdict_by_fn fn, void *ud);
/* The statement slots' common runner (accounts, programmes, events, info):
 * `sql` with its typed arguments as text parameters, the whole result read,
 * each row given to fn as text (NULL for SQL NULL; fn may call the store),
 * the rows changed. */
ml_err pg_text_sql(ml_db *db, const char *what, const char *sql, const ml_sql_arg *args,
                   size_t nargs, ml_text_row_fn fn, void *ud, int64_t *changed);
/* Accounts (pg_account.c). */
ml_err pg_account_sql(ml_db *db, ml_acct_sql id, const ml_sql_arg *args, size_t nargs,
                      ml_text_row_fn fn, void *ud, int64_t *changed);
/* Programmes (pg_programme.c, issue 13). */
ml_err pg_programme_sql(ml_db *db, ml_prog_sql id, const ml_sql_arg *args, size_t nargs,
                        ml_text_row_fn fn, void *ud, int64_t *changed);
/* Events (pg_event.c, issue 14). */
ml_err pg_event_sql(ml_db *db, ml_event_sql id, const ml_sql_arg *args, size_t nargs,
                    ml_text_row_fn fn, void *ud, int64_t *changed);

#endif
