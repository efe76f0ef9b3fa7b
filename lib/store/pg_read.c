/* pg_read.c — the typed reads of the PostgreSQL backend: places and their
 * establishments in groups, establishment views, companies, NAF labels,
 * verdicts, networks, profiles' texts, INSEE's A38 table. Raw rows only:
 * secrecy, names and labels are decided above (lib/privacy, lib/firm,
 * lib/territory). Rows come in the order the SQLite backend gives them. */
#include "store/pg_impl.h"

/* A callback stopped (pg_each's ML_INTERRUPTED) means out of memory. */
static ml_err stopped(ml_db *db, ml_err r, const char *what)
{
    return r == ML_INTERRUPTED ? ml_fail(db->ctx, ML_NOMEM, "out of memory reading %s", what) : r;
}

/* Row i's column of a whole result (pg_text reads row 0 of one-row results). */
static const char *cell(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* ------------------------------------------------------------------ places */

/* The SQL condition of a place on the commune table (alias c, $1 the code). */
const char *pg_place_where(const ml_place *p)
{
    switch (p->kind) {
    case ML_PLACE_PERIMETER: /* a user's perimeter or a Territoire d'industrie */
        return "(c.code IN (SELECT commune FROM perimeter_commune WHERE perimeter = $1"
               " UNION ALL SELECT commune FROM ti WHERE code = $1) OR c.parent IN (SELECT commune"
               " FROM perimeter_commune WHERE perimeter = $1 UNION ALL SELECT commune FROM ti"
               " WHERE code = $1))";
    case ML_PLACE_COMMUNE: return "(c.code = $1 OR c.parent = $1)";
    case ML_PLACE_EPCI: return "c.epci = $1";
    case ML_PLACE_DEPARTEMENT: return "c.departement = $1";
    case ML_PLACE_REGION: return "c.region = $1";
    default: return "$1::text IS NOT NULL"; /* the country: every commune */
    }
}

/* Builds "pre WHERE-condition post" into b; 0 or -1 past its cap. */
static int place_sql(ml_buf *b, const ml_place *p, const char *pre, const char *post)
{
    ml_buf_reset(b);
    ml_buf_addf(b, "%s%s%s", pre, pg_place_where(p), post);
    return ml_buf_failed(b) ? -1 : 0;
}

ml_err pg_place(ml_db *db, ml_place *p)
{
    static const char *const tables[] = {
        [ML_PLACE_COMMUNE] = "commune",
        [ML_PLACE_EPCI] = "epci",
        [ML_PLACE_DEPARTEMENT] = "departement",
        [ML_PLACE_REGION] = "region",
        [ML_PLACE_PERIMETER] = "(SELECT code, name FROM perimeter UNION ALL"
                               " SELECT code, name FROM ti) t",
    };
    const char *params[1] = {p->code};
    PGresult *res = NULL;
    ml_err r;
    if (p->kind != ML_PLACE_COUNTRY) {
        char sql[192];
        ml_snprintf(sql, sizeof sql, "SELECT name FROM %s WHERE code = $1 LIMIT 1",
                    tables[p->kind]);
        if ((r = pg_query(db, "territory", sql, 1, params, &res))) return r;
        bool found = PQntuples(res) > 0;
        if (found) ml_snprintf(p->name, sizeof p->name, "%s", cell(res, 0, 0) ? cell(res, 0, 0) : "");
        PQclear(res);
        if (!found) return ML_NOTFOUND;
    }
    return ML_OK;
}

ml_err pg_place_size(ml_db *db, ml_place *p)
{
    const char *params[1] = {p->code};
    PGresult *res = NULL;
    ml_err r;
    /* A commune counts itself, or the arrondissement it is. */
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    const char *w = pg_place_where(p);
    ml_buf_addf(&sql,
                "SELECT (SELECT count(*) FROM commune c WHERE (c.type = 'COM' OR (c.type = 'ARM'"
                " AND c.code = $1)) AND %s), (SELECT sum(population) FROM commune c WHERE"
                " (c.type = 'COM' OR (c.type = 'ARM' AND c.code = $1)) AND %s)",
                w, w);
    r = ml_buf_failed(&sql) ? ml_fail(db->ctx, ML_LIMIT, "query too long")
                            : pg_query(db, "territory", ml_buf_cstr(&sql), 1, params, &res);
    ml_buf_release(&sql);
    if (r) return r;
    p->communes = PQntuples(res) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
    p->population = PQntuples(res) && !PQgetisnull(res, 0, 1)
                        ? strtoll(PQgetvalue(res, 0, 1), NULL, 10)
                        : -1;
    PQclear(res);
    return ML_OK;
}

typedef struct cell_ctx {
    ml_place_cell_fn fn;
    void *ud;
} cell_ctx;

static int cell_row(void *ud, PGresult *res)
{
    cell_ctx *c = ud;
    ml_place_cell x = {
        .a10 = pg_text(res, 0),
        .a38 = pg_text(res, 1),
        .size_band = pg_text(res, 2),
        .commune = pg_text(res, 3),
        .total = pg_i64(res, 4),
        .active = pg_i64(res, 5),
        .restricted = pg_i64(res, 6),
        .generated = pg_i64(res, 7),
        .approximate = pg_i64(res, 8),
        .employers = pg_i64(res, 9),
        .run = pg_i64(res, 10),
        .latest_created = pg_text(res, 11),
        .size_year = pg_i64(res, 12),
    };
    return c->fn(c->ud, &x);
}

ml_err pg_place_cells(ml_db *db, const ml_place *p, ml_place_cell_fn fn, void *ud)
{
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    cell_ctx c = {fn, ud};
    const char *params[1] = {p->code};
    ml_err r = place_sql(&sql, p,
                         "SELECT f.a10, f.a38, coalesce(e.size_band, 'NN'),"
                         " coalesce(c.parent, c.code), count(*),"
                         " count(*) FILTER (WHERE e.state = 'A'),"
                         " count(*) FILTER (WHERE e.state = 'A' AND e.diffusion <> 'O'),"
                         " count(*) FILTER (WHERE e.state = 'A' AND e.generated <> 0),"
                         " count(*) FILTER (WHERE e.state = 'A' AND e.geo = 3),"
                         " count(*) FILTER (WHERE e.state = 'A' AND e.employer = 'O'),"
                         " max(coalesce(ic.run, e.run)), max(e.created), max(e.size_year)"
                         " FROM etab e JOIN commune c ON c.code = e.commune"
                         " LEFT JOIN import_cover ic ON ic.commune = c.code"
                         " LEFT JOIN naf f ON f.code = e.naf WHERE ",
                         " GROUP BY 1, 2, 3, 4")
                     ? ml_fail(db->ctx, ML_LIMIT, "query too long")
                     : pg_each(db, "territory", ml_buf_cstr(&sql), 1, params, cell_row, &c);
    ml_buf_release(&sql);
    return stopped(db, r, "the territory");
}

ml_err pg_run_finished(ml_db *db, int64_t run, char *out, size_t size)
{
    char id[24];
    ml_snprintf(id, sizeof id, "%lld", (long long)run);
    const char *params[1] = {id};
    PGresult *res;
    out[0] = '\0';
    ml_err r = pg_query(db, "import runs", "SELECT finished FROM import_run WHERE id = $1", 1,
                        params, &res);
    if (r) return r;
    if (PQntuples(res) && cell(res, 0, 0)) ml_snprintf(out, size, "%s", cell(res, 0, 0));
    PQclear(res);
    return ML_OK;
}

ml_err pg_level_label(ml_db *db, const char *level, const char *code, char *fr, char *en,
                      size_t size)
{
    const char *params[2] = {level, code};
    PGresult *res;
    fr[0] = en[0] = '\0';
    ml_err r = pg_query(db, "NAF labels",
                        "SELECT label_fr, label_en FROM naf_level WHERE level = $1 AND code = $2", 2,
                        params, &res);
    if (r) return r;
    if (PQntuples(res)) {
        ml_snprintf(fr, size, "%s", cell(res, 0, 0) ? cell(res, 0, 0) : "");
        ml_snprintf(en, size, "%s", cell(res, 0, 1) ? cell(res, 0, 1) : "");
    }
    PQclear(res);
    return ML_OK;
}

typedef struct child_ctx {
    ml_child_fn fn;
    void *ud;
} child_ctx;

static int child_row(void *ud, PGresult *res)
{
    child_ctx *c = ud;
    return c->fn(c->ud, pg_text(res, 0), pg_text(res, 1));
}

ml_err pg_place_children(ml_db *db, const ml_place *parent, ml_child_fn fn, void *ud)
{
    const char *sql;
    switch (parent ? parent->kind : ML_PLACE_COUNTRY) {
    case ML_PLACE_COUNTRY: sql = "SELECT code, name FROM region ORDER BY code"; break;
    case ML_PLACE_REGION:
        sql = "SELECT code, name FROM departement WHERE region = $1 ORDER BY code";
        break;
    case ML_PLACE_DEPARTEMENT:
        /* (DISTINCT wants its ORDER BY in the select list: the collation
         * goes inside.) */
        sql = "SELECT code, name FROM (SELECT DISTINCT e.code, e.name COLLATE \"C\" AS name"
              " FROM epci e JOIN commune c ON c.epci = e.code WHERE c.departement = $1"
              " AND c.type = 'COM') x ORDER BY name";
        break;
    case ML_PLACE_EPCI:
        sql = "SELECT code, name FROM commune WHERE epci = $1 AND type = 'COM'"
              " ORDER BY name COLLATE \"C\"";
        break;
    default: return ML_OK;
    }
    bool country = !parent || parent->kind == ML_PLACE_COUNTRY;
    const char *params[1] = {country ? NULL : parent->code};
    child_ctx c = {fn, ud};
    return stopped(db,
                   pg_each(db, "territories", sql, country ? 0 : 1, params, child_row, &c),
                   "territories");
}

typedef struct commune_ctx {
    ml_commune_fn fn;
    void *ud;
} commune_ctx;

static int commune_row(void *ud, PGresult *res)
{
    commune_ctx *c = ud;
    return c->fn(c->ud, pg_text(res, 0), pg_text(res, 1),
                 pg_text(res, 2) ? pg_i64(res, 2) : -1, pg_f64(res, 3), pg_f64(res, 4),
                 pg_text(res, 5));
}

ml_err pg_place_communes(ml_db *db, const ml_place *p, ml_commune_fn fn, void *ud)
{
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    commune_ctx c = {fn, ud};
    const char *params[1] = {p->code};
    ml_err r = place_sql(&sql, p,
                         "SELECT c.code, c.name, c.population, c.lat, c.lon, c.departement"
                         " FROM commune c WHERE ",
                         " AND ((c.type = 'COM' AND NOT EXISTS (SELECT 1 FROM commune a WHERE"
                         " a.parent = c.code AND a.type = 'ARM')) OR c.type = 'ARM')"
                         " AND c.lat IS NOT NULL ORDER BY c.code COLLATE \"C\"")
                     ? ml_fail(db->ctx, ML_LIMIT, "query too long")
                     : pg_each(db, "territory communes", ml_buf_cstr(&sql), 1, params,
                               commune_row, &c);
    ml_buf_release(&sql);
    return stopped(db, r, "communes");
}

/* ---------------------------------------------------------- establishments */

#define VIEW_COLUMNS                                                                               \
    "e.siret, e.siren, e.diffusion, e.state, e.created, e.size_band, e.size_year,"                 \
    " e.head_office, e.sign, e.usual_name, e.address, e.postcode, e.city, e.commune, e.naf,"       \
    " e.naf_raw, e.naf25, e.employer, e.lat, e.lon, e.geo, e.generated, n.label, c.name,"          \
    " u.siren, u.diffusion, u.state, u.name, u.acronym, u.category, u.category_year,"              \
    " u.legal_form, u.naf, u.created, u.ess, u.generated, n.a10"
#define VIEW_FROM                                                                                  \
    " FROM etab e LEFT JOIN unite u ON u.siren = e.siren LEFT JOIN naf n ON n.code = e.naf"        \
    " LEFT JOIN commune c ON c.code = e.commune"

typedef struct view_ctx {
    ml_etab_view_fn fn;
    void *ud;
} view_ctx;

static char first(const char *s, char none)
{
    return s && *s ? s[0] : none;
}

/* A legal unit from columns c.. (the order of VIEW_COLUMNS and of
 * pg_unite_get): siren, diffusion, state, name, acronym, category,
 * category_year, legal_form, naf, created, ess, generated. */
static ml_unite unite_at(PGresult *res, int c)
{
    return (ml_unite){.siren = pg_i64(res, c),
                      .diffusion = first(pg_text(res, c + 1), 'P'),
                      .state = first(pg_text(res, c + 2), 'C'),
                      .name = pg_text(res, c + 3),
                      .acronym = pg_text(res, c + 4),
                      .category = pg_text(res, c + 5),
                      .category_year = (int)pg_i64(res, c + 6),
                      .legal_form = pg_text(res, c + 7),
                      .naf = pg_text(res, c + 8),
                      .created = pg_text(res, c + 9),
                      .ess = pg_text(res, c + 10),
                      .generated = pg_i64(res, c + 11) != 0};
}

static int view_row(void *ud, PGresult *res)
{
    view_ctx *c = ud;
    ml_etab_view v = {
        .e = {.siret = pg_i64(res, 0),
              .siren = pg_i64(res, 1),
              .diffusion = first(pg_text(res, 2), 'P'),
              .state = first(pg_text(res, 3), 'F'),
              .created = pg_text(res, 4),
              .size_band = pg_text(res, 5),
              .size_year = (int)pg_i64(res, 6),
              .head_office = pg_i64(res, 7) != 0,
              .sign = pg_text(res, 8),
              .usual_name = pg_text(res, 9),
              .address = pg_text(res, 10),
              .postcode = pg_text(res, 11),
              .city = pg_text(res, 12),
              .commune = pg_text(res, 13),
              .naf = pg_text(res, 14),
              .naf_raw = pg_text(res, 15),
              .naf25 = pg_text(res, 16),
              .employer = pg_text(res, 17),
              .lat = pg_f64(res, 18),
              .lon = pg_f64(res, 19),
              .geo = (ml_geo_source)(pg_i64(res, 20) & 3),
              .generated = pg_i64(res, 21) != 0},
        .naf_label = pg_text(res, 22),
        .commune_name = pg_text(res, 23),
        .has_unit = pg_text(res, 24) != NULL,
        .a10 = pg_text(res, 36),
    };
    if (v.has_unit) v.u = unite_at(res, 24);
    return c->fn(c->ud, &v);
}

ml_err pg_etab_get(ml_db *db, int64_t siret, ml_etab_view_fn fn, void *ud)
{
    char id[24];
    ml_snprintf(id, sizeof id, "%lld", (long long)siret);
    const char *params[1] = {id};
    view_ctx c = {fn, ud};
    return stopped(db,
                   pg_each(db, "read establishment",
                           "SELECT " VIEW_COLUMNS VIEW_FROM " WHERE e.siret = $1", 1, params,
                           view_row, &c),
                   "an establishment");
}

ml_err pg_unit_etabs(ml_db *db, int64_t siren, unsigned max, ml_etab_view_fn fn, void *ud)
{
    char id[24], lim[16];
    ml_snprintf(id, sizeof id, "%lld", (long long)siren);
    ml_snprintf(lim, sizeof lim, "%u", max);
    const char *params[2] = {id, lim};
    view_ctx c = {fn, ud};
    return stopped(db,
                   pg_each(db, "company",
                           "SELECT " VIEW_COLUMNS VIEW_FROM " WHERE e.siren = $1 ORDER BY"
                           " e.state = 'A' DESC, e.head_office DESC, e.siret LIMIT $2",
                           2, params, view_row, &c),
                   "establishments");
}

typedef struct unite_ctx {
    ml_unite_fn fn;
    void *ud;
} unite_ctx;

static int unite_row(void *ud, PGresult *res)
{
    unite_ctx *c = ud;
    ml_unite u = unite_at(res, 0);
    return c->fn(c->ud, &u);
}

ml_err pg_unite_get(ml_db *db, int64_t siren, ml_unite_fn fn, void *ud)
{
    char id[24];
    ml_snprintf(id, sizeof id, "%lld", (long long)siren);
    const char *params[1] = {id};
    unite_ctx c = {fn, ud};
    return stopped(db,
                   pg_each(db, "company",
                           "SELECT siren, diffusion, state, name, acronym, category, category_year,"
                           " legal_form, naf, created, ess, generated FROM unite WHERE siren = $1",
                           1, params, unite_row, &c),
                   "a company");
}

ml_err pg_unit_active(ml_db *db, int64_t siren, int64_t *n)
{
    char id[24];
    ml_snprintf(id, sizeof id, "%lld", (long long)siren);
    const char *params[1] = {id};
    PGresult *res;
    ml_err r = pg_query(db, "company",
                        "SELECT count(*) FROM etab WHERE siren = $1 AND state = 'A'", 1, params,
                        &res);
    if (r) return r;
    *n = PQntuples(res) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : 0;
    PQclear(res);
    return ML_OK;
}

ml_err pg_legal_form_label(ml_db *db, const char *code, char *out, size_t size)
{
    const char *params[1] = {code};
    PGresult *res;
    out[0] = '\0';
    ml_err r = pg_query(db, "legal forms", "SELECT label FROM legal_form WHERE code = $1", 1,
                        params, &res);
    if (r) return r;
    if (PQntuples(res) && cell(res, 0, 0)) ml_snprintf(out, size, "%s", cell(res, 0, 0));
    PQclear(res);
    return ML_OK;
}

ml_err pg_naf_levels(ml_db *db, const char *code, ml_level_fn fn, void *ud)
{
    static const char *const names[] = {"class", "group", "A129", "A88",
                                        "A64",   "A38",   "A21",  "A10"};
    const char *params[1] = {code};
    PGresult *res;
    ml_err r = pg_query(db, "NAF levels",
                        "SELECT n.code, n.label, n.a615, n.a272, n.a129, n.a88, n.a64, n.a38,"
                        " n.a21, n.a10 FROM naf n WHERE n.code = $1",
                        1, params, &res);
    if (r) return r;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return ML_OK;
    }
    int stop = fn(ud, "subclass", cell(res, 0, 0), cell(res, 0, 1), NULL);
    for (int i = 0; !stop && !r && i < (int)ML_ARRAY_LEN(names); i++) {
        const char *lv = cell(res, 0, 2 + i);
        char fr[512], en[512];
        if (!lv) continue;
        if (!(r = pg_level_label(db, names[i], lv, fr, en, sizeof fr)))
            stop = fn(ud, names[i], lv, fr[0] ? fr : NULL, en[0] ? en : NULL);
    }
    PQclear(res);
    return r ? r : stop ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : ML_OK;
}

