/* sqlite_needs.c — the SQLite rows of the needs grid (issue 12 part 6):
 * each level set on a need of a territory or a firm. Raw rows only: who may
 * read them and what the latest level is are decided in lib/needs. */
#include "store/sqlite_impl.h"

ml_err sq_need_put(ml_db *db, ml_need_row *n)
{
    sqlite3_stmt *st = sq_prepare(db, "INSERT INTO need(subject, need, level, note, org, author_id,"
                                      " author) VALUES(?, ?, ?, ?, ?, ?, ?)");
    if (!st) return sq_fail(db, "write need");
    sq_bind_text(st, 1, n->subject);
    sq_bind_text(st, 2, n->need);
    sq_bind_text(st, 3, n->level);
    sq_bind_text(st, 4, n->note && *n->note ? n->note : NULL);
    sqlite3_bind_int64(st, 5, n->org);
    sqlite3_bind_int64(st, 6, n->author_id);
    sq_bind_text(st, 7, n->author);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sq_fail(db, "write need");
    n->id = sqlite3_last_insert_rowid(((sq_state *)db->impl)->sql);
    return ML_OK;
}

ml_err sq_needs(ml_db *db, const char *subject, ml_need_fn fn, void *ud)
{
    sqlite3_stmt *st = sq_prepare(db, "SELECT id, subject, need, level, note, org, author_id,"
                                      " author, created FROM need WHERE subject = ?1 ORDER BY id");
    if (!st) return sq_fail(db, "read needs");
    sq_bind_text(st, 1, subject);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_need_row n = {
            .id = sqlite3_column_int64(st, 0),
            .subject = sq_col_text(st, 1),
            .need = sq_col_text(st, 2),
            .level = sq_col_text(st, 3),
            .note = sq_col_text(st, 4),
            .org = sqlite3_column_int64(st, 5),
            .author_id = sqlite3_column_int64(st, 6),
            .author = sq_col_text(st, 7),
            .created = sq_col_text(st, 8),
        };
        stop = fn(ud, &n);
    }
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading needs");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "read needs");
}
