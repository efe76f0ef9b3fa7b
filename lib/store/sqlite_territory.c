/* sqlite_territory.c — territory diagnostics on SQLite: perimeters (the
 * user's and the shipped Territoires d'industrie), a place's establishments
 * by activity, size and company category, by year, and whether the
 * establishments cover it. Raw rows only: lib/territory applies the rules. */
#include "store/sqlite_impl.h"

/* A change of perimeters changes the data stamp (sq_data_stamp): what was
 * kept about a perimeter's code (summaries, answers) is not served again. */
static ml_err perimeters_touch(ml_db *db)
{
    /* PRAGMA data_version does not change with this connection's own
     * commits: its stamp is read again. */
    ((sq_state *)db->impl)->stamp = 0;
    return sq_exec(db, "INSERT INTO meta(key, value) VALUES('perimeters', '1') ON CONFLICT(key)"
                       " DO UPDATE SET value = CAST(value AS INTEGER) + 1");
}

ml_err sq_perimeter_put(ml_db *db, const ml_perimeter *p, const char *const *communes, size_t n)
{
    sqlite3_stmt *del = sq_prepare(db, "DELETE FROM perimeter_commune WHERE perimeter = ?");
    sqlite3_stmt *head = sq_prepare(db, "INSERT OR REPLACE INTO perimeter(code, name, kind, org,"
                                        " author, created, source) VALUES(?, ?, ?, ?, ?,"
                                        " coalesce(?, datetime('now')), ?)");
    sqlite3_stmt *put =
        sq_prepare(db, "INSERT OR IGNORE INTO perimeter_commune(perimeter, commune) VALUES(?, ?)");
    ml_err r = ML_OK;
    if (!del || !head || !put) {
        r = ML_DB;
        goto out;
    }
    sqlite3_bind_text(del, 1, p->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(head, 1, p->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(head, 2, p->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(head, 3, p->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(head, 4, p->org);
    sq_bind_text(head, 5, p->author);
    sq_bind_text(head, 6, p->created);
    sq_bind_text(head, 7, p->source);
    if (sqlite3_step(del) != SQLITE_DONE || sqlite3_step(head) != SQLITE_DONE) {
        r = sq_fail(db, "write perimeter");
        goto out;
    }
    for (size_t i = 0; i < n && !r; i++) {
        sqlite3_reset(put);
        sqlite3_bind_text(put, 1, p->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(put, 2, communes[i], -1, SQLITE_STATIC);
        if (sqlite3_step(put) != SQLITE_DONE) r = sq_fail(db, "write perimeter");
    }
out:
    sqlite3_finalize(del);
    sqlite3_finalize(head);
    sqlite3_finalize(put);
    return r ? r : perimeters_touch(db);
}

ml_err sq_perimeter_delete(ml_db *db, const char *code)
{
    sq_state *s = db->impl;
    sqlite3_stmt *a = sq_prepare(db, "DELETE FROM perimeter_commune WHERE perimeter = ?");
    sqlite3_stmt *b = sq_prepare(db, "DELETE FROM perimeter WHERE code = ?");
    ml_err r = ML_OK;
    if (!a || !b) {
        r = ML_DB;
    } else {
        sqlite3_bind_text(a, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(b, 1, code, -1, SQLITE_STATIC);
        if (sqlite3_step(a) != SQLITE_DONE || sqlite3_step(b) != SQLITE_DONE)
            r = sq_fail(db, "delete perimeter");
        else if (sqlite3_changes(s->sql) == 0)
            r = ML_NOTFOUND;
    }
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    return r ? r : perimeters_touch(db);
}

ml_err sq_perimeter_list(ml_db *db, ml_perimeter_fn fn, void *ud)
{
    sqlite3_stmt *st = sq_prepare(
        db, "SELECT p.code, p.name, p.kind, p.org, p.author, p.created, p.source,"
            " (SELECT count(*) FROM perimeter_commune m WHERE m.perimeter = p.code)"
            " FROM perimeter p UNION ALL"
            " SELECT code, name, CASE phase WHEN '2023' THEN 'ti2023' ELSE 'ti2019' END, 0, NULL,"
            " NULL, 'ANCT', count(*) FROM ti GROUP BY code, name, phase ORDER BY 3, 1");
    if (!st) return ML_DB;
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_perimeter p = {.code = sq_col_text(st, 0),
                          .name = sq_col_text(st, 1),
                          .kind = sq_col_text(st, 2),
                          .org = sqlite3_column_int64(st, 3),
                          .author = sq_col_text(st, 4),
                          .created = sq_col_text(st, 5),
                          .source = sq_col_text(st, 6),
                          .communes = sqlite3_column_int64(st, 7)};
        stop = fn(ud, &p);
    }
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory listing perimeters");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "list perimeters");
}

ml_err sq_activity_cells(ml_db *db, const ml_place *p, ml_activity_cell_fn fn, void *ud)
{
    sqlite3_stmt *st = sq_place_prepare(
        db, p,
        "SELECT e.naf, f.a10, f.a21, coalesce(e.size_band, 'NN'), u.category, count(*),"
        " sum(e.employer = 'O'), sum(e.diffusion <> 'O')"
        " FROM etab e JOIN commune c ON c.code = e.commune LEFT JOIN naf f ON f.code = e.naf"
        " LEFT JOIN unite u ON u.siren = e.siren"
        " WHERE %W AND e.state = 'A' GROUP BY 1, 2, 3, 4, 5");
    if (!st) return sq_fail(db, "territory activities");
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_activity_cell c = {.naf = sq_col_text(st, 0),
                              .a10 = sq_col_text(st, 1),
                              .a21 = sq_col_text(st, 2),
                              .size_band = sq_col_text(st, 3),
                              .category = sq_col_text(st, 4),
                              .active = sqlite3_column_int64(st, 5),
                              .employers = sqlite3_column_int64(st, 6),
                              .restricted = sqlite3_column_int64(st, 7)};
        stop = fn(ud, &c);
    }
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading activities");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "territory activities");
}

ml_err sq_place_years(ml_db *db, const ml_place *p, ml_year_fn fn, void *ud)
{
    sqlite3_stmt *st =
        sq_place_prepare(db, p,
                         "SELECT y, sum(cr), sum(cl) FROM ("
                         " SELECT substr(e.created, 1, 4) AS y, 1 AS cr, 0 AS cl FROM etab e"
                         " JOIN commune c ON c.code = e.commune WHERE %W AND e.created IS NOT NULL"
                         " UNION ALL SELECT substr(e.state_since, 1, 4), 0, 1 FROM etab e"
                         " JOIN commune c ON c.code = e.commune WHERE %W AND e.state = 'F'"
                         " AND e.state_since IS NOT NULL) GROUP BY y ORDER BY y");
    if (!st) return sq_fail(db, "territory years");
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1),
                  sqlite3_column_int64(st, 2));
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading years");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "territory years");
}

ml_err sq_place_coverage(ml_db *db, const ml_place *p, int64_t min_population, int64_t *communes,
                         int64_t *covered)
{
    sqlite3_stmt *st = sq_place_prepare(
        db, p,
        "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM etab e WHERE e.commune = c.code)"
        " OR EXISTS (SELECT 1 FROM commune a JOIN etab e ON e.commune = a.code"
        " WHERE a.parent = c.code AND a.type = 'ARM')), 0)"
        " FROM commune c WHERE %W AND c.type = 'COM' AND c.population >= ?2");
    if (!st) return sq_fail(db, "territory coverage");
    sqlite3_bind_int64(st, 2, min_population);
    int rc = sqlite3_step(st);
    *communes = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    *covered = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? ML_OK : sq_fail(db, "territory coverage");
}

ml_err sq_place_leaders(ml_db *db, const ml_place *p, const char *const *classes, size_t n,
                        unsigned per_class, ml_leader_fn fn, void *ud)
{
    if (n == 0) return ML_OK;
    /* The classes as ?3, ?4...; ?2 the number per class. */
    ml_buf sql;
    ml_buf_init(&sql, 16384);
    ml_buf_addstr(&sql, "SELECT a615, siret FROM (SELECT f.a615, e.siret, row_number() OVER"
                        " (PARTITION BY f.a615 ORDER BY coalesce(e.size_band, '') DESC, e.siret)"
                        " AS k FROM etab e JOIN commune c ON c.code = e.commune"
                        " JOIN naf f ON f.code = e.naf WHERE %W AND e.state = 'A'"
                        " AND e.diffusion = 'O' AND f.a615 IN (");
    for (size_t i = 0; i < n; i++)
        ml_buf_addf(&sql, "%s?%zu", i ? "," : "", i + 3);
    ml_buf_addstr(&sql, ")) WHERE k <= ?2 ORDER BY a615, k");
    if (ml_buf_failed(&sql)) {
        ml_buf_release(&sql);
        return ml_fail(db->ctx, ML_LIMIT, "too many classes");
    }
    sqlite3_stmt *st = sq_place_prepare(db, p, ml_buf_cstr(&sql));
    ml_buf_release(&sql);
    if (!st) return sq_fail(db, "largest establishments");
    sqlite3_bind_int(st, 2, (int)per_class);
    for (size_t i = 0; i < n; i++)
        sqlite3_bind_text(st, (int)i + 3, classes[i], -1, SQLITE_STATIC);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sq_col_text(st, 0), sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "largest establishments");
}
