/* committee.c — a programme committee's documents as PDF (issue 13 part 5),
 * from an ml_committee_show answer: the pack (the agenda and one sheet per
 * project), the minutes (members, votes, decisions, envelopes after) and
 * the notification letters (one page per decided project). In French; the
 * rules' findings are quoted as maillage computes them. */
#include <stdio.h>
#include <stdlib.h>

#include "export/pdf.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static json_int_t num(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* Cents as French euros: "1 234 567,89 €" (plain spaces, so the text reads back). */
static const char *eur(json_int_t cents, char out[48])
{
    char digits[32];
    bool neg = cents < 0;
    unsigned long long v = (unsigned long long)(neg ? -cents : cents);
    ml_snprintf(digits, sizeof digits, "%llu", v / 100);
    size_t n = strlen(digits), k = 0;
    char *o = out;
    if (neg) *o++ = '-';
    for (size_t i = 0; i < n; i++) {
        *o++ = digits[i];
        k = n - i - 1;
        if (k && k % 3 == 0) *o++ = ' ';
    }
    ml_snprintf(o, 48 - (size_t)(o - out), ",%02llu €", v % 100);
    return out;
}

/* "2026-03-31" as "31/03/2026". */
static const char *day_fr(const char *d, char out[16])
{
    if (strlen(d) == 10)
        ml_snprintf(out, 16, "%.2s/%.2s/%.4s", d + 8, d + 5, d);
    else
        ml_snprintf(out, 16, "%s", d);
    return out;
}

static const char *instrument_fr(const char *i)
{
    if (strcmp(i, "subsidy") == 0) return "subvention";
    if (strcmp(i, "advance") == 0) return "avance remboursable";
    if (strcmp(i, "loan") == 0) return "prêt";
    return i;
}

static const char *rule_fr(const char *r)
{
    if (strcmp(r, "eligible") == 0) return "Dépenses éligibles";
    if (strcmp(r, "envelope") == 0) return "Enveloppe disponible";
    if (strcmp(r, "max_project") == 0) return "Plafond par projet";
    if (strcmp(r, "intensity") == 0) return "Intensité d'aide (taille)";
    if (strcmp(r, "de_minimis") == 0) return "De minimis (300 000 € sur 3 ans)";
    return r;
}

static const char *firm_name(json_t *firm, char out[240])
{
    if (json_is_true(json_object_get(firm, "restricted")) || !*str(firm, "name"))
        ml_snprintf(out, 240, "Établissement à diffusion restreinte (SIRET %s)",
                    str(firm, "siret"));
    else
        ml_snprintf(out, 240, "%s", str(firm, "name"));
    return out;
}

#define GENERATED_FOOTER                                                                           \
    "DONNÉES DE DÉMONSTRATION GÉNÉRÉES (GENERATED demo data) : aucune entreprise réelle"
#define GENERATED_WARNING                                                                          \
    "Programme de démonstration généré (generated demo data) : les entreprises, projets et "   \
    "décisions de ce document n'existent pas."

static ml_err open_doc(ml_ctx *ctx, json_t *c, const char *path, const char *kind, ml_pdf **pdf,
                       bool *generated)
{
    char header[600], title[600], d[16];
    *generated = json_is_true(json_object_get(c, "generated"));
    day_fr(str(c, "day"), d);
    ml_snprintf(header, sizeof header, "%s — comité du %s", str(c, "programme_name"), d);
    ml_snprintf(title, sizeof title, "%s — %s", kind, str(c, "programme_name"));
    return ml_pdf_open(ctx, path, title, header, *generated ? GENERATED_FOOTER : NULL, pdf);
}

static void meeting_lines(ml_pdf *pdf, json_t *c)
{
    char line[800], d[16];
    ml_snprintf(line, sizeof line, "Comité du %s%s%s", day_fr(str(c, "day"), d),
                *str(c, "place") ? " — " : "", str(c, "place"));
    ml_pdf_para(pdf, line, 12, true);
}

