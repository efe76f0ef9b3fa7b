/* sqlite_text.c — what the SQLite backend's statement slots share (accounts,
 * programmes, events, info): a statement written for both engines ($N
 * parameters, read here as ?N) prepared, its typed parameters bound, its
 * rows handed out as text. */
#include "store/sqlite_impl.h"

#define SQ_TEXT_COLUMNS 32 /* the widest statement's columns (a scheme: 25) */

sqlite3_stmt *sq_prepare_dollar(ml_db *db, const char *src, bool persistent)
{
    sq_state *s = db->impl;
    size_t n = strlen(src);
    char *sql = malloc(n + 1);
    if (!sql) return NULL;
    for (size_t i = 0; i <= n; i++)
        sql[i] = src[i] == '$' && src[i + 1] >= '0' && src[i + 1] <= '9' ? '?' : src[i];
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v3(s->sql, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
    free(sql);
    return st;
}

ml_err sq_text_run(ml_db *db, sqlite3_stmt *st, const char *what, const ml_sql_arg *args,
                   size_t nargs, ml_text_row_fn fn, void *ud, int64_t *changed)
{
    sq_state *s = db->impl;
    if (changed) *changed = 0;
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
        const char *cols[SQ_TEXT_COLUMNS];
        int n = sqlite3_column_count(st);
        if (n > SQ_TEXT_COLUMNS) n = SQ_TEXT_COLUMNS;
        for (int c = 0; c < n; c++)
            cols[c] = (const char *)sqlite3_column_text(st, c);
        if (fn(ud, cols, (size_t)n)) stopped = true;
    }
    ml_err r = ML_OK;
    if (rc != SQLITE_DONE)
        r = sq_fail(db, what);
    else if (changed)
        *changed = sqlite3_changes64(s->sql);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r;
}

ml_err sq_text_sql(ml_db *db, const char *what, const char *sql, const ml_sql_arg *args,
                   size_t nargs, ml_text_row_fn fn, void *ud, int64_t *changed)
{
    if (changed) *changed = 0;
    sqlite3_stmt *st = sq_prepare_dollar(db, sql, false);
    if (!st) return sq_fail(db, what);
    ml_err r = sq_text_run(db, st, what, args, nargs, fn, ud, changed);
    sqlite3_finalize(st);
    return r;
}
