/* pdf.h — a small page writer on cairo for reports a committee reads: A4
 * pages with a running header and footer, headings, paragraphs that wrap
 * (never past the margin), tables whose cells wrap, horizontal bars and a
 * bar chart by year. Text is drawn as text (DejaVu Sans through fontconfig),
 * so it can be searched and copied, accents included. A drawing error is
 * sticky and reported once by ml_pdf_close. Private to lib/export. */
#ifndef ML_EXPORT_PDF_H
#define ML_EXPORT_PDF_H

#include "core/core.h"

typedef struct ml_pdf ml_pdf;

/* Opens `path` (written under a temporary name, renamed on close). `header`
 * is printed at the top of every page, `footer` (may be NULL) at the bottom
 * of every page in red (the generated-data warning), with the page number. */
ml_err ml_pdf_open(ml_ctx *ctx, const char *path, const char *title, const char *header,
                   const char *footer, ml_pdf **out);
/* Finishes the file; frees pdf in every case. */
ml_err ml_pdf_close(ml_pdf *pdf);

typedef enum ml_pdf_align { ML_PDF_LEFT, ML_PDF_RIGHT } ml_pdf_align;

typedef struct ml_pdf_col {
    const char *title;
    double width; /* share of the text width; the shares of a table add up to 1 */
    ml_pdf_align align;
} ml_pdf_col;

/* The page's title block (large). */
void ml_pdf_title(ml_pdf *pdf, const char *text);
/* A section heading; starts a new page when too little room is left. */
void ml_pdf_heading(ml_pdf *pdf, const char *text);
/* A paragraph at `size` points (0 = 9.5), wrapped; bold when `bold`. */
void ml_pdf_para(ml_pdf *pdf, const char *text, double size, bool bold);
/* A framed warning in red (the generated-data mention). */
void ml_pdf_warning(ml_pdf *pdf, const char *text);
/* The next text starts on a new page (nothing when the page is still empty). */
void ml_pdf_page_break(ml_pdf *pdf);
/* Vertical space in points. */
void ml_pdf_space(ml_pdf *pdf, double points);
/* A table: a header row, then rows of ncols strings each (NULL = empty);
 * the header is repeated on a new page. */
void ml_pdf_table(ml_pdf *pdf, const ml_pdf_col *cols, size_t ncols, const char *const *cells,
                  size_t nrows);
/* One horizontal bar: label (wrapped in the left third), value text, and a
 * bar of value/max of the remaining width; a dashed mark at `mark` (e.g. a
 * quotient of 1), none when mark <= 0. */
void ml_pdf_bar(ml_pdf *pdf, const char *label, const char *value_text, double value, double max,
                double mark);
/* A chart of two series by category (creations and closures by year):
 * bars side by side, categories under them, a legend; a NaN value is a
 * secret figure, drawn as a grey tick. */
void ml_pdf_chart_pairs(ml_pdf *pdf, const char *const *categories, const double *a,
                        const double *b, size_t n, const char *legend_a, const char *legend_b);

#endif
