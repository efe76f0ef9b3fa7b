/* opportunities.c — what a commune or an EPCI could grow into, and who
 * could lead (docs/methods.md, "Opportunities and leaders"): the activities
 * it is not specialised in (RCA < 1) that are closest to what it already
 * does (highest density), each with the related activities it does hold
 * and their largest local firms, named when they may be shown. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "complexity/complexity.h"
#include "core/size_band.h"
#include "firm/firm.h"
#include "privacy/privacy.h"
#include "territory/territory.h"

#define OPPORTUNITIES_MAX 30
#define RELATED_SHOWN     3
#define LEADERS_SHOWN     3
#define MIN_UBIQUITY      3 /* places specialised in an activity before it is proposed */

typedef struct ranked {
    size_t p;
    double key;
} ranked;

static int by_key_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->key != y->key) return x->key > y->key ? -1 : 1;
    return (x->p > y->p) - (x->p < y->p);
}

/* The largest public establishments of a place in the classes asked, read
 * in one pass (place_leaders), each shown as lib/firm says. */
typedef struct leaders {
    ml_db *db;
    json_t *by_class; /* class -> [{siret, name, commune, size_fr, size_en}] */
    ml_err err;
} leaders;

typedef struct view_out {
    json_t *o;
} view_out;

static int leader_view(void *ud, const ml_etab_view *v)
{
    view_out *w = ud;
    if (!ml_etab_listable(v)) return 0;
    char siret[ML_SIRET_SIZE];
    ml_siret_format(v->e.siret, siret);
    const ml_size_band *b = ml_size_band_of(v->e.size_band);
    const char *name = ml_etab_display_name(v);
    w->o = json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "siret", siret, "name", name ? name : siret,
                     "commune", v->commune_name, "size_fr", b ? b->fr : NULL, "size_en",
                     b ? b->en : NULL);
    return 0;
}

static int leader_row(void *ud, const char *naf_class, int64_t siret)
{
    leaders *l = ud;
    view_out w = {NULL};
    ml_err r = l->db->be->etab_get(l->db, siret, leader_view, &w);
    if (r) return l->err = r, 1;
    if (!w.o) return 0;
    json_t *list = json_object_get(l->by_class, naf_class);
    if (!list && json_object_set_new(l->by_class, naf_class, list = json_array()))
        return l->err = ML_NOMEM, 1;
    return json_array_append_new(list, w.o) ? (l->err = ML_NOMEM, 1) : 0;
}

static void label(ml_db *db, const char *code, json_t *cell)
{
    ml_labeller l = {.db = db, .level = "class"};
    ml_label_level(&l, code, cell);
}

