/* sqlite.c — the SQLite storage backend: schema, writes of reference data,
 * establishments and legal units, and the search index they feed. Reads
 * (search, show, territory) are in sqlite_read.c. */
#include <errno.h>
#include <sqlite3.h>
#include <time.h>

#include "search/text.h"
#include "core/size_band.h"
#include "store/sqlite_impl.h"
#include "store/sqlite_schema.h"

/* ------------------------------------------------------------ small helpers */

/* Says what a user can do when SQLite could not write or create a file. */
static const char *readonly_hint(sq_state *s)
{
    int code = s && s->sql ? sqlite3_extended_errcode(s->sql) & 0xFF : 0;
    return code == SQLITE_READONLY || code == SQLITE_CANTOPEN
               ? " (the database or its folder is read-only here: maillage can search it, not "
                 "change it)"
               : "";
}

ml_err sq_fail(ml_db *db, const char *what)
{
    sq_state *s = db->impl;
    if (s && s->sql && (sqlite3_extended_errcode(s->sql) & 0xFF) == SQLITE_BUSY)
        return ml_fail(db->ctx, ML_BUSY,
                       "%s: %s: another process is writing the database (an import, probably):"
                       " nothing was changed; try again when it has finished",
                       db->path, what);
    return ml_fail(db->ctx, ML_DB, "%s: %s: %s%s", db->path, what,
                   s && s->sql ? sqlite3_errmsg(s->sql) : "no database", readonly_hint(s));
}

int64_t sq_scalar(ml_db *db, const char *sql)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

ml_err sq_exec(ml_db *db, const char *sql)
{
    sq_state *s = db->impl;
    char *err = NULL;
    if (sqlite3_exec(s->sql, sql, NULL, NULL, &err) != SQLITE_OK) {
        if ((sqlite3_extended_errcode(s->sql) & 0xFF) == SQLITE_BUSY) {
            sqlite3_free(err);
            return sq_fail(db, "write");
        }
        ml_err r =
            ml_fail(db->ctx, ML_DB, "%s: %s%s", db->path, err ? err : "error", readonly_hint(s));
        sqlite3_free(err);
        return r;
    }
    return ML_OK;
}

sqlite3_stmt *sq_prepare(ml_db *db, const char *sql)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sq_fail(db, "prepare");
        return NULL;
    }
    return st;
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

const char *sq_col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* ---------------------------------------------------------- open and close */

