/* report.c — a territory's report as PDF (pdf.c): what a programme team
 * hands to a committee. It draws what the summary, the indicators and the
 * opportunities already computed (secrecy applied there); it computes no
 * figure of its own. French by default, English on request. */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "export/pdf.h"

typedef struct report {
    ml_pdf *pdf;
    bool en;
    ml_json_build jb;
} report;

#define L(fr, en_) (rp->en ? (en_) : (fr))

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The label in the report's language, else the record's label, else "". */
static const char *label_of(const report *rp, json_t *o)
{
    const char *s = str(o, rp->en ? "label_en" : "label_fr");
    return *s ? s : str(o, "label");
}

/* A whole number with thousands separated: "16 834" (French), "16,834". */
static const char *fmt_int(const report *rp, json_t *v, char *out, size_t size)
{
    if (!json_is_number(v)) {
        ml_snprintf(out, size, "%s", json_is_null(v) ? "< 3" : "-");
        return out;
    }
    long long n = llround(json_number_value(v));
    char digits[32];
    ml_snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
    size_t len = strlen(digits), o = 0;
    if (n < 0 && o + 1 < size) out[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0) out[o++] = rp->en ? ',' : ' ';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

/* A number with `decimals` decimals, a decimal comma in French. */
static const char *fmt_dec(const report *rp, double x, int decimals, char *out, size_t size)
{
    ml_snprintf(out, size, "%.*f", decimals, x);
    if (!rp->en)
        for (char *c = out; *c; c++)
            if (*c == '.') *c = ',';
    return out;
}

/* A share 0..1 as "12,5 %" or "12.5%"; "-" when unknown. */
static const char *fmt_pct(const report *rp, json_t *v, char *out, size_t size)
{
    if (!json_is_number(v)) {
        ml_snprintf(out, size, "-");
        return out;
    }
    char d[32];
    fmt_dec(rp, 100 * json_number_value(v), 1, d, sizeof d);
    ml_snprintf(out, size, rp->en ? "%s%%" : "%s %%", d);
    return out;
}

/* A table's cells are kept as JSON strings until drawn. */
typedef struct cells {
    json_t *list;
    const char *ptrs[16 * 400];
    size_t n;
} cells;

static void cell(report *rp, cells *c, const char *s)
{
    json_array_append_new(c->list, ml_json_pack(&rp->jb, "s", s ? s : ""));
}

static void table(report *rp, const ml_pdf_col *cols, size_t ncols, cells *c)
{
    size_t n = json_array_size(c->list);
    if (n > ML_ARRAY_LEN(c->ptrs)) n = ML_ARRAY_LEN(c->ptrs) / ncols * ncols;
    for (size_t i = 0; i < n; i++) c->ptrs[i] = json_string_value(json_array_get(c->list, i));
    ml_pdf_table(rp->pdf, cols, ncols, c->ptrs, n / ncols);
    json_array_clear(c->list);
}

static const char *kind_name(const report *rp, const char *kind)
{
    static const struct {
        const char *kind, *fr, *en;
    } kinds[] = {
        {"commune", "Commune", "Commune"},           {"epci", "EPCI", "EPCI"},
        {"departement", "Département", "Département"}, {"region", "Région", "Région"},
        {"country", "Pays", "Country"},              {"perimeter", "Périmètre", "Perimeter"},
    };
    for (size_t k = 0; k < ML_ARRAY_LEN(kinds); k++)
        if (strcmp(kinds[k].kind, kind) == 0) return rp->en ? kinds[k].en : kinds[k].fr;
    return kind;
}

static void title_page(report *rp, json_t *sum, json_t *ind, bool generated, const struct tm *tm)
{
    static const char *const months_fr[] = {"janvier", "février", "mars",      "avril",
                                            "mai",     "juin",    "juillet",   "août",
                                            "septembre", "octobre", "novembre", "décembre"};
    static const char *const months_en[] = {"January", "February", "March",     "April",
                                            "May",     "June",     "July",      "August",
                                            "September", "October", "November", "December"};
    char long_date[48];
    int mon = tm->tm_mon >= 0 && tm->tm_mon < 12 ? tm->tm_mon : 0;
    if (rp->en)
        ml_snprintf(long_date, sizeof long_date, "%d %s %d", tm->tm_mday, months_en[mon],
                    tm->tm_year + 1900);
    else
        ml_snprintf(long_date, sizeof long_date, "%d%s %s %d", tm->tm_mday,
                    tm->tm_mday == 1 ? "er" : "", months_fr[mon], tm->tm_year + 1900);
    json_t *t = json_object_get(sum, "territory"), *src = json_object_get(sum, "sources");
    char buf[1024], n1[32], n2[32];
    ml_snprintf(buf, sizeof buf, rp->en ? "Territorial diagnosis: %s" : "Diagnostic territorial : %s",
                str(t, "name"));
    ml_pdf_title(rp->pdf, buf);
    ml_snprintf(buf, sizeof buf, "%s %s · %s %s · %s %s", kind_name(rp, str(t, "kind")),
                str(t, "code"), fmt_int(rp, json_object_get(t, "communes"), n1, sizeof n1),
                json_integer_value(json_object_get(t, "communes")) == 1 ? "commune" : "communes",
                L("population", "population"),
                fmt_int(rp, json_object_get(t, "population"), n2, sizeof n2));
    ml_pdf_para(rp->pdf, buf, 11, false);
    ml_snprintf(buf, sizeof buf, "%s %s %s", L("Rapport établi le", "Report of"), long_date,
                L("par maillage, à partir de données ouvertes.",
                  "by maillage, from open data."));
    ml_pdf_para(rp->pdf, buf, 9.5, false);
    if (generated)
        ml_pdf_warning(rp->pdf,
                       L("DONNÉES DE DÉMONSTRATION GÉNÉRÉES (GENERATED demo data) : aucune "
                         "entreprise de ce rapport n'existe ; les chiffres ne décrivent pas le "
                         "territoire réel.",
                         "GENERATED demo data: no firm in this report exists; the figures do not "
                         "describe the real territory."));
    ml_pdf_heading(rp->pdf, L("Sources", "Sources"));
    json_t *sir = json_object_get(src, "sirene");
    ml_snprintf(buf, sizeof buf,
                L("Établissements : répertoire SIRENE de l'Insee%s, importé le %s (UTC), "
                  "créations jusqu'au %s, tranches d'effectif de %lld.",
                  "Establishments: INSEE's SIRENE register%s, imported %s (UTC), creations up "
                  "to %s, size bands of %lld."),
                generated ? L(" (généré pour la démonstration)", " (generated for the demo)") : "",
                str(sir, "imported"), str(sir, "latest_creation"),
                (long long)json_integer_value(json_object_get(sir, "headcount_year")));
    ml_pdf_para(rp->pdf, buf, 0, false);
    const char *keys[] = {"population", "geography", "sectors"};
    for (size_t k = 0; k < ML_ARRAY_LEN(keys); k++) {
        const char *s = str(json_object_get(src, keys[k]), rp->en ? "label_en" : "label_fr");
        if (*s) ml_pdf_para(rp->pdf, s, 0, false);
    }
    json_t *base = json_object_get(ind, "base");
    if (json_is_object(base))
        ml_snprintf(buf, sizeof buf,
                    L("Territoire de comparaison (quotients de localisation) : %s %s (%s). "
                      "Activités au niveau %s de la NAF ; quotients des %s.",
                      "Compared with (location quotients): %s %s (%s). Activities at NAF level "
                      "%s; quotients of %s."),
                    kind_name(rp, str(base, "kind")), str(base, "code"), str(base, "name"),
                    str(ind, "level"),
                    strcmp(str(ind, "value"), "establishments") == 0
                        ? L("établissements", "establishments")
                        : L("emplois estimés", "estimated jobs"));
    else
        ml_snprintf(buf, sizeof buf, "%s",
                    L("Pas de territoire de comparaison : la base ne couvre aucun territoire "
                      "plus large ; pas de quotient de localisation.",
                      "No territory to compare with: the database covers no wider territory; "
                      "no location quotient."));
    ml_pdf_para(rp->pdf, buf, 0, false);
}

static void key_figures(report *rp, cells *c, json_t *sum, json_t *ind)
{
    json_t *f = json_object_get(ind, "figures"), *e = json_object_get(sum, "establishments");
    json_t *in = json_object_get(f, "industry"), *lg = json_object_get(f, "largest");
    json_t *dv = json_object_get(f, "diversity");
    char v[64], s[64];
    ml_pdf_heading(rp->pdf, L("Chiffres clés", "Key figures"));
    static const ml_pdf_col cols[] = {
        {"", 0.58, ML_PDF_LEFT}, {"", 0.22, ML_PDF_RIGHT}, {"", 0.20, ML_PDF_RIGHT}};
    ml_pdf_col cl[3] = {cols[0], cols[1], cols[2]};
    cl[0].title = L("Indicateur", "Indicator");
    cl[1].title = L("Valeur", "Value");
    cl[2].title = L("Part", "Share");
#define ROW(label, value, share)                                                                   \
    do {                                                                                           \
        cell(rp, c, label);                                                                        \
        cell(rp, c, value);                                                                        \
        cell(rp, c, share);                                                                        \
    } while (0)
    ROW(L("Établissements ouverts", "Open establishments"),
        fmt_int(rp, json_object_get(f, "establishments"), v, sizeof v), "");
    ROW(L("Établissements fermés encore au répertoire", "Closed establishments still listed"),
        fmt_int(rp, json_object_get(e, "closed"), v, sizeof v), "");
    ROW(L("dont employeurs (ouverts)", "of which employers (open)"),
        fmt_int(rp, json_object_get(f, "employer_establishments"), v, sizeof v), "");
    ROW(L("Emplois estimés (milieux des tranches d'effectif)",
          "Estimated jobs (size-band midpoints)"),
        fmt_int(rp, json_object_get(f, "jobs_estimated"), v, sizeof v), "");
    ROW(L("Établissements sans effectif connu", "Establishments without headcount"),
        fmt_int(rp, json_object_get(f, "without_headcount"), v, sizeof v), "");
    ROW(L("Établissements industriels (sections B à E)", "Industrial establishments (B to E)"),
        fmt_int(rp, json_object_get(in, "establishments"), v, sizeof v),
        fmt_pct(rp, json_object_get(in, "share"), s, sizeof s));
    ROW(L("Emplois industriels estimés", "Estimated industrial jobs"),
        fmt_int(rp, json_object_get(in, "jobs"), v, sizeof v),
        fmt_pct(rp, json_object_get(in, "jobs_share"), s, sizeof s));
    ROW(L("Activités présentes (diversité)", "Activities present (diversity)"),
        fmt_int(rp, json_object_get(dv, "activities"), v, sizeof v), "");
    ROW(L("dont avec un quotient de 1 ou plus", "of which with a quotient of 1 or more"),
        fmt_int(rp, json_object_get(dv, "specialised"), v, sizeof v), "");
    if (json_is_number(json_object_get(f, "hhi")))
        ROW(L("Concentration (indice de Herfindahl-Hirschman)",
              "Concentration (Herfindahl-Hirschman index)"),
            fmt_dec(rp, json_number_value(json_object_get(f, "hhi")), 3, v, sizeof v), "");
    ROW(L("Part des emplois des 5 plus grands employeurs", "Jobs share of the 5 largest employers"),
        "", fmt_pct(rp, json_object_get(lg, "top5_jobs_share"), s, sizeof s));
    ROW(L("Part des emplois des 10 plus grands employeurs",
          "Jobs share of the 10 largest employers"),
        "", fmt_pct(rp, json_object_get(lg, "top10_jobs_share"), s, sizeof s));
    ROW(L("Établissements en diffusion partielle (comptés, jamais nommés)",
          "Establishments with restricted diffusion (counted, never named)"),
        fmt_int(rp, json_object_get(f, "restricted"), v, sizeof v), "");
#undef ROW
    table(rp, cl, 3, c);
}

/* The activities of the indicators, by estimated jobs, at most 40. */
static void sectors(report *rp, cells *c, json_t *ind)
{
    char h[256];
    ml_snprintf(h, sizeof h, "%s (%s %s)", L("Secteurs d'activité", "Sectors"),
                L("NAF, niveau", "NAF, level"), str(ind, "level"));
    ml_pdf_heading(rp->pdf, h);
    ml_pdf_col cols[] = {
        {L("Code", "Code"), 0.08, ML_PDF_LEFT},
        {L("Activité", "Activity"), 0.46, ML_PDF_LEFT},
        {L("Établ.", "Estab."), 0.11, ML_PDF_RIGHT},
        {L("Emplois est.", "Est. jobs"), 0.12, ML_PDF_RIGHT},
        {L("Part", "Share"), 0.11, ML_PDF_RIGHT},
        {L("Quotient", "Quotient"), 0.12, ML_PDF_RIGHT},
    };
    json_t *acts = json_object_get(ind, "activities");
    size_t i, shown = 0;
    json_t *a;
    json_array_foreach(acts, i, a)
    {
        if (shown == 40) break;
        char v1[32], v2[32], v3[32], v4[32];
        cell(rp, c, str(a, "code"));
        cell(rp, c, label_of(rp, a));
        cell(rp, c, fmt_int(rp, json_object_get(a, "establishments"), v1, sizeof v1));
        cell(rp, c, fmt_int(rp, json_object_get(a, "jobs"), v2, sizeof v2));
        cell(rp, c, fmt_pct(rp, json_object_get(a, "share"), v3, sizeof v3));
        json_t *lq = json_object_get(a, "lq");
        cell(rp, c, json_is_number(lq) ? fmt_dec(rp, json_number_value(lq), 2, v4, sizeof v4) : "-");
        shown++;
    }
    table(rp, cols, ML_ARRAY_LEN(cols), c);
    char buf[512];
    long long hidden = (long long)json_integer_value(json_object_get(ind, "activities_hidden"));
    if (json_array_size(acts) > shown || hidden > 0) {
        ml_snprintf(buf, sizeof buf,
                    L("%zu activités montrées sur %zu, par emplois estimés ; %lld activités de "
                      "moins de 3 établissements ne sont pas montrées (secret statistique).",
                      "%zu activities shown of %zu, by estimated jobs; %lld activities of fewer "
                      "than 3 establishments are not shown (statistical secrecy)."),
                    shown, json_array_size(acts), hidden);
        ml_pdf_para(rp->pdf, buf, 8, false);
    }
}

static void specialisations(report *rp, json_t *ind)
{
    ml_pdf_heading(rp->pdf, L("Spécialisations (quotients de localisation)",
                              "Specialisations (location quotients)"));
    json_t *sp = json_object_get(ind, "specialisations");
    if (!json_array_size(sp)) {
        ml_pdf_para(rp->pdf,
                    L("Aucune activité n'a un quotient de 1,25 ou plus avec 3 établissements ou "
                      "plus face au territoire de comparaison.",
                      "No activity has a quotient of 1.25 or more with 3 establishments or more "
                      "against the territory compared with."),
                    0, false);
        return;
    }
    ml_pdf_para(rp->pdf,
                L("Quotient = part de l'activité dans le territoire / part dans le territoire de "
                  "comparaison ; le trait pointillé marque 1 (autant qu'ailleurs).",
                  "Quotient = the activity's share here / its share in the territory compared "
                  "with; the dashed line marks 1 (as much as elsewhere)."),
                8.5, false);
    double max = 1;
    size_t i;
    json_t *s;
    json_array_foreach(sp, i, s)
    {
        double q = json_number_value(json_object_get(s, "lq"));
        if (q > max) max = q;
    }
    json_array_foreach(sp, i, s)
    {
        if (i == 25) break;
        char label[600], q[32], n[32];
        ml_snprintf(label, sizeof label, "%s %s (%s %s)", str(s, "code"), label_of(rp, s),
                    fmt_int(rp, json_object_get(s, "establishments"), n, sizeof n),
                    L("établ.", "estab."));
        double v = json_number_value(json_object_get(s, "lq"));
        ml_pdf_bar(rp->pdf, label, fmt_dec(rp, v, 2, q, sizeof q), v, max * 1.05, 1);
    }
    ml_pdf_space(rp->pdf, 6);
}

static void categories(report *rp, cells *c, json_t *ind)
{
    ml_pdf_heading(rp->pdf, L("Catégories d'entreprises (Insee)", "Company categories (INSEE)"));
    ml_pdf_col cols[] = {
        {L("Catégorie", "Category"), 0.40, ML_PDF_LEFT},
        {L("Établissements", "Establishments"), 0.16, ML_PDF_RIGHT},
        {L("Part", "Share"), 0.12, ML_PDF_RIGHT},
        {L("Emplois est.", "Est. jobs"), 0.16, ML_PDF_RIGHT},
        {L("Part", "Share"), 0.16, ML_PDF_RIGHT},
    };
    static const struct {
        const char *code, *fr, *en;
    } names[] = {
        {"PME", "PME (petites et moyennes entreprises)", "SMEs (PME)"},
        {"ETI", "ETI (entreprises de taille intermédiaire)", "Mid-sized companies (ETI)"},
        {"GE", "Grandes entreprises", "Large companies (GE)"},
        {"unknown", "Catégorie inconnue (unité légale non importée)",
         "Unknown category (legal unit not imported)"},
    };
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(ind, "company_categories"), i, k)
    {
        const char *code = str(k, "code"), *name = *label_of(rp, k) ? label_of(rp, k) : code;
        for (size_t j = 0; j < ML_ARRAY_LEN(names); j++)
            if (strcmp(names[j].code, code) == 0) name = rp->en ? names[j].en : names[j].fr;
        char v1[32], v2[32], v3[32], v4[32];
        cell(rp, c, *name ? name : L("autre", "other"));
        cell(rp, c, fmt_int(rp, json_object_get(k, "count"), v1, sizeof v1));
        cell(rp, c, fmt_pct(rp, json_object_get(k, "share"), v2, sizeof v2));
        cell(rp, c, fmt_int(rp, json_object_get(k, "jobs"), v3, sizeof v3));
        cell(rp, c, fmt_pct(rp, json_object_get(k, "jobs_share"), v4, sizeof v4));
    }
    table(rp, cols, ML_ARRAY_LEN(cols), c);
}

