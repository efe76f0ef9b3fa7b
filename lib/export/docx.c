/* docx.c — Word-compatible documents (docx.h): the body is built as
 * WordprocessingML in a capped buffer, then the package is zipped by
 * libarchive's zip writer. */
#include <archive.h>
#include <archive_entry.h>
#include <time.h>
#include <unistd.h>

#include "export/docx.h"

#define DOCX_MAX (64u << 20) /* a document's XML: 64 MiB */

struct ml_docx {
    ml_buf body;
};

ml_docx *ml_docx_new(void)
{
    ml_docx *d = calloc(1, sizeof *d);
    if (d) ml_buf_init(&d->body, DOCX_MAX);
    return d;
}

void ml_docx_free(ml_docx *d)
{
    if (!d) return;
    ml_buf_release(&d->body);
    free(d);
}

/* Text escaped for XML, invalid UTF-8 replaced, control characters left out. */
static void add_text(ml_buf *b, const char *s)
{
    if (!s) return;
    if (*s == '=' || *s == '+' || *s == '-' || *s == '@') ml_buf_addch(b, '\'');
    ml_buf clean;
    ml_buf_init(&clean, DOCX_MAX);
    ml_buf_add_utf8(&clean, s, strlen(s), DOCX_MAX);
    const char *t = clean.len ? ml_buf_cstr(&clean) : "";
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        switch (*p) {
        case '&':
            ml_buf_addstr(b, "&amp;");
            break;
        case '<':
            ml_buf_addstr(b, "&lt;");
            break;
        case '>':
            ml_buf_addstr(b, "&gt;");
            break;
        case '"':
            ml_buf_addstr(b, "&quot;");
            break;
        case '\t':
            ml_buf_addch(b, ' ');
            break;
        default:
            if (*p >= 0x20 && *p != 0x7f) ml_buf_addch(b, (char)*p);
        }
    }
    ml_buf_release(&clean);
}

/* One run: text with its lines as breaks. */
static void add_run(ml_buf *b, const char *text, const char *props)
{
    ml_buf_addf(b, "<w:r>%s%s%s", props ? "<w:rPr>" : "", props ? props : "",
                props ? "</w:rPr>" : "");
    const char *p = text ? text : "";
    for (bool first = true;; first = false) {
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);
        if (!line) {
            ml_buf_grow(&b[0], DOCX_MAX + 1); /* sets the sticky error */
            break;
        }
        if (!first) ml_buf_addstr(b, "<w:br/>");
        ml_buf_addstr(b, "<w:t xml:space=\"preserve\">");
        add_text(b, line);
        ml_buf_addstr(b, "</w:t>");
        free(line);
        if (!p[n]) break;
        p += n + 1;
    }
    ml_buf_addstr(b, "</w:r>");
}

void ml_docx_heading(ml_docx *d, int level, const char *text)
{
    if (level < 1) level = 1;
    if (level > 3) level = 3;
    ml_buf_addf(&d->body, "<w:p><w:pPr><w:pStyle w:val=\"Heading%d\"/></w:pPr>", level);
    add_run(&d->body, text, NULL);
    ml_buf_addstr(&d->body, "</w:p>");
}

void ml_docx_para(ml_docx *d, const char *text, bool bold)
{
    ml_buf_addstr(&d->body, "<w:p>");
    add_run(&d->body, text, bold ? "<w:b/>" : NULL);
    ml_buf_addstr(&d->body, "</w:p>");
}

void ml_docx_warning(ml_docx *d, const char *text)
{
    ml_buf_addstr(&d->body, "<w:p>");
    add_run(&d->body, text, "<w:b/><w:color w:val=\"C00000\"/>");
    ml_buf_addstr(&d->body, "</w:p>");
}

static void add_cell(ml_buf *b, const char *text, bool header)
{
    ml_buf_addstr(b, "<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr><w:p>");
    add_run(b, text ? text : "", header ? "<w:b/>" : NULL);
    ml_buf_addstr(b, "</w:p></w:tc>");
}

