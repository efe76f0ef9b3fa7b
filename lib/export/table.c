/* table.c — one table description, three files: CSV for a French
 * spreadsheet, plain CSV, Excel (libxlsxwriter). See table.h. */
#include <errno.h>
#include <math.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "export/csv.h"
#include "export/table.h"

/* The cell as text, rounded as its column wants ("12.5"); "" when null. */
static void cell_text(const ml_col *c, json_t *v, char *out, size_t size)
{
    out[0] = '\0';
    if (!v || json_is_null(v)) return;
    if (json_is_string(v)) {
        ml_snprintf(out, size, "%s", json_string_value(v));
        return;
    }
    if (!json_is_number(v)) return;
    double x = json_number_value(v);
    switch (c->kind) {
    case ML_COL_INT:
        ml_snprintf(out, size, "%.0f", x);
        break;
    case ML_COL_DEC1:
        ml_snprintf(out, size, "%.1f", x);
        break;
    case ML_COL_DEC3:
        ml_snprintf(out, size, "%.3f", x);
        break;
    case ML_COL_DEC5:
        ml_snprintf(out, size, "%.5f", x);
        break;
    case ML_COL_PCT:
        ml_snprintf(out, size, "%.1f", 100 * x);
        break;
    case ML_COL_EUR:
        ml_snprintf(out, size, "%.2f", x);
        break;
    default:
        ml_snprintf(out, size, "%g", x);
    }
}

static ml_err finish(ml_ctx *ctx, const char *tmp, const char *path, bool ok)
{
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return ml_fail(ctx, ML_IO, "%s: cannot write: %s", path, ok ? strerror(e) : "write failed");
    }
    return ML_OK;
}

/* One sheet: its header (a share column says "(%)") and its rows. */
static void csv_sheet(ml_csv_writer *w, const ml_sheet *sh)
{
    for (size_t c = 0; c < sh->ncols; c++) {
        if (sh->cols[c].kind == ML_COL_PCT) {
            char name[256];
            ml_snprintf(name, sizeof name, "%s (%%)", sh->cols[c].name);
            ml_csvw_text(w, name);
        } else {
            ml_csvw_text(w, sh->cols[c].name);
        }
    }
    ml_csvw_end_row(w);
    size_t i;
    json_t *row;
    json_array_foreach(sh->rows, i, row)
    {
        for (size_t c = 0; c < sh->ncols; c++) {
            json_t *v = json_array_get(row, c);
            char text[64];
            if (sh->cols[c].kind == ML_COL_TEXT || sh->cols[c].kind == ML_COL_WRAP ||
                !json_is_number(v)) {
                ml_csvw_text(w, json_is_string(v) ? json_string_value(v) : "");
            } else {
                cell_text(&sh->cols[c], v, text, sizeof text);
                ml_csvw_number(w, text);
            }
        }
        ml_csvw_end_row(w);
    }
}

/* A CSV is one table, the first sheet, that a spreadsheet can filter. A
 * report (a territory's figures) gives every table after a line with its name
 * and an empty line, then the method and sources. */
static ml_err write_csv(ml_ctx *ctx, const ml_table_doc *doc, bool french, const char *path)
{
    char tmp[4096];
    if (ml_snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()))
        return ml_fail(ctx, ML_LIMIT, "path too long");
    FILE *f = fopen(tmp, "w");
    if (!f) return ml_fail(ctx, ML_IO, "%s: cannot write: %s", path, strerror(errno));
    ml_csv_writer w;
    ml_csvw_init(&w, f, french ? ML_CSVW_FRENCH : 0);
    if (!doc->csv_report) {
        csv_sheet(&w, &doc->sheets[0]);
    } else {
        if (doc->title) {
            ml_csvw_text(&w, doc->title);
            ml_csvw_end_row(&w);
            ml_csvw_end_row(&w);
        }
        for (size_t s = 0; s < doc->nsheets; s++) {
            ml_csvw_text(&w, doc->sheets[s].name);
            ml_csvw_end_row(&w);
            csv_sheet(&w, &doc->sheets[s]);
            ml_csvw_end_row(&w);
        }
        ml_csvw_text(&w, "Méthode et sources");
        ml_csvw_end_row(&w);
        for (size_t k = 0; k < doc->nnotes; k++) {
            ml_csvw_text(&w, doc->notes[k]);
            ml_csvw_end_row(&w);
        }
    }
    bool ok = ml_csvw_finish(&w) == 0;
    ok &= fclose(f) == 0;
    return finish(ctx, tmp, path, ok);
}

