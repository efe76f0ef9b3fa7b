/* db.c — the public database calls: open through the backend table, load the
 * shipped reference data, and the read entry points. */
#include "ingest/csv.h"
#include "search/search.h"
#include "store/store.h"

/* The engine a database name selects: a postgresql:// or postgres:// URL
 * (libpq's connection URI) is a PostgreSQL database, anything else a file. */
static const ml_store_backend *backend_for(const char *path)
{
    if (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0)
        return &ml_pg_backend;
    return &ml_sqlite_backend;
}

ml_err ml_db_open(ml_ctx *ctx, const char *path, unsigned flags, ml_db **out)
{
    *out = NULL;
    if (!path || !*path) return ml_fail(ctx, ML_INVALID, "no database path given");
    ml_db *db = calloc(1, sizeof *db);
    if (!db) return ml_fail(ctx, ML_NOMEM, "out of memory");
    db->ctx = ctx;
    db->be = backend_for(path);
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
    ml_lexicon_free(db->lexicon);
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
    const char *source;    /* appended as the last field (vocabulary files) */
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
    } else if (L->source) {
        const char *f[8];
        if (row->nfields + 1 > ML_ARRAY_LEN(f)) goto bad_row;
        memcpy(f, row->fields, row->nfields * sizeof *f);
        f[row->nfields] = L->source;
        if ((r = L->db->be->ref_put(L->db, L->table, f, row->nfields + 1))) {
            if (r == ML_FORMAT) goto bad_row;
            goto fail;
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
    const char *source;
} ref_files[] = {
    {"geo/regions.csv", ML_REF_REGION, "code,name", 0, NULL},
    {"geo/departements.csv", ML_REF_DEPARTEMENT, "code,region,name", 0, NULL},
    {"geo/epci.csv", ML_REF_EPCI, "code,name,type", 0, NULL},
    {"geo/communes.csv", ML_REF_COMMUNE,
     "code,name,type,departement,region,epci,parent,population,lat,lon", 0, NULL},
    {"naf/naf.csv", ML_REF_NAF, "code,label,a615,a272,a129,a88,a64,a38,a21,a10", 0, NULL},
    {"naf/levels.csv", ML_REF_NAF_LEVEL, "level,code,label_fr,label_en", 0, NULL},
    {"io/tei_domestic_2015_a38.csv", ML_REF_IO_USE, NULL, 2015, NULL},
    {"io/tei_domestic_2016_a38.csv", ML_REF_IO_USE, NULL, 2016, NULL},
    {"io/tei_domestic_2017_a38.csv", ML_REF_IO_USE, NULL, 2017, NULL},
    {"io/tei_domestic_2018_a38.csv", ML_REF_IO_USE, NULL, 2018, NULL},
    {"io/tei_domestic_2019_a38.csv", ML_REF_IO_USE, NULL, 2019, NULL},
    {"io/branch_accounts_a38.csv", ML_REF_IO_BRANCH, "year,branch,output,intermediate_consumption",
     0, NULL},
    /* year = its INSEE layer's: total intermediate uses of 2018 (methods.md) */
    {"io/naf_class_io_2018.csv", ML_REF_IO_CLASS,
     "supplier,buyer,weight,ic_share,resale_share,general", 2018, NULL},
    {"io/general_inputs.csv", ML_REF_IO_GENERAL, "class,group_fr,group_en", 0, NULL},
    {"io/trade_resale.csv", ML_REF_IO_RESALE, "trade_class,goods_fr,goods_en,makers,wholesalers", 0,
     NULL},
    {"naf/sirene_strasbourg_2018_counts.csv", ML_REF_NAF_SAMPLE, "subclass,band,establishments", 0,
     NULL},
    {"naf/sector_groups_2026.csv", ML_REF_NAF_GROUPS, "area,group,share", 0, NULL},
    {"unites/legal_forms.csv", ML_REF_LEGAL_FORM, "code,label", 0, NULL},
    {"geo/postcodes.csv", ML_REF_POSTCODE, "postcode,commune", 0, NULL},
    {"search/vocabulary.csv", ML_REF_VOCAB, "term,naf,note", 0, "maillage"},
    {"search/nacebel2008_fr.csv", ML_REF_VOCAB, "term,naf,note", 0, "nacebel"},
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
                      .year = ref_files[i].year,
                      .source = ref_files[i].source};
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

ml_err ml_db_data_stamp(ml_db *db, uint64_t *out)
{
    *out = 0;
    return db->be->data_stamp(db, out);
}

ml_err ml_db_read_begin(ml_db *db)
{
    return db->be->read_begin(db);
}

void ml_db_read_end(ml_db *db)
{
    db->be->read_end(db);
}

ml_err ml_db_info(ml_db *db, json_t **out)
{
    return db->be->info(db, out);
}

/* ----------------------------------------------------------------------- reads */

/* The shapes of the official geographic codes (COG), checked before any
 * backend sees a code: a malformed one is refused, never searched. */
typedef enum code_kind { CODE_COMMUNE, CODE_EPCI, CODE_DEPARTEMENT, CODE_REGION } code_kind;

static const struct {
    const char *name, *expected;
} code_kinds[] = {
    [CODE_COMMUNE] = {"commune", "5 characters, like 13055 or 2A004"},
    [CODE_EPCI] = {"EPCI", "a SIREN of 9 digits, like 200054807"},
    [CODE_DEPARTEMENT] = {"département", "2 characters like 13 or 2A, or 3 digits like 971"},
    [CODE_REGION] = {"région", "2 digits, like 93"},
};

static bool digits(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789") == n;
}

/* 2A and 2B are Corsica's départements (and the start of its communes). */
static bool corsica(const char *s)
{
    return s[0] == '2' && (s[1] == 'A' || s[1] == 'B' || s[1] == 'a' || s[1] == 'b');
}

static bool code_shape(code_kind k, const char *c)
{
    size_t n = strlen(c);
    switch (k) {
    case CODE_COMMUNE:
        return n == 5 && (digits(c, 5) || (corsica(c) && strspn(c + 2, "0123456789") == 3));
    case CODE_EPCI:
        return digits(c, 9);
    case CODE_DEPARTEMENT:
        return (n == 2 && (digits(c, 2) || corsica(c))) ||
               (digits(c, 3) && c[0] == '9' && c[1] == '7');
    case CODE_REGION:
        return digits(c, 2);
    }
    return false;
}

static ml_err check_code(ml_db *db, code_kind k, const char *c)
{
    if (!c || code_shape(k, c)) return ML_OK;
    return ml_fail(db->ctx, ML_INVALID, "invalid %s code '%.40s' (expected %s)", code_kinds[k].name,
                   c, code_kinds[k].expected);
}

static bool ascii_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A NAF code at any level: 25.62A, 25.62, 25.6, 25, or a section or an
 * aggregate (C, CH, C1, CZ, CM2Z...: a letter, then letters or digits). */
static bool naf_shape(const char *c)
{
    static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    size_t n = strlen(c);
    if (n >= 2 && strspn(c, "0123456789") >= 2) {
        if (n == 2) return true;
        if (c[2] != '.') return false;
        size_t d = strspn(c + 3, "0123456789");
        const char *rest = c + 3 + d;
        if (d < 1 || d > 2) return false;
        return *rest == '\0' || (d == 2 && ascii_letter(rest[0]) && rest[1] == '\0');
    }
    return n >= 1 && n <= 4 && ascii_letter(c[0]) && strspn(c, alnum) == n;
}

static ml_err check_naf(ml_db *db, const char *c)
{
    if (!c || naf_shape(c)) return ML_OK;
    return ml_fail(db->ctx, ML_INVALID,
                   "invalid NAF code '%.40s' (expected a sub-class like 25.62A, a class 25.62, a "
                   "group 25.6, a division 25, a section C, or an A10/A38/A64/A129 code)",
                   c);
}

/* A territory: FR, a commune, EPCI or département code, or one of these
 * after com:, epci:, dep:, reg:. */
static ml_err check_territory(ml_db *db, const char *code)
{
    static const struct {
        const char *prefix;
        code_kind kind;
    } prefixes[] = {{"com:", CODE_COMMUNE},
                    {"epci:", CODE_EPCI},
                    {"dep:", CODE_DEPARTEMENT},
                    {"reg:", CODE_REGION}};
    if (!code || !*code) return ml_fail(db->ctx, ML_INVALID, "empty territory code");
    if (strcmp(code, "FR") == 0 || strcmp(code, "fr") == 0) return ML_OK;
    for (size_t i = 0; i < ML_ARRAY_LEN(prefixes); i++) {
        size_t n = strlen(prefixes[i].prefix);
        if (strncmp(code, prefixes[i].prefix, n) == 0)
            return check_code(db, prefixes[i].kind, code + n);
    }
    if (code_shape(CODE_COMMUNE, code) || code_shape(CODE_EPCI, code) ||
        code_shape(CODE_DEPARTEMENT, code))
        return ML_OK;
    return ml_fail(db->ctx, ML_INVALID,
                   "invalid territory code '%.40s': use a commune (13055), EPCI (200054807) or "
                   "département (13) code, reg:93 for a région, or FR",
                   code);
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
    ml_err r = check_territory(db, code);
    return r ? r : db->be->territory(db, code, out);
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
    if (parent && *parent &&
        !(strncmp(parent, "reg:", 4) == 0 && code_shape(CODE_REGION, parent + 4)) &&
        !code_shape(CODE_DEPARTEMENT, parent) && !code_shape(CODE_EPCI, parent))
        return ml_fail(db->ctx, ML_INVALID,
                       "invalid parent '%.40s': empty (régions), reg:CODE (its départements), a "
                       "département code (its EPCI) or an EPCI SIREN (its communes)",
                       parent);
    return db->be->territory_children(db, parent, out);
}

ml_err ml_map_points(ml_db *db, const char *territory, const char *naf, unsigned limit,
                     json_t **out)
{
    *out = NULL;
    if (limit == 0 || limit > 100000)
        return ml_fail(db->ctx, ML_INVALID, "limit must be from 1 to 100000");
    ml_err r = check_naf(db, naf);
    if (r) return r;
    r = check_territory(db, territory);
    return r ? r : db->be->map_points(db, territory, naf, limit, out);
}

ml_err ml_territory_communes(ml_db *db, const char *territory, json_t **out)
{
    *out = NULL;
    ml_err r = check_territory(db, territory);
    if (r) return r;
    return db->be->territory_communes(db, territory, out);
}

/* For the engine's other folders (lib/map): the facade's own checks. */
ml_err ml_store_check_territory(ml_db *db, const char *code)
{
    return check_territory(db, code);
}

ml_err ml_store_check_naf(ml_db *db, const char *code)
{
    return check_naf(db, code);
}
