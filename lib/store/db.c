/* db.c — the public database calls: open through the backend table, load the
 * shipped reference data, and the read entry points. */
#include "ingest/csv.h"
#include "store/store.h"

ml_err ml_db_open(ml_ctx *ctx, const char *path, unsigned flags, ml_db **out)
{
    *out = NULL;
    if (!path || !*path) return ml_fail(ctx, ML_INVALID, "no database path given");
    ml_db *db = calloc(1, sizeof *db);
    if (!db) return ml_fail(ctx, ML_NOMEM, "out of memory");
    db->ctx = ctx;
    db->be = &ml_sqlite_backend;
    db->path = ml_strdup(path);
    if (!db->path) {
        free(db);
        return ml_fail(ctx, ML_NOMEM, "out of memory");
    }
    ml_err r = db->be->open(db, path, flags);
    if (r) {
        ml_db_close(db);
        return r;
    }
    *out = db;
    return ML_OK;
}

void ml_db_close(ml_db *db)
{
    if (!db) return;
    db->be->close(db);
    free(db->path);
    free(db);
}

ml_ctx *ml_db_ctx(ml_db *db)
{
    return db->ctx;
}

/* ------------------------------------------------------------ reference data */

typedef struct ref_load {
    ml_db *db;
    const char *file;
    ml_ref_table table;
    const char *header;    /* expected header line, comma-joined */
    int year;              /* for wide input-output tables */
    char branches[64][12]; /* their column headers */
    size_t nbranches;
    uint64_t rows;
    ml_err err;
} ref_load;

static int header_matches(const ml_csv_row *row, const char *expected)
{
    const char *p = expected;
    for (size_t i = 0; i < row->nfields; i++) {
        size_t n = strcspn(p, ",");
        if (n != row->lens[i] || memcmp(p, row->fields[i], n) != 0) return 0;
        p += n;
        if (*p == ',')
            p++;
        else
            return i + 1 == row->nfields;
    }
    return *p == '\0';
}

static int ref_row(void *ud, const ml_csv_row *row)
{
    ref_load *L = ud;
    ml_ctx *ctx = L->db->ctx;
    if (row->index == 0) {
        if (L->table == ML_REF_IO_USE) {
            if (row->nfields < 2 || row->nfields > 64 || strcmp(row->fields[0], "product") != 0)
                goto bad_header;
            for (size_t i = 1; i < row->nfields; i++)
                ml_snprintf(L->branches[i - 1], sizeof L->branches[0], "%s", row->fields[i]);
            L->nbranches = row->nfields - 1;
            return 0;
        }
        if (!header_matches(row, L->header)) goto bad_header;
        return 0;
    }
    if (!row->complete) {
        L->err = ml_fail(ctx, ML_FORMAT, "%s: line %llu: truncated row", L->file,
                         (unsigned long long)row->line);
        return 1;
    }
    ml_err r;
    if (L->table == ML_REF_IO_USE) {
        if (row->nfields != L->nbranches + 1) goto bad_row;
        char year[8];
        ml_snprintf(year, sizeof year, "%d", L->year);
        for (size_t i = 0; i < L->nbranches; i++) {
            const char *f[4] = {year, row->fields[0], L->branches[i], row->fields[i + 1]};
            if ((r = L->db->be->ref_put(L->db, L->table, f, 4))) goto fail;
        }
    } else if (L->year) {
        /* A long table of one year: the year comes first in the database. */
        const char *f[16];
        char year[8];
        if (row->nfields + 1 > ML_ARRAY_LEN(f)) goto bad_row;
        ml_snprintf(year, sizeof year, "%d", L->year);
        f[0] = year;
        memcpy(f + 1, row->fields, row->nfields * sizeof *f);
        if ((r = L->db->be->ref_put(L->db, L->table, f, row->nfields + 1))) {
            if (r == ML_FORMAT) goto bad_row;
            goto fail;
        }
    } else {
        if ((r = L->db->be->ref_put(L->db, L->table, row->fields, row->nfields))) {
            if (r == ML_FORMAT) goto bad_row;
            goto fail;
        }
    }
    L->rows++;
    return 0;
bad_header:
    L->err = ml_fail(ctx, ML_FORMAT, "%s: line 1: unexpected header (expected %s)", L->file,
                     L->header ? L->header : "product,<A38 branches>");
    return 1;
bad_row:
    L->err = ml_fail(ctx, ML_FORMAT, "%s: line %llu: %zu fields, not the expected number", L->file,
                     (unsigned long long)row->line, row->nfields);
    return 1;
fail:
    L->err = r;
    return 1;
}

