/* privacy.h — statistical secrecy, the rule of docs/privacy.md applied in one
 * place for every output (territory summaries, search facets, exports): no
 * count of 1 or 2 establishments is shown, nor one readable from the others by
 * subtraction. Backends return raw counts; the domain modules pass them
 * through these functions before anything leaves the library. */
#ifndef ML_PRIVACY_H
#define ML_PRIVACY_H

#include <jansson.h>

#include "core/core.h"

/* A count safe to publish: the count, or JSON null when it is 1 or 2
 * (below ML_MIN_CELL). 0 is shown. */
json_t *ml_safe_count(int64_t n);
/* Whether a count must be withheld (1 .. ML_MIN_CELL - 1). */
bool ml_count_secret(int64_t n);

/* Sets the labels of one cell of a breakdown ({"code", "count"}): "label"
 * and, when known, "label_fr" / "label_en". */
typedef void (*ml_label_fn)(void *ud, const char *code, json_t *cell);

/* Turns {code: n} into [{code, label, count}] sorted by decreasing count (then
 * code). With a limit, the values beyond it join one "other" cell. No count
 * under the threshold is shown: those join "other" too; when that cell
 * would be 1 or 2 (readable by subtraction), the smallest shown cells join
 * it (secondary suppression). `label` may be NULL (labels null). NULL on
 * out of memory. */
json_t *ml_count_list(json_t *counts, size_t limit, ml_label_fn label, void *ud);

/* The key figures of a set of establishments, each safe to publish (a
 * count whose complement in the figure above it is 1 or 2 is withheld too):
 * {total, active, closed, active_employers, active_restricted,
 * active_generated, active_approximate_position}. */
typedef struct ml_estab_figures {
    int64_t total, active, restricted, generated, approximate, employers;
} ml_estab_figures;
json_t *ml_figures_json(const ml_estab_figures *f);

/* The rule as the outputs state it ({min_cell, rule}). */
json_t *ml_privacy_note(void);

#endif
