/* pg_territory.c — territory diagnostics on PostgreSQL, the same rows as
 * sqlite_territory.c: perimeters, a place's establishments by activity,
 * size and company category, by year, and its coverage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_impl.h"

/* A change of perimeters changes the data stamp (pg_data_stamp). */
static ml_err perimeters_touch(ml_db *db)
{
    return pg_exec(db, "record perimeters",
                   "INSERT INTO meta(key, value) VALUES('perimeters', '1') ON CONFLICT(key)"
                   " DO UPDATE SET value = (meta.value::bigint + 1)::text");
}

ml_err pg_perimeter_put(ml_db *db, const ml_perimeter *p, const char *const *communes, size_t n)
{
    char org[24];
    ml_snprintf(org, sizeof org, "%lld", (long long)p->org);
    const char *del[1] = {p->code};
    const char *head[7] = {p->code, p->name, p->kind, org, p->author, p->created, p->source};
    PGresult *res = NULL;
    ml_err r = pg_query(db, "write perimeter", "DELETE FROM perimeter_commune WHERE perimeter = $1",
                        1, del, &res);
    PQclear(res);
    if (r) return r;
    r = pg_query(db, "write perimeter",
                 "INSERT INTO perimeter(code, name, kind, org, author, created, source)"
                 " VALUES($1, $2, $3, $4::bigint, $5, coalesce($6, to_char(now() AT TIME ZONE"
                 " 'UTC', 'YYYY-MM-DD HH24:MI:SS')), $7) ON CONFLICT (code) DO UPDATE SET"
                 " name = EXCLUDED.name, kind = EXCLUDED.kind, org = EXCLUDED.org,"
                 " author = EXCLUDED.author, created = EXCLUDED.created, source = EXCLUDED.source",
                 7, head, &res);
    PQclear(res);
    for (size_t i = 0; i < n && !r; i++) {
        const char *put[2] = {p->code, communes[i]};
        r = pg_query(db, "write perimeter",
                     "INSERT INTO perimeter_commune(perimeter, commune) VALUES($1, $2)"
                     " ON CONFLICT DO NOTHING",
                     2, put, &res);
        PQclear(res);
    }
    return r ? r : perimeters_touch(db);
}

ml_err pg_perimeter_delete(ml_db *db, const char *code)
{
    const char *params[1] = {code};
    PGresult *res = NULL;
    ml_err r = pg_query(db, "delete perimeter",
                        "DELETE FROM perimeter_commune WHERE perimeter = $1", 1, params, &res);
    PQclear(res);
    if (r) return r;
    if ((r = pg_query(db, "delete perimeter", "DELETE FROM perimeter WHERE code = $1", 1, params,
                      &res)))
        return r;
    bool gone = strtoll(PQcmdTuples(res), NULL, 10) > 0;
    PQclear(res);
    return gone ? perimeters_touch(db) : ML_NOTFOUND;
}

typedef struct perimeter_ctx {
    ml_perimeter_fn fn;
    void *ud;
} perimeter_ctx;

static int perimeter_row(void *ud, PGresult *res)
{
    perimeter_ctx *c = ud;
    ml_perimeter p = {.code = pg_text(res, 0),
                      .name = pg_text(res, 1),
                      .kind = pg_text(res, 2),
                      .org = pg_i64(res, 3),
                      .author = pg_text(res, 4),
                      .created = pg_text(res, 5),
                      .source = pg_text(res, 6),
                      .communes = pg_i64(res, 7)};
    return c->fn(c->ud, &p);
}

ml_err pg_perimeter_list(ml_db *db, ml_perimeter_fn fn, void *ud)
{
    perimeter_ctx c = {fn, ud};
    ml_err r = pg_each(
        db, "list perimeters",
        "SELECT p.code, p.name, p.kind, p.org, p.author, p.created, p.source,"
        " (SELECT count(*) FROM perimeter_commune m WHERE m.perimeter = p.code)"
        " FROM perimeter p UNION ALL"
        " SELECT code, name, CASE phase WHEN '2023' THEN 'ti2023' ELSE 'ti2019' END, 0, NULL,"
        " NULL, 'ANCT', count(*) FROM ti GROUP BY code, name, phase ORDER BY 3, 1",
        0, NULL, perimeter_row, &c);
    return r == ML_INTERRUPTED ? ml_fail(db->ctx, ML_NOMEM, "out of memory listing perimeters") : r;
}

/* Runs fmt with the place's condition in each %s and $1 its code. */
static ml_err place_each(ml_db *db, const ml_place *p, const char *what, const char *fmt, int n,
                         const char *extra, pg_row_fn fn, void *ud)
{
    const char *w = pg_place_where(p);
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    for (const char *f = fmt; *f; f++) {
        if (f[0] == '%' && f[1] == 's') {
            ml_buf_addstr(&sql, w);
            f++;
        } else {
            ml_buf_addch(&sql, *f);
        }
    }
    const char *params[2] = {p->code, extra};
    ml_err r = ml_buf_failed(&sql) ? ml_fail(db->ctx, ML_LIMIT, "query too long")
                                   : pg_each(db, what, ml_buf_cstr(&sql), n, params, fn, ud);
    ml_buf_release(&sql);
    if (r == ML_INTERRUPTED) r = ml_fail(db->ctx, ML_NOMEM, "out of memory reading %s", what);
    return r;
}

typedef struct activity_ctx {
    ml_activity_cell_fn fn;
    void *ud;
} activity_ctx;

