/* sqlite_programme.c — the programmes slot of the SQLite backend (issue
 * 13): the shared statements of programme_sql.h (their $N parameters read
 * as ?N), rows handed out as text. No rule lives here. */
#include "store/programme_sql.h"
#include "store/sqlite_impl.h"

#define SQ_PROG_COLUMNS 32 /* the widest statement's columns (a scheme: 25) */

/* The statement with its $N written ?N. */
static sqlite3_stmt *prog_stmt(ml_db *db, ml_prog_sql id)
{
    sq_state *s = db->impl;
    const char *src = ml_programme_sql[id];
    size_t n = strlen(src);
    char *sql = malloc(n + 1);
    if (!sql) return NULL;
    for (size_t i = 0; i <= n; i++)
        sql[i] = src[i] == '$' && src[i + 1] >= '0' && src[i + 1] <= '9' ? '?' : src[i];
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL);
    free(sql);
    return st;
}

ml_err sq_programme_sql(ml_db *db, ml_prog_sql id, const ml_sql_arg *args, size_t nargs,
                        ml_text_row_fn fn, void *ud, int64_t *changed)
{
    sq_state *s = db->impl;
    if (changed) *changed = 0;
    if ((unsigned)id >= ML_PROG_SQL_COUNT || !ml_programme_sql[id])
        return ml_fail(db->ctx, ML_ERROR, "programmes: no statement %d", (int)id);
    sqlite3_stmt *st = prog_stmt(db, id);
    if (!st) return sq_fail(db, "programmes");
    for (size_t i = 0; i < nargs; i++) {
        int k = (int)i + 1;
        if (args[i].type == ML_ARG_INT)
            sqlite3_bind_int64(st, k, args[i].i);
        else if (args[i].type == ML_ARG_TEXT && args[i].s)
            sqlite3_bind_text(st, k, args[i].s, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, k);
    }
    int rc;
    bool stopped = false;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!fn || stopped) continue; /* a write's RETURNING rows are read to the end */
        const char *cols[SQ_PROG_COLUMNS];
        int n = sqlite3_column_count(st);
        if (n > SQ_PROG_COLUMNS) n = SQ_PROG_COLUMNS;
        for (int c = 0; c < n; c++)
            cols[c] = (const char *)sqlite3_column_text(st, c);
        if (fn(ud, cols, (size_t)n)) stopped = true;
    }
    ml_err r = ML_OK;
    if (rc != SQLITE_DONE)
        r = sq_fail(db, "programmes");
    else if (changed)
        *changed = sqlite3_changes64(s->sql);
    sqlite3_finalize(st);
    return r;
}
