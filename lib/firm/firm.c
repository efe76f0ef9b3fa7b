/* firm.c — establishment and company records (firm.h). */
#include <string.h>

#include "core/size_band.h"
#include "firm/firm.h"

static const char *const geo_names[] = {"none", "insee_lambert", "geocoded", "commune_centre"};

static bool unit_public(const ml_etab_view *v)
{
    return v->has_unit && v->u.diffusion == 'O';
}

const char *ml_etab_display_name(const ml_etab_view *v)
{
    if (v->e.sign && *v->e.sign) return v->e.sign;
    if (v->e.usual_name && *v->e.usual_name) return v->e.usual_name;
    return unit_public(v) && v->u.name && *v->u.name ? v->u.name : NULL;
}

bool ml_etab_listable(const ml_etab_view *v)
{
    return v->e.diffusion == 'O';
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *size_json(const char *code)
{
    const ml_size_band *b = ml_size_band_of(code);
    if (b) return json_pack("{s:s, s:s, s:s}", "code", b->code, "label", b->en, "label_fr", b->fr);
    return json_pack("{s:s, s:n, s:n}", "code", code, "label", "label_fr");
}

static void sirets(const ml_etab *e, char siret[ML_SIRET_SIZE], char siren[ML_SIREN_SIZE])
{
    ml_siret_format(e->siret, siret);
    if (siren) ml_siren_format(e->siren, siren);
}

typedef struct one {
    bool listable;
    json_t *out;
} one;

static int exists_row(void *ud, const ml_etab_view *v)
{
    ((one *)ud)->listable = ml_etab_listable(v);
    return 0;
}

ml_err ml_etab_exists_listable(ml_db *db, int64_t siret, bool *yes)
{
    one o = {0};
    ml_err r = db->be->etab_get(db, siret, exists_row, &o);
    *yes = !r && o.listable;
    return r;
}

static json_t *brief_json(const ml_etab_view *v)
{
    char siret[ML_SIRET_SIZE];
    sirets(&v->e, siret, NULL);
    const char *company = unit_public(v) ? v->u.name : NULL;
    return json_pack(
        "{s:s, s:o, s:o, s:b, s:b, s:o, s:o, s:{s:o, s:o}, s:o, s:o, s:{s:o, s:o}, s:o, s:b}",
        "siret", siret, "name", str_or_null(ml_etab_display_name(v)), "company",
        str_or_null(company), "active", v->e.state == 'A', "head_office", v->e.head_office,
        "size", size_json(v->e.size_band), "category",
        str_or_null(unit_public(v) ? v->u.category : NULL), "activity", "code",
        str_or_null(v->e.naf), "label", str_or_null(v->naf_label), "address",
        str_or_null(v->e.address), "postcode", str_or_null(v->e.postcode), "commune", "code",
        str_or_null(v->e.commune), "name", str_or_null(v->commune_name), "position",
        v->e.geo ? json_pack("{s:f, s:f, s:s}", "lat", v->e.lat, "lon", v->e.lon, "source",
                             geo_names[v->e.geo & 3])
                 : json_null(),
        "generated", v->e.generated);
}

static int brief_row(void *ud, const ml_etab_view *v)
{
    one *o = ud;
    if (!ml_etab_listable(v)) return 0;
    o->out = brief_json(v);
    return o->out ? 0 : 1;
}

ml_err ml_etab_brief(ml_db *db, int64_t siret, json_t **out)
{
    one o = {0};
    ml_err r = db->be->etab_get(db, siret, brief_row, &o);
    if (r) {
        json_decref(o.out);
        o.out = NULL;
    }
    *out = o.out;
    return r;
}

/* ------------------------------------------------------------------ records */

static int level_row(void *ud, const char *level, const char *code, const char *fr,
                     const char *en)
{
    return json_array_append_new(ud, json_pack("{s:s, s:s, s:o, s:o}", "level", level, "code",
                                               code, "label_fr", str_or_null(fr), "label_en",
                                               str_or_null(en)));
}

static int chain_row(void *ud, const char *kind, const char *code, const char *name,
                     const char *type)
{
    json_t *item = json_pack("{s:s, s:o, s:o}", "kind", kind, "code", str_or_null(code), "name",
                             str_or_null(name));
    if (item && strcmp(kind, "epci") == 0) json_object_set_new(item, "type", str_or_null(type));
    return json_array_append_new(ud, item);
}

/* A legal unit's public fields (acronym, category, legal form in words,
 * creation, state, social economy) on o. */
static ml_err unit_fields(ml_db *db, json_t *o, const ml_unite *u)
{
    char label[256] = "";
    ml_err r = u->legal_form ? db->be->legal_form_label(db, u->legal_form, label, sizeof label)
                             : ML_OK;
    if (r) return r;
    json_t *f = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b}", "acronym", str_or_null(u->acronym),
        "category", str_or_null(u->category), "category_year",
        u->category_year ? json_integer(u->category_year) : json_null(), "legal_form",
        str_or_null(u->legal_form), "created", str_or_null(u->created), "legal_form_label",
        str_or_null(label), "active", u->state == 'A', "social_economy",
        u->ess && u->ess[0] == 'O');
    if (!f || json_object_update(o, f)) {
        json_decref(f);
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    json_decref(f);
    return ML_OK;
}

