/* roadmap.c — a programme's roadmap document (issue 13, item 2), from
 * ml_roadmap_document: the programme, its engineering budget, each
 * campaign's synthesis (the secrecy rule already applied: figures from
 * fewer than 3 firms are absent) and the actions, written once through a
 * small sink as a PDF (pdf.c) or a Word-compatible .docx (docx.c). In
 * French, the language of the teams that use it. */
#include <stdarg.h>

#include "export/docx.h"
#include "export/pdf.h"

#define ROWS_MAX 2000 /* rows of a table */

/* Where the document goes: one of the two writers. */
typedef struct sink {
    ml_pdf *pdf;
    ml_docx *docx;
} sink;

static void s_title(sink *s, const char *t)
{
    if (s->pdf) ml_pdf_title(s->pdf, t);
    if (s->docx) ml_docx_heading(s->docx, 1, t);
}

static void s_heading(sink *s, const char *t)
{
    if (s->pdf) ml_pdf_heading(s->pdf, t);
    if (s->docx) ml_docx_heading(s->docx, 2, t);
}

static void s_sub(sink *s, const char *t)
{
    if (s->pdf) ml_pdf_para(s->pdf, t, 11, true);
    if (s->docx) ml_docx_heading(s->docx, 3, t);
}

static void s_para(sink *s, const char *t)
{
    if (s->pdf) ml_pdf_para(s->pdf, t, 0, false);
    if (s->docx) ml_docx_para(s->docx, t, false);
}

static void s_warning(sink *s, const char *t)
{
    if (s->pdf) ml_pdf_warning(s->pdf, t);
    if (s->docx) ml_docx_warning(s->docx, t);
}

static void s_table(sink *s, const ml_pdf_col *cols, size_t ncols, const char *const *cells,
                    size_t nrows)
{
    if (s->pdf) ml_pdf_table(s->pdf, cols, ncols, cells, nrows);
    if (s->docx) {
        const char *titles[8];
        for (size_t i = 0; i < ncols && i < 8; i++)
            titles[i] = cols[i].title;
        ml_docx_table(s->docx, titles, ncols, cells, nrows);
    }
}

static const char *str(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

static const struct {
    const char *code, *fr;
} labels[] = {
    {"skills", "Compétences et recrutement"},
    {"land", "Foncier et locaux"},
    {"access", "Accessibilité"},
    {"ecosystem", "Écosystème et fournisseurs"},
    {"innovation", "Innovation"},
    {"digital", "Numérique"},
    {"transition", "Transition écologique et énergétique"},
    {"finance", "Financement"},
    {"export", "Export"},
    {"succession", "Transmission à préparer"},
    {"key_customer", "Perte d'un client clé"},
    {"site_at_risk", "Site menacé"},
    {"investment", "Investissement"},
    {"rd", "R&D"},
    {"industrialisation", "Industrialisation"},
    {"recruitment", "Recrutement"},
    {"training", "Formation"},
    {"open", "à faire"},
    {"done", "fait"},
    {"AZ", "Agriculture"},
    {"BE", "Industrie"},
    {"FZ", "Construction"},
    {"GI", "Commerce, transport, hébergement"},
    {"JZ", "Information et communication"},
    {"KZ", "Finance et assurance"},
    {"LZ", "Immobilier"},
    {"MN", "Services aux entreprises"},
    {"OQ", "Administration, enseignement, santé"},
    {"RU", "Autres services"},
};

static const char *fr(const char *code)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(labels); i++)
        if (strcmp(code, labels[i].code) == 0) return labels[i].fr;
    return code;
}

