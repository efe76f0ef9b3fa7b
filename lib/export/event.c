/* event.c — the exports of business conventions (issue 14) through the one
 * table writer: a participant's agenda, and the organiser's grid (slots by
 * tables) with the list of meetings and their outcomes. */
#include <stdio.h>
#include <stdlib.h>

#include "export/pdf.h"
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

/* The table plan: who sits at which table, slot by slot (meetings sorted so). */
static const ml_col plan_cols[] = {
    {"Créneau", ML_COL_INT, 8},         {"Début", ML_COL_TEXT, 8},
    {"Table", ML_COL_INT, 8},           {"Participant A", ML_COL_TEXT, 40},
    {"Participant B", ML_COL_TEXT, 40},
};

#define GRID_TABLES 200 /* ml_event_show's grid holds at most this many tables */

ml_err ml_export_event_grid(ml_ctx *ctx, json_t *show, ml_export_format fmt, const char *path)
{
    json_t *e = json_object_get(show, "event"), *grid = json_object_get(show, "grid");
    size_t ntables = json_array_size(json_array_get(grid, 0));
    if (ntables > GRID_TABLES) ntables = GRID_TABLES;
    ml_col *cols = calloc(ntables + 2, sizeof *cols);
    char(*names)[16] = calloc(ntables + 2, sizeof *names);
    json_t *rows = json_array(), *mrows = json_array(), *prows = json_array();
    json_t *times = json_object_get(e, "slot_times");
    ml_err r = ML_OK;
    if (!cols || !names || !rows || !mrows || !prows) {
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
        json_array_append_new(prows, json_pack("[O, s, O, s, s]", json_object_get(m, "slot"),
                                               str(m, "start"), json_object_get(m, "table"),
                                               str(json_object_get(m, "a"), "name"),
                                               str(json_object_get(m, "b"), "name")));
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
        {"Plan de tables", plan_cols, ML_ARRAY_LEN(plan_cols), prows},
    };
    ml_table_doc doc = {sheets, 3, title, notes, 2, true};
    r = ml_table_write(ctx, &doc, (int)fmt, path);
out:
    free(cols), free(names);
    json_decref(rows), json_decref(mrows), json_decref(prows);
    return r;
}

/* ------------------------------------------------------- the PDF agenda */

#define LG(fr, en_) (en ? (en_) : (fr))

/* The running header: "maillage · NAME · DAY", the name cut on a whole
 * character with "…" when long (the header does not wrap). */
static void header_text(const char *name, const char *day, char *out, size_t size)
{
    size_t n = strlen(name), cut = n;
    if (n > 70) {
        cut = 70;
        while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80)
            cut--;
    }
    ml_snprintf(out, size, "maillage · %.*s%s · %s", (int)cut, name, cut < n ? "…" : "", day);
}