ml_err pg_commune_chain(ml_db *db, const char *commune, ml_chain_fn fn, void *ud)
{
    if (!commune) return ML_OK;
    const char *params[1] = {commune};
    PGresult *res;
    ml_err r = pg_query(
        db, "territory chain",
        "SELECT c.code, c.name, c.type, p.code, p.name, e.code, e.name, e.type, d.code, d.name,"
        " r.code, r.name FROM commune c LEFT JOIN commune p ON p.code = c.parent"
        " LEFT JOIN epci e ON e.code = c.epci LEFT JOIN departement d ON d.code = c.departement"
        " LEFT JOIN region r ON r.code = c.region WHERE c.code = $1",
        1, params, &res);
    if (r) return r;
    int stop = 0;
    if (PQntuples(res)) {
        const char *type = cell(res, 0, 2);
        stop = fn(ud,
                  type && strcmp(type, "ARM") == 0    ? "arrondissement"
                  : type && strcmp(type, "COMD") == 0 ? "former_commune"
                                                      : "commune",
                  cell(res, 0, 0), cell(res, 0, 1), NULL);
        static const struct {
            int col;
            const char *kind;
        } up[] = {{3, "commune"}, {5, "epci"}, {8, "departement"}, {10, "region"}};
        for (size_t i = 0; !stop && i < ML_ARRAY_LEN(up); i++) {
            if (!cell(res, 0, up[i].col)) continue;
            stop = fn(ud, up[i].kind, cell(res, 0, up[i].col), cell(res, 0, up[i].col + 1),
                      up[i].col == 5 ? cell(res, 0, 7) : NULL);
        }
    }
    PQclear(res);
    return stop ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : ML_OK;
}

