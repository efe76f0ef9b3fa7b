/* test_csv.c — specification of the streaming CSV reader (lib/ingest/csv.c)
 * and of the UTF-8 check its callers rely on. */
#include <archive.h>
#include <archive_entry.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "ingest/csv.h"

/* ------------------------------------------------------------------ helpers */

/* Rows rendered as "LINE:f1|f2\n" (newlines in fields as \n, \r; "!" marks an
 * incomplete record) so a whole parse is one string comparison. */
typedef struct collector {
    ml_buf text;
    size_t rows;
    size_t stop_after; /* 0 = never stop */
    uint64_t last_bytes_in;
    bool consistent;
    bool last_terminated; /* the last row delivered ended with a line end */
} collector;

static void collector_init(collector *c)
{
    memset(c, 0, sizeof *c);
    ml_buf_init(&c->text, 0);
    c->consistent = true;
}

static int collect(void *ud, const ml_csv_row *row)
{
    collector *c = ud;
    if (row->index != c->rows) c->consistent = false;
    if (row->bytes_in < c->last_bytes_in) c->consistent = false;
    c->last_bytes_in = row->bytes_in;
    ml_buf_addf(&c->text, "%llu:", (unsigned long long)row->line);
    if (row->broken) {
        /* Its fields mean nothing: only where it was. */
        ml_buf_addstr(&c->text, "BROKEN\n");
        c->rows++;
        return 0;
    }
    if (row->entry) ml_buf_addf(&c->text, "[%s]", row->entry);
    for (size_t i = 0; i < row->nfields; i++) {
        if (i) ml_buf_addch(&c->text, '|');
        if (row->fields[i][row->lens[i]] != '\0') c->consistent = false;
        for (size_t j = 0; j < row->lens[i]; j++) {
            char ch = row->fields[i][j];
            if (ch == '\n')
                ml_buf_addstr(&c->text, "\\n");
            else if (ch == '\r')
                ml_buf_addstr(&c->text, "\\r");
            else
                ml_buf_addch(&c->text, ch);
        }
    }
    if (!row->complete) ml_buf_addch(&c->text, '!');
    c->last_terminated = row->terminated;
    ml_buf_addch(&c->text, '\n');
    c->rows++;
    return c->stop_after && c->rows >= c->stop_after;
}

typedef struct fixture {
    ml_ctx *ctx;
    char dir[64];
    collector out;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->ctx = ml_ctx_new();
    assert_non_null(f->ctx);
    assert_int_equal(ml_snprintf(f->dir, sizeof f->dir, "/tmp/test_csv.XXXXXX"), 0);
    assert_non_null(mkdtemp(f->dir));
    collector_init(&f->out);
    *state = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *f = *state;
    nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    ml_buf_release(&f->out.text);
    ml_ctx_free(f->ctx);
    free(f);
    return 0;
}

static ml_err parse_with(fixture *f, const char *text, size_t len, const ml_csv_limits *limits)
{
    return ml_csv_parse_buffer(f->ctx, "test.csv", text, len, limits, collect, &f->out);
}

static ml_err parse_str(fixture *f, const char *text, const ml_csv_limits *limits)
{
    return parse_with(f, text, strlen(text), limits);
}

static ml_err parse(fixture *f, const char *text)
{
    return parse_str(f, text, NULL);
}

static const char *rows(fixture *f)
{
    return ml_buf_cstr(&f->out.text);
}

static void path_in(fixture *f, char *dst, size_t size, const char *name)
{
    assert_int_equal(ml_snprintf(dst, size, "%s/%s", f->dir, name), 0);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void write_gzip(const char *path, const void *data, size_t len)
{
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
}

typedef struct zip_member {
    const char *name;
    const char *data;
} zip_member;

static void write_zip(const char *path, const zip_member *members, size_t n)
{
    struct archive *a = archive_write_new();
    assert_non_null(a);
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        size_t len = strlen(members[i].data);
        archive_entry_set_pathname(e, members[i].name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)len);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, members[i].data, len), (la_ssize_t)len);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

