/* sqlite_programme.c — the programmes slot of the SQLite backend (issue
 * 13): the shared statements of programme_sql.h (their $N parameters read
 * as ?N), rows handed out as text (sqlite_text.c). No rule lives here. */
#include "store/programme_sql.h"
#include "store/sqlite_impl.h"

ml_err sq_programme_sql(ml_db *db, ml_prog_sql id, const ml_sql_arg *args, size_t nargs,
                        ml_text_row_fn fn, void *ud, int64_t *changed)
{
    if (changed) *changed = 0;
    if ((unsigned)id >= ML_PROG_SQL_COUNT || !ml_programme_sql[id])
        return ml_fail(db->ctx, ML_ERROR, "programmes: no statement %d", (int)id);
    return sq_text_sql(db, "programmes", ml_programme_sql[id], args, nargs, fn, ud, changed);
}