static int schema_version(ml_db *db, int *version)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    *version = 0;
    if (sqlite3_prepare_v2(s->sql, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static ml_err migrate(ml_db *db, int version)
{
    sq_state *s = db->impl;
    int latest = (int)ML_ARRAY_LEN(ml_sqlite_migrations);
    if (version == latest) return ML_OK;
    if (s->readonly)
        return ml_fail(db->ctx, ML_DB,
                       "%s: schema version %d needs migrating to %d: run `maillage init` once "
                       "(it opens the database writable)",
                       db->path, version, latest);
    ml_err r = sq_exec(db, "BEGIN IMMEDIATE");
    if (r) return r;
    for (int v = version; v < latest; v++) {
        r = sq_exec(db, ml_sqlite_migrations[v]);
        if (r) goto fail;
    }
    char sql[64];
    ml_snprintf(sql, sizeof sql, "PRAGMA user_version = %d", latest);
    if ((r = sq_exec(db, sql)) || (r = sq_exec(db, "COMMIT"))) goto fail;
    return ML_OK;
fail:
    sq_exec(db, "ROLLBACK");
    return r;
}

/* Opens the connection; a read that fails only because a WAL database sits
 * where its -shm file cannot be made (a read-only place) is retried with
 * SQLite's immutable mode: nobody can write there anyway. */
static ml_err connect(ml_db *db, const char *path, unsigned flags)
{
    sq_state *s = db->impl;
    int oflags = s->readonly
                     ? SQLITE_OPEN_READONLY
                     : SQLITE_OPEN_READWRITE | ((flags & ML_DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &s->sql, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return ml_fail(db->ctx, ML_DB, "%s: cannot open database: %s%s", path,
                       s->sql ? sqlite3_errmsg(s->sql) : "out of memory",
                       (flags & ML_DB_CREATE) ? "" : " (run `maillage init` first)");
    sqlite3_extended_result_codes(s->sql, 1);
    int version;
    if (!s->readonly || schema_version(db, &version) == 0 || strcmp(path, ":memory:") == 0)
        return ML_OK;
    int code = sqlite3_errcode(s->sql);
    if ((code & 0xFF) != SQLITE_CANTOPEN && (code & 0xFF) != SQLITE_READONLY) return ML_OK;
    sqlite3_close(s->sql);
    s->sql = NULL;
    ml_buf uri;
    ml_buf_init(&uri, 16384);
    ml_buf_addstr(&uri, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            ml_buf_addf(&uri, "%%%02X", (unsigned)(unsigned char)*p);
        else
            ml_buf_addch(&uri, *p);
    }
    ml_buf_addstr(&uri, "?immutable=1");
    if (ml_buf_failed(&uri)) {
        ml_buf_release(&uri);
        return ml_fail(db->ctx, ML_LIMIT, "database path too long");
    }
    int rc = sqlite3_open_v2(ml_buf_cstr(&uri), &s->sql,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    ml_buf_release(&uri);
    if (rc != SQLITE_OK)
        return ml_fail(db->ctx, ML_DB, "%s: cannot open database: %s", path,
                       s->sql ? sqlite3_errmsg(s->sql) : "out of memory");
    sqlite3_extended_result_codes(s->sql, 1);
    return ML_OK;
}

static ml_err sq_open(ml_db *db, const char *path, unsigned flags)
{
    sq_state *s = calloc(1, sizeof *s);
    if (!s) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    db->impl = s;
    ml_buf_init(&s->scratch, 1 << 20);
    s->readonly = flags & ML_DB_READONLY;
    s->text = ml_text_new();
    if (!s->text) return ml_fail(db->ctx, ML_NOMEM, "cannot create the French stemmer");
    ml_err r = connect(db, path, flags);
    if (r) return r;
    s->busy_ms = flags & ML_DB_SHORT_WAIT ? 5000 : 10000;
    sqlite3_busy_timeout(s->sql, s->busy_ms);
    if (!s->readonly && sqlite3_db_readonly(s->sql, "main") == 1)
        return ml_fail(db->ctx, ML_DB,
                       "%s: the database file is read-only (its permissions, or a read-only "
                       "disk): it can be searched, not changed",
                       path);
    /* The schema version is read before anything is written: a database of
     * a newer maillage is left exactly as it is. */
    int version, latest = (int)ML_ARRAY_LEN(ml_sqlite_migrations);
    if (schema_version(db, &version) != 0) return sq_fail(db, "read schema version");
    if (version > latest)
        return ml_fail(db->ctx, ML_DB,
                       "%s: schema version %d is newer than this maillage (%d); upgrade maillage",
                       db->path, version, latest);
    if (!s->readonly && strcmp(path, ":memory:") != 0 &&
        (r = sq_exec(db, "PRAGMA journal_mode=WAL")))
        return r;
    /* NORMAL is durable at each commit in WAL mode, and an interrupted
     * transaction is always rolled back: the previous state survives a kill.
     * Temporary tables and sorts go to files so that memory stays bounded
     * whatever the size of an import. */
    if ((r = sq_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-131072;"
                         "PRAGMA temp_store=FILE; PRAGMA foreign_keys=OFF")))
        return r;
    if ((r = migrate(db, version))) return r;
    /* A migration that changed the search index, or a new way of folding
     * words, leaves the index to fill again. */
    if (s->readonly) return ML_OK;
    char flag[16] = "", fold[16] = "";
    if ((r = sq_meta_get(db, "search_index", flag, sizeof flag)) ||
        (r = sq_meta_get(db, "search_fold", fold, sizeof fold)))
        return r;
    if (strcmp(flag, "rebuild") == 0 || (*fold && strcmp(fold, ML_FOLD_VERSION) != 0))
        return sq_search_rebuild(db);
    return ML_OK;
}

static void cache_free(sq_state *s);
static void spill_close(sq_state *s);
static void stage_close(sq_state *s);

static void sq_close(ml_db *db)
{
    sq_state *s = db->impl;
    if (!s) return;
    for (size_t i = 0; i < SQ_STMT_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    for (size_t i = 0; i < ML_REF_COUNT; i++)
        sqlite3_finalize(s->ref_stmt[i]);
    sqlite3_finalize(s->siret_of_rowid);
    for (size_t i = 0; i < ML_ACCT_SQL_COUNT; i++)
        sqlite3_finalize(s->acct_stmt[i]);
    spill_close(s);
    stage_close(s);
    cache_free(s);
    if (s->sql) sqlite3_close(s->sql);
    ml_text_free(s->text);
    ml_buf_release(&s->scratch);
    free(s);
    db->impl = NULL;
}

static ml_err sq_begin(ml_db *db)
{
    return sq_exec(db, "BEGIN IMMEDIATE");
}

static ml_err sq_commit(ml_db *db)
{
    sq_state *s = db->impl;
    ml_err r = sq_exec(db, "COMMIT");
    if (!r) s->ref_dirty = false;
    return r;
}

static void sq_rollback(ml_db *db)
{
    sq_state *s = db->impl;
    if (!sqlite3_get_autocommit(s->sql)) sqlite3_exec(s->sql, "ROLLBACK", NULL, NULL, NULL);
    s->bulk = false;
    spill_close(s);
    stage_close(s);
    /* The cache of communes and NAF stays valid unless the reference data
     * was being replaced (a refused import costs no reload). */
    if (s->ref_dirty) cache_free(s);
    s->ref_dirty = false;
}

/* A bigger page cache while importing: rows arrive in SIREN order, which is
 * the SIRET order only within a company, so writes land all over the table
 * (bounded: the cache is this size whatever the file's). */
static ml_err index_maintain(ml_db *db);

static ml_err sq_import_mode(ml_db *db, bool on)
{
    sq_state *s = db->impl;
    if (s->readonly || strcmp(db->path, ":memory:") == 0) return ML_OK;
    if (on) return sq_exec(db, "PRAGMA cache_size=-393216");
    ml_err r = s->maintain ? index_maintain(db) : ML_OK;
    s->maintain = false;
    if (r) return r;
    r = sq_exec(db, "PRAGMA cache_size=-131072");
    if (r || !s->journal_switched) return r;
    s->journal_switched = false;
    return sq_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
}

/* A run that writes as it reads (a first load, legal units) leaves WAL for a
 * rollback journal: pages a load appends need no journal at all, where WAL
 * writes every page twice and grows a WAL file as big as the data. FULL sync
 * keeps the journal safe from power loss. Leaving WAL needs this to be the
 * only connection: when another one has the database open (`maillage
 * serve`), the run stays in WAL, and that connection goes on reading the
 * previous data until the commit. Called outside any transaction. */
static ml_err leave_wal(ml_db *db)
{
    sq_state *s = db->impl;
    if (s->readonly || strcmp(db->path, ":memory:") == 0) return ML_OK;
    sqlite3_busy_timeout(s->sql, 0);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->sql, "PRAGMA journal_mode=DELETE", -1, &st, NULL);
    const char *mode = NULL;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) mode = sq_col_text(st, 0);
    s->journal_switched = mode && strcmp(mode, "delete") == 0;
    sqlite3_finalize(st);
    sqlite3_busy_timeout(s->sql, s->busy_ms);
    if (s->journal_switched) return sq_exec(db, "PRAGMA synchronous=FULL");
    if ((rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED || rc == SQLITE_ROW) {
        ml_log(db->ctx, ML_LOG_DEBUG, "%s: in use by another connection: the import keeps WAL",
               db->path);
        return ML_OK;
    }
    return sq_fail(db, "prepare the import");
}

static ml_err sq_read_begin(ml_db *db)
{
    return sq_exec(db, "BEGIN DEFERRED");
}

static void sq_read_end(ml_db *db)
{
    sq_state *s = db->impl;
    if (!sqlite3_get_autocommit(s->sql)) sqlite3_exec(s->sql, "COMMIT", NULL, NULL, NULL);
}

/* What snapshots read changes with an import run, a network or its members
 * (and what territory summaries read, with a perimeter);
 * PRAGMA data_version says whether another connection committed at all. */
ml_err sq_data_stamp(ml_db *db, uint64_t *out)
{
    sq_state *s = db->impl;
    int64_t version = sq_scalar(db, "PRAGMA data_version");
    if (version < 0) return sq_fail(db, "read data version");
    if (s->stamp && version == s->data_version) {
        *out = s->stamp;
        return ML_OK;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            s->sql,
            "SELECT (SELECT coalesce(max(id), 0) FROM import_run),"
            " (SELECT coalesce(max(id), 0) FROM network),"
            " (SELECT count(*) FROM network_member),"
            " (SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'perimeters')",
            -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read data stamp");
    uint64_t h = 1469598103934665603ULL; /* FNV-1a over the four numbers */
    int rc = sqlite3_step(st);
    for (int i = 0; rc == SQLITE_ROW && i < 4; i++) {
        uint64_t v = (uint64_t)sqlite3_column_int64(st, i);
        for (int b = 0; b < 8; b++)
            h = (h ^ ((v >> (8 * b)) & 0xFF)) * 1099511628211ULL;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return sq_fail(db, "read data stamp");
    s->data_version = version;
    s->stamp = h ? h : 1;
    *out = s->stamp;
    return ML_OK;
}

ml_err sq_meta_get(ml_db *db, const char *key, char *out, size_t size)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(s->sql, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return sq_fail(db, "read meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sq_col_text(st, 0)) ml_snprintf(out, size, "%s", sq_col_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ML_OK : sq_fail(db, "read meta");
}

/* A new value of meta "lexicon": every handle rebuilds its search lexicon
 * (lib/search) at its next search. */
static const char lexicon_touch_sql[] =
    "INSERT OR REPLACE INTO meta(key, value) VALUES('lexicon',"
    " strftime('%Y%m%d%H%M%f', 'now') || '-' || lower(hex(randomblob(4))))";

static ml_err sq_set_meta(ml_db *db, const char *key, const char *value)
{
    sqlite3_stmt *st = sq_stmt(db, SQ_META_PUT);
    if (!st) return ML_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sq_bind_text(st, 2, value);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "write meta");
}

/* ------------------------------------------------------- prepared statements */

#define ETAB_COLUMNS                                                                               \
    "siret, siren, diffusion, state, created, size_band, size_year, head_office, sign,"            \
    " usual_name, address, postcode, city, commune, naf, naf_raw, naf25, employer, lat, lon,"      \
    " geo, generated, run, ix, state_since"
#define ETAB_VALUES "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
#define UNITE_COLUMNS                                                                              \
    "siren, diffusion, state, name, acronym, category, category_year, legal_form, naf, created,"  \
    " ess, generated, run"
#define UNITE_VALUES "?,?,?,?,?,?,?,?,?,?,?,?,?"

/* The secondary indexes of etab, as the latest migration leaves them; a bulk
 * load drops them and builds them once at the end (a sort instead of millions
 * of random inserts). */
static const char etab_index_drop_sql[] =
    "DROP INDEX IF EXISTS etab_siren; DROP INDEX IF EXISTS etab_commune;";
static const char etab_index_create_sql[] =
    "CREATE INDEX IF NOT EXISTS etab_siren ON etab(siren);"
    "CREATE INDEX IF NOT EXISTS etab_commune ON etab(commune, state);";

static const char *const stmt_sql[SQ_STMT_COUNT] = {
    [SQ_META_PUT] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)",
    /* run, ix, then ETAB_COLUMNS from diffusion to generated (etab_same). */
    [SQ_ETAB_OLD] = "SELECT run, ix, diffusion, state, created, size_band, size_year, head_office,"
                    " sign, usual_name, address, postcode, city, commune, naf, naf_raw, naf25,"
                    " employer, lat, lon, geo, generated, state_since FROM etab WHERE siret = ?",
    [SQ_ETAB_SEEN] = "UPDATE etab SET run = ? WHERE siret = ?",
    [SQ_CHANGE_PUT] = "INSERT OR REPLACE INTO etab_change(run, siret, change, at, insee_date)"
                      " VALUES(?, ?, ?, ?, ?)",
    [SQ_ETAB_INSERT] = "INSERT INTO etab(" ETAB_COLUMNS ") VALUES(" ETAB_VALUES ")",
    [SQ_ETAB_REPLACE] = "INSERT OR REPLACE INTO etab(" ETAB_COLUMNS ") VALUES(" ETAB_VALUES ")",
    [SQ_FTS_GONE_ETAB] = "INSERT OR IGNORE INTO temp.fts_gone SELECT ml_index_rowid(ix, state,"
                         " size_band, head_office, commune, naf) FROM etab WHERE siret = ?"
                         " AND diffusion = 'O'",
    [SQ_FTS_TODO_ETAB] = "INSERT OR IGNORE INTO temp.fts_todo VALUES(?)",
    [SQ_FTS_GONE_UNITE] = "INSERT OR IGNORE INTO temp.fts_gone SELECT ml_index_rowid(ix, state,"
                          " size_band, head_office, commune, naf) FROM etab WHERE siren = ?"
                          " AND diffusion = 'O'",
    [SQ_FTS_TODO_UNITE] = "INSERT OR IGNORE INTO temp.fts_todo SELECT siret FROM etab"
                          " WHERE siren = ? AND diffusion = 'O'",
    /* run, then UNITE_COLUMNS from diffusion to generated (unite_same). */
    [SQ_UNITE_OLD] = "SELECT run, diffusion, state, name, acronym, category, category_year,"
                     " legal_form, naf, created, ess, generated FROM unite WHERE siren = ?",
    [SQ_UNITE_PUT] = "INSERT OR REPLACE INTO unite(" UNITE_COLUMNS ") VALUES(" UNITE_VALUES ")",
    [SQ_UNITE_SEEN] = "UPDATE unite SET run = ? WHERE siren = ?",
    /* One establishment as lib/firm reads it (sq_etab_get: the columns' order matters). */
    [SQ_BRIEF] = "SELECT " SQ_VIEW_COLUMNS SQ_VIEW_FROM " WHERE e.siret = ?",
    [SQ_RUN_BEGIN] =
        "INSERT INTO import_run(kind, started) VALUES(?, coalesce(?, datetime('now')))",
    [SQ_RUN_END] = "UPDATE import_run SET finished = datetime('now'), rows = ?, imported = ?,"
                   " rejected = ?, added = ?, modified = ?, closed = ?, unchanged = ? WHERE id = ?",
    /* Staged updates (stage_begin): the SIRETs read, and what changed. */
    [SQ_STAGE_SEEN] = "INSERT OR IGNORE INTO temp.stage_seen(siret) VALUES(?)",
    [SQ_STAGE_PUT] =
        "INSERT INTO temp.stage_etab(" ETAB_COLUMNS ", processed) VALUES(" ETAB_VALUES ", ?)",
    [SQ_STAGE_UNITE_SEEN] = "INSERT OR IGNORE INTO temp.stage_unite_seen(siren) VALUES(?)",
    [SQ_STAGE_UNITE_PUT] =
        "INSERT INTO temp.stage_unite(" UNITE_COLUMNS ") VALUES(" UNITE_VALUES ")",
    [SQ_COVER_PUT] = "INSERT INTO import_cover(commune, run) VALUES(?, ?)"
                     " ON CONFLICT(commune) DO UPDATE SET run = excluded.run",
};

sqlite3_stmt *sq_stmt(ml_db *db, sq_stmt_id id)
{
    sq_state *s = db->impl;
    if (!s->stmt[id])
        s->stmt[id] = sq_prepare(db, stmt_sql[id]);
    else
        sqlite3_reset(s->stmt[id]);
    if (s->stmt[id]) sqlite3_clear_bindings(s->stmt[id]);
    return s->stmt[id];
}

/* ------------------------------------------------------------ reference data */

static const struct {
    const char *table;
    const char *columns;
    size_t ncolumns;
} ref_tables[ML_REF_COUNT] = {
    [ML_REF_REGION] = {"region", "code,name", 2},
    [ML_REF_DEPARTEMENT] = {"departement", "code,region,name", 3},
    [ML_REF_EPCI] = {"epci", "code,name,type", 3},
    [ML_REF_COMMUNE] = {"commune",
                        "code,name,type,departement,region,epci,parent,population,lat,lon", 10},
    [ML_REF_NAF] = {"naf", "code,label,a615,a272,a129,a88,a64,a38,a21,a10", 10},
    [ML_REF_NAF_LEVEL] = {"naf_level", "level,code,label_fr,label_en", 4},
    [ML_REF_IO_USE] = {"io_use", "year,product,branch,value", 4},
    [ML_REF_IO_BRANCH] = {"io_branch", "year,branch,output,intermediate", 4},
    [ML_REF_IO_CLASS] = {"io_class", "year,supplier,buyer,weight,ic_share,resale_share,general", 7},
    [ML_REF_IO_GENERAL] = {"io_general", "class,group_fr,group_en", 3},
    [ML_REF_IO_RESALE] = {"io_resale", "trade_class,goods_fr,goods_en,makers,wholesalers", 5},
    [ML_REF_NAF_SAMPLE] = {"naf_sample", "subclass,band,establishments", 3},
    [ML_REF_NAF_GROUPS] = {"naf_group_share", "area,grp,share", 3},
    [ML_REF_LEGAL_FORM] = {"legal_form", "code,label", 2},
    [ML_REF_VOCAB] = {"vocabulary", "term,naf,note,source", 4},
    [ML_REF_POSTCODE] = {"postcode", "code,commune", 2},
    [ML_REF_TI] = {"ti", "code,phase,name,commune,member,member_kind", 6},
    [ML_REF_CPV] = {"cpv", "code8,code,label_fr,label_en,words", 5},
};

static ml_err sq_ref_clear(ml_db *db)
{
    sq_state *s = db->impl;
    cache_free(s);
    s->ref_dirty = true;
    for (size_t i = 0; i < ML_REF_COUNT; i++) {
        char sql[96];
        /* The user's vocabulary is theirs: `init` reloads only the shipped one. */
        ml_snprintf(sql, sizeof sql, "DELETE FROM %s%s", ref_tables[i].table,
                    i == ML_REF_VOCAB ? " WHERE source <> 'user'" : "");
        ml_err r = sq_exec(db, sql);
        if (r) return r;
    }
    return sq_exec(db, lexicon_touch_sql);
}

static ml_err sq_ref_put(ml_db *db, ml_ref_table t, const char *const *fields, size_t n)
{
    sq_state *s = db->impl;
    if (n != ref_tables[t].ncolumns)
        return ml_fail(db->ctx, ML_FORMAT, "%s: %zu fields, expected %zu", ref_tables[t].table, n,
                       ref_tables[t].ncolumns);
    if (!s->ref_stmt[t]) {
        ml_buf sql;
        ml_buf_init(&sql, 1024);
        ml_buf_addf(&sql, "INSERT OR REPLACE INTO %s(%s) VALUES(?", ref_tables[t].table,
                    ref_tables[t].columns);
        for (size_t i = 1; i < n; i++)
            ml_buf_addstr(&sql, ",?");
        ml_buf_addch(&sql, ')');
        if (ml_buf_failed(&sql)) {
            ml_buf_release(&sql);
            return ml_fail(db->ctx, ML_LIMIT, "%s: statement too long", ref_tables[t].table);
        }
        s->ref_stmt[t] = sq_prepare(db, ml_buf_cstr(&sql));
        ml_buf_release(&sql);
        if (!s->ref_stmt[t]) return ML_DB;
    }
    sqlite3_stmt *st = s->ref_stmt[t];
    sqlite3_reset(st);
    for (size_t i = 0; i < n; i++)
        sq_bind_text(st, (int)i + 1, fields[i]);
    if (sqlite3_step(st) != SQLITE_DONE) return sq_fail(db, ref_tables[t].table);
    return ML_OK;
}

/* ------------------------------------------------- in-memory reference cache */

static int cmp_commune(const void *a, const void *b)
{
    return strcmp(((const sq_commune *)a)->code, ((const sq_commune *)b)->code);
}

static int cmp_naf(const void *a, const void *b)
{
    return strcmp(((const sq_naf *)a)->code, ((const sq_naf *)b)->code);
}

static void cache_free(sq_state *s)
{
    for (size_t i = 0; i < s->ncommunes; i++)
        free(s->communes[i].place);
    for (size_t i = 0; i < s->nnaf; i++)
        free(s->nafs[i].activity);
    free(s->communes);
    free(s->nafs);
    free(s->commune_by_num);
    s->commune_by_num = NULL;
    s->communes = NULL;
    s->nafs = NULL;
    s->ncommunes = s->nnaf = 0;
    s->cache_loaded = false;
}

static void copy_code(char *dst, size_t size, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= size) n = size - 1;
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
}

static char *fold_dup(sq_state *s, const char *text)
{
    ml_buf b;
    ml_buf_init(&b, 4096);
    if (text) ml_text_fold(s->text, &b, text, strlen(text), ML_FOLD_STEM);
    char *r = ml_buf_failed(&b) ? NULL : ml_strdup(ml_buf_cstr(&b));
    ml_buf_release(&b);
    return r;
}

/* The activity column's text: the folded, stemmed words of a label, each
 * written "a_word" so that they never share a posting list with a name. */
static char *activity_words(sq_state *s, const char *label)
{
    char *folded = fold_dup(s, label);
    if (!folded) return NULL;
    ml_buf b;
    ml_buf_init(&b, 8192);
    for (const char *w = folded; *w;) {
        size_t n = strcspn(w, " ");
        ml_buf_addstr(&b, b.len ? " a_" : "a_");
        ml_buf_add(&b, w, n);
        w += n + (w[n] == ' ');
    }
    free(folded);
    char *r = ml_buf_failed(&b) ? NULL : ml_strdup(ml_buf_cstr(&b));
    ml_buf_release(&b);
    return r;
}

/* Loads communes (with the names of their parent for arrondissements) and NAF
 * sub-classes into sorted arrays: the importer looks them up on every row. */
ml_err sq_cache_load(ml_db *db)
{
    sq_state *s = db->impl;
    if (s->cache_loaded) return ML_OK;
    sqlite3_stmt *st = NULL;
    ml_err r = ML_OK;
    const char *csql = "SELECT c.code, c.name, c.departement, c.region, c.epci, c.parent, c.lat,"
                       " c.lon, p.name FROM commune c LEFT JOIN commune p ON p.code = c.parent"
                       " ORDER BY c.code";
    if (sqlite3_prepare_v2(s->sql, "SELECT count(*) FROM commune", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "count communes");
    size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    s->communes = calloc(n ? n : 1, sizeof *s->communes);
    if (!s->communes) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(s->sql, csql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read communes");
    while (s->ncommunes < n && sqlite3_step(st) == SQLITE_ROW) {
        sq_commune *c = &s->communes[s->ncommunes++];
        copy_code(c->code, sizeof c->code, sq_col_text(st, 0));
        copy_code(c->dep, sizeof c->dep, sq_col_text(st, 2));
        copy_code(c->reg, sizeof c->reg, sq_col_text(st, 3));
        copy_code(c->epci, sizeof c->epci, sq_col_text(st, 4));
        copy_code(c->parent, sizeof c->parent, sq_col_text(st, 5));
        c->lat = sqlite3_column_double(st, 6);
        c->lon = sqlite3_column_double(st, 7);
        c->has_pos = sqlite3_column_type(st, 6) != SQLITE_NULL;
        ml_buf b;
        ml_buf_init(&b, 4096);
        const char *name = sq_col_text(st, 1), *pname = sq_col_text(st, 8);
        if (name) ml_text_fold(s->text, &b, name, strlen(name), ML_FOLD_STEM);
        if (pname) ml_text_fold(s->text, &b, pname, strlen(pname), ML_FOLD_STEM);
        c->place = ml_buf_failed(&b) ? NULL : ml_strdup(ml_buf_cstr(&b));
        if (ml_buf_failed(&b))
            r = ml_fail(db->ctx, ML_LIMIT, "commune %s: name too long", c->code);
        else if (!c->place)
            r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        ml_buf_release(&b);
    }
    sqlite3_finalize(st);
    if (r) return r;
    qsort(s->communes, s->ncommunes, sizeof *s->communes, cmp_commune);
    s->commune_by_num = calloc(SQ_COM_NUMS, sizeof *s->commune_by_num);
    if (!s->commune_by_num) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    for (size_t i = 0; i < s->ncommunes; i++) {
        int num = sq_commune_num(s->communes[i].code);
        if (num > 0) s->commune_by_num[num] = (int32_t)i + 1;
    }

    const char *nsql = "SELECT code, label, a615, a272, a129, a88, a64, a38, a21, a10 FROM naf";
    if (sqlite3_prepare_v2(s->sql, "SELECT count(*) FROM naf", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "count NAF");
    n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    s->nafs = calloc(n ? n : 1, sizeof *s->nafs);
    if (!s->nafs) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (sqlite3_prepare_v2(s->sql, nsql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read NAF");
    while (s->nnaf < n && sqlite3_step(st) == SQLITE_ROW) {
        sq_naf *f = &s->nafs[s->nnaf++];
        copy_code(f->code, sizeof f->code, sq_col_text(st, 0));
        for (int i = 0; i < SQ_NAF_LEVELS; i++)
            copy_code(f->level[i], sizeof f->level[i], sq_col_text(st, 2 + i));
        /* The label without what it excludes ("à l'exception des ordinateurs"):
         * the search lexicon reads labels the same way. */
        char label[1024];
        ml_text_strip_exclusions(sq_col_text(st, 1), label, sizeof label);
        f->activity = activity_words(s, label);
        if (!f->activity) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    sqlite3_finalize(st);
    if (r) return r;
    qsort(s->nafs, s->nnaf, sizeof *s->nafs, cmp_naf);
    s->cache_loaded = true;
    return ML_OK;
}

const sq_commune *sq_commune_find(sq_state *s, const char *code)
{
    sq_commune key;
    if (!code) return NULL;
    copy_code(key.code, sizeof key.code, code);
    return bsearch(&key, s->communes, s->ncommunes, sizeof key, cmp_commune);
}

const sq_naf *sq_naf_find(sq_state *s, const char *code)
{
    sq_naf key;
    if (!code) return NULL;
    copy_code(key.code, sizeof key.code, code);
    return bsearch(&key, s->nafs, s->nnaf, sizeof key, cmp_naf);
}

static bool sq_commune_known(ml_db *db, const char *code, double *lat, double *lon, char dep[4])
{
    if (sq_cache_load(db) != ML_OK) return false;
    const sq_commune *c = sq_commune_find(db->impl, code);
    if (!c) return false;
    *lat = c->has_pos ? c->lat : 0;
    *lon = c->has_pos ? c->lon : 0;
    copy_code(dep, 4, c->dep);
    return c->has_pos;
}

static bool sq_naf_known(ml_db *db, const char *code)
{
    return sq_cache_load(db) == ML_OK && sq_naf_find(db->impl, code) != NULL;
}

/* ------------------------------------------------------------ search index */

int sq_commune_num(const char *code)
{
    if (!code || strlen(code) != 5 || strspn(code + 2, "0123456789") != 3) return 0;
    int rest = (code[2] - '0') * 100 + (code[3] - '0') * 10 + (code[4] - '0');
    if (code[0] == '2' && (code[1] == 'A' || code[1] == 'a')) return 20000 + rest;
    if (code[0] == '2' && (code[1] == 'B' || code[1] == 'b')) return rest;
    if (code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9') return 0;
    return (code[0] - '0') * 10000 + (code[1] - '0') * 1000 + rest;
}

/* The index's rowid orders results, best first in ascending order (FTS5
 * reads its lists forwards fastest, and SQLite 3.40's FTS5 can miss rows
 * when it reads an AND backwards across segments): open before closed,
 * bigger before smaller, head office first, then in import order. The key
 * is stored as 63 - key; see SQ_KEY_SHIFT for the rest of the bits. */
int64_t sq_fts_rowid(int64_t ix, char state, const char *size_band, bool head_office, int commune,
                     int naf)
{
    int64_t key = ((int64_t)(state == 'A') << 5) | ((int64_t)ml_size_rank(size_band) << 1) |
                  (head_office ? 1 : 0);
    return ((63 - key) << SQ_KEY_SHIFT) | ((ix & SQ_IX_MAX) << SQ_IX_SHIFT) |
           (((int64_t)commune & SQ_COM_MASK) << SQ_COM_SHIFT) | ((int64_t)naf & SQ_NAF_MASK);
}

int64_t sq_fts_end_rowid(bool active, int size_rank)
{
    if (!active && !size_rank) return INT64_MAX;
    int64_t key = ((int64_t)active << 5) | ((int64_t)size_rank << 1);
    return (64 - key) << SQ_KEY_SHIFT;
}

int sq_fts_size_rank(int64_t rowid)
{
    return (int)(((63 - (rowid >> SQ_KEY_SHIFT)) >> 1) & 15);
}

/* Appends a filter token ("dep13", "naf2562a"): prefix + code without dots, lower case. */
int sq_tag(ml_buf *b, const char *prefix, const char *code)
{
    if (!code || !*code) return 0;
    if (b->len && ml_buf_addch(b, ' ')) return -1;
    if (ml_buf_addstr(b, prefix)) return -1;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '.') continue;
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if (ml_buf_addch(b, c)) return -1;
    }
    return 0;
}

/* The index is written at the end of each import, sorted by rowid: FTS5
 * flushes its pending terms whenever a rowid comes out of order, and the
 * rank-ordered rowids of a SIREN-sorted file are in no order at all. During
 * the import, rows whose index entry changes are queued in two temporary
 * tables; SQLite's external sorter keeps the final pass in bounded memory. */
static const char index_queue_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS fts_gone(r INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS fts_todo(s INTEGER PRIMARY KEY);";

static const char index_flush_sql[] =
    "DELETE FROM etab_fts WHERE rowid IN (SELECT r FROM temp.fts_gone);"
    "INSERT INTO etab_fts(rowid, name, activity, place, tags, siret)"
    " SELECT ml_index_rowid(e.ix, e.state, e.size_band, e.head_office, e.commune, e.naf),"
    "  ml_index_name(u.name, u.acronym, e.sign, e.usual_name), ml_index_activity(e.naf),"
    "  ml_index_place(e.commune),"
    "  ml_index_tags(e.commune, e.naf, e.size_band, e.state, e.head_office), e.siret"
    " FROM temp.fts_todo t JOIN etab e ON e.siret = t.s"
    " LEFT JOIN unite u ON u.siren = e.siren AND u.diffusion = 'O'"
    " WHERE e.diffusion = 'O' ORDER BY 1;"
    "DELETE FROM temp.fts_gone; DELETE FROM temp.fts_todo;";

/* While a bulk load fills the index: no merges of segments as they come
 * (one merge at the end), and bigger segments (fewer to merge). The
 * settings are FTS5's defaults again at the end. */
static const char index_bulk_begin_sql[] =
    "INSERT INTO etab_fts(etab_fts, rank) VALUES('automerge', 0);"
    "INSERT INTO etab_fts(etab_fts, rank) VALUES('crisismerge', 2000);"
    "INSERT INTO etab_fts(etab_fts, rank) VALUES('hashsize', 67108864);";
static const char index_bulk_end_sql[] =
    "INSERT INTO etab_fts(etab_fts, rank) VALUES('automerge', 4);"
    "INSERT INTO etab_fts(etab_fts, rank) VALUES('crisismerge', 16);"
    "INSERT INTO etab_fts(etab_fts, rank) VALUES('hashsize', 1048576);";

/* After a bulk load every row of the run is new: no queue to read. */
static const char index_bulk_sql[] =
    "INSERT INTO etab_fts(rowid, name, activity, place, tags, siret)"
    " SELECT ml_index_rowid(e.ix, e.state, e.size_band, e.head_office, e.commune, e.naf),"
    "  ml_index_name(u.name, u.acronym, e.sign, e.usual_name), ml_index_activity(e.naf),"
    "  ml_index_place(e.commune),"
    "  ml_index_tags(e.commune, e.naf, e.size_band, e.state, e.head_office), e.siret"
    " FROM etab e LEFT JOIN unite u ON u.siren = e.siren AND u.diffusion = 'O'"
    " WHERE e.diffusion = 'O' ORDER BY 1;";

static const char *arg_text(sqlite3_value **argv, int i)
{
    return (const char *)sqlite3_value_text(argv[i]);
}

static void result_buf(sqlite3_context *fc, ml_buf *b, int rc)
{
    if (rc < 0 || ml_buf_failed(b))
        sqlite3_result_error(fc, "search text too long", -1);
    else
        sqlite3_result_text(fc, ml_buf_cstr(b), (int)b->len, SQLITE_TRANSIENT);
}

/* ml_index_name(text, ...): the folded, stemmed words of every argument. */
static void fn_index_name(sqlite3_context *fc, int argc, sqlite3_value **argv)
{
    sq_state *s = sqlite3_user_data(fc);
    ml_buf *b = &s->scratch;
    ml_buf_reset(b);
    int rc = 0;
    for (int i = 0; i < argc && rc >= 0; i++) {
        const char *t = arg_text(argv, i);
        if (t) rc = ml_text_fold(s->text, b, t, strlen(t), ML_FOLD_STEM);
    }
    result_buf(fc, b, rc);
}

static void fn_index_activity(sqlite3_context *fc, int argc, sqlite3_value **argv)
{
    (void)argc;
    const sq_naf *f = sq_naf_find(sqlite3_user_data(fc), arg_text(argv, 0));
    sqlite3_result_text(fc, f ? f->activity : "", -1, SQLITE_STATIC);
}

static void fn_index_place(sqlite3_context *fc, int argc, sqlite3_value **argv)
{
    (void)argc;
    const sq_commune *c = sq_commune_find(sqlite3_user_data(fc), arg_text(argv, 0));
    sqlite3_result_text(fc, c ? c->place : "", -1, SQLITE_STATIC);
}

/* The filter tokens of an index row. Only the levels a filter cannot
 * rebuild cheaply are indexed (sub-class, division, A38, section); the
 * others become ORs of these at query time. Returns -1 past the cap. */
static int index_tags(ml_buf *b, const sq_commune *com, const sq_naf *naf, const char *band,
                      const char *state, bool head_office)
{
    ml_buf_reset(b);
    int bad = 0;
    if (com)
        bad |= sq_tag(b, "com", com->code) | sq_tag(b, "com", com->parent) |
               sq_tag(b, "dep", com->dep) | sq_tag(b, "reg", com->reg) |
               sq_tag(b, "epci", com->epci);
    if (naf)
        bad |= sq_tag(b, "naf", naf->code) | sq_tag(b, "div", naf->level[SQ_A88]) |
               sq_tag(b, "a38", naf->level[SQ_A38]) | sq_tag(b, "a21", naf->level[SQ_A21]);
    bad |= sq_tag(b, "sz", band ? band : "nn");
    if (state && state[0] == 'A') bad |= sq_tag(b, "", "active");
    if (head_office) bad |= sq_tag(b, "", "siege");
    return bad ? -1 : 0;
}

/* ml_index_tags(commune, naf, size_band, state, head_office). */
static void fn_index_tags(sqlite3_context *fc, int argc, sqlite3_value **argv)
{
    (void)argc;
    sq_state *s = sqlite3_user_data(fc);
    int rc = index_tags(&s->scratch, sq_commune_find(s, arg_text(argv, 0)),
                        sq_naf_find(s, arg_text(argv, 1)), arg_text(argv, 2), arg_text(argv, 3),
                        sqlite3_value_int(argv[4]) != 0);
    result_buf(fc, &s->scratch, rc);
}

/* ml_index_rowid(ix, state, size_band, head_office, commune, naf). */
static void fn_index_rowid(sqlite3_context *fc, int argc, sqlite3_value **argv)
{
    (void)argc;
    sq_state *s = sqlite3_user_data(fc);
    const char *state = arg_text(argv, 1);
    const sq_naf *naf = sq_naf_find(s, arg_text(argv, 5));
    sqlite3_result_int64(fc, sq_fts_rowid(sqlite3_value_int64(argv[0]), state ? state[0] : 'F',
                                          arg_text(argv, 2), sqlite3_value_int(argv[3]) != 0,
                                          sq_commune_num(arg_text(argv, 4)),
                                          naf ? (int)(naf - s->nafs) + 1 : 0));
}

static ml_err index_functions(ml_db *db)
{
    sq_state *s = db->impl;
    static const struct {
        const char *name;
        int nargs;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } fns[] = {
        {"ml_index_name", -1, fn_index_name},  {"ml_index_activity", 1, fn_index_activity},
        {"ml_index_place", 1, fn_index_place}, {"ml_index_tags", 5, fn_index_tags},
        {"ml_index_rowid", 6, fn_index_rowid},
    };
    for (size_t i = 0; i < ML_ARRAY_LEN(fns); i++)
        if (sqlite3_create_function_v2(s->sql, fns[i].name, fns[i].nargs,
                                       SQLITE_UTF8 | SQLITE_DETERMINISTIC, s, fns[i].fn, NULL, NULL,
                                       NULL) != SQLITE_OK)
            return sq_fail(db, "register index functions");
    return ML_OK;
}

/* Queues index work: the old row under `gone`, the new one under `todo`. */
static ml_err index_queue(ml_db *db, sq_stmt_id gone, sq_stmt_id todo, int64_t key)
{
    ((sq_state *)db->impl)->index_touched = true;
    sq_stmt_id ids[2] = {gone, todo};
    for (int i = 0; i < 2; i++) {
        if (ids[i] == SQ_STMT_COUNT) continue;
        sqlite3_stmt *st = sq_stmt(db, ids[i]);
        if (!st) return ML_DB;
        sqlite3_bind_int64(st, 1, key);
        if (sqlite3_step(st) != SQLITE_DONE) return sq_fail(db, "queue search index update");
    }
    return ML_OK;
}

/* Writes the queued index rows. When they are most of the index (the first
 * legal units over the establishments), the index is made again in one
 * sorted pass instead: FTS5 deletes a row by reading and splitting it again,
 * several times the cost of writing it. A staged update does not merge now
 * (index_maintain merges after the commit, in steps). */
static ml_err index_flush(ml_db *db)
{
    sq_state *s = db->impl;
    int64_t todo = sq_scalar(db, "SELECT count(*) FROM temp.fts_todo");
    if (todo < 0) return sq_fail(db, "count the search index rows to write");
    /* (The establishments numbered so far stand for the index's size: no
     * count of the table under the write lock.) */
    int64_t all = s->next_ix - 1;
    ml_err r = ML_OK;
    if (s->reindex_all || (todo * 2 > all && all > 10000)) {
        sqlite3_stmt *st = sq_prepare(db, "SELECT sql FROM sqlite_master WHERE name = 'etab_fts'");
        if (!st) return ML_DB;
        char *create = sqlite3_step(st) == SQLITE_ROW && sq_col_text(st, 0)
                           ? sqlite3_mprintf("%s", sq_col_text(st, 0))
                           : NULL;
        sqlite3_finalize(st);
        if (!create) return sq_fail(db, "read the search index's definition");
        ml_log(db->ctx, ML_LOG_DEBUG, "%s: the index is made again",
               s->reindex_all ? "the first legal units" : "most index rows to write");
        /* SQLite's sorter (ORDER BY) takes as much memory as the page cache. */
        if (!(r = sq_exec(db, "PRAGMA cache_size=-131072")) &&
            !(r = sq_exec(db, "DROP TABLE etab_fts")) && !(r = sq_exec(db, create)) &&
            !(r = sq_exec(db, index_bulk_begin_sql)) && !(r = sq_exec(db, index_bulk_sql)) &&
            !(r = sq_exec(db, index_bulk_end_sql)))
            r = sq_exec(db, "DELETE FROM temp.fts_gone; DELETE FROM temp.fts_todo");
        sqlite3_free(create);
        return r;
    }
    if (!s->staged_run) return sq_exec(db, index_flush_sql);
    if (!(r = sq_exec(db, index_bulk_begin_sql)) && !(r = sq_exec(db, index_flush_sql)))
        r = sq_exec(db, index_bulk_end_sql);
    return r;
}

/* ------------------------------------------------------- bulk index spill */

/* One spilled index row: what the rowid, place, activity and tags are made
 * of, then `name_len` bytes of folded name. */
typedef struct spill_row {
    int64_t rowid, siret;
    int32_t commune, naf; /* index in the cache + 1, 0 = none */
    char band[3], state;
    uint8_t head_office;
    uint32_t name_len;
} spill_row;

static void spill_close(sq_state *s)
{
    for (int i = 0; i < SQ_SPILL_FILES; i++) {
        if (s->spill[i]) fclose(s->spill[i]);
        s->spill[i] = NULL;
    }
    sqlite3_finalize(s->unit_of_siren);
    s->unit_of_siren = NULL;
    ml_buf_release(&s->spill_name);
    ml_buf_release(&s->unit_words);
}

/* Temporary files (unlinked at once: nothing is left behind by a kill). */
static ml_err spill_open(ml_db *db)
{
    sq_state *s = db->impl;
    for (int i = 0; i < SQ_SPILL_FILES; i++)
        if (!(s->spill[i] = tmpfile())) {
            spill_close(s);
            return ml_fail(db->ctx, ML_IO, "cannot create a temporary file: %s", strerror(errno));
        }
    ml_buf_init(&s->spill_name, 1 << 20);
    ml_buf_init(&s->unit_words, 1 << 20);
    s->unit_siren = -1;
    /* Units imported before the establishments lend them their names. */
    if (sq_scalar(db, "SELECT EXISTS (SELECT 1 FROM unite)") == 1 &&
        !(s->unit_of_siren = sq_prepare(db, "SELECT name, acronym FROM unite WHERE siren = ?"
                                            " AND diffusion = 'O'")))
        return ML_DB;
    return ML_OK;
}

/* The folded words of a unit's name and acronym, read once per SIREN (a
 * stock file lists a unit's establishments together). */
static ml_err spill_unit_words(ml_db *db, int64_t siren)
{
    sq_state *s = db->impl;
    if (siren == s->unit_siren) return ML_OK;
    ml_buf_reset(&s->unit_words);
    s->unit_siren = siren;
    if (!s->unit_of_siren) return ML_OK;
    sqlite3_stmt *st = s->unit_of_siren;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, siren);
    int rc = sqlite3_step(st);
    for (int i = 0; rc == SQLITE_ROW && i < 2; i++) {
        const char *t = sq_col_text(st, i);
        if (t && ml_text_fold(s->text, &s->unit_words, t, strlen(t), ML_FOLD_STEM) < 0)
            return ml_fail(db->ctx, ML_LIMIT, "search text too long");
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ML_OK : sq_fail(db, "read legal unit");
}

/* Spills the index row of a new establishment (diffusion O) numbered ix;
 * the same words as index_bulk_sql would give it. */
static ml_err spill_put(ml_db *db, int64_t ix, const ml_etab *e)
{
    sq_state *s = db->impl;
    ml_err r = spill_unit_words(db, e->siren);
    if (r) return r;
    ml_buf *b = &s->spill_name;
    ml_buf_reset(b);
    if (s->unit_words.len && ml_buf_add(b, s->unit_words.data, s->unit_words.len))
        return ml_fail(db->ctx, ML_LIMIT, "search text too long");
    if (e->name_words) {
        /* Folded by the importer: ml_text_fold puts a space before a word
         * only when the buffer is not empty, hence the same text. */
        size_t n = strlen(e->name_words);
        if (n && ((b->len && ml_buf_addch(b, ' ')) || ml_buf_add(b, e->name_words, n)))
            return ml_fail(db->ctx, ML_LIMIT, "search text too long");
    } else {
        const char *parts[2] = {e->sign, e->usual_name};
        for (int i = 0; i < 2; i++)
            if (parts[i] && *parts[i] &&
                ml_text_fold(s->text, b, parts[i], strlen(parts[i]), ML_FOLD_STEM) < 0)
                return ml_fail(db->ctx, ML_LIMIT, "search text too long");
    }
    const char *commune = e->commune && *e->commune ? e->commune : NULL;
    const char *naf_code = e->naf && *e->naf ? e->naf : NULL;
    const char *band = e->size_band && *e->size_band ? e->size_band : NULL;
    const sq_commune *com = sq_commune_find(s, commune);
    const sq_naf *naf = sq_naf_find(s, naf_code);
    spill_row row = {
        .rowid = sq_fts_rowid(ix, e->state, band, e->head_office, sq_commune_num(commune),
                              naf ? (int)(naf - s->nafs) + 1 : 0),
        .siret = e->siret,
        .commune = com ? (int32_t)(com - s->communes) + 1 : 0,
        .naf = naf ? (int32_t)(naf - s->nafs) + 1 : 0,
        .state = e->state,
        .head_office = e->head_office,
        .name_len = (uint32_t)b->len,
    };
    if (band) copy_code(row.band, sizeof row.band, band);
    FILE *f = s->spill[(uint64_t)row.rowid >> SQ_KEY_SHIFT];
    if (fwrite(&row, sizeof row, 1, f) != 1 || (b->len && fwrite(b->data, b->len, 1, f) != 1))
        return ml_fail(db->ctx, ML_IO, "cannot write a temporary file: %s", strerror(errno));
    return ML_OK;
}

/* Writes the spilled rows into the search index, in rowid order. */
static ml_err spill_load(ml_db *db)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = sq_prepare(db, "INSERT INTO etab_fts(rowid, name, activity, place, tags,"
                                      " siret) VALUES(?, ?, ?, ?, ?, ?)");
    if (!st) return ML_DB;
    ml_err r = ML_OK;
    spill_row row;
    for (int i = 0; !r && i < SQ_SPILL_FILES; i++) {
        FILE *f = s->spill[i];
        if (fflush(f) || fseek(f, 0, SEEK_SET)) {
            r = ml_fail(db->ctx, ML_IO, "cannot read a temporary file: %s", strerror(errno));
            break;
        }
        while (!r && fread(&row, sizeof row, 1, f) == 1) {
            ml_buf *b = &s->spill_name;
            ml_buf_reset(b);
            if (row.name_len &&
                (ml_buf_grow(b, row.name_len) || fread(b->data, row.name_len, 1, f) != 1)) {
                r = ml_fail(db->ctx, ML_IO, "cannot read a temporary file");
                break;
            }
            b->len = row.name_len;
            const sq_commune *com = row.commune ? &s->communes[row.commune - 1] : NULL;
            const sq_naf *naf = row.naf ? &s->nafs[row.naf - 1] : NULL;
            char state[2] = {row.state, 0};
            if (index_tags(&s->scratch, com, naf, row.band[0] ? row.band : NULL, state,
                           row.head_office)) {
                r = ml_fail(db->ctx, ML_LIMIT, "search text too long");
                break;
            }
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, row.rowid);
            sqlite3_bind_text(st, 2, b->len ? b->data : "", (int)b->len, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, naf ? naf->activity : "", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, com ? com->place : "", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, s->scratch.data ? s->scratch.data : "", (int)s->scratch.len,
                              SQLITE_STATIC);
            sqlite3_bind_int64(st, 6, row.siret);
            if (sqlite3_step(st) != SQLITE_DONE) r = sq_fail(db, "write the search index");
        }
        if (!r && ferror(f))
            r = ml_fail(db->ctx, ML_IO, "cannot read a temporary file: %s", strerror(errno));
    }
    sqlite3_finalize(st);
    return r;
}

/* ------------------------------------------------------------------- imports */

/* Dense numbers go on from the last one given (kept in meta). */
static ml_err next_ix_load(ml_db *db)
{
    sq_state *s = db->impl;
    char v[32];
    ml_err r = sq_meta_get(db, "etab_next_ix", v, sizeof v);
    if (r) return r;
    int64_t n = 0;
    if (!*v || ml_parse_i64(v, strlen(v), 1, SQ_IX_MAX, &n)) {
        n = sq_scalar(db, "SELECT coalesce(max(ix), 0) + 1 FROM etab");
        if (n < 1) return sq_fail(db, "read the establishments' numbers");
    }
    s->next_ix = n;
    return ML_OK;
}

static ml_err next_ix_save(ml_db *db)
{
    sq_state *s = db->impl;
    char v[32];
    ml_snprintf(v, sizeof v, "%lld", (long long)s->next_ix);
    return sq_set_meta(db, "etab_next_ix", v);
}

/* After a write, the index is merged into one segment: an AND seeks one
 * list per term instead of one per segment (several times faster). */
static const char index_optimize_sql[] = "INSERT INTO etab_fts(etab_fts) VALUES('optimize')";

/* The words of names and communes, with their counts: what a word being
 * typed completes to (fts5vocab reads them from the index). */
static const char search_words_sql[] =
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.etab_fts_words USING fts5vocab(main, etab_fts, 'col');"
    "CREATE TEMP TABLE IF NOT EXISTS new_word(word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;"
    "CREATE TEMP TABLE IF NOT EXISTS new_word_naf(word TEXT, naf INTEGER, n INTEGER);"
    "DELETE FROM temp.new_word; DELETE FROM temp.new_word_naf;"
    "INSERT INTO temp.new_word SELECT term, sum(doc) FROM temp.etab_fts_words"
    " WHERE col IN ('name', 'place') AND length(term) >= 3 GROUP BY term;";

/* The counts search_words_sql and search_word_stats made, in place of the
 * previous ones (a short write: they are computed under a read snapshot). */
static const char search_words_publish_sql[] =
    "DELETE FROM search_word; INSERT INTO search_word SELECT word, n FROM temp.new_word;"
    "DELETE FROM search_word_naf;"
    "INSERT INTO search_word_naf(word, naf, n) SELECT word, naf, n FROM temp.new_word_naf;"
    "DELETE FROM temp.new_word; DELETE FROM temp.new_word_naf;";

/* For each word of at least SQ_STATS_MIN names: how many of them in each
 * NAF sub-class, read from the rowids of its postings. */
static ml_err search_word_stats(ml_db *db)
{
    sq_state *s = db->impl;
    ml_err r = ML_OK;
    sqlite3_stmt *words = NULL, *scan = NULL, *put = NULL;
    if (sqlite3_prepare_v2(s->sql, "SELECT word FROM temp.new_word WHERE n >= ?", -1, &words,
                           NULL) ||
        sqlite3_prepare_v2(s->sql, "SELECT rowid FROM etab_fts WHERE etab_fts MATCH ?", -1, &scan,
                           NULL) ||
        sqlite3_prepare_v2(s->sql, "INSERT INTO temp.new_word_naf(word, naf, n) VALUES(?, ?, ?)",
                           -1, &put, NULL)) {
        r = sq_fail(db, "count words by activity");
        goto out;
    }
    sqlite3_bind_int(words, 1, SQ_STATS_MIN);
    uint32_t counts[SQ_NAF_MASK + 1];
    char match[128];
    while (!r && sqlite3_step(words) == SQLITE_ROW) {
        const char *w = sq_col_text(words, 0);
        if (!w || strlen(w) > 64 || strchr(w, '"')) continue;
        memset(counts, 0, sizeof counts);
        ml_snprintf(match, sizeof match, "{name place} : \"%s\"", w);
        sqlite3_reset(scan);
        sqlite3_bind_text(scan, 1, match, -1, SQLITE_TRANSIENT);
        int rc;
        while ((rc = sqlite3_step(scan)) == SQLITE_ROW)
            counts[sqlite3_column_int64(scan, 0) & SQ_NAF_MASK]++;
        if (rc != SQLITE_DONE) r = sq_fail(db, "count words by activity");
        for (int k = 0; !r && k <= SQ_NAF_MASK; k++) {
            if (!counts[k]) continue;
            sqlite3_reset(put);
            sqlite3_bind_text(put, 1, w, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(put, 2, k);
            sqlite3_bind_int64(put, 3, counts[k]);
            if (sqlite3_step(put) != SQLITE_DONE) r = sq_fail(db, "count words by activity");
        }
    }
out:
    sqlite3_finalize(words);
    sqlite3_finalize(scan);
    sqlite3_finalize(put);
    return r;
}

/* ------------------------------------------------------------ staged updates */

/* An update of establishments over a database that holds some reads its
 * file under a snapshot (a read transaction: the server's writes go on, in
 * WAL), compares each row with the stored one, and stages only what changed
 * in temporary tables (on disk, bounded memory). run_end then takes the write
 * lock and writes the staged rows: the lock is held for the changes, not for
 * the whole file, and the other writers (the API) wait that long at most. */
static const char stage_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_seen(siret INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS stage_etab(" ETAB_COLUMNS ", processed);"
    "CREATE TEMP TABLE IF NOT EXISTS stage_unite_seen(siren INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS stage_unite(" UNITE_COLUMNS ");"
    "DELETE FROM temp.stage_seen; DELETE FROM temp.stage_etab;"
    "DELETE FROM temp.stage_unite_seen; DELETE FROM temp.stage_unite;";

static void stage_close(sq_state *s)
{
    s->staged = s->staged_run = s->maintain = false;
    free(s->cover);
    s->cover = NULL;
}

/* Notes the commune of a row read: the run covers it (import_cover). */
static void cover_mark(sq_state *s, const char *commune)
{
    if (!s->cover || !commune || !*commune) return;
    const sq_commune *c = sq_commune_find(s, commune);
    if (c) s->cover[c - s->communes] = 1;
}

static ml_err cover_save(ml_db *db, int64_t run)
{
    sq_state *s = db->impl;
    for (size_t i = 0; s->cover && i < s->ncommunes; i++) {
        if (!s->cover[i]) continue;
        sqlite3_stmt *st = sq_stmt(db, SQ_COVER_PUT);
        if (!st) return ML_DB;
        sqlite3_bind_text(st, 1, s->communes[i].code, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, run);
        if (sqlite3_step(st) != SQLITE_DONE) return sq_fail(db, "record the communes imported");
    }
    return ML_OK;
}

static const char stage_guard_sql[] =
    "SELECT coalesce(max(id), 0) FROM import_run WHERE kind IN ('sirene', 'unites')";

static ml_err stage_begin(ml_db *db, int64_t *run)
{
    sq_state *s = db->impl;
    ml_err r = sq_exec(db, "BEGIN DEFERRED");
    if (r || (r = sq_exec(db, stage_sql))) return r;
    /* The first read of the main database: the snapshot starts here. */
    int64_t guard = sq_scalar(db, stage_guard_sql);
    int64_t next = sq_scalar(db, "SELECT coalesce(max(id), 0) + 1 FROM import_run");
    if (guard < 0 || next < 0) return sq_fail(db, "read the import runs");
    s->staged = s->staged_run = true;
    s->staged_guard = guard;
    *run = next; /* for now: run_end records the run under its own number */
    return ML_OK;
}

/* The establishment in a row of SQ_STAGE_PUT's columns (ETAB_COLUMNS,
 * processed); its texts live until the next step. */
static void etab_from_row(sqlite3_stmt *st, ml_etab *e)
{
    sq_etab_at(st, e);
    e->state_since = sq_col_text(st, 24);
    e->processed = sq_col_text(st, 25);
}

static ml_err run_record(ml_db *db, const char *kind, const char *started, int64_t *run);
static ml_err sq_etab_put(ml_db *db, int64_t run, const ml_etab *e, ml_put_result *res);
static void bind_etab(sqlite3_stmt *st, int64_t run, int64_t ix, const ml_etab *e);
static bool etab_same(sqlite3_stmt *st, const ml_etab *e);
static ml_err sq_unite_put(ml_db *db, int64_t run, const ml_unite *u, ml_put_result *res);
static void unite_from_row(sqlite3_stmt *st, ml_unite *u);

/* The snapshot ends, the write lock is taken, and the staged rows are
 * written as any update writes them (compared again with the stored row:
 * what another writer changed in between is not lost). Another import of
 * establishments or units in between refuses the run. */
static ml_err stage_apply(ml_db *db, int64_t *run)
{
    sq_state *s = db->impl;
    double t0 = ml_now();
    ml_err r = sq_exec(db, "COMMIT");
    if (r || (r = sq_exec(db, "BEGIN IMMEDIATE"))) return r;
    int64_t guard = sq_scalar(db, stage_guard_sql);
    if (guard < 0) return sq_fail(db, "read the import runs");
    if (guard != s->staged_guard)
        return ml_fail(db->ctx, ML_BUSY,
                       "%s: another import of establishments or legal units ended while this one "
                       "was reading its file; nothing was changed: run this import again",
                       db->path);
    s->staged = false;
    if ((r = run_record(db, s->run_kind, s->staged_started, run))) return r;
    bool units = strcmp(s->run_kind, "unites") == 0;
    sqlite3_stmt *st = sq_prepare(db, units ? "SELECT " UNITE_COLUMNS " FROM temp.stage_unite"
                                              " ORDER BY rowid"
                                            : "SELECT " ETAB_COLUMNS ", processed"
                                              " FROM temp.stage_etab ORDER BY rowid");
    if (!st) return ML_DB;
    int rc;
    uint64_t n = 0;
    while (!r && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_put_result res;
        if (units) {
            ml_unite u;
            unite_from_row(st, &u);
            r = sq_unite_put(db, *run, &u, &res);
        } else {
            ml_etab e;
            etab_from_row(st, &e);
            r = sq_etab_put(db, *run, &e, &res);
        }
        n++;
    }
    if (!r && rc != SQLITE_DONE) r = sq_fail(db, "read the staged rows");
    sqlite3_finalize(st);
    if (!r) r = sq_exec(db, "DELETE FROM temp.stage_etab; DELETE FROM temp.stage_seen;"
                            "DELETE FROM temp.stage_unite; DELETE FROM temp.stage_unite_seen");
    ml_log(db->ctx, ML_LOG_DEBUG, "%llu staged changes written in %.2f s (write lock taken)",
           (unsigned long long)n, ml_now() - t0);
    return r;
}

/* Stages one establishment of an update: a SIRET read twice is a duplicate,
 * an unchanged one is only counted. */
static ml_put_result etab_change_kind(sqlite3_stmt *old, const ml_etab *e, const char **change);

static ml_err stage_etab(ml_db *db, const ml_etab *e, ml_put_result *res)
{
    sqlite3_stmt *st = sq_stmt(db, SQ_STAGE_SEEN);
    if (!st) return ML_DB;
    sqlite3_bind_int64(st, 1, e->siret);
    if (sqlite3_step(st) != SQLITE_DONE) return sq_fail(db, "stage establishment");
    if (sqlite3_changes(((sq_state *)db->impl)->sql) == 0) {
        *res = ML_PUT_DUPLICATE;
        return ML_OK;
    }
    if (!(st = sq_stmt(db, SQ_ETAB_OLD))) return ML_DB;
    sqlite3_bind_int64(st, 1, e->siret);
    int rc = sqlite3_step(st);
    *res = ML_PUT_NEW;
    if (rc == SQLITE_ROW) {
        const char *change;
        *res = etab_same(st, e) ? ML_PUT_UNCHANGED : etab_change_kind(st, e, &change);
    } else if (rc != SQLITE_DONE) {
        return sq_fail(db, "read establishment");
    }
    sqlite3_reset(st);
    if (*res == ML_PUT_UNCHANGED) return ML_OK;
    if (!(st = sq_stmt(db, SQ_STAGE_PUT))) return ML_DB;
    bind_etab(st, 0, 0, e);
    sq_bind_text(st, 26, e->processed);
    return sqlite3_step(st) == SQLITE_DONE ? ML_OK : sq_fail(db, "stage establishment");
}

/* After a staged update's commit: the search index merged back into one
 * segment (an AND then seeks one list per word), then its words counted,
 * each in short write transactions, so that the server's writes wait for one
 * step at most, not for a pass over the whole index. Searches in between
 * read the committed index, in several segments, with the same answers. */
#define SQ_MERGE_PAGES       2000 /* pages of the index merged per transaction */
#define SQ_MAINTAIN_PAUSE_MS 120  /* between two of those transactions */

static ml_err index_maintain(ml_db *db)
{
    sq_state *s = db->impl;
    double t0 = ml_now();
    char sql[160];
    ml_snprintf(sql, sizeof sql, "INSERT INTO etab_fts(etab_fts, rank) VALUES('merge', %d)",
                -SQ_MERGE_PAGES);
    ml_err r = ML_OK;
    int steps = 0;
    for (;;) {
        /* A pause before each step: a writer waiting for the lock (SQLite
         * polls at most every 100 ms) gets it before the next step does. */
        nanosleep(&(struct timespec){.tv_nsec = SQ_MAINTAIN_PAUSE_MS * 1000000L}, NULL);
        int before = sqlite3_total_changes(s->sql);
        if ((r = sq_exec(db, "BEGIN IMMEDIATE")) || (r = sq_exec(db, sql)) ||
            (r = sq_exec(db, "COMMIT")))
            goto fail;
        steps++;
        /* FTS5: fewer than two changes, nothing was left to merge. */
        if (sqlite3_total_changes(s->sql) - before < 2) break;
    }
    ml_log(db->ctx, ML_LOG_DEBUG, "search index merged in %d steps, %.2f s", steps,
           ml_now() - t0);
    t0 = ml_now();
    /* The counts are computed under a snapshot, then replace the old ones. */
    if ((r = sq_exec(db, "BEGIN DEFERRED")) || (r = sq_exec(db, search_words_sql)) ||
        (r = search_word_stats(db)) || (r = sq_exec(db, "COMMIT")))
        goto fail;
    nanosleep(&(struct timespec){.tv_nsec = SQ_MAINTAIN_PAUSE_MS * 1000000L}, NULL);
    if ((r = sq_exec(db, "BEGIN IMMEDIATE")) || (r = sq_exec(db, search_words_publish_sql)) ||
        (r = sq_exec(db, "COMMIT")))
        goto fail;
    ml_log(db->ctx, ML_LOG_DEBUG, "search words counted in %.2f s", ml_now() - t0);
    return ML_OK;
fail:;
    char why[ML_MESSAGE_MAX];
    ml_snprintf(why, sizeof why, "%s", ml_ctx_message(db->ctx));
    if (!sqlite3_get_autocommit(s->sql)) sqlite3_exec(s->sql, "ROLLBACK", NULL, NULL, NULL);
    return ml_fail(db->ctx, r,
                   "%s: the import is saved, but tidying its search index afterwards failed (%s): "
                   "searches still work; the next import that changes establishments tidies it",
                   db->path, why);
}

/* ------------------------------------------------------------------- runs */

/* The run's row in import_run (started: when it began, NULL = now), its
 * day, and the next dense number: inside the write transaction. */
static ml_err run_record(ml_db *db, const char *kind, const char *started, int64_t *run)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = sq_stmt(db, SQ_RUN_BEGIN);
    if (!st) return ML_DB;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    sq_bind_text(st, 2, started);
    if (sqlite3_step(st) != SQLITE_DONE) return sq_fail(db, "record import");
    *run = sqlite3_last_insert_rowid(s->sql);
    sqlite3_stmt *day = NULL;
    if (sqlite3_prepare_v2(s->sql, "SELECT date(started) FROM import_run WHERE id = ?", -1, &day,
                           NULL) != SQLITE_OK)
        return sq_fail(db, "record import");
    sqlite3_bind_int64(day, 1, *run);
    s->run_date[0] = '\0';
    if (sqlite3_step(day) == SQLITE_ROW && sq_col_text(day, 0))
        copy_code(s->run_date, sizeof s->run_date, sq_col_text(day, 0));
    sqlite3_finalize(day);
    return next_ix_load(db);
}

/* Opens the run's transaction: a write transaction, or for an update of
 * establishments a snapshot (stage_begin). */
static ml_err sq_run_begin(ml_db *db, const char *kind, int64_t *run)
{
    sq_state *s = db->impl;
    ml_err r = sq_cache_load(db);
    if (r || (r = index_functions(db)) || (r = sq_exec(db, index_queue_sql))) return r;
    if (s->ncommunes == 0 || s->nnaf == 0)
        return ml_fail(db->ctx, ML_ERROR,
                       "%s has no reference data (communes, NAF): run `maillage init` first",
                       db->path);
    stage_close(s);
    s->index_touched = s->bulk = s->reindex_all = false;
    s->run_started = ml_now();
    ml_snprintf(s->run_kind, sizeof s->run_kind, "%s", kind);
    bool etabs = strcmp(kind, "sirene") == 0, units = strcmp(kind, "unites") == 0;
    if (etabs && !(s->cover = calloc(s->ncommunes, 1)))
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    /* An update (of establishments or of legal units) is staged. */
    int64_t any = etabs   ? sq_scalar(db, "SELECT EXISTS (SELECT 1 FROM etab)")
                  : units ? sq_scalar(db, "SELECT EXISTS (SELECT 1 FROM unite)")
                          : 0;
    if (any < 0) return sq_fail(db, "read what the database holds");
    s->staged_started[0] = '\0';
    if (any == 1 && strcmp(db->path, ":memory:") != 0) {
        sqlite3_stmt *now = sq_prepare(db, "SELECT datetime('now')");
        if (!now) return ML_DB;
        if (sqlite3_step(now) == SQLITE_ROW && sq_col_text(now, 0))
            ml_snprintf(s->staged_started, sizeof s->staged_started, "%s", sq_col_text(now, 0));
        sqlite3_finalize(now);
        return stage_begin(db, run);
    }
    if ((r = leave_wal(db)) || (r = sq_exec(db, "BEGIN IMMEDIATE")) ||
        (r = run_record(db, kind, NULL, run)))
        return r;
    /* Establishments into an empty table: load first, index after. The
     * first legal units change every index row that has a unit: no queue,
     * the index is made again at the end (index_flush). */
    s->bulk = etabs && sq_scalar(db, "SELECT NOT EXISTS (SELECT 1 FROM etab)") == 1;
    s->reindex_all = units && any == 0;
    if (s->bulk && ((r = sq_exec(db, etab_index_drop_sql)) || (r = spill_open(db)))) return r;
    if (s->bulk) s->index_touched = true;
    /* A user vocabulary file replaces the previous one. */
    if (strcmp(kind, "vocabulary") == 0)
        return sq_exec(db, "DELETE FROM vocabulary WHERE source = 'user'");
    return ML_OK;
}

/* Seconds of CPU this process has used (both threads of an import). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static ml_err sq_run_end(ml_db *db, int64_t run, ml_import_stats *stt)
{
    sq_state *s = db->impl;
    double t0 = ml_now(), c0 = cpu_now();
    ml_log(db->ctx, ML_LOG_DEBUG, "rows read and %s in %.2f s (%.2f s CPU so far)",
           s->staged ? "compared" : "written", t0 - s->run_started, c0);
    ml_err r = s->staged ? stage_apply(db, &run) : ML_OK;
    if (r) return r;
    t0 = ml_now();
    c0 = cpu_now();
    if (s->bulk) {
        s->bulk = false;
        /* The big cache was for the rows: SQLite's sorter, which builds the
         * indexes, takes as much memory again. */
        if ((r = sq_exec(db, "PRAGMA cache_size=-131072")) ||
            (r = sq_exec(db, etab_index_create_sql)))
            return r;
        ml_log(db->ctx, ML_LOG_DEBUG, "indexes built in %.2f s (%.2f s CPU)", ml_now() - t0,
               cpu_now() - c0);
        t0 = ml_now();
        c0 = cpu_now();
        r = sq_exec(db, index_bulk_begin_sql);
        if (!r) r = spill_load(db);
        spill_close(s);
        if (!r) r = sq_exec(db, index_bulk_end_sql);
    } else if (s->index_touched) {
        r = index_flush(db);
    }
    ml_log(db->ctx, ML_LOG_DEBUG, "search index written in %.2f s (%.2f s CPU)", ml_now() - t0,
           cpu_now() - c0);
    if (r) return r;
    if (strcmp(s->run_kind, "vocabulary") == 0) {
        if ((r = sq_exec(db, lexicon_touch_sql))) return r;
    } else if ((strcmp(s->run_kind, "sirene") == 0 || strcmp(s->run_kind, "unites") == 0) &&
               s->index_touched) {
        /* (An update that changed no index row leaves the index and its
         * word counts as they are.) */
        if ((r = next_ix_save(db))) return r;
        /* A staged update merges the index and counts its words after its
         * commit, in short steps (sq_import_mode). */
        s->maintain = s->maintain || s->staged_run;
        if (!s->maintain) {
            t0 = ml_now();
            c0 = cpu_now();
            if ((r = sq_exec(db, index_optimize_sql))) return r;
            ml_log(db->ctx, ML_LOG_DEBUG, "search index merged in %.2f s (%.2f s CPU)",
                   ml_now() - t0, cpu_now() - c0);
            t0 = ml_now();
            c0 = cpu_now();
            if ((r = sq_exec(db, search_words_sql)) || (r = search_word_stats(db)) ||
                (r = sq_exec(db, search_words_publish_sql)))
                return r;
            ml_log(db->ctx, ML_LOG_DEBUG, "search words counted in %.2f s (%.2f s CPU)",
                   ml_now() - t0, cpu_now() - c0);
        }
    }
    if (strcmp(s->run_kind, "sirene") == 0 && (r = cover_save(db, run))) return r;
    sqlite3_stmt *st = sq_stmt(db, SQ_RUN_END);
    if (!st) return ML_DB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)stt->rows);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)stt->imported);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)stt->rejected);
    if (strcmp(s->run_kind, "sirene") == 0) {
        sqlite3_bind_int64(st, 4, (sqlite3_int64)stt->added);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)stt->modified);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)stt->closed);
        sqlite3_bind_int64(st, 7, (sqlite3_int64)stt->unchanged);
    }
    sqlite3_bind_int64(st, 8, run);
    if (sqlite3_step(st) != SQLITE_DONE) return sq_fail(db, "record import");
    return ML_OK;
}

