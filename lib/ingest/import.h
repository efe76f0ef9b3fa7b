/* import.h — the machinery shared by the register importers: one transaction
 * over all files, columns found by header name, rejects file, progress,
 * statistics. An importer is a column table plus a row function. */
#ifndef ML_IMPORT_H
#define ML_IMPORT_H

#include <pthread.h>

#include "export/csv.h"
#include "ingest/csv.h"
#include "store/store.h"

#define ML_IMPORT_MAX_COLUMNS 48

typedef struct ml_column_spec {
    const char *name; /* header name as INSEE publishes it */
    bool required;
} ml_column_spec;

typedef struct ml_importer ml_importer;

/* Returns ML_OK (row written, rejected or skipped: see the stats) or a fatal
 * error that stops the import. */
typedef ml_err (*ml_import_row_fn)(ml_importer *im, const ml_csv_row *row);

/* Strings of the items of one batch (pipelined kinds): a fixed block, so
 * that pointers into it stay valid until the batch is written. */
typedef struct ml_import_arena {
    char *data;
    size_t len, cap;
} ml_import_arena;

/* A copy of `s` (of `n` bytes) in the arena; NULL for NULL. The reader makes
 * room for a whole row before converting it, so this cannot fail. */
const char *ml_import_arena_dup(ml_import_arena *a, const char *s, size_t n);

/* Pipelined kinds: the reading thread parses rows and converts them into
 * items (`convert`: *keep = false when the row was rejected or skipped);
 * the calling thread, which alone touches the database, writes them (`put`;
 * `from` says where the item was read, for rejects). */
typedef ml_err (*ml_import_convert_fn)(ml_importer *im, const ml_csv_row *row, void *item,
                                       ml_import_arena *arena, bool *keep);
typedef struct ml_import_origin {
    const char *file; /* as messages name it */
    uint64_t file_no; /* files and zip entries begun before it */
} ml_import_origin;
typedef ml_err (*ml_import_put_fn)(ml_importer *im, const ml_import_origin *from, void *item);

typedef struct ml_import_kind {
    const char *name;       /* "sirene", "unites" */
    const char *what;       /* "StockEtablissement" */
    const char *other_hint; /* header name that reveals the other kind of file */
    const char *other_msg;  /* what to say then */
    const ml_column_spec *columns;
    size_t ncolumns;
    ml_import_row_fn row; /* one thread: parse and write each row in turn */
    /* … or two threads (row is then NULL). */
    size_t item_size;
    ml_import_convert_fn convert;
    ml_import_put_fn put;
} ml_import_kind;

struct ml_importer {
    ml_db *db;
    const ml_import_kind *kind;
    const ml_import_opts *opts;
    ml_import_stats *stats;
    int64_t run;
    const char *file; /* what messages name: the path, or "path:entry" in a zip */
    const char *path; /* the file given */
    char label[4352];
    int col[ML_IMPORT_MAX_COLUMNS]; /* field index of each column, -1 if absent */
    size_t nheader;
    FILE *rejects;
    ml_csv_writer rejects_csv;
    uint64_t file_size;
    uint64_t file_rows;
    unsigned accepted;      /* files or zip entries whose header was this kind's */
    unsigned file_accepted; /* of the current file */
    unsigned file_ignored;  /* zip entries of the current file left aside */
    uint64_t lost_line;     /* first line an unbalanced quote made lose, 0 = none */
    uint64_t lost_lines;    /* lines lost so in the current file */
    uint64_t cut_line;      /* line where the current file ends cut short, 0 = none */
    double started;
    ml_err fatal;
    void *user;                  /* the importer's own state */
    ml_ctx *ctx;                 /* messages of the reading side (its own in a pipelined run) */
    void *pipe;                  /* import.c's queue between the two threads, or NULL */
    pthread_mutex_t reject_lock; /* rejects are written from both threads */
    uint64_t file_no;            /* files and zip entries begun so far */
    uint64_t first_reject_key;   /* (file_no << 40 | line) of first_reject */
};

/* The value of column `c` in `row`, or NULL when the column is absent, the
 * field empty, or masked ("[ND]"). */
const char *ml_import_field(const ml_importer *im, const ml_csv_row *row, int c);

/* Records a rejected row (rejects file + counts). Returns ML_OK. */
ml_err ml_import_reject(ml_importer *im, const ml_csv_row *row, int c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same for an item the writing side refuses: the row at `line` of the file
 * `from` names, whose column `c` holds `value`. */
ml_err ml_import_reject_item(ml_importer *im, const ml_import_origin *from, uint64_t line, int c,
                             const char *value, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Runs an import of `paths` with `kind`; `user` is handed to the row function. */
ml_err ml_import_run(ml_db *db, const ml_import_kind *kind, const char *const *paths, size_t npaths,
                     const ml_import_opts *opts, ml_import_stats *stats, void *user);

/* Same, pipelined (kind->convert and kind->put): rows are parsed and
 * converted in a second thread whose messages go to `reader_ctx` (the
 * caller's; copied to the database's context when they are the outcome). */
ml_err ml_import_run_pipelined(ml_db *db, const ml_import_kind *kind, const char *const *paths,
                               size_t npaths, const ml_import_opts *opts, ml_import_stats *stats,
                               void *user, ml_ctx *reader_ctx);

/* Checks a YYYY-MM-DD date. */
bool ml_date_valid(const char *s);

#endif
