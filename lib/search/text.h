/* text.h — French text folding for search: lower case, accents removed,
 * elisions and stop words dropped, words reduced to their stem (Snowball
 * French through libstemmer), so "Boulangères" and "boulangerie" meet. */
#ifndef ML_TEXT_H
#define ML_TEXT_H

#include "core/core.h"

typedef struct ml_text ml_text;

/* Changes whenever folding changes (stop words, the trade rule...): an index
 * folded by another version is filled again at the next writable open. */
#define ML_FOLD_VERSION "2"

/* One folding state (it owns a stemmer, which is not thread-safe). */
ml_text *ml_text_new(void);
void ml_text_free(ml_text *t);

enum {
    ML_FOLD_STEM = 1 << 0,      /* reduce words to their stem */
    ML_FOLD_KEEP_STOP = 1 << 1, /* keep stop words */
};

/* Appends to `out` the folded words of [in, in+len), separated by one space
 * (a leading space if `out` was not empty). Returns the number of words
 * appended, or -1 when `out` reached its cap. Invalid UTF-8 bytes are
 * treated as separators. */
int ml_text_fold(ml_text *t, ml_buf *out, const char *in, size_t len, unsigned flags);

/* Copies a NAF label into `out` (size bytes) without what it excludes, so
 * that its words do not stand for the trades it names only to leave out:
 * "(à l'exception du riz)" goes with its parentheses; ", à l'exception des
 * machines…", "sauf …" and "non compris …" go up to the next ';' or the end.
 * Returns the length written (the label is cut if it does not fit). */
size_t ml_text_strip_exclusions(const char *label, char *out, size_t size);

#endif
