/* pg_programme.c — the programmes slot of the PostgreSQL backend (issue
 * 13): the shared statements of programme_sql.h with text parameters, rows
 * handed out as text (pg_text_sql). No rule lives here. */
#include "store/pg_impl.h"
#include "store/programme_sql.h"

ml_err pg_programme_sql(ml_db *db, ml_prog_sql id, const ml_sql_arg *args, size_t nargs,
                        ml_text_row_fn fn, void *ud, int64_t *changed)
{
    if (changed) *changed = 0;
    if ((unsigned)id >= ML_PROG_SQL_COUNT || !ml_programme_sql[id])
        return ml_fail(db->ctx, ML_ERROR, "programmes: no statement %d", (int)id);
    return pg_text_sql(db, "programmes", ml_programme_sql[id], args, nargs, fn, ud, changed);
}
