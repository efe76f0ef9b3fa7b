/* programme.c — the workbook a programme team hands to its funders (issue
 * 13): the envelopes' positions on a day, the projects, the ledger and the
 * impact, with the method, through the one table writer (table.c). Money
 * arrives in cents and is written in euros with two decimals. */
#include "export/table.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Cents as euros (a JSON real), or null. */
static json_t *eur(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? json_real((double)json_integer_value(v) / 100.0) : json_null();
}

static const ml_col env_cols[] = {
    {"Instrument", ML_COL_TEXT, 16}, {"Financeur", ML_COL_TEXT, 22},
    {"Montant", ML_COL_EUR, 16},     {"Engagé", ML_COL_EUR, 16},
    {"Versé", ML_COL_EUR, 16},       {"Remboursé", ML_COL_EUR, 16},
    {"Disponible", ML_COL_EUR, 16},  {"Renouvelable", ML_COL_TEXT, 12},
};
static const ml_col project_cols[] = {
    {"N°", ML_COL_INT, 6},
    {"Intitulé", ML_COL_TEXT, 34},
    {"Établissement", ML_COL_TEXT, 30},
    {"SIRET", ML_COL_TEXT, 16},
    {"Type", ML_COL_TEXT, 16},
    {"Étape", ML_COL_TEXT, 12},
    {"Coût total", ML_COL_EUR, 16},
    {"Dépenses éligibles", ML_COL_EUR, 16},
    {"Emplois créés (déclarés)", ML_COL_INT, 12},
    {"Emplois maintenus (déclarés)", ML_COL_INT, 12},
    {"Subvention demandée", ML_COL_EUR, 16},
    {"Avance demandée", ML_COL_EUR, 16},
};
static const ml_col ledger_cols[] = {
    {"Date", ML_COL_TEXT, 12},     {"Écriture", ML_COL_TEXT, 12},   {"Projet", ML_COL_INT, 8},
    {"Intitulé", ML_COL_TEXT, 30}, {"Instrument", ML_COL_TEXT, 14}, {"Financeur", ML_COL_TEXT, 20},
    {"Montant", ML_COL_EUR, 16},   {"Note", ML_COL_WRAP, 40},
};
static const ml_col impact_cols[] = {
    {"Indicateur", ML_COL_TEXT, 46},
    {"Euros", ML_COL_EUR, 18},
    {"Valeur", ML_COL_DEC3, 14},
};

static const char *kind_fr(const char *k)
{
    return strcmp(k, "commit") == 0   ? "engagement"
           : strcmp(k, "pay") == 0    ? "versement"
           : strcmp(k, "repay") == 0  ? "remboursement"
           : strcmp(k, "cancel") == 0 ? "annulation"
                                      : k;
}

