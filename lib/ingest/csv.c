/* csv.c — streaming CSV reader: libarchive (plain, gzip, zip) feeds libcsv,
 * whose field and row callbacks assemble capped records with physical line
 * numbers for the caller's row callback. In recover mode, a record broken by
 * an unbalanced quote loses only its first line: the reader keeps the bytes
 * of the record being read and reads its other lines again. */
#include <archive.h>
#include <archive_entry.h>
#include <csv.h>
#include <errno.h>
#include <strings.h>
#include <sys/stat.h>

#include "ingest/csv.h"

#define CHUNK_SIZE         (256 * 1024)
#define DEFAULT_MAX_FIELD  (64 * 1024)
#define DEFAULT_MAX_FIELDS 256
#define DEFAULT_MAX_ROW    (1024 * 1024)
#define PARSER_BLOCK       4096

/* libcsv keeps its parser states private (libcsv.c 3.0.x): 0 is
 * ROW_NOT_BEGUN (between records), 2 is FIELD_BEGUN, the state of a field
 * still open at end of input. */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN   2

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

typedef struct csv_reader {
    ml_ctx *ctx;
    const char *name;  /* for messages: the path, or "path:entry" */
    const char *entry; /* zip entry, or NULL */
    size_t max_field, max_fields, max_row;
    unsigned char delim;
    ml_csv_row_fn fn;
    void *ud;

    struct csv_parser parser;
    bool parser_ready;

    ml_buf row;        /* the current record's fields, each followed by NUL */
    size_t *lens;      /* nalloc entries */
    const char **ptrs; /* nalloc entries, filled when the row is delivered */
    size_t nalloc;
    size_t nfields;
    size_t row_bytes; /* field bytes of the current record, without NULs */

    uint64_t line;     /* physical line of the next input byte */
    uint64_t row_line; /* line where the current record started */
    uint64_t index;    /* records delivered */
    int last_term;     /* terminator of the previous record or blank line */
    bool eof_in_quote; /* input ended inside a quoted field */
    uint64_t bytes_in;

    size_t bom_seen; /* leading bytes matching the BOM, held back */
    bool bom_done;

    /* Recover mode: the bytes of the record being read, and those to read
     * again after a broken record. */
    bool recover;
    size_t header_fields;
    ml_buf raw;
    bool raw_full; /* the record outgrew raw: it cannot be read again */
    ml_buf replay;
    size_t replay_pos;
    bool resync;          /* a broken record was delivered: read again from its 2nd line */
    uint64_t broken_line; /* the line it started on */

    bool skip_entry; /* the callback asked for the next entry */
    ml_err err;      /* first error or stop: everything after is ignored */
} csv_reader;

/* Unquoted spaces are data: libcsv would trim them by default. */
static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

static bool halted(const csv_reader *r)
{
    return r->err || r->resync || r->skip_entry;
}

/* The line the current record started on, or the next one when it has no field yet. */
static uint64_t current_line(const csv_reader *r)
{
    return r->nfields ? r->row_line : r->line;
}

/* The record being read runs over more than one line (raw holds a line end
 * before its last byte). */
static bool record_spans_lines(const csv_reader *r)
{
    if (!r->recover || r->raw_full || r->raw.len < 2) return false;
    const char *d = r->raw.data;
    for (size_t i = 0; i + 1 < r->raw.len; i++)
        if (d[i] == '\n' || d[i] == '\r') return true;
    return false;
}

/* A quote that closes a quoted field only to go on with more data ("6"x):
 * libcsv takes it as data, but a record that ran over lines that way was
 * opened by a stray quote. Scans the record's bytes in raw. */
static bool misplaced_quote(const csv_reader *r)
{
    const char *d = r->raw.data;
    size_t n = r->raw.len;
    bool quoted = false, field_start = true;
    for (size_t i = 0; i < n; i++) {
        char c = d[i];
        if (quoted) {
            if (c != '"') continue;
            if (i + 1 < n && d[i + 1] == '"') {
                i++;
                continue;
            }
            char next = i + 1 < n ? d[i + 1] : '\n';
            if (next != (char)r->delim && next != '\r' && next != '\n') return true;
            quoted = false;
            field_start = false;
        } else if (c == '"' && field_start) {
            quoted = true;
        } else {
            field_start = c == (char)r->delim || c == '\r' || c == '\n';
        }
    }
    return false;
}