ml_err pg_place_etabs(ml_db *db, const ml_place *p, const char *naf, bool public_only,
                      unsigned limit, ml_etab_view_fn fn, void *ud)
{
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    char lim[16];
    ml_snprintf(lim, sizeof lim, "%u", limit);
    const char *params[3] = {p->code, lim, naf};
    char post[256];
    ml_snprintf(post, sizeof post, " AND e.state = 'A' AND e.geo > 0%s%s ORDER BY e.siret LIMIT $2",
                public_only ? " AND e.diffusion = 'O'" : "",
                naf ? " AND (e.naf = $3 OR n.a615 = $3 OR n.a88 = $3 OR n.a38 = $3 OR n.a21 = $3"
                      " OR n.a10 = $3)"
                    : "");
    view_ctx c = {fn, ud};
    ml_err r = place_sql(&sql, p, "SELECT " VIEW_COLUMNS VIEW_FROM " WHERE ", post)
                   ? ml_fail(db->ctx, ML_LIMIT, "query too long")
                   : pg_each(db, "map", ml_buf_cstr(&sql), naf ? 3 : 2, params, view_row, &c);
    ml_buf_release(&sql);
    return stopped(db, r, "the map's establishments");
}

typedef struct map_ctx {
    ml_map_row_fn fn;
    void *ud;
} map_ctx;