static int activity_row(void *ud, PGresult *res)
{
    activity_ctx *c = ud;
    ml_activity_cell x = {.naf = pg_text(res, 0),
                          .a10 = pg_text(res, 1),
                          .a21 = pg_text(res, 2),
                          .size_band = pg_text(res, 3),
                          .category = pg_text(res, 4),
                          .active = pg_i64(res, 5),
                          .employers = pg_i64(res, 6),
                          .restricted = pg_i64(res, 7)};
    return c->fn(c->ud, &x);
}

ml_err pg_activity_cells(ml_db *db, const ml_place *p, ml_activity_cell_fn fn, void *ud)
{
    activity_ctx c = {fn, ud};
    return place_each(db, p, "territory activities",
                      "SELECT e.naf, f.a10, f.a21, coalesce(e.size_band, 'NN'), u.category,"
                      " count(*), count(*) FILTER (WHERE e.employer = 'O'),"
                      " count(*) FILTER (WHERE e.diffusion <> 'O')"
                      " FROM etab e JOIN commune c ON c.code = e.commune"
                      " LEFT JOIN naf f ON f.code = e.naf LEFT JOIN unite u ON u.siren = e.siren"
                      " WHERE %s AND e.state = 'A' GROUP BY 1, 2, 3, 4, 5",
                      1, NULL, activity_row, &c);
}

typedef struct year_ctx {
    ml_year_fn fn;
    void *ud;
} year_ctx;

static int year_row(void *ud, PGresult *res)
{
    year_ctx *c = ud;
    return c->fn(c->ud, (int)pg_i64(res, 0), pg_i64(res, 1), pg_i64(res, 2));
}

ml_err pg_place_years(ml_db *db, const ml_place *p, ml_year_fn fn, void *ud)
{
    year_ctx c = {fn, ud};
    return place_each(db, p, "territory years",
                      "SELECT y, sum(cr), sum(cl) FROM ("
                      " SELECT substr(e.created, 1, 4) AS y, 1 AS cr, 0 AS cl FROM etab e"
                      " JOIN commune c ON c.code = e.commune WHERE %s AND e.created IS NOT NULL"
                      " UNION ALL SELECT substr(e.state_since, 1, 4), 0, 1 FROM etab e"
                      " JOIN commune c ON c.code = e.commune WHERE %s AND e.state = 'F'"
                      " AND e.state_since IS NOT NULL) x GROUP BY y ORDER BY y",
                      1, NULL, year_row, &c);
}

typedef struct coverage_ctx {
    int64_t communes, covered;
} coverage_ctx;

static int coverage_row(void *ud, PGresult *res)
{
    coverage_ctx *c = ud;
    c->communes = pg_i64(res, 0);
    c->covered = pg_i64(res, 1);
    return 0;
}

ml_err pg_place_coverage(ml_db *db, const ml_place *p, int64_t min_population, int64_t *communes,
                         int64_t *covered)
{
    char min[24];
    ml_snprintf(min, sizeof min, "%lld", (long long)min_population);
    coverage_ctx c = {0, 0};
    ml_err r =
        place_each(db, p, "territory coverage",
                   "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM etab e"
                   " WHERE e.commune = c.code) OR EXISTS (SELECT 1 FROM commune a JOIN etab e"
                   " ON e.commune = a.code WHERE a.parent = c.code AND a.type = 'ARM'))"
                   " FROM commune c WHERE %s AND c.type = 'COM' AND c.population >= $2::bigint",
                   2, min, coverage_row, &c);
    *communes = c.communes;
    *covered = c.covered;
    return r;
}

typedef struct leader_ctx {
    ml_leader_fn fn;
    void *ud;
} leader_ctx;

static int leader_row(void *ud, PGresult *res)
{
    leader_ctx *c = ud;
    return c->fn(c->ud, pg_text(res, 0), pg_i64(res, 1));
}

ml_err pg_place_leaders(ml_db *db, const ml_place *p, const char *const *classes, size_t n,
                        unsigned per_class, ml_leader_fn fn, void *ud)
{
    if (n == 0) return ML_OK;
    /* The classes as one text array ($2), the number per class as $3. */
    ml_buf arr;
    ml_buf_init(&arr, 16384);
    ml_buf_addch(&arr, '{');
    for (size_t i = 0; i < n; i++) {
        if (strspn(classes[i], "0123456789.") != strlen(classes[i]))
            continue; /* NAF classes only */
        ml_buf_addf(&arr, "%s%s", arr.len > 1 ? "," : "", classes[i]);
    }
    ml_buf_addch(&arr, '}');
    char per[16];
    ml_snprintf(per, sizeof per, "%u", per_class);
    const char *w = pg_place_where(p);
    ml_buf sql;
    ml_buf_init(&sql, 16384);
    ml_buf_addstr(&sql, "SELECT a615, siret FROM (SELECT f.a615, e.siret, row_number() OVER"
                        " (PARTITION BY f.a615 ORDER BY coalesce(e.size_band, '') DESC, e.siret)"
                        " AS k FROM etab e JOIN commune c ON c.code = e.commune"
                        " JOIN naf f ON f.code = e.naf WHERE ");
    ml_buf_addstr(&sql, w);
    ml_buf_addstr(&sql, " AND e.state = 'A' AND e.diffusion = 'O' AND f.a615 = ANY($2::text[]))"
                        " x WHERE k <= $3::int ORDER BY a615, k");
    const char *params[3] = {p->code, ml_buf_cstr(&arr), per};
    leader_ctx c = {fn, ud};
    ml_err r =
        ml_buf_failed(&sql) || ml_buf_failed(&arr)
            ? ml_fail(db->ctx, ML_LIMIT, "too many classes")
            : pg_each(db, "largest establishments", ml_buf_cstr(&sql), 3, params, leader_row, &c);
    ml_buf_release(&sql);
    ml_buf_release(&arr);
    return r == ML_INTERRUPTED ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : r;
}