/* Hands the record read so far to the callback as broken, and asks for the
 * lines after its first to be read again. */
static void deliver_broken(csv_reader *r)
{
    const char *p = r->row.data;
    for (size_t i = 0; i < r->nfields; i++) {
        r->ptrs[i] = p;
        p += r->lens[i] + 1;
    }
    ml_csv_row row = {
        .nfields = r->nfields,
        .fields = r->ptrs,
        .lens = r->lens,
        .line = current_line(r),
        .index = r->index,
        .complete = false,
        .terminated = false,
        .broken = true,
        .entry = r->entry,
        .bytes_in = r->bytes_in,
    };
    r->broken_line = row.line;
    r->resync = true;
    int rc = r->fn ? r->fn(r->ud, &row) : 0;
    if (rc == ML_CSV_NEXT_ENTRY)
        r->skip_entry = true;
    else if (rc)
        r->err = ML_INTERRUPTED;
    r->index++;
}

typedef enum limit_kind { LIMIT_FIELD, LIMIT_FIELDS, LIMIT_ROW } limit_kind;

/* A limit passed: an error, unless it is a quote running over lines that
 * recover mode can read again. */
static void limit_reached(csv_reader *r, limit_kind k)
{
    if (r->index > 0 && record_spans_lines(r)) {
        deliver_broken(r);
        return;
    }
    unsigned long long line = current_line(r);
    if (k == LIMIT_FIELD)
        r->err = ml_fail(r->ctx, ML_LIMIT,
                         "%s: line %llu: field longer than %zu bytes (unclosed quote?)", r->name,
                         line, r->max_field);
    else if (k == LIMIT_FIELDS)
        r->err = ml_fail(r->ctx, ML_LIMIT, "%s: line %llu: more than %zu fields", r->name, line,
                         r->max_fields);
    else
        r->err = ml_fail(r->ctx, ML_LIMIT, "%s: line %llu: record longer than %zu bytes", r->name,
                         line, r->max_row);
}

static void fail_field_too_long(csv_reader *r)
{
    limit_reached(r, LIMIT_FIELD);
}

/* Line terminators inside a (quoted) field; CRLF counts once. */
static uint64_t count_newlines(const char *s, size_t len)
{
    uint64_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            n++;
        else if (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))
            n++;
    }
    return n;
}

static int grow_fields(csv_reader *r)
{
    size_t n = r->nalloc ? r->nalloc * 2 : 16;
    if (n > r->max_fields) n = r->max_fields;
    size_t *lens = realloc(r->lens, n * sizeof *lens);
    if (!lens) return -1;
    r->lens = lens;
    const char **ptrs = realloc(r->ptrs, n * sizeof *ptrs);
    if (!ptrs) return -1;
    r->ptrs = ptrs;
    r->nalloc = n;
    return 0;
}

static void on_field(void *data, size_t len, void *vr)
{
    csv_reader *r = vr;
    if (halted(r)) return;
    if (len > r->max_field) {
        fail_field_too_long(r);
        return;
    }
    if (r->nfields >= r->max_fields) {
        limit_reached(r, LIMIT_FIELDS);
        return;
    }
    if (len > r->max_row - r->row_bytes) {
        limit_reached(r, LIMIT_ROW);
        return;
    }
    if (r->nfields == r->nalloc && grow_fields(r) != 0) goto nomem;
    const char *s = data ? data : "";
    if (ml_buf_add(&r->row, s, len) != 0 || ml_buf_addch(&r->row, '\0') != 0) goto nomem;
    if (r->nfields == 0) r->row_line = r->line;
    r->lens[r->nfields++] = len;
    r->row_bytes += len;
    r->line += count_newlines(s, len);
    return;
nomem:
    r->err = ml_fail(r->ctx, ML_NOMEM, "%s: out of memory", r->name);
}

