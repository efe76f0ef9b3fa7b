/* csv.h — the one CSV writer of maillage: every CSV file the program writes
 * (exports, rejects files; the demo's generated stocks through
 * ml_csv_add_field) goes through it. Text cells are quoted (RFC 4180),
 * made valid UTF-8 and bounded, and neutralised when a spreadsheet would take
 * them for a formula (OWASP: a leading = + - @ tab or CR gets a ' in front).
 * A failed write is remembered and reported once by ml_csvw_finish(). */
#ifndef ML_EXPORT_CSV_H
#define ML_EXPORT_CSV_H

#include "core/core.h"

#define ML_CSVW_CELL_MAX 32767 /* bytes of one text cell (Excel's limit in characters) */

enum {
    ML_CSVW_BOM = 1 << 0,           /* start with a UTF-8 byte-order mark (for Excel) */
    ML_CSVW_ONE_LINE = 1 << 1,      /* CR and LF inside cells become spaces: one line per row */
    ML_CSVW_SEMICOLON = 1 << 2,     /* ';' between cells, as a French spreadsheet expects */
    ML_CSVW_DECIMAL_COMMA = 1 << 3, /* numbers with a decimal comma ("12,5") */
};
/* What a French spreadsheet opens with accents, columns and numbers right. */
#define ML_CSVW_FRENCH (ML_CSVW_BOM | ML_CSVW_SEMICOLON | ML_CSVW_DECIMAL_COMMA)

typedef struct ml_csv_writer {
    FILE *f; /* borrowed: the caller opens and closes it */
    unsigned flags;
    bool row_begun; /* a cell was written on the current row */
    bool failed;    /* sticky: a write failed */
    ml_buf cell;    /* scratch for one cell */
} ml_csv_writer;

/* Starts writing CSV to f (and the BOM if asked). */
void ml_csvw_init(ml_csv_writer *w, FILE *f, unsigned flags);
/* A text cell (NULL = empty), at most ML_CSVW_CELL_MAX bytes. */
void ml_csvw_text(ml_csv_writer *w, const char *s);
/* The same, cut at `max` bytes (between characters, then "…"). */
void ml_csvw_text_max(ml_csv_writer *w, const char *s, size_t max);
/* A number as written by the program ("-1.5", "12"): unquoted when it is a
 * plain decimal number, else written as text. */
void ml_csvw_number(ml_csv_writer *w, const char *s);
void ml_csvw_uint(ml_csv_writer *w, uint64_t v);
/* A column name of the program's own: unquoted when only letters, digits and
 * '_', else written as text. */
void ml_csvw_name(ml_csv_writer *w, const char *s);
/* Ends the current row. */
void ml_csvw_end_row(ml_csv_writer *w);
/* Flushes; 0 when every write succeeded, -1 otherwise. Releases the scratch
 * buffer; the FILE stays open. */
int ml_csvw_finish(ml_csv_writer *w);

/* Appends s to b as one RFC 4180 field of a file that programs read back (the
 * generated SIRENE stock files of the demo): quoted only when it holds a
 * comma, a quote or a line end, otherwise as is; never neutralised, repaired
 * or cut, since the file must read as INSEE's does. NULL = empty. 0, or -1
 * when b is full (b's sticky error is then set). */
int ml_csv_add_field(ml_buf *b, const char *s);

#endif
