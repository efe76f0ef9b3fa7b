/* pg_complexity.c — the PostgreSQL backend's read for relatedness and
 * complexity (lib/complexity): active establishments in groups by location,
 * NAF class and size band, as the SQLite backend gives them. */
#include "store/pg_impl.h"

typedef struct cells_ctx {
    ml_location_cell_fn fn;
    void *ud;
} cells_ctx;

static int cell_row(void *ud, PGresult *res)
{
    cells_ctx *c = ud;
    return c->fn(c->ud, pg_text(res, 0), pg_text(res, 1), pg_text(res, 2), pg_i64(res, 3));
}

ml_err pg_location_cells(ml_db *db, bool by_epci, ml_location_cell_fn fn, void *ud)
{
    const char *sql =
        by_epci ? "SELECT c.epci, f.a615, coalesce(e.size_band, 'NN'), count(*)"
                  " FROM etab e JOIN commune c ON c.code = e.commune"
                  " LEFT JOIN naf f ON f.code = e.naf WHERE e.state = 'A' GROUP BY 1, 2, 3"
                : "SELECT coalesce(c.parent, c.code), f.a615, coalesce(e.size_band, 'NN'), count(*)"
                  " FROM etab e JOIN commune c ON c.code = e.commune"
                  " LEFT JOIN naf f ON f.code = e.naf WHERE e.state = 'A' GROUP BY 1, 2, 3";
    cells_ctx c = {fn, ud};
    ml_err r = pg_each(db, "establishments by place and activity", sql, 0, NULL, cell_row, &c);
    if (r == ML_INTERRUPTED)
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory reading establishments by activity");
    return r;
}
