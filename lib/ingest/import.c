/* import.c — one import run: files checked before anything is written,
 * one transaction, header mapping, every StockEtablissement (or other) CSV
 * of a zip, rows lost to a stray quote or a cut file reported, rejects,
 * progress. A run in which no file was accepted leaves no trace. */
#include <errno.h>
#include <sys/stat.h>
#include <time.h>

#include "export/csv.h"
#include "ingest/import.h"

#define PROGRESS_EVERY   8192
#define REJECT_VALUE_MAX 120

const char *ml_import_field(const ml_importer *im, const ml_csv_row *row, int c)
{
    int i = im->col[c];
    if (i < 0 || (size_t)i >= row->nfields || row->lens[i] == 0) return NULL;
    const char *v = row->fields[i];
    if (strcmp(v, "[ND]") == 0) return NULL;
    return v;
}

/* Writes one reject; the caller formatted the reason. */
static void reject_write(ml_importer *im, const char *file, uint64_t file_no, uint64_t line, int c,
                         const char *value, const char *reason)
{
    const char *column = c >= 0 ? im->kind->columns[c].name : "";
    pthread_mutex_lock(&im->reject_lock);
    im->stats->rejected++;
    /* The first in file order: the writing side refuses rows after the
     * reading side has refused later ones. */
    uint64_t key = file_no << 40 | (line & ((UINT64_C(1) << 40) - 1));
    if (im->stats->first_reject[0] == '\0' || key < im->first_reject_key) {
        im->first_reject_key = key;
        ml_snprintf(im->stats->first_reject, sizeof im->stats->first_reject, "%s:%llu: %s%s%s",
                    file, (unsigned long long)line, column, *column ? ": " : "", reason);
    }
    if (im->rejects) {
        ml_csvw_text_max(&im->rejects_csv, file, 4096);
        ml_csvw_uint(&im->rejects_csv, line);
        ml_csvw_text(&im->rejects_csv, column);
        ml_csvw_text_max(&im->rejects_csv, value ? value : "", REJECT_VALUE_MAX);
        ml_csvw_text(&im->rejects_csv, reason);
        ml_csvw_end_row(&im->rejects_csv);
    }
    pthread_mutex_unlock(&im->reject_lock);
}

ml_err ml_import_reject(ml_importer *im, const ml_csv_row *row, int c, const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    int fi = c >= 0 ? im->col[c] : -1;
    const char *value = fi >= 0 && (size_t)fi < row->nfields ? row->fields[fi] : "";
    reject_write(im, im->file, im->file_no, row->line, c, value, reason);
    return ML_OK;
}

ml_err ml_import_reject_item(ml_importer *im, const ml_import_origin *from, uint64_t line, int c,
                             const char *value, const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    reject_write(im, from->file, from->file_no, line, c, value, reason);
    return ML_OK;
}

bool ml_date_valid(const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    if (ml_parse_i64(s, 4, 1000, 2999, &y) || ml_parse_i64(s + 5, 2, 1, 12, &m) ||
        ml_parse_i64(s + 8, 2, 1, 31, &d))
        return false;
    if (d > mdays[m - 1]) return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
    return true;
}

/* Maps the header's columns. A header of another kind ends the file (1),
 * or, for an entry of a zip, sets it aside with a note (ML_CSV_NEXT_ENTRY). */
static int map_header(ml_importer *im, const ml_csv_row *row)
{
    const ml_import_kind *k = im->kind;
    ml_ctx *ctx = im->ctx;
    for (size_t c = 0; c < k->ncolumns; c++)
        im->col[c] = -1;
    bool other = false;
    for (size_t i = 0; i < row->nfields; i++) {
        for (size_t c = 0; c < k->ncolumns; c++)
            if (strcmp(row->fields[i], k->columns[c].name) == 0) im->col[c] = (int)i;
        if (k->other_hint && strcmp(row->fields[i], k->other_hint) == 0) other = true;
    }
    for (size_t c = 0; c < k->ncolumns; c++) {
        if (!k->columns[c].required || im->col[c] >= 0) continue;
        char why[512];
        if (other)
            ml_snprintf(why, sizeof why, "%s", k->other_msg);
        else
            ml_snprintf(why, sizeof why,
                        "not a %s header: column '%s' is missing (found %zu columns, first "
                        "'%.40s')",
                        k->what, k->columns[c].name, row->nfields,
                        row->nfields ? row->fields[0] : "");
        if (row->entry) {
            ml_log(ctx, ML_LOG_WARN, "%s: ignored: %s", im->file, why);
            im->file_ignored++;
            return ML_CSV_NEXT_ENTRY;
        }
        im->fatal = ml_fail(ctx, ML_FORMAT, "%s: line 1: %s", im->file, why);
        return 1;
    }
    im->nheader = row->nfields;
    im->accepted++;
    im->file_accepted++;
    return 0;
}