/* c is the terminator ('\r', '\n') or -1 when csv_fini closed the record. */
static void on_row(int c, void *vr)
{
    csv_reader *r = vr;
    if (halted(r)) return;
    if (r->nfields == 0) {
        /* A blank line (CSV_REPALL_NL), unless it is the LF of a CRLF. */
        if (!(c == '\n' && r->last_term == '\r')) r->line++;
        r->last_term = c;
        return;
    }
    bool eof_quote = c == -1 && r->eof_in_quote;
    if (r->index == 0) r->header_fields = r->nfields;
    /* A quote that ran over lines and left a record that cannot be one. */
    if (r->recover && r->index > 0 && r->line > r->row_line && !r->raw_full &&
        (r->nfields != r->header_fields || eof_quote || misplaced_quote(r))) {
        deliver_broken(r);
        return;
    }
    const char *p = r->row.data;
    for (size_t i = 0; i < r->nfields; i++) {
        r->ptrs[i] = p;
        p += r->lens[i] + 1;
    }
    ml_csv_row row = {
        .nfields = r->nfields,
        .fields = r->ptrs,
        .lens = r->lens,
        .line = r->row_line,
        .index = r->index,
        .complete = !eof_quote,
        .terminated = c != -1,
        .entry = r->entry,
        .bytes_in = r->bytes_in,
    };
    int rc = r->fn ? r->fn(r->ud, &row) : 0;
    if (rc == ML_CSV_NEXT_ENTRY)
        r->skip_entry = true;
    else if (rc)
        r->err = ML_INTERRUPTED;
    r->index++;
    r->nfields = 0;
    r->row_bytes = 0;
    ml_buf_reset(&r->row);
    if (c != -1) r->line++;
    r->last_term = c;
}

