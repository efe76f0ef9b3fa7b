/* lists.c — exports of search results and of a territory's figures, through
 * the one table writer (table.c). */
#include "export/table.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static const char *sub(json_t *o, const char *a, const char *b)
{
    return str(json_object_get(o, a), b);
}

/* French label when the record has one, else its label. */
static const char *label_fr(json_t *o)
{
    const char *fr = str(o, "label_fr");
    return *fr ? fr : str(o, "label");
}

/* ------------------------------------------------------------------ search */

static const ml_col search_cols[] = {
    {"SIRET", ML_COL_TEXT, 16},          {"Établissement", ML_COL_TEXT, 32},
    {"Entreprise", ML_COL_TEXT, 32},     {"Code NAF", ML_COL_TEXT, 9},
    {"Activité", ML_COL_TEXT, 40},       {"Adresse", ML_COL_TEXT, 32},
    {"Code postal", ML_COL_TEXT, 8},     {"Commune", ML_COL_TEXT, 24},
    {"Code commune", ML_COL_TEXT, 9},    {"Effectif", ML_COL_TEXT, 18},
    {"Catégorie", ML_COL_TEXT, 9},       {"Siège", ML_COL_TEXT, 7},
    {"Ouvert", ML_COL_TEXT, 7},          {"Latitude", ML_COL_DEC5, 10},
    {"Longitude", ML_COL_DEC5, 10},      {"Données générées", ML_COL_TEXT, 10},
};

ml_err ml_export_search(ml_ctx *ctx, json_t *search, const char *note, ml_export_format fmt,
                        const char *path)
{
    json_t *rows = json_array();
    ml_json_build jb = {0};
    size_t i;
    json_t *v;
    bool generated = false;
    json_array_foreach(json_object_get(search, "results"), i, v)
    {
        json_t *pos = json_object_get(v, "position");
        json_t *lat = json_is_object(pos) ? json_object_get(pos, "lat") : NULL;
        json_t *lon = json_is_object(pos) ? json_object_get(pos, "lon") : NULL;
        ml_buf street;
        ml_buf_init(&street, 256);
        ml_address_normal_case(&street, str(v, "address"));
        json_t *size = json_object_get(v, "size");
        bool gen = json_is_true(json_object_get(v, "generated"));
        generated |= gen;
        json_array_append_new(
            rows, ml_json_pack(&jb, "[s, s, s, s, s, s, s, s, s, s, s, s, s, O?, O?, s]",
                               str(v, "siret"), str(v, "name"), str(v, "company"),
                               sub(v, "activity", "code"), sub(v, "activity", "label"),
                               /* too long to recase: the address as stored */
                               ml_buf_failed(&street) ? str(v, "address") : ml_buf_cstr(&street),
                               str(v, "postcode"), sub(v, "commune", "name"),
                               sub(v, "commune", "code"), label_fr(size), str(v, "category"),
                               json_is_true(json_object_get(v, "head_office")) ? "oui" : "non",
                               json_is_true(json_object_get(v, "active")) ? "oui" : "non", lat, lon,
                               gen ? "oui" : "non"));
        ml_buf_release(&street);
    }
    const ml_sheet sheets[] = {{"Établissements", search_cols, ML_ARRAY_LEN(search_cols), rows}};
    json_t *q = json_object_get(search, "query");
    char title[1024], count[256];
    ml_snprintf(title, sizeof title, "Recherche « %s »%s%s", str(q, "text"),
                *str(q, "filters") ? ", filtres : " : "", str(q, "filters"));
    ml_snprintf(count, sizeof count, "%zu établissements exportés%s.",
                json_array_size(json_object_get(search, "results")),
                json_is_true(json_object_get(search, "total_exact"))
                    ? ""
                    : " (le nombre total de réponses dépasse ce qui est compté exactement)");
    const char *notes[] = {
        count,
        note && *note ? note : "Toutes les réponses de la recherche sont exportées.",
        "Source : répertoire SIRENE de l'Insee, tel qu'importé dans cette base (maillage info "
        "donne la date des fichiers). Les établissements en diffusion partielle (statut P) n'y "
        "figurent jamais.",
        generated ? "ATTENTION : ces établissements sont des données de démonstration générées "
                    "(colonne « Données générées »), pas des entreprises réelles."
                  : "Ordre : ouverts d'abord, puis par tranche d'effectif décroissante.",
    };
    ml_table_doc doc = {sheets, ML_ARRAY_LEN(sheets), title, notes, ML_ARRAY_LEN(notes), false};
    ml_err r = ml_json_done(ctx, &jb);
    if (!r) r = ml_table_write(ctx, &doc, fmt, path);
    json_decref(rows);
    return r;
}

