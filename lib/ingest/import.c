/* import.c — one import run: transaction, header mapping, rejects, progress. */
#include <errno.h>

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

ml_err ml_import_reject(ml_importer *im, const ml_csv_row *row, int c, const char *fmt, ...)
{
    char reason[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    const char *column = c >= 0 ? im->kind->columns[c].name : "";
    int fi = c >= 0 ? im->col[c] : -1;
    const char *value = fi >= 0 && (size_t)fi < row->nfields ? row->fields[fi] : "";
    im->stats->rejected++;
    if (im->stats->first_reject[0] == '\0')
        ml_snprintf(im->stats->first_reject, sizeof im->stats->first_reject, "%s:%llu: %s%s%s",
                    im->file, (unsigned long long)row->line, column, *column ? ": " : "", reason);
    if (im->rejects) {
        ml_csvw_text_max(&im->rejects_csv, im->file, 4096);
        ml_csvw_uint(&im->rejects_csv, row->line);
        ml_csvw_text(&im->rejects_csv, column);
        ml_csvw_text_max(&im->rejects_csv, value, REJECT_VALUE_MAX);
        ml_csvw_text(&im->rejects_csv, reason);
        ml_csvw_end_row(&im->rejects_csv);
    }
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

static int map_header(ml_importer *im, const ml_csv_row *row)
{
    const ml_import_kind *k = im->kind;
    ml_ctx *ctx = im->db->ctx;
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
        if (other)
            im->fatal = ml_fail(ctx, ML_FORMAT, "%s: line 1: %s", im->file, k->other_msg);
        else
            im->fatal = ml_fail(ctx, ML_FORMAT,
                                "%s: line 1: not a %s header: column '%s' is missing "
                                "(found %zu columns, first '%.40s')",
                                im->file, k->what, k->columns[c].name, row->nfields,
                                row->nfields ? row->fields[0] : "");
        return 1;
    }
    im->nheader = row->nfields;
    return 0;
}

static int on_row(void *ud, const ml_csv_row *row)
{
    ml_importer *im = ud;
    if (row->index == 0) return map_header(im, row);
    im->stats->rows++;
    im->file_rows++;
    if (!row->complete) {
        ml_import_reject(im, row, -1, "truncated row: the file ends inside a quoted field");
    } else if (row->nfields != im->nheader) {
        ml_import_reject(im, row, -1, "%zu fields where the header has %zu%s", row->nfields,
                         im->nheader, row->nfields < im->nheader ? " (truncated line?)" : "");
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
        ml_err r = im->kind->row(im, row);
        if (r) {
            im->fatal = r;
            return 1;
        }
    }
progress:
    if (im->stats->rows % PROGRESS_EVERY == 0 && im->opts && im->opts->progress) {
        ml_import_progress p = {im->file,        row->bytes_in,       im->file_size,
                                im->stats->rows, im->stats->rejected, ml_now() - im->started};
        if (im->opts->progress(im->opts->progress_ud, &p)) {
            im->fatal = ml_fail(im->db->ctx, ML_INTERRUPTED, "import cancelled; nothing changed");
            return 1;
        }
    }
    return 0;
}

ml_err ml_import_run(ml_db *db, const ml_import_kind *kind, const char *const *paths, size_t npaths,
                     const ml_import_opts *opts, ml_import_stats *stats, void *user)
{
    ml_import_stats local;
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    ml_importer im = {.db = db, .kind = kind, .opts = opts, .stats = stats, .user = user};
    assert(kind->ncolumns <= ML_IMPORT_MAX_COLUMNS);
    ml_ctx *ctx = db->ctx;
    im.started = ml_now();
    /* A file that cannot be read stops everything before the database is touched. */
    for (size_t i = 0; i < npaths; i++) {
        FILE *f = fopen(paths[i], "rb");
        if (!f) return ml_fail(ctx, ML_IO, "%s: cannot read: %s", paths[i], strerror(errno));
        fclose(f);
    }
    if (opts && opts->rejects_path) {
        im.rejects = fopen(opts->rejects_path, "w");
        if (!im.rejects)
            return ml_fail(ctx, ML_IO, "%s: cannot write rejects file: %s", opts->rejects_path,
                           strerror(errno));
        ml_csvw_init(&im.rejects_csv, im.rejects, ML_CSVW_ONE_LINE);
        static const char *const header[] = {"file", "line", "column", "value", "reason"};
        for (size_t i = 0; i < ML_ARRAY_LEN(header); i++)
            ml_csvw_name(&im.rejects_csv, header[i]);
        ml_csvw_end_row(&im.rejects_csv);
    }
    ml_err r = db->be->import_mode(db, true), soft = ML_OK;
    char soft_msg[ML_MESSAGE_MAX] = "";
    if (r || (r = db->be->begin(db))) goto out;
    if ((r = db->be->run_begin(db, kind->name, &im.run))) goto rollback;
    for (size_t i = 0; i < npaths; i++) {
        im.file = paths[i];
        im.file_size = ml_file_size(paths[i]);
        im.file_rows = 0;
        im.fatal = ML_OK;
        stats->files++;
        ml_err pr = ml_csv_parse_file(ctx, paths[i], NULL, on_row, &im);
        if (pr == ML_INTERRUPTED) pr = im.fatal;
        if (pr == ML_INTERRUPTED || pr == ML_DB || pr == ML_NOMEM) {
            r = pr;
            goto rollback;
        }
        if (pr) {
            /* Unreadable, truncated or wrong file: keep the good rows of the
             * others (and those read before the fault), report this one. */
            soft = pr;
            ml_snprintf(soft_msg, sizeof soft_msg, "%s", ml_ctx_message(ctx));
        }
    }
    stats->seconds = ml_now() - im.started;
    if ((r = db->be->run_end(db, im.run, stats))) goto rollback;
    if ((r = db->be->commit(db))) goto rollback;
    if (soft) r = ml_fail(ctx, soft, "%s", soft_msg);
    goto out;
rollback:
    db->be->rollback(db);
out:
    if (db->be->import_mode(db, false) && !r) r = ML_DB;
    stats->seconds = ml_now() - im.started;
    if (im.rejects && (ml_csvw_finish(&im.rejects_csv) != 0 || fclose(im.rejects) != 0) && !r)
        r = ml_fail(ctx, ML_IO, "%s: cannot write rejects file", opts->rejects_path);
    return r;
}
