/* test_text.c — specification of what maillage writes from input it did not
 * make: text made valid UTF-8 and bounded (problem documents), text escaped
 * for a terminal or a log line, and the one CSV writer (quoting, formula
 * neutralisation, BOM). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "export/csv.h"

static const char *sanitized(ml_buf *b, const char *s, size_t len, size_t max)
{
    ml_buf_reset(b);
    assert_int_equal(ml_buf_add_utf8(b, s, len, max), 0);
    return ml_buf_cstr(b);
}

static const char *escaped(ml_buf *b, const char *s, size_t max)
{
    ml_buf_reset(b);
    assert_int_equal(ml_buf_add_escaped(b, s, strlen(s), max, 0), 0);
    return ml_buf_cstr(b);
}

/* ------------------------------------------------------------ valid UTF-8 */

static void test_valid_text_is_copied_unchanged(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 0);
    assert_string_equal(sanitized(&b, "Société é€𝄞", strlen("Société é€𝄞"), 100), "Société é€𝄞");
    ml_buf_release(&b);
}

static void test_invalid_bytes_become_replacement_characters(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 0);
    assert_string_equal(sanitized(&b,
                                  "a\xff"
                                  "b\xc3",
                                  4, 100),
                        "a\xef\xbf\xbd"
                        "b\xef\xbf\xbd");
    /* An overlong encoding and a surrogate are invalid too. */
    assert_string_equal(sanitized(&b, "\xc0\xaf", 2, 100), "\xef\xbf\xbd\xef\xbf\xbd");
    assert_true(ml_utf8_valid(ml_buf_cstr(&b), b.len));
    ml_buf_release(&b);
}

static void test_a_cut_never_splits_a_character_and_says_so(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 0);
    /* 59 'a' then é: cut at 60 bytes would split the é. */
    char in[64];
    memset(in, 'a', 59);
    memcpy(in + 59, "\xc3\xa9", 2);
    const char *out = sanitized(&b, in, 61, 60);
    assert_true(ml_utf8_valid(out, b.len));
    assert_true(b.len <= 60 + strlen("…"));
    assert_memory_equal(out + b.len - strlen("…"), "…", strlen("…"));
    assert_int_equal(strncmp(out, in, 59), 0);
    ml_buf_release(&b);
}

/* ------------------------------------------------------------- escaping */

static void test_control_characters_are_escaped_for_terminals(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 0);
    assert_string_equal(escaped(&b, "\x1b[31mred\x1b[0m", 100), "\\e[31mred\\e[0m");
    assert_string_equal(escaped(&b, "a\nb\r\tc\x7f", 100), "a\\nb\\r\\tc\\x7f");
    assert_string_equal(escaped(&b, "back\\slash \"q\"", 100), "back\\\\slash \"q\"");
    /* C1 controls (U+009B is a one-byte CSI on some terminals) and
     * bidirectional overrides. */
    assert_string_equal(escaped(&b,
                                "x\xc2\x9b"
                                "2J",
                                100),
                        "x\\u{9b}2J");
    assert_string_equal(escaped(&b,
                                "abc\xe2\x80\xae"
                                "fed",
                                100),
                        "abc\\u{202e}fed");
    assert_string_equal(escaped(&b, "\xff\xfe", 100), "\\xff\\xfe");
    assert_string_equal(escaped(&b, "Société", 100), "Société");
    /* For log lines quoted with "": quotes are escaped on request. */
    ml_buf_reset(&b);
    assert_int_equal(ml_buf_add_escaped(&b, "a\"b", 3, 100, ML_ESCAPE_QUOTES), 0);
    assert_string_equal(ml_buf_cstr(&b), "a\\\"b");
    ml_buf_release(&b);
}

static void test_escaping_is_bounded(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 0);
    const char *out = escaped(&b, "\x1b\x1b\x1b\x1b\x1b\x1b", 5);
    assert_string_equal(out, "\\e\\e…");
    ml_buf_release(&b);
}

/* ---------------------------------------------------------- CSV writer */

typedef struct csv_out {
    char path[64];
    FILE *f;
    ml_csv_writer w;
} csv_out;

static void csv_open(csv_out *o, unsigned flags)
{
    assert_int_equal(ml_snprintf(o->path, sizeof o->path, "/tmp/test_text.XXXXXX"), 0);
    int fd = mkstemp(o->path);
    assert_true(fd >= 0);
    close(fd);
    o->f = fopen(o->path, "w+b");
    assert_non_null(o->f);
    ml_csvw_init(&o->w, o->f, flags);
}

/* Finishes the file and returns its bytes (caller frees). */
static char *csv_close(csv_out *o)
{
    assert_int_equal(ml_csvw_finish(&o->w), 0);
    long n = ftell(o->f);
    rewind(o->f);
    char *s = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, o->f), (size_t)n);
    fclose(o->f);
    unlink(o->path);
    return s;
}

static void test_cells_are_quoted_with_doubled_quotes(void **state)
{
    (void)state;
    csv_out o;
    csv_open(&o, 0);
    ml_csvw_text(&o.w, "a,b");
    ml_csvw_text(&o.w, "say \"hi\"");
    ml_csvw_number(&o.w, "12");
    ml_csvw_end_row(&o.w);
    ml_csvw_name(&o.w, "col_1");
    ml_csvw_name(&o.w, "=x");
    ml_csvw_end_row(&o.w);
    ml_csvw_text(&o.w, "two\nlines");
    ml_csvw_end_row(&o.w);
    char *s = csv_close(&o);
    assert_string_equal(s, "\"a,b\",\"say \"\"hi\"\"\",12\ncol_1,\"'=x\"\n\"two\nlines\"\n");
    free(s);
}