/* ---------------------------------------------------------------- pipeline */

#define PIPE_BATCHES   4
#define PIPE_ROWS      4096
#define PIPE_ARENA     (8u << 20)
#define PIPE_ROW_SLACK 4096 /* what a conversion may add to a row's bytes */

typedef struct pipe_batch {
    ml_import_origin from;
    char label[sizeof((ml_importer *)0)->label];
    size_t n;
    unsigned char *items;
    ml_import_arena arena;
} pipe_batch;

/* Batches go round: the reader fills batch[filled % N], the writer empties
 * batch[written % N]; at most N are full at once, so memory is bounded. */
typedef struct import_pipe {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pipe_batch batch[PIPE_BATCHES];
    uint64_t filled, written;
    bool done; /* the reader handed over its last batch */
    bool stop; /* the writer failed: the reader stops at its next batch */
} import_pipe;

const char *ml_import_arena_dup(ml_import_arena *a, const char *s, size_t n)
{
    if (!s) return NULL;
    assert(a->len + n + 1 <= a->cap);
    char *d = a->data + a->len;
    memcpy(d, s, n);
    d[n] = '\0';
    a->len += n + 1;
    return d;
}

static void pipe_free(import_pipe *p)
{
    for (int i = 0; i < PIPE_BATCHES; i++) {
        free(p->batch[i].items);
        free(p->batch[i].arena.data);
    }
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

static import_pipe *pipe_new(size_t item_size)
{
    import_pipe *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    for (int i = 0; i < PIPE_BATCHES; i++) {
        pipe_batch *b = &p->batch[i];
        b->items = malloc(PIPE_ROWS * item_size);
        b->arena.data = malloc(PIPE_ARENA);
        b->arena.cap = PIPE_ARENA;
        if (!b->items || !b->arena.data) {
            pipe_free(p);
            return NULL;
        }
    }
    return p;
}

/* The reader's batch being filled. */
static pipe_batch *pipe_current(import_pipe *p)
{
    return &p->batch[p->filled % PIPE_BATCHES];
}

/* Hands the current batch to the writer and waits for a free one. Returns
 * false when the writer has stopped. */
static bool pipe_hand_over(import_pipe *p, bool last)
{
    pthread_mutex_lock(&p->lock);
    if (pipe_current(p)->n) p->filled++;
    if (last) p->done = true;
    pthread_cond_broadcast(&p->changed);
    while (!p->stop && !last && p->filled - p->written == PIPE_BATCHES)
        pthread_cond_wait(&p->changed, &p->lock);
    bool go = !p->stop;
    pthread_mutex_unlock(&p->lock);
    if (go && !last) {
        pipe_batch *b = pipe_current(p);
        b->n = 0;
        b->arena.len = 0;
    }
    return go;
}

/* Converts a row into the current batch, handing the batch over first when
 * the row might not fit. */
static int pipe_row(ml_importer *im, const ml_csv_row *row)
{
    import_pipe *p = im->pipe;
    size_t need = PIPE_ROW_SLACK;
    for (size_t i = 0; i < row->nfields; i++)
        need += 2 * (row->lens[i] + 1);
    pipe_batch *b = pipe_current(p);
    if ((b->n == PIPE_ROWS || b->arena.len + need > b->arena.cap ||
         (b->n && strcmp(b->label, im->file) != 0)) &&
        !pipe_hand_over(p, false)) {
        im->fatal = ML_INTERRUPTED;
        return 1;
    }
    b = pipe_current(p);
    if (b->n == 0) {
        ml_snprintf(b->label, sizeof b->label, "%s", im->file);
        b->from.file = b->label;
        b->from.file_no = im->file_no;
    }
    bool keep = false;
    ml_err r = im->kind->convert(im, row, b->items + b->n * im->kind->item_size, &b->arena, &keep);
    if (r) {
        im->fatal = r;
        return 1;
    }
    if (keep) b->n++;
    return 0;
}

/* The writing side: stores every batch as it comes, until the reader is
 * done or a write fails. */
static ml_err pipe_write(ml_importer *im)
{
    import_pipe *p = im->pipe;
    ml_err r = ML_OK;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (p->filled == p->written && !p->done)
            pthread_cond_wait(&p->changed, &p->lock);
        bool more = p->filled != p->written;
        pthread_mutex_unlock(&p->lock);
        if (!more) return ML_OK;
        pipe_batch *b = &p->batch[p->written % PIPE_BATCHES];
        for (size_t i = 0; !r && i < b->n; i++)
            r = im->kind->put(im, &b->from, b->items + i * im->kind->item_size);
        pthread_mutex_lock(&p->lock);
        p->written++;
        if (r) p->stop = true;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        if (r) return r;
    }
}

