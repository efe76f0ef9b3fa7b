/* core.h — internal foundation shared by every engine file: context, errors,
 * growable buffers with caps. Include it after system headers; it ends by
 * banning unsafe libc calls. */
#ifndef ML_CORE_H
#define ML_CORE_H

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maillage.h"

#define ML_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ML_MESSAGE_MAX  1024
#define ML_STR_(x)      #x
#define ML_STR(x)       ML_STR_(x) /* a macro's value as a string literal */

/* The smallest count of establishments a statistic ever shows (0 aside):
 * statistical secrecy, docs/privacy.md. */
#define ML_MIN_CELL 3

struct ml_ctx {
    char message[ML_MESSAGE_MAX];
    ml_err last;
    ml_log_fn log;
    void *log_ud;
    char *datadir;
};

/* Records a formatted error on the context and returns `err` (so callers can
 * `return ml_fail(ctx, ML_FORMAT, "...")`). */
ml_err ml_fail(ml_ctx *ctx, ml_err err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ml_log(ml_ctx *ctx, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A growable byte buffer that never grows past `cap` bytes (git strbuf-like).
 * init / release: the struct is the caller's, the bytes are the buffer's.
 *
 * Errors are sticky, as in curl's dynbuf: the first append that does not fit
 * (past the cap, or out of memory) sets `failed`; from then on every append
 * is a no-op that returns -1, and what was written before stays as it was.
 * A builder may therefore append without checking each call, and checks
 * ml_buf_failed() once before it uses the result: never silently partial. */
typedef struct ml_buf {
    char *data; /* always NUL-terminated when len > 0 or after ml_buf_cstr */
    size_t len;
    size_t alloc;
    size_t cap;  /* hard maximum of len, 0 = SIZE_MAX / 2 */
    bool failed; /* sticky: an append failed since init or the last reset */
} ml_buf;

void ml_buf_init(ml_buf *b, size_t cap);
void ml_buf_release(ml_buf *b);
/* Empties the buffer for new content and clears `failed`. */
void ml_buf_reset(ml_buf *b);
/* True when an append failed since init or the last reset (the content is
 * then incomplete and must not be used). */
static inline bool ml_buf_failed(const ml_buf *b)
{
    return b->failed;
}
/* Makes room for `extra` more bytes: 0, or -1 (and `failed` set) past the cap
 * or out of memory, or when the buffer had already failed. */
int ml_buf_grow(ml_buf *b, size_t extra);
/* Appends: 0, or -1 as ml_buf_grow. */
int ml_buf_add(ml_buf *b, const void *data, size_t len);
int ml_buf_addstr(ml_buf *b, const char *s);
int ml_buf_addch(ml_buf *b, char c);
int ml_buf_addf(ml_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *ml_buf_cstr(ml_buf *b);

/* Duplicates a string or aborts on out-of-memory-free path: returns NULL on failure. */
char *ml_strdup(const char *s);
/* Appends a SIRENE street line ("99 RUE DE LA LIBERATION", "PL DE L'EGLISE")
 * as French writes it ("99 rue de la Liberation", "place de l'Eglise"): the
 * street type spelt out in lower case, names capitalised, small words in
 * lower case (address.c). */
void ml_address_normal_case(ml_buf *b, const char *street);
/* snprintf that never truncates silently: returns 0, or -1 when it did not fit. */
int ml_snprintf(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Range-checked number parsing (OpenBSD strtonum-like): 0 on success. */
int ml_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);
int ml_parse_double(const char *s, size_t len, double *out);

/* True when [s, s+len) is well-formed UTF-8. */
bool ml_utf8_valid(const char *s, size_t len);

/* Decodes one UTF-8 character at s (n bytes available): its length (1..4)
 * and *cp, or 0 when the bytes there are not a well-formed character. */
size_t ml_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Appends [s, s+len) to b as valid UTF-8, for text that input gave and a
 * JSON or CSV document echoes: each byte that starts no well-formed
 * character becomes U+FFFD. At most `max` bytes are appended, cut between
 * characters, then "…" when something was cut. 0, or -1 past b's cap. */
int ml_buf_add_utf8(ml_buf *b, const char *s, size_t len, size_t max);

enum {
    ML_ESCAPE_QUOTES = 1,    /* also escape '"' (for "quoted" log fields) */
    ML_ESCAPE_KEEP_LINES = 2 /* keep \n and \t as they are (multi-line text output) */
};
/* Appends [s, s+len) to b for a terminal or a log line, where input must not
 * act: printable UTF-8 as is; \n \r \t \e and \\ for themselves; other
 * control characters (C0, DEL) and bytes of invalid UTF-8 as \xHH; C1
 * controls, bidirectional marks and line separators as \u{HHHH}. At most
 * `max` bytes, then "…" when cut. 0, or -1 past b's cap. */
int ml_buf_add_escaped(ml_buf *b, const char *s, size_t len, size_t max, unsigned flags);

/* ------------------------------------------------------------ JSON builds
 * json_pack with a sticky error, as ml_buf: a builder hands one
 * ml_json_build (zeroed) to each ml_json_pack, and to ml_json_check for a
 * value it got another way; the first failure is remembered, later ones are
 * counted in, and the builder turns it into an error once with
 * ml_json_done. A NULL argument to "o" (a failed inner build) fails the
 * outer pack, so a checked outer pack also checks what went into it. */
typedef struct ml_json_build {
    bool failed;
    bool nomem;    /* the first failure was an allocation */
    char why[160]; /* jansson's message of the first failure */
} ml_json_build;

/* json_pack(fmt, ...): its value, or NULL with the failure recorded in jb. */
json_t *ml_json_pack(ml_json_build *jb, const char *fmt, ...);

/* Sorts a JSON array in place with qsort; cmp gets two json_t *const *.
 * 0, or -1 out of memory (the array is then unchanged). */
int ml_json_array_sort(json_t *list, int (*cmp)(const void *, const void *));
/* Returns v, recording a failure in jb when v is NULL (what = the value). */
json_t *ml_json_check(ml_json_build *jb, json_t *v, const char *what);
/* ML_OK, or the first failure as an error on ctx: ML_NOMEM when jansson ran
 * out of memory, ML_ERROR (a bug: a NULL where a value must be) otherwise. */
ml_err ml_json_done(ml_ctx *ctx, const ml_json_build *jb);

/* ------------------------------------------------------ SIRET and SIREN
 * The one type of INSEE's identifiers (siret.c): a SIRET (establishment, 14
 * digits) or a SIREN (company, 9 digits) travels as an int64_t; it enters
 * from text through a parse below and leaves through a format, which puts
 * its leading zeros back. ml_siret_valid / ml_siren_valid (maillage.h) are
 * the same checks as booleans. */
#define ML_SIRET_DIGITS 14
#define ML_SIREN_DIGITS 9
#define ML_SIRET_SIZE   (ML_SIRET_DIGITS + 1) /* text with its NUL */
#define ML_SIREN_SIZE   (ML_SIREN_DIGITS + 1)

typedef enum ml_id_check {
    ML_ID_OK = 0,
    ML_ID_NOT_DIGITS, /* not exactly 14 (9) digits */
    ML_ID_CHECKSUM,   /* the right digits, but the checksum fails */
} ml_id_check;

/* [s, s+len) as a SIRET: exactly 14 digits whose Luhn sum is a multiple of
 * 10 (for SIREN 356000000, La Poste, whose digit sum is a multiple of 5).
 * *out (may be NULL) is set on ML_ID_OK only. */
ml_id_check ml_siret_parse(const char *s, size_t len, int64_t *out);
/* The same without the checksum: for SIRETs the program wrote itself. */
ml_id_check ml_siret_digits(const char *s, size_t len, int64_t *out);
/* [s, s+len) as a SIREN: exactly 9 digits with a valid Luhn sum. */
ml_id_check ml_siren_parse(const char *s, size_t len, int64_t *out);
ml_id_check ml_siren_digits(const char *s, size_t len, int64_t *out); /* no checksum */
/* Writes the 14 (9) digits of a SIRET (SIREN), zero-padded, to out and
 * returns out. */
const char *ml_siret_format(int64_t siret, char out[ML_SIRET_SIZE]);
const char *ml_siren_format(int64_t siren, char out[ML_SIREN_SIZE]);
/* The SIREN of a SIRET: its first 9 digits (the last 5 are the NIC). */
static inline int64_t ml_siret_siren(int64_t siret)
{
    return siret / 100000;
}

/* Monotonic clock in seconds. */
double ml_now(void);

#include "core/banned.h"
#endif