static void years(report *rp, json_t *ind)
{
    ml_pdf_heading(rp->pdf, L("Créations et fermetures par année", "Creations and closures by year"));
    json_t *by = json_object_get(json_object_get(ind, "years"), "by_year");
    size_t n = json_array_size(by);
    if (n == 0) {
        ml_pdf_para(rp->pdf, L("Aucune date connue.", "No date known."), 0, false);
        return;
    }
    if (n > 40) n = 40;
    size_t first = json_array_size(by) - n;
    char(*cats)[8] = calloc(n, 8);
    const char **names = calloc(n, sizeof *names);
    double *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
    if (cats && names && a && b) {
        bool secret = false;
        for (size_t i = 0; i < n; i++) {
            json_t *y = json_array_get(by, first + i);
            ml_snprintf(cats[i], 8, "%d", (int)json_integer_value(json_object_get(y, "year")));
            names[i] = cats[i];
            json_t *cr = json_object_get(y, "created"), *cl = json_object_get(y, "closed");
            a[i] = json_is_number(cr) ? json_number_value(cr) : NAN;
            b[i] = json_is_number(cl) ? json_number_value(cl) : NAN;
            secret |= !json_is_number(cr) || !json_is_number(cl);
        }
        ml_pdf_chart_pairs(rp->pdf, names, a, b, n, L("créations", "creations"),
                           L("fermetures", "closures"));
        ml_pdf_para(rp->pdf,
                    secret ? L("Fermetures datées par la date de début de la période SIRENE "
                               "(dateDebut). Un trait gris : moins de 3, non diffusé.",
                               "Closures dated by SIRENE's period start (dateDebut). A grey "
                               "tick: fewer than 3, not shown.")
                           : L("Fermetures datées par la date de début de la période SIRENE "
                               "(dateDebut).",
                               "Closures dated by SIRENE's period start (dateDebut)."),
                    8, false);
    }
    free(cats);
    free(names);
    free(a);
    free(b);
}