static void bind_etab(sqlite3_stmt *st, int64_t run, int64_t ix, const ml_etab *e)
{
    char diffusion[2] = {e->diffusion, 0}, state[2] = {e->state, 0};
    int i = 1;
    sqlite3_bind_int64(st, i++, e->siret);
    sqlite3_bind_int64(st, i++, e->siren);
    sqlite3_bind_text(st, i++, diffusion, 1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, i++, state, 1, SQLITE_TRANSIENT);
    sq_bind_text(st, i++, e->created);
    sq_bind_text(st, i++, e->size_band);
    if (e->size_year) sqlite3_bind_int(st, i, e->size_year);
    i++;
    sqlite3_bind_int(st, i++, e->head_office);
    sq_bind_text(st, i++, e->sign);
    sq_bind_text(st, i++, e->usual_name);
    sq_bind_text(st, i++, e->address);
    sq_bind_text(st, i++, e->postcode);
    sq_bind_text(st, i++, e->city);
    sq_bind_text(st, i++, e->commune);
    sq_bind_text(st, i++, e->naf);
    sq_bind_text(st, i++, e->naf_raw);
    sq_bind_text(st, i++, e->naf25);
    sq_bind_text(st, i++, e->employer);
    if (e->geo != ML_GEO_NONE) {
        sqlite3_bind_double(st, i, e->lat);
        sqlite3_bind_double(st, i + 1, e->lon);
    }
    i += 2;
    sqlite3_bind_int(st, i++, (int)e->geo);
    sqlite3_bind_int(st, i++, e->generated);
    sqlite3_bind_int64(st, i++, run);
    sqlite3_bind_int64(st, i++, ix);
    sq_bind_text(st, i++, e->state_since);
}