#define SEARCH_EXPORT_MAX 10000
#define SEARCH_PAGE       200

ml_err ml_export_search_query(ml_db *db, const ml_search_query *q, unsigned cap,
                              ml_export_format fmt, const char *path, unsigned *exported,
                              bool *capped)
{
    if (cap == 0 || cap > SEARCH_EXPORT_MAX) cap = SEARCH_EXPORT_MAX;
    ml_search_query page = *q;
    page.facets = false;
    page.limit = SEARCH_PAGE;
    json_t *all = NULL;
    ml_err r = ML_OK;
    bool more = false;
    /* Pages of 200 until the cap (the last page may hold more than needed). */
    for (page.offset = 0; page.offset < cap; page.offset += SEARCH_PAGE) {
        json_t *res = NULL;
        if ((r = ml_search(db, &page, &res))) break;
        json_t *list = json_object_get(res, "results");
        if (!all) {
            all = res;
        } else {
            json_array_extend(json_object_get(all, "results"), list);
            json_decref(res);
        }
        if (json_array_size(list) < SEARCH_PAGE) break;
        if (page.offset + SEARCH_PAGE >= cap) more = true;
    }
    if (r) {
        json_decref(all);
        return r;
    }
    json_t *results = json_object_get(all, "results");
    while (json_array_size(results) > cap)
        json_array_remove(results, json_array_size(results) - 1);
    if (more) {
        /* One more page tells whether the cap cut anything. */
        json_t *res = NULL;
        page.offset = cap;
        page.limit = 1;
        if (!ml_search(db, &page, &res)) more = json_array_size(json_object_get(res, "results")) > 0;
        json_decref(res);
    }
    char note[256] = "";
    if (more)
        ml_snprintf(note, sizeof note,
                    "Export limité aux %u premières réponses (dans l'ordre de la recherche) : "
                    "affinez la recherche pour les avoir toutes.",
                    cap);
    if (exported) *exported = (unsigned)json_array_size(results);
    if (capped) *capped = more;
    r = ml_export_search(ml_db_ctx(db), all, note, fmt, path);
    json_decref(all);
    return r;
}

/* --------------------------------------------------------------- territory */

static const ml_col key_cols[] = {
    {"Indicateur", ML_COL_TEXT, 48},
    {"Valeur", ML_COL_INT, 14},
    {"Part", ML_COL_PCT, 10},
    {"Remarque", ML_COL_WRAP, 60},
};
static const ml_col share_cols[] = {
    {"Code", ML_COL_TEXT, 9},
    {"Libellé", ML_COL_TEXT, 60},
    {"Établissements actifs", ML_COL_INT, 14},
    {"Part", ML_COL_PCT, 10},
};

/* A count, or null (and "moins de 3" in the remark) when secret. */
static json_t *count_of(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_incref(v) : json_null();
}

/* Rows [code, label, count, share]; the row without a code is labelled `other`. */
static json_t *share_rows(ml_json_build *jb, json_t *list, double total, const char *other)
{
    json_t *rows = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        json_t *n = json_object_get(v, "count");
        json_t *share = json_is_number(n) && total > 0
                            ? json_real(json_number_value(n) / total)
                            : json_null();
        bool is_other = json_is_null(json_object_get(v, "code"));
        json_array_append_new(rows, ml_json_pack(jb, "[s, s, O, o]", str(v, "code"),
                                                 is_other ? other : label_fr(v),
                                                 json_is_number(n) ? n : json_null(), share));
    }
    return rows;
}