static void opportunities(report *rp, ml_db *db, const char *code)
{
    ml_pdf_heading(rp->pdf, L("Ce que le territoire pourrait développer, et qui pourrait mener",
                              "What the territory could grow into, and who could lead"));
    json_t *o = NULL;
    ml_err r = ml_territory_opportunities(db, code, 8, &o);
    if (r) {
        char buf[600];
        ml_snprintf(buf, sizeof buf, "%s %s", L("Non disponible :", "Not available:"),
                    ml_ctx_message(ml_db_ctx(db)));
        ml_pdf_para(rp->pdf, buf, 0, false);
        return;
    }
    char buf[1600], d1[32], d2[32], n[32];
    json_t *cw = json_object_get(o, "compared_with");
    ml_snprintf(buf, sizeof buf,
                L("Classes NAF où le territoire n'est pas spécialisé (RCA < 1) et dont il détient "
                  "le plus d'activités proches (densité), parmi les %lld %s de la base ; pour "
                  "chacune, les activités proches qu'il détient et leurs plus grands "
                  "établissements publics.",
                  "NAF classes where the territory is not specialised (RCA < 1) and holds the "
                  "most related activities (density), among the database's %lld %s; for each, "
                  "the related activities it holds and their largest public establishments."),
                (long long)json_integer_value(json_object_get(cw, "count")),
                strcmp(str(cw, "locations"), "epci") == 0 ? "EPCI" : L("communes", "communes"));
    ml_pdf_para(rp->pdf, buf, 8.5, false);
    size_t i, j, k;
    json_t *v, *w, *f;
    json_array_foreach(json_object_get(o, "opportunities"), i, v)
    {
        ml_snprintf(buf, sizeof buf, "%zu. %s %s — %s %s, RCA %s, %s %s", i + 1, str(v, "code"),
                    label_of(rp, v), L("densité", "density"),
                    fmt_dec(rp, json_number_value(json_object_get(v, "density")), 3, d1, sizeof d1),
                    fmt_dec(rp, json_number_value(json_object_get(v, "rca")), 2, d2, sizeof d2),
                    fmt_int(rp, json_object_get(v, "establishments"), n, sizeof n),
                    L("établissements ici", "establishments here"));
        ml_pdf_para(rp->pdf, buf, 9.5, true);
        json_array_foreach(json_object_get(v, "related"), j, w)
        {
            ml_buf b;
            ml_buf_init(&b, 4096);
            ml_buf_addf(&b, "%s %s %s (%s %s)", L("proche de", "close to"), str(w, "code"),
                        label_of(rp, w), L("proximité", "proximity"),
                        fmt_dec(rp, json_number_value(json_object_get(w, "proximity")), 2, d1,
                                sizeof d1));
            json_array_foreach(json_object_get(w, "firms"), k, f)
            {
                /* A firm without a public name is named by its SIRET (lib/firm). */
                if (strcmp(str(f, "name"), str(f, "siret")) == 0)
                    ml_buf_addf(&b, "%s%s (%s)", k ? " ; " : " : ", str(f, "siret"),
                                str(f, "commune"));
                else
                    ml_buf_addf(&b, "%s%s (%s, %s)", k ? " ; " : " : ", str(f, "name"),
                                str(f, "siret"), str(f, "commune"));
            }
            ml_pdf_para(rp->pdf, ml_buf_failed(&b) ? "…" : ml_buf_cstr(&b), 8.5, false);
            ml_buf_release(&b);
        }
    }
    json_decref(o);
}

