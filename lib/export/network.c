/* network.c — exports of a network report an organiser can hand to a
 * meeting: CSV (the pairs) and an Excel workbook (pairs, outside partners,
 * method and sources), written under a temporary name then renamed. */
#include <errno.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "export/csv.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static const char *sub(json_t *o, const char *a, const char *b)
{
    return str(json_object_get(o, a), b);
}

/* One row of the pairs table, in the order of `pair_columns`: each pair of
 * members once, with the reason of each direction that exists. */
static const char *const pair_columns[] = {
    "Rang",
    "Établissement A",
    "SIRET A",
    "Activité A",
    "Commune A",
    "Établissement B",
    "SIRET B",
    "Activité B",
    "Commune B",
    "Distance (km)",
    "Score",
    "A fournit B : pourquoi",
    "B fournit A : pourquoi",
    "Données générées",
};
#define NCOLS 14

static void pair_values(json_t *p, char num[3][32], const char *v[NCOLS])
{
    json_t *a = json_object_get(p, "a"), *b = json_object_get(p, "b");
    json_t *ab = json_object_get(p, "a_to_b"), *ba = json_object_get(p, "b_to_a");
    json_t *any = json_is_object(ab) ? ab : ba;
    ml_snprintf(num[0], 32, "%lld", (long long)json_integer_value(json_object_get(p, "rank")));
    ml_snprintf(num[1], 32, "%.1f",
                json_number_value(json_object_get(json_object_get(any, "parts"), "distance_km")));
    ml_snprintf(num[2], 32, "%.4f", json_number_value(json_object_get(p, "score")));
    bool generated = json_is_true(json_object_get(a, "generated")) ||
                     json_is_true(json_object_get(b, "generated"));
    const char *vals[NCOLS] = {num[0],
                               str(a, "name"),
                               str(a, "siret"),
                               sub(a, "activity", "label"),
                               sub(a, "commune", "name"),
                               str(b, "name"),
                               str(b, "siret"),
                               sub(b, "activity", "label"),
                               sub(b, "commune", "name"),
                               num[1],
                               num[2],
                               str(ab, "reason_fr"),
                               str(ba, "reason_fr"),
                               generated ? "oui" : "non"};
    memcpy(v, vals, sizeof vals);
}

static ml_err finish(ml_ctx *ctx, const char *tmp, const char *path, bool ok)
{
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return ml_fail(ctx, ML_IO, "%s: cannot write: %s", path, ok ? strerror(e) : "write failed");
    }
    return ML_OK;
}

ml_err ml_export_network_csv(ml_ctx *ctx, json_t *report, const char *path)
{
    char tmp[4096];
    if (ml_snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()))
        return ml_fail(ctx, ML_LIMIT, "path too long");
    FILE *f = fopen(tmp, "w");
    if (!f) return ml_fail(ctx, ML_IO, "%s: cannot write: %s", path, strerror(errno));
    ml_csv_writer w;
    ml_csvw_init(&w, f, 0);
    for (size_t c = 0; c < ML_ARRAY_LEN(pair_columns); c++)
        ml_csvw_text(&w, pair_columns[c]);
    ml_csvw_end_row(&w);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(report, "pairs"), i, p)
    {
        char num[3][32];
        const char *v[NCOLS];
        pair_values(p, num, v);
        for (size_t c = 0; c < NCOLS; c++) {
            bool numeric = c == 0 || c == 9 || c == 10;
            if (numeric)
                ml_csvw_number(&w, v[c]);
            else
                ml_csvw_text(&w, v[c]);
        }
        ml_csvw_end_row(&w);
    }
    bool ok = ml_csvw_finish(&w) == 0;
    ok &= fclose(f) == 0;
    return finish(ctx, tmp, path, ok);
}