ml_err ml_export_territory(ml_ctx *ctx, json_t *summary, ml_export_format fmt, const char *path)
{
    json_t *t = json_object_get(summary, "territory"), *e = json_object_get(summary, "establishments");
    double active = json_number_value(json_object_get(e, "active"));
    json_t *keys = json_array();
    ml_json_build jb = {0};
    static const struct {
        const char *key, *label, *remark;
        bool share, always;
    } figures[] = {
        {"active", "Établissements ouverts", NULL, false, true},
        {"closed", "Établissements fermés encore au répertoire", NULL, false, true},
        {"total", "Établissements au répertoire (ouverts et fermés)", NULL, false, true},
        {"active_employers", "dont employeurs", NULL, true, true},
        {"active_restricted", "dont en diffusion partielle (statut P)",
         "comptés, jamais nommés ni localisés", true, true},
        {"active_approximate_position", "dont placés au centre de leur commune",
         "position approximative", true, false},
    };
    json_t *src = json_object_get(summary, "sources");
    bool generated = json_is_true(json_object_get(summary, "contains_generated_data"));
    if (generated)
        json_array_append_new(keys, ml_json_pack(&jb, "[s, n, n, s]", "ATTENTION",
                                                 "Données de démonstration GÉNÉRÉES : aucune "
                                                 "entreprise réelle"));
    json_array_append_new(keys, ml_json_pack(&jb, "[s, O?, n, s?]", "Population municipale",
                                             json_object_get(t, "population"),
                                             str(json_object_get(src, "population"), "label_fr")));
    json_array_append_new(
        keys, ml_json_pack(&jb, "[s, O?, n, n]", "Communes", json_object_get(t, "communes")));
    for (size_t k = 0; k < ML_ARRAY_LEN(figures); k++) {
        json_t *n = count_of(e, figures[k].key);
        if (!figures[k].always && json_integer_value(n) == 0 && json_is_integer(n)) {
            json_decref(n);
            continue;
        }
        json_t *share = figures[k].share && json_is_number(n) && active > 0
                            ? json_real(json_number_value(n) / active)
                            : json_null();
        const char *remark = json_is_null(n) ? "moins de 3 : non diffusé (secret statistique)"
                                             : figures[k].remark;
        json_array_append_new(
            keys, ml_json_pack(&jb, "[s, o, o, s?]", figures[k].label, n, share, remark));
    }
    json_t *a10 =
        share_rows(&jb, json_object_get(summary, "by_a10"), active, "autres ou moins de 3");
    json_t *a38 =
        share_rows(&jb, json_object_get(summary, "by_a38"), active, "autres ou moins de 3");
    json_t *sizes =
        share_rows(&jb, json_object_get(summary, "by_size"), active, "autres ou moins de 3");
    json_t *communes = share_rows(&jb, json_object_get(summary, "top_communes"), active,
                                  "autres communes (et celles de moins de 3)");
    const ml_sheet sheets[] = {
        {"Chiffres clés", key_cols, ML_ARRAY_LEN(key_cols), keys},
        {"Secteurs (A10)", share_cols, ML_ARRAY_LEN(share_cols), a10},
        {"Secteurs (A38)", share_cols, ML_ARRAY_LEN(share_cols), a38},
        {"Tranches d'effectif", share_cols, ML_ARRAY_LEN(share_cols), sizes},
        {"Communes", share_cols, ML_ARRAY_LEN(share_cols), communes},
    };
    size_t nsheets = json_array_size(communes) ? ML_ARRAY_LEN(sheets) : ML_ARRAY_LEN(sheets) - 1;
    static const struct {
        const char *kind, *fr;
    } kinds[] = {{"commune", "Commune"},        {"epci", "EPCI"},     {"departement", "Département"},
                 {"region", "Région"},          {"country", "Pays"}};
    const char *kind = str(t, "kind");
    for (size_t k = 0; k < ML_ARRAY_LEN(kinds); k++)
        if (strcmp(kinds[k].kind, kind) == 0) kind = kinds[k].fr;
    char title[512];
    ml_snprintf(title, sizeof title, "%s %s (%s)%s", kind, str(t, "code"), str(t, "name"),
                generated ? " : DONNÉES DE DÉMONSTRATION GÉNÉRÉES" : "");
    json_t *sir = json_object_get(src, "sirene");
    char sirene[512];
    ml_snprintf(sirene, sizeof sirene,
                "Établissements : répertoire SIRENE de l'Insee importé le %s (UTC) ; créations "
                "jusqu'au %s ; tranches d'effectif de %lld. Parts : part des établissements "
                "ouverts du territoire.",
                str(sir, "imported"), str(sir, "latest_creation"),
                (long long)json_integer_value(json_object_get(sir, "headcount_year")));
    const char *notes[] = {
        sirene,
        "Secret statistique : un nombre de moins de 3 établissements n'est jamais diffusé ; la "
        "cellule est vide et la remarque le dit (docs/privacy.md de maillage).",
        "Secteurs : niveaux A10 et A38 de la NAF rév. 2 (Insee) ; tranches d'effectif : celles du "
        "répertoire SIRENE. Géographie : code officiel géographique 2026 (Insee), EPCI au 1er "
        "janvier 2026 (DGCL).",
        generated
            ? "ATTENTION : cette base contient des données de démonstration générées, pas des "
              "entreprises réelles."
            : "Données réelles du répertoire SIRENE (Insee), licence ouverte Etalab.",
    };
    ml_table_doc doc = {sheets, nsheets, title, notes, ML_ARRAY_LEN(notes), true};
    ml_err r = ml_json_done(ctx, &jb);
    if (!r) r = ml_table_write(ctx, &doc, fmt, path);
    json_decref(keys);
    json_decref(a10);
    json_decref(a38);
    json_decref(sizes);
    json_decref(communes);
    return r;
}