typedef struct record {
    ml_db *db;
    ml_err r;
    json_t *out;
    bool found, hidden;
} record;

/* As French writes an address: "99 rue de la Libération, 13100
 * Aix-en-Provence" (the commune's own name, not SIRENE's upper-case label). */
static json_t *address_display(const ml_etab_view *v, const char *city)
{
    ml_buf d;
    ml_buf_init(&d, 1024);
    ml_address_normal_case(&d, v->e.address);
    if (!city) city = v->e.city;
    if ((v->e.postcode || city) && d.len) ml_buf_addstr(&d, ", ");
    if (v->e.postcode) ml_buf_addf(&d, "%s ", v->e.postcode);
    if (city) ml_buf_addstr(&d, city);
    /* too long to write out: no display form, the parts are there */
    json_t *j = d.len && !ml_buf_failed(&d) ? json_string(ml_buf_cstr(&d)) : json_null();
    ml_buf_release(&d);
    return j;
}

static int show_row(void *ud, const ml_etab_view *v)
{
    record *rec = ud;
    ml_db *db = rec->db;
    rec->found = true;
    if (!ml_etab_listable(v)) {
        rec->hidden = true;
        return 0;
    }
    char siret[ML_SIRET_SIZE], siren[ML_SIREN_SIZE];
    sirets(&v->e, siret, siren);
    json_t *levels = json_array(), *chain = json_array();
    if (!levels || !chain) goto nomem;
    if ((rec->r = v->e.naf ? db->be->naf_levels(db, v->e.naf, level_row, levels) : ML_OK) ||
        (rec->r = db->be->commune_chain(db, v->e.commune, chain_row, chain)))
        goto fail;
    json_t *size = size_json(v->e.size_band);
    if (size)
        json_object_set_new(size, "year", v->e.size_year ? json_integer(v->e.size_year)
                                                          : json_null());
    const char *city = json_string_value(json_object_get(json_array_get(chain, 0), "name"));
    json_t *o = json_pack(
        "{s:s, s:o, s:o, s:o, s:b, s:o, s:b, s:o, s:o, s:{s:o, s:o, s:o, s:o}, s:o}", "siret",
        siret, "name", str_or_null(ml_etab_display_name(v)), "sign", str_or_null(v->e.sign),
        "usual_name", str_or_null(v->e.usual_name), "active", v->e.state == 'A', "created",
        str_or_null(v->e.created), "head_office", v->e.head_office, "size", size, "employer",
        str_or_null(v->e.employer), "address", "street", str_or_null(v->e.address), "postcode",
        str_or_null(v->e.postcode), "city", str_or_null(v->e.city), "display",
        address_display(v, city), "position",
        v->e.geo ? json_pack("{s:f, s:f, s:s, s:b}", "lat", v->e.lat, "lon", v->e.lon, "source",
                             geo_names[v->e.geo & 3], "approximate", v->e.geo == ML_GEO_COMMUNE)
                 : json_null());
    if (!o) goto nomem;
    bool has_levels = json_array_size(levels) > 0;
    json_t *activity =
        json_pack("{s:o, s:o, s:o, s:o}", "code", str_or_null(v->e.naf), "as_published",
                  str_or_null(v->e.naf_raw), "naf2025", str_or_null(v->e.naf25), "levels",
                  has_levels ? levels : json_null());
    if (!has_levels) json_decref(levels);
    levels = NULL; /* taken by the pack, even when it failed */
    if (!activity || json_object_set_new(o, "activity", activity)) {
        json_decref(o);
        goto nomem;
    }
    json_object_set_new(o, "territory", chain);
    chain = NULL;
    int64_t active = 0;
    json_t *co = json_pack("{s:s, s:o}", "siren", siren,
                           "name", str_or_null(unit_public(v) ? v->u.name : NULL));
    if (!co || (unit_public(v) && (rec->r = unit_fields(db, co, &v->u))) ||
        (!rec->r && (rec->r = db->be->unit_active(db, v->e.siren, &active)))) {
        json_decref(co);
        json_decref(o);
        return 1;
    }
    json_object_set_new(co, "active_establishments", json_integer(active));
    json_object_set_new(o, "company", co);
    json_object_set_new(o, "generated", json_boolean(v->e.generated));
    rec->out = o;
    return 0;
nomem:
    rec->r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
fail:
    json_decref(levels);
    json_decref(chain);
    return 1;
}