/* Entry callback: reads the *.csv entries only. */
static int note_entry_accept_csv(void *ud, const char *entry, bool is_csv)
{
    (void)ud;
    (void)entry;
    return is_csv ? 0 : 1;
}

/* Rows of digits a compressor cannot shrink much, so truncation falls mid-file. */
static void make_noisy_csv(ml_buf *b, size_t nrows)
{
    uint32_t x = 12345;
    assert_int_equal(ml_buf_addstr(b, "id,a,b,c\n"), 0);
    for (size_t i = 0; i < nrows; i++) {
        uint32_t v[3];
        for (int k = 0; k < 3; k++)
            v[k] = x = x * 1103515245u + 12345u;
        assert_int_equal(ml_buf_addf(b, "%zu,%u,%u,%u\n", i, v[0], v[1], v[2]), 0);
    }
}

static const char simple_csv[] = "siren,nom\n"
                                 "123456789,\"ACME, \"\"la\"\" fabrique\"\n"
                                 "987654321,\"deux\nlignes\"\n"
                                 "555555555,fin\n";
static const char simple_rows[] = "1:siren|nom\n"
                                  "2:123456789|ACME, \"la\" fabrique\n"
                                  "3:987654321|deux\\nlignes\n"
                                  "5:555555555|fin\n";

/* ------------------------------------------------------------------ records */

static void test_simple_rows_are_delivered_in_order_with_lines(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "a,b,c\n1,2,3\n4,,6\n"), ML_OK);
    assert_string_equal(rows(f), "1:a|b|c\n2:1|2|3\n3:4||6\n");
    assert_true(f->out.consistent);
}

static void test_fields_keep_their_spaces(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "h\n  a , b\t\n"), ML_OK);
    assert_string_equal(rows(f), "1:h\n2:  a | b\t\n");
}

static void test_quoted_field_keeps_delimiter_and_doubled_quotes(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "h1,h2\n\"a,b\",\"say \"\"hi\"\"\"\n\"\",x\n"), ML_OK);
    assert_string_equal(rows(f), "1:h1|h2\n2:a,b|say \"hi\"\n3:|x\n");
}

static void test_quoted_field_keeps_embedded_newline_and_counts_lines(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "h\n\"one\ntwo\nthree\"\nnext\n"), ML_OK);
    assert_string_equal(rows(f), "1:h\n2:one\\ntwo\\nthree\n5:next\n");
}

static void test_quoted_field_keeps_embedded_crlf_and_counts_it_once(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "h\r\n\"one\r\ntwo\",x\r\nnext\r\n"), ML_OK);
    assert_string_equal(rows(f), "1:h\n2:one\\r\\ntwo|x\n4:next\n");
}

static void test_utf8_bom_is_skipped(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "\xEF\xBB\xBFsiren,nom\n1,\xC3\xA9t\xC3\xA9\n"), ML_OK);
    assert_string_equal(rows(f), "1:siren|nom\n2:1|\xC3\xA9t\xC3\xA9\n");
}

static void test_partial_bom_is_kept_as_data(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "\xEF\xBBx\n"), ML_OK);
    assert_string_equal(rows(f), "1:\xEF\xBBx\n");
}

static void test_crlf_line_endings_count_once(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "a,b\r\n1,2\r\n3,4\r\n"), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:1|2\n3:3|4\n");
}

static void test_lf_line_endings(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "a,b\n1,2\n3,4\n"), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:1|2\n3:3|4\n");
}

static void test_lone_cr_line_endings(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "a,b\r1,2\r\r3,4\r"), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:1|2\n4:3|4\n");
}

static void test_blank_lines_are_skipped_but_counted(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "\n\na\n\n\nb\r\n\r\n\r\nc\n\n"), ML_OK);
    assert_string_equal(rows(f), "3:a\n6:b\n9:c\n");
}

