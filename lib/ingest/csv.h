/* csv.h — streaming CSV reader: libcsv behind a row callback, fed from plain,
 * gzip or zip files through libarchive, with caps on every buffer input can
 * grow and physical line numbers for error messages. */
#ifndef ML_CSV_H
#define ML_CSV_H

#include "core/core.h"

typedef struct ml_csv_limits {
    size_t max_field;  /* bytes in one field (0 = 64 KiB) */
    size_t max_fields; /* fields in one row (0 = 256) */
    size_t max_row;    /* bytes in one row, all fields (0 = 1 MiB) */
    char delimiter;    /* 0 = ',' */
    /* Recover from an unbalanced quote: a record that runs over several
     * lines and then has another number of fields than the header, ends the
     * input inside its quote, or passes a limit, is delivered with `broken`
     * set; only its first line is lost, and reading resumes at the next line
     * (the lines it swallowed are read again as records). */
    bool recover;
} ml_csv_limits;

/* One parsed record. Fields are NUL-terminated copies owned by the reader,
 * valid only during the callback. */
typedef struct ml_csv_row {
    size_t nfields;
    const char *const *fields;
    const size_t *lens;
    uint64_t line;     /* physical line (1-based) where the record starts */
    uint64_t index;    /* 0 for the first record (the header), 1 for the next... */
    bool complete;     /* false for a last record cut short by end of input
                          (unterminated quote); it is still delivered */
    bool terminated;   /* the record ended with a line end (false for a last
                          line without one, perhaps cut short) */
    bool broken;       /* (recover mode) the record at `line` opened a quote that
                          swallowed the lines after it: its fields mean nothing;
                          reading resumes at line + 1 */
    const char *entry; /* the zip entry being read, or NULL */
    uint64_t bytes_in; /* bytes of the source consumed so far (compressed size
                          for .gz/.zip), for progress reporting */
} ml_csv_row;

/* Return 0 to go on, ML_CSV_NEXT_ENTRY to skip the rest of this zip entry
 * (or file), anything else to stop reading (the parse then returns
 * ML_INTERRUPTED without touching the context message). */
typedef int (*ml_csv_row_fn)(void *ud, const ml_csv_row *row);
#define ML_CSV_NEXT_ENTRY 2

/* For a zip archive: called with the name of each regular file in it (and
 * whether it ends in .csv); return 0 to read it as a CSV file of its own
 * (header first, lines from 1), non-zero to skip it. */
typedef int (*ml_csv_entry_fn)(void *ud, const char *entry, bool is_csv);

/* Parses `path` (.csv, .csv.gz/.gz, .zip: the first entry whose name ends in
 * .csv, else the first entry; the format is sniffed, not taken from the name).
 * A UTF-8 byte-order mark is skipped; CRLF, LF and CR line ends are accepted;
 * blank lines are skipped (but counted in line numbers); quoted fields may hold
 * delimiters, quotes ("") and newlines.
 * Errors (message on ctx, naming the file and line):
 *   ML_IO     cannot open/read the file;
 *   ML_FORMAT corrupt or truncated compressed data, empty input (no header);
 *   ML_LIMIT  a field, row or field count past the limits (reading stops there:
 *             rows before it have been delivered).
 * Validation of UTF-8 is the caller's (ml_utf8_valid). */
ml_err ml_csv_parse_file(ml_ctx *ctx, const char *path, const ml_csv_limits *limits,
                         ml_csv_row_fn fn, void *ud);

/* Same, but every entry of a zip archive that `entry_fn` accepts is read in
 * turn (messages then name "PATH:ENTRY"); a plain or gzip file is read as
 * one entry (row->entry NULL, entry_fn not called). A directory is ML_IO
 * "PATH: is a directory". */
ml_err ml_csv_parse_entries(ml_ctx *ctx, const char *path, const ml_csv_limits *limits,
                            ml_csv_entry_fn entry_fn, ml_csv_row_fn fn, void *ud);

/* Same over a memory buffer; `name` is used in messages. */
ml_err ml_csv_parse_buffer(ml_ctx *ctx, const char *name, const void *data, size_t len,
                           const ml_csv_limits *limits, ml_csv_row_fn fn, void *ud);

/* Size of a file on disk, 0 if unknown. */
uint64_t ml_file_size(const char *path);

#endif
