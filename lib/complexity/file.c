/* file.c — `maillage complexity` on any CSV: reads location × activity ×
 * value (and time) through the one CSV reader, computes one table per time
 * value, writes every cell of each rectangular table through the one CSV
 * writer. */
#include <math.h>

#include "complexity/complexity.h"
#include "export/csv.h"
#include "ingest/csv.h"

enum { COL_LOCATION, COL_ACTIVITY, COL_VALUE, COL_TIME, COL_COUNT };

typedef struct reader {
    ml_ctx *ctx;
    const char *path;
    const char *names[COL_COUNT]; /* the columns asked for (time may be NULL) */
    size_t index[COL_COUNT];      /* their positions in the header */
    size_t nheader;
    ml_names times;         /* distinct time values ("" without --time) */
    ml_complexity **tables; /* one per time value */
    size_t ntables, alloc;
    uint64_t rows;
    ml_err err;
} reader;

/* The table of a time value, new when first seen. */
static ml_complexity *table_of(reader *R, const char *time)
{
    int64_t t = 0;
    /* ml_names gives the next index to a new name: grow the tables first. */
    if (R->ntables == R->alloc) {
        size_t alloc = R->alloc ? R->alloc * 2 : 8;
        ml_complexity **tables = realloc(R->tables, alloc * sizeof *tables);
        if (!tables) return NULL;
        R->tables = tables;
        R->alloc = alloc;
    }
    uint32_t before = R->times.n;
    t = ml_names_index(&R->times, time, 100000);
    if (t == -2) R->err = ml_fail(R->ctx, ML_LIMIT, "%s: more than 100,000 time values", R->path);
    if (t < 0) return NULL;
    if (R->times.n > before) {
        if (ml_complexity_new(R->ctx, &R->tables[R->ntables])) return NULL;
        R->ntables++;
    }
    return R->tables[t];
}