static void test_last_line_without_newline_is_delivered(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "a,b\n1,2"), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:1|2\n");
}

static void test_trailing_delimiter_gives_an_empty_last_field(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "a,\n1,"), ML_OK);
    assert_string_equal(rows(f), "1:a|\n2:1|\n");
}

static void test_unterminated_quote_at_eof_is_delivered_incomplete(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "h,v\n1,\"never\nclosed"), ML_OK);
    assert_string_equal(rows(f), "1:h|v\n2:1|never\\nclosed!\n");
}

static void test_closed_quote_at_eof_is_complete(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "h\n\"closed \"\"\""), ML_OK);
    assert_string_equal(rows(f), "1:h\n2:closed \"\n");
}

static void test_results_do_not_depend_on_how_input_is_sliced(void **state)
{
    fixture *f = *state;
    /* A small max_field makes the reader feed libcsv a few bytes at a time. */
    ml_csv_limits small = {.max_field = 20};
    assert_int_equal(parse_str(f, simple_csv, &small), ML_OK);
    assert_string_equal(rows(f), simple_rows);
}

/* ------------------------------------------------------------------ limits */

static void test_overlong_field_stops_with_limit_naming_the_line(void **state)
{
    fixture *f = *state;
    ml_csv_limits lim = {.max_field = 4};
    assert_int_equal(parse_str(f, "h\nabcd\n\nabcde\nlater\n", &lim), ML_LIMIT);
    assert_string_equal(rows(f), "1:h\n2:abcd\n");
    assert_string_equal(ml_ctx_message(f->ctx),
                        "test.csv: line 4: field longer than 4 bytes (unclosed quote?)");
}

static void test_quoted_field_of_exactly_the_limit_is_accepted(void **state)
{
    fixture *f = *state;
    ml_csv_limits lim = {.max_field = 4};
    assert_int_equal(parse_str(f, "\"abcd\",\"ab\"\"\"", &lim), ML_OK);
    assert_string_equal(rows(f), "1:abcd|ab\"\n");
}

static void test_unclosed_quote_in_large_input_stops_at_the_default_limit(void **state)
{
    fixture *f = *state;
    size_t len = 1024 * 1024;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, 'x', len);
    memcpy(big, "h\nx,\"", 5);
    assert_int_equal(parse_with(f, big, len, NULL), ML_LIMIT);
    free(big);
    assert_string_equal(rows(f), "1:h\n");
    assert_string_equal(ml_ctx_message(f->ctx),
                        "test.csv: line 2: field longer than 65536 bytes (unclosed quote?)");
}

static void test_too_many_fields_stops_with_limit(void **state)
{
    fixture *f = *state;
    ml_csv_limits lim = {.max_fields = 3};
    assert_int_equal(parse_str(f, "a,b,c\n1,2,3,4\n", &lim), ML_LIMIT);
    assert_string_equal(rows(f), "1:a|b|c\n");
    assert_string_equal(ml_ctx_message(f->ctx), "test.csv: line 2: more than 3 fields");
}

static void test_overlong_record_stops_with_limit(void **state)
{
    fixture *f = *state;
    ml_csv_limits lim = {.max_row = 6};
    assert_int_equal(parse_str(f, "ab,cd\n\"x\ny\",abcde\n", &lim), ML_LIMIT);
    assert_string_equal(rows(f), "1:ab|cd\n");
    assert_string_equal(ml_ctx_message(f->ctx), "test.csv: line 2: record longer than 6 bytes");
}

static void test_empty_input_is_a_format_error(void **state)
{
    fixture *f = *state;
    static const char *const inputs[] = {"", "\xEF\xBB\xBF", "\n\r\n\r", "\xEF\xBB\xBF\n\n"};
    for (size_t i = 0; i < ML_ARRAY_LEN(inputs); i++) {
        assert_int_equal(parse(f, inputs[i]), ML_FORMAT);
        assert_string_equal(ml_ctx_message(f->ctx), "test.csv: empty file (no header line)");
    }
    assert_int_equal(f->out.rows, 0);
}