static int map_row(void *ud, PGresult *res)
{
    map_ctx *c = ud;
    ml_map_row row = {
        .siret = pg_i64(res, 0),
        .lat = pg_f64(res, 1),
        .lon = pg_f64(res, 2),
        .naf = pg_text(res, 3),
        .a88 = pg_text(res, 4),
        .a38 = pg_text(res, 5),
        .a21 = pg_text(res, 6),
        .a10 = pg_text(res, 7),
        .approximate = pg_i64(res, 8) == ML_GEO_COMMUNE,
        .generated = pg_i64(res, 9) != 0,
    };
    return c->fn(c->ud, &row);
}

ml_err pg_map_rows(ml_db *db, const ml_place *p, bool public_only, ml_map_row_fn fn, void *ud)
{
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    const char *params[1] = {p->code};
    map_ctx c = {fn, ud};
    ml_err r = place_sql(&sql, p,
                         "SELECT e.siret, e.lat, e.lon, f.code, f.a88, f.a38, f.a21, f.a10, e.geo,"
                         " e.generated FROM etab e JOIN commune c ON c.code = e.commune"
                         " LEFT JOIN naf f ON f.code = e.naf WHERE ",
                         public_only ? " AND e.state = 'A' AND e.geo > 0 AND e.diffusion = 'O'"
                                       " ORDER BY e.siret"
                                     : " AND e.state = 'A' AND e.geo > 0 ORDER BY e.siret")
                     ? ml_fail(db->ctx, ML_LIMIT, "query too long")
                     : pg_each(db, "map", ml_buf_cstr(&sql), 1, params, map_row, &c);
    ml_buf_release(&sql);
    return stopped(db, r, "the map's establishments");
}

