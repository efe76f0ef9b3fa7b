/* impact.c — the impact workbook a programme team hands to its funders
 * (issue 13 part 6): the programme's indicators, one row per decided
 * project (aid, jobs promised and realised, investment realised, leverage,
 * aid per job, repayments) and the follow-ups due, with the method, through
 * the one table writer (table.c). Money arrives in cents, written in euros. */
#include "export/table.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static json_t *eur(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? json_real((double)json_integer_value(v) / 100.0) : json_null();
}

/* A number (integer or real) as is, or null. */
static json_t *num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_incref(v) : json_null();
}

static const ml_col summary_cols[] = {
    {"Indicateur", ML_COL_TEXT, 56}, {"Euros", ML_COL_EUR, 18},   {"Nombre", ML_COL_INT, 10},
    {"Ratio", ML_COL_DEC3, 12},      {"Source", ML_COL_WRAP, 60},
};
static const ml_col project_cols[] = {
    {"N°", ML_COL_INT, 6},
    {"Intitulé", ML_COL_TEXT, 32},
    {"Établissement", ML_COL_TEXT, 28},
    {"SIRET", ML_COL_TEXT, 16},
    {"Type", ML_COL_TEXT, 16},
    {"Décision", ML_COL_TEXT, 12},
    {"Coût prévu", ML_COL_EUR, 16},
    {"Aide publique", ML_COL_EUR, 16},
    {"Aide versée", ML_COL_EUR, 16},
    {"Emplois créés promis", ML_COL_INT, 10},
    {"Emplois maintenus promis", ML_COL_INT, 10},
    {"Dernier suivi (mois)", ML_COL_INT, 10},
    {"Emplois créés réalisés", ML_COL_INT, 10},
    {"Emplois maintenus réalisés", ML_COL_INT, 10},
    {"Investissement réalisé", ML_COL_EUR, 16},
    {"Effet de levier réalisé", ML_COL_DEC3, 12},
    {"Effet de levier prévu", ML_COL_DEC3, 12},
    {"Aide par emploi", ML_COL_EUR, 14},
    {"Échéances dues", ML_COL_EUR, 14},
    {"Remboursé", ML_COL_EUR, 14},
    {"Taux de remboursement", ML_COL_PCT, 12},
};
static const ml_col due_cols[] = {
    {"N°", ML_COL_INT, 6},
    {"Intitulé", ML_COL_TEXT, 32},
    {"Établissement", ML_COL_TEXT, 28},
    {"Décision", ML_COL_TEXT, 12},
    {"Jalon (mois)", ML_COL_INT, 10},
    {"Échéance", ML_COL_TEXT, 12},
    {"État", ML_COL_TEXT, 14},
    {"Saisi le", ML_COL_TEXT, 12},
};

static const char *state_fr(const char *s)
{
    return strcmp(s, "recorded") == 0   ? "saisi"
           : strcmp(s, "upcoming") == 0 ? "à venir"
           : strcmp(s, "due") == 0      ? "à saisir"
           : strcmp(s, "overdue") == 0  ? "en retard"
                                        : s;
}

