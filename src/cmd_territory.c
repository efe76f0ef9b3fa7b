/* cmd_territory.c — `maillage territory CODE`: a territory's summary. */
#include "cli.h"

/* A count, or "fewer than 3" when it is secret (null). */
static const char *count_text(json_t *v, char *buf, size_t size)
{
    if (!json_is_integer(v)) return "fewer than 3";
    snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    return buf;
}

/* " (24.6%)" of the open establishments, "" when either is unknown. */
static const char *share_text(json_t *v, long long active, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!json_is_integer(v) || active <= 0) return buf;
    double p = 100.0 * (double)json_integer_value(v) / (double)active;
    if (p > 0 && p < 0.05)
        snprintf(buf, size, " (<0.1%%)");
    else
        snprintf(buf, size, " (%.1f%%)", p);
    return buf;
}

/* One breakdown: code, count, share of the open establishments, then the
 * label in full (a long label is never cut). */
static void print_list(const char *title, json_t *list, long long total)
{
    cli_printf(stdout, "\n%s\n", title);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        long long n = (long long)json_integer_value(json_object_get(v, "count"));
        const char *code = json_string_value(json_object_get(v, "code"));
        const char *label = json_string_value(json_object_get(v, "label"));
        double p = total ? 100.0 * (double)n / (double)total : 0;
        char share[16];
        if (p > 0 && p < 0.05)
            snprintf(share, sizeof share, "<0.1%%");
        else
            snprintf(share, sizeof share, "%.1f%%", p);
        cli_printf(stdout, "  %-6s %8lld %6s  %s\n", code ? code : "", n, share,
                   label ? label : "");
    }
}

static const cli_option options[] = {
    {.name = "csv",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write the key figures as CSV for a French spreadsheet (BOM, ';', comma)"},
    {.name = "plain",
     .kind = CLI_FLAG,
     .help = "with --csv: CSV for programs (',' and '.', no BOM)"},
    {.name = "xlsx",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write an Excel workbook: key figures, sectors, sizes, communes, sources"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *code = cli_arg(a, 0), *csv = cli_text(a, "csv", NULL),
               *xlsx = cli_text(a, "xlsx", NULL);
    bool json = cli_flag(a, "json"), plain = cli_flag(a, "plain");
    if (!code) return cli_usage("territory", "give a territory code");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *t = NULL;
    ml_err r = ml_territory_summary(db, code, &t);
    if (!r && csv)
        r = ml_export_territory(c->ctx, t, plain ? ML_EXPORT_CSV_PLAIN : ML_EXPORT_CSV, csv);
    if (!r && xlsx) r = ml_export_territory(c->ctx, t, ML_EXPORT_XLSX, xlsx);
    if (r) {
        rc = cli_error(c, r);
    } else if (csv || xlsx) {
        if (csv) cli_printf(stdout, "figures written to %s\n", csv);
        if (xlsx) cli_printf(stdout, "workbook written to %s\n", xlsx);
    } else if (json) {
        cli_print_json(t);
    } else {
        json_t *info = json_object_get(t, "territory"), *e = json_object_get(t, "establishments");
        json_t *src = json_object_get(t, "sources");
        long long active = (long long)json_integer_value(json_object_get(e, "active"));
        long long ncom = (long long)json_integer_value(json_object_get(info, "communes"));
        cli_printf(
            stdout, "%s %s (%s): %lld commune%s, population %lld, %s\n",
            json_string_value(json_object_get(info, "kind")),
            json_string_value(json_object_get(info, "code")),
            json_string_value(json_object_get(info, "name")), ncom, ncom == 1 ? "" : "s",
            (long long)json_integer_value(json_object_get(info, "population")),
            json_string_value(json_object_get(json_object_get(src, "population"), "label_en")));
        if (json_is_true(json_object_get(t, "contains_generated_data")))
            cli_printf(stdout, "NOTE: GENERATED demo data (maillage demo), not real companies\n");
        char b1[32], b2[32], b3[32], b4[32], b5[32], s1[24], s2[24];
        cli_printf(stdout,
                   "establishments: %s open, %s closed still in the register, %s in all; "
                   "employers %s%s; restricted diffusion (status P) %s%s\n",
                   count_text(json_object_get(e, "active"), b1, sizeof b1),
                   count_text(json_object_get(e, "closed"), b2, sizeof b2),
                   count_text(json_object_get(e, "total"), b3, sizeof b3),
                   count_text(json_object_get(e, "active_employers"), b4, sizeof b4),
                   share_text(json_object_get(e, "active_employers"), active, s1, sizeof s1),
                   count_text(json_object_get(e, "active_restricted"), b5, sizeof b5),
                   share_text(json_object_get(e, "active_restricted"), active, s2, sizeof s2));
        json_t *approx = json_object_get(e, "active_approximate_position");
        if (json_integer_value(approx) > 0)
            cli_printf(stdout, "placed at their commune's centre: %s%s\n",
                       count_text(approx, b1, sizeof b1),
                       share_text(approx, active, s1, sizeof s1));
        json_t *sir = json_object_get(src, "sirene");
        const char *imported = json_string_value(json_object_get(sir, "imported"));
        if (json_integer_value(json_object_get(e, "total")) == 0)
            cli_printf(stdout, "no establishment of this territory in the database: the SIRENE "
                               "files imported do not cover it\n");
        else if (imported)
            cli_printf(stdout,
                       "source: SIRENE imported %s UTC, creations up to %s, size bands of %lld\n",
                       imported,
                       json_string_value(json_object_get(sir, "latest_creation"))
                           ? json_string_value(json_object_get(sir, "latest_creation"))
                           : "unknown",
                       (long long)json_integer_value(json_object_get(sir, "headcount_year")));
        print_list("open establishments by sector (A10), share of the open ones",
                   json_object_get(t, "by_a10"), active);
        print_list("by sector (A38)", json_object_get(t, "by_a38"), active);
        print_list("by size band", json_object_get(t, "by_size"), active);
        if (json_object_get(t, "top_communes"))
            print_list("top communes", json_object_get(t, "top_communes"), active);
        cli_printf(stdout, "\ncells under 3 establishments are not shown\n");
    }
    json_decref(t);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_territory = {
    .name = "territory",
    .usage = "CODE [--csv FILE [--plain]] [--xlsx FILE] [--json]",
    .summary = "summary of a commune, EPCI, département, région",
    .help =
        "  CODE         13055 (commune), 200054807 (EPCI), 13 (département), reg:93 (région), FR\n",
    .options = options,
    .max_args = 1,
    .run = run,
};