/* Is a text column what an establishment's field would store (sq_bind_text
 * stores NULL for NULL and "")? */
static bool text_same(sqlite3_stmt *st, int i, const char *v)
{
    const char *old = sq_col_text(st, i);
    bool none = !v || !*v;
    return old && *old ? !none && strcmp(old, v) == 0 : none;
}

static bool int_same(sqlite3_stmt *st, int i, int64_t v, bool null_if_zero)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return null_if_zero && v == 0;
    return sqlite3_column_int64(st, i) == v && !(null_if_zero && v == 0);
}

/* Whether the row SQ_ETAB_OLD read is `e` exactly, as bind_etab would
 * store it (doubles compare exactly: the same conversion gives the same bits). */
static bool etab_same(sqlite3_stmt *st, const ml_etab *e)
{
    char diffusion[2] = {e->diffusion, 0}, state[2] = {e->state, 0};
    bool placed = e->geo != ML_GEO_NONE;
    bool lat_same = placed ? sqlite3_column_type(st, 18) == SQLITE_FLOAT &&
                                 sqlite3_column_double(st, 18) == e->lat &&
                                 sqlite3_column_type(st, 19) == SQLITE_FLOAT &&
                                 sqlite3_column_double(st, 19) == e->lon
                           : sqlite3_column_type(st, 18) == SQLITE_NULL &&
                                 sqlite3_column_type(st, 19) == SQLITE_NULL;
    return text_same(st, 2, diffusion) && text_same(st, 3, state) && text_same(st, 4, e->created) &&
           text_same(st, 5, e->size_band) && int_same(st, 6, e->size_year, true) &&
           int_same(st, 7, e->head_office, false) && text_same(st, 8, e->sign) &&
           text_same(st, 9, e->usual_name) && text_same(st, 10, e->address) &&
           text_same(st, 11, e->postcode) && text_same(st, 12, e->city) &&
           text_same(st, 13, e->commune) && text_same(st, 14, e->naf) &&
           text_same(st, 15, e->naf_raw) && text_same(st, 16, e->naf25) &&
           text_same(st, 17, e->employer) && lat_same && int_same(st, 20, (int64_t)e->geo, false) &&
           int_same(st, 21, e->generated, false) && text_same(st, 22, e->state_since);
}