ml_err ml_territory_opportunities(ml_db *db, const char *code, unsigned max, json_t **out)
{
    *out = NULL;
    if (max == 0 || max > OPPORTUNITIES_MAX) max = 10;
    ml_place place;
    ml_err r = ml_place_resolve(db, code, &place);
    if (r) return r;
    if (place.kind != ML_PLACE_COMMUNE && place.kind != ML_PLACE_EPCI)
        return ml_fail(db->ctx, ML_INVALID,
                       "opportunities are computed for a commune or an EPCI: the places compared "
                       "are the database's communes, or its EPCI");
    ml_complexity *cx = NULL;
    ml_complexity_cell *cells = NULL;
    ranked *order = NULL;
    json_t *opps = NULL, *chart = NULL;
    r = ml_complexity_from_db(
        db, place.kind == ML_PLACE_EPCI ? ML_COMPLEXITY_EPCI : ML_COMPLEXITY_COMMUNE,
        ML_COMPLEXITY_ESTABLISHMENTS, &cx);
    if (!r) r = ml_complexity_compute(cx, 1.0);
    if (r) goto out;
    size_t nloc = ml_complexity_locations(cx), nact = ml_complexity_activities(cx), c = nloc;
    for (size_t i = 0; i < nloc; i++) {
        ml_complexity_location l;
        ml_complexity_location_get(cx, i, &l);
        if (strcmp(l.code, place.code) == 0) c = i;
    }
    if (c == nloc) {
        r = ml_fail(db->ctx, ML_NOTFOUND,
                    "%s has no open establishment with a NAF class in the database: nothing to "
                    "compare",
                    place.code);
        goto out;
    }
    ml_complexity_location loc;
    ml_complexity_location_get(cx, c, &loc);
    ml_complexity_info info;
    ml_complexity_summary(cx, &info);
    cells = calloc(nact ? nact : 1, sizeof *cells);
    order = calloc(nact ? nact : 1, sizeof *order);
    if (!cells || !order) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    if ((r = ml_complexity_row(cx, c, cells))) goto out;
    /* The opportunities: not specialised in, closest to what is there;
     * only activities that at least MIN_UBIQUITY places specialise in (a
     * relatedness drawn from one or two places is their accident). */
    size_t n = 0;
    for (size_t p = 0; p < nact; p++) {
        ml_complexity_activity a;
        ml_complexity_activity_get(cx, p, &a);
        if (!cells[p].mcp && cells[p].density > 0 && a.ubiquity >= MIN_UBIQUITY)
            order[n++] = (ranked){p, cells[p].density};
    }
    qsort(order, n, sizeof *order, by_key_desc);
    if (n > max) n = max;
    /* Their closest classes the place holds, then those classes' largest
     * firms, in one pass. */
    size_t(*near_p)[RELATED_SHOWN] = calloc(n ? n : 1, sizeof *near_p);
    double(*near_phi)[RELATED_SHOWN] = calloc(n ? n : 1, sizeof *near_phi);
    size_t *nnear = calloc(n ? n : 1, sizeof *nnear);
    const char **classes = calloc(n * RELATED_SHOWN + 1, sizeof *classes);
    leaders lead = {.db = db, .by_class = json_object()};
    if (!near_p || !near_phi || !nnear || !classes || !lead.by_class) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto near_out;
    }
    size_t nclasses = 0;
    for (size_t k = 0; k < n; k++) {
        size_t p = order[k].p;
        ranked near[RELATED_SHOWN];
        size_t nn = 0;
        for (size_t q = 0; q < nact; q++) {
            if (!cells[q].mcp) continue;
            double phi = ml_complexity_proximity(cx, p, q);
            if (phi <= 0) continue;
            ranked x = {q, phi};
            size_t j = nn < RELATED_SHOWN ? nn : RELATED_SHOWN;
            while (j > 0 && by_key_desc(&x, &near[j - 1]) < 0)
                j--;
            if (j >= RELATED_SHOWN) continue;
            size_t last = nn < RELATED_SHOWN ? nn : RELATED_SHOWN - 1;
            memmove(&near[j + 1], &near[j], (last - j) * sizeof *near);
            near[j] = x;
            if (nn < RELATED_SHOWN) nn++;
        }
        nnear[k] = nn;
        for (size_t j = 0; j < nn; j++) {
            near_p[k][j] = near[j].p;
            near_phi[k][j] = near[j].key;
            ml_complexity_activity b;
            ml_complexity_activity_get(cx, near[j].p, &b);
            bool seen = false;
            for (size_t i = 0; i < nclasses && !seen; i++)
                seen = strcmp(classes[i], b.code) == 0;
            if (!seen) classes[nclasses++] = b.code;
        }
    }
    r = db->be->place_leaders(db, &place, classes, nclasses, LEADERS_SHOWN, leader_row, &lead);
    if (!r && lead.err)
        r = lead.err == ML_NOMEM ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : lead.err;
    opps = json_array();
    for (size_t k = 0; !r && opps && k < n; k++) {
        size_t p = order[k].p;
        ml_complexity_activity a;
        ml_complexity_activity_get(cx, p, &a);
        json_t *related = json_array();
        for (size_t j = 0; related && j < nnear[k]; j++) {
            ml_complexity_activity b;
            ml_complexity_activity_get(cx, near_p[k][j], &b);
            json_t *firms = json_object_get(lead.by_class, b.code);
            json_t *o = json_pack(
                "{s:s, s:f, s:o, s:f, s:o}", "code", b.code, "proximity", near_phi[k][j],
                "establishments", ml_safe_count((int64_t)cells[near_p[k][j]].count), "rca",
                cells[near_p[k][j]].rca, "firms", firms ? json_incref(firms) : json_array());
            if (o) label(db, b.code, o);
            json_array_append_new(related, o);
        }
        json_t *o =
            json_pack("{s:s, s:f, s:f, s:o, s:i, s:o, s:o}", "code", a.code, "density",
                      cells[p].density, "rca", cells[p].rca, "establishments",
                      ml_safe_count((int64_t)cells[p].count), "ubiquity", (int)a.ubiquity, "pci",
                      a.has_pci ? json_real(a.pci) : json_null(), "related", related);
        if (o) label(db, a.code, o);
        json_array_append_new(opps, o);
    }
near_out:
    free(near_p);
    free(near_phi);
    free(nnear);
    free(classes);
    json_decref(lead.by_class);
    if (r) goto out;
    /* The chart: every activity's relative presence against its density. */
    chart = json_array();
    for (size_t p = 0; chart && p < nact; p++) {
        ml_complexity_activity a;
        ml_complexity_activity_get(cx, p, &a);
        json_array_append_new(chart, json_pack("{s:s, s:f, s:f, s:b, s:o}", "code", a.code, "rca",
                                               cells[p].rca, "density", cells[p].density, "present",
                                               cells[p].mcp, "establishments",
                                               ml_safe_count((int64_t)cells[p].count)));
    }
    json_t *t = ml_place_json(&place);
    *out =
        json_pack("{s:o, s:{s:s, s:I, s:I, s:s, s:f}, s:{s:i, s:o}, s:o, s:o, s:o}", "territory", t,
                  "compared_with", "locations", place.kind == ML_PLACE_EPCI ? "epci" : "communes",
                  "count", (json_int_t)info.locations, "activities", (json_int_t)info.activities,
                  "value", "establishments", "rca_threshold", 1.0, "place", "diversity",
                  (int)loc.diversity, "eci", loc.has_eci ? json_real(loc.eci) : json_null(),
                  "opportunities", opps, "chart", chart, "privacy", ml_privacy_note());
    opps = chart = NULL;
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    json_decref(opps);
    json_decref(chart);
    free(cells);
    free(order);
    ml_complexity_free(cx);
    return r;
}