static void members_table(ml_pdf *pdf, json_t *c)
{
    static const ml_pdf_col cols[] = {{"Membre", 0.34, ML_PDF_LEFT},
                                      {"Organisation", 0.38, ML_PDF_LEFT},
                                      {"Rôle", 0.28, ML_PDF_LEFT}};
    json_t *m = json_object_get(c, "members"), *v;
    size_t n = json_array_size(m), i;
    const char **cells = calloc(n * 3 + 1, sizeof *cells);
    if (!cells) return;
    json_array_foreach(m, i, v)
    {
        cells[i * 3] = str(v, "name");
        cells[i * 3 + 1] = str(v, "organisation");
        cells[i * 3 + 2] = str(v, "role");
    }
    ml_pdf_table(pdf, cols, 3, cells, n);
    free(cells);
}

static void envelopes_table(ml_pdf *pdf, json_t *envs, const char *before_key,
                            const char *taken_key, const char *after_key)
{
    static const ml_pdf_col cols[] = {{"Enveloppe", 0.34, ML_PDF_LEFT},
                                      {"Disponible avant", 0.22, ML_PDF_RIGHT},
                                      {"Engagé ici", 0.22, ML_PDF_RIGHT},
                                      {"Disponible après", 0.22, ML_PDF_RIGHT}};
    size_t n = json_array_size(envs), i;
    json_t *v;
    char(*buf)[4][240] = calloc(n + 1, sizeof *buf);
    const char **cells = calloc(n * 4 + 1, sizeof *cells);
    if (!buf || !cells) goto out;
    json_array_foreach(envs, i, v)
    {
        json_int_t before = num(v, before_key), after = num(v, after_key);
        json_int_t taken = taken_key ? num(v, taken_key) : before - after;
        ml_snprintf(buf[i][0], 240, "%s%s%s", instrument_fr(str(v, "instrument")),
                    *str(v, "funder") ? " — " : "", str(v, "funder"));
        eur(before, buf[i][1]);
        eur(taken, buf[i][2]);
        eur(after, buf[i][3]);
        for (int k = 0; k < 4; k++)
            cells[i * 4 + (size_t)k] = buf[i][k];
    }
    ml_pdf_table(pdf, cols, 4, cells, n);
out:
    free(buf);
    free(cells);
}

static void request_line(json_t *it, char *line, size_t size)
{
    char a[48], b[48];
    json_t *rq = json_object_get(it, "request");
    ml_snprintf(line, size, "Demande : subvention %s, avance remboursable %s",
                eur(num(rq, "subsidy"), a), eur(num(rq, "advance"), b));
}

static void decision_line(json_t *it, char *line, size_t size)
{
    const char *d = str(it, "decision");
    if (strcmp(d, "granted") == 0) {
        ml_snprintf(line, size, "Décision : accordé —");
        json_t *a, *aid = json_object_get(it, "aid");
        size_t i;
        json_array_foreach(aid, i, a)
        {
            char e[48];
            size_t used = strlen(line);
            ml_snprintf(line + used, size - used, "%s %s %s", i ? "," : "",
                        instrument_fr(str(a, "instrument")), eur(num(a, "committed"), e));
        }
    } else if (strcmp(d, "refused") == 0) {
        ml_snprintf(line, size, "Décision : refusé — motif : %s", str(it, "reason"));
    } else {
        ml_snprintf(line, size, "Décision : pas encore prise");
    }
}

static void votes_line(json_t *it, char *line, size_t size)
{
    json_t *v = json_object_get(it, "votes");
    ml_snprintf(line, size, "Votes : pour %lld, contre %lld, abstention %lld",
                (long long)num(v, "for"), (long long)num(v, "against"),
                (long long)num(v, "abstain"));
}

/* ------------------------------------------------------------ the pack */

