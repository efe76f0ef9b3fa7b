/* table.h — tables a user takes to a meeting: one description (columns with
 * their kind and width, rows as JSON arrays, notes on method and sources),
 * written as CSV for a French spreadsheet (UTF-8 with BOM, ';', decimal
 * comma), as plain CSV for programs (',' and '.'), or as an Excel workbook
 * (frozen header, filters, widths, number formats, a sheet of method and
 * sources). Files are written under a temporary name, then renamed. */
#ifndef ML_EXPORT_TABLE_H
#define ML_EXPORT_TABLE_H

#include "core/core.h"

typedef enum ml_col_kind {
    ML_COL_TEXT,   /* a string (a number is written as text) */
    ML_COL_INT,    /* a whole number */
    ML_COL_DEC1,   /* a number with one decimal (distances in km) */
    ML_COL_DEC3,   /* a number with three decimals (scores) */
    ML_COL_DEC5,   /* a number with five decimals (latitude, longitude: about 1 m) */
    ML_COL_PCT,    /* a share 0..1 shown as a percentage with one decimal */
    ML_COL_EUR,    /* euros with two decimals (money: cents / 100) */
    ML_COL_WRAP,   /* a long text (sentences), wrapped in a wide column */
} ml_col_kind;

typedef struct ml_col {
    const char *name; /* header, in words */
    ml_col_kind kind;
    double width; /* Excel column width in characters (0 = 14) */
} ml_col;

typedef struct ml_sheet {
    const char *name; /* sheet name (at most 31 characters) */
    const ml_col *cols;
    size_t ncols;
    json_t *rows; /* borrowed: an array of arrays, one value per column (string, number or null) */
} ml_sheet;

typedef struct ml_table_doc {
    const ml_sheet *sheets;
    size_t nsheets;
    const char *title;          /* first line of the method sheet */
    const char *const *notes;   /* lines of the method and sources sheet */
    size_t nnotes;
    bool csv_report; /* CSV: every sheet, each after its name (a report), not the first only */
} ml_table_doc;

/* Writes doc to path in fmt (an ml_export_format). */
ml_err ml_table_write(ml_ctx *ctx, const ml_table_doc *doc, int fmt, const char *path);

#endif
