/* info.c — what a database holds, as published: the backend's raw counts
 * named here, the restricted establishments' count under the secrecy rule
 * (lib/privacy), the meta values and the last import runs. */
#include "firm/firm.h"
#include "privacy/privacy.h"

/* The names of the counts, in ml_info_count order. */
static const char *const count_names[ML_INFO_COUNTS] = {
    [ML_INFO_REGIONS] = "regions",
    [ML_INFO_DEPARTEMENTS] = "departements",
    [ML_INFO_EPCI] = "epci",
    [ML_INFO_COMMUNES] = "communes",
    [ML_INFO_NAF] = "naf_subclasses",
    [ML_INFO_IO_YEARS] = "io_years",
    [ML_INFO_UNITS] = "legal_units",
    [ML_INFO_POSTCODES] = "postcodes",
    [ML_INFO_VOCABULARY] = "vocabulary_entries",
    [ML_INFO_USER_VOCABULARY] = "user_vocabulary_entries",
    [ML_INFO_ETABS] = "establishments",
    [ML_INFO_ETABS_ACTIVE] = "establishments_active",
    [ML_INFO_ETABS_RESTRICTED] = "establishments_restricted",
    [ML_INFO_ETABS_GENERATED] = "establishments_generated",
    [ML_INFO_ETABS_APPROXIMATE] = "establishments_approximate",
};

typedef struct meta_ud {
    json_t *meta;
    bool failed;
} meta_ud;

static int meta_row(void *ud, const char *const *cols, size_t n)
{
    meta_ud *m = ud;
    if (n < 2 || !cols[0]) return 0;
    if (json_object_set_new(m->meta, cols[0], cols[1] && *cols[1] ? json_string(cols[1]) : json_null()))
        m->failed = true;
    return 0;
}

/* A run's number, or null while it is unknown. */
static json_t *run_number(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *run_text(const char *v)
{
    return *v ? json_string(v) : json_null();
}

ml_err ml_db_info(ml_db *db, json_t **out)
{
    *out = NULL;
    ml_store_info info;
    meta_ud m = {.meta = json_object()};
    if (!m.meta) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r = db->be->info(db, &info, meta_row, &m);
    if (r) {
        json_decref(m.meta);
        return r;
    }
    ml_json_build jb = {0};
    json_t *counts = json_object(), *runs = json_array();
    bool failed = m.failed || !counts || !runs;
    for (int i = 0; !failed && i < ML_INFO_COUNTS; i++) {
        /* The restricted establishments are a count like any other (lib/privacy). */
        json_t *v = i == ML_INFO_ETABS_RESTRICTED ? ml_safe_count(info.counts[i])
                                                  : json_integer(info.counts[i]);
        failed = json_object_set_new(counts, count_names[i], v) != 0;
    }
    for (size_t i = 0; !failed && i < info.nruns; i++) {
        const ml_info_run *u = &info.runs[i];
        failed = json_array_append_new(
                     runs, ml_json_pack(&jb, "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                                        run_number(u->id), "kind", run_text(u->kind), "started",
                                        run_text(u->started), "finished", run_text(u->finished),
                                        "rows", run_number(u->rows), "imported",
                                        run_number(u->imported), "rejected",
                                        run_number(u->rejected))) != 0;
    }
    if (!failed)
        *out = ml_json_pack(&jb, "{s:s, s:s, s:O, s:b, s:O, s:O}", "path", info.where, "backend",
                            db->be->name, "counts", counts, "contains_generated_data",
                            info.counts[ML_INFO_ETABS_GENERATED] > 0, "meta", m.meta, "imports",
                            runs);
    json_decref(counts);
    json_decref(runs);
    json_decref(m.meta);
    if (failed || !*out) {
        json_decref(*out);
        *out = NULL;
        return jb.failed ? ml_json_done(db->ctx, &jb) : ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    return ML_OK;
}