static void one_sheet(ml_pdf *pdf, json_t *it)
{
    char line[1200], name[240], a[48], b[48];
    json_t *firm = json_object_get(it, "firm");
    ml_pdf_page_break(pdf);
    ml_snprintf(line, sizeof line, "Fiche %lld — %s", (long long)num(it, "seq"), str(it, "title"));
    ml_pdf_heading(pdf, line);
    ml_snprintf(line, sizeof line, "Projet n° %lld, %s, étape %s", (long long)num(it, "project"),
                str(it, "type"), str(it, "stage"));
    ml_pdf_para(pdf, line, 0, false);
    if (*str(it, "description")) ml_pdf_para(pdf, str(it, "description"), 0, false);
    ml_pdf_para(pdf, "L'entreprise (répertoire SIRENE)", 0, true);
    ml_snprintf(line, sizeof line, "%s — SIRET %s", firm_name(firm, name), str(firm, "siret"));
    ml_pdf_para(pdf, line, 0, false);
    ml_snprintf(line, sizeof line, "NAF %s %s · effectif : %s · catégorie : %s · commune : %s",
                *str(firm, "naf") ? str(firm, "naf") : "inconnu", str(firm, "naf_label"),
                *str(firm, "size_label") ? str(firm, "size_label") : "inconnu",
                *str(firm, "category") ? str(firm, "category") : "inconnue",
                json_is_true(json_object_get(firm, "restricted"))
                    ? "non diffusée"
                    : (*str(firm, "commune_name") ? str(firm, "commune_name") : "inconnue"));
    ml_pdf_para(pdf, line, 0, false);
    ml_snprintf(line, sizeof line,
                "Coût total %s, dépenses éligibles %s · emplois créés %lld, maintenus %lld",
                eur(num(it, "cost"), a), eur(num(it, "eligible"), b),
                (long long)num(it, "jobs_created"), (long long)num(it, "jobs_kept"));
    ml_pdf_para(pdf, line, 0, false);
    json_t *ivs = json_object_get(it, "interviews"), *iv;
    size_t i;
    ml_pdf_para(pdf, "Entretiens", 0, true);
    if (!json_array_size(ivs))
        ml_pdf_para(pdf, "Aucun entretien de l'entreprise dans ce programme.", 0, false);
    json_array_foreach(ivs, i, iv)
    {
        char d[16];
        ml_snprintf(line, sizeof line, "Entretien du %s — besoins : %s%s%s%s%s",
                    day_fr(str(iv, "day"), d), *str(iv, "scores") ? str(iv, "scores") : "aucun",
                    *str(iv, "flags") ? " — alertes : " : "", str(iv, "flags"),
                    *str(iv, "notes") ? " — " : "", str(iv, "notes"));
        ml_pdf_para(pdf, line, 0, false);
    }
    request_line(it, line, sizeof line);
    ml_pdf_para(pdf, line, 0, true);
    json_t *checks = json_object_get(it, "checks"), *c;
    if (json_array_size(checks)) {
        static const ml_pdf_col cols[] = {{"Règle", 0.24, ML_PDF_LEFT},
                                          {"Instrument", 0.14, ML_PDF_LEFT},
                                          {"Résultat", 0.14, ML_PDF_LEFT},
                                          {"Constat (calcul de maillage)", 0.48, ML_PDF_LEFT}};
        size_t n = json_array_size(checks);
        const char **cells = calloc(n * 4 + 1, sizeof *cells);
        if (cells) {
            json_array_foreach(checks, i, c)
            {
                cells[i * 4] = rule_fr(str(c, "rule"));
                cells[i * 4 + 1] = instrument_fr(str(c, "instrument"));
                cells[i * 4 + 2] =
                    json_is_true(json_object_get(c, "pass")) ? "conforme" : "NON CONFORME";
                cells[i * 4 + 3] = str(c, "detail");
            }
            ml_pdf_table(pdf, cols, 4, cells, n);
            free(cells);
        }
    } else if (strcmp(str(it, "decision"), "granted") == 0) {
        ml_pdf_para(pdf, "Règles vérifiées lors de la décision (project decide).", 0, false);
    } else if (!*str(it, "decision")) {
        ml_pdf_para(pdf, "Aucune aide demandée : rien à vérifier.", 0, false);
    }
    ml_pdf_para(pdf, "Position des enveloppes avant et après ce projet", 0, true);
    envelopes_table(pdf, json_object_get(it, "envelopes"), "available_before", "taken",
                    "available_after");
    votes_line(it, line, sizeof line);
    ml_pdf_para(pdf, line, 0, false);
    decision_line(it, line, sizeof line);
    ml_pdf_para(pdf, line, 0, true);
}

