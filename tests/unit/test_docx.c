/* test_docx.c — the Word-compatible document writer (lib/export/docx.c):
 * the package holds the parts Word needs and no other, its text is escaped
 * for XML (markup a person typed stays text), control characters are left
 * out, invalid UTF-8 is replaced, a value that starts as a formula stays
 * text, and a file that cannot be written is said so, naming it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/docx.h"

/* The parts of the package at path, joined by '\n', and word/document.xml. */
static void read_package(const char *path, char *names, size_t nsize, char **doc)
{
    struct archive *a = archive_read_new();
    archive_read_support_format_zip(a);
    assert_int_equal(archive_read_open_filename(a, path, 10240), ARCHIVE_OK);
    struct archive_entry *e;
    size_t used = 0;
    names[0] = '\0';
    *doc = NULL;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        const char *n = archive_entry_pathname(e);
        int k = snprintf(names + used, nsize - used, "%s\n", n);
        if (k > 0 && (size_t)k < nsize - used) used += (size_t)k;
        if (strcmp(n, "word/document.xml") == 0) {
            size_t size = (size_t)archive_entry_size(e);
            *doc = calloc(1, size + 1);
            assert_int_equal(archive_read_data(a, *doc, size), (la_ssize_t)size);
        }
    }
    archive_read_free(a);
}

static void test_a_package_with_escaped_text(void **state)
{
    (void)state;
    char path[] = "/tmp/maillage-docx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    ml_ctx *ctx = ml_ctx_new();
    ml_docx *d = ml_docx_new();
    assert_non_null(d);
    ml_docx_heading(d, 1, "Feuille de route — Rebond");
    ml_docx_para(d, "a < b & \"c\" <script>x</script>", false);
    ml_docx_para(d, "line one\nline two\x01", true);
    ml_docx_warning(d, "Données générées");
    const char *titles[] = {"Action", "Responsable"};
    const char *cells[] = {"=SUM(A1)", "@owner", "bad \xff byte", NULL};
    ml_docx_table(d, titles, 2, cells, 2);
    assert_int_equal(ml_docx_write(d, ctx, path, "Titre & co"), ML_OK);
    ml_docx_free(d);
    char names[512], *doc;
    read_package(path, names, sizeof names, &doc);
    assert_string_equal(names, "[Content_Types].xml\n_rels/.rels\nword/_rels/document.xml.rels\n"
                               "word/document.xml\nword/styles.xml\ndocProps/core.xml\n");
    assert_non_null(doc);
    assert_non_null(strstr(doc, "a &lt; b &amp; &quot;c&quot; &lt;script&gt;x&lt;/script&gt;"));
    assert_null(strstr(doc, "<script>"));
    assert_non_null(strstr(doc, "line one</w:t><w:br/><w:t xml:space=\"preserve\">line two</w:t>"));
    assert_null(strchr(doc, '\x01'));
    assert_non_null(strstr(doc, "'=SUM(A1)"));
    assert_non_null(strstr(doc, "'@owner"));
    assert_non_null(strstr(doc, "bad \xef\xbf\xbd byte"));
    assert_non_null(strstr(doc, "<w:pStyle w:val=\"Heading1\"/>"));
    assert_non_null(strstr(doc, "<w:color w:val=\"C00000\"/>"));
    free(doc);
    unlink(path);
    ml_ctx_free(ctx);
}

static void test_a_file_that_cannot_be_written_is_named(void **state)
{
    (void)state;
    ml_ctx *ctx = ml_ctx_new();
    ml_docx *d = ml_docx_new();
    ml_docx_para(d, "x", false);
    assert_int_equal(ml_docx_write(d, ctx, "/nonexistent-dir/r.docx", "t"), ML_IO);
    assert_non_null(strstr(ml_ctx_message(ctx), "/nonexistent-dir/r.docx"));
    ml_docx_free(d);
    ml_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_package_with_escaped_text),
        cmocka_unit_test(test_a_file_that_cannot_be_written_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
