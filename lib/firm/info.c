/* info.c — what a database holds, as published: the backend's counts, the
 * restricted establishments' count with the secrecy rule (lib/privacy). */
#include "firm/firm.h"
#include "privacy/privacy.h"

ml_err ml_db_info(ml_db *db, json_t **out)
{
    ml_err r = db->be->info(db, out);
    if (r) return r;
    /* The restricted establishments are a count like any other (lib/privacy). */
    json_t *c = json_object_get(*out, "counts");
    json_t *n = json_object_get(c, "establishments_restricted");
    if (n && json_object_set_new(c, "establishments_restricted",
                                 ml_safe_count(json_integer_value(n)))) {
        json_decref(*out);
        *out = NULL;
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    return ML_OK;
}