/* Keeps what an update changed about an establishment, with its date. */
static ml_err change_put(ml_db *db, int64_t run, const ml_etab *e, const char *change)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = sq_stmt(db, SQ_CHANGE_PUT);
    if (!st) return ML_DB;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, e->siret);
    sqlite3_bind_text(st, 3, change, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, s->run_date, -1, SQLITE_STATIC);
    sq_bind_text(st, 5, e->processed);
    return sqlite3_step(st) == SQLITE_DONE ? ML_OK : sq_fail(db, "record a change");
}

/* What replacing the row SQ_ETAB_OLD read (another than e) by e is, with the
 * change's name. */
static ml_put_result etab_change_kind(sqlite3_stmt *old, const ml_etab *e, const char **change)
{
    const char *old_state = sq_col_text(old, 3);
    bool was_open = old_state && old_state[0] == 'A';
    ml_put_result res = was_open && e->state == 'F' ? ML_PUT_CLOSED : ML_PUT_REPLACED;
    *change = res == ML_PUT_CLOSED           ? "closed"
              : !was_open && e->state == 'A' ? "reopened"
                                             : "modified";
    return res;
}

/* A plain INSERT first: in a first import almost every SIRET is new, and the
 * primary key refuses the others, which are then looked at one by one: an
 * establishment that did not change is not written again (an update's
 * time goes with its file, its writes with what changed). */
