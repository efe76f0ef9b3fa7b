/* sqlite_event.c — the events slot of the SQLite backend: the shared
 * statements of event_sql.h (their $N parameters read as ?N), prepared per
 * call (an event's statements are few and small), rows handed out as text
 * (sqlite_text.c). */
#include "store/event_sql.h"
#include "store/sqlite_impl.h"

ml_err sq_event_sql(ml_db *db, ml_event_sql id, const ml_sql_arg *args, size_t nargs,
                    ml_text_row_fn fn, void *ud, int64_t *changed)
{
    return sq_text_sql(db, "events", ml_event_sql_text[id], args, nargs, fn, ud, changed);
}
