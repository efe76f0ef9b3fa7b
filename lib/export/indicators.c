/* indicators.c — a territory's indicators (ml_territory_indicators) as a
 * table document (table.c): key figures, activities, specialisations,
 * company categories, creations and closures by year, and a sheet of method
 * and sources. Figures under the secrecy threshold are null in the
 * indicators; they stay empty cells here and the remark says why. */
#include "export/table.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static const char *label_fr(json_t *o)
{
    const char *fr = str(o, "label_fr");
    return *fr ? fr : str(o, "label");
}

/* The value, or null (a secret or unknown figure). */
static json_t *num(json_t *v)
{
    return json_is_number(v) ? json_incref(v) : json_null();
}

static const char *secret_remark(json_t *v, const char *otherwise)
{
    return json_is_null(v) ? "moins de 3 : non diffusé (secret statistique)" : otherwise;
}

static const ml_col key_cols[] = {
    {"Indicateur", ML_COL_TEXT, 52},
    {"Valeur", ML_COL_INT, 14},
    {"Part", ML_COL_PCT, 10},
    {"Remarque", ML_COL_WRAP, 60},
};
static const ml_col activity_cols[] = {
    {"Code", ML_COL_TEXT, 9},
    {"Libellé", ML_COL_TEXT, 60},
    {"Établissements actifs", ML_COL_INT, 14},
    {"Emplois estimés", ML_COL_INT, 14},
    {"Part", ML_COL_PCT, 10},
    {"Part dans la base", ML_COL_PCT, 12},
    {"Quotient de localisation", ML_COL_DEC3, 14},
};
static const ml_col category_cols[] = {
    {"Catégorie", ML_COL_TEXT, 20},
    {"Établissements actifs", ML_COL_INT, 14},
    {"Part des établissements", ML_COL_PCT, 12},
    {"Emplois estimés", ML_COL_INT, 14},
    {"Part des emplois", ML_COL_PCT, 12},
};
static const ml_col year_cols[] = {
    {"Année", ML_COL_TEXT, 10},
    {"Créations", ML_COL_INT, 12},
    {"Fermetures", ML_COL_INT, 12},
};

static json_t *activity_rows(ml_json_build *jb, json_t *list)
{
    json_t *rows = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(list, i, a)
    json_array_append_new(
        rows, ml_json_pack(jb, "[s, s, o, o, o, o, o]", str(a, "code"), label_fr(a),
                           num(json_object_get(a, "establishments")),
                           num(json_object_get(a, "jobs")), num(json_object_get(a, "share")),
                           num(json_object_get(a, "base_share")), num(json_object_get(a, "lq"))));
    return rows;
}