static void test_quote_as_delimiter_is_invalid(void **state)
{
    fixture *f = *state;
    ml_csv_limits lim = {.delimiter = '"'};
    assert_int_equal(parse_str(f, "a\n", &lim), ML_INVALID);
}

/* ------------------------------------------------------------------ encoding */

static void test_invalid_utf8_field_is_delivered_as_is_and_rejected_by_validator(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "nom\nCaf\xE9\n"), ML_OK);
    assert_string_equal(rows(f), "1:nom\n2:Caf\xE9\n");
    assert_false(ml_utf8_valid("Caf\xE9", 4));
    assert_true(ml_utf8_valid("Caf\xC3\xA9", 5));
}

static void test_utf8_validator_accepts_two_three_and_four_byte_characters(void **state)
{
    (void)state;
    assert_true(ml_utf8_valid("", 0));
    assert_true(ml_utf8_valid("\xC3\xA9", 2));         /* é */
    assert_true(ml_utf8_valid("\xE2\x82\xAC", 3));     /* € */
    assert_true(ml_utf8_valid("\xF0\x9F\x98\x80", 4)); /* U+1F600 */
    assert_true(ml_utf8_valid("\xF4\x8F\xBF\xBF", 4)); /* U+10FFFF */
    assert_true(ml_utf8_valid("\xED\x9F\xBF", 3));     /* U+D7FF, just below surrogates */
}

static void test_utf8_validator_rejects_overlong_encodings(void **state)
{
    (void)state;
    assert_false(ml_utf8_valid("\xC0\xAF", 2)); /* '/' in two bytes */
    assert_false(ml_utf8_valid("\xC1\xBF", 2));
    assert_false(ml_utf8_valid("\xE0\x80\xAF", 3));
    assert_false(ml_utf8_valid("\xF0\x80\x80\xAF", 4));
}

static void test_utf8_validator_rejects_surrogates_and_values_past_u10ffff(void **state)
{
    (void)state;
    assert_false(ml_utf8_valid("\xED\xA0\x80", 3)); /* U+D800 */
    assert_false(ml_utf8_valid("\xED\xBF\xBF", 3)); /* U+DFFF */
    assert_false(ml_utf8_valid("\xF4\x90\x80\x80", 4));
    assert_false(ml_utf8_valid("\xF8\x88\x80\x80\x80", 5));
}

static void test_utf8_validator_rejects_truncated_sequences_and_stray_continuations(void **state)
{
    (void)state;
    assert_false(ml_utf8_valid("\xC3", 1));
    assert_false(ml_utf8_valid("a\xE2\x82", 3));
    assert_false(ml_utf8_valid("\xF0\x9F\x98", 3));
    assert_false(ml_utf8_valid("\xE2\x28\xA1", 3)); /* continuation replaced by '(' */
    assert_false(ml_utf8_valid("\x80", 1));
    assert_false(ml_utf8_valid("\xC3\xA9\xA9", 3));
}

/* ------------------------------------------------------------------ options, control */

