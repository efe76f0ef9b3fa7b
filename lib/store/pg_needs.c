/* pg_needs.c — the PostgreSQL rows of the needs grid (issue 12 part 6): the
 * same slots as sqlite_needs.c, in the same order (ids). Raw rows only. */
#include "store/pg_impl.h"

ml_err pg_need_put(ml_db *db, ml_need_row *n)
{
    char org[24], author_id[24];
    ml_snprintf(org, sizeof org, "%lld", (long long)n->org);
    ml_snprintf(author_id, sizeof author_id, "%lld", (long long)n->author_id);
    const char *p[7] = {n->subject, n->need, n->level, n->note && *n->note ? n->note : NULL,
                        org,        author_id, n->author && *n->author ? n->author : NULL};
    PGresult *res;
    ml_err r = pg_query(db, "write need",
                        "INSERT INTO need(subject, need, level, note, org, author_id, author)"
                        " VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        7, p, &res);
    if (r) return r;
    n->id = PQntuples(res) == 1 ? pg_i64(res, 0) : 0;
    PQclear(res);
    return ML_OK;
}

typedef struct rows_ctx {
    ml_need_fn fn;
    void *ud;
} rows_ctx;

static int need_row(void *ud, PGresult *res)
{
    rows_ctx *c = ud;
    ml_need_row n = {
        .id = pg_i64(res, 0),
        .subject = pg_text(res, 1),
        .need = pg_text(res, 2),
        .level = pg_text(res, 3),
        .note = pg_text(res, 4),
        .org = pg_i64(res, 5),
        .author_id = pg_i64(res, 6),
        .author = pg_text(res, 7),
        .created = pg_text(res, 8),
    };
    return c->fn(c->ud, &n);
}

ml_err pg_needs(ml_db *db, const char *subject, ml_need_fn fn, void *ud)
{
    const char *p[1] = {subject};
    rows_ctx c = {fn, ud};
    ml_err r = pg_each(db, "read needs",
                       "SELECT id, subject, need, level, note, org, author_id, author, created"
                       " FROM need WHERE subject = $1 ORDER BY id",
                       1, p, need_row, &c);
    if (r == ML_INTERRUPTED) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading needs");
    return r;
}
