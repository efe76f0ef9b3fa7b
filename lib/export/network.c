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

/* One row of the pairs table, in the order of `pair_columns`. */
static const char *const pair_columns[] = {
    "rang",
    "fournisseur_siret",
    "fournisseur",
    "activite_fournisseur",
    "commune_fournisseur",
    "acheteur_siret",
    "acheteur",
    "activite_acheteur",
    "commune_acheteur",
    "distance_km",
    "part_branche",
    "score",
    "raison",
    "donnees_generees",
};

static void pair_values(json_t *p, char num[4][32], const char *v[14])
{
    json_t *s = json_object_get(p, "supplier"), *b = json_object_get(p, "buyer");
    ml_snprintf(num[0], 32, "%lld", (long long)json_integer_value(json_object_get(p, "rank")));
    ml_snprintf(num[1], 32, "%.1f", json_number_value(json_object_get(s, "distance_km")));
    ml_snprintf(num[2], 32, "%.4f",
                json_number_value(json_object_get(
                    json_object_get(json_object_get(s, "parts"), "sector"), "share")));
    ml_snprintf(num[3], 32, "%.6f", json_number_value(json_object_get(s, "score")));
    bool generated = json_is_true(json_object_get(s, "generated")) ||
                     json_is_true(json_object_get(b, "generated"));
    const char *vals[14] = {num[0],
                            str(s, "siret"),
                            str(s, "name"),
                            sub(s, "activity", "label"),
                            sub(s, "commune", "name"),
                            str(b, "siret"),
                            str(b, "name"),
                            sub(b, "activity", "label"),
                            sub(b, "commune", "name"),
                            num[1],
                            num[2],
                            num[3],
                            str(s, "reason_fr"),
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
        char num[4][32];
        const char *v[14];
        pair_values(p, num, v);
        for (size_t c = 0; c < 14; c++) {
            bool numeric = c == 0 || c == 9 || c == 10 || c == 11;
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

    lxw_worksheet *ws = workbook_add_worksheet(wb, "Paires");
    for (size_t c = 0; c < ML_ARRAY_LEN(pair_columns); c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, pair_columns[c], bold);
    worksheet_set_column(ws, 0, 11, 18, NULL);
    worksheet_set_column(ws, 12, 12, 90, wrap);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(report, "pairs"), i, p)
    {
        char num[4][32];
        const char *v[14];
        pair_values(p, num, v);
        lxw_row_t row = (lxw_row_t)i + 1;
        for (size_t c = 0; c < 14; c++) {
            bool numeric = c == 0 || c == 9 || c == 10 || c == 11;
            if (numeric)
                worksheet_write_number(ws, row, (lxw_col_t)c, strtod(v[c], NULL), NULL);
            else
                worksheet_write_string(ws, row, (lxw_col_t)c, v[c], c == 12 ? wrap : NULL);
        }
    }
    static const struct {
        const char *key, *sheet;
    } sides[] = {{"outside_suppliers", "Fournisseurs extérieurs"},
                 {"outside_customers", "Clients extérieurs"}};
    static const char *const out_cols[] = {
        "siret", "nom", "activite", "commune", "membres_servis", "score_total", "donnees_generees"};
    for (size_t sd = 0; sd < ML_ARRAY_LEN(sides); sd++) {
        lxw_worksheet *w2 = workbook_add_worksheet(wb, sides[sd].sheet);
        worksheet_set_column(w2, 0, 6, 22, NULL);
        for (size_t c = 0; c < ML_ARRAY_LEN(out_cols); c++)
            worksheet_write_string(w2, 0, (lxw_col_t)c, out_cols[c], bold);
        json_array_foreach(json_object_get(report, sides[sd].key), i, p)
        {
            lxw_row_t row = (lxw_row_t)i + 1;
            worksheet_write_string(w2, row, 0, str(p, "siret"), NULL);
            worksheet_write_string(w2, row, 1, str(p, "name"), NULL);
            worksheet_write_string(w2, row, 2, sub(p, "activity", "label"), NULL);
            worksheet_write_string(w2, row, 3, sub(p, "commune", "name"), NULL);
            worksheet_write_number(
                w2, row, 4, (double)json_integer_value(json_object_get(p, "members_served")), NULL);
            worksheet_write_number(w2, row, 5, json_number_value(json_object_get(p, "total_score")),
                                   NULL);
            worksheet_write_string(
                w2, row, 6, json_is_true(json_object_get(p, "generated")) ? "oui" : "non", NULL);
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
        "Score = (part de la branche + 0,2 × similarité offres/besoins) × exp(-distance / échelle)"
        " × compatibilité de taille × bonus réseau (1,2).",
        "Part de la branche : part des consommations intermédiaires domestiques de la branche de "
        "l'acheteur qui viennent du produit du fournisseur, tableau des entrées-sorties "
        "domestiques de l'Insee, niveau A38 (comptes nationaux, base 2014).",
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