static void methods(report *rp)
{
    ml_pdf_heading(rp->pdf, L("Secret statistique", "Statistical secrecy"));
    ml_pdf_para(rp->pdf,
                L("Aucun nombre de moins de 3 établissements n'est diffusé : il est écrit « < 3 ». "
                  "Les établissements en diffusion partielle (statut P du répertoire SIRENE) sont "
                  "comptés mais jamais nommés ni localisés. Les entreprises citées sont des "
                  "établissements publics du répertoire.",
                  "No count of fewer than 3 establishments is shown: it reads \"< 3\". "
                  "Establishments with restricted diffusion (SIRENE status P) are counted, never "
                  "named or located. The firms named are public establishments of the register."),
                0, false);
    ml_pdf_heading(rp->pdf, L("Méthodes", "Methods"));
    const char *const fr[] = {
        "Emplois estimés : chaque établissement compte pour le milieu de sa tranche d'effectif "
        "(0 pour « 0 salarié » ou une tranche inconnue).",
        "Part industrielle : sections B à E de la NAF rév. 2 (industries extractives, "
        "manufacturières, énergie, eau et déchets).",
        "Quotient de localisation : part d'une activité dans les emplois estimés du territoire "
        "divisée par sa part dans le territoire de comparaison ; 1 = autant qu'ailleurs. Une "
        "spécialisation est un quotient de 1,25 ou plus avec au moins 3 établissements.",
        "Diversité : nombre d'activités présentes. Concentration : indice de "
        "Herfindahl-Hirschman, somme des carrés des parts des activités (1 = une seule "
        "activité).",
        "Opportunités : RCA (avantage comparatif révélé de Balassa) et densité des activités "
        "proches, calculées comme le paquet ecomplexity de l'Atlas of Economic Complexity, les "
        "établissements servant de valeur.",
        "Le détail de chaque indicateur et un exemple à refaire à la main sont dans "
        "docs/methods.md de maillage.",
    };
    const char *const en[] = {
        "Estimated jobs: each establishment counts for its size band's midpoint (0 for \"0 "
        "employees\" or an unknown band).",
        "Industrial share: sections B to E of NAF rev. 2 (mining, manufacturing, energy, water "
        "and waste).",
        "Location quotient: an activity's share of the territory's estimated jobs divided by its "
        "share in the territory compared with; 1 = as much as elsewhere. A specialisation is a "
        "quotient of 1.25 or more with at least 3 establishments.",
        "Diversity: the number of activities present. Concentration: the Herfindahl-Hirschman "
        "index, the sum of the activities' squared shares (1 = a single activity).",
        "Opportunities: RCA (Balassa's revealed comparative advantage) and the density of "
        "related activities, computed as the Atlas of Economic Complexity's ecomplexity package "
        "does, establishments being the value.",
        "Each indicator in detail, with an example to redo by hand: maillage's docs/methods.md.",
    };
    for (size_t i = 0; i < ML_ARRAY_LEN(fr); i++)
        ml_pdf_para(rp->pdf, rp->en ? en[i] : fr[i], 8.5, false);
}