static ml_err write_xlsx(ml_ctx *ctx, const ml_table_doc *doc, const char *path)
{
    char tmp[4096];
    if (ml_snprintf(tmp, sizeof tmp, "%s.tmp%ld.xlsx", path, (long)getpid()))
        return ml_fail(ctx, ML_LIMIT, "path too long");
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(tmp, &wo);
    if (!wb) return ml_fail(ctx, ML_IO, "%s: cannot create the workbook", path);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_text_wrap(head);
    format_set_bg_color(head, 0xDCE6F1);
    format_set_bottom(head, LXW_BORDER_THIN);
    lxw_format *fmts[ML_COL_WRAP + 1] = {NULL};
    static const char *const num[] = {NULL,    "#,##0",   "0.0",          "0.000",
                                      "0.00000", "0.0%",   "#,##0.00 €", NULL};
    for (int k = ML_COL_INT; k <= ML_COL_EUR; k++) {
        fmts[k] = workbook_add_format(wb);
        format_set_num_format(fmts[k], num[k]);
    }
    fmts[ML_COL_WRAP] = workbook_add_format(wb);
    format_set_text_wrap(fmts[ML_COL_WRAP]);
    format_set_align(fmts[ML_COL_WRAP], LXW_ALIGN_VERTICAL_TOP);

    for (size_t s = 0; s < doc->nsheets; s++) {
        const ml_sheet *sh = &doc->sheets[s];
        lxw_worksheet *ws = workbook_add_worksheet(wb, sh->name);
        if (!ws) continue;
        for (size_t c = 0; c < sh->ncols; c++) {
            const ml_col *col = &sh->cols[c];
            double width = col->width > 0 ? col->width : col->kind == ML_COL_WRAP ? 70 : 14;
            worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width,
                                 col->kind == ML_COL_WRAP ? fmts[ML_COL_WRAP] : NULL);
            worksheet_write_string(ws, 0, (lxw_col_t)c, col->name, head);
        }
        worksheet_freeze_panes(ws, 1, 0);
        size_t nrows = json_array_size(sh->rows);
        if (sh->ncols) worksheet_autofilter(ws, 0, 0, (lxw_row_t)nrows, (lxw_col_t)(sh->ncols - 1));
        size_t i;
        json_t *row;
        json_array_foreach(sh->rows, i, row)
        {
            for (size_t c = 0; c < sh->ncols; c++) {
                const ml_col *col = &sh->cols[c];
                json_t *v = json_array_get(row, c);
                lxw_row_t rr = (lxw_row_t)i + 1;
                if (!v || json_is_null(v)) continue;
                if (json_is_number(v) && col->kind != ML_COL_TEXT && col->kind != ML_COL_WRAP) {
                    /* Rounded as shown, so a sum in the sheet adds what is shown. */
                    char text[64];
                    if (col->kind == ML_COL_PCT) /* 0.084, not 8.4 / 100 = 0.08400000000000001 */
                        ml_snprintf(text, sizeof text, "%.3f", json_number_value(v));
                    else
                        cell_text(col, v, text, sizeof text);
                    double x = strtod(text, NULL);
                    worksheet_write_number(ws, rr, (lxw_col_t)c, x, fmts[col->kind]);
                } else {
                    char text[64];
                    if (!json_is_string(v)) cell_text(col, v, text, sizeof text);
                    worksheet_write_string(ws, rr, (lxw_col_t)c,
                                           json_is_string(v) ? json_string_value(v) : text,
                                           col->kind == ML_COL_WRAP ? fmts[ML_COL_WRAP] : NULL);
                }
            }
        }
    }
    lxw_worksheet *m = workbook_add_worksheet(wb, "Méthode et sources");
    lxw_format *wrap = fmts[ML_COL_WRAP];
    worksheet_set_column(m, 0, 0, 110, wrap);
    lxw_row_t r = 0;
    if (doc->title) worksheet_write_string(m, r++, 0, doc->title, head);
    for (size_t k = 0; k < doc->nnotes; k++)
        worksheet_write_string(m, r++, 0, doc->notes[k], wrap);
    lxw_error e = workbook_close(wb);
    return finish(ctx, tmp, path, e == LXW_NO_ERROR);
}

ml_err ml_table_write(ml_ctx *ctx, const ml_table_doc *doc, int fmt, const char *path)
{
    if (!doc || doc->nsheets == 0) return ml_fail(ctx, ML_INVALID, "nothing to export");
    switch (fmt) {
    case ML_EXPORT_CSV:
        return write_csv(ctx, doc, true, path);
    case ML_EXPORT_CSV_PLAIN:
        return write_csv(ctx, doc, false, path);
    case ML_EXPORT_XLSX:
        return write_xlsx(ctx, doc, path);
    default:
        return ml_fail(ctx, ML_INVALID, "unknown export format %d", fmt);
    }
}

/* Lower-case ASCII words of a UTF-8 name, joined by '-': accents folded
 * (é -> e, œ -> oe), anything else a separator. */
static void slug(ml_buf *b, const char *name, size_t max)
{
    /* Latin-1 letters U+00C0..U+00FF by their low 6 bits ("" = separator). */
    static const char *const latin[64] = {
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "",  "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "",  "y"};
    bool dash = false;
    size_t start = b->len;
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p && b->len - start < max;
         p++) {
        const char *add = NULL;
        char one[2] = {0, 0};
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            one[0] = (char)*p;
            add = one;
        } else if (*p >= 'A' && *p <= 'Z') {
            one[0] = (char)(*p + 32);
            add = one;
        } else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            add = latin[(p[1] - 0x80) & 63];
            p++;
        } else if (*p == 0xC5 && (p[1] == 0x92 || p[1] == 0x93)) {
            add = "oe";
            p++;
        } else if (*p >= 0x80) {
            while ((p[1] & 0xC0) == 0x80)
                p++;
        }
        if (add && *add) {
            if (dash && b->len > start) ml_buf_addch(b, '-');
            ml_buf_addstr(b, add);
            dash = false;
        } else {
            dash = true;
        }
    }
}

void ml_export_filename(char *out, size_t size, const char *kind, const char *name,
                        ml_export_format fmt)
{
    ml_buf b;
    ml_buf_init(&b, 512);
    slug(&b, kind, 40);
    if (name && *name) {
        ml_buf_addch(&b, '-');
        slug(&b, name, 60);
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    ml_buf_addf(&b, "-%04d-%02d-%02d.%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                fmt == ML_EXPORT_XLSX ? "xlsx" : "csv");
    /* The slugs are cut well below the cap; a failure still gives a name. */
    if (ml_buf_failed(&b))
        ml_snprintf(out, size, "maillage.%s", fmt == ML_EXPORT_XLSX ? "xlsx" : "csv");
    else
        ml_snprintf(out, size, "%s", ml_buf_cstr(&b));
    ml_buf_release(&b);
}
