/* sqlite_complexity.c — the SQLite backend's read for relatedness and
 * complexity (lib/complexity): active establishments in groups by location,
 * NAF class and size band. Raw counts only: what is shown is decided above. */
#include "store/sqlite_impl.h"

ml_err sq_location_cells(ml_db *db, bool by_epci, ml_location_cell_fn fn, void *ud)
{
    /* An arrondissement or a commune déléguée counts in its city (as
     * territory summaries do); an EPCI is the commune's own. */
    const char *sql =
        by_epci ? "SELECT c.epci, f.a615, coalesce(e.size_band, 'NN'), count(*)"
                  " FROM etab e JOIN commune c ON c.code = e.commune"
                  " LEFT JOIN naf f ON f.code = e.naf WHERE e.state = 'A' GROUP BY 1, 2, 3"
                : "SELECT coalesce(c.parent, c.code), f.a615, coalesce(e.size_band, 'NN'), count(*)"
                  " FROM etab e JOIN commune c ON c.code = e.commune"
                  " LEFT JOIN naf f ON f.code = e.naf WHERE e.state = 'A' GROUP BY 1, 2, 3";
    sqlite3_stmt *st = sq_prepare(db, sql);
    if (!st) return sq_fail(db, "establishments by place and activity");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(ud, sq_col_text(st, 0), sq_col_text(st, 1), sq_col_text(st, 2),
               sqlite3_column_int64(st, 3))) {
            sqlite3_finalize(st);
            return ml_fail(db->ctx, ML_NOMEM, "out of memory reading establishments by activity");
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "establishments by place and activity");
}
