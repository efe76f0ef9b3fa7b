/* pg_event.c — the events slot of the PostgreSQL backend: the shared
 * statements of event_sql.h with text parameters, rows handed out as text
 * (pg_text_sql). */
#include "store/event_sql.h"
#include "store/pg_impl.h"

ml_err pg_event_sql(ml_db *db, ml_event_sql id, const ml_sql_arg *args, size_t nargs,
                    ml_text_row_fn fn, void *ud, int64_t *changed)
{
    return pg_text_sql(db, "events", ml_event_sql_text[id], args, nargs, fn, ud, changed);
}