static ml_err pack(ml_ctx *ctx, json_t *c, const char *path)
{
    ml_pdf *pdf;
    bool generated;
    ml_err r = open_doc(ctx, c, path, "Dossier du comité", &pdf, &generated);
    if (r) return r;
    ml_pdf_title(pdf, "Dossier du comité");
    ml_pdf_para(pdf, str(c, "programme_name"), 12, true);
    if (generated) ml_pdf_warning(pdf, GENERATED_WARNING);
    meeting_lines(pdf, c);
    ml_pdf_heading(pdf, "Membres");
    members_table(pdf, c);
    ml_pdf_heading(pdf, "Ordre du jour");
    static const ml_pdf_col cols[] = {{"N°", 0.06, ML_PDF_RIGHT},
                                      {"Projet", 0.30, ML_PDF_LEFT},
                                      {"Entreprise", 0.28, ML_PDF_LEFT},
                                      {"Demande", 0.20, ML_PDF_RIGHT},
                                      {"Règles", 0.16, ML_PDF_LEFT}};
    json_t *ag = json_object_get(c, "agenda"), *it;
    size_t n = json_array_size(ag), i;
    char(*buf)[3][240] = calloc(n + 1, sizeof *buf);
    const char **cells = calloc(n * 5 + 1, sizeof *cells);
    if (buf && cells) {
        json_array_foreach(ag, i, it)
        {
            json_t *rq = json_object_get(it, "request");
            ml_snprintf(buf[i][0], 240, "%lld", (long long)num(it, "seq"));
            firm_name(json_object_get(it, "firm"), buf[i][1]);
            eur(num(rq, "subsidy") + num(rq, "advance"), buf[i][2]);
            json_t *ps = json_object_get(it, "passes");
            cells[i * 5] = buf[i][0];
            cells[i * 5 + 1] = str(it, "title");
            cells[i * 5 + 2] = buf[i][1];
            cells[i * 5 + 3] = buf[i][2];
            cells[i * 5 + 4] =
                json_is_null(ps) || !ps
                    ? (strcmp(str(it, "decision"), "granted") == 0 ? "accordé" : "refusé")
                : json_is_true(ps) ? "conformes"
                                   : "non conformes";
        }
        if (n) ml_pdf_table(pdf, cols, 5, cells, n);
    }
    free(buf);
    free(cells);
    if (!n) ml_pdf_para(pdf, "Aucun projet à l'ordre du jour.", 0, false);
    ml_pdf_heading(pdf, "Enveloppes : avant le comité et après l'ordre du jour");
    envelopes_table(pdf, json_object_get(c, "envelopes"), "available_before", NULL,
                    "available_after");
    json_array_foreach(ag, i, it) one_sheet(pdf, it);
    return ml_pdf_close(pdf);
}

/* ---------------------------------------------------------- the minutes */