static ml_err sq_etab_put(ml_db *db, int64_t run, const ml_etab *e, ml_put_result *res)
{
    sq_state *s = db->impl;
    cover_mark(s, e->commune);
    if (s->staged) return stage_etab(db, e, res);
    *res = ML_PUT_NEW;
    sqlite3_stmt *st = sq_stmt(db, SQ_ETAB_INSERT);
    if (!st) return ML_DB;
    if (s->next_ix > SQ_IX_MAX)
        return ml_fail(db->ctx, ML_LIMIT, "%s: more than %lld establishments", db->path,
                       (long long)SQ_IX_MAX);
    bind_etab(st, run, s->next_ix, e);
    int rc = sqlite3_step(st);
    int64_t ix = s->next_ix;
    const char *change = "new";
    if (rc == SQLITE_DONE) s->next_ix++;
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
        sqlite3_reset(st);
        st = sq_stmt(db, SQ_ETAB_OLD);
        if (!st) return ML_DB;
        sqlite3_bind_int64(st, 1, e->siret);
        if (sqlite3_step(st) != SQLITE_ROW) return sq_fail(db, "read establishment");
        if (sqlite3_column_int64(st, 0) == run) {
            sqlite3_reset(st);
            *res = ML_PUT_DUPLICATE;
            return ML_OK;
        }
        if (etab_same(st, e)) {
            /* Marked as seen by this run: a second row of it is a duplicate. */
            sqlite3_reset(st);
            *res = ML_PUT_UNCHANGED;
            st = sq_stmt(db, SQ_ETAB_SEEN);
            if (!st) return ML_DB;
            sqlite3_bind_int64(st, 1, run);
            sqlite3_bind_int64(st, 2, e->siret);
            return sqlite3_step(st) == SQLITE_DONE ? ML_OK : sq_fail(db, "write establishment");
        }
        *res = etab_change_kind(st, e, &change);
        /* A replaced establishment keeps its number. */
        if (sqlite3_column_type(st, 1) == SQLITE_INTEGER)
            ix = sqlite3_column_int64(st, 1);
        else
            ix = s->next_ix++;
        sqlite3_reset(st);
        /* The old index row goes, under its old rank. */
        ml_err r = index_queue(db, SQ_FTS_GONE_ETAB, SQ_STMT_COUNT, e->siret);
        if (r) return r;
        st = sq_stmt(db, SQ_ETAB_REPLACE);
        if (!st) return ML_DB;
        bind_etab(st, run, ix, e);
        rc = sqlite3_step(st);
    }
    if (rc != SQLITE_DONE) return sq_fail(db, "write establishment");
    if (!s->bulk) {
        ml_err r = change_put(db, run, e, change);
        if (r) return r;
    }
    if (e->diffusion != 'O') return ML_OK;
    if (s->bulk) return spill_put(db, ix, e);
    return index_queue(db, SQ_STMT_COUNT, SQ_FTS_TODO_ETAB, e->siret);
}

