/* privacy.c — statistical secrecy (privacy.h, docs/privacy.md). */
#include <stdlib.h>
#include <string.h>

#include "privacy/privacy.h"

bool ml_count_secret(int64_t n)
{
    return n > 0 && n < ML_MIN_CELL;
}

json_t *ml_safe_count(int64_t n)
{
    return ml_count_secret(n) ? json_null() : json_integer(n);
}

/* Closes a list sorted by decreasing count whose hidden cells add up to
 * `hidden`: they become one "other" cell; when it would be 1 or 2, the
 * smallest shown cells join it. */
static int suppress_small(json_t *list, int64_t hidden)
{
    while (ml_count_secret(hidden) && json_array_size(list) > 0) {
        size_t last = json_array_size(list) - 1;
        hidden += json_integer_value(json_object_get(json_array_get(list, last), "count"));
        json_array_remove(list, last);
    }
    if (hidden < ML_MIN_CELL) return 0;
    json_t *other = json_pack("{s:n, s:s, s:s, s:s, s:I}", "code", "label", "other or fewer than 3",
                              "label_fr", "autres ou moins de 3", "label_en",
                              "other or fewer than 3", "count", (json_int_t)hidden);
    return other ? json_array_append_new(list, other) : -1;
}

typedef struct cell {
    const char *code;
    json_int_t n;
} cell;

static int by_count_desc(const void *pa, const void *pb)
{
    const cell *a = pa, *b = pb;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return strcmp(a->code, b->code);
}

json_t *ml_count_list(json_t *counts, size_t limit, ml_label_fn label, void *ud)
{
    size_t n = json_object_size(counts), k = 0;
    cell *cells = calloc(n ? n : 1, sizeof *cells);
    json_t *list = json_array();
    if (!cells || !list) goto fail;
    const char *key;
    json_t *v;
    json_object_foreach(counts, key, v)
    {
        cells[k++] = (cell){key, json_integer_value(v)};
    }
    qsort(cells, n, sizeof *cells, by_count_desc);
    int64_t hidden = 0;
    for (size_t i = 0; i < n; i++) {
        if (cells[i].n < ML_MIN_CELL || (limit && json_array_size(list) >= limit)) {
            hidden += cells[i].n;
            continue;
        }
        json_t *c = json_pack("{s:s, s:n, s:I}", "code", cells[i].code, "label", "count",
                              cells[i].n);
        if (!c || json_array_append_new(list, c)) goto fail;
        if (label) label(ud, cells[i].code, c);
    }
    if (suppress_small(list, hidden)) goto fail;
    free(cells);
    return list;
fail:
    free(cells);
    json_decref(list);
    return NULL;
}

json_t *ml_figures_json(const ml_estab_figures *f)
{
    int64_t closed = f->total - f->active;
    /* The closed are total - active: when they are secret, so is the total;
     * the same for employers and restricted ones within the active. */
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "total",
                     ml_count_secret(closed) ? json_null() : ml_safe_count(f->total), "active",
                     ml_safe_count(f->active), "closed", ml_safe_count(closed), "active_employers",
                     ml_count_secret(f->active - f->employers) ? json_null()
                                                               : ml_safe_count(f->employers),
                     "active_restricted",
                     ml_count_secret(f->active - f->restricted) ? json_null()
                                                                : ml_safe_count(f->restricted),
                     "active_generated", ml_safe_count(f->generated),
                     "active_approximate_position", ml_safe_count(f->approximate));
}

json_t *ml_privacy_note(void)
{
    return json_pack("{s:i, s:s}", "min_cell", ML_MIN_CELL, "rule",
                     "counts below the threshold are not shown; establishments with"
                     " restricted diffusion (statut P) are counted, never listed");
}