void ml_docx_table(ml_docx *d, const char *const *titles, size_t ncols, const char *const *cells,
                   size_t nrows)
{
    ml_buf *b = &d->body;
    ml_buf_addstr(b, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
                     "<w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>"
                     "<w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>"
                     "<w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>"
                     "<w:insideH w:val=\"single\" w:sz=\"4\"/>"
                     "<w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders></w:tblPr>"
                     "<w:tblGrid>");
    for (size_t c = 0; c < ncols; c++)
        ml_buf_addstr(b, "<w:gridCol/>");
    ml_buf_addstr(b, "</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
    for (size_t c = 0; c < ncols; c++)
        add_cell(b, titles[c], true);
    ml_buf_addstr(b, "</w:tr>");
    for (size_t r = 0; r < nrows; r++) {
        ml_buf_addstr(b, "<w:tr>");
        for (size_t c = 0; c < ncols; c++)
            add_cell(b, cells[r * ncols + c], false);
        ml_buf_addstr(b, "</w:tr>");
    }
    ml_buf_addstr(b, "</w:tbl><w:p/>");
}

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "</Types>";

static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "</Relationships>";

static const char document_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""

static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles " W_NS ">"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" "
    "w:cs=\"Calibri\"/><w:sz w:val=\"20\"/><w:lang w:val=\"fr-FR\"/></w:rPr></w:rPrDefault>"
    "<w:pPrDefault><w:pPr><w:spacing w:after=\"80\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "</w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" "
    "w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"36\"/>"
    "</w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:before=\"200\" "
    "w:after=\"80\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"28\"/>"
    "</w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"2\"/></w:pPr>"
    "<w:rPr><w:b/><w:sz w:val=\"24\"/></w:rPr></w:style>"
    "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/></w:style>"
    "</w:styles>";

static int put(struct archive *a, const char *name, const char *data, size_t len, time_t now)
{
    struct archive_entry *e = archive_entry_new();
    if (!e) return -1;
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_mtime(e, now, 0);
    int rc = archive_write_header(a, e);
    if (rc == ARCHIVE_OK && archive_write_data(a, data, len) != (la_ssize_t)len) rc = ARCHIVE_FATAL;
    archive_entry_free(e);
    return rc == ARCHIVE_OK ? 0 : -1;
}

ml_err ml_docx_write(ml_docx *d, ml_ctx *ctx, const char *path, const char *title)
{
    ml_buf doc, core;
    ml_buf_init(&doc, DOCX_MAX + 4096);
    ml_buf_init(&core, 1u << 16);
    ml_buf_addstr(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                        "<w:document " W_NS "><w:body>");
    ml_buf_add(&doc, d->body.data ? d->body.data : "", d->body.len);
    ml_buf_addstr(&doc, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" "
                        "w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" "
                        "w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>");
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    ml_buf_addstr(&core,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                  "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
                  "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                  "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
                  "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    add_text(&core, title);
    ml_buf_addf(&core,
                "</dc:title><dc:creator>maillage</dc:creator><dcterms:created "
                "xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created></cp:coreProperties>",
                stamp);
    ml_err r = ML_OK;
    if (ml_buf_failed(&d->body) || ml_buf_failed(&doc) || ml_buf_failed(&core)) {
        r = ml_fail(ctx, ML_LIMIT, "%s: the document is larger than %u MiB", path, DOCX_MAX >> 20);
        goto out;
    }
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) {
        r = ml_fail(ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    ml_snprintf(tmp, n, "%s.tmp%d", path, (int)getpid());
    struct archive *a = archive_write_new();
    bool ok = a && archive_write_set_format_zip(a) == ARCHIVE_OK &&
              archive_write_zip_set_compression_deflate(a) == ARCHIVE_OK &&
              archive_write_open_filename(a, tmp) == ARCHIVE_OK;
    ok = ok && put(a, "[Content_Types].xml", content_types, sizeof content_types - 1, now) == 0;
    ok = ok && put(a, "_rels/.rels", package_rels, sizeof package_rels - 1, now) == 0;
    ok = ok &&
         put(a, "word/_rels/document.xml.rels", document_rels, sizeof document_rels - 1, now) == 0;
    ok = ok && put(a, "word/document.xml", doc.data, doc.len, now) == 0;
    ok = ok && put(a, "word/styles.xml", styles, sizeof styles - 1, now) == 0;
    ok = ok && put(a, "docProps/core.xml", core.data, core.len, now) == 0;
    ok = a && archive_write_close(a) == ARCHIVE_OK && ok;
    if (!ok)
        r = ml_fail(ctx, ML_IO, "%s: cannot write: %s", path,
                    a && archive_error_string(a) ? archive_error_string(a) : "zip writer failed");
    if (a) archive_write_free(a);
    if (!r && rename(tmp, path) != 0) r = ml_fail(ctx, ML_IO, "%s: cannot write", path);
    if (r) unlink(tmp);
    free(tmp);
out:
    ml_buf_release(&doc);
    ml_buf_release(&core);
    return r;
}