static ml_err minutes(ml_ctx *ctx, json_t *c, const char *path)
{
    ml_pdf *pdf;
    bool generated;
    ml_err r = open_doc(ctx, c, path, "Procès-verbal", &pdf, &generated);
    if (r) return r;
    char line[1400], name[240];
    ml_pdf_title(pdf, "Procès-verbal du comité");
    ml_pdf_para(pdf, str(c, "programme_name"), 12, true);
    if (generated) ml_pdf_warning(pdf, GENERATED_WARNING);
    meeting_lines(pdf, c);
    ml_pdf_heading(pdf, "Membres présents");
    members_table(pdf, c);
    ml_pdf_heading(pdf, "Délibérations");
    json_t *ag = json_object_get(c, "agenda"), *it;
    size_t i;
    json_array_foreach(ag, i, it)
    {
        ml_snprintf(line, sizeof line, "%lld. %s — %s", (long long)num(it, "seq"), str(it, "title"),
                    firm_name(json_object_get(it, "firm"), name));
        ml_pdf_para(pdf, line, 0, true);
        request_line(it, line, sizeof line);
        ml_pdf_para(pdf, line, 0, false);
        votes_line(it, line, sizeof line);
        json_t *v, *by = json_object_get(json_object_get(it, "votes"), "by_member");
        size_t k;
        json_array_foreach(by, k, v)
        {
            size_t used = strlen(line);
            const char *vote = str(v, "vote");
            ml_snprintf(line + used, sizeof line - used, "%s%s : %s", k ? ", " : " (",
                        str(v, "name"),
                        strcmp(vote, "for") == 0       ? "pour"
                        : strcmp(vote, "against") == 0 ? "contre"
                                                       : "abstention");
        }
        if (json_array_size(by)) ml_snprintf(line + strlen(line), sizeof line - strlen(line), ")");
        ml_pdf_para(pdf, line, 0, false);
        decision_line(it, line, sizeof line);
        ml_pdf_para(pdf, line, 0, false);
        ml_pdf_space(pdf, 4);
    }
    if (!json_array_size(ag)) ml_pdf_para(pdf, "Aucun projet à l'ordre du jour.", 0, false);
    ml_pdf_heading(pdf, "Enveloppes après le comité");
    envelopes_table(pdf, json_object_get(c, "envelopes"), "available_before", NULL,
                    "available_after");
    ml_pdf_para(pdf,
                "Montants en euros. Les décisions accordées sont engagées dans le grand livre du "
                "programme à la date du comité ; les positions sont calculées à partir de ses "
                "écritures.",
                8, false);
    return ml_pdf_close(pdf);
}

/* ---------------------------------------------------------- the letters */

