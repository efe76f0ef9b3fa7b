/* proj.c — PROJ transformations, created once per system and cached. */
#include <math.h>
#include <proj.h>

#include "geo/proj.h"

static const struct {
    const char *dep;
    int epsg;
} overseas[] = {
    {"971", 5490}, {"972", 5490}, {"977", 5490}, {"978", 5490}, /* RGAF09 / UTM 20N */
    {"973", 2972},                                              /* RGFG95 / UTM 22N */
    {"974", 2975},                                              /* RGR92 / UTM 40S */
    {"975", 4467},                                              /* RGSPM06 / UTM 21N */
    {"976", 4471},                                              /* RGM04 / UTM 38S */
};

#define MAX_SYSTEMS 8

struct ml_proj {
    PJ_CONTEXT *pctx;
    int epsg[MAX_SYSTEMS];
    PJ *pj[MAX_SYSTEMS];
    size_t n;
    ml_ctx *ctx;
};

int ml_proj_epsg_for_departement(const char *dep)
{
    for (size_t i = 0; dep && i < ML_ARRAY_LEN(overseas); i++)
        if (strcmp(dep, overseas[i].dep) == 0) return overseas[i].epsg;
    return 2154; /* RGF93 v1 / Lambert-93 */
}

ml_proj *ml_proj_new(ml_ctx *ctx)
{
    ml_proj *p = calloc(1, sizeof *p);
    if (!p) {
        ml_fail(ctx, ML_NOMEM, "out of memory");
        return NULL;
    }
    p->ctx = ctx;
    p->pctx = proj_context_create();
    if (!p->pctx) {
        free(p);
        ml_fail(ctx, ML_ERROR, "cannot start PROJ");
        return NULL;
    }
    proj_log_level(p->pctx, PJ_LOG_NONE);
    return p;
}

void ml_proj_free(ml_proj *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++)
        proj_destroy(p->pj[i]);
    proj_context_destroy(p->pctx);
    free(p);
}

static PJ *transform_for(ml_proj *p, int epsg)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->epsg[i] == epsg) return p->pj[i];
    if (p->n == MAX_SYSTEMS) return NULL;
    char src[32];
    ml_snprintf(src, sizeof src, "EPSG:%d", epsg);
    PJ *raw = proj_create_crs_to_crs(p->pctx, src, "EPSG:4326", NULL);
    if (!raw) return NULL;
    /* EPSG:4326 is latitude-first; normalise to longitude, latitude. */
    PJ *norm = proj_normalize_for_visualization(p->pctx, raw);
    proj_destroy(raw);
    if (!norm) return NULL;
    p->epsg[p->n] = epsg;
    p->pj[p->n++] = norm;
    return norm;
}

int ml_proj_to_wgs84(ml_proj *p, const char *dep, double x, double y, double *lat, double *lon)
{
    int epsg = ml_proj_epsg_for_departement(dep);
    PJ *pj = transform_for(p, epsg);
    if (!pj) {
        ml_fail(p->ctx, ML_ERROR, "PROJ cannot transform EPSG:%d (is proj-data installed?)", epsg);
        return -1;
    }
    PJ_COORD c = proj_coord(x, y, 0, 0);
    PJ_COORD w = proj_trans(pj, PJ_FWD, c);
    if (w.xy.x == HUGE_VAL || w.xy.y == HUGE_VAL || w.lp.lam != w.lp.lam) return -1;
    *lon = w.xy.x;
    *lat = w.xy.y;
    if (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) return -1;
    return 0;
}