ml_err ml_export_network_xlsx(ml_ctx *ctx, json_t *report, const char *path)
{
    char tmp[4096];
    if (ml_snprintf(tmp, sizeof tmp, "%s.tmp%ld.xlsx", path, (long)getpid()))
        return ml_fail(ctx, ML_LIMIT, "path too long");
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(tmp, &wo);
    if (!wb) return ml_fail(ctx, ML_IO, "%s: cannot create the workbook", path);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);

    lxw_format *km = workbook_add_format(wb);
    format_set_num_format(km, "0.0");
    lxw_format *score = workbook_add_format(wb);
    format_set_num_format(score, "0.0000");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Paires");
    for (size_t c = 0; c < NCOLS; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, pair_columns[c], bold);
    static const double widths[NCOLS] = {6, 30, 16, 30, 22, 30, 16, 30, 22, 11, 9, 70, 70, 10};
    for (size_t c = 0; c < NCOLS; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c],
                             c == 11 || c == 12 ? wrap : NULL);
    worksheet_freeze_panes(ws, 1, 0);
    size_t i, npairs = json_array_size(json_object_get(report, "pairs"));
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)npairs, NCOLS - 1);
    json_t *p;
    json_array_foreach(json_object_get(report, "pairs"), i, p)
    {
        char num[3][32];
        const char *v[NCOLS];
        pair_values(p, num, v);
        lxw_row_t row = (lxw_row_t)i + 1;
        for (size_t c = 0; c < NCOLS; c++) {
            if (c == 0)
                worksheet_write_number(ws, row, 0, strtod(v[c], NULL), NULL);
            else if (c == 9 || c == 10)
                worksheet_write_number(ws, row, (lxw_col_t)c, strtod(v[c], NULL),
                                       c == 9 ? km : score);
            else
                worksheet_write_string(ws, row, (lxw_col_t)c, v[c],
                                       c == 11 || c == 12 ? wrap : NULL);
        }
    }
    static const struct {
        const char *key, *sheet;
    } sides[] = {{"outside_suppliers", "Fournisseurs extérieurs"},
                 {"outside_customers", "Clients extérieurs"}};
    static const char *const out_cols[] = {
        "SIRET",    "Établissement",   "Activité",    "Ce qu'il apporte (classe NAF)",
        "Commune",  "Membres servis",  "Score total", "Meilleur lien avec un membre",
        "Pourquoi", "Données générées"};
    static const double out_widths[] = {16, 30, 30, 30, 22, 9, 10, 30, 80, 10};
    for (size_t sd = 0; sd < ML_ARRAY_LEN(sides); sd++) {
        lxw_worksheet *w2 = workbook_add_worksheet(wb, sides[sd].sheet);
        size_t nrow = json_array_size(json_object_get(report, sides[sd].key));
        for (size_t c = 0; c < ML_ARRAY_LEN(out_cols); c++) {
            worksheet_write_string(w2, 0, (lxw_col_t)c, out_cols[c], bold);
            worksheet_set_column(w2, (lxw_col_t)c, (lxw_col_t)c, out_widths[c],
                                 c == 8 ? wrap : NULL);
        }
        worksheet_freeze_panes(w2, 1, 0);
        worksheet_autofilter(w2, 0, 0, (lxw_row_t)nrow, (lxw_col_t)(ML_ARRAY_LEN(out_cols) - 1));
        json_array_foreach(json_object_get(report, sides[sd].key), i, p)
        {
            lxw_row_t row = (lxw_row_t)i + 1;
            json_t *in = json_object_get(p, "input");
            char input[256];
            ml_snprintf(input, sizeof input, "%s %s", str(in, "code"), str(in, "label_fr"));
            worksheet_write_string(w2, row, 0, str(p, "siret"), NULL);
            worksheet_write_string(w2, row, 1, str(p, "name"), NULL);
            worksheet_write_string(w2, row, 2, sub(p, "activity", "label"), NULL);
            worksheet_write_string(w2, row, 3, input, NULL);
            worksheet_write_string(w2, row, 4, sub(p, "commune", "name"), NULL);
            worksheet_write_number(
                w2, row, 5, (double)json_integer_value(json_object_get(p, "members_served")), NULL);
            worksheet_write_number(w2, row, 6, json_number_value(json_object_get(p, "total_score")),
                                   score);
            worksheet_write_string(w2, row, 7, sub(p, "best_member", "name"), NULL);
            worksheet_write_string(w2, row, 8, str(p, "reason_fr"), wrap);
            worksheet_write_string(
                w2, row, 9, json_is_true(json_object_get(p, "generated")) ? "oui" : "non", NULL);
        }
    }
    lxw_worksheet *m = workbook_add_worksheet(wb, "Méthode");
    worksheet_set_column(m, 0, 0, 110, wrap);
    char line[512];
    ml_snprintf(line, sizeof line, "Réseau « %s » : %lld membres, %lld localisés et actifs.",
                str(report, "network"),
                (long long)json_integer_value(json_object_get(report, "members")),
                (long long)json_integer_value(json_object_get(report, "members_placed")));
    const char *text[] = {
        line,
        "Chaque paire de membres apparaît une fois, avec la raison de chaque sens qui existe "
        "(A fournit B, B fournit A). Score = (part des achats + 0,2 × similarité offres/besoins) "
        "× exp(-distance / échelle) × compatibilité de taille × bonus réseau (1,2) ; le score de "
        "la paire est celui du meilleur sens.",
        "Part des achats : part des consommations intermédiaires de production française de la "
        "classe NAF de l'acheteur qui viennent de la classe NAF du fournisseur (tableau des "
        "entrées-sorties domestique de l'Insee 2019 au niveau A38, réparti par classe NAF "
        "d'après les tableaux détaillés 2017 du BEA américain). Pour le commerce, les "
        "marchandises revendues comptent aussi. Les intrants que toute entreprise achète "
        "(banque, immobilier, sièges sociaux, marges commerciales, énergie de réseau…) ne sont "
        "pas proposés.",
        "Partenaires extérieurs : pour chaque membre, ses 10 meilleurs fournisseurs (ou clients) "
        "hors réseau ; le score total additionne les membres servis ; au plus 3 par classe NAF ; "
        "la raison donnée est celle du lien avec le membre qu'il sert le mieux.",
        "Établissements : répertoire SIRENE de l'Insee ; les établissements en diffusion partielle "
        "(statut P) ne sont jamais proposés.",
        "Détail : docs/methods.md de maillage. Les lignes marquées « donnees_generees = oui » "
        "viennent de données de démonstration générées, pas d'entreprises réelles.",
    };
    for (size_t k = 0; k < ML_ARRAY_LEN(text); k++)
        worksheet_write_string(m, (lxw_row_t)k, 0, text[k], wrap);
    lxw_error e = workbook_close(wb);
    return finish(ctx, tmp, path, e == LXW_NO_ERROR);
}
