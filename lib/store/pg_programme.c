/* pg_programme.c — the programmes slot of the PostgreSQL backend (issue
 * 13): the shared statements of programme_sql.h with text parameters, rows
 * handed out as text. No rule lives here. */
#include "store/pg_impl.h"
#include "store/programme_sql.h"

#define PG_PROG_ARGS    32 /* the most parameters a statement takes (a scheme: 25) */
#define PG_PROG_COLUMNS 32

ml_err pg_programme_sql(ml_db *db, ml_prog_sql id, const ml_sql_arg *args, size_t nargs,
                        ml_text_row_fn fn, void *ud, int64_t *changed)
{
    if (changed) *changed = 0;
    if ((unsigned)id >= ML_PROG_SQL_COUNT || !ml_programme_sql[id])
        return ml_fail(db->ctx, ML_ERROR, "programmes: no statement %d", (int)id);
    if (nargs > PG_PROG_ARGS) return ml_fail(db->ctx, ML_INVALID, "too many parameters");
    char ints[PG_PROG_ARGS][24];
    const char *p[PG_PROG_ARGS];
    for (size_t i = 0; i < nargs; i++) {
        if (args[i].type == ML_ARG_INT) {
            ml_snprintf(ints[i], sizeof ints[i], "%lld", (long long)args[i].i);
            p[i] = ints[i];
        } else {
            p[i] = args[i].type == ML_ARG_TEXT ? args[i].s : NULL;
        }
    }
    PGresult *res = NULL;
    ml_err r = pg_query(db, "programmes", ml_programme_sql[id], (int)nargs, p, &res);
    if (r) return r;
    int rows = PQntuples(res), ncols = PQnfields(res);
    if (ncols > PG_PROG_COLUMNS) ncols = PG_PROG_COLUMNS;
    for (int i = 0; fn && i < rows; i++) {
        const char *cols[PG_PROG_COLUMNS];
        for (int c = 0; c < ncols; c++)
            cols[c] = PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
        if (fn(ud, cols, (size_t)ncols)) break;
    }
    if (changed) {
        const char *t = PQcmdTuples(res);
        *changed = t && *t ? strtoll(t, NULL, 10) : 0;
    }
    PQclear(res);
    return ML_OK;
}