static void test_formulas_are_neutralised_as_owasp_recommends(void **state)
{
    (void)state;
    csv_out o;
    csv_open(&o, 0);
    static const char *const cells[] = {
        "=HYPERLINK(\"http://evil.example/\",\"click\")",
        "+1",
        "-2+3",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "ok=1",
    };
    for (size_t i = 0; i < ML_ARRAY_LEN(cells); i++)
        ml_csvw_text(&o.w, cells[i]);
    ml_csvw_end_row(&o.w);
    char *s = csv_close(&o);
    assert_string_equal(s, "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\",\"'+1\","
                           "\"'-2+3\",\"'@SUM(A1)\",\"'\tx\",\"'\rx\",\"ok=1\"\n");
    free(s);
}

static void test_numbers_stay_numbers_and_anything_else_is_text(void **state)
{
    (void)state;
    csv_out o;
    csv_open(&o, 0);
    ml_csvw_number(&o.w, "-1.5");
    ml_csvw_number(&o.w, "0.25");
    ml_csvw_number(&o.w, "-1+2");
    ml_csvw_number(&o.w, "");
    ml_csvw_end_row(&o.w);
    char *s = csv_close(&o);
    assert_string_equal(s, "-1.5,0.25,\"'-1+2\",\"\"\n");
    free(s);
}

static void test_bom_one_line_cut_and_invalid_utf8(void **state)
{
    (void)state;
    csv_out o;
    csv_open(&o, ML_CSVW_BOM | ML_CSVW_ONE_LINE);
    ml_csvw_text(&o.w, "a\r\nb");
    ml_csvw_text_max(&o.w, "ééé", 4);
    ml_csvw_text(&o.w, "bad\xff");
    ml_csvw_end_row(&o.w);
    char *s = csv_close(&o);
    assert_string_equal(s, "\xef\xbb\xbf\"a  b\",\"éé…\",\"bad\xef\xbf\xbd\"\n");
    free(s);
}

static void test_a_failed_write_is_remembered(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f) skip();
    setvbuf(f, NULL, _IONBF, 0);
    ml_csv_writer w;
    ml_csvw_init(&w, f, 0);
    ml_csvw_text(&w, "x");
    ml_csvw_end_row(&w);
    assert_int_equal(ml_csvw_finish(&w), -1);
    fclose(f);
}

/* Fields of files for programs (the demo's SIRENE stocks): quoted only when
 * needed, never altered; a full buffer is an error. */
static void test_program_fields_are_quoted_only_when_needed(void **state)
{
    (void)state;
    ml_buf b;
    ml_buf_init(&b, 64);
    assert_int_equal(ml_csv_add_field(&b, "-12.5"), 0);
    ml_buf_addch(&b, ',');
    assert_int_equal(ml_csv_add_field(&b, "=SUM(A1)"), 0);
    ml_buf_addch(&b, ',');
    assert_int_equal(ml_csv_add_field(&b, NULL), 0);
    ml_buf_addch(&b, ',');
    assert_int_equal(ml_csv_add_field(&b, "a \"b\", c"), 0);
    ml_buf_addch(&b, ',');
    assert_int_equal(ml_csv_add_field(&b, "two\nlines"), 0);
    assert_string_equal(ml_buf_cstr(&b), "-12.5,=SUM(A1),,\"a \"\"b\"\", c\",\"two\nlines\"");
    assert_int_equal(ml_csv_add_field(&b, "a field that no longer fits in the sixty-four bytes"),
                     -1);
    assert_true(ml_buf_failed(&b));
    ml_buf_release(&b);
}

/* The network export goes through the writer: a company name that is a
 * formula reaches the file as text. */
static void test_network_export_neutralises_formulas_in_names(void **state)
{
    (void)state;
    ml_ctx *ctx = ml_ctx_new();
    assert_non_null(ctx);
    json_t *report =
        json_pack("{s:s, s:[{s:i, s:f, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:f, s:{s:f}, s:s}, s:n}]}",
                  "network", "N", "pairs", "rank", 1, "score", 0.5, "a", "siret", "91000002500015",
                  "name", "=HYPERLINK(\"http://evil.example/\",\"click\")", "b", "siret",
                  "91000001700012", "name", "@acheteur", "a_to_b", "score", 0.5, "parts",
                  "distance_km", 2.5, "reason_fr", "-raison", "b_to_a");
    assert_non_null(report);
    char path[] = "/tmp/test_text_export.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ml_export_network(ctx, report, ML_EXPORT_CSV_PLAIN, path), ML_OK);
    FILE *f = fopen(path, "rb");
    char buf[2048] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    unlink(path);
    assert_non_null(strstr(buf, "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\""));
    assert_non_null(strstr(buf, "\"'@acheteur\""));
    assert_non_null(strstr(buf, "\"'-raison\""));
    assert_null(strstr(buf, ",\"=HYPERLINK"));
    json_decref(report);
    ml_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_text_is_copied_unchanged),
        cmocka_unit_test(test_invalid_bytes_become_replacement_characters),
        cmocka_unit_test(test_a_cut_never_splits_a_character_and_says_so),
        cmocka_unit_test(test_control_characters_are_escaped_for_terminals),
        cmocka_unit_test(test_escaping_is_bounded),
        cmocka_unit_test(test_cells_are_quoted_with_doubled_quotes),
        cmocka_unit_test(test_formulas_are_neutralised_as_owasp_recommends),
        cmocka_unit_test(test_numbers_stay_numbers_and_anything_else_is_text),
        cmocka_unit_test(test_bom_one_line_cut_and_invalid_utf8),
        cmocka_unit_test(test_a_failed_write_is_remembered),
        cmocka_unit_test(test_program_fields_are_quoted_only_when_needed),
        cmocka_unit_test(test_network_export_neutralises_formulas_in_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