ml_err ml_export_impact(ml_ctx *ctx, json_t *report, json_t *due, ml_export_format fmt,
                        const char *path)
{
    json_t *tot = json_object_get(report, "total");
    json_t *rp = json_object_get(tot, "repayments");
    json_t *jp = json_object_get(tot, "jobs_promised"), *jr = json_object_get(tot, "jobs_realised");
    json_t *jpf = json_object_get(tot, "jobs_promised_followed");
    ml_json_build jb = {0};
    json_t *srows = json_array(), *prows = json_array(), *drows = json_array();
    struct {
        const char *label;
        json_t *euros, *value;
        const char *source;
    } lines[] = {
        {"Projets décidés", json_null(), num(tot, "projects_decided"),
         "projets au stade décidé à suivi, engagés au plus tard ce jour"},
        {"dont avec au moins un suivi saisi", json_null(), num(tot, "projects_followed"),
         "suivis d'impact datés au plus tard ce jour"},
        {"Aide publique (engagée moins annulée)", eur(tot, "aid"), json_null(),
         "grand livre : engagements - annulations"},
        {"Aide versée", eur(tot, "paid"), json_null(), "grand livre : versements"},
        {"Coût prévu des projets décidés", eur(tot, "cost"), json_null(), "projets"},
        {"Investissement réalisé (projets suivis)", eur(tot, "invested"), json_null(),
         "dernier suivi de chaque projet"},
        {"Aide publique des projets suivis", eur(tot, "aid_followed"), json_null(), "grand livre"},
        {"Effet de levier réalisé (euros privés par euro public)", json_null(),
         num(tot, "leverage"), "(investissement réalisé - aide) / aide, projets suivis"},
        {"Effet de levier prévu", json_null(), num(tot, "leverage_planned"),
         "(coût prévu - aide) / aide, projets décidés"},
        {"Emplois créés promis", json_null(), num(jp, "created"), "projets décidés"},
        {"Emplois maintenus promis", json_null(), num(jp, "kept"), "projets décidés"},
        {"Emplois promis des projets suivis (créés + maintenus)", json_null(),
         json_integer(json_integer_value(json_object_get(jpf, "created")) +
                      json_integer_value(json_object_get(jpf, "kept"))),
         "projets suivis"},
        {"Emplois créés réalisés", json_null(), num(jr, "created"), "dernier suivi"},
        {"Emplois maintenus réalisés", json_null(), num(jr, "kept"), "dernier suivi"},
        {"Emplois réalisés / promis (projets suivis)", json_null(), num(tot, "jobs_ratio"),
         "dernier suivi / projets"},
        {"Aide publique par emploi (créé ou maintenu)", eur(tot, "aid_per_job"), json_null(),
         "aide des projets suivis / emplois réalisés"},
        {"Échéances de remboursement dues", eur(rp, "due"), json_null(),
         "échéanciers, dans la limite du versé"},
        {"dont remboursées", eur(rp, "repaid"), json_null(), "grand livre : remboursements"},
        {"dont en retard", eur(rp, "late"), json_null(), "échéances non couvertes"},
        {"dont en défaut (plus de 3 mois)", eur(rp, "defaulted"), json_null(),
         "échéances non couvertes 3 mois après"},
        {"Taux de remboursement", json_null(), num(rp, "rate"), "remboursé / dû"},
    };
    /* counts in the Nombre column, ratios in the Ratio column */
    for (size_t k = 0; k < ML_ARRAY_LEN(lines); k++) {
        bool count = json_is_integer(lines[k].value);
        json_array_append_new(srows,
                              ml_json_pack(&jb, "[s, o, o, o, s]", lines[k].label, lines[k].euros,
                                           count ? lines[k].value : json_null(),
                                           count ? json_null() : lines[k].value, lines[k].source));
    }
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(report, "projects"), i, v)
    {
        json_t *pr = json_object_get(v, "jobs_promised"), *re = json_object_get(v, "jobs_realised");
        json_t *r = json_object_get(v, "repayments");
        json_array_append_new(
            prows,
            ml_json_pack(&jb, "[O, s, s, s, s, s, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o]",
                         json_object_get(v, "project"), str(v, "title"), str(v, "firm"),
                         str(v, "siret"), str(v, "type"), str(v, "decided"), eur(v, "cost"),
                         eur(v, "aid"), eur(v, "paid"), num(pr, "created"), num(pr, "kept"),
                         num(re, "months"), num(re, "created"), num(re, "kept"), eur(v, "invested"),
                         num(v, "leverage"), num(v, "leverage_planned"), eur(v, "aid_per_job"),
                         eur(r, "due"), eur(r, "repaid"), num(r, "rate")));
    }
    json_array_foreach(json_object_get(due, "followups"), i, v) json_array_append_new(
        drows, ml_json_pack(&jb, "[O, s, s, s, O, s, s, s]", json_object_get(v, "project"),
                            str(v, "title"), str(v, "firm"), str(v, "decided"),
                            json_object_get(v, "months"), str(v, "due"), state_fr(str(v, "state")),
                            str(v, "recorded")));
    ml_json_check(&jb, srows, "indicators");
    ml_json_check(&jb, prows, "projects");
    ml_json_check(&jb, drows, "follow-ups");
    ml_err r = ml_json_done(ctx, &jb);
    char title[320], at[120];
    ml_snprintf(title, sizeof title, "Programme %s : impact au %s", str(report, "name"),
                str(report, "at"));
    ml_snprintf(at, sizeof at, "Indicateurs calculés au %s à partir des suivis et du grand livre.",
                str(report, "at"));
    bool generated = json_is_true(json_object_get(report, "generated"));
    const char *notes[] = {
        generated ? "ATTENTION : programme de démonstration GÉNÉRÉ, aucune entreprise ni aide "
                    "réelle."
                  : "Données confidentielles : réservées aux organisations du programme.",
        at,
        "Jalons de suivi : en mois après la décision de chaque projet (son premier engagement). "
        "À chaque jalon, l'équipe saisit les emplois créés et maintenus et l'investissement "
        "réalisé depuis la décision ; le dernier suivi daté au plus tard ce jour fait foi.",
        "Aide publique = engagements - annulations du grand livre, tous instruments.",
        "Effet de levier réalisé = (investissement réalisé - aide publique) / aide publique "
        "(0 si l'investissement est inférieur à l'aide) ; prévu : avec le coût total déclaré.",
        "Aide par emploi = aide publique / (emplois créés + maintenus au dernier suivi).",
        "Taux de remboursement = remboursé / dû des échéances dues à la date (dans la limite de "
        "ce qui a été versé) ; une échéance non couverte 3 mois après sa date est en défaut.",
        "Un suivi non saisi 3 mois après son échéance est en retard.",
        "Méthode : docs/methods.md, « Impact » (maillage).",
    };
    ml_sheet sheets[] = {
        {"Indicateurs", summary_cols, ML_ARRAY_LEN(summary_cols), srows},
        {"Projets", project_cols, ML_ARRAY_LEN(project_cols), prows},
        {"Suivis", due_cols, ML_ARRAY_LEN(due_cols), drows},
    };
    ml_table_doc doc = {.sheets = sheets,
                        .nsheets = ML_ARRAY_LEN(sheets),
                        .title = title,
                        .notes = notes,
                        .nnotes = ML_ARRAY_LEN(notes),
                        .csv_report = true};
    if (!r) r = ml_table_write(ctx, &doc, (int)fmt, path);
    json_decref(srows);
    json_decref(prows);
    json_decref(drows);
    return r;
}

ml_err ml_export_impact_report(ml_db *db, ml_ctx *ctx, const ml_actor *who, const char *programme,
                               const char *at, ml_export_format fmt, const char *path)
{
    json_t *report = NULL, *due = NULL;
    ml_err r = ml_impact_report(db, who, programme, 0, at, &report);
    if (!r) r = ml_impact_due(db, who, programme, at, true, &due);
    if (!r) r = ml_export_impact(ctx, report, due, fmt, path);
    json_decref(report);
    json_decref(due);
    return r;
}