/* ------------------------------------------------------------- reading side */

/* The file's name in messages: "path:entry" for an entry of a zip. */
static void set_label(ml_importer *im, const ml_csv_row *row)
{
    if (row->entry)
        ml_snprintf(im->label, sizeof im->label, "%s:%s", im->path, row->entry);
    else
        ml_snprintf(im->label, sizeof im->label, "%s", im->path);
    im->file = im->label;
    im->file_no++;
}

static int on_entry(void *ud, const char *entry, bool is_csv)
{
    ml_importer *im = ud;
    if (is_csv) return 0;
    ml_log(im->ctx, ML_LOG_WARN, "%s:%s: ignored: not a .csv file", im->path, entry);
    im->file_ignored++;
    return 1;
}

static int on_row(void *ud, const ml_csv_row *row)
{
    ml_importer *im = ud;
    if (row->index == 0) {
        set_label(im, row);
        return map_header(im, row);
    }
    im->stats->rows++;
    im->file_rows++;
    if (row->broken) {
        ml_import_reject(im, row, -1,
                         "unbalanced quote: a quoted field opened on this line ran over the "
                         "lines after it; this line is skipped and reading resumes at line %llu",
                         (unsigned long long)row->line + 1);
        if (!im->lost_line) im->lost_line = row->line;
        im->lost_lines++;
    } else if (!row->complete) {
        ml_import_reject(im, row, -1, "truncated row: the file ends inside a quoted field");
        im->cut_line = row->line;
    } else if (row->nfields != im->nheader) {
        ml_import_reject(im, row, -1, "%zu fields where the header has %zu%s", row->nfields,
                         im->nheader, row->nfields < im->nheader ? " (truncated line?)" : "");
        if (!row->terminated) im->cut_line = row->line;
    } else {
        for (size_t i = 0; i < row->nfields; i++) {
            if (!ml_utf8_valid(row->fields[i], row->lens[i])) {
                int c = -1;
                for (size_t k = 0; k < im->kind->ncolumns; k++)
                    if (im->col[k] == (int)i) c = (int)k;
                ml_import_reject(im, row, c, "invalid UTF-8 in field %zu (file not in UTF-8?)",
                                 i + 1);
                goto progress;
            }
        }
        if (im->pipe) {
            if (pipe_row(im, row)) return 1;
        } else {
            ml_err r = im->kind->row(im, row);
            if (r) {
                im->fatal = r;
                return 1;
            }
        }
    }
progress:
    if (im->stats->rows % PROGRESS_EVERY == 0 && im->opts && im->opts->progress) {
        pthread_mutex_lock(&im->reject_lock);
        uint64_t rejected = im->stats->rejected;
        pthread_mutex_unlock(&im->reject_lock);
        ml_import_progress p = {im->path,        row->bytes_in, im->file_size,
                                im->stats->rows, rejected,      ml_now() - im->started};
        if (im->opts->progress(im->opts->progress_ud, &p)) {
            im->fatal = ml_fail(im->ctx, ML_INTERRUPTED, "import cancelled; nothing changed");
            return 1;
        }
    }
    return 0;
}

