/* sqlite_event.c — the events slot of the SQLite backend: the shared
 * statements of event_sql.h (their $N parameters read as ?N), prepared per
 * call (an event's statements are few and small), rows handed out as text. */
#include "store/event_sql.h"
#include "store/sqlite_impl.h"

#define SQ_EVENT_COLUMNS 20 /* the widest statement's columns */

ml_err sq_event_sql(ml_db *db, ml_event_sql id, const ml_sql_arg *args, size_t nargs,
                    ml_text_row_fn fn, void *ud, int64_t *changed)
{
    sq_state *s = db->impl;
    if (changed) *changed = 0;
    const char *src = ml_event_sql_text[id];
    size_t n = strlen(src);
    char *sql = malloc(n + 1);
    if (!sql) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    for (size_t i = 0; i <= n; i++)
        sql[i] = src[i] == '$' && src[i + 1] >= '0' && src[i + 1] <= '9' ? '?' : src[i];
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK) return sq_fail(db, "events");
    for (size_t i = 0; i < nargs; i++) {
        int k = (int)i + 1;
        if (args[i].type == ML_ARG_INT)
            sqlite3_bind_int64(st, k, args[i].i);
        else if (args[i].type == ML_ARG_TEXT && args[i].s)
            sqlite3_bind_text(st, k, args[i].s, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, k);
    }
    bool stopped = false;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!fn || stopped) continue; /* a write's RETURNING rows are read to the end */
        const char *cols[SQ_EVENT_COLUMNS];
        int nc = sqlite3_column_count(st);
        if (nc > SQ_EVENT_COLUMNS) nc = SQ_EVENT_COLUMNS;
        for (int c = 0; c < nc; c++)
            cols[c] = (const char *)sqlite3_column_text(st, c);
        if (fn(ud, cols, (size_t)nc)) stopped = true;
    }
    ml_err r = ML_OK;
    if (rc != SQLITE_DONE)
        r = sq_fail(db, "events");
    else if (changed)
        *changed = sqlite3_changes64(s->sql);
    sqlite3_finalize(st);
    return r;
}
