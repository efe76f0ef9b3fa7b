/* cmd_territory.c — `maillage territory CODE`: a territory's summary. */
#include <stdlib.h>
#include <string.h>

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
    {.name = "pdf",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write the territory's report as PDF (A4): key figures, sectors,\n"
             "specialisations, creations and closures, opportunities, secrecy and methods"},
    {.name = "lang",
     .kind = CLI_CHOICE,
     .value = "LANG",
     .choices = "fr|en",
     .help = "with --pdf: the report's language (default fr)"},
    {.name = "communes",
     .kind = CLI_FLAG,
     .help = "each commune's open establishments, per 1,000 inhabitants, and industry's\n"
             "share of estimated jobs (what the territory page's map colours)"},
    {.name = "indicators",
     .kind = CLI_FLAG,
     .help = "indicators: estimated jobs, industry, specialisations (location quotients),\n"
             "diversity, concentration, largest employers, creations and closures"},
    {.name = "opportunities",
     .kind = CLI_FLAG,
     .help = "what a commune or an EPCI could grow into (the NAF classes closest to what it\n"
             "does, where it is not specialised) and which of its firms could lead"},
    {.name = "base",
     .kind = CLI_TEXT,
     .value = "CODE",
     .help = "with --indicators: the territory compared with (default: the widest of\n"
             "France, région, département the database covers)"},
    {.name = "level",
     .kind = CLI_CHOICE,
     .value = "LEVEL",
     .choices = "A10|A21|A38|A64|A88|A129|group|class|subclass",
     .help = "with --indicators: the NAF level of activities (default A38)"},
    {.name = "by-establishments",
     .kind = CLI_FLAG,
     .help = "with --indicators: quotients of establishments, not of estimated jobs"},
    {.name = "code",
     .kind = CLI_TEXT,
     .value = "p-NAME",
     .only = "define",
     .help = "with define: the perimeter's code (default: p- and the name's words)"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

/* `territory define NAME FILE`, `territory list`, `territory delete CODE`. */
static int perimeters(cli *c, const cli_args *a, const char *action)
{
    bool json = cli_flag(a, "json");
    ml_db *db = NULL;
    bool writes = strcmp(action, "list") != 0;
    if (strcmp(action, "define") == 0 && (!cli_arg(a, 1) || !cli_arg(a, 2)))
        return cli_usage("territory", "territory define NAME FILE: give a name and a file");
    if (strcmp(action, "delete") == 0 && !cli_arg(a, 1))
        return cli_usage("territory", "territory delete CODE: give the perimeter's code");
    int rc = cli_open_db(c, writes ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    const ml_actor *who = cli_actor(c);
    json_t *o = NULL;
    ml_err r = ML_OK;
    if (strcmp(action, "define") == 0)
        r = ml_perimeter_define(db, who, cli_arg(a, 1), cli_text(a, "code", NULL), cli_arg(a, 2),
                                &o);
    else if (strcmp(action, "delete") == 0)
        r = ml_perimeter_delete(db, who, cli_arg(a, 1));
    else
        r = ml_perimeter_list(db, &o);
    if (r) {
        rc = cli_error(c, r);
    } else if (json && o) {
        cli_print_json(o);
    } else if (strcmp(action, "define") == 0) {
        json_t *t = json_object_get(o, "territory");
        cli_printf(stdout, "perimeter %s (%s): %lld communes, population %lld\n",
                   json_string_value(json_object_get(t, "code")),
                   json_string_value(json_object_get(t, "name")),
                   (long long)json_integer_value(json_object_get(t, "communes")),
                   (long long)json_integer_value(json_object_get(t, "population")));
        cli_printf(stdout, "see it with: maillage territory %s\n",
                   json_string_value(json_object_get(t, "code")));
    } else if (strcmp(action, "delete") == 0) {
        cli_printf(stdout, "perimeter %s deleted\n", cli_arg(a, 1));
    } else {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(o, "perimeters"), i, v)
        {
            cli_printf(stdout, "%-12s %-8s %5lld communes  %s\n",
                       json_string_value(json_object_get(v, "code")),
                       json_string_value(json_object_get(v, "kind")),
                       (long long)json_integer_value(json_object_get(v, "communes")),
                       json_string_value(json_object_get(v, "name")));
        }
    }
    json_decref(o);
    ml_db_close(db);
    return rc;
}

/* A share as " 12.3%", or " -" when unknown. */
static const char *pct(json_t *v, char *buf, size_t size)
{
    if (!json_is_number(v)) return "-";
    snprintf(buf, size, "%.1f%%", 100.0 * json_number_value(v));
    return buf;
}

static const char *num(json_t *v, char *buf, size_t size)
{
    if (!json_is_integer(v)) return json_is_null(v) ? "<3" : "-";
    snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    return buf;
}

static void print_opportunities(json_t *o)
{
    json_t *t = json_object_get(o, "territory"), *cw = json_object_get(o, "compared_with");
    json_t *pl = json_object_get(o, "place");
    cli_printf(stdout,
               "%s %s (%s): what it could grow into, among the %lld %s of the database (%lld NAF "
               "classes, establishments as the value); it holds %lld classes with RCA >= 1\n",
               json_string_value(json_object_get(t, "kind")),
               json_string_value(json_object_get(t, "code")),
               json_string_value(json_object_get(t, "name")),
               (long long)json_integer_value(json_object_get(cw, "count")),
               json_string_value(json_object_get(cw, "locations")),
               (long long)json_integer_value(json_object_get(cw, "activities")),
               (long long)json_integer_value(json_object_get(pl, "diversity")));
    size_t i, j, k;
    json_t *v, *w, *f;
    json_array_foreach(json_object_get(o, "opportunities"), i, v)
    {
        char n[32];
        cli_printf(stdout, "\n%2zu. %s %s\n    density %.3f, RCA %.2f, %s establishments here\n",
                   i + 1, json_string_value(json_object_get(v, "code")),
                   json_string_value(json_object_get(v, "label"))
                       ? json_string_value(json_object_get(v, "label"))
                       : "",
                   json_number_value(json_object_get(v, "density")),
                   json_number_value(json_object_get(v, "rca")),
                   num(json_object_get(v, "establishments"), n, sizeof n));
        json_array_foreach(json_object_get(v, "related"), j, w)
        {
            cli_printf(stdout, "    close to %s %s (proximity %.2f)%s",
                       json_string_value(json_object_get(w, "code")),
                       json_string_value(json_object_get(w, "label"))
                           ? json_string_value(json_object_get(w, "label"))
                           : "",
                       json_number_value(json_object_get(w, "proximity")),
                       json_array_size(json_object_get(w, "firms")) ? ": " : "\n");
            json_array_foreach(json_object_get(w, "firms"), k, f) cli_printf(
                stdout, "%s%s (%s)%s", k ? ", " : "", json_string_value(json_object_get(f, "name")),
                json_string_value(json_object_get(f, "siret")),
                k + 1 == json_array_size(json_object_get(w, "firms")) ? "\n" : "");
        }
    }
}

static void print_indicators(json_t *o)
{
    json_t *t = json_object_get(o, "territory"), *f = json_object_get(o, "figures");
    json_t *base = json_object_get(o, "base");
    char b1[32], b2[32], b3[32], b4[32];
    cli_printf(stdout, "%s %s (%s): indicators, activities at level %s, quotients of %s\n",
               json_string_value(json_object_get(t, "kind")),
               json_string_value(json_object_get(t, "code")),
               json_string_value(json_object_get(t, "name")),
               json_string_value(json_object_get(o, "level")),
               json_string_value(json_object_get(o, "value")));
    if (json_is_object(base))
        cli_printf(stdout, "base: %s %s (%s), which the database covers\n",
                   json_string_value(json_object_get(base, "kind")),
                   json_string_value(json_object_get(base, "code")),
                   json_string_value(json_object_get(base, "name")));
    else
        cli_printf(stdout, "no base: the database covers no wider territory around it (import "
                           "its département's or région's stock); no location quotient\n");
    cli_printf(stdout,
               "open establishments %s, employers %s, estimated jobs %s (size-band "
               "midpoints; %s without headcount)\n",
               num(json_object_get(f, "establishments"), b1, sizeof b1),
               num(json_object_get(f, "employer_establishments"), b2, sizeof b2),
               num(json_object_get(f, "jobs_estimated"), b3, sizeof b3),
               num(json_object_get(f, "without_headcount"), b4, sizeof b4));
    json_t *ind = json_object_get(f, "industry");
    cli_printf(stdout, "industry (sections B-E): %s establishments (%s), %s jobs (%s)\n",
               num(json_object_get(ind, "establishments"), b1, sizeof b1),
               pct(json_object_get(ind, "share"), b2, sizeof b2),
               num(json_object_get(ind, "jobs"), b3, sizeof b3),
               pct(json_object_get(ind, "jobs_share"), b4, sizeof b4));
    json_t *div = json_object_get(f, "diversity"), *lg = json_object_get(f, "largest");
    cli_printf(stdout,
               "diversity: %lld activities present, %lld with a quotient of 1 or more; "
               "concentration (HHI) %.3f\n",
               (long long)json_integer_value(json_object_get(div, "activities")),
               (long long)json_integer_value(json_object_get(div, "specialised")),
               json_number_value(json_object_get(f, "hhi")));
    cli_printf(stdout,
               "largest employers: the 5 largest hold %s of estimated jobs, the 10 "
               "largest %s\n",
               pct(json_object_get(lg, "top5_jobs_share"), b1, sizeof b1),
               pct(json_object_get(lg, "top10_jobs_share"), b2, sizeof b2));
    size_t i;
    json_t *v;
    cli_printf(stdout, "\ncompany categories (INSEE)\n");
    json_array_foreach(json_object_get(o, "company_categories"), i, v)
        cli_printf(stdout, "  %-8s %8s %7s  jobs %8s %7s\n",
                   json_string_value(json_object_get(v, "code"))
                       ? json_string_value(json_object_get(v, "code"))
                       : "other",
                   num(json_object_get(v, "count"), b1, sizeof b1),
                   pct(json_object_get(v, "share"), b2, sizeof b2),
                   num(json_object_get(v, "jobs"), b3, sizeof b3),
                   pct(json_object_get(v, "jobs_share"), b4, sizeof b4));
    cli_printf(stdout, "\nspecialisations (quotient of 1.25 or more, 3 establishments or more)\n");
    json_array_foreach(json_object_get(o, "specialisations"), i, v)
    {
        cli_printf(stdout, "  %-7s LQ %5.2f  %6s estab. %7s jobs  %s\n",
                   json_string_value(json_object_get(v, "code")),
                   json_number_value(json_object_get(v, "lq")),
                   num(json_object_get(v, "establishments"), b1, sizeof b1),
                   num(json_object_get(v, "jobs"), b2, sizeof b2),
                   json_string_value(json_object_get(v, "label"))
                       ? json_string_value(json_object_get(v, "label"))
                       : "");
    }
    json_t *years = json_object_get(o, "years");
    cli_printf(stdout, "\ncreations and closures by year (closures dated by SIRENE's dateDebut)\n");
    json_array_foreach(json_object_get(years, "by_year"), i, v)
        cli_printf(stdout, "  %d  created %6s  closed %6s\n",
                   (int)json_integer_value(json_object_get(v, "year")),
                   num(json_object_get(v, "created"), b1, sizeof b1),
                   num(json_object_get(v, "closed"), b2, sizeof b2));
    cli_printf(stdout, "\nfigures of fewer than 3 establishments are not shown (<3)\n");
}

static int run(cli *c, const cli_args *a)
{
    const char *code = cli_arg(a, 0), *csv = cli_text(a, "csv", NULL),
               *xlsx = cli_text(a, "xlsx", NULL);
    bool json = cli_flag(a, "json"), plain = cli_flag(a, "plain");
    if (!code) return cli_usage("territory", "give a territory code");
    if (strcmp(code, "define") == 0 || strcmp(code, "list") == 0 || strcmp(code, "delete") == 0)
        return perimeters(c, a, code);
    if (cli_arg(a, 1)) return cli_usage("territory", "one territory code at a time");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *t = NULL;
    const char *pdf = cli_text(a, "pdf", NULL);
    if (pdf) {
        ml_report_opts ro = {.base = cli_text(a, "base", NULL),
                             .level = cli_text(a, "level", NULL),
                             .lang = cli_text(a, "lang", NULL)};
        ml_err r = ml_report_territory(db, code, &ro, pdf);
        if (r)
            rc = cli_error(c, r);
        else
            cli_printf(stdout, "report written to %s\n", pdf);
        ml_db_close(db);
        return rc;
    }
    if (cli_flag(a, "communes")) {
        ml_err r = ml_territory_choropleth(db, code, &t);
        if (r) {
            rc = cli_error(c, r);
        } else if (json) {
            cli_print_json(t);
        } else {
            size_t i;
            json_t *v;
            cli_printf(stdout, "%-6s %-32s %10s %8s %9s %9s\n", "code", "commune", "population",
                       "open", "per 1000", "industry");
            json_array_foreach(json_object_get(t, "communes"), i, v)
            {
                char b1[32], b2[32], b3[32], b4[32];
                json_t *per = json_object_get(v, "per_1000"),
                       *ind = json_object_get(v, "industry_jobs_share");
                snprintf(b3, sizeof b3, json_is_number(per) ? "%.1f" : "-",
                         json_number_value(per));
                if (json_is_number(ind))
                    snprintf(b4, sizeof b4, "%.1f%%", 100 * json_number_value(ind));
                else
                    snprintf(b4, sizeof b4, "%s",
                             json_is_true(json_object_get(v, "industry_secret")) ? "<3" : "-");
                cli_printf(stdout, "%-6s %-32s %10s %8s %9s %9s\n",
                           json_string_value(json_object_get(v, "code")),
                           json_string_value(json_object_get(v, "name")),
                           num(json_object_get(v, "population"), b1, sizeof b1),
                           num(json_object_get(v, "establishments"), b2, sizeof b2), b3, b4);
            }
            cli_printf(stdout, "\nfigures of fewer than 3 establishments are not shown (<3)\n");
        }
        json_decref(t);
        ml_db_close(db);
        return rc;
    }
    if (cli_flag(a, "opportunities")) {
        ml_err r = ml_territory_opportunities(db, code, 10, &t);
        if (r)
            rc = cli_error(c, r);
        else if (json)
            cli_print_json(t);
        else
            print_opportunities(t);
        json_decref(t);
        ml_db_close(db);
        return rc;
    }
    if (cli_flag(a, "indicators")) {
        ml_indicator_opts io = {.base = cli_text(a, "base", NULL),
                                .level = cli_text(a, "level", NULL),
                                .by_establishments = cli_flag(a, "by-establishments")};
        ml_err r = ml_territory_indicators(db, code, &io, &t);
        json_t *sum = NULL;
        if (!r && (csv || xlsx)) r = ml_territory_summary(db, code, &sum);
        if (!r && csv)
            r = ml_export_indicators(c->ctx, sum, t, plain ? ML_EXPORT_CSV_PLAIN : ML_EXPORT_CSV,
                                     csv);
        if (!r && xlsx) r = ml_export_indicators(c->ctx, sum, t, ML_EXPORT_XLSX, xlsx);
        json_decref(sum);
        if (r)
            rc = cli_error(c, r);
        else if (csv || xlsx) {
            if (csv) cli_printf(stdout, "indicators written to %s\n", csv);
            if (xlsx) cli_printf(stdout, "workbook written to %s\n", xlsx);
        } else if (json)
            cli_print_json(t);
        else
            print_indicators(t);
        json_decref(t);
        ml_db_close(db);
        return rc;
    }
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
    .role = ML_ROLE_OFFICER,
    .write_actions = "define|delete",
    .name = "territory",
    .usage = "CODE [--indicators [--base CODE] [--level L]] [--csv FILE [--plain]] [--xlsx FILE]"
             " [--json]\n       maillage territory CODE --pdf FILE [--base CODE] [--level L]"
             " [--lang fr|en]\n       maillage territory define NAME FILE [--code p-NAME]"
             "\n       maillage territory list | delete CODE",
    .summary = "summary and indicators of a commune, EPCI, département, région, perimeter",
    .help =
        "  CODE         13055 (commune), 200054807 (EPCI), 13 (département), reg:93 (région), FR,\n"
        "               ti-8401 (a Territoire d'industrie; ti1-8401: first phase), p-NAME (yours)\n"
        "  define       a perimeter of your own: NAME, and a FILE of commune codes and EPCI\n"
        "               SIREN (one per line, or a column named code); all or nothing\n"
        "  list         every perimeter: yours and the 332 Territoires d'industrie\n"
        "  delete       removes a perimeter of yours\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