static void test_semicolon_delimiter_splits_on_semicolons_only(void **state)
{
    fixture *f = *state;
    ml_csv_limits lim = {.delimiter = ';'};
    const char *in = "a;b\n1,5;\"x;y\"\n";
    assert_int_equal(parse_str(f, in, &lim), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:1,5|x;y\n");
}

static void test_callback_stop_interrupts_without_touching_message(void **state)
{
    fixture *f = *state;
    ml_fail(f->ctx, ML_ERROR, "previous message");
    f->out.stop_after = 2;
    assert_int_equal(parse(f, "h\n1\n2\n3\n"), ML_INTERRUPTED);
    assert_string_equal(rows(f), "1:h\n2:1\n");
    assert_string_equal(ml_ctx_message(f->ctx), "previous message");
}

/* ------------------------------------------------------------------ files */

static void test_plain_file_parses_and_reports_its_size(void **state)
{
    fixture *f = *state;
    char path[128];
    path_in(f, path, sizeof path, "plain.csv");
    write_file(path, simple_csv, strlen(simple_csv));
    assert_int_equal(ml_csv_parse_file(f->ctx, path, NULL, collect, &f->out), ML_OK);
    assert_string_equal(rows(f), simple_rows);
    assert_int_equal(ml_file_size(path), strlen(simple_csv));
    assert_int_equal(f->out.last_bytes_in, strlen(simple_csv));
}

static void test_missing_file_is_an_io_error(void **state)
{
    fixture *f = *state;
    char path[128];
    path_in(f, path, sizeof path, "missing.csv");
    assert_int_equal(ml_csv_parse_file(f->ctx, path, NULL, collect, &f->out), ML_IO);
    assert_non_null(strstr(ml_ctx_message(f->ctx), path));
    assert_int_equal(ml_file_size(path), 0);
}

static void test_empty_file_is_a_format_error(void **state)
{
    fixture *f = *state;
    char path[128];
    path_in(f, path, sizeof path, "empty.csv");
    write_file(path, "", 0);
    assert_int_equal(ml_csv_parse_file(f->ctx, path, NULL, collect, &f->out), ML_FORMAT);
    assert_non_null(strstr(ml_ctx_message(f->ctx), "empty file (no header line)"));
}

static void test_gzip_file_parses_the_same_as_plain(void **state)
{
    fixture *f = *state;
    char path[128];
    /* The name says nothing: the format is sniffed from the bytes. */
    path_in(f, path, sizeof path, "data.csv");
    write_gzip(path, simple_csv, strlen(simple_csv));
    assert_int_equal(ml_csv_parse_file(f->ctx, path, NULL, collect, &f->out), ML_OK);
    assert_string_equal(rows(f), simple_rows);
    assert_int_equal(f->out.last_bytes_in, ml_file_size(path));
}

static void test_large_gzip_file_parses_across_chunks(void **state)
{
    fixture *f = *state;
    char path[128];
    ml_buf csv;
    ml_buf_init(&csv, 0);
    make_noisy_csv(&csv, 30000);
    path_in(f, path, sizeof path, "big.csv.gz");
    write_gzip(path, csv.data, csv.len);
    assert_int_equal(ml_csv_parse_file(f->ctx, path, NULL, collect, &f->out), ML_OK);
    assert_int_equal(f->out.rows, 30001);
    assert_true(f->out.consistent);
    ml_buf_release(&csv);
}

static void test_truncated_gzip_is_a_format_error_after_earlier_rows(void **state)
{
    fixture *f = *state;
    char path[128];
    ml_buf csv;
    ml_buf_init(&csv, 0);
    make_noisy_csv(&csv, 30000);
    path_in(f, path, sizeof path, "cut.csv.gz");
    write_gzip(path, csv.data, csv.len);
    assert_int_equal(truncate(path, (off_t)(ml_file_size(path) / 2)), 0);
    assert_int_equal(ml_csv_parse_file(f->ctx, path, NULL, collect, &f->out), ML_FORMAT);
    const char *msg = ml_ctx_message(f->ctx);
    assert_non_null(strstr(msg, path));
    assert_non_null(strstr(msg, "compressed data truncated or corrupt after line "));
    assert_true(f->out.rows > 0 && f->out.rows < 30001);
    ml_buf_release(&csv);
}

static void test_zip_file_parses_its_first_csv_entry(void **state)
{
    fixture *f = *state;
    char path[128];
    zip_member members[] = {
        {"LISEZMOI.txt", "not,this\n"},
        {"StockEtablissement.CSV", simple_csv},
        {"other.csv", "nor,this\n"},
    };
    path_in(f, path, sizeof path, "stock.bin");
    write_zip(path, members, ML_ARRAY_LEN(members));
    assert_int_equal(ml_csv_parse_file(f->ctx, path, NULL, collect, &f->out), ML_OK);
    assert_string_equal(rows(f), simple_rows);
}

static void test_zip_without_csv_entry_parses_its_first_file(void **state)
{
    fixture *f = *state;
    char path[128];
    zip_member members[] = {{"first.txt", "a;b\n1;2\n"}, {"second.txt", "no\n"}};
    ml_csv_limits lim = {.delimiter = ';'};
    path_in(f, path, sizeof path, "stock.zip");
    write_zip(path, members, ML_ARRAY_LEN(members));
    assert_int_equal(ml_csv_parse_file(f->ctx, path, &lim, collect, &f->out), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:1|2\n");
}

/* ------------------------------------------------------- recover mode */

static const ml_csv_limits recover = {.recover = true};

static void test_without_recover_a_stray_quote_swallows_the_rest(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "a,b\n1,2\n\"3,4\n5,6\n7,8\n"), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:1|2\n3:3,4\\n5,6\\n7,8\\n!\n");
}

static void test_a_stray_quote_loses_only_its_line_when_recovering(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse_str(f, "a,b\n1,2\n\"3,4\n5,6\n7,8\n", &recover), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:1|2\n3:BROKEN\n4:5|6\n5:7|8\n");
    assert_true(f->out.consistent);
}

static void test_a_stray_quote_closed_lines_later_loses_only_its_line(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse_str(f, "a,b\n1,\"x\n3,4\n5,\"6\"\n7,8\n", &recover), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:BROKEN\n3:3|4\n4:5|6\n5:7|8\n");
}

static void test_recovery_keeps_crlf_line_numbers(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse_str(f, "a,b\r\n\"1,2\r\n3,4\r\n\r\n5,6\r\n", &recover), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:BROKEN\n3:3|4\n5:5|6\n");
}

static void test_recovery_keeps_good_multiline_records(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse_str(f, "a,b\n\"x\ny\",z\n1,2\n", &recover), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:x\\ny|z\n4:1|2\n");
}

static void test_recovery_after_a_quote_that_outgrows_a_field(void **state)
{
    fixture *f = *state;
    ml_csv_limits lim = {.recover = true, .max_field = 16};
    assert_int_equal(parse_str(f, "a,b\n1,\"xx\nyyyyyyyyyy\nyyyyyyyyyy\nyyyyyyyyyy\n3,4\n", &lim),
                     ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:BROKEN\n3:yyyyyyyyyy\n4:yyyyyyyyyy\n"
                                 "5:yyyyyyyyyy\n6:3|4\n");
}

static void test_several_stray_quotes_each_lose_one_line(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse_str(f, "a,b\n\"1,2\n\"3,4\n5,6\n\"7,8\n9,10", &recover), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:BROKEN\n3:BROKEN\n4:5|6\n5:BROKEN\n6:9|10\n");
    assert_false(f->out.last_terminated);
}

static void test_a_quote_on_one_line_at_the_end_stays_incomplete(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse_str(f, "a,b\n1,\"2", &recover), ML_OK);
    assert_string_equal(rows(f), "1:a|b\n2:1|2!\n");
}

