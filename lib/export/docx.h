/* docx.h — a small writer of Word-compatible documents (Office Open XML,
 * .docx) for the documents a programme team edits after maillage wrote
 * them: headings, paragraphs (bold, or a red warning), tables with a
 * header row. The package is the minimal valid one ([Content_Types].xml,
 * _rels/.rels, word/document.xml, word/styles.xml) zipped with libarchive.
 * Text is escaped for XML, control characters dropped; a cell or a
 * paragraph that starts with = + - @ stays text (Word computes no field
 * from it, but a copy into a spreadsheet would: it is prefixed with an
 * apostrophe as table.c does). A failed append is sticky and reported by
 * ml_docx_write. Private to lib/export. */
#ifndef ML_EXPORT_DOCX_H
#define ML_EXPORT_DOCX_H

#include "core/core.h"

typedef struct ml_docx ml_docx;

/* A new document (NULL on out of memory). */
ml_docx *ml_docx_new(void);
void ml_docx_free(ml_docx *d);
/* A heading, level 1 (the title) to 3. */
void ml_docx_heading(ml_docx *d, int level, const char *text);
/* A paragraph; lines split at '\n'. */
void ml_docx_para(ml_docx *d, const char *text, bool bold);
/* A paragraph in red, bold (the generated-data warning). */
void ml_docx_warning(ml_docx *d, const char *text);
/* A table: a header row of ncols titles, then nrows rows of ncols cells
 * each (NULL: empty). */
void ml_docx_table(ml_docx *d, const char *const *titles, size_t ncols, const char *const *cells,
                   size_t nrows);
/* Writes the package to `path` (under a temporary name, then renamed),
 * `title` in its properties. The document stays the caller's to free. */
ml_err ml_docx_write(ml_docx *d, ml_ctx *ctx, const char *path, const char *title);

#endif