/* "2026-06-16" as "16/06/2026" (French) or kept (English). */
static void day_text(const char *iso, bool en, char out[16])
{
    if (!en && strlen(iso) == 10)
        ml_snprintf(out, 16, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else
        ml_snprintf(out, 16, "%s", iso);
}

static const char *activity_text(json_t *with, bool en, char *out, size_t size)
{
    json_t *a = json_object_get(with, "activity");
    if (!json_is_object(a)) return "";
    const char *label = str(a, en ? "label_en" : "label_fr");
    if (!*label) label = str(a, "label_fr");
    ml_snprintf(out, size, "%s%s%s", label, *label ? " — " : "", str(a, "code"));
    return out;
}

static const char *kind_text(json_t *who, bool en)
{
    const char *k = str(who, "kind");
    if (strcmp(k, "buyer") == 0) return LG("acheteur public", "public buyer");
    if (strcmp(k, "guest") == 0) return LG("invité", "guest");
    return "";
}

ml_err ml_export_event_agenda_pdf(ml_ctx *ctx, json_t *agenda, const char *lang, const char *path)
{
    bool en = lang && strcmp(lang, "en") == 0;
    if (lang && !en && strcmp(lang, "fr") != 0)
        return ml_fail(ctx, ML_INVALID, "lang: 'fr' or 'en', not '%.20s'", lang);
    json_t *e = json_object_get(agenda, "event"), *p = json_object_get(agenda, "participant");
    bool generated = json_is_true(json_object_get(agenda, "contains_generated_data"));
    char day[16], header[600], title[400], line[900], act[400];
    day_text(str(e, "date"), en, day);
    header_text(str(e, "name"), day, header, sizeof header);
    ml_snprintf(title, sizeof title, "%s %s", LG("Agenda de", "Agenda of"), str(p, "name"));
    ml_pdf *pdf;
    ml_err r =
        ml_pdf_open(ctx, path, title, header,
                    generated ? LG("DONNÉES DE DÉMONSTRATION GÉNÉRÉES (GENERATED demo data) : "
                                   "aucune entreprise réelle",
                                   "GENERATED demo data: no real firm")
                              : NULL,
                    &pdf);
    if (r) return r;
    ml_pdf_title(pdf, title);
    if (generated)
        ml_pdf_warning(pdf, LG("Données de démonstration générées (generated demo data) : les "
                               "entreprises de cet événement n'existent pas.",
                               "Generated demo data: the firms of this event do not exist."));
    ml_snprintf(line, sizeof line, "%s", str(e, "name"));
    ml_pdf_para(pdf, line, 12, true);
    ml_snprintf(line, sizeof line, "%s %s%s%s — %s", LG("Le", "On"), day,
                *str(e, "place") ? LG(", ", ", ") : "", str(e, "place"),
                LG("heures de Paris (Europe/Paris)", "Paris time (Europe/Paris)"));
    ml_pdf_para(pdf, line, 0, false);
    ml_pdf_space(pdf, 6);
    const char *kt = kind_text(p, en);
    const char *siret = str(p, "siret");
    ml_snprintf(line, sizeof line, "%s%s%s%s%s", LG("Participant : ", "Participant: "),
                str(p, "name"), *kt ? " (" : "", kt, *kt ? ")" : "");
    ml_pdf_para(pdf, line, 0, true);
    if (*siret || json_is_object(json_object_get(p, "commune"))) {
        ml_snprintf(line, sizeof line, "%s%s%s%s%s", *siret ? "SIRET " : "", siret,
                    *siret ? " · " : "", str(json_object_get(p, "commune"), "name"),
                    json_is_object(json_object_get(p, "activity")) ? " · " : "");
        ml_snprintf(line + strlen(line), sizeof line - strlen(line), "%s",
                    activity_text(p, en, act, sizeof act));
        ml_pdf_para(pdf, line, 0, false);
    }
    ml_pdf_space(pdf, 8);

    /* the changes since publication the participant has not seen yet */
    json_t *changes = json_object_get(agenda, "changes"), *c;
    size_t ci;
    if (json_array_size(changes))
        ml_pdf_heading(pdf, LG("Changements depuis la publication", "Changes since publication"));
    json_array_foreach(changes, ci, c)
    {
        json_t *b = json_object_get(c, "before"), *f = json_object_get(c, "after");
        const char *k = str(c, "kind");
        char was[64] = "", now[64] = "";
        if (json_is_object(b))
            ml_snprintf(was, sizeof was, "%s-%s, table %lld", str(b, "start"), str(b, "end"),
                        (long long)json_integer_value(json_object_get(b, "table")));
        if (json_is_object(f))
            ml_snprintf(now, sizeof now, "%s-%s, table %lld", str(f, "start"), str(f, "end"),
                        (long long)json_integer_value(json_object_get(f, "table")));
        if (strcmp(k, "moved") == 0)
            ml_snprintf(
                line, sizeof line,
                LG("Rendez-vous avec %s déplacé : %s → %s", "Meeting with %s moved: %s → %s"),
                str(c, "with"), was, now);
        else if (strcmp(k, "new") == 0)
            ml_snprintf(line, sizeof line,
                        LG("Nouveau rendez-vous avec %s : %s", "New meeting with %s: %s"),
                        str(c, "with"), now);
        else
            ml_snprintf(line, sizeof line,
                        LG("Rendez-vous avec %s annulé (il était prévu %s)",
                           "Meeting with %s cancelled (it was at %s)"),
                        str(c, "with"), was);
        ml_pdf_para(pdf, line, 0, false);
    }
    json_t *meetings = json_object_get(agenda, "meetings");
    if (!json_is_true(json_object_get(agenda, "scheduled")))
        ml_pdf_para(pdf,
                    LG("Le planning n'est pas encore établi : cet agenda sera complété par "
                       "l'organisateur.",
                       "The schedule is not made yet: the organiser will complete this agenda."),
                    0, false);
    else {
        ml_snprintf(line, sizeof line, "%s%zu", LG("Rendez-vous : ", "Meetings: "),
                    json_array_size(meetings));
        ml_pdf_heading(pdf, line);
        static const ml_pdf_col fr_cols[] = {{"Heure", 0.13, ML_PDF_LEFT},
                                             {"Table", 0.07, ML_PDF_RIGHT},
                                             {"Avec", 0.32, ML_PDF_LEFT},
                                             {"Commune", 0.16, ML_PDF_LEFT},
                                             {"Activité", 0.32, ML_PDF_LEFT}};
        static const ml_pdf_col en_cols[] = {{"Time", 0.13, ML_PDF_LEFT},
                                             {"Table", 0.07, ML_PDF_RIGHT},
                                             {"With", 0.32, ML_PDF_LEFT},
                                             {"Commune", 0.16, ML_PDF_LEFT},
                                             {"Activity", 0.32, ML_PDF_LEFT}};
        json_t *times = json_object_get(e, "slot_times");
        size_t nslots = json_array_size(times), cap = 2 * nslots + 1, nrows = 0;
        const char **cells = calloc(cap * 5, sizeof *cells);
        char(*buf)[600] = calloc(cap * 5, sizeof *buf);
        if (!cells || !buf) {
            free(cells), free(buf);
            ml_pdf_close(pdf);
            remove(path);
            return ml_fail(ctx, ML_NOMEM, "out of memory");
        }
#define CELL(c, ...)                                                                               \
    (ml_snprintf(buf[nrows * 5 + (c)], 600, __VA_ARGS__),                                          \
     cells[nrows * 5 + (c)] = buf[nrows * 5 + (c)])
        for (size_t s = 0; s < nslots; s++) {
            json_t *t = json_array_get(times, s), *m = NULL, *x;
            size_t k;
            json_array_foreach(meetings, k, x)
            {
                if (json_integer_value(json_object_get(x, "slot")) == (json_int_t)(s + 1)) m = x;
            }
            CELL(0, "%s-%s", str(t, "start"), str(t, "end"));
            if (m) {
                json_t *w = json_object_get(m, "with");
                const char *wk = kind_text(w, en);
                CELL(1, "%lld", (long long)json_integer_value(json_object_get(m, "table")));
                CELL(2, "%s%s%s%s", str(w, "name"), *wk ? " (" : "", wk, *wk ? ")" : "");
                CELL(3, "%s", str(json_object_get(w, "commune"), "name"));
                CELL(4, "%s", activity_text(w, en, act, sizeof act));
            } else {
                CELL(2, "%s", LG("— libre —", "— free —"));
            }
            nrows++;
            json_t *next = json_array_get(times, s + 1);
            if (next && strcmp(str(t, "end"), str(next, "start")) != 0) {
                CELL(0, "%s-%s", str(t, "end"), str(next, "start"));
                CELL(2, "%s", LG("Pause", "Break"));
                nrows++;
            }
        }
#undef CELL
        ml_pdf_table(pdf, en ? en_cols : fr_cols, 5, cells, nrows);
        free(cells), free(buf);
    }
    ml_pdf_space(pdf, 10);
    ml_pdf_para(
        pdf,
        LG("Créneaux et tables calculés par maillage (planificateur vérifié). Présentez-vous "
           "à la table indiquée à l'heure dite ; l'organisateur vous préviendra de tout "
           "changement.",
           "Slots and tables computed by maillage (checked scheduler). Go to the table "
           "shown at the time shown; the organiser will tell you of any change."),
        8.5, false);
    return ml_pdf_close(pdf);
}

/* ---------------------------------------------------- the PDF table plan */

ml_err ml_export_event_plan_pdf(ml_ctx *ctx, json_t *show, const char *lang, const char *path)
{
    bool en = lang && strcmp(lang, "en") == 0;
    if (lang && !en && strcmp(lang, "fr") != 0)
        return ml_fail(ctx, ML_INVALID, "lang: 'fr' or 'en', not '%.20s'", lang);
    json_t *e = json_object_get(show, "event"), *meetings = json_object_get(show, "meetings");
    bool generated = json_is_true(json_object_get(show, "contains_generated_data"));
    char day[16], header[600], title[400], line[400];
    day_text(str(e, "date"), en, day);
    header_text(str(e, "name"), day, header, sizeof header);
    ml_snprintf(title, sizeof title, "%s — %s", LG("Plan de tables", "Table plan"), str(e, "name"));
    ml_pdf *pdf;
    ml_err r =
        ml_pdf_open(ctx, path, title, header,
                    generated ? LG("DONNÉES DE DÉMONSTRATION GÉNÉRÉES (GENERATED demo data) : "
                                   "aucune entreprise réelle",
                                   "GENERATED demo data: no real firm")
                              : NULL,
                    &pdf);
    if (r) return r;
    ml_pdf_title(pdf, title);
    ml_snprintf(line, sizeof line, "%s %s%s%s — %s ; %lld %s", LG("Le", "On"), day,
                *str(e, "place") ? ", " : "", str(e, "place"), LG("heures de Paris", "Paris time"),
                (long long)json_integer_value(json_object_get(e, "tables")),
                LG("tables", "tables"));
    ml_pdf_para(pdf, line, 0, false);
    if (!json_array_size(meetings))
        ml_pdf_para(pdf, LG("Aucun rendez-vous planifié.", "No meeting scheduled."), 0, false);
    static const ml_pdf_col fr_cols[] = {{"Table", 0.1, ML_PDF_RIGHT},
                                         {"Participant A", 0.45, ML_PDF_LEFT},
                                         {"Participant B", 0.45, ML_PDF_LEFT}};
    static const ml_pdf_col en_cols[] = {{"Table", 0.1, ML_PDF_RIGHT},
                                         {"Participant A", 0.45, ML_PDF_LEFT},
                                         {"Participant B", 0.45, ML_PDF_LEFT}};
    size_t n = json_array_size(meetings);
    const char **cells = calloc(3 * (n + 1), sizeof *cells);
    char(*tab)[24] = calloc(n + 1, sizeof *tab);
    if (!cells || !tab) {
        free(cells), free(tab);
        ml_pdf_close(pdf);
        remove(path);
        return ml_fail(ctx, ML_NOMEM, "out of memory");
    }
    /* meetings come sorted by slot then table: one table of rows a slot */
    size_t i = 0;
    while (i < n) {
        json_t *m0 = json_array_get(meetings, i);
        json_int_t slot = json_integer_value(json_object_get(m0, "slot"));
        ml_snprintf(line, sizeof line, "%s %lld · %s-%s", LG("Créneau", "Slot"), (long long)slot,
                    str(m0, "start"), str(m0, "end"));
        ml_pdf_heading(pdf, line);
        size_t rows = 0;
        for (; i < n; i++) {
            json_t *m = json_array_get(meetings, i);
            if (json_integer_value(json_object_get(m, "slot")) != slot) break;
            ml_snprintf(tab[rows], sizeof tab[rows], "%lld",
                        (long long)json_integer_value(json_object_get(m, "table")));
            cells[3 * rows] = tab[rows];
            cells[3 * rows + 1] = str(json_object_get(m, "a"), "name");
            cells[3 * rows + 2] = str(json_object_get(m, "b"), "name");
            rows++;
        }
        ml_pdf_table(pdf, en ? en_cols : fr_cols, 3, cells, rows);
    }
    free(cells), free(tab);
    return ml_pdf_close(pdf);
}
