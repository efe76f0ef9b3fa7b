/* event.c — the exports of business conventions (issue 14) through the one
 * table writer: a participant's agenda, and the organiser's grid (slots by
 * tables) with the list of meetings and their outcomes. */
#include "export/table.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static const ml_col agenda_cols[] = {
    {"Créneau", ML_COL_INT, 8}, {"Début", ML_COL_TEXT, 8}, {"Fin", ML_COL_TEXT, 8},
    {"Table", ML_COL_INT, 8},   {"Avec", ML_COL_TEXT, 40}, {"SIRET", ML_COL_TEXT, 16},
};

ml_err ml_export_event_agenda(ml_ctx *ctx, json_t *agenda, ml_export_format fmt, const char *path)
{
    json_t *rows = json_array();
    if (!rows) return ml_fail(ctx, ML_NOMEM, "out of memory");
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(agenda, "meetings"), i, m)
    {
        json_t *w = json_object_get(m, "with");
        json_array_append_new(
            rows,
            json_pack("[O, s, s, O, s, O]", json_object_get(m, "slot"), str(m, "start"),
                      str(m, "end"), json_object_get(m, "table"), str(w, "name"),
                      json_object_get(w, "siret") ? json_object_get(w, "siret") : json_null()));
    }
    json_t *e = json_object_get(agenda, "event"), *p = json_object_get(agenda, "participant");
    char title[600], when[200];
    snprintf(title, sizeof title, "Agenda de %s — %s", str(p, "name"), str(e, "name"));
    snprintf(when, sizeof when, "Le %s, heures de Paris (Europe/Paris)", str(e, "date"));
    const char *notes[] = {when, "Créneaux et tables calculés par maillage (planificateur "
                                 "vérifié, docs/methods.md#scheduler)."};
    ml_sheet sheet = {"Agenda", agenda_cols, ML_ARRAY_LEN(agenda_cols), rows};
    ml_table_doc doc = {&sheet, 1, title, notes, 2, false};
    ml_err r = ml_table_write(ctx, &doc, (int)fmt, path);
    json_decref(rows);
    return r;
}

static const ml_col meeting_cols[] = {
    {"Créneau", ML_COL_INT, 8},         {"Début", ML_COL_TEXT, 8},
    {"Table", ML_COL_INT, 8},           {"Participant A", ML_COL_TEXT, 36},
    {"Participant B", ML_COL_TEXT, 36}, {"Priorité", ML_COL_TEXT, 9},
    {"Verrouillé", ML_COL_TEXT, 10},    {"Tenu", ML_COL_TEXT, 6},
    {"Suite", ML_COL_TEXT, 10},         {"Montant (€)", ML_COL_INT, 12},
    {"Emplois", ML_COL_INT, 9},
};

#define GRID_TABLES 200 /* ml_event_show's grid holds at most this many tables */

ml_err ml_export_event_grid(ml_ctx *ctx, json_t *show, ml_export_format fmt, const char *path)
{
    json_t *e = json_object_get(show, "event"), *grid = json_object_get(show, "grid");
    size_t ntables = json_array_size(json_array_get(grid, 0));
    if (ntables > GRID_TABLES) ntables = GRID_TABLES;
    ml_col *cols = calloc(ntables + 2, sizeof *cols);
    char(*names)[16] = calloc(ntables + 2, sizeof *names);
    json_t *rows = json_array(), *mrows = json_array();
    json_t *times = json_object_get(e, "slot_times");
    ml_err r = ML_OK;
    if (!cols || !names || !rows || !mrows) {
        r = ml_fail(ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    cols[0] = (ml_col){"Créneau", ML_COL_INT, 8};
    cols[1] = (ml_col){"Heure", ML_COL_TEXT, 12};
    for (size_t t = 0; t < ntables; t++) {
        snprintf(names[t], sizeof names[t], "Table %zu", t + 1);
        cols[t + 2] = (ml_col){names[t], ML_COL_WRAP, 30};
    }
    size_t s;
    json_t *row;
    json_array_foreach(grid, s, row)
    {
        json_t *slot = json_array_get(times, s);
        char when[16];
        snprintf(when, sizeof when, "%s-%s", str(slot, "start"), str(slot, "end"));
        json_t *out = json_pack("[I, s]", (json_int_t)(s + 1), when);
        for (size_t t = 0; out && t < ntables; t++) {
            json_t *c = json_array_get(row, t);
            char cell[520];
            if (json_is_object(c)) {
                snprintf(cell, sizeof cell, "%s / %s", str(c, "a"), str(c, "b"));
                json_array_append_new(out, json_string(cell));
            } else {
                json_array_append_new(out, json_null());
            }
        }
        json_array_append_new(rows, out);
    }
    json_t *m;
    json_array_foreach(json_object_get(show, "meetings"), s, m)
    {
        json_t *o = json_object_get(m, "outcome");
        const char *res = str(o, "result");
        json_array_append_new(
            mrows,
            json_pack("[O, s, O, s, s, s, s, s, s, O, O]", json_object_get(m, "slot"),
                      str(m, "start"), json_object_get(m, "table"),
                      str(json_object_get(m, "a"), "name"), str(json_object_get(m, "b"), "name"),
                      strcmp(str(m, "priority"), "must") == 0 ? "obligatoire" : "souhait",
                      json_is_true(json_object_get(m, "locked")) ? "oui" : "",
                      !json_is_object(o)                        ? ""
                      : json_is_true(json_object_get(o, "met")) ? "oui"
                                                                : "non",
                      strcmp(res, "quote") == 0      ? "devis"
                      : strcmp(res, "contract") == 0 ? "contrat"
                                                     : "",
                      json_is_object(o) && json_object_get(o, "amount")
                          ? json_object_get(o, "amount")
                          : json_null(),
                      json_is_object(o) && json_object_get(o, "jobs") ? json_object_get(o, "jobs")
                                                                      : json_null()));
    }
    char title[400], line2[200], line3[200];
    snprintf(title, sizeof title, "Grille des rendez-vous — %s", str(e, "name"));
    snprintf(line2, sizeof line2, "Le %s, heures de Paris ; %zu tables", str(e, "date"),
             (size_t)json_integer_value(json_object_get(e, "tables")));
    json_t *sc = json_object_get(e, "schedule");
    if (json_is_object(sc))
        snprintf(line3, sizeof line3, "Planning vérifié : poids %lld, borne supérieure %lld%s",
                 (long long)json_integer_value(json_object_get(sc, "weight")),
                 (long long)json_integer_value(json_object_get(sc, "upper_bound")),
                 json_is_true(json_object_get(sc, "optimal")) ? " (optimal prouvé)" : "");
    else
        snprintf(line3, sizeof line3, "Pas encore planifié");
    const char *notes[] = {line2, line3};
    ml_sheet sheets[] = {
        {"Grille", cols, ntables + 2, rows},
        {"Rendez-vous", meeting_cols, ML_ARRAY_LEN(meeting_cols), mrows},
    };
    ml_table_doc doc = {sheets, 2, title, notes, 2, true};
    r = ml_table_write(ctx, &doc, (int)fmt, path);
out:
    free(cols), free(names);
    json_decref(rows), json_decref(mrows);
    return r;
}