static const struct {
    const char *file;
    ml_ref_table table;
    const char *header;
    int year;
} ref_files[] = {
    {"geo/regions.csv", ML_REF_REGION, "code,name", 0},
    {"geo/departements.csv", ML_REF_DEPARTEMENT, "code,region,name", 0},
    {"geo/epci.csv", ML_REF_EPCI, "code,name,type", 0},
    {"geo/communes.csv", ML_REF_COMMUNE,
     "code,name,type,departement,region,epci,parent,population,lat,lon", 0},
    {"naf/naf.csv", ML_REF_NAF, "code,label,a615,a272,a129,a88,a64,a38,a21,a10", 0},
    {"naf/levels.csv", ML_REF_NAF_LEVEL, "level,code,label_fr,label_en", 0},
    {"io/tei_domestic_2015_a38.csv", ML_REF_IO_USE, NULL, 2015},
    {"io/tei_domestic_2016_a38.csv", ML_REF_IO_USE, NULL, 2016},
    {"io/tei_domestic_2017_a38.csv", ML_REF_IO_USE, NULL, 2017},
    {"io/tei_domestic_2018_a38.csv", ML_REF_IO_USE, NULL, 2018},
    {"io/tei_domestic_2019_a38.csv", ML_REF_IO_USE, NULL, 2019},
    {"io/branch_accounts_a38.csv", ML_REF_IO_BRANCH, "year,branch,output,intermediate_consumption",
     0},
    {"io/naf_class_io_2019.csv", ML_REF_IO_CLASS,
     "supplier,buyer,weight,ic_share,resale_share,general", 2019},
    {"io/general_inputs.csv", ML_REF_IO_GENERAL, "class,group_fr,group_en", 0},
    {"io/trade_resale.csv", ML_REF_IO_RESALE, "trade_class,goods_fr,goods_en,makers,wholesalers",
     0},
    {"naf/sirene_strasbourg_2018_counts.csv", ML_REF_NAF_SAMPLE, "subclass,band,establishments", 0},
    {"naf/sector_groups_2026.csv", ML_REF_NAF_GROUPS, "area,group,share", 0},
};

ml_err ml_db_init(ml_db *db)
{
    ml_ctx *ctx = db->ctx;
    const char *dir = ml_ctx_datadir(ctx);
    ml_err r = db->be->begin(db);
    if (r) return r;
    if ((r = db->be->ref_clear(db))) goto fail;
    for (size_t i = 0; i < ML_ARRAY_LEN(ref_files); i++) {
        char path[4096];
        if (ml_snprintf(path, sizeof path, "%s/%s", dir, ref_files[i].file)) {
            r = ml_fail(ctx, ML_LIMIT, "data directory path too long");
            goto fail;
        }
        ref_load L = {.db = db,
                      .file = path,
                      .table = ref_files[i].table,
                      .header = ref_files[i].header,
                      .year = ref_files[i].year};
        r = ml_csv_parse_file(ctx, path, NULL, ref_row, &L);
        if (r == ML_INTERRUPTED) r = L.err;
        if (!r && L.rows == 0) r = ml_fail(ctx, ML_FORMAT, "%s: no data rows", path);
        if (r) goto fail;
        ml_log(ctx, ML_LOG_INFO, "%s: %llu rows", ref_files[i].file, (unsigned long long)L.rows);
    }
    if ((r = db->be->set_meta(db, "reference_data", dir)) ||
        (r = db->be->set_meta(db, "maillage_version", ML_VERSION)))
        goto fail;
    return db->be->commit(db);
fail:
    db->be->rollback(db);
    return r;
}

ml_err ml_db_info(ml_db *db, json_t **out)
{
    return db->be->info(db, out);
}

/* ----------------------------------------------------------------------- reads */

ml_err ml_search(ml_db *db, const ml_search_query *q, json_t **out)
{
    *out = NULL;
    return db->be->search(db, q, out);
}

ml_err ml_show(ml_db *db, const char *siret, json_t **out)
{
    *out = NULL;
    size_t n = siret ? strlen(siret) : 0;
    if (!ml_siret_valid(siret, n))
        return ml_fail(db->ctx, ML_INVALID,
                       "'%s' is not a valid SIRET (14 digits with a valid "
                       "checksum)",
                       siret ? siret : "");
    int64_t v = 0;
    ml_parse_i64(siret, n, 0, INT64_MAX, &v);
    return db->be->show(db, v, out);
}

ml_err ml_territory_summary(ml_db *db, const char *code, json_t **out)
{
    *out = NULL;
    return db->be->territory(db, code, out);
}

ml_err ml_company(ml_db *db, const char *siren, json_t **out)
{
    *out = NULL;
    size_t n = siren ? strlen(siren) : 0;
    int64_t v = 0;
    if (!(ml_siren_valid(siren, n) || (n == 9 && strcmp(siren, "356000000") == 0)) ||
        ml_parse_i64(siren, n, 0, INT64_MAX, &v))
        return ml_fail(db->ctx, ML_INVALID,
                       "'%s' is not a valid SIREN (9 digits with a valid "
                       "checksum)",
                       siren ? siren : "");
    return db->be->company(db, v, out);
}

ml_err ml_territory_children(ml_db *db, const char *parent, json_t **out)
{
    *out = NULL;
    return db->be->territory_children(db, parent, out);
}

ml_err ml_map_points(ml_db *db, const char *territory, const char *naf, unsigned limit,
                     json_t **out)
{
    *out = NULL;
    if (limit == 0 || limit > 100000)
        return ml_fail(db->ctx, ML_INVALID, "limit must be from 1 to 100000");
    if (naf &&
        (strlen(naf) > 8 || strspn(naf, "0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(naf)))
        return ml_fail(db->ctx, ML_INVALID, "invalid NAF code '%s'", naf);
    return db->be->map_points(db, territory, naf, limit, out);
}

ml_err ml_territory_communes(ml_db *db, const char *territory, json_t **out)
{
    *out = NULL;
    return db->be->territory_communes(db, territory, out);
}