/* Cents as whole euros with spaces between thousands: "1 500 000 €". */
static void euros(json_t *v, char *out, size_t size)
{
    if (!json_is_integer(v)) {
        ml_snprintf(out, size, "—");
        return;
    }
    long long e = (long long)(json_integer_value(v) / 100);
    char digits[32], grouped[48];
    ml_snprintf(digits, sizeof digits, "%lld", e < 0 ? -e : e);
    size_t n = strlen(digits), k = 0;
    for (size_t i = 0; i < n && k + 2 < sizeof grouped; i++) {
        if (i && (n - i) % 3 == 0) grouped[k++] = ' ';
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    ml_snprintf(out, size, "%s%s €", e < 0 ? "-" : "", grouped);
}

static void days(json_t *eng, const char *key, char *out, size_t size)
{
    long long t = (long long)json_integer_value(json_object_get(eng, key));
    ml_snprintf(out, size, "%s%lld,%lld j", t < 0 ? "-" : "", (t < 0 ? -t : t) / 10,
                (t < 0 ? -t : t) % 10);
}

/* Table cells kept alive until the table is written. */
typedef struct cells {
    char (*text)[640];
    const char **v;
    size_t n, cap;
} cells;

static int cells_init(cells *c, size_t cap)
{
    c->text = calloc(cap ? cap : 1, sizeof *c->text);
    c->v = calloc(cap ? cap : 1, sizeof *c->v);
    c->n = 0;
    c->cap = cap;
    return c->text && c->v ? 0 : -1;
}

static void cells_free(cells *c)
{
    free(c->text);
    free(c->v);
}

static void cell(cells *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell(cells *c, const char *fmt, ...)
{
    if (c->n == c->cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->text[c->n], sizeof c->text[c->n], fmt, ap);
    va_end(ap);
    c->v[c->n] = c->text[c->n];
    c->n++;
}

static const char *const themes[] = {"skills",  "land",       "access",  "ecosystem", "innovation",
                                     "digital", "transition", "finance", "export"};

static ml_err campaign_part(sink *s, json_t *c)
{
    char line[900];
    ml_snprintf(line, sizeof line, "Campagne « %s »%s%s%s%s", str(c, "name"),
                *str(c, "start") ? " du " : "", str(c, "start"), *str(c, "end") ? " au " : "",
                str(c, "end"));
    s_heading(s, line);
    ml_snprintf(line, sizeof line,
                "%lld entreprises sur la liste, %lld visites planifiées, %lld réalisées ; "
                "%lld entretiens, %lld entreprises rencontrées.",
                (long long)json_integer_value(json_object_get(c, "listed")),
                (long long)json_integer_value(json_object_get(c, "planned")),
                (long long)json_integer_value(json_object_get(c, "done")),
                (long long)json_integer_value(json_object_get(c, "interviews")),
                (long long)json_integer_value(json_object_get(c, "firms")));
    s_para(s, line);

    json_t *needs = json_object_get(c, "needs");
    s_sub(s, "Besoins exprimés (0 aucun, 1 faible, 2 réel, 3 pressant)");
    cells t;
    if (cells_init(&t, 4 * ML_ARRAY_LEN(themes))) return ML_NOMEM;
    if (json_is_object(needs)) {
        for (size_t i = 0; i < ML_ARRAY_LEN(themes); i++) {
            json_t *n = json_object_get(needs, themes[i]);
            json_t *mean = json_object_get(n, "mean");
            json_t *scored = json_object_get(n, "scored"), *strong = json_object_get(n, "strong");
            cell(&t, "%s", fr(themes[i]));
            if (json_is_integer(scored))
                cell(&t, "%lld", (long long)json_integer_value(scored));
            else
                cell(&t, "moins de 3");
            if (json_is_number(mean)) {
                cell(&t, "%.1f", json_number_value(mean));
                char *dot = strchr(t.text[t.n - 1], '.');
                if (dot) *dot = ','; /* a French decimal */
            } else
                cell(&t, "—");
            if (json_is_integer(strong))
                cell(&t, "%lld", (long long)json_integer_value(strong));
            else
                cell(&t, "moins de 3");
        }
        static const ml_pdf_col cols[] = {{"Thème", 0.46, ML_PDF_LEFT},
                                          {"Entreprises", 0.18, ML_PDF_RIGHT},
                                          {"Moyenne", 0.18, ML_PDF_RIGHT},
                                          {"Besoin fort (2-3)", 0.18, ML_PDF_RIGHT}};
        s_table(s, cols, 4, t.v, t.n / 4);
    } else {
        s_para(s, "Moins de 3 entreprises rencontrées : aucun chiffre n'est donné.");
    }
    cells_free(&t);

    json_t *sectors = json_object_get(c, "by_sector");
    size_t i;
    json_t *v;
    if (json_array_size(sectors)) {
        s_sub(s, "Par secteur (A10) : thèmes où le besoin est fort");
        if (cells_init(&t, 3 * json_array_size(sectors))) return ML_NOMEM;
        json_array_foreach(sectors, i, v)
        {
            char strong[600] = "";
            size_t used = 0;
            for (size_t k = 0; k < ML_ARRAY_LEN(themes); k++) {
                json_t *n = json_object_get(json_object_get(v, "needs"), themes[k]);
                json_t *st = json_object_get(n, "strong");
                char count[24];
                if (json_is_integer(st))
                    ml_snprintf(count, sizeof count, "%lld", (long long)json_integer_value(st));
                else
                    ml_snprintf(count, sizeof count, "moins de 3");
                if ((!json_is_integer(st) || json_integer_value(st) > 0) && json_is_object(n) &&
                    used < sizeof strong)
                    used += (size_t)snprintf(strong + used, sizeof strong - used, "%s%s (%s)",
                                             used ? ", " : "", fr(themes[k]), count);
            }
            cell(&t, "%s", fr(str(v, "sector")));
            cell(&t, "%lld", (long long)json_integer_value(json_object_get(v, "firms")));
            cell(&t, "%s", strong[0] ? strong : "—");
        }
        static const ml_pdf_col cols[] = {{"Secteur", 0.3, ML_PDF_LEFT},
                                          {"Entreprises", 0.14, ML_PDF_RIGHT},
                                          {"Besoins forts", 0.56, ML_PDF_LEFT}};
        s_table(s, cols, 3, t.v, t.n / 3);
        cells_free(&t);
    }
    json_t *other = json_object_get(c, "other_sectors");
    if (json_is_object(other)) {
        ml_snprintf(line, sizeof line,
                    "Autres secteurs (chacun moins de 3 entreprises, regroupés) : %lld "
                    "entreprises.",
                    (long long)json_integer_value(json_object_get(other, "firms")));
        s_para(s, line);
    }

    s_sub(s, "Signaux d'alerte");
    size_t used = 0;
    line[0] = '\0';
    const char *key;
    json_object_foreach(json_object_get(c, "red_flags"), key, v)
    {
        char n[32];
        if (json_is_integer(v))
            ml_snprintf(n, sizeof n, "%lld", (long long)json_integer_value(v));
        else
            ml_snprintf(n, sizeof n, "moins de 3");
        if (used < sizeof line)
            used += (size_t)snprintf(line + used, sizeof line - used, "%s%s : %s",
                                     used ? " · " : "", fr(key), n);
    }
    s_para(s, line[0] ? line : "Aucun.");

    json_t *types = json_object_get(c, "projects_by_type");
    s_sub(s, "Projets détectés pendant les visites");
    if (!json_array_size(types)) {
        s_para(s, "Aucun projet détecté pour l'instant.");
        return ML_OK;
    }
    if (cells_init(&t, 5 * json_array_size(types))) return ML_NOMEM;
    json_array_foreach(types, i, v)
    {
        char a[48], b[48], d[48];
        euros(json_object_get(v, "cost"), a, sizeof a);
        euros(json_object_get(v, "requested_subsidy"), b, sizeof b);
        euros(json_object_get(v, "requested_advance"), d, sizeof d);
        json_t *n = json_object_get(v, "projects");
        cell(&t, "%s", fr(str(v, "type")));
        if (json_is_integer(n))
            cell(&t, "%lld", (long long)json_integer_value(n));
        else
            cell(&t, "moins de 3");
        cell(&t, "%s", a);
        cell(&t, "%s", b);
        cell(&t, "%s", d);
    }
    static const ml_pdf_col pcols[] = {{"Type", 0.24, ML_PDF_LEFT},
                                       {"Projets", 0.12, ML_PDF_RIGHT},
                                       {"Coût total", 0.22, ML_PDF_RIGHT},
                                       {"Subvention demandée", 0.21, ML_PDF_RIGHT},
                                       {"Avance demandée", 0.21, ML_PDF_RIGHT}};
    s_table(s, pcols, 5, t.v, t.n / 5);
    cells_free(&t);
    return ML_OK;
}

static ml_err body(sink *s, json_t *doc)
{
    char line[900], a[32], b[32], c[32], d[32];
    bool generated = json_is_true(json_object_get(doc, "generated"));
    ml_snprintf(line, sizeof line, "Feuille de route — %s", str(doc, "programme"));
    s_title(s, line);
    if (generated)
        s_warning(s, "Données de démonstration générées (generated demo data) : les entreprises, "
                     "entretiens et projets de ce document n'existent pas.");
    ml_snprintf(line, sizeof line, "Territoire : %s%s%s%s%s. Document du %s.",
                *str(doc, "territory_name") ? str(doc, "territory_name") : "périmètre libre",
                *str(doc, "start") ? ". Période : du " : "", str(doc, "start"),
                *str(doc, "end") ? " au " : "", str(doc, "end"), str(doc, "day"));
    s_para(s, line);
    json_t *eng = json_object_get(doc, "engineering");
    days(eng, "budget", a, sizeof a);
    days(eng, "consumed", b, sizeof b);
    days(eng, "reserved", c, sizeof c);
    days(eng, "left", d, sizeof d);
    s_heading(s, "Ingénierie (jours-homme)");
    ml_snprintf(line, sizeof line,
                "Budget : %s · consommés (visites réalisées, ateliers) : %s · réservés (visites "
                "planifiées) : %s · restants : %s.",
                a, b, c, d);
    s_para(s, line);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "campaigns"), i, v)
    {
        ml_err r = campaign_part(s, v);
        if (r) return r;
    }
    s_heading(s, "Actions");
    json_t *actions = json_object_get(doc, "actions");
    size_t n = json_array_size(actions);
    if (!n) {
        s_para(s, "Aucune action inscrite.");
    } else {
        if (n > ROWS_MAX) n = ROWS_MAX;
        cells t;
        if (cells_init(&t, 5 * n)) return ML_NOMEM;
        for (i = 0; i < n; i++) {
            v = json_array_get(actions, i);
            cell(&t, "%s", str(v, "title"));
            cell(&t, "%s", str(v, "owner"));
            cell(&t, "%s", *str(v, "due") ? str(v, "due") : "—");
            cell(&t, "%s%s", fr(str(v, "state")),
                 json_is_true(json_object_get(v, "late")) ? " (en retard)" : "");
            json_t *pj = json_object_get(v, "project");
            if (json_is_integer(pj))
                cell(&t, "projet n° %lld", (long long)json_integer_value(pj));
            else if (*str(v, "need"))
                cell(&t, "besoin : %s", fr(str(v, "need")));
            else
                cell(&t, "—");
        }
        static const ml_pdf_col cols[] = {{"Action", 0.38, ML_PDF_LEFT},
                                          {"Responsable", 0.18, ML_PDF_LEFT},
                                          {"Échéance", 0.13, ML_PDF_LEFT},
                                          {"État", 0.12, ML_PDF_LEFT},
                                          {"Lien", 0.19, ML_PDF_LEFT}};
        s_table(s, cols, 5, t.v, t.n / 5);
        cells_free(&t);
    }
    s_heading(s, "Méthode et confidentialité");
    s_para(s, "Les besoins sont notés pendant les entretiens sur la grille des besoins (0 à 3 "
              "par thème). Aucun chiffre n'est donné lorsqu'il porterait sur moins de 3 "
              "entreprises : les secteurs concernés sont regroupés, les signaux d'alerte et les "
              "montants des types de projets concernés sont omis. Les entretiens eux-mêmes "
              "restent réservés aux organisations du programme.");
    return ML_OK;
}

ml_err ml_export_roadmap(ml_ctx *ctx, json_t *doc, ml_doc_format fmt, const char *path)
{
    char title[400];
    ml_snprintf(title, sizeof title, "Feuille de route — %s", str(doc, "programme"));
    bool generated = json_is_true(json_object_get(doc, "generated"));
    sink s = {0};
    ml_err r;
    if (fmt == ML_DOC_PDF) {
        r = ml_pdf_open(
            ctx, path, title, title,
            generated ? "DONNÉES DE DÉMONSTRATION GÉNÉRÉES (GENERATED demo data)" : NULL, &s.pdf);
        if (r) return r;
        r = body(&s, doc);
        ml_err c = ml_pdf_close(s.pdf);
        if (r == ML_NOMEM) return ml_fail(ctx, ML_NOMEM, "out of memory");
        return r ? r : c;
    }
    s.docx = ml_docx_new();
    if (!s.docx) return ml_fail(ctx, ML_NOMEM, "out of memory");
    r = body(&s, doc);
    if (r == ML_NOMEM) r = ml_fail(ctx, ML_NOMEM, "out of memory");
    if (!r) r = ml_docx_write(s.docx, ctx, path, title);
    ml_docx_free(s.docx);
    return r;
}
