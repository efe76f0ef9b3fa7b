/* db.c — the table of the database's establishments for relatedness and
 * complexity: active establishments by commune or EPCI and NAF class, the
 * value being their number or their estimated jobs (size-band midpoints,
 * core/size_band.h). Read through the store's location_cells slot. */
#include "complexity/complexity.h"
#include "core/size_band.h"
#include "store/store.h"

typedef struct filler {
    ml_complexity *cx;
    ml_complexity_measure measure;
    ml_err err;
    char why[ML_MESSAGE_MAX]; /* the adder's message: the backend writes its own on stopping */
} filler;

static int cell(void *ud, const char *location, const char *naf_class, const char *size_band,
                int64_t n)
{
    filler *f = ud;
    /* An activity code outside the NAF, or a commune in no EPCI, has no
     * place in the table. */
    if (!location || !naf_class || n <= 0) return 0;
    double value = (double)n;
    if (f->measure == ML_COMPLEXITY_JOBS) {
        const ml_size_band *band = ml_size_band_of(size_band);
        value = band ? band->midpoint * (double)n : 0;
    }
    f->err = ml_complexity_add_count(f->cx, location, naf_class, value, (uint64_t)n);
    if (f->err) snprintf(f->why, sizeof f->why, "%s", ml_ctx_message(f->cx->ctx));
    return f->err != ML_OK;
}

ml_err ml_complexity_from_db(ml_db *db, ml_complexity_level level, ml_complexity_measure measure,
                             ml_complexity **out)
{
    *out = NULL;
    if (level != ML_COMPLEXITY_COMMUNE && level != ML_COMPLEXITY_EPCI)
        return ml_fail(db->ctx, ML_INVALID, "locations are communes or EPCI");
    if (measure != ML_COMPLEXITY_ESTABLISHMENTS && measure != ML_COMPLEXITY_JOBS)
        return ml_fail(db->ctx, ML_INVALID, "values are establishments or estimated jobs");
    filler f = {.measure = measure};
    ml_err r = ml_complexity_new(db->ctx, &f.cx);
    if (r) return r;
    r = db->be->location_cells(db, level == ML_COMPLEXITY_EPCI, cell, &f);
    if (f.err) r = ml_fail(db->ctx, f.err, "%s", f.why);
    if (!r && f.cx->ncells == 0)
        r = ml_fail(db->ctx, ML_NOTFOUND,
                    "the database holds no open establishment with a NAF "
                    "class%s",
                    level == ML_COMPLEXITY_EPCI ? " in an EPCI" : "");
    if (r) {
        ml_complexity_free(f.cx);
        return r;
    }
    *out = f.cx;
    return ML_OK;
}
