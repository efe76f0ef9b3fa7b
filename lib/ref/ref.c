/* ref.c — the shipped reference data (data/): which file fills which
 * reference table, each file's expected header, and reading them into the
 * store through its ref_put slot in one transaction (ml_db_init). */
#include "ingest/csv.h"
#include "ref/ref.h"
#include "search/text.h"

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
    ml_text *text; /* ML_REF_CPV: folds the French labels for the search by words */
    ml_err err;
} ref_load;

/* A CPV row (code,code8,label_fr,label_en) as the table keeps it: code8
 * first, then the code with its check digit, the labels, and the French
 * label folded and stemmed between spaces (" travail construct ... "). */
static ml_err cpv_row(ref_load *L, const ml_csv_row *row)
{
    ml_ctx *ctx = L->db->ctx;
    const char *const *c = (const char *const *)row->fields;
    if (row->nfields != 4)
        return ml_fail(ctx, ML_FORMAT, "%s: line %llu: %zu fields, not 4", L->file,
                       (unsigned long long)row->line, row->nfields);
    size_t n8 = strlen(c[1]);
    bool ok = n8 == 8 && strlen(c[0]) == 10 && memcmp(c[0], c[1], 8) == 0 && c[0][8] == '-' &&
              c[0][9] >= '0' && c[0][9] <= '9' && *c[2];
    for (size_t i = 0; ok && i < 8; i++)
        ok = c[1][i] >= '0' && c[1][i] <= '9';
    if (!ok)
        return ml_fail(ctx, ML_FORMAT,
                       "%s: line %llu: not a CPV row (code 12345678-9, code8, label)", L->file,
                       (unsigned long long)row->line);
    ml_buf words;
    ml_buf_init(&words, 4096);
    ml_buf_addch(&words, ' ');
    if (ml_text_fold(L->text, &words, c[2], strlen(c[2]), ML_FOLD_STEM) < 0) words.failed = true;
    ml_buf_addch(&words, ' ');
    if (ml_buf_failed(&words)) {
        ml_buf_release(&words);
        return ml_fail(ctx, ML_LIMIT, "%s: line %llu: label too long", L->file,
                       (unsigned long long)row->line);
    }
    const char *f[5] = {c[1], c[0], c[2], *c[3] ? c[3] : NULL, ml_buf_cstr(&words)};
    ml_err r = L->db->be->ref_put(L->db, L->table, f, 5);
    ml_buf_release(&words);
    return r;
}

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
    if (L->table == ML_REF_CPV) {
        if ((r = cpv_row(L, row))) goto fail;
    } else if (L->table == ML_REF_IO_USE) {
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

/* The shipped files, in load order: path under the data directory, table,
 * expected header (NULL: a wide input-output table), year, source. */
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
    {"geo/territoires_industrie.csv", ML_REF_TI, "code,phase,name,commune,member,member_kind", 0,
     NULL},
    {"search/vocabulary.csv", ML_REF_VOCAB, "term,naf,note", 0, "maillage"},
    {"search/nacebel2008_fr.csv", ML_REF_VOCAB, "term,naf,note", 0, "nacebel"},
    {"cpv/cpv_2008_main_fr_en.csv", ML_REF_CPV, "code,code8,label_fr,label_en", 0, NULL},
};

ml_err ml_ref_load(ml_db *db)
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
        if (L.table == ML_REF_CPV && !(L.text = ml_text_new())) {
            r = ml_fail(ctx, ML_NOMEM, "out of memory");
            goto fail;
        }
        r = ml_csv_parse_file(ctx, path, NULL, ref_row, &L);
        ml_text_free(L.text);
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

ml_err ml_db_init(ml_db *db)
{
    return ml_ref_load(db);
}