ml_err ml_show(ml_db *db, const char *siret, json_t **out)
{
    *out = NULL;
    size_t n = siret ? strlen(siret) : 0;
    int64_t v = 0;
    if (ml_siret_parse(siret, n, &v) != ML_ID_OK)
        return ml_fail(db->ctx, ML_INVALID,
                       "'%s' is not a valid SIRET (14 digits with a valid checksum)",
                       siret ? siret : "");
    record rec = {.db = db};
    ml_err r = db->be->etab_get(db, v, show_row, &rec);
    if (rec.r) r = rec.r;
    if (r) {
        json_decref(rec.out);
        return r;
    }
    char shown[ML_SIRET_SIZE];
    if (!rec.found)
        return ml_fail(db->ctx, ML_NOTFOUND, "SIRET %s is not in the database",
                       ml_siret_format(v, shown));
    if (rec.hidden)
        return ml_fail(db->ctx, ML_PRIVATE,
                       "SIRET %s has restricted diffusion (statut P): maillage counts it in "
                       "statistics but never shows it",
                       ml_siret_format(v, shown));
    *out = rec.out;
    return ML_OK;
}

/* ----------------------------------------------------------------- company */

static int unit_row(void *ud, const ml_unite *u)
{
    record *rec = ud;
    rec->found = true;
    if (u->diffusion != 'O') {
        rec->hidden = true;
        return 0;
    }
    json_object_set_new(rec->out, "name", str_or_null(u->name));
    if ((rec->r = unit_fields(rec->db, rec->out, u))) return 1;
    json_object_set_new(rec->out, "activity", str_or_null(u->naf));
    return 0;
}

typedef struct listing {
    json_t *list;
} listing;

static int company_etab(void *ud, const ml_etab_view *v)
{
    if (!ml_etab_listable(v)) return 0;
    json_t *b = brief_json(v);
    return !b || json_array_append_new(((listing *)ud)->list, b);
}

ml_err ml_company(ml_db *db, const char *siren, json_t **out)
{
    *out = NULL;
    size_t n = siren ? strlen(siren) : 0;
    int64_t v = 0;
    if (ml_siren_parse(siren, n, &v) != ML_ID_OK)
        return ml_fail(db->ctx, ML_INVALID,
                       "'%s' is not a valid SIREN (9 digits with a valid checksum)",
                       siren ? siren : "");
    record rec = {.db = db, .out = json_pack("{s:s}", "siren", siren)};
    listing l = {.list = json_array()};
    if (!rec.out || !l.list) {
        json_decref(rec.out);
        json_decref(l.list);
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    ml_err r = db->be->unite_get(db, v, unit_row, &rec);
    if (rec.r) r = rec.r;
    if (!r && rec.hidden)
        r = ml_fail(db->ctx, ML_PRIVATE,
                    "SIREN %s has restricted diffusion (statut P): maillage counts it in "
                    "statistics but never shows it",
                    siren);
    if (!r) r = db->be->unit_etabs(db, v, 1000, company_etab, &l);
    if (!r && !rec.found && json_array_size(l.list) == 0)
        r = ml_fail(db->ctx, ML_NOTFOUND, "SIREN %s is not in the database", siren);
    if (r) {
        json_decref(rec.out);
        json_decref(l.list);
        return r;
    }
    json_object_set_new(rec.out, "establishments", l.list);
    *out = rec.out;
    return ML_OK;
}