static ml_err letters(ml_ctx *ctx, json_t *c, const char *path)
{
    ml_pdf *pdf;
    bool generated;
    ml_err r = open_doc(ctx, c, path, "Notifications", &pdf, &generated);
    if (r) return r;
    char line[1600], name[240], d[16], e[48];
    json_t *ag = json_object_get(c, "agenda"), *it;
    size_t i, letters_n = 0;
    day_fr(str(c, "day"), d);
    json_array_foreach(ag, i, it)
    {
        const char *dec = str(it, "decision");
        if (!*dec) continue;
        json_t *firm = json_object_get(it, "firm");
        if (letters_n++) ml_pdf_page_break(pdf);
        ml_pdf_para(pdf, str(c, "programme_name"), 11, true);
        if (generated) ml_pdf_warning(pdf, GENERATED_WARNING);
        ml_pdf_space(pdf, 8);
        ml_pdf_para(pdf, firm_name(firm, name), 0, true);
        ml_snprintf(line, sizeof line, "SIRET %s%s%s", str(firm, "siret"),
                    *str(firm, "commune_name") ? " — " : "", str(firm, "commune_name"));
        ml_pdf_para(pdf, line, 0, false);
        ml_pdf_space(pdf, 10);
        ml_snprintf(line, sizeof line, "Objet : décision du comité du %s sur le projet « %s »", d,
                    str(it, "title"));
        ml_pdf_para(pdf, line, 0, true);
        ml_pdf_space(pdf, 6);
        ml_pdf_para(pdf, "Madame, Monsieur,", 0, false);
        if (strcmp(dec, "granted") == 0) {
            ml_snprintf(line, sizeof line,
                        "Le comité du programme %s, réuni le %s, a décidé d'accorder à votre "
                        "projet « %s » l'aide suivante :",
                        str(c, "programme_name"), d, str(it, "title"));
            ml_pdf_para(pdf, line, 0, false);
            json_t *a;
            size_t k;
            json_array_foreach(json_object_get(it, "aid"), k, a)
            {
                if (*str(a, "funder"))
                    ml_snprintf(line, sizeof line, "— %s (%s) : %s",
                                instrument_fr(str(a, "instrument")), str(a, "funder"),
                                eur(num(a, "committed"), e));
                else
                    ml_snprintf(line, sizeof line, "— %s : %s", instrument_fr(str(a, "instrument")),
                                eur(num(a, "committed"), e));
                ml_pdf_para(pdf, line, 0, false);
            }
            json_t *sched = json_object_get(it, "schedule");
            if (json_array_size(sched)) {
                ml_pdf_para(pdf, "L'avance est remboursable selon l'échéancier suivant :", 0,
                            false);
                static const ml_pdf_col cols[] = {{"Échéance", 0.2, ML_PDF_RIGHT},
                                                  {"Date", 0.4, ML_PDF_LEFT},
                                                  {"Montant", 0.4, ML_PDF_RIGHT}};
                size_t n = json_array_size(sched);
                char(*buf)[3][48] = calloc(n + 1, sizeof *buf);
                const char **cells = calloc(n * 3 + 1, sizeof *cells);
                json_t *s;
                if (buf && cells) {
                    json_array_foreach(sched, k, s)
                    {
                        ml_snprintf(buf[k][0], 48, "%lld", (long long)num(s, "seq"));
                        day_fr(str(s, "due"), buf[k][1]);
                        eur(num(s, "amount"), buf[k][2]);
                        for (int q = 0; q < 3; q++)
                            cells[k * 3 + (size_t)q] = buf[k][q];
                    }
                    ml_pdf_table(pdf, cols, 3, cells, n);
                }
                free(buf);
                free(cells);
            }
            ml_pdf_para(pdf,
                        "Une convention précisera les conditions de versement de l'aide. Les "
                        "montants sont engagés à la date du comité.",
                        0, false);
        } else {
            ml_snprintf(line, sizeof line,
                        "Le comité du programme %s, réuni le %s, n'a pas retenu votre projet "
                        "« %s ».",
                        str(c, "programme_name"), d, str(it, "title"));
            ml_pdf_para(pdf, line, 0, false);
            ml_snprintf(line, sizeof line, "Motif : %s", str(it, "reason"));
            ml_pdf_para(pdf, line, 0, true);
        }
        ml_pdf_space(pdf, 10);
        ml_pdf_para(pdf,
                    "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations "
                    "distinguées.",
                    0, false);
        ml_pdf_para(pdf, "Pour le comité, le secrétariat du programme", 0, false);
    }
    if (!letters_n) {
        ml_pdf_title(pdf, "Notifications");
        ml_pdf_para(pdf, "Le comité n'a encore pris aucune décision : aucune lettre à notifier.", 0,
                    false);
    }
    return ml_pdf_close(pdf);
}

ml_err ml_export_committee_pdf(ml_ctx *ctx, json_t *committee, const char *what, const char *path)
{
    if (!what || strcmp(what, "pack") == 0) return pack(ctx, committee, path);
    if (strcmp(what, "minutes") == 0) return minutes(ctx, committee, path);
    if (strcmp(what, "letters") == 0) return letters(ctx, committee, path);
    return ml_fail(ctx, ML_INVALID,
                   "a committee's document is pack, minutes or letters, not '%.20s'", what);
}