/* Every file readable, none a directory: checked before the database is touched. */
static ml_err check_files(ml_ctx *ctx, const char *const *paths, size_t npaths)
{
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        FILE *f = NULL;
        if (stat(paths[i], &st) != 0 || !(f = fopen(paths[i], "rb")))
            return ml_fail(ctx, ML_IO, "%s: cannot read: %s; nothing was imported", paths[i],
                           strerror(errno));
        fclose(f);
        if (S_ISDIR(st.st_mode))
            return ml_fail(ctx, ML_IO, "%s: is a directory; nothing was imported", paths[i]);
    }
    return ML_OK;
}

/* What went wrong with a file read to its end, if anything: rows lost to an
 * unbalanced quote or a cut, or nothing of this kind in it. */
static ml_err file_verdict(ml_importer *im)
{
    ml_ctx *ctx = im->ctx;
    if (!im->file_accepted && im->file_ignored)
        return ml_fail(ctx, ML_FORMAT, "%s: no %s file in it (%u entr%s ignored, see above)",
                       im->path, im->kind->what, im->file_ignored,
                       im->file_ignored == 1 ? "y" : "ies");
    if (!im->file_accepted)
        return ml_fail(ctx, ML_FORMAT, "%s: no %s file in this archive", im->path, im->kind->what);
    if (im->lost_line)
        return ml_fail(ctx, ML_FORMAT,
                       "%s: line %llu: an unbalanced quote (\") opened a field that ran over the "
                       "next lines: %llu line%s skipped (listed in the rejects file); the rows "
                       "after %s were read and imported",
                       im->file, (unsigned long long)im->lost_line,
                       (unsigned long long)im->lost_lines, im->lost_lines == 1 ? "" : "s",
                       im->lost_lines == 1 ? "it" : "them");
    if (im->cut_line)
        return ml_fail(ctx, ML_FORMAT,
                       "%s: the file ends in the middle of line %llu: it looks truncated (that "
                       "row was rejected; the rows before it were imported)",
                       im->file, (unsigned long long)im->cut_line);
    return ML_OK;
}

/* What the reading side leaves: a fatal error (the run is rolled back), or
 * the first fault of a file whose good rows are kept. */
typedef struct read_outcome {
    const char *const *paths;
    size_t npaths;
    ml_err fatal, soft;
    char soft_msg[ML_MESSAGE_MAX];
    char fatal_msg[ML_MESSAGE_MAX];
} read_outcome;

static void read_files(ml_importer *im, read_outcome *out)
{
    /* A stray quote loses one line, not the rows after it. */
    const ml_csv_limits limits = {.recover = true};
    for (size_t i = 0; i < out->npaths; i++) {
        im->path = im->file = out->paths[i];
        im->file_size = ml_file_size(out->paths[i]);
        im->file_rows = 0;
        im->file_accepted = im->file_ignored = 0;
        im->lost_line = im->lost_lines = im->cut_line = 0;
        im->fatal = ML_OK;
        im->stats->files++;
        ml_err pr = ml_csv_parse_entries(im->ctx, out->paths[i], &limits, on_entry, on_row, im);
        if (pr == ML_INTERRUPTED) pr = im->fatal;
        if (pr == ML_INTERRUPTED || pr == ML_DB || pr == ML_NOMEM) {
            out->fatal = pr;
            ml_snprintf(out->fatal_msg, sizeof out->fatal_msg, "%s", ml_ctx_message(im->ctx));
            return;
        }
        /* Unreadable, truncated or wrong file: keep the good rows of the
         * others (and those read before the fault), report the first fault. */
        if (!pr) pr = file_verdict(im);
        if (pr && !out->soft) {
            out->soft = pr;
            ml_snprintf(out->soft_msg, sizeof out->soft_msg, "%s", ml_ctx_message(im->ctx));
        }
    }
}

typedef struct reader_args {
    ml_importer *im;
    read_outcome *out;
} reader_args;

