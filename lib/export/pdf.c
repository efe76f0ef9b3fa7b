/* pdf.c — A4 pages on cairo: headings, wrapped paragraphs and table cells,
 * bars and a chart by year. See pdf.h. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "export/pdf.h"

#define PAGE_W 595.28 /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 50.0
#define TOP 64.0     /* first line under the running header */
#define BOTTOM 780.0 /* last line above the footer */
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define FONT "DejaVu Sans"
#define LINES_MAX 200 /* lines of one wrapped text (a cell or a paragraph) */

struct ml_pdf {
    ml_ctx *ctx;
    cairo_surface_t *surface;
    cairo_t *cr;
    char *path, *tmp, *header, *footer;
    double y;
    int page;
    bool page_open;
};

static void font(ml_pdf *p, double size, bool bold)
{
    cairo_select_font_face(p->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(p->cr, size);
}

static double text_width(ml_pdf *p, const char *s, size_t len)
{
    char buf[1024];
    if (len >= sizeof buf) {
        len = sizeof buf - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--; /* whole characters */
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    cairo_text_extents_t e;
    cairo_text_extents(p->cr, buf, &e);
    return e.x_advance;
}

static void show(ml_pdf *p, double x, double y, const char *s, size_t len)
{
    char buf[1024];
    if (len >= sizeof buf) {
        len = sizeof buf - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) len--; /* whole characters */
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    cairo_move_to(p->cr, x, y);
    cairo_show_text(p->cr, buf);
}

/* Length of the UTF-8 character at s (1 for a broken byte: cairo is given
 * only valid text, see wrap()). */
static size_t char_len(const char *s, size_t n)
{
    uint32_t cp;
    size_t k = ml_utf8_decode(s, n, &cp);
    return k ? k : 1;
}

typedef struct line {
    size_t start, len;
} line;

/* Splits s into lines of at most `width` points at the current font: at
 * spaces, or inside a word longer than a line; at most LINES_MAX lines (the
 * last one then ends with "…"). Returns the number of lines. */
static size_t wrap(ml_pdf *p, const char *s, double width, line *out)
{
    size_t n = strlen(s), count = 0, i = 0;
    while (i < n && count < LINES_MAX) {
        while (i < n && s[i] == ' ') i++;
        if (i >= n) break;
        size_t start = i, best = 0;
        size_t j = i;
        while (j < n) {
            size_t e = j;
            while (e < n && s[e] != ' ' && s[e] != '\n') e++;
            if (text_width(p, s + start, e - start) > width) break;
            best = e - start;
            j = e;
            if (j < n && s[j] == '\n') break;
            while (j < n && s[j] == ' ') j++;
        }
        if (best == 0) {
            /* One word wider than the line: as many characters as fit (at least one). */
            size_t k = start;
            while (k < n && s[k] != ' ' && s[k] != '\n') {
                size_t c = char_len(s + k, n - k);
                if (k > start && text_width(p, s + start, k + c - start) > width) break;
                k += c;
            }
            best = k - start;
        }
        out[count++] = (line){start, best};
        i = start + best;
        if (i < n && s[i] == '\n') i++;
    }
    return count;
}

static void draw_header_footer(ml_pdf *p)
{
    cairo_t *cr = p->cr;
    font(p, 7.5, false);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    line ls[LINES_MAX];
    size_t nl = wrap(p, p->header, TEXT_W, ls);
    if (nl) show(p, MARGIN, 32, p->header + ls[0].start, ls[0].len);
    cairo_move_to(cr, MARGIN, 38);
    cairo_line_to(cr, PAGE_W - MARGIN, 38);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    char num[32];
    ml_snprintf(num, sizeof num, "%d", p->page);
    double w = text_width(p, num, strlen(num));
    show(p, PAGE_W - MARGIN - w, PAGE_H - 30, num, strlen(num));
    if (p->footer) {
        font(p, 8, true);
        cairo_set_source_rgb(cr, 0.75, 0.05, 0.05);
        nl = wrap(p, p->footer, TEXT_W - 40, ls);
        for (size_t k = 0; k < nl && k < 2; k++)
            show(p, MARGIN, PAGE_H - 42 + 10 * (double)k, p->footer + ls[k].start, ls[k].len);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
}

static void new_page(ml_pdf *p)
{
    if (p->page_open) cairo_show_page(p->cr);
    p->page++;
    p->page_open = true;
    p->y = TOP;
    draw_header_footer(p);
}

/* Makes room for h points, on a new page if needed. */
static void need(ml_pdf *p, double h)
{
    if (!p->page_open || (p->y + h > BOTTOM && p->y > TOP)) new_page(p);
}

ml_err ml_pdf_open(ml_ctx *ctx, const char *path, const char *title, const char *header,
                   const char *footer, ml_pdf **out)
{
    *out = NULL;
    ml_pdf *p = calloc(1, sizeof *p);
    if (!p) return ml_fail(ctx, ML_NOMEM, "out of memory");
    p->ctx = ctx;
    size_t n = strlen(path) + 16;
    p->path = ml_strdup(path);
    p->tmp = malloc(n);
    p->header = ml_strdup(header ? header : "");
    p->footer = footer ? ml_strdup(footer) : NULL;
    if (!p->path || !p->tmp || !p->header || (footer && !p->footer)) {
        ml_pdf_close(p);
        return ml_fail(ctx, ML_NOMEM, "out of memory");
    }
    ml_snprintf(p->tmp, n, "%s.tmp%d", path, (int)getpid());
    p->surface = cairo_pdf_surface_create(p->tmp, PAGE_W, PAGE_H);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        ml_err r = ml_fail(ctx, ML_IO, "%s: cannot write: %s", path,
                           cairo_status_to_string(cairo_surface_status(p->surface)));
        cairo_surface_destroy(p->surface);
        p->surface = NULL;
        unlink(p->tmp);
        ml_pdf_close(p);
        return r;
    }
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "maillage");
    p->cr = cairo_create(p->surface);
    *out = p;
    return ML_OK;
}

ml_err ml_pdf_close(ml_pdf *p)
{
    if (!p) return ML_OK;
    ml_err r = ML_OK;
    if (p->cr) {
        if (!p->page_open) new_page(p);
        cairo_show_page(p->cr);
        cairo_status_t st = cairo_status(p->cr);
        cairo_destroy(p->cr);
        cairo_surface_finish(p->surface);
        if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(p->surface);
        cairo_surface_destroy(p->surface);
        if (st != CAIRO_STATUS_SUCCESS) {
            r = ml_fail(p->ctx, ML_IO, "%s: cannot write: %s", p->path,
                        cairo_status_to_string(st));
            unlink(p->tmp);
        } else if (rename(p->tmp, p->path) != 0) {
            r = ml_fail(p->ctx, ML_IO, "%s: cannot write: %s", p->path, strerror(errno));
            unlink(p->tmp);
        }
    }
    free(p->path);
    free(p->tmp);
    free(p->header);
    free(p->footer);
    free(p);
    return r;
}

/* Draws s wrapped in `width` at (x, p->y + first baseline); returns the height. */
static double text_block(ml_pdf *p, double x, double y, double width, const char *s,
                         double size, ml_pdf_align align)
{
    line ls[LINES_MAX];
    size_t nl = wrap(p, s, width, ls);
    double lh = size * 1.3;
    for (size_t k = 0; k < nl; k++) {
        double dx = align == ML_PDF_RIGHT ? width - text_width(p, s + ls[k].start, ls[k].len) : 0;
        show(p, x + dx, y + size + lh * (double)k, s + ls[k].start, ls[k].len);
    }
    return nl ? lh * (double)nl : 0;
}

static double text_height(ml_pdf *p, double width, const char *s, double size)
{
    line ls[LINES_MAX];
    return size * 1.3 * (double)wrap(p, s, width, ls);
}

void ml_pdf_title(ml_pdf *p, const char *text)
{
    need(p, 40);
    font(p, 18, true);
    cairo_set_source_rgb(p->cr, 0.05, 0.2, 0.4);
    p->y += text_block(p, MARGIN, p->y, TEXT_W, text, 18, ML_PDF_LEFT) + 6;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
}

void ml_pdf_heading(ml_pdf *p, const char *text)
{
    need(p, 90); /* a heading never ends a page alone */
    p->y += 8;
    font(p, 12.5, true);
    cairo_set_source_rgb(p->cr, 0.05, 0.2, 0.4);
    double h = text_block(p, MARGIN, p->y, TEXT_W, text, 12.5, ML_PDF_LEFT);
    p->y += h + 2;
    cairo_move_to(p->cr, MARGIN, p->y);
    cairo_line_to(p->cr, PAGE_W - MARGIN, p->y);
    cairo_set_line_width(p->cr, 0.6);
    cairo_stroke(p->cr);
    p->y += 6;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
}

void ml_pdf_para(ml_pdf *p, const char *text, double size, bool bold)
{
    if (size <= 0) size = 9.5;
    need(p, 2 * size);
    font(p, size, bold);
    line ls[LINES_MAX];
    size_t nl = wrap(p, text, TEXT_W, ls);
    double lh = size * 1.3;
    for (size_t k = 0; k < nl; k++) {
        need(p, lh);
        font(p, size, bold); /* a new page changed the font */
        show(p, MARGIN, p->y + size, text + ls[k].start, ls[k].len);
        p->y += lh;
    }
    p->y += size * 0.5;
}

void ml_pdf_warning(ml_pdf *p, const char *text)
{
    font(p, 10, true);
    double h = text_height(p, TEXT_W - 16, text, 10);
    need(p, h + 14);
    cairo_set_source_rgb(p->cr, 1, 0.93, 0.93);
    cairo_rectangle(p->cr, MARGIN, p->y, TEXT_W, h + 10);
    cairo_fill_preserve(p->cr);
    cairo_set_source_rgb(p->cr, 0.75, 0.05, 0.05);
    cairo_set_line_width(p->cr, 1);
    cairo_stroke(p->cr);
    text_block(p, MARGIN + 8, p->y + 4, TEXT_W - 16, text, 10, ML_PDF_LEFT);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y += h + 16;
}

void ml_pdf_space(ml_pdf *p, double points)
{
    p->y += points;
}

static double row_height(ml_pdf *p, const ml_pdf_col *cols, size_t ncols,
                         const char *const *cells, double size)
{
    double h = 0;
    for (size_t c = 0; c < ncols; c++) {
        double ch = cells[c] ? text_height(p, cols[c].width * TEXT_W - 6, cells[c], size) : 0;
        if (ch > h) h = ch;
    }
    return (h > 0 ? h : size * 1.3) + 4;
}

static void draw_row(ml_pdf *p, const ml_pdf_col *cols, size_t ncols, const char *const *cells,
                     double size, double h, bool shade)
{
    if (shade) {
        cairo_set_source_rgb(p->cr, 0.94, 0.95, 0.97);
        cairo_rectangle(p->cr, MARGIN, p->y, TEXT_W, h);
        cairo_fill(p->cr);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    }
    double x = MARGIN;
    for (size_t c = 0; c < ncols; c++) {
        double w = cols[c].width * TEXT_W;
        if (cells[c]) text_block(p, x + 3, p->y + 2, w - 6, cells[c], size, cols[c].align);
        x += w;
    }
    p->y += h;
}

static void table_header(ml_pdf *p, const ml_pdf_col *cols, size_t ncols)
{
    const char *titles[16];
    for (size_t c = 0; c < ncols && c < 16; c++) titles[c] = cols[c].title;
    font(p, 8, true);
    double h = row_height(p, cols, ncols, titles, 8);
    need(p, h + 14);
    font(p, 8, true);
    draw_row(p, cols, ncols, titles, 8, h, false);
    cairo_move_to(p->cr, MARGIN, p->y);
    cairo_line_to(p->cr, PAGE_W - MARGIN, p->y);
    cairo_set_line_width(p->cr, 0.5);
    cairo_stroke(p->cr);
    p->y += 1;
}

void ml_pdf_table(ml_pdf *p, const ml_pdf_col *cols, size_t ncols, const char *const *cells,
                  size_t nrows)
{
    if (ncols > 16) ncols = 16;
    table_header(p, cols, ncols);
    for (size_t r = 0; r < nrows; r++) {
        font(p, 8.5, false);
        double h = row_height(p, cols, ncols, cells + r * ncols, 8.5);
        if (p->y + h > BOTTOM) {
            new_page(p);
            table_header(p, cols, ncols);
            font(p, 8.5, false);
        }
        draw_row(p, cols, ncols, cells + r * ncols, 8.5, h, r % 2 == 1);
    }
    p->y += 6;
}

void ml_pdf_bar(ml_pdf *p, const char *label, const char *value_text, double value, double max,
                double mark)
{
    double lw = TEXT_W * 0.42, vw = 40, bx = MARGIN + lw + vw + 8, bw = TEXT_W - lw - vw - 8;
    font(p, 8.5, false);
    double h = text_height(p, lw - 4, label, 8.5);
    if (h < 12) h = 12;
    need(p, h + 3);
    font(p, 8.5, false);
    text_block(p, MARGIN, p->y, lw - 4, label, 8.5, ML_PDF_LEFT);
    text_block(p, MARGIN + lw, p->y, vw, value_text, 8.5, ML_PDF_RIGHT);
    double frac = max > 0 && isfinite(value) ? value / max : 0;
    if (frac < 0) frac = 0;
    if (frac > 1) frac = 1;
    cairo_set_source_rgb(p->cr, 0.16, 0.45, 0.7);
    cairo_rectangle(p->cr, bx, p->y + 2, bw * frac, 9);
    cairo_fill(p->cr);
    if (mark > 0 && max > 0 && mark <= max) {
        double mx = bx + bw * mark / max;
        cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
        const double dash[] = {2, 2};
        cairo_set_dash(p->cr, dash, 2, 0);
        cairo_set_line_width(p->cr, 0.8);
        cairo_move_to(p->cr, mx, p->y);
        cairo_line_to(p->cr, mx, p->y + 13);
        cairo_stroke(p->cr);
        cairo_set_dash(p->cr, NULL, 0, 0);
    }
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    p->y += h + 3;
}

void ml_pdf_chart_pairs(ml_pdf *p, const char *const *categories, const double *a,
                        const double *b, size_t n, const char *legend_a, const char *legend_b)
{
    if (n == 0) return;
    const double ch = 150, label_h = 26, legend_h = 16;
    need(p, ch + label_h + legend_h + 8);
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(a[i]) && a[i] > max) max = a[i];
        if (isfinite(b[i]) && b[i] > max) max = b[i];
    }
    /* A round top for the axis: 1, 2 or 5 times a power of ten. */
    double step = 1;
    while (max / step > 5) {
        if (max / (step * 2) <= 5) {
            step *= 2;
            break;
        }
        if (max / (step * 5) <= 5) {
            step *= 5;
            break;
        }
        step *= 10;
    }
    double top = ceil(max / step) * step;
    if (top <= 0) top = 1;
    double ax = MARGIN + 36, aw = TEXT_W - 36, y0 = p->y + ch;
    cairo_t *cr = p->cr;
    font(p, 7, false);
    cairo_set_line_width(cr, 0.4);
    for (double v = 0; v <= top + step / 2; v += step) {
        double y = y0 - ch * v / top;
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, ax, y);
        cairo_line_to(cr, ax + aw, y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        char t[32];
        ml_snprintf(t, sizeof t, "%.0f", v);
        show(p, ax - 4 - text_width(p, t, strlen(t)), y + 2.5, t, strlen(t));
    }
    double slot = aw / (double)n, bw = slot * 0.38;
    for (size_t i = 0; i < n; i++) {
        double x = ax + slot * (double)i + slot * 0.1;
        const double *v[2] = {a, b};
        for (int s = 0; s < 2; s++) {
            double bx = x + bw * s;
            if (!isfinite(v[s][i])) {
                cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
                cairo_rectangle(cr, bx, y0 - 2, bw, 2);
                cairo_fill(cr);
                continue;
            }
            double h = ch * v[s][i] / top;
            if (s == 0)
                cairo_set_source_rgb(cr, 0.16, 0.45, 0.7);
            else
                cairo_set_source_rgb(cr, 0.85, 0.4, 0.1);
            cairo_rectangle(cr, bx, y0 - h, bw, h);
            cairo_fill(cr);
        }
        /* Every category's label when they fit, else one in two or more. */
        size_t every = (size_t)ceil(24.0 / slot);
        if (every < 1) every = 1;
        if (i % every == 0 || i + 1 == n) {
            cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
            const char *t = categories[i];
            double tw = text_width(p, t, strlen(t));
            cairo_save(cr);
            cairo_move_to(cr, x + bw - tw / 2, y0 + 10);
            show(p, x + bw - tw / 2, y0 + 10, t, strlen(t));
            cairo_restore(cr);
        }
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, ax, y0);
    cairo_line_to(cr, ax + aw, y0);
    cairo_stroke(cr);
    double ly = y0 + label_h;
    font(p, 8, false);
    cairo_set_source_rgb(cr, 0.16, 0.45, 0.7);
    cairo_rectangle(cr, ax, ly - 7, 10, 8);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    show(p, ax + 14, ly, legend_a, strlen(legend_a));
    double lx = ax + 24 + text_width(p, legend_a, strlen(legend_a));
    cairo_set_source_rgb(cr, 0.85, 0.4, 0.1);
    cairo_rectangle(cr, lx, ly - 7, 10, 8);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    show(p, lx + 14, ly, legend_b, strlen(legend_b));
    p->y = ly + legend_h;
}

void ml_pdf_page_break(ml_pdf *p)
{
    if (p->page_open && p->y > TOP) new_page(p);
}