/* ------------------------------------------------ what people add, tables */

typedef struct verdict_ctx {
    ml_verdict_fn fn;
    void *ud;
} verdict_ctx;

static int verdict_row(void *ud, PGresult *res)
{
    verdict_ctx *c = ud;
    ml_verdict_row v = {pg_i64(res, 0),   pg_i64(res, 1),   pg_text(res, 2),
                        pg_text(res, 3), pg_text(res, 4), pg_text(res, 5)};
    return c->fn(c->ud, &v);
}

ml_err pg_verdicts(ml_db *db, int64_t siret, ml_verdict_fn fn, void *ud)
{
    char id[24];
    ml_snprintf(id, sizeof id, "%lld", (long long)siret);
    const char *params[1] = {id};
    verdict_ctx c = {fn, ud};
    return stopped(
        db,
        pg_each(db, "read verdicts",
                "SELECT v.supplier, v.buyer, v.verdict, v.note, v.author, v.at FROM verdict v"
                " WHERE (v.supplier = $1 OR v.buyer = $1) AND (v.verdict = 'note' OR v.id ="
                " (SELECT max(w.id) FROM verdict w WHERE w.supplier = v.supplier AND"
                " w.buyer = v.buyer AND w.verdict <> 'note')) ORDER BY v.id",
                1, params, verdict_row, &c),
        "verdicts");
}

