/* network.c — the export of a network report an organiser can hand to a
 * meeting: its pairs (CSV), or pairs, outside partners, method and sources
 * (Excel), through the one table writer (table.c). */
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

/* Pairs: each pair of members once, with the reason of each direction. */
static const ml_col pair_cols[] = {
    {"Rang", ML_COL_INT, 6},
    {"Établissement A", ML_COL_TEXT, 30},
    {"SIRET A", ML_COL_TEXT, 16},
    {"Activité A", ML_COL_TEXT, 30},
    {"Commune A", ML_COL_TEXT, 22},
    {"Établissement B", ML_COL_TEXT, 30},
    {"SIRET B", ML_COL_TEXT, 16},
    {"Activité B", ML_COL_TEXT, 30},
    {"Commune B", ML_COL_TEXT, 22},
    {"Distance (km)", ML_COL_DEC1, 11},
    {"Score", ML_COL_DEC3, 9},
    {"A fournit B : pourquoi", ML_COL_WRAP, 70},
    {"B fournit A : pourquoi", ML_COL_WRAP, 70},
    {"Données générées", ML_COL_TEXT, 10},
};

static json_t *pair_row(ml_json_build *jb, json_t *p)
{
    json_t *a = json_object_get(p, "a"), *b = json_object_get(p, "b");
    json_t *ab = json_object_get(p, "a_to_b"), *ba = json_object_get(p, "b_to_a");
    json_t *any = json_is_object(ab) ? ab : ba;
    bool generated = json_is_true(json_object_get(a, "generated")) ||
                     json_is_true(json_object_get(b, "generated"));
    return ml_json_pack(
        jb, "[O?, s, s, s, s, s, s, s, s, O?, O?, s, s, s]", json_object_get(p, "rank"),
        str(a, "name"), str(a, "siret"), sub(a, "activity", "label"), sub(a, "commune", "name"),
        str(b, "name"), str(b, "siret"), sub(b, "activity", "label"), sub(b, "commune", "name"),
        json_object_get(json_object_get(any, "parts"), "distance_km"), json_object_get(p, "score"),
        str(ab, "reason_fr"), str(ba, "reason_fr"), generated ? "oui" : "non");
}

/* Outside suppliers or customers: what each brings, whom it serves best, why. */
static const ml_col outside_cols[] = {
    {"Rang", ML_COL_INT, 6},
    {"SIRET", ML_COL_TEXT, 16},
    {"Établissement", ML_COL_TEXT, 30},
    {"Activité", ML_COL_TEXT, 30},
    {"Ce qu'il apporte (classe NAF)", ML_COL_TEXT, 30},
    {"Commune", ML_COL_TEXT, 22},
    {"Membres servis", ML_COL_INT, 9},
    {"Score total", ML_COL_DEC3, 10},
    {"Meilleur lien avec un membre", ML_COL_TEXT, 30},
    {"Pourquoi", ML_COL_WRAP, 80},
    {"Données générées", ML_COL_TEXT, 10},
};

static json_t *outside_row(ml_json_build *jb, json_t *o)
{
    json_t *in = json_object_get(o, "input");
    char input[256];
    ml_snprintf(input, sizeof input, "%s %s", str(in, "code"), str(in, "label_fr"));
    return ml_json_pack(jb, "[O?, s, s, s, s, s, O?, O?, s, s, s]", json_object_get(o, "rank"),
                        str(o, "siret"), str(o, "name"), sub(o, "activity", "label"), input,
                        sub(o, "commune", "name"), json_object_get(o, "members_served"),
                        json_object_get(o, "total_score"), sub(o, "best_member", "name"),
                        str(o, "reason_fr"),
                        json_is_true(json_object_get(o, "generated")) ? "oui" : "non");
}

ml_err ml_export_network(ml_ctx *ctx, json_t *report, ml_export_format fmt, const char *path)
{
    json_t *pairs = json_array(), *sup = json_array(), *cus = json_array();
    ml_json_build jb = {0};
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(report, "pairs"), i, v)
        json_array_append_new(pairs, pair_row(&jb, v));
    json_array_foreach(json_object_get(report, "outside_suppliers"), i, v)
        json_array_append_new(sup, outside_row(&jb, v));
    json_array_foreach(json_object_get(report, "outside_customers"), i, v)
        json_array_append_new(cus, outside_row(&jb, v));
    const ml_sheet sheets[] = {
        {"Paires", pair_cols, ML_ARRAY_LEN(pair_cols), pairs},
        {"Fournisseurs extérieurs", outside_cols, ML_ARRAY_LEN(outside_cols), sup},
        {"Clients extérieurs", outside_cols, ML_ARRAY_LEN(outside_cols), cus},
    };
    char title[512];
    ml_snprintf(title, sizeof title, "Réseau « %s » : %lld membres, %lld actifs et localisés.",
                str(report, "network"),
                (long long)json_integer_value(json_object_get(report, "members")),
                (long long)json_integer_value(json_object_get(report, "members_placed")));
    static const char *const notes[] = {
        "Chaque paire de membres apparaît une fois, avec la raison de chaque sens qui existe "
        "(A fournit B, B fournit A). Score = (part des achats + 0,2 × similarité offres/besoins) "
        "× exp(-distance / échelle) × compatibilité de taille × bonus réseau (1,2) ; le score de "
        "la paire est celui du meilleur sens.",
        "Part des achats : part des consommations intermédiaires (produits français ou importés) "
        "de la classe NAF de l'acheteur qui viennent de la classe NAF du fournisseur "
        "(consommations intermédiaires de l'Insee 2018 au niveau A38, réparties par classe NAF "
        "d'après le tableau WIOD de la France 2014 et les tableaux détaillés 2017 du BEA "
        "américain). Pour le commerce, les marchandises revendues comptent aussi. Les intrants "
        "que toute entreprise achète (banque, immobilier, sièges sociaux, marges commerciales, "
        "énergie de réseau, transport, nettoyage…) ne sont pas proposés.",
        "Partenaires extérieurs : pour chaque membre, ses 10 meilleurs fournisseurs (ou clients) "
        "hors réseau à moins de 150 km ; le score total additionne les membres servis ; au plus "
        "3 par classe NAF ; la raison donnée est celle du lien avec le membre servi le mieux.",
        "Établissements : répertoire SIRENE de l'Insee ; les établissements en diffusion "
        "partielle (statut P) ne sont jamais proposés.",
        "Détail : docs/methods.md de maillage. Les lignes marquées « Données générées = oui » "
        "viennent de données de démonstration générées, pas d'entreprises réelles.",
    };
    ml_table_doc doc = {sheets, ML_ARRAY_LEN(sheets), title, notes, ML_ARRAY_LEN(notes), false};
    ml_err r = ml_json_done(ctx, &jb);
    if (!r) r = ml_table_write(ctx, &doc, fmt, path);
    json_decref(pairs);
    json_decref(sup);
    json_decref(cus);
    return r;
}
