/* pg.c — the PostgreSQL storage backend: connection, transactions, the
 * versioned schema, reference data, and imports written with COPY into a
 * staging table that the end of the run publishes (one transaction: a killed
 * import leaves the previous data as it was). What the matching engine reads
 * is in pg_match.c, the typed reads in pg_read.c, search in pg_search.c,
 * profiles in pg_profile.c. */
#include <libpq-fe.h>
#include <math.h>

#include "store/pg_impl.h"
#include "store/info_sql.h"
#include "store/pg_schema.h"

#define PG_COPY_FLUSH   (256 * 1024) /* bytes of COPY rows sent at once */
#define PG_MIGRATE_LOCK "7235821"    /* advisory lock: one migration at a time */
#define PG_IMPORT_LOCK  "7235822"    /* advisory lock: one import of a kind at a time */

/* ------------------------------------------------------------ small helpers */

/* libpq's messages span lines ("…failed: Connection refused\n\tIs the
 * server running…"): one line, runs of white space made one space. */
static void trim_newline(char *s)
{
    char *w = s;
    bool space = false;
    for (const char *r = s; *r; r++) {
        bool ws = *r == '\n' || *r == '\r' || *r == '\t' || *r == ' ';
        if (ws && !space && w > s) *w++ = ' ';
        if (!ws) *w++ = *r;
        space = ws;
    }
    while (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

ml_err pg_fail(ml_db *db, const char *what)
{
    pg_state *s = db->impl;
    char msg[ML_MESSAGE_MAX];
    ml_snprintf(msg, sizeof msg, "%s", s && s->conn ? PQerrorMessage(s->conn) : "no connection");
    trim_newline(msg);
    return ml_fail(db->ctx, ML_DB, "%s: %s: %s", s ? s->where : "PostgreSQL", what,
                   *msg ? msg : "error");
}

static ml_err result_fail(ml_db *db, const char *what, PGresult *res)
{
    pg_state *s = db->impl;
    char msg[ML_MESSAGE_MAX];
    const char *e = res ? PQresultErrorMessage(res) : "";
    ml_snprintf(msg, sizeof msg, "%s", *e ? e : PQerrorMessage(s->conn));
    trim_newline(msg);
    PQclear(res);
    return ml_fail(db->ctx, ML_DB, "%s: %s: %s", s->where, what, *msg ? msg : "error");
}

/* Results are drained to the end: the connection is then ready for the next
 * command, whatever happened. */
static void drain(pg_state *s)
{
    PGresult *r;
    while ((r = PQgetResult(s->conn)))
        PQclear(r);
}

ml_err pg_copy_end(ml_db *db)
{
    pg_state *s = db->impl;
    if (s->copying < 0) return ML_OK;
    s->copying = -1;
    ml_err r = ML_OK;
    if (s->line.len && PQputCopyData(s->conn, s->line.data, (int)s->line.len) != 1)
        r = pg_fail(db, "send rows");
    ml_buf_reset(&s->line);
    if (PQputCopyEnd(s->conn, r ? "maillage stopped the copy" : NULL) != 1 && !r)
        r = pg_fail(db, "end the copy");
    PGresult *res;
    while ((res = PQgetResult(s->conn))) {
        if (!r && PQresultStatus(res) != PGRES_COMMAND_OK) {
            r = result_fail(db, "copy rows", res);
            continue;
        }
        PQclear(res);
    }
    return r;
}

ml_err pg_query(ml_db *db, const char *what, const char *sql, int n, const char *const *params,
                PGresult **out)
{
    pg_state *s = db->impl;
    *out = NULL;
    ml_err r = pg_copy_end(db);
    if (r) return r;
    PGresult *res = PQexecParams(s->conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return result_fail(db, what, res);
    *out = res;
    return ML_OK;
}

ml_err pg_exec(ml_db *db, const char *what, const char *sql)
{
    pg_state *s = db->impl;
    ml_err r = pg_copy_end(db);
    if (r) return r;
    PGresult *res = PQexec(s->conn, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return result_fail(db, what, res);
    PQclear(res);
    return ML_OK;
}

ml_err pg_each(ml_db *db, const char *what, const char *sql, int n, const char *const *params,
               pg_row_fn fn, void *ud)
{
    pg_state *s = db->impl;
    ml_err r = pg_copy_end(db);
    if (r) return r;
    if (!PQsendQueryParams(s->conn, sql, n, NULL, params, NULL, NULL, 0) ||
        !PQsetSingleRowMode(s->conn)) {
        r = pg_fail(db, what);
        drain(s);
        return r;
    }
    bool stopped = false;
    PGresult *res;
    while ((res = PQgetResult(s->conn))) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE) {
            if (!stopped && !r && fn(ud, res)) stopped = true;
            PQclear(res);
        } else if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
            PQclear(res);
        } else if (!r) {
            r = result_fail(db, what, res);
        } else {
            PQclear(res);
        }
    }
    if (r) return r;
    return stopped ? ML_INTERRUPTED : ML_OK;
}

const char *pg_text(PGresult *res, int col)
{
    return PQgetisnull(res, 0, col) ? NULL : PQgetvalue(res, 0, col);
}

int64_t pg_i64(PGresult *res, int col)
{
    const char *v = pg_text(res, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

double pg_f64(PGresult *res, int col)
{
    const char *v = pg_text(res, col);
    return v ? strtod(v, NULL) : 0;
}

/* The first column of the first row as an integer; -1 when there is none. */
ml_err pg_scalar(ml_db *db, const char *what, const char *sql, int n, const char *const *params,
                 int64_t *out)
{
    PGresult *res;
    ml_err r = pg_query(db, what, sql, n, params, &res);
    if (r) return r;
    *out =
        PQntuples(res) && !PQgetisnull(res, 0, 0) ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : -1;
    PQclear(res);
    return ML_OK;
}

/* --------------------------------------------------------------- id sets */

static uint64_t id_hash(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static void idset_free(pg_idset *t)
{
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static int idset_grow(pg_idset *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1 << 16;
    uint64_t *slot = calloc(cap, sizeof *slot);
    if (!slot) return -1;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slot[i]) continue;
        size_t h = id_hash(t->slot[i] >> 2) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = t->slot[i];
    }
    free(t->slot);
    t->slot = slot;
    t->cap = cap;
    return 0;
}

/* Adds `flag` to id's flags; *old gets the flags it had (0 = not in the set). */
static int idset_mark(pg_idset *t, int64_t id, unsigned flag, unsigned *old)
{
    /* At most 3/4 full: 40 million SIRET fit in 512 MiB. */
    if ((t->n + 1) * 4 > t->cap * 3 && idset_grow(t)) return -1;
    uint64_t key = (uint64_t)id;
    size_t h = id_hash(key) & (t->cap - 1);
    while (t->slot[h] && t->slot[h] >> 2 != key)
        h = (h + 1) & (t->cap - 1);
    *old = (unsigned)(t->slot[h] & 3);
    if (!t->slot[h]) t->n++;
    t->slot[h] = key << 2 | *old | flag;
    return 0;
}

/* ---------------------------------------------------------- open and close */

static void on_notice(void *ud, const char *message)
{
    ml_db *db = ud;
    char m[ML_MESSAGE_MAX];
    ml_snprintf(m, sizeof m, "%s", message);
    trim_newline(m);
    ml_log(db->ctx, ML_LOG_DEBUG, "PostgreSQL: %s", m);
}

static ml_err schema_version(ml_db *db, int *version)
{
    *version = 0;
    int64_t has = 0, v = 0;
    ml_err r = pg_scalar(db, "read schema version", "SELECT (to_regclass('meta') IS NOT NULL)::int",
                         0, NULL, &has);
    if (r || has != 1) return r;
    r = pg_scalar(db, "read schema version",
                  "SELECT value::bigint FROM meta WHERE key = 'schema_version'", 0, NULL, &v);
    if (!r && v > 0) *version = (int)v;
    return r;
}

static ml_err migrate(ml_db *db)
{
    pg_state *s = db->impl;
    int version, latest = (int)ML_ARRAY_LEN(ml_pg_migrations);
    ml_err r = schema_version(db, &version);
    if (r) return r;
    if (version > latest)
        return ml_fail(db->ctx, ML_DB,
                       "%s: schema version %d is newer than this maillage (%d); upgrade maillage",
                       s->where, version, latest);
    if (version == latest) return ML_OK;
    if (s->readonly)
        return ml_fail(db->ctx, ML_DB,
                       "%s: schema version %d needs migrating to %d: run `maillage init` once",
                       s->where, version, latest);
    /* Two servers opening a new database at once: one migrates, the other
     * waits for the lock and finds the work done. */
    if ((r = pg_exec(db, "migrate", "BEGIN")) ||
        (r = pg_exec(db, "migrate", "SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ")")) ||
        (r = schema_version(db, &version)))
        goto fail;
    for (int v = version; v < latest; v++) {
        char what[48];
        ml_snprintf(what, sizeof what, "schema migration %d", v + 1);
        if ((r = pg_exec(db, what, ml_pg_migrations[v]))) goto fail;
    }
    char sql[160];
    ml_snprintf(sql, sizeof sql,
                "INSERT INTO meta(key, value) VALUES('schema_version', '%d')"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                latest);
    if ((r = pg_exec(db, "migrate", sql)) || (r = pg_exec(db, "migrate", "COMMIT"))) goto fail;
    return ML_OK;
fail:
    pg_exec(db, "migrate", "ROLLBACK");
    return r;
}

static ml_err pg_open(ml_db *db, const char *url, unsigned flags)
{
    pg_state *s = calloc(1, sizeof *s);
    if (!s) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    db->impl = s;
    s->copying = -1;
    s->readonly = flags & ML_DB_READONLY;
    ml_buf_init(&s->line, PG_COPY_FLUSH * 4);
    ml_snprintf(s->where, sizeof s->where, "PostgreSQL");
    s->text = ml_text_new();
    if (!s->text) return ml_fail(db->ctx, ML_NOMEM, "cannot create the French stemmer");
    s->conn = PQconnectdb(url);
    if (!s->conn) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    const char *name = PQdb(s->conn), *host = PQhost(s->conn), *port = PQport(s->conn);
    ml_snprintf(s->where, sizeof s->where, "PostgreSQL database %s on %s%s%s",
                name && *name ? name : "(default)", host && *host ? host : "(default host)",
                port && *port && host && *host != '/' ? ":" : "",
                port && *port && host && *host != '/' ? port : "");
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char msg[ML_MESSAGE_MAX];
        ml_snprintf(msg, sizeof msg, "%s", PQerrorMessage(s->conn));
        trim_newline(msg);
        /* The URL itself is never repeated: it may hold a password. */
        if (!name || !*name)
            return ml_fail(db->ctx, ML_INVALID, "not a PostgreSQL connection URL: %s", msg);
        return ml_fail(db->ctx, ML_DB, "cannot connect to %s: %s%s", s->where, msg,
                       strstr(msg, "does not exist") ? " (`createdb NAME` makes a database)" : "");
    }
    PQsetNoticeProcessor(s->conn, on_notice, db);
    if (PQsetClientEncoding(s->conn, "UTF8") != 0) return pg_fail(db, "set client encoding");
    /* temp_buffers: an import's staging table stays in memory longer (they
     * are allocated only by a session that uses temporary tables). jit off:
     * PostgreSQL compiles a query it guesses costly, and a territory's
     * commune list took 400 ms to compile for 5 ms of work (ranking the 4
     * EPCI of a département: 62 s instead of a fraction of one). */
    ml_err r = pg_exec(db, "set up the session",
                       "SET client_min_messages = warning; SET extra_float_digits = 1;"
                       " SET temp_buffers = '64MB'; SET jit = off");
    if (r || (r = migrate(db))) return r;
    /* A search table left to fill by a migration, or folded by another
     * version of maillage, is filled again by the first writable open. */
    return s->readonly ? ML_OK : pg_search_check(db);
}

static void cache_free(pg_state *s)
{
    free(s->communes);
    free(s->nafs);
    s->communes = NULL;
    s->nafs = NULL;
    s->ncommunes = s->nnaf = 0;
    s->cache_loaded = false;
}

static void pg_close(ml_db *db)
{
    pg_state *s = db->impl;
    if (!s) return;
    if (s->conn) PQfinish(s->conn);
    cache_free(s);
    idset_free(&s->etab_ids);
    idset_free(&s->unite_ids);
    ml_buf_release(&s->line);
    ml_text_free(s->text);
    free(s);
    db->impl = NULL;
}

/* ------------------------------------------------------------ transactions */

static void run_reset(pg_state *s)
{
    memset(s->staged, 0, sizeof s->staged);
    memset(s->direct, 0, sizeof s->direct);
    idset_free(&s->etab_ids);
    idset_free(&s->unite_ids);
    s->run_kind[0] = '\0';
}

static ml_err pg_begin(ml_db *db)
{
    pg_state *s = db->impl;
    run_reset(s);
    return pg_exec(db, "begin", "BEGIN");
}

static ml_err stage_publish(ml_db *db);

/* A COMMIT in a transaction that failed earlier answers ROLLBACK: that is
 * an error, never a success. */
static ml_err pg_commit(ml_db *db)
{
    pg_state *s = db->impl;
    ml_err r = stage_publish(db);
    if (r) return r;
    PGresult *res;
    if ((r = pg_query(db, "commit", "COMMIT", 0, NULL, &res))) return r;
    bool ok = strcmp(PQcmdStatus(res), "COMMIT") == 0;
    PQclear(res);
    if (!ok) return ml_fail(db->ctx, ML_DB, "%s: the transaction was rolled back", s->where);
    for (int t = PG_STAGE_ETAB; t < PG_STAGE_COUNT; t++)
        s->analyze[t] |= s->staged[t] || s->direct[t];
    run_reset(s);
    s->ref_dirty = false;
    return ML_OK;
}

static void pg_rollback(ml_db *db)
{
    pg_state *s = db->impl;
    if (s->copying >= 0) {
        s->copying = -1;
        ml_buf_reset(&s->line);
        PQputCopyEnd(s->conn, "rolled back");
        drain(s);
    }
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
        PGresult *res = PQexec(s->conn, "ROLLBACK");
        PQclear(res);
    }
    run_reset(s);
    if (s->ref_dirty) cache_free(s);
    s->ref_dirty = false;
}

/* Nothing to switch on: a run is one transaction whatever its size, and
 * COPY is already the fast path. After it, the planner's statistics of the
 * tables it wrote are refreshed (a first import leaves none, and the next
 * queries would be planned blind); autovacuum reclaims replaced rows. The
 * import has committed: a failure here is only logged. */
static ml_err pg_import_mode(ml_db *db, bool on)
{
    pg_state *s = db->impl;
    for (int t = PG_STAGE_ETAB; !on && t < PG_STAGE_COUNT; t++) {
        if (!s->analyze[t]) continue;
        s->analyze[t] = false;
        char sql[64];
        ml_snprintf(sql, sizeof sql, "ANALYZE %s", t == PG_STAGE_ETAB ? "etab" : "unite");
        PGresult *res = PQexec(s->conn, sql);
        if (PQresultStatus(res) != PGRES_COMMAND_OK)
            ml_log(db->ctx, ML_LOG_DEBUG, "%s: %s: %s", s->where, sql, PQerrorMessage(s->conn));
        PQclear(res);
    }
    return ML_OK;
}

static ml_err pg_read_begin(ml_db *db)
{
    return pg_exec(db, "begin a read", "BEGIN ISOLATION LEVEL REPEATABLE READ");
}

static void pg_read_end(ml_db *db)
{
    pg_state *s = db->impl;
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
        PGresult *res = PQexec(s->conn, "COMMIT");
        PQclear(res);
    }
}

/* What snapshots read changes with an import run, a network or its members:
 * a hash of the three numbers, as the SQLite backend computes it. */
static ml_err pg_data_stamp(ml_db *db, uint64_t *out)
{
    PGresult *res;
    ml_err r =
        pg_query(db, "read data stamp",
                 "SELECT (SELECT coalesce(max(id), 0) FROM import_run),"
                 " (SELECT coalesce(max(id), 0) FROM network),"
                 " (SELECT count(*) FROM network_member),"
                 " (SELECT coalesce(max(value::bigint), 0) FROM meta WHERE key = 'perimeters')",
                 0, NULL, &res);
    if (r) return r;
    uint64_t h = 1469598103934665603ULL; /* FNV-1a over the four numbers */
    for (int i = 0; i < 4 && PQntuples(res); i++) {
        uint64_t v = (uint64_t)pg_i64(res, i);
        for (int b = 0; b < 8; b++)
            h = (h ^ ((v >> (8 * b)) & 0xFF)) * 1099511628211ULL;
    }
    PQclear(res);
    *out = h ? h : 1;
    return ML_OK;
}

static ml_err pg_meta_get(ml_db *db, const char *key, char *out, size_t size)
{
    out[0] = '\0';
    PGresult *res;
    ml_err r = pg_query(db, "read meta", "SELECT value FROM meta WHERE key = $1", 1, &key, &res);
    if (r) return r;
    if (PQntuples(res) && pg_text(res, 0)) ml_snprintf(out, size, "%s", pg_text(res, 0));
    PQclear(res);
    return ML_OK;
}

static ml_err pg_set_meta(ml_db *db, const char *key, const char *value)
{
    const char *p[2] = {key, value && *value ? value : NULL};
    PGresult *res;
    ml_err r = pg_query(db, "write meta",
                        "INSERT INTO meta(key, value) VALUES($1, $2)"
                        " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                        2, p, &res);
    PQclear(res);
    return r;
}

/* A new value of meta "lexicon": every handle rebuilds its search lexicon. */
static const char lexicon_touch_sql[] =
    "INSERT INTO meta(key, value) VALUES('lexicon', to_char(clock_timestamp(),"
    " 'YYYYMMDDHH24MISSUS') || '-' || substr(md5(random()::text), 1, 8))"
    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value";

/* ------------------------------------------------------------ staging tables */

/* The tables COPY writes into, with their primary key: rows of a staging
 * table replace the published rows of the same key (INSERT OR REPLACE). */
static const struct {
    const char *table, *columns, *key;
    size_t ncolumns;
} stage_tables[PG_STAGE_COUNT] = {
    [ML_REF_REGION] = {"region", "code,name", "code", 2},
    [ML_REF_DEPARTEMENT] = {"departement", "code,region,name", "code", 3},
    [ML_REF_EPCI] = {"epci", "code,name,type", "code", 3},
    [ML_REF_COMMUNE] = {"commune",
                        "code,name,type,departement,region,epci,parent,population,lat,lon", "code",
                        10},
    [ML_REF_NAF] = {"naf", "code,label,a615,a272,a129,a88,a64,a38,a21,a10", "code", 10},
    [ML_REF_NAF_LEVEL] = {"naf_level", "level,code,label_fr,label_en", "level,code", 4},
    [ML_REF_IO_USE] = {"io_use", "year,product,branch,value", "year,product,branch", 4},
    [ML_REF_IO_BRANCH] = {"io_branch", "year,branch,output,intermediate", "year,branch", 4},
    [ML_REF_IO_CLASS] = {"io_class", "year,supplier,buyer,weight,ic_share,resale_share,general",
                         "year,supplier,buyer", 7},
    [ML_REF_IO_GENERAL] = {"io_general", "class,group_fr,group_en", "class", 3},
    [ML_REF_IO_RESALE] = {"io_resale", "trade_class,goods_fr,goods_en,makers,wholesalers",
                          "trade_class", 5},
    [ML_REF_NAF_SAMPLE] = {"naf_sample", "subclass,band,establishments", "subclass,band", 3},
    [ML_REF_NAF_GROUPS] = {"naf_group_share", "area,grp,share", "area,grp", 3},
    [ML_REF_LEGAL_FORM] = {"legal_form", "code,label", "code", 2},
    [ML_REF_VOCAB] = {"vocabulary", "term,naf,note,source", NULL, 4},
    [ML_REF_POSTCODE] = {"postcode", "code,commune", "code,commune", 2},
    [ML_REF_TI] = {"ti", "code,phase,name,commune,member,member_kind", "code,commune", 6},
    [ML_REF_CPV] = {"cpv", "code8,code,label_fr,label_en,words", "code8", 5},
    [PG_STAGE_ETAB] = {"etab",
                       "siret,siren,diffusion,state,created,size_band,size_year,head_office,sign,"
                       "usual_name,address,postcode,city,commune,naf,naf_raw,naf25,employer,lat,"
                       "lon,geo,generated,run,ix,state_since",
                       "siret", 25},
    [PG_STAGE_UNITE] = {"unite",
                        "siren,diffusion,state,name,acronym,category,category_year,legal_form,"
                        "naf,created,ess,generated,run",
                        "siren", 13},
};

/* Appends "UPDATE SET c = EXCLUDED.c, ..." for the columns that are not in
 * the key, or "NOTHING" when every column is. */
static void add_updates(ml_buf *b, const char *columns, const char *key)
{
    bool first = true;
    for (const char *c = columns; *c;) {
        size_t n = strcspn(c, ",");
        bool in_key = false;
        for (const char *k = key; *k;) {
            size_t m = strcspn(k, ",");
            if (m == n && memcmp(k, c, n) == 0) in_key = true;
            k += m + (k[m] == ',');
        }
        if (!in_key) {
            ml_buf_addf(b, "%s%.*s = EXCLUDED.%.*s", first ? "UPDATE SET " : ", ", (int)n, c,
                        (int)n, c);
            first = false;
        }
        c += n + (c[n] == ',');
    }
    if (first) ml_buf_addstr(b, "NOTHING");
}

/* Moves a staging table's rows into its table: the last row of a key wins
 * (rows are numbered in the order they were copied), as SQLite's INSERT OR
 * REPLACE does row by row. An import run's establishments or legal units
 * are each there once (the run refuses duplicates): the rows they replace
 * go, then they come in, which is faster than an upsert. */
static ml_err stage_flush(ml_db *db, int t)
{
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    const char *cols = stage_tables[t].columns, *key = stage_tables[t].key;
    const char *table = stage_tables[t].table;
    if (t == PG_STAGE_ETAB) /* A replaced establishment keeps its dense number (search order). */
        ml_buf_addstr(&sql, "UPDATE pg_temp.stage_etab s SET ix = t.ix FROM etab t"
                            " WHERE t.siret = s.siret AND s.ix IS NULL;");
    if (t >= ML_REF_COUNT) {
        ml_buf_addf(&sql,
                    "DELETE FROM %s t USING pg_temp.stage_%s s WHERE t.%s = s.%s;"
                    "INSERT INTO %s(%s) SELECT %s FROM pg_temp.stage_%s",
                    table, table, key, key, table, cols, cols, table);
    } else if (!key) {
        ml_buf_addf(&sql, "INSERT INTO %s(%s) SELECT %s FROM pg_temp.stage_%s ORDER BY n",
                    stage_tables[t].table, cols, cols, stage_tables[t].table);
    } else {
        ml_buf_addf(&sql,
                    "INSERT INTO %s(%s) SELECT DISTINCT ON (%s) %s FROM pg_temp.stage_%s"
                    " ORDER BY %s, n DESC ON CONFLICT (%s) DO ",
                    stage_tables[t].table, cols, key, cols, stage_tables[t].table, key, key);
        add_updates(&sql, cols, key);
    }
    ml_buf_addf(&sql, "; TRUNCATE pg_temp.stage_%s", stage_tables[t].table);
    ml_err r = pg_exec(db, stage_tables[t].table, ml_buf_cstr(&sql));
    ml_buf_release(&sql);
    return r;
}

static ml_err stage_publish(ml_db *db)
{
    pg_state *s = db->impl;
    ml_err r = pg_copy_end(db);
    for (int t = 0; !r && t < PG_STAGE_COUNT; t++)
        if (s->staged[t]) r = stage_flush(db, t);
    return r;
}

/* Starts (or goes on with) a COPY into target t's staging table, or into
 * the table itself when it was empty at the start of the run: nothing to
 * replace, and the run's transaction keeps it atomic all the same. */
static ml_err copy_to(ml_db *db, int t)
{
    pg_state *s = db->impl;
    if (s->copying == t) return ML_OK;
    ml_err r = pg_copy_end(db);
    if (r) return r;
    char sql[640];
    if (s->direct[t]) {
        ml_snprintf(sql, sizeof sql, "COPY %s(%s) FROM STDIN", stage_tables[t].table,
                    stage_tables[t].columns);
    } else {
        /* Staged establishments carry INSEE's date of processing, kept with
         * the changes they make (etab_changes). */
        const char *extra = t == PG_STAGE_ETAB ? ", processed text" : "";
        if (!s->staged[t]) {
            /* n numbers rows in copy order; temporary: no WAL, gone at commit. */
            ml_snprintf(sql, sizeof sql,
                        "CREATE TEMP TABLE IF NOT EXISTS stage_%s (LIKE %s%s, n bigserial)"
                        " ON COMMIT DROP",
                        stage_tables[t].table, stage_tables[t].table, extra);
            if ((r = pg_exec(db, "create a staging table", sql))) return r;
            s->staged[t] = true;
        }
        ml_snprintf(sql, sizeof sql, "COPY pg_temp.stage_%s(%s%s) FROM STDIN",
                    stage_tables[t].table, stage_tables[t].columns,
                    t == PG_STAGE_ETAB ? ",processed" : "");
    }
    PGresult *res = PQexec(s->conn, sql);
    if (!res || PQresultStatus(res) != PGRES_COPY_IN) return result_fail(db, "start a copy", res);
    PQclear(res);
    s->copying = t;
    return ML_OK;
}

ml_err pg_copy_direct(ml_db *db, const char *table, const char *columns)
{
    pg_state *s = db->impl;
    ml_err r = pg_copy_end(db);
    if (r) return r;
    ml_buf sql;
    ml_buf_init(&sql, 4096);
    ml_buf_addf(&sql, "COPY %s(%s) FROM STDIN", table, columns);
    if (ml_buf_failed(&sql)) {
        ml_buf_release(&sql);
        return ml_fail(db->ctx, ML_LIMIT, "%s: statement too long", table);
    }
    PGresult *res = PQexec(s->conn, ml_buf_cstr(&sql));
    ml_buf_release(&sql);
    if (!res || PQresultStatus(res) != PGRES_COPY_IN) return result_fail(db, "start a copy", res);
    PQclear(res);
    s->copying = PG_COPY_DIRECT;
    return ML_OK;
}

/* One field of a COPY row in text format: NULL (\N) when absent or empty,
 * as the SQLite backend binds NULL for an empty string. */
int pg_copy_field(ml_buf *b, const char *v, bool last)
{
    int bad = 0;
    if (!v || !*v) {
        bad |= ml_buf_add(b, "\\N", 2);
    } else {
        for (const char *p = v; *p; p++) {
            const char *esc = *p == '\\'   ? "\\\\"
                              : *p == '\t' ? "\\t"
                              : *p == '\n' ? "\\n"
                              : *p == '\r' ? "\\r"
                                           : NULL;
            if (esc) {
                bad |= ml_buf_add(b, esc, 2);
            } else {
                size_t n = strcspn(p, "\\\t\n\r");
                bad |= ml_buf_add(b, p, n);
                p += n - 1;
            }
        }
    }
    return bad | ml_buf_addch(b, last ? '\n' : '\t');
}

int pg_copy_i64(ml_buf *b, int64_t v, bool present, bool last)
{
    if (!present) return pg_copy_field(b, NULL, last);
    char t[24];
    ml_snprintf(t, sizeof t, "%lld", (long long)v);
    return pg_copy_field(b, t, last);
}

/* %.17g: the double comes back exactly as it left (same answers as SQLite). */
static int copy_f64(ml_buf *b, double v, bool present, bool last)
{
    if (!present || !isfinite(v)) return pg_copy_field(b, NULL, last);
    char t[32];
    ml_snprintf(t, sizeof t, "%.17g", v);
    return pg_copy_field(b, t, last);
}

/* Sends the buffered rows when there are enough of them. */
ml_err pg_copy_row_done(ml_db *db, int bad)
{
    pg_state *s = db->impl;
    if (bad) return ml_fail(db->ctx, ML_LIMIT, "%s: a row too long to copy", s->where);
    if (s->line.len < PG_COPY_FLUSH) return ML_OK;
    int rc = PQputCopyData(s->conn, s->line.data, (int)s->line.len);
    ml_buf_reset(&s->line);
    return rc == 1 ? ML_OK : pg_fail(db, "send rows");
}

/* ------------------------------------------------------------ reference data */

static ml_err pg_ref_clear(ml_db *db)
{
    pg_state *s = db->impl;
    cache_free(s);
    s->ref_dirty = true;
    for (size_t i = 0; i < ML_REF_COUNT; i++) {
        char sql[96];
        /* The user's vocabulary is theirs: `init` reloads only the shipped one. */
        ml_snprintf(sql, sizeof sql, "DELETE FROM %s%s", stage_tables[i].table,
                    i == ML_REF_VOCAB ? " WHERE source <> 'user'" : "");
        ml_err r = pg_exec(db, "clear reference data", sql);
        if (r) return r;
    }
    return pg_exec(db, "clear reference data", lexicon_touch_sql);
}

static ml_err pg_ref_put(ml_db *db, ml_ref_table t, const char *const *fields, size_t n)
{
    pg_state *s = db->impl;
    if (n != stage_tables[t].ncolumns)
        return ml_fail(db->ctx, ML_FORMAT, "%s: %zu fields, expected %zu", stage_tables[t].table, n,
                       stage_tables[t].ncolumns);
    ml_err r = copy_to(db, (int)t);
    if (r) return r;
    int bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= pg_copy_field(&s->line, fields[i], i + 1 == n);
    return pg_copy_row_done(db, bad);
}

/* A reference table is bounded (the communes, about 37,000 rows, are the
 * most): it comes in one result, which every lexicon build reads whole, not
 * one result a row. */
static ml_err pg_ref_scan(ml_db *db, ml_ref_table t, ml_row_fn fn, void *ud)
{
    char sql[256];
    ml_snprintf(sql, sizeof sql, "SELECT %s FROM %s", stage_tables[t].columns,
                stage_tables[t].table);
    PGresult *res;
    ml_err r = pg_query(db, stage_tables[t].table, sql, 0, NULL, &res);
    if (r) return r;
    const char *f[16];
    size_t n = stage_tables[t].ncolumns;
    int stop = 0;
    for (int row = 0; row < PQntuples(res) && !stop; row++) {
        for (size_t i = 0; i < n && i < ML_ARRAY_LEN(f); i++)
            f[i] = PQgetisnull(res, row, (int)i) ? NULL : PQgetvalue(res, row, (int)i);
        stop = fn(ud, f, n);
    }
    PQclear(res);
    return stop ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : ML_OK;
}

/* ------------------------------------------------- in-memory reference cache */

static int cmp_commune(const void *a, const void *b)
{
    return strcmp(((const pg_commune *)a)->code, ((const pg_commune *)b)->code);
}

static int cmp_naf(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Communes and NAF sub-classes in sorted arrays: the importer looks them up
 * on every row, and no query may run while a COPY is in progress. */
static ml_err cache_load(ml_db *db)
{
    pg_state *s = db->impl;
    if (s->cache_loaded) return ML_OK;
    cache_free(s);
    PGresult *res;
    ml_err r = pg_query(db, "read communes", "SELECT code, departement, lat, lon FROM commune", 0,
                        NULL, &res);
    if (r) return r;
    int n = PQntuples(res);
    s->communes = calloc(n ? (size_t)n : 1, sizeof *s->communes);
    if (!s->communes) {
        PQclear(res);
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        pg_commune *c = &s->communes[s->ncommunes++];
        ml_snprintf(c->code, sizeof c->code, "%s", PQgetvalue(res, i, 0));
        ml_snprintf(c->dep, sizeof c->dep, "%s", PQgetvalue(res, i, 1));
        c->has_pos = !PQgetisnull(res, i, 2);
        c->lat = c->has_pos ? strtod(PQgetvalue(res, i, 2), NULL) : 0;
        c->lon = c->has_pos ? strtod(PQgetvalue(res, i, 3), NULL) : 0;
    }
    PQclear(res);
    qsort(s->communes, s->ncommunes, sizeof *s->communes, cmp_commune);
    if ((r = pg_query(db, "read NAF", "SELECT code FROM naf", 0, NULL, &res))) return r;
    n = PQntuples(res);
    s->nafs = calloc(n ? (size_t)n : 1, sizeof *s->nafs);
    if (!s->nafs) {
        PQclear(res);
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++)
        ml_snprintf(s->nafs[s->nnaf++], sizeof s->nafs[0], "%s", PQgetvalue(res, i, 0));
    PQclear(res);
    qsort(s->nafs, s->nnaf, sizeof s->nafs[0], cmp_naf);
    s->cache_loaded = true;
    return ML_OK;
}

static bool pg_commune_known(ml_db *db, const char *code, double *lat, double *lon, char dep[4])
{
    pg_state *s = db->impl;
    if (!code || cache_load(db) != ML_OK) return false;
    pg_commune key;
    ml_snprintf(key.code, sizeof key.code, "%s", code);
    const pg_commune *c = bsearch(&key, s->communes, s->ncommunes, sizeof key, cmp_commune);
    if (!c) return false;
    *lat = c->lat;
    *lon = c->lon;
    ml_snprintf(dep, 4, "%s", c->dep);
    return c->has_pos;
}

static bool pg_naf_known(ml_db *db, const char *code)
{
    pg_state *s = db->impl;
    if (!code || cache_load(db) != ML_OK) return false;
    char key[8];
    ml_snprintf(key, sizeof key, "%s", code);
    return bsearch(key, s->nafs, s->nnaf, sizeof s->nafs[0], cmp_naf) != NULL;
}

/* ------------------------------------------------------------------- imports */

/* The identifiers already published: a put then knows whether it replaces. */
static ml_err ids_load(ml_db *db, const char *sql, pg_idset *set);

typedef struct ids_ctx {
    ml_db *db;
    pg_idset *set;
} ids_ctx;

static int ids_row(void *ud, PGresult *res)
{
    ids_ctx *c = ud;
    unsigned old;
    return idset_mark(c->set, pg_i64(res, 0), PG_ID_EXISTS, &old);
}

static ml_err ids_load(ml_db *db, const char *sql, pg_idset *set)
{
    ids_ctx c = {db, set};
    ml_err r = pg_each(db, "read identifiers", sql, 0, NULL, ids_row, &c);
    return r == ML_INTERRUPTED ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : r;
}

/* Imports of establishments or legal units wait for one another (a second
 * one would otherwise judge "new" and "replaced" against rows the first has
 * not published yet); readers never wait. An empty table is written
 * straight into; otherwise the identifiers it holds are read once. */
static ml_err bulk_begin(ml_db *db, int t, pg_idset *ids)
{
    pg_state *s = db->impl;
    char sql[160];
    int64_t any = 0;
    ml_snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(" PG_IMPORT_LOCK ", %d)", t);
    ml_err r = pg_exec(db, "wait for another import", sql);
    if (r) return r;
    ml_snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM %s)::int", stage_tables[t].table);
    if ((r = pg_scalar(db, "read identifiers", sql, 0, NULL, &any))) return r;
    if (!any) {
        s->direct[t] = true;
        return ML_OK;
    }
    ml_snprintf(sql, sizeof sql, "SELECT %s FROM %s", stage_tables[t].key, stage_tables[t].table);
    return ids_load(db, sql, ids);
}

static ml_err pg_run_begin(ml_db *db, const char *kind, int64_t *run)
{
    pg_state *s = db->impl;
    ml_err r = cache_load(db);
    if (r) return r;
    if (s->ncommunes == 0 || s->nnaf == 0)
        return ml_fail(db->ctx, ML_ERROR,
                       "%s has no reference data (communes, NAF): run `maillage init` first",
                       s->where);
    PGresult *res;
    if ((r = pg_begin(db))) return r;
    if ((r = pg_query(db, "record import",
                      "INSERT INTO import_run(kind, started) VALUES($1, " PG_NOW ") RETURNING id",
                      1, &kind, &res)))
        return r;
    *run = pg_i64(res, 0);
    PQclear(res);
    run_reset(s);
    ml_snprintf(s->run_kind, sizeof s->run_kind, "%s", kind);
    s->run = *run;
    if (strcmp(kind, "sirene") == 0) {
        /* After the lock: the numbers another import gave are published. */
        if (!(r = bulk_begin(db, PG_STAGE_ETAB, &s->etab_ids)))
            r = pg_scalar(db, "number establishments", "SELECT coalesce(max(ix), 0) + 1 FROM etab",
                          0, NULL, &s->next_ix);
    } else if (strcmp(kind, "unites") == 0)
        r = bulk_begin(db, PG_STAGE_UNITE, &s->unite_ids);
    else if (strcmp(kind, "vocabulary") == 0)
        /* A user vocabulary file replaces the previous one. */
        r = pg_exec(db, "replace the user vocabulary",
                    "DELETE FROM vocabulary WHERE source = 'user'");
    return r;
}

/* What an update of establishments changes, compared before the staged rows
 * are published (the last row of each SIRET wins): each change kept with
 * the day of the import, and the counts of each kind into *st. A first
 * import (copied straight into an empty table) is the reference: its rows
 * are all new and not listed, as on SQLite. */
static ml_err etab_changes(ml_db *db, int64_t run, ml_import_stats *st)
{
    pg_state *s = db->impl;
    if (strcmp(s->run_kind, "sirene") != 0 || !s->staged[PG_STAGE_ETAB]) return ML_OK;
    ml_err r = pg_copy_end(db);
    if (r) return r;
    static const char diff_sql[] =
        "CREATE TEMP TABLE IF NOT EXISTS change_etab(siret bigint, change text, same boolean,"
        " processed text) ON COMMIT DROP; TRUNCATE change_etab;"
        "INSERT INTO change_etab SELECT s.siret,"
        " CASE WHEN t.siret IS NULL THEN 'new' WHEN t.state = 'A' AND s.state = 'F' THEN 'closed'"
        " WHEN t.state <> 'A' AND s.state = 'A' THEN 'reopened' ELSE 'modified' END,"
        " t.siret IS NOT NULL AND (t.siren, t.diffusion, t.state, t.created, t.size_band,"
        " t.size_year, t.head_office, t.sign, t.usual_name, t.address, t.postcode, t.city,"
        " t.commune, t.naf, t.naf_raw, t.naf25, t.employer, t.lat, t.lon, t.geo, t.generated,"
        " t.state_since) IS NOT DISTINCT FROM (s.siren, s.diffusion, s.state, s.created,"
        " s.size_band, s.size_year, s.head_office, s.sign, s.usual_name, s.address, s.postcode,"
        " s.city, s.commune, s.naf, s.naf_raw, s.naf25, s.employer, s.lat, s.lon, s.geo,"
        " s.generated, s.state_since),"
        " s.processed FROM (SELECT DISTINCT ON (siret) * FROM pg_temp.stage_etab"
        " ORDER BY siret, n DESC) s"
        " LEFT JOIN etab t ON t.siret = s.siret";
    if ((r = pg_exec(db, "compare establishments", diff_sql))) return r;
    char id[24];
    ml_snprintf(id, sizeof id, "%lld", (long long)run);
    const char *params[1] = {id};
    PGresult *res;
    if ((r = pg_query(db, "record changes",
                      "INSERT INTO etab_change(run, siret, change, at, insee_date)"
                      " SELECT $1, siret, change, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD'),"
                      " processed FROM change_etab WHERE NOT same",
                      1, params, &res)))
        return r;
    PQclear(res);
    if ((r = pg_query(db, "count changes",
                      "SELECT count(*) FILTER (WHERE change = 'new'),"
                      " count(*) FILTER (WHERE NOT same AND change IN ('modified', 'reopened')),"
                      " count(*) FILTER (WHERE NOT same AND change = 'closed'),"
                      " count(*) FILTER (WHERE same) FROM change_etab",
                      0, NULL, &res)))
        return r;
    st->added = (uint64_t)pg_i64(res, 0);
    st->modified = (uint64_t)pg_i64(res, 1);
    st->closed = (uint64_t)pg_i64(res, 2);
    st->unchanged = (uint64_t)pg_i64(res, 3);
    PQclear(res);
    return ML_OK;
}

/* The communes of the establishments this run read (import_cover): from
 * the staged rows, or from the table a first import copied into. */
static ml_err cover_save(ml_db *db, int64_t run)
{
    pg_state *s = db->impl;
    if (strcmp(s->run_kind, "sirene") != 0) return ML_OK;
    bool staged = s->staged[PG_STAGE_ETAB];
    if (!staged && !s->direct[PG_STAGE_ETAB]) return ML_OK;
    ml_err r = pg_copy_end(db);
    if (r) return r;
    char sql[400], id[24];
    ml_snprintf(sql, sizeof sql,
                "INSERT INTO import_cover(commune, run) SELECT DISTINCT c.code, $1::bigint"
                " FROM %s e JOIN commune c ON c.code = e.commune%s"
                " ON CONFLICT (commune) DO UPDATE SET run = EXCLUDED.run",
                staged ? "pg_temp.stage_etab" : "etab", staged ? "" : " WHERE e.run = $1");
    ml_snprintf(id, sizeof id, "%lld", (long long)run);
    const char *params[1] = {id};
    PGresult *res;
    if ((r = pg_query(db, "record the communes imported", sql, 1, params, &res))) return r;
    PQclear(res);
    return ML_OK;
}

/* What an update of legal units changes: the staged units that are the
 * same as the stored ones are dropped before they are published (their
 * establishments' search rows are not redone), and the counts of new,
 * modified and unchanged units go into *st, as on SQLite. */
static ml_err unite_changes(ml_db *db, ml_import_stats *st)
{
    pg_state *s = db->impl;
    if (strcmp(s->run_kind, "unites") != 0 || !s->staged[PG_STAGE_UNITE]) return ML_OK;
    ml_err r = pg_copy_end(db);
    if (r) return r;
    PGresult *res;
    if ((r = pg_query(db, "compare legal units",
                      "DELETE FROM pg_temp.stage_unite s USING unite t WHERE t.siren = s.siren"
                      " AND (t.diffusion, t.state, t.name, t.acronym, t.category, t.category_year,"
                      " t.legal_form, t.naf, t.created, t.ess, t.generated) IS NOT DISTINCT FROM"
                      " (s.diffusion, s.state, s.name, s.acronym, s.category, s.category_year,"
                      " s.legal_form, s.naf, s.created, s.ess, s.generated)",
                      0, NULL, &res)))
        return r;
    st->unchanged = strtoull(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    if ((r = pg_query(db, "count changes",
                      "SELECT count(*) FILTER (WHERE t.siren IS NULL),"
                      " count(*) FILTER (WHERE t.siren IS NOT NULL)"
                      " FROM pg_temp.stage_unite s LEFT JOIN unite t ON t.siren = s.siren",
                      0, NULL, &res)))
        return r;
    st->added = (uint64_t)pg_i64(res, 0);
    st->modified = (uint64_t)pg_i64(res, 1);
    PQclear(res);
    return ML_OK;
}

static ml_err pg_run_end(ml_db *db, int64_t run, ml_import_stats *st)
{
    pg_state *s = db->impl;
    double t0 = ml_now();
    ml_err r = etab_changes(db, run, st);
    if (!r) r = unite_changes(db, st);
    if (!r) r = cover_save(db, run);
    if (!r) r = stage_publish(db);
    if (r) return r;
    ml_log(db->ctx, ML_LOG_DEBUG, "%s: staged rows published in %.2f s", s->where, ml_now() - t0);
    bool units = strcmp(s->run_kind, "unites") == 0;
    if (units || strcmp(s->run_kind, "sirene") == 0) {
        t0 = ml_now();
        if ((r = pg_search_refresh(db, run, units))) return r;
        ml_log(db->ctx, ML_LOG_DEBUG, "%s: search rows written in %.2f s", s->where, ml_now() - t0);
    }
    if (strcmp(s->run_kind, "vocabulary") == 0 &&
        (r = pg_exec(db, "record vocabulary", lexicon_touch_sql)))
        return r;
    char v[8][24];
    const uint64_t n[7] = {st->rows,     st->imported, st->rejected, st->added,
                           st->modified, st->closed,   st->unchanged};
    for (int i = 0; i < 7; i++)
        ml_snprintf(v[i], sizeof v[i], "%llu", (unsigned long long)n[i]);
    ml_snprintf(v[7], sizeof v[7], "%lld", (long long)run);
    const char *p[8] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
    bool etabs = strcmp(s->run_kind, "sirene") == 0;
    PGresult *res;
    r = pg_query(db, "record import",
                 etabs ? "UPDATE import_run SET finished = " PG_NOW ", rows = $1, imported = $2,"
                         " rejected = $3, added = $4, modified = $5, closed = $6, unchanged = $7"
                         " WHERE id = $8"
                       : "UPDATE import_run SET finished = " PG_NOW ", rows = $1, imported = $2,"
                         " rejected = $3 WHERE id = $8 AND $4::text IS NOT NULL AND $5::text IS NOT"
                         " NULL AND $6::text IS NOT NULL AND $7::text IS NOT NULL",
                 8, p, &res);
    PQclear(res);
    idset_free(&s->etab_ids);
    idset_free(&s->unite_ids);
    return r;
}

/* NEW, REPLACED (published by an earlier run) or DUPLICATE (seen in this one). */
static ml_err put_result(ml_db *db, pg_idset *set, int64_t id, ml_put_result *res)
{
    unsigned old;
    if (idset_mark(set, id, PG_ID_SEEN, &old)) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    *res = (old & PG_ID_SEEN)     ? ML_PUT_DUPLICATE
           : (old & PG_ID_EXISTS) ? ML_PUT_REPLACED
                                  : ML_PUT_NEW;
    return ML_OK;
}

static ml_err pg_etab_put(ml_db *db, int64_t run, const ml_etab *e, ml_put_result *res)
{
    pg_state *s = db->impl;
    ml_err r = put_result(db, &s->etab_ids, e->siret, res);
    if (r || *res == ML_PUT_DUPLICATE) return r;
    if ((r = copy_to(db, PG_STAGE_ETAB))) return r;
    ml_buf *b = &s->line;
    char diffusion[2] = {e->diffusion, 0}, state[2] = {e->state, 0};
    bool pos = e->geo != ML_GEO_NONE;
    int bad = pg_copy_i64(b, e->siret, true, false) | pg_copy_i64(b, e->siren, true, false) |
              pg_copy_field(b, diffusion, false) | pg_copy_field(b, state, false) |
              pg_copy_field(b, e->created, false) | pg_copy_field(b, e->size_band, false) |
              pg_copy_i64(b, e->size_year, e->size_year != 0, false) |
              pg_copy_i64(b, e->head_office, true, false) | pg_copy_field(b, e->sign, false) |
              pg_copy_field(b, e->usual_name, false) | pg_copy_field(b, e->address, false) |
              pg_copy_field(b, e->postcode, false) | pg_copy_field(b, e->city, false) |
              pg_copy_field(b, e->commune, false) | pg_copy_field(b, e->naf, false) |
              pg_copy_field(b, e->naf_raw, false) | pg_copy_field(b, e->naf25, false) |
              pg_copy_field(b, e->employer, false) | copy_f64(b, e->lat, pos, false) |
              copy_f64(b, e->lon, pos, false) | pg_copy_i64(b, (int64_t)e->geo, true, false) |
              pg_copy_i64(b, e->generated, true, false) | pg_copy_i64(b, run, true, false) |
              pg_copy_i64(b, s->next_ix, *res == ML_PUT_NEW, false) |
              pg_copy_field(b, e->state_since, s->direct[PG_STAGE_ETAB]);
    if (!s->direct[PG_STAGE_ETAB]) bad |= pg_copy_field(b, e->processed, true);
    /* New establishments are numbered in the file's order, as on SQLite; a
     * replaced one keeps its number (stage_flush). */
    if (*res == ML_PUT_NEW) s->next_ix++;
    return pg_copy_row_done(db, bad);
}

static ml_err pg_unite_put(ml_db *db, int64_t run, const ml_unite *u, ml_put_result *res)
{
    pg_state *s = db->impl;
    ml_err r = put_result(db, &s->unite_ids, u->siren, res);
    if (r || *res == ML_PUT_DUPLICATE) return r;
    if ((r = copy_to(db, PG_STAGE_UNITE))) return r;
    ml_buf *b = &s->line;
    char diffusion[2] = {u->diffusion, 0}, state[2] = {u->state, 0};
    int bad = pg_copy_i64(b, u->siren, true, false) | pg_copy_field(b, diffusion, false) |
              pg_copy_field(b, state, false) | pg_copy_field(b, u->name, false) |
              pg_copy_field(b, u->acronym, false) | pg_copy_field(b, u->category, false) |
              pg_copy_i64(b, u->category_year, u->category_year != 0, false) |
              pg_copy_field(b, u->legal_form, false) | pg_copy_field(b, u->naf, false) |
              pg_copy_field(b, u->created, false) | pg_copy_field(b, u->ess, false) |
              pg_copy_i64(b, u->generated, true, false) | pg_copy_i64(b, run, true, true);
    return pg_copy_row_done(db, bad);
}

/* ------------------------------------------------------------------- info */

#define PG_TEXT_ARGS    32 /* the most parameters a slot's statement takes (a scheme: 25) */
#define PG_TEXT_COLUMNS 32

ml_err pg_text_sql(ml_db *db, const char *what, const char *sql, const ml_sql_arg *args,
                   size_t nargs, ml_text_row_fn fn, void *ud, int64_t *changed)
{
    if (changed) *changed = 0;
    if (nargs > PG_TEXT_ARGS) return ml_fail(db->ctx, ML_INVALID, "too many parameters");
    char ints[PG_TEXT_ARGS][24];
    const char *p[PG_TEXT_ARGS];
    for (size_t i = 0; i < nargs; i++) {
        if (args[i].type == ML_ARG_INT) {
            ml_snprintf(ints[i], sizeof ints[i], "%lld", (long long)args[i].i);
            p[i] = ints[i];
        } else {
            p[i] = args[i].type == ML_ARG_TEXT ? args[i].s : NULL;
        }
    }
    PGresult *res = NULL;
    ml_err r = pg_query(db, what, sql, (int)nargs, p, &res);
    if (r) return r;
    int rows = PQntuples(res), ncols = PQnfields(res);
    if (ncols > PG_TEXT_COLUMNS) ncols = PG_TEXT_COLUMNS;
    for (int i = 0; fn && i < rows; i++) {
        const char *cols[PG_TEXT_COLUMNS];
        for (int c = 0; c < ncols; c++)
            cols[c] = PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
        if (fn(ud, cols, (size_t)ncols)) break;
    }
    if (changed) {
        const char *t = PQcmdTuples(res);
        *changed = t && *t ? strtoll(t, NULL, 10) : 0;
    }
    PQclear(res);
    return ML_OK;
}

static int pg_run_row(void *ud, const char *const *cols, size_t n)
{
    ml_store_info *o = ud;
    if (o->nruns < ML_INFO_RUNS) ml_info_run_from(&o->runs[o->nruns++], cols, n);
    return 0;
}

/* What the database holds: raw counts (lib/firm applies the secrecy rule),
 * the last import runs, the meta values. */
static ml_err pg_info(ml_db *db, ml_store_info *out, ml_text_row_fn meta, void *ud)
{
    pg_state *s = db->impl;
    *out = (ml_store_info){0};
    ml_snprintf(out->where, sizeof out->where, "%s", s->where);
    ml_err r = ML_OK;
    for (int i = 0; !r && i < ML_INFO_COUNTS; i++)
        r = pg_scalar(db, "count what the database holds", ml_info_sql[i], 0, NULL,
                      &out->counts[i]);
    if (!r) r = pg_text_sql(db, "import runs", ml_info_runs_sql, NULL, 0, pg_run_row, out, NULL);
    if (!r) r = pg_text_sql(db, "meta", ml_info_meta_sql, NULL, 0, meta, ud, NULL);
    return r;
}

const ml_store_backend ml_pg_backend = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .account_sql = pg_account_sql,
    .programme_sql = pg_programme_sql, /* issue 13 */
    .event_sql = pg_event_sql,         /* events (issue 14) */
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .import_mode = pg_import_mode,
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
    .data_stamp = pg_data_stamp,
    .set_meta = pg_set_meta,
    .meta_get = pg_meta_get,
    .ref_scan = pg_ref_scan,
    .word_complete = pg_word_complete,
    .ref_clear = pg_ref_clear,
    .ref_put = pg_ref_put,
    .commune_known = pg_commune_known,
    .naf_known = pg_naf_known,
    .run_begin = pg_run_begin,
    .run_end = pg_run_end,
    .etab_put = pg_etab_put,
    .unite_put = pg_unite_put,
    .info = pg_info,
    .search = pg_search,
    .etab_get = pg_etab_get,
    .unit_etabs = pg_unit_etabs,
    .unite_get = pg_unite_get,
    .unit_active = pg_unit_active,
    .legal_form_label = pg_legal_form_label,
    .naf_levels = pg_naf_levels,
    .commune_chain = pg_commune_chain,
    .place = pg_place,
    .place_size = pg_place_size,
    .place_cells = pg_place_cells,
    .perimeter_put = pg_perimeter_put,
    .perimeter_delete = pg_perimeter_delete,
    .perimeter_list = pg_perimeter_list,
    .activity_cells = pg_activity_cells,
    .place_years = pg_place_years,
    .place_coverage = pg_place_coverage,
    .place_leaders = pg_place_leaders,
    .run_finished = pg_run_finished,
    .level_label = pg_level_label,
    .snapshot_scan = pg_snapshot_scan,
    .memberships = pg_memberships,
    .io_classes = pg_io_classes,
    .io_a38 = pg_io_a38,
    .profile_put = pg_profile_put,
    .profile_words = pg_profile_words,
    .profile_df = pg_profile_df,
    .profile_candidates = pg_profile_candidates,
    .verdict_put = pg_verdict_put,
    .verdicts = pg_verdicts,
    .network_put = pg_network_put,
    .network_get = pg_network_get,
    .network_list = pg_network_list,
    .profile_texts = pg_profile_texts,
    .place_children = pg_place_children,
    .place_etabs = pg_place_etabs,
    .map_rows = pg_map_rows,
    .place_communes = pg_place_communes,
    /* history (issue 11) */
    .contact_put = pg_contact_put,
    .contact_touch = pg_contact_touch,
    .contact_delete = pg_contact_delete,
    .contacts = pg_contacts,
    .interaction_put = pg_interaction_put,
    .interactions = pg_interactions,
    .need_put = pg_need_put,
    .needs = pg_needs,
    .followup_put = pg_followup_put,
    .followup_done = pg_followup_done,
    .followups = pg_followups,
    .document_put = pg_document_put,
    .documents = pg_documents,
    .erasure_put = pg_erasure_put,
    .erasures = pg_erasures,
    .etab_changes = pg_etab_changes,
    .verdict_put_by = pg_verdict_put_by,
    .verdict_rows = pg_verdict_rows,
    .location_cells = pg_location_cells,
};