typedef struct member_ctx {
    ml_siret_fn fn;
    void *ud;
    char *created;
    size_t size;
    bool found;
} member_ctx;

static int member_row(void *ud, PGresult *res)
{
    member_ctx *c = ud;
    if (!c->found) ml_snprintf(c->created, c->size, "%s", pg_text(res, 0) ? pg_text(res, 0) : "");
    c->found = true;
    return pg_text(res, 1) ? c->fn(c->ud, pg_i64(res, 1)) : 0;
}

ml_err pg_network_get(ml_db *db, const char *name, char *created, size_t size, ml_siret_fn fn,
                      void *ud)
{
    const char *params[1] = {name};
    member_ctx c = {fn, ud, created, size, false};
    ml_err r = pg_each(db, "read network",
                       "SELECT n.created, m.siret FROM network n LEFT JOIN network_member m"
                       " ON m.network = n.id WHERE n.name = $1 ORDER BY m.siret",
                       1, params, member_row, &c);
    if (r) return stopped(db, r, "a network");
    return c.found ? ML_OK : ML_NOTFOUND;
}

typedef struct network_ctx {
    ml_network_fn fn;
    void *ud;
} network_ctx;

static int network_row(void *ud, PGresult *res)
{
    network_ctx *c = ud;
    return c->fn(c->ud, pg_text(res, 0), pg_text(res, 1), pg_i64(res, 2));
}