static void bind_unite(sqlite3_stmt *st, int64_t run, const ml_unite *u)
{
    char diffusion[2] = {u->diffusion, 0}, state[2] = {u->state, 0};
    int i = 1;
    sqlite3_bind_int64(st, i++, u->siren);
    sqlite3_bind_text(st, i++, diffusion, 1, SQLITE_TRANSIENT);
    if (state[0]) sqlite3_bind_text(st, i, state, 1, SQLITE_TRANSIENT);
    i++;
    sq_bind_text(st, i++, u->name);
    sq_bind_text(st, i++, u->acronym);
    sq_bind_text(st, i++, u->category);
    if (u->category_year) sqlite3_bind_int(st, i, u->category_year);
    i++;
    sq_bind_text(st, i++, u->legal_form);
    sq_bind_text(st, i++, u->naf);
    sq_bind_text(st, i++, u->created);
    sq_bind_text(st, i++, u->ess);
    sqlite3_bind_int(st, i++, u->generated);
    sqlite3_bind_int64(st, i++, run);
}

/* Whether the row SQ_UNITE_OLD read is u exactly, as bind_unite stores it;
 * and whether its establishments' index rows stay the same (they hold the
 * name and acronym of a unit whose diffusion is O). */
static bool unite_same(sqlite3_stmt *st, const ml_unite *u, bool *words_same)
{
    char diffusion[2] = {u->diffusion, 0}, state[2] = {u->state, 0};
    *words_same = text_same(st, 1, diffusion) && text_same(st, 3, u->name) &&
                  text_same(st, 4, u->acronym);
    return *words_same && text_same(st, 2, state) && text_same(st, 5, u->category) &&
           int_same(st, 6, u->category_year, true) && text_same(st, 7, u->legal_form) &&
           text_same(st, 8, u->naf) && text_same(st, 9, u->created) &&
           text_same(st, 10, u->ess) && int_same(st, 11, u->generated, false);
}