static ml_err parser_start(csv_reader *r)
{
    if (csv_init(&r->parser, CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
        return ml_fail(r->ctx, ML_NOMEM, "%s: out of memory", r->name);
    r->parser_ready = true;
    csv_set_delim(&r->parser, r->delim);
    csv_set_space_func(&r->parser, never_space);
    csv_set_blk_size(&r->parser, PARSER_BLOCK);
    return ML_OK;
}

/* One call of libcsv on at most the room left for a field still open
 * (entry_pos, which may hold one closing quote on top of the data): the
 * parser's buffer stays bounded whatever the input. Returns bytes taken. */
static size_t parse_slice(csv_reader *r, const unsigned char *p, size_t len)
{
    size_t room = r->max_field + 2 - r->parser.entry_pos;
    size_t n = len < room ? len : room;
    size_t done = csv_parse(&r->parser, p, n, on_field, on_row, r);
    if (halted(r)) return n;
    if (done < n) {
        r->err = ml_fail(r->ctx, ML_NOMEM, "%s: line %llu: %s", r->name,
                         (unsigned long long)current_line(r), csv_strerror(csv_error(&r->parser)));
        return n;
    }
    if (r->parser.entry_pos > r->max_field + 1) fail_field_too_long(r);
    return n;
}

/* Reads again, as new records, the lines of the broken record after its
 * first, then what was waiting to be read again. */
static void resync(csv_reader *r)
{
    const char *d = r->raw.data ? r->raw.data : "";
    size_t n = r->raw.len, i = 0;
    while (i < n && d[i] != '\n' && d[i] != '\r')
        i++;
    size_t skip = i < n ? i + 1 + (d[i] == '\r' && i + 1 < n && d[i + 1] == '\n') : n;
    ml_buf next;
    ml_buf_init(&next, 0);
    if (ml_buf_add(&next, d + skip, n - skip) ||
        ml_buf_add(&next, r->replay.data ? r->replay.data + r->replay_pos : "",
                   r->replay.len - r->replay_pos)) {
        ml_buf_release(&next);
        r->err = ml_fail(r->ctx, ML_NOMEM, "%s: out of memory", r->name);
        return;
    }
    ml_buf_release(&r->replay);
    r->replay = next;
    r->replay_pos = 0;
    csv_free(&r->parser);
    r->parser_ready = false;
    if ((r->err = parser_start(r))) return;
    r->nfields = 0;
    r->row_bytes = 0;
    ml_buf_reset(&r->row);
    ml_buf_reset(&r->raw);
    r->raw_full = false;
    r->line = r->broken_line + 1;
    r->last_term = 0;
    r->eof_in_quote = false;
    r->resync = false;
}

/* Recover mode: input goes to libcsv one line at a time (a record can only
 * end at the end of a slice), each slice also kept in raw until its record
 * ends; bytes to read again come first. */
static void feed_lines(csv_reader *r, const unsigned char *p, size_t len)
{
    while (!r->err && !r->skip_entry) {
        bool replaying = r->replay_pos < r->replay.len;
        const unsigned char *src =
            replaying ? (const unsigned char *)r->replay.data + r->replay_pos : p;
        size_t avail = replaying ? r->replay.len - r->replay_pos : len;
        if (avail == 0) break;
        /* Up to the first line end, which goes with its line. */
        const unsigned char *nl = memchr(src, '\n', avail);
        const unsigned char *cr = memchr(src, '\r', nl ? (size_t)(nl - src) : avail);
        const unsigned char *end = cr ? cr : nl;
        size_t n = end ? (size_t)(end - src) + 1 : avail;
        size_t room = r->max_field + 2 - r->parser.entry_pos;
        if (n > room) n = room;
        if (!r->raw_full && ml_buf_add(&r->raw, src, n) != 0) r->raw_full = true;
        n = parse_slice(r, src, n);
        if (replaying)
            r->replay_pos += n;
        else
            p += n, len -= n;
        if (r->resync) {
            resync(r);
        } else if (r->parser.pstate == LIBCSV_ROW_NOT_BEGUN) {
            ml_buf_reset(&r->raw);
            r->raw_full = false;
        }
    }
    if (r->replay_pos == r->replay.len && r->replay.len) {
        ml_buf_reset(&r->replay);
        r->replay_pos = 0;
    }
}

static void feed_parser(csv_reader *r, const unsigned char *p, size_t len)
{
    if (r->recover) {
        feed_lines(r, p, len);
        return;
    }
    while (len && !halted(r)) {
        size_t n = parse_slice(r, p, len);
        p += n;
        len -= n;
    }
}

/* Drops a leading UTF-8 BOM, even split across reads. */
static void feed(csv_reader *r, const unsigned char *p, size_t len)
{
    while (!r->bom_done && len) {
        if (*p != utf8_bom[r->bom_seen]) {
            r->bom_done = true;
            feed_parser(r, utf8_bom, r->bom_seen);
            break;
        }
        r->bom_seen++;
        p++;
        len--;
        if (r->bom_seen == sizeof utf8_bom) r->bom_done = true;
    }
    feed_parser(r, p, len);
}

static ml_err finish(csv_reader *r)
{
    if (!r->err && !r->skip_entry && !r->bom_done) {
        r->bom_done = true;
        feed_parser(r, utf8_bom, r->bom_seen);
    }
    while (!r->err && !r->skip_entry) {
        r->eof_in_quote = r->parser.pstate == LIBCSV_FIELD_BEGUN && r->parser.quoted;
        csv_fini(&r->parser, on_field, on_row, r);
        if (!r->resync) break;
        /* The last record was broken: read its other lines again. */
        resync(r);
        feed_lines(r, NULL, 0);
    }
    if (!r->err && !r->skip_entry && r->index == 0)
        r->err = ml_fail(r->ctx, ML_FORMAT, "%s: empty file (no header line)", r->name);
    return r->err;
}

static ml_err reader_init(csv_reader *r, ml_ctx *ctx, const char *name, const ml_csv_limits *limits,
                          ml_csv_row_fn fn, void *ud)
{
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    r->name = name ? name : "(input)";
    r->fn = fn;
    r->ud = ud;
    r->max_field = limits && limits->max_field ? limits->max_field : DEFAULT_MAX_FIELD;
    r->max_fields = limits && limits->max_fields ? limits->max_fields : DEFAULT_MAX_FIELDS;
    r->max_row = limits && limits->max_row ? limits->max_row : DEFAULT_MAX_ROW;
    r->recover = limits && limits->recover;
    /* Keeps max_field + 2 and the slice arithmetic clear of overflow. */
    if (r->max_field > SIZE_MAX / 4) r->max_field = SIZE_MAX / 4;
    if (r->max_fields > SIZE_MAX / (4 * sizeof(size_t)))
        r->max_fields = SIZE_MAX / (4 * sizeof(size_t));
    if (r->max_row > SIZE_MAX / 8) r->max_row = SIZE_MAX / 8;
    r->line = 1;
    ml_buf_init(&r->row, 0);
    /* A record's bytes: its fields (quotes doubled) and their delimiters. */
    ml_buf_init(&r->raw, 2 * (r->max_row + r->max_field) + 4096);
    ml_buf_init(&r->replay, 0);

    char delim = limits && limits->delimiter ? limits->delimiter : ',';
    if (delim == '"' || delim == '\r' || delim == '\n')
        return ml_fail(ctx, ML_INVALID, "%s: invalid CSV delimiter 0x%02x", r->name,
                       (unsigned)(unsigned char)delim);
    r->delim = (unsigned char)delim;
    return parser_start(r);
}

static void reader_release(csv_reader *r)
{
    if (r->parser_ready) csv_free(&r->parser);
    ml_buf_release(&r->row);
    ml_buf_release(&r->raw);
    ml_buf_release(&r->replay);
    free(r->lens);
    free(r->ptrs);
}

ml_err ml_csv_parse_buffer(ml_ctx *ctx, const char *name, const void *data, size_t len,
                           const ml_csv_limits *limits, ml_csv_row_fn fn, void *ud)
{
    csv_reader r;
    ml_err err = reader_init(&r, ctx, name, limits, fn, ud);
    if (err) goto out;
    /* Plain CSV bytes: no decompression here, so the fuzzer exercises the reader only. */
    r.bytes_in = len;
    if (len) feed(&r, data, len);
    err = finish(&r);
out:
    reader_release(&r);
    return err;
}

/* ------------------------------------------------------------------ files */

static ml_err open_archive(ml_ctx *ctx, const char *path, struct archive **out)
{
    *out = NULL;
    struct archive *a = archive_read_new();
    if (!a) return ml_fail(ctx, ML_NOMEM, "%s: out of memory", path);
    /* Warnings here only mean an external decompressor is missing. */
    archive_read_support_filter_all(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_raw(a);
    if (archive_read_open_filename(a, path, CHUNK_SIZE) != ARCHIVE_OK) {
        ml_err err = ml_fail(ctx, ML_IO, "%s: cannot open: %s", path, archive_error_string(a));
        archive_read_free(a);
        return err;
    }
    *out = a;
    return ML_OK;
}

static bool is_zip(struct archive *a)
{
    return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_ZIP;
}

static bool ends_with_csv(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n >= 4 && strcasecmp(name + n - 4, ".csv") == 0;
}

static ml_err header_error(ml_ctx *ctx, const char *path, struct archive *a)
{
    return ml_fail(ctx, ML_FORMAT, "%s: cannot read archive: %s", path, archive_error_string(a));
}

/* Positions *pa on the data to parse: the file itself, or in a zip the first
 * entry named *.csv, else its first regular file. *empty is set for a file
 * with no data at all. */
static ml_err select_entry(ml_ctx *ctx, const char *path, struct archive **pa, bool *empty)
{
    struct archive_entry *e;
    *empty = false;
    int rc = archive_read_next_header(*pa, &e);
    if (rc == ARCHIVE_EOF) {
        *empty = true;
        return ML_OK;
    }
    if (rc < ARCHIVE_WARN) return header_error(ctx, path, *pa);
    if (!is_zip(*pa)) return ML_OK;

    long first = -1;
    for (long i = 0;; i++) {
        if (archive_entry_filetype(e) == AE_IFREG) {
            if (first < 0) first = i;
            if (ends_with_csv(archive_entry_pathname(e))) return ML_OK;
        }
        rc = archive_read_next_header(*pa, &e);
        if (rc == ARCHIVE_EOF) break;
        if (rc < ARCHIVE_WARN) return header_error(ctx, path, *pa);
    }
    if (first < 0) return ml_fail(ctx, ML_FORMAT, "%s: zip archive holds no file", path);

    /* No *.csv entry: a streamed archive cannot rewind, so reopen it. */
    archive_read_free(*pa);
    ml_err err = open_archive(ctx, path, pa);
    if (err) return err;
    for (long i = 0; i <= first; i++) {
        rc = archive_read_next_header(*pa, &e);
        if (rc == ARCHIVE_EOF || rc < ARCHIVE_WARN) return header_error(ctx, path, *pa);
    }
    return ML_OK;
}

/* The last line fully or partly read, for messages about a read that failed. */
static uint64_t line_reached(const csv_reader *r)
{
    bool pending = r->nfields || r->parser.pstate != 0 || (!r->bom_done && r->bom_seen);
    return pending || r->line == 1 ? r->line : r->line - 1;
}

/* Parses the data of the archive's current entry (or of the whole file when
 * `empty`: none), named `name` in messages. */
static ml_err parse_stream(ml_ctx *ctx, struct archive *a, const char *path, const char *name,
                           const char *entry, const ml_csv_limits *limits, ml_csv_row_fn fn,
                           void *ud)
{
    csv_reader r;
    unsigned char *buf = NULL;
    ml_err err = reader_init(&r, ctx, name, limits, fn, ud);
    r.entry = entry;
    if (err) goto out;
    if (a && !(buf = malloc(CHUNK_SIZE))) {
        err = ml_fail(ctx, ML_NOMEM, "%s: out of memory", path);
        goto out;
    }
    while (a) {
        la_ssize_t n = archive_read_data(a, buf, CHUNK_SIZE);
        if (n == 0) break;
        if (n < 0) {
            bool compressed = is_zip(a) || archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE;
            const char *msg = archive_error_string(a);
            if (compressed)
                err = ml_fail(ctx, ML_FORMAT,
                              "%s: compressed data truncated or corrupt after line %llu: %s", name,
                              (unsigned long long)line_reached(&r), msg ? msg : "read error");
            else
                err = ml_fail(ctx, ML_IO, "%s: read error after line %llu: %s", name,
                              (unsigned long long)line_reached(&r), msg ? msg : "unknown");
            goto out;
        }
        int64_t consumed = archive_filter_bytes(a, -1);
        r.bytes_in = consumed > 0 ? (uint64_t)consumed : 0;
        feed(&r, buf, (size_t)n);
        if (r.err || r.skip_entry) break;
    }
    err = finish(&r);
out:
    free(buf);
    reader_release(&r);
    return err;
}

ml_err ml_csv_parse_entries(ml_ctx *ctx, const char *path, const ml_csv_limits *limits,
                            ml_csv_entry_fn entry_fn, ml_csv_row_fn fn, void *ud)
{
    struct archive *a = NULL;
    bool empty = true;
    struct stat st;
    ml_err err = ML_OK;
    if (stat(path, &st) != 0)
        return ml_fail(ctx, ML_IO, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) return ml_fail(ctx, ML_IO, "%s: is a directory", path);
    /* libarchive refuses a 0-byte file ("Unrecognized archive format"). */
    if (S_ISREG(st.st_mode) && st.st_size == 0)
        return parse_stream(ctx, NULL, path, path, NULL, limits, fn, ud);
    if ((err = open_archive(ctx, path, &a))) return err;
    struct archive_entry *e = NULL;
    if (!entry_fn) {
        if (!(err = select_entry(ctx, path, &a, &empty)))
            err = parse_stream(ctx, empty ? NULL : a, path, path, NULL, limits, fn, ud);
        goto out;
    }
    int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) {
        err = parse_stream(ctx, NULL, path, path, NULL, limits, fn, ud);
        goto out;
    }
    if (rc < ARCHIVE_WARN) {
        err = header_error(ctx, path, a);
        goto out;
    }
    if (!is_zip(a)) {
        err = parse_stream(ctx, a, path, path, NULL, limits, fn, ud);
        goto out;
    }
    /* Every regular file of the zip the caller accepts, in order. */
    for (;;) {
        const char *entry = archive_entry_pathname(e);
        if (archive_entry_filetype(e) == AE_IFREG && entry &&
            entry_fn(ud, entry, ends_with_csv(entry)) == 0) {
            ml_buf name;
            ml_buf_init(&name, 8192);
            if (ml_buf_addf(&name, "%s:%s", path, entry)) {
                ml_buf_release(&name);
                err = ml_fail(ctx, ML_LIMIT, "%s: entry name too long", path);
                goto out;
            }
            char *copy = ml_strdup(entry);
            err = copy ? parse_stream(ctx, a, path, ml_buf_cstr(&name), copy, limits, fn, ud)
                       : ml_fail(ctx, ML_NOMEM, "out of memory");
            free(copy);
            ml_buf_release(&name);
            if (err) goto out;
        }
        rc = archive_read_next_header(a, &e);
        if (rc == ARCHIVE_EOF) break;
        if (rc < ARCHIVE_WARN) {
            err = header_error(ctx, path, a);
            goto out;
        }
    }
out:
    if (a) archive_read_free(a);
    return err;
}

ml_err ml_csv_parse_file(ml_ctx *ctx, const char *path, const ml_csv_limits *limits,
                         ml_csv_row_fn fn, void *ud)
{
    return ml_csv_parse_entries(ctx, path, limits, NULL, fn, ud);
}

uint64_t ml_file_size(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0 || st.st_size < 0) return 0;
    return (uint64_t)st.st_size;
}