ml_err ml_export_programme(ml_ctx *ctx, json_t *report, ml_export_format fmt, const char *path)
{
    json_t *prog = json_object_get(report, "programme"), *pos = json_object_get(report, "position");
    json_t *imp = json_object_get(report, "impact");
    json_t *projects = json_object_get(json_object_get(report, "projects"), "projects");
    json_t *entries = json_object_get(json_object_get(report, "ledger"), "entries");
    ml_json_build jb = {0};
    json_t *envs = json_array(), *prows = json_array(), *lrows = json_array(),
           *irows = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(pos, "envelopes"), i, v) json_array_append_new(
        envs, ml_json_pack(&jb, "[s, s, o, o, o, o, o, s]", str(v, "instrument"), str(v, "funder"),
                           eur(v, "amount"), eur(v, "committed"), eur(v, "paid"), eur(v, "repaid"),
                           eur(v, "available"),
                           json_is_true(json_object_get(v, "revolving")) ? "oui" : "non"));
    json_array_foreach(projects, i, v) json_array_append_new(
        prows, ml_json_pack(&jb, "[O, s, s, s, s, s, o, o, O, O, o, o]", json_object_get(v, "id"),
                            str(v, "title"), str(v, "firm"), str(v, "siret"), str(v, "type"),
                            str(v, "stage"), eur(v, "cost"), eur(v, "eligible"),
                            json_object_get(v, "jobs_created"), json_object_get(v, "jobs_kept"),
                            eur(v, "requested_subsidy"), eur(v, "requested_advance")));
    json_array_foreach(entries, i, v)
    {
        const char *title = "";
        size_t k;
        json_t *p;
        json_array_foreach(
            projects, k, p) if (json_equal(json_object_get(p, "id"), json_object_get(v, "project")))
            title = str(p, "title");
        json_array_append_new(lrows,
                              ml_json_pack(&jb, "[s, s, O, s, s, s, o, s]", str(v, "day"),
                                           kind_fr(str(v, "kind")), json_object_get(v, "project"),
                                           title, str(v, "instrument"), str(v, "funder"),
                                           eur(v, "amount"), str(v, "note")));
    }
    json_t *rp = json_object_get(imp, "repayments");
    struct {
        const char *label;
        json_t *euros, *value;
    } lines[] = {
        {"Projets décidés", json_null(), json_incref(json_object_get(imp, "projects_decided"))},
        {"Coût total des projets décidés", eur(imp, "cost"), json_null()},
        {"Aide engagée (moins les annulations)", eur(imp, "aid"), json_null()},
        {"Aide versée", eur(imp, "paid"), json_null()},
        {"Effet de levier (euros privés par euro public)", json_null(),
         json_incref(json_object_get(imp, "leverage"))},
        {"Emplois créés (déclarés)", json_null(),
         json_incref(json_object_get(imp, "jobs_created"))},
        {"Emplois maintenus (déclarés)", json_null(),
         json_incref(json_object_get(imp, "jobs_kept"))},
        {"Aide par emploi créé", eur(imp, "aid_per_job_created"), json_null()},
        {"Échéances dues à la date", eur(rp, "due"), json_null()},
        {"dont remboursées", eur(rp, "repaid_of_due"), json_null()},
        {"dont en retard", eur(rp, "late"), json_null()},
        {"dont en défaut (plus de 3 mois)", eur(rp, "defaulted"), json_null()},
        {"Taux de remboursement", json_null(), json_incref(json_object_get(rp, "rate"))},
    };
    for (size_t k = 0; k < ML_ARRAY_LEN(lines); k++)
        json_array_append_new(irows, ml_json_pack(&jb, "[s, o, o]", lines[k].label, lines[k].euros,
                                                  lines[k].value ? lines[k].value : json_null()));
    ml_json_check(&jb, envs, "envelopes");
    ml_json_check(&jb, prows, "projects");
    ml_json_check(&jb, lrows, "ledger");
    ml_json_check(&jb, irows, "impact");
    ml_err r = ml_json_done(ctx, &jb);
    char title[320], at[80];
    ml_snprintf(title, sizeof title, "Programme %s : situation au %s", str(prog, "name"),
                str(pos, "at"));
    ml_snprintf(at, sizeof at, "Positions et impact calculés au %s.", str(pos, "at"));
    bool generated = json_is_true(json_object_get(prog, "generated"));
    const char *notes[] = {
        generated ? "ATTENTION : programme de démonstration GÉNÉRÉ, aucune entreprise ni aide "
                    "réelle."
                  : "Données confidentielles : réservées aux organisations du programme.",
        at,
        "Montants en euros, tenus au centime. Les positions sont calculées à partir des "
        "écritures du grand livre datées au plus tard ce jour : engagé = engagements - "
        "annulations ; disponible = montant - engagé (+ remboursé pour une enveloppe "
        "renouvelable).",
        "Effet de levier = (coût des projets décidés - aide) / aide. Emplois : tels que déclarés "
        "dans les projets.",
        "Échéances : chaque avance est remboursée selon son échéancier, dans la limite de ce qui "
        "a été versé ; une échéance non couverte trois mois après sa date est en défaut.",
        "Méthode : docs/methods.md, « Programmes » (maillage).",
    };
    ml_sheet sheets[] = {
        {"Enveloppes", env_cols, ML_ARRAY_LEN(env_cols), envs},
        {"Projets", project_cols, ML_ARRAY_LEN(project_cols), prows},
        {"Grand livre", ledger_cols, ML_ARRAY_LEN(ledger_cols), lrows},
        {"Impact", impact_cols, ML_ARRAY_LEN(impact_cols), irows},
    };
    ml_table_doc doc = {.sheets = sheets,
                        .nsheets = ML_ARRAY_LEN(sheets),
                        .title = title,
                        .notes = notes,
                        .nnotes = ML_ARRAY_LEN(notes),
                        .csv_report = true};
    if (!r) r = ml_table_write(ctx, &doc, (int)fmt, path);
    json_decref(envs);
    json_decref(prows);
    json_decref(lrows);
    json_decref(irows);
    return r;
}

ml_err ml_export_programme_report(ml_db *db, ml_ctx *ctx, const ml_actor *who,
                                  const char *programme, const char *at, ml_export_format fmt,
                                  const char *path)
{
    json_t *parts[5] = {NULL};
    ml_err r = ml_programme_show(db, who, programme, &parts[0]);
    if (!r) r = ml_programme_position(db, who, programme, at, &parts[1]);
    if (!r) r = ml_programme_impact(db, who, programme, at, &parts[2]);
    if (!r) r = ml_project_list(db, who, programme, at, false, &parts[3]);
    if (!r) r = ml_ledger_list(db, who, programme, &parts[4]);
    if (r) {
        for (size_t i = 0; i < 5; i++)
            json_decref(parts[i]);
        return r;
    }
    json_t *report = json_pack("{s:o s:o s:o s:o s:o}", "programme", parts[0], "position", parts[1],
                               "impact", parts[2], "projects", parts[3], "ledger", parts[4]);
    if (!report) return ml_fail(ctx, ML_NOMEM, "out of memory");
    r = ml_export_programme(ctx, report, fmt, path);
    json_decref(report);
    return r;
}