static void *reader_main(void *arg)
{
    reader_args *a = arg;
    read_files(a->im, a->out);
    pipe_hand_over(a->im->pipe, true);
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    ml_log(a->im->ctx, ML_LOG_DEBUG, "rows read and converted in %.2f s (%.2f s CPU)",
           ml_now() - a->im->started, (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
    return NULL;
}

static ml_err run(ml_db *db, const ml_import_kind *kind, const char *const *paths, size_t npaths,
                  const ml_import_opts *opts, ml_import_stats *stats, void *user,
                  ml_ctx *reader_ctx)
{
    ml_import_stats local;
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    ml_importer im = {.db = db, .kind = kind, .opts = opts, .stats = stats, .user = user};
    assert(kind->ncolumns <= ML_IMPORT_MAX_COLUMNS);
    ml_ctx *ctx = db->ctx;
    im.ctx = reader_ctx ? reader_ctx : ctx;
    pthread_mutex_init(&im.reject_lock, NULL);
    im.started = ml_now();
    read_outcome out = {.paths = paths, .npaths = npaths};
    /* A file that cannot be read stops everything before the database is touched. */
    ml_err r = check_files(ctx, paths, npaths), soft = ML_OK;
    if (r) goto done;
    if (opts && opts->rejects_path) {
        im.rejects = fopen(opts->rejects_path, "w");
        if (!im.rejects) {
            r = ml_fail(ctx, ML_IO, "%s: cannot write rejects file: %s", opts->rejects_path,
                        strerror(errno));
            goto done;
        }
        ml_csvw_init(&im.rejects_csv, im.rejects, ML_CSVW_ONE_LINE);
        static const char *const header[] = {"file", "line", "column", "value", "reason"};
        for (size_t i = 0; i < ML_ARRAY_LEN(header); i++)
            ml_csvw_name(&im.rejects_csv, header[i]);
        ml_csvw_end_row(&im.rejects_csv);
    }
    /* The run's transaction is the backend's (run_begin): it may read first
     * and take the write lock only to write what changed. */
    r = db->be->import_mode(db, true);
    if (r) goto out;
    if ((r = db->be->run_begin(db, kind->name, &im.run))) goto rollback;
    if (reader_ctx) {
        /* Two threads: this one writes, the other reads and converts. */
        if (!(im.pipe = pipe_new(kind->item_size))) {
            r = ml_fail(ctx, ML_NOMEM, "out of memory");
            goto rollback;
        }
        pthread_t reader;
        reader_args args = {&im, &out};
        if (pthread_create(&reader, NULL, reader_main, &args) != 0) {
            r = ml_fail(ctx, ML_NOMEM, "cannot start the reading thread");
            goto rollback;
        }
        r = pipe_write(&im);
        pthread_join(reader, NULL);
        if (r) goto rollback; /* the write's message is on ctx */
    } else {
        read_files(&im, &out);
    }
    if (out.fatal) {
        r = out.fatal;
        if (reader_ctx) ml_fail(ctx, r, "%s", out.fatal_msg);
        goto rollback;
    }
    soft = out.soft;
    if (im.accepted == 0) {
        /* Nothing of this kind was read: refused, and no trace of it. */
        r = ml_fail(ctx, soft ? soft : ML_FORMAT, "%s",
                    out.soft_msg[0] ? out.soft_msg : "nothing to import");
        goto rollback;
    }
    stats->seconds = ml_now() - im.started;
    if ((r = db->be->run_end(db, im.run, stats))) goto rollback;
    if ((r = db->be->commit(db))) goto rollback;
    if (soft) r = ml_fail(ctx, soft, "%s", out.soft_msg);
    goto out;
rollback:
    db->be->rollback(db);
out:
    if (db->be->import_mode(db, false) && !r) r = ML_DB;
    stats->seconds = ml_now() - im.started;
    if (im.rejects) {
        bool bad = ml_csvw_finish(&im.rejects_csv) != 0;
        bad |= fclose(im.rejects) != 0; /* closed even when the writer failed */
        if (bad && !r) r = ml_fail(ctx, ML_IO, "%s: cannot write rejects file", opts->rejects_path);
    }
done:
    if (im.pipe) pipe_free(im.pipe);
    pthread_mutex_destroy(&im.reject_lock);
    return r;
}

ml_err ml_import_run(ml_db *db, const ml_import_kind *kind, const char *const *paths, size_t npaths,
                     const ml_import_opts *opts, ml_import_stats *stats, void *user)
{
    return run(db, kind, paths, npaths, opts, stats, user, NULL);
}

ml_err ml_import_run_pipelined(ml_db *db, const ml_import_kind *kind, const char *const *paths,
                               size_t npaths, const ml_import_opts *opts, ml_import_stats *stats,
                               void *user, ml_ctx *reader_ctx)
{
    assert(kind->convert && kind->put && kind->item_size && reader_ctx);
    return run(db, kind, paths, npaths, opts, stats, user, reader_ctx);
}