ml_err pg_network_list(ml_db *db, ml_network_fn fn, void *ud)
{
    network_ctx c = {fn, ud};
    return stopped(db,
                   pg_each(db, "read networks",
                           "SELECT n.name, n.created, count(m.siret) FROM network n"
                           " LEFT JOIN network_member m ON m.network = n.id GROUP BY n.id"
                           " ORDER BY n.name COLLATE \"C\"",
                           0, NULL, network_row, &c),
                   "networks");
}

typedef struct io_ctx {
    ml_io_cell_fn fn;
    void *ud;
} io_ctx;

static int io_row(void *ud, PGresult *res)
{
    io_ctx *c = ud;
    return c->fn(c->ud, pg_text(res, 0), pg_text(res, 1), pg_f64(res, 2));
}

ml_err pg_io_a38(ml_db *db, int *year, ml_io_cell_fn fn, void *ud)
{
    PGresult *res;
    ml_err r = pg_query(db, "read input-output table", "SELECT max(year) FROM io_use", 0, NULL,
                        &res);
    if (r) return r;
    *year = PQntuples(res) && !PQgetisnull(res, 0, 0) ? (int)strtol(PQgetvalue(res, 0, 0), NULL, 10) : -1;
    PQclear(res);
    if (*year <= 0)
        return ml_fail(db->ctx, ML_ERROR, "%s has no input-output table: run `maillage init` first",
                       db->path);
    char y[16];
    ml_snprintf(y, sizeof y, "%d", *year);
    const char *params[1] = {y};
    io_ctx c = {fn, ud};
    return stopped(db,
                   pg_each(db, "read input-output table",
                           "SELECT product, branch, value FROM io_use WHERE year = $1"
                           " ORDER BY product, branch",
                           1, params, io_row, &c),
                   "the input-output table");
}