static void test_zip_entries_are_each_read_with_their_own_header_and_lines(void **state)
{
    fixture *f = *state;
    char path[128];
    zip_member members[] = {
        {"LISEZMOI.txt", "not,this\n"},
        {"one.csv", "a,b\n1,2\n"},
        {"two.CSV", "\xef\xbb\xbf"
                    "c\n3\n4\n"},
    };
    path_in(f, path, sizeof path, "stock.zip");
    write_zip(path, members, ML_ARRAY_LEN(members));
    ml_buf seen;
    ml_buf_init(&seen, 0);
    assert_int_equal(
        ml_csv_parse_entries(f->ctx, path, NULL, note_entry_accept_csv, collect, &f->out), ML_OK);
    assert_string_equal(rows(f), "1:[one.csv]a|b\n2:[one.csv]1|2\n1:[two.CSV]c\n2:[two.CSV]3\n"
                                 "3:[two.CSV]4\n");
    ml_buf_release(&seen);
}

static void test_a_directory_is_named_as_such(void **state)
{
    fixture *f = *state;
    assert_int_equal(ml_csv_parse_file(f->ctx, f->dir, NULL, collect, &f->out), ML_IO);
    assert_non_null(strstr(ml_ctx_message(f->ctx), ": is a directory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_simple_rows_are_delivered_in_order_with_lines),
        T(test_fields_keep_their_spaces),
        T(test_quoted_field_keeps_delimiter_and_doubled_quotes),
        T(test_quoted_field_keeps_embedded_newline_and_counts_lines),
        T(test_quoted_field_keeps_embedded_crlf_and_counts_it_once),
        T(test_utf8_bom_is_skipped),
        T(test_partial_bom_is_kept_as_data),
        T(test_crlf_line_endings_count_once),
        T(test_lf_line_endings),
        T(test_lone_cr_line_endings),
        T(test_blank_lines_are_skipped_but_counted),
        T(test_last_line_without_newline_is_delivered),
        T(test_trailing_delimiter_gives_an_empty_last_field),
        T(test_unterminated_quote_at_eof_is_delivered_incomplete),
        T(test_closed_quote_at_eof_is_complete),
        T(test_results_do_not_depend_on_how_input_is_sliced),
        T(test_overlong_field_stops_with_limit_naming_the_line),
        T(test_quoted_field_of_exactly_the_limit_is_accepted),
        T(test_unclosed_quote_in_large_input_stops_at_the_default_limit),
        T(test_too_many_fields_stops_with_limit),
        T(test_overlong_record_stops_with_limit),
        T(test_empty_input_is_a_format_error),
        T(test_quote_as_delimiter_is_invalid),
        T(test_invalid_utf8_field_is_delivered_as_is_and_rejected_by_validator),
        T(test_utf8_validator_accepts_two_three_and_four_byte_characters),
        T(test_utf8_validator_rejects_overlong_encodings),
        T(test_utf8_validator_rejects_surrogates_and_values_past_u10ffff),
        T(test_utf8_validator_rejects_truncated_sequences_and_stray_continuations),
        T(test_semicolon_delimiter_splits_on_semicolons_only),
        T(test_callback_stop_interrupts_without_touching_message),
        T(test_plain_file_parses_and_reports_its_size),
        T(test_missing_file_is_an_io_error),
        T(test_empty_file_is_a_format_error),
        T(test_gzip_file_parses_the_same_as_plain),
        T(test_large_gzip_file_parses_across_chunks),
        T(test_truncated_gzip_is_a_format_error_after_earlier_rows),
        T(test_zip_file_parses_its_first_csv_entry),
        T(test_zip_without_csv_entry_parses_its_first_file),
        T(test_without_recover_a_stray_quote_swallows_the_rest),
        T(test_a_stray_quote_loses_only_its_line_when_recovering),
        T(test_a_stray_quote_closed_lines_later_loses_only_its_line),
        T(test_recovery_keeps_crlf_line_numbers),
        T(test_recovery_keeps_good_multiline_records),
        T(test_recovery_after_a_quote_that_outgrows_a_field),
        T(test_several_stray_quotes_each_lose_one_line),
        T(test_a_quote_on_one_line_at_the_end_stays_incomplete),
        T(test_zip_entries_are_each_read_with_their_own_header_and_lines),
        T(test_a_directory_is_named_as_such),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