/* Stops the reading with a message naming the file and line. */
static int row_fail(reader *R, ml_err err, const ml_csv_row *row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int row_fail(reader *R, ml_err err, const ml_csv_row *row, const char *fmt, ...)
{
    char what[ML_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    R->err = ml_fail(R->ctx, err, "%s:%llu: %s", R->path, (unsigned long long)row->line, what);
    return 1;
}

/* A field as text safe to quote in a message: at most 40 bytes, the rest
 * replaced by "...". */
static const char *shown(const char *s, char buf[64])
{
    size_t n = strlen(s);
    if (n <= 40) return s;
    snprintf(buf, 64, "%.40s...", s);
    return buf;
}

static int header_row(reader *R, const ml_csv_row *row)
{
    char b[64];
    R->nheader = row->nfields;
    for (int k = 0; k < COL_COUNT; k++) {
        if (!R->names[k]) continue;
        size_t i = 0;
        for (; i < row->nfields; i++)
            if (strcmp(row->fields[i], R->names[k]) == 0) break;
        if (i == row->nfields) {
            char cols[512] = "";
            for (size_t j = 0; j < row->nfields && strlen(cols) < 400; j++)
                snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s'%s'", j ? ", " : "",
                         shown(row->fields[j], b));
            bool semicolons = row->nfields == 1 && strchr(row->fields[0], ';');
            return row_fail(R, ML_FORMAT, row, "no column '%s' in the header (it has %s)%s",
                            shown(R->names[k], b), cols,
                            semicolons ? "; the file seems to use ';' between cells, and "
                                         "maillage complexity reads ','"
                                       : "");
        }
        for (int j = 0; j < k; j++)
            if (R->names[j] && R->index[j] == i)
                return row_fail(R, ML_INVALID, row, "column '%s' given for two roles",
                                shown(R->names[k], b));
        R->index[k] = i;
    }
    return 0;
}

static const char *const role[COL_COUNT] = {"location", "activity", "value", "time"};

static int data_row(void *ud, const ml_csv_row *row)
{
    reader *R = ud;
    char b[64];
    if (row->index == 0) return header_row(R, row);
    if (row->broken || !row->complete)
        return row_fail(R, ML_FORMAT, row, "a quote opened here is never closed");
    if (row->nfields != R->nheader)
        return row_fail(R, ML_FORMAT, row, "%zu cells, the header has %zu", row->nfields,
                        R->nheader);
    R->rows++;
    for (int k = 0; k < COL_COUNT; k++) {
        if (!R->names[k]) continue;
        const char *f = row->fields[R->index[k]];
        size_t len = row->lens[R->index[k]];
        if (!ml_utf8_valid(f, len))
            return row_fail(R, ML_FORMAT, row, "column %s: not valid UTF-8", shown(R->names[k], b));
        if (len == 0)
            return row_fail(R, ML_FORMAT, row, "column %s: empty %s", shown(R->names[k], b),
                            role[k]);
    }
    const char *vtext = row->fields[R->index[COL_VALUE]];
    size_t vlen = row->lens[R->index[COL_VALUE]];
    /* Spaces around a number are forgiven; nothing else is. */
    while (vlen && (*vtext == ' ' || *vtext == '\t'))
        vtext++, vlen--;
    while (vlen && (vtext[vlen - 1] == ' ' || vtext[vlen - 1] == '\t'))
        vlen--;
    double v = 0;
    char vb[64];
    if (ml_parse_double(vtext, vlen, &v) || strpbrk(shown(vtext, vb), "xXpP"))
        return row_fail(R, ML_FORMAT, row, "column %s: '%s' is not a number",
                        shown(R->names[COL_VALUE], b), shown(row->fields[R->index[COL_VALUE]], vb));
    if (v < 0)
        return row_fail(R, ML_FORMAT, row,
                        "column %s: %s is negative (values are amounts: 0 or more)",
                        shown(R->names[COL_VALUE], b), shown(row->fields[R->index[COL_VALUE]], vb));
    const char *time = R->names[COL_TIME] ? row->fields[R->index[COL_TIME]] : "";
    ml_complexity *cx = table_of(R, time);
    if (!cx) {
        if (!R->err) R->err = ml_fail(R->ctx, ML_NOMEM, "out of memory reading %s", R->path);
        return 1;
    }
    ml_err r = ml_complexity_add(cx, row->fields[R->index[COL_LOCATION]],
                                 row->fields[R->index[COL_ACTIVITY]], v);
    if (r) {
        char msg[ML_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", ml_ctx_message(R->ctx));
        /* A bad value is the file's fault, not the command's. */
        if (r == ML_INVALID)
            return row_fail(R, ML_FORMAT, row, "column %s: %s", shown(R->names[COL_VALUE], b), msg);
        return row_fail(R, r, row, "%s", msg);
    }
    return 0;
}

/* x as a plain decimal number with 10 significant digits, never in
 * exponent form (the CSV writer takes "1e-07" for text). */
static const char *number_text(double x, char *buf, size_t size)
{
    if (x == 0) return "0";
    snprintf(buf, size, "%.10g", x);
    if (!strchr(buf, 'e')) return buf;
    int exp10 = (int)floor(log10(fabs(x)));
    if (exp10 >= 0) {
        snprintf(buf, size, "%.0f", x);
        return buf;
    }
    snprintf(buf, size, "%.*f", 9 - exp10, x);
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.') buf[--n] = '\0';
    return buf;
}

static void put_number(ml_csv_writer *w, bool defined, double x)
{
    char buf[512];
    if (defined)
        ml_csvw_number(w, number_text(x, buf, sizeof buf));
    else
        ml_csvw_number(w, ""); /* not defined: an empty cell */
}

/* Time values in the order they are written: numeric when all are whole
 * numbers, else byte order. */
typedef struct time_key {
    const char *text;
    int64_t number;
    size_t table;
    bool numeric;
} time_key;

static int by_time(const void *a, const void *b)
{
    const time_key *x = a, *y = b;
    if (x->numeric && y->numeric) return x->number < y->number ? -1 : x->number > y->number;
    return strcmp(x->text, y->text);
}

/* Computes one table and writes its rows. */
static ml_err write_table(ml_ctx *ctx, ml_complexity *cx, const char *time, double threshold,
                          ml_csv_writer *w, ml_complexity_csv_stats *st)
{
    ml_err r = ml_complexity_compute(cx, threshold);
    if (r) return r;
    ml_complexity_info info;
    ml_complexity_summary(cx, &info);
    st->left_out_locations += info.left_out_locations;
    st->left_out_activities += info.left_out_activities;
    st->unranked += !info.ranked;
    size_t nl = info.locations, na = info.activities;
    ml_complexity_activity *acts = calloc(na, sizeof *acts);
    ml_complexity_cell *cells = calloc(na, sizeof *cells);
    if (!acts || !cells) {
        free(acts);
        free(cells);
        return ml_fail(ctx, ML_NOMEM, "out of memory");
    }
    for (size_t p = 0; p < na; p++)
        ml_complexity_activity_get(cx, p, &acts[p]);
    for (size_t c = 0; c < nl && !r && !w->failed; c++) {
        ml_complexity_location loc;
        ml_complexity_location_get(cx, c, &loc);
        if ((r = ml_complexity_row(cx, c, cells))) break;
        for (size_t p = 0; p < na; p++) {
            const ml_complexity_cell *x = &cells[p];
            if (time) ml_csvw_text(w, time);
            ml_csvw_text(w, loc.code);
            ml_csvw_text(w, acts[p].code);
            put_number(w, true, x->value);
            put_number(w, true, x->rca);
            ml_csvw_uint(w, x->mcp);
            ml_csvw_uint(w, loc.diversity);
            ml_csvw_uint(w, acts[p].ubiquity);
            put_number(w, loc.has_eci, loc.eci);
            put_number(w, acts[p].has_pci, acts[p].pci);
            put_number(w, true, x->density);
            put_number(w, loc.has_coi, loc.coi);
            put_number(w, x->has_cog, x->cog);
            ml_csvw_end_row(w);
            st->written++;
        }
    }
    free(acts);
    free(cells);
    return r;
}

ml_err ml_complexity_csv(ml_ctx *ctx, const char *path, const ml_complexity_csv_opts *opts,
                         FILE *out, ml_complexity_csv_stats *stats)
{
    ml_complexity_csv_stats local;
    ml_complexity_csv_stats *st = stats ? stats : &local;
    *st = (ml_complexity_csv_stats){0};
    if (!opts || !opts->location || !opts->activity || !opts->value || !*opts->location ||
        !*opts->activity || !*opts->value)
        return ml_fail(ctx, ML_INVALID, "the location, activity and value columns are needed");
    double threshold = opts->rca_threshold == 0 ? 1 : opts->rca_threshold;
    if (!isfinite(threshold) || threshold <= 0)
        return ml_fail(ctx, ML_INVALID, "the RCA threshold must be a number above 0, not %g",
                       threshold);
    reader R = {.ctx = ctx,
                .path = path,
                .names = {opts->location, opts->activity, opts->value,
                          opts->time && *opts->time ? opts->time : NULL}};
    time_key *keys = NULL;
    ml_err r = ml_csv_parse_file(ctx, path, NULL, data_row, &R);
    if (r == ML_INTERRUPTED) r = R.err;
    if (!r && R.rows == 0) r = ml_fail(ctx, ML_FORMAT, "%s: no data rows under the header", path);
    st->rows = R.rows;
    if (r) goto out;
    if (!(keys = calloc(R.ntables, sizeof *keys))) {
        r = ml_fail(ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    bool numeric = true;
    for (size_t i = 0; i < R.ntables; i++) {
        keys[i] = (time_key){.text = R.times.names[i], .table = i};
        int64_t n;
        keys[i].numeric =
            ml_parse_i64(keys[i].text, strlen(keys[i].text), INT64_MIN, INT64_MAX, &n) == 0;
        keys[i].number = n;
        numeric = numeric && keys[i].numeric;
    }
    for (size_t i = 0; i < R.ntables; i++)
        keys[i].numeric = numeric;
    qsort(keys, R.ntables, sizeof *keys, by_time);
    ml_csv_writer w;
    ml_csvw_init(&w, out, 0);
    static const char *const columns[] = {"time",    "location",  "activity", "value", "rca",
                                          "mcp",     "diversity", "ubiquity", "eci",   "pci",
                                          "density", "coi",       "cog"};
    for (size_t i = R.names[COL_TIME] ? 0 : 1; i < ML_ARRAY_LEN(columns); i++)
        ml_csvw_name(&w, columns[i]);
    ml_csvw_end_row(&w);
    for (size_t i = 0; i < R.ntables && !r; i++) {
        size_t t = keys[i].table;
        r = write_table(ctx, R.tables[t], R.names[COL_TIME] ? keys[i].text : NULL, threshold, &w,
                        st);
        if (r == ML_INVALID && R.names[COL_TIME])
            r = ml_fail(ctx, ML_FORMAT, "%s: time %s: every value is 0", path, keys[i].text);
        else if (r == ML_INVALID)
            r = ml_fail(ctx, ML_FORMAT, "%s: every value is 0", path);
        ml_complexity_free(R.tables[t]);
        R.tables[t] = NULL;
    }
    st->tables = R.ntables;
    if (ml_csvw_finish(&w) && !r) r = ml_fail(ctx, ML_IO, "cannot write the results");
out:
    for (size_t i = 0; i < R.ntables; i++)
        ml_complexity_free(R.tables[i]);
    free(R.tables);
    free(keys);
    ml_names_release(&R.times);
    return r;
}