ml_err ml_report_territory(ml_db *db, const char *code, const ml_report_opts *opts,
                           const char *path)
{
    ml_ctx *ctx = ml_db_ctx(db);
    ml_report_opts none = {0};
    if (!opts) opts = &none;
    if (opts->lang && strcmp(opts->lang, "fr") != 0 && strcmp(opts->lang, "en") != 0)
        return ml_fail(ctx, ML_INVALID, "language '%.20s': expected fr or en", opts->lang);
    report rp0 = {.en = opts->lang && strcmp(opts->lang, "en") == 0};
    report *rp = &rp0;
    json_t *sum = NULL, *ind = NULL;
    ml_indicator_opts io = {.base = opts->base, .level = opts->level};
    ml_err r = ml_territory_summary(db, code, &sum);
    if (!r) r = ml_territory_indicators(db, code, &io, &ind);
    if (r) goto out;
    json_t *t = json_object_get(sum, "territory");
    bool generated = json_is_true(json_object_get(sum, "contains_generated_data"));
    char date[16], header[512], title[512];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    ml_snprintf(header, sizeof header, "maillage · %s %s %s · %s", kind_name(rp, str(t, "kind")),
                str(t, "code"), str(t, "name"), date);
    ml_snprintf(title, sizeof title, "%s : %s", L("Diagnostic territorial", "Territorial diagnosis"),
                str(t, "name"));
    r = ml_pdf_open(ctx, path, title, header,
                    generated ? L("DONNÉES DE DÉMONSTRATION GÉNÉRÉES (GENERATED demo data) : "
                                  "aucune entreprise réelle",
                                  "GENERATED demo data: no real firm")
                              : NULL,
                    &rp->pdf);
    if (r) goto out;
    cells *c = calloc(1, sizeof *c);
    if (!c) {
        ml_pdf_close(rp->pdf);
        r = ml_fail(ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    c->list = json_array();
    title_page(rp, sum, ind, generated, &tm);
    key_figures(rp, c, sum, ind);
    sectors(rp, c, ind);
    specialisations(rp, ind);
    categories(rp, c, ind);
    years(rp, ind);
    const char *kind = str(t, "kind");
    if (strcmp(kind, "commune") == 0 || strcmp(kind, "epci") == 0)
        opportunities(rp, db, str(t, "code"));
    methods(rp);
    json_decref(c->list);
    free(c);
    r = ml_json_done(ctx, &rp->jb);
    ml_err rc = ml_pdf_close(rp->pdf);
    if (!r && rc) r = rc;
    else if (r && !rc) remove(path);
out:
    json_decref(sum);
    json_decref(ind);
    return r;
}