/* The legal unit in a row of UNITE_COLUMNS, as stored (a view reads no
 * state as ceased); its texts live until the next step. */
static void unite_from_row(sqlite3_stmt *st, ml_unite *u)
{
    const char *state = sq_col_text(st, 2);
    *u = sq_unite_at(st, 0);
    u->state = state ? state[0] : 0;
}

/* Stages one legal unit of an update (as stage_etab). */
static ml_err stage_unite(ml_db *db, const ml_unite *u, ml_put_result *res)
{
    sqlite3_stmt *st = sq_stmt(db, SQ_STAGE_UNITE_SEEN);
    if (!st) return ML_DB;
    sqlite3_bind_int64(st, 1, u->siren);
    if (sqlite3_step(st) != SQLITE_DONE) return sq_fail(db, "stage legal unit");
    if (sqlite3_changes(((sq_state *)db->impl)->sql) == 0) {
        *res = ML_PUT_DUPLICATE;
        return ML_OK;
    }
    if (!(st = sq_stmt(db, SQ_UNITE_OLD))) return ML_DB;
    sqlite3_bind_int64(st, 1, u->siren);
    int rc = sqlite3_step(st);
    bool words_same;
    *res = rc == SQLITE_ROW ? (unite_same(st, u, &words_same) ? ML_PUT_UNCHANGED : ML_PUT_REPLACED)
                            : ML_PUT_NEW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sq_fail(db, "read legal unit");
    sqlite3_reset(st);
    if (*res == ML_PUT_UNCHANGED) return ML_OK;
    if (!(st = sq_stmt(db, SQ_STAGE_UNITE_PUT))) return ML_DB;
    bind_unite(st, 0, u);
    return sqlite3_step(st) == SQLITE_DONE ? ML_OK : sq_fail(db, "stage legal unit");
}

/* A unit that did not change is not written again; one whose name, acronym
 * or diffusion changed has its establishments' index rows redone. */
static ml_err sq_unite_put(ml_db *db, int64_t run, const ml_unite *u, ml_put_result *res)
{
    sq_state *s = db->impl;
    if (s->staged) return stage_unite(db, u, res);
    sqlite3_stmt *st = sq_stmt(db, SQ_UNITE_OLD);
    if (!st) return ML_DB;
    sqlite3_bind_int64(st, 1, u->siren);
    int rc = sqlite3_step(st);
    bool words_same = false;
    *res = ML_PUT_NEW;
    if (rc == SQLITE_ROW) {
        *res = sqlite3_column_int64(st, 0) == run ? ML_PUT_DUPLICATE
               : unite_same(st, u, &words_same)   ? ML_PUT_UNCHANGED
                                                  : ML_PUT_REPLACED;
    } else if (rc != SQLITE_DONE) {
        return sq_fail(db, "read legal unit");
    }
    sqlite3_reset(st);
    if (*res == ML_PUT_DUPLICATE) return ML_OK;
    if (*res == ML_PUT_UNCHANGED) {
        /* Marked as read by this run: a second row of it is a duplicate. */
        if (!(st = sq_stmt(db, SQ_UNITE_SEEN))) return ML_DB;
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_int64(st, 2, u->siren);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "write legal unit");
    }
    if (!(st = sq_stmt(db, SQ_UNITE_PUT))) return ML_DB;
    bind_unite(st, run, u);
    if (sqlite3_step(st) != SQLITE_DONE) return sq_fail(db, "write legal unit");
    /* The unit's name is in its establishments' index rows. */
    if (s->reindex_all) {
        s->index_touched = true;
        return ML_OK;
    }
    return words_same ? ML_OK : index_queue(db, SQ_FTS_GONE_UNITE, SQ_FTS_TODO_UNITE, u->siren);
}

/* ------------------------------------------------------ search maintenance */

ml_err sq_search_rebuild(ml_db *db)
{
    double t0 = ml_now();
    ml_log(db->ctx, ML_LOG_INFO, "%s: filling the search index again (once, after an upgrade)",
           db->path);
    ml_err r = sq_exec(db, "BEGIN IMMEDIATE");
    if (r) return r;
    if ((r = sq_cache_load(db)) || (r = index_functions(db))) goto fail;
    /* Every establishment gets its dense number, in SIRET order. */
    if ((r = sq_exec(db, "UPDATE etab SET ix = n.r FROM (SELECT siret, row_number() OVER"
                         " (ORDER BY siret) + (SELECT coalesce(max(ix), 0) FROM etab) AS r"
                         " FROM etab WHERE ix IS NULL) n WHERE etab.siret = n.siret")) ||
        (r = sq_exec(db, "DELETE FROM etab_fts")) || (r = sq_exec(db, index_bulk_sql)) ||
        (r = sq_exec(db, index_optimize_sql)) || (r = sq_exec(db, search_words_sql)) ||
        (r = search_word_stats(db)) || (r = sq_exec(db, search_words_publish_sql)) ||
        (r = next_ix_load(db)) || (r = next_ix_save(db)) ||
        (r = sq_exec(db, "DELETE FROM meta WHERE key = 'search_index'")) ||
        (r = sq_set_meta(db, "search_fold", ML_FOLD_VERSION)) ||
        (r = sq_exec(db, lexicon_touch_sql)) || (r = sq_exec(db, "COMMIT")))
        goto fail;
    ml_log(db->ctx, ML_LOG_INFO, "%s: search index filled in %.1f s", db->path, ml_now() - t0);
    return ML_OK;
fail:
    sqlite3_exec(((sq_state *)db->impl)->sql, "ROLLBACK", NULL, NULL, NULL);
    return r;
}

ml_err sq_ref_scan(ml_db *db, ml_ref_table t, ml_row_fn fn, void *ud)
{
    sq_state *s = db->impl;
    char sql[256];
    ml_snprintf(sql, sizeof sql, "SELECT %s FROM %s", ref_tables[t].columns, ref_tables[t].table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, ref_tables[t].table);
    const char *f[16];
    size_t n = ref_tables[t].ncolumns;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < n && i < ML_ARRAY_LEN(f); i++)
            f[i] = sq_col_text(st, (int)i);
        if (fn(ud, f, n)) {
            sqlite3_finalize(st);
            return ml_fail(db->ctx, ML_NOMEM, "out of memory");
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, ref_tables[t].table);
}

ml_err sq_word_complete(ml_db *db, const char *prefix, unsigned max, ml_word_fn fn, void *ud)
{
    sq_state *s = db->impl;
    size_t n = strlen(prefix);
    if (n == 0 || n > 60) return ML_OK;
    char upper[64];
    memcpy(upper, prefix, n + 1);
    upper[n - 1] = (char)(upper[n - 1] + 1);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT word FROM search_word WHERE word >= ?1 AND word < ?2"
                           " ORDER BY n DESC LIMIT ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "complete a word");
    sqlite3_bind_text(st, 1, prefix, (int)n, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, upper, (int)n, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, (int)max);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ud, sq_col_text(st, 0))) break;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ML_OK : sq_fail(db, "complete a word");
}

const ml_store_backend ml_sqlite_backend = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .import_mode = sq_import_mode,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .data_stamp = sq_data_stamp,
    .account_sql = sq_account_sql,
    .programme_sql = sq_programme_sql, /* issue 13 */
    .event_sql = sq_event_sql,         /* events (issue 14) */
    .set_meta = sq_set_meta,
    .meta_get = sq_meta_get,
    .ref_scan = sq_ref_scan,
    .word_complete = sq_word_complete,
    .ref_clear = sq_ref_clear,
    .ref_put = sq_ref_put,
    .commune_known = sq_commune_known,
    .naf_known = sq_naf_known,
    .run_begin = sq_run_begin,
    .run_end = sq_run_end,
    .etab_put = sq_etab_put,
    .unite_put = sq_unite_put,
    .info = sq_info,
    .search = sq_search,
    .etab_get = sq_etab_get,
    .unit_etabs = sq_unit_etabs,
    .unite_get = sq_unite_get,
    .unit_active = sq_unit_active,
    .legal_form_label = sq_legal_form_label,
    .naf_levels = sq_naf_levels,
    .commune_chain = sq_commune_chain,
    .place = sq_place,
    .place_size = sq_place_size,
    .place_cells = sq_place_cells,
    .perimeter_put = sq_perimeter_put,
    .perimeter_delete = sq_perimeter_delete,
    .perimeter_list = sq_perimeter_list,
    .activity_cells = sq_activity_cells,
    .place_years = sq_place_years,
    .place_coverage = sq_place_coverage,
    .place_leaders = sq_place_leaders,
    .run_finished = sq_run_finished,
    .level_label = sq_level_label,
    .snapshot_scan = sq_snapshot_scan,
    .memberships = sq_memberships,
    .io_classes = sq_io_classes,
    .io_a38 = sq_io_a38,
    .profile_put = sq_profile_put,
    .profile_words = sq_profile_words,
    .profile_df = sq_profile_df,
    .profile_candidates = sq_profile_candidates,
    .verdict_put = sq_verdict_put,
    .verdicts = sq_verdicts,
    .network_put = sq_network_put,
    .network_get = sq_network_get,
    .network_list = sq_network_list,
    .profile_texts = sq_profile_texts,
    .place_children = sq_place_children,
    .place_etabs = sq_place_etabs,
    .map_rows = sq_map_rows,
    .place_communes = sq_place_communes,
    /* history (issue 11) */
    .contact_put = sq_contact_put,
    .contact_touch = sq_contact_touch,
    .contact_delete = sq_contact_delete,
    .contacts = sq_contacts,
    .interaction_put = sq_interaction_put,
    .interactions = sq_interactions,
    .need_put = sq_need_put,
    .needs = sq_needs,
    .followup_put = sq_followup_put,
    .followup_done = sq_followup_done,
    .followups = sq_followups,
    .document_put = sq_document_put,
    .documents = sq_documents,
    .erasure_put = sq_erasure_put,
    .erasures = sq_erasures,
    .etab_changes = sq_etab_changes,
    .verdict_put_by = sq_verdict_put_by,
    .verdict_rows = sq_verdict_rows,
    .location_cells = sq_location_cells,
};