ml_err ml_export_indicators(ml_ctx *ctx, json_t *summary, json_t *ind, ml_export_format fmt,
                            const char *path)
{
    ml_json_build jb = {0};
    bool generated = json_is_true(json_object_get(summary, "contains_generated_data"));
    json_t *sir = json_object_get(json_object_get(summary, "sources"), "sirene");
    json_t *t = json_object_get(ind, "territory"), *f = json_object_get(ind, "figures");
    json_t *in = json_object_get(f, "industry"), *dv = json_object_get(f, "diversity");
    json_t *lg = json_object_get(f, "largest"), *base = json_object_get(ind, "base");
    json_t *keys = json_array();
    if (generated)
        json_array_append_new(keys, ml_json_pack(&jb, "[s, n, n, s]", "ATTENTION",
                                                 "Données de démonstration GÉNÉRÉES (GENERATED "
                                                 "demo data) : aucune entreprise réelle"));
    static const struct {
        const char *key, *label;
    } plain[] = {
        {"establishments", "Établissements ouverts"},
        {"employer_establishments", "dont employeurs"},
        {"jobs_estimated", "Emplois estimés (milieux des tranches d'effectif)"},
        {"without_headcount", "Établissements sans effectif connu"},
        {"restricted", "Établissements en diffusion partielle (statut P)"},
    };
    for (size_t k = 0; k < ML_ARRAY_LEN(plain); k++) {
        json_t *v = json_object_get(f, plain[k].key);
        json_array_append_new(keys, ml_json_pack(&jb, "[s, o, n, s?]", plain[k].label, num(v),
                                                 secret_remark(v, NULL)));
    }
    json_array_append_new(
        keys, ml_json_pack(&jb, "[s, o, o, s?]", "Établissements industriels (sections B à E)",
                           num(json_object_get(in, "establishments")),
                           num(json_object_get(in, "share")),
                           secret_remark(json_object_get(in, "establishments"),
                                         "part des établissements ouverts")));
    json_array_append_new(
        keys, ml_json_pack(&jb, "[s, o, o, s?]", "Emplois industriels estimés",
                           num(json_object_get(in, "jobs")), num(json_object_get(in, "jobs_share")),
                           secret_remark(json_object_get(in, "jobs"), "part des emplois estimés")));
    json_array_append_new(keys, ml_json_pack(&jb, "[s, o, n, s]", "Activités présentes (diversité)",
                                             num(json_object_get(dv, "activities")),
                                             "au niveau NAF de l'export"));
    json_array_append_new(keys, ml_json_pack(&jb, "[s, o, n, n]",
                                             "dont avec un quotient de localisation de 1 ou plus",
                                             num(json_object_get(dv, "specialised"))));
    json_t *hhi = json_object_get(f, "hhi");
    char hhi_note[160] = "";
    if (json_is_number(hhi))
        ml_snprintf(hhi_note, sizeof hhi_note,
                    "somme des carrés des parts des activités (%.4f), en points de 0 à 10 000",
                    json_number_value(hhi));
    for (char *c = hhi_note; *c; c++)
        if (*c == '.') *c = ','; /* a French decimal comma */
    json_array_append_new(
        keys, ml_json_pack(&jb, "[s, o, n, s]", "Concentration (indice de Herfindahl-Hirschman)",
                           json_is_number(hhi) ? json_real(10000 * json_number_value(hhi))
                                               : json_null(),
                           hhi_note));
    json_array_append_new(keys, ml_json_pack(&jb, "[s, n, o, s?]",
                                             "Part des emplois des 5 plus grands employeurs",
                                             num(json_object_get(lg, "top5_jobs_share")),
                                             json_is_number(json_object_get(lg, "top5_jobs_share"))
                                                 ? NULL
                                                 : "non diffusé : moins de 10 employeurs"));
    json_array_append_new(keys, ml_json_pack(&jb, "[s, n, o, s?]",
                                             "Part des emplois des 10 plus grands employeurs",
                                             num(json_object_get(lg, "top10_jobs_share")),
                                             json_is_number(json_object_get(lg, "top10_jobs_share"))
                                                 ? NULL
                                                 : "non diffusé : moins de 10 employeurs"));
    json_t *acts = activity_rows(&jb, json_object_get(ind, "activities"));
    json_t *specs = activity_rows(&jb, json_object_get(ind, "specialisations"));
    json_t *cats = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(ind, "company_categories"), i, v)
    {
        const char *code = str(v, "code");
        json_array_append_new(
            cats, ml_json_pack(&jb, "[s, o, o, o, o]",
                               strcmp(code, "unknown") == 0 ? "inconnue" : code,
                               num(json_object_get(v, "count")), num(json_object_get(v, "share")),
                               num(json_object_get(v, "jobs")),
                               num(json_object_get(v, "jobs_share"))));
    }
    json_t *years = json_array(), *y = json_object_get(ind, "years");
    json_t *before = json_object_get(y, "before");
    if (json_is_object(before)) {
        char label[32];
        ml_snprintf(label, sizeof label, "jusqu'à %lld",
                    (long long)json_integer_value(json_object_get(before, "until")));
        json_array_append_new(years, ml_json_pack(&jb, "[s, o, o]", label,
                                                  num(json_object_get(before, "created")),
                                                  num(json_object_get(before, "closed"))));
    }
    json_array_foreach(json_object_get(y, "by_year"), i, v)
    {
        char label[16];
        ml_snprintf(label, sizeof label, "%lld",
                    (long long)json_integer_value(json_object_get(v, "year")));
        json_array_append_new(years, ml_json_pack(&jb, "[s, o, o]", label,
                                                  num(json_object_get(v, "created")),
                                                  num(json_object_get(v, "closed"))));
    }
    const ml_sheet sheets[] = {
        {"Chiffres clés", key_cols, ML_ARRAY_LEN(key_cols), keys},
        {"Activités", activity_cols, ML_ARRAY_LEN(activity_cols), acts},
        {"Spécialisations", activity_cols, ML_ARRAY_LEN(activity_cols), specs},
        {"Catégories d'entreprises", category_cols, ML_ARRAY_LEN(category_cols), cats},
        {"Créations et fermetures", year_cols, ML_ARRAY_LEN(year_cols), years},
    };
    char title[512], basis[512], hidden[256], source[512];
    static const struct {
        const char *kind, *fr;
    } kinds[] = {{"commune", "commune"},       {"epci", "EPCI"},     {"departement", "département"},
                 {"region", "région"},         {"country", "pays"}, {"perimeter", "périmètre"}};
    const char *kind = str(t, "kind"), *base_kind = str(base, "kind");
    for (size_t k = 0; k < ML_ARRAY_LEN(kinds); k++) {
        if (strcmp(kinds[k].kind, kind) == 0) kind = kinds[k].fr;
        if (strcmp(kinds[k].kind, base_kind) == 0) base_kind = kinds[k].fr;
    }
    ml_snprintf(title, sizeof title, "Indicateurs : %s %s (%s), activités au niveau %s%s",
                kind, str(t, "code"), str(t, "name"), str(ind, "level"),
                generated ? " : DONNÉES DE DÉMONSTRATION GÉNÉRÉES" : "");
    ml_snprintf(source, sizeof source,
                "Établissements : répertoire SIRENE de l'Insee%s importé le %s (UTC) ; "
                "créations jusqu'au %s ; tranches d'effectif de %lld.",
                generated ? " (GÉNÉRÉ pour la démonstration : aucune entreprise réelle)" : "",
                str(sir, "imported"), str(sir, "latest_creation"),
                (long long)json_integer_value(json_object_get(sir, "headcount_year")));
    if (json_is_object(base))
        ml_snprintf(basis, sizeof basis,
                    "Quotients de localisation des %s face à %s %s (%s) : part de l'activité "
                    "dans le territoire divisée par sa part dans la base ; une spécialisation est "
                    "un quotient de 1,25 ou plus avec 3 établissements ou plus.",
                    strcmp(str(ind, "value"), "establishments") == 0 ? "établissements"
                                                                     : "emplois estimés",
                    base_kind, str(base, "code"), str(base, "name"));
    else
        ml_snprintf(basis, sizeof basis,
                    "Pas de base de comparaison : la base de données ne couvre aucun territoire "
                    "plus large ; pas de quotient de localisation.");
    ml_snprintf(hidden, sizeof hidden,
                "Activités de moins de 3 établissements non montrées : %lld (secret statistique).",
                (long long)json_integer_value(json_object_get(ind, "activities_hidden")));
    const char *notes[] = {
        source,
        basis,
        "Emplois estimés : le milieu de la tranche d'effectif de chaque établissement ouvert "
        "(0 pour « 0 salarié » ou une tranche inconnue).",
        "Industrie : sections B à E de la NAF rév. 2. Concentration : indice de "
        "Herfindahl-Hirschman sur les parts des activités.",
        "Créations : date de création SIRENE ; fermetures : date de début de la période où "
        "l'établissement est fermé (dateDebut).",
        "Secret statistique : un nombre de moins de 3 établissements n'est jamais diffusé ; la "
        "cellule est vide (docs/privacy.md de maillage).",
        hidden,
        "Géographie : code officiel géographique 2026 (Insee), EPCI au 1er janvier 2026 (DGCL). "
        "Activités : NAF rév. 2 (Insee). Méthodes : docs/methods.md de maillage.",
    };
    ml_table_doc doc = {sheets, ML_ARRAY_LEN(sheets), title, notes, ML_ARRAY_LEN(notes), true};
    ml_err r = ml_json_done(ctx, &jb);
    if (!r) r = ml_table_write(ctx, &doc, fmt, path);
    json_decref(keys);
    json_decref(acts);
    json_decref(specs);
    json_decref(cats);
    json_decref(years);
    return r;
}
