/* cmd_search.c — `maillage search QUERY [filters]`: establishments by words,
 * trade, place, SIRET or postcode, on screen or as files. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_facet(const char *title, json_t *list)
{
    cli_printf(stdout, "  %s:", title);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (i == 8) {
            cli_printf(stdout, " …");
            break;
        }
        const char *label = json_string_value(json_object_get(v, "label"));
        cli_printf(stdout, " %s%s%s%s %lld;", cli_str(v, "code"), label ? " (" : "",
                   label ? label : "", label ? ")" : "",
                   (long long)json_integer_value(json_object_get(v, "count")));
    }
    putchar('\n');
}

/* What the query was understood as, when that is not plain words: an
 * identifier, a postcode, names given to filters, trade words. */
static void print_understood(json_t *in)
{
    if (!in) return;
    const char *siret = cli_str(in, "siret"), *siren = cli_str(in, "siren");
    if (*siret) cli_printf(stdout, "SIRET %s\n", siret);
    if (*siren) cli_printf(stdout, "SIREN %s: the company's establishments\n", siren);
    json_t *pc = json_object_get(in, "postcode");
    if (!pc) pc = json_object_get(in, "commune_code");
    if (pc) {
        cli_printf(stdout, "%s %s:", json_object_get(in, "postcode") ? "postcode" : "commune code",
                   cli_str(pc, "code"));
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(pc, "communes"), i, v)
            cli_printf(stdout, "%s %s (%s)", i ? "," : "", cli_str(v, "name"), cli_str(v, "code"));
        putchar('\n');
    }
    /* Filters given by name: the codes they became. */
    const char *key;
    json_t *list;
    json_object_foreach(json_object_get(in, "filters"), key, list)
    {
        if (!json_is_array(list)) continue;
        size_t i;
        json_t *v;
        bool named = false;
        json_array_foreach(list, i, v) named |= *cli_str(v, "name") != '\0';
        if (!named) continue;
        cli_printf(stdout, "%s:", key);
        json_array_foreach(list, i, v)
            cli_printf(stdout, "%s %s (%s)", i ? "," : "", cli_str(v, "name"), cli_str(v, "code"));
        putchar('\n');
    }
    json_t *naf = json_object_get(json_object_get(in, "filters"), "naf");
    if (naf) {
        long long n = (long long)json_integer_value(json_object_get(naf, "subclasses"));
        cli_printf(stdout, "naf: %s (%lld sub-class%s)\n", cli_str(naf, "matched"), n,
                   n == 1 ? "" : "es");
    }
    /* Words that stand for trades, with the trades when they are few. */
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(in, "terms"), i, t)
    {
        long long n = (long long)json_integer_value(json_object_get(t, "trades"));
        if (n == 0) continue;
        cli_printf(stdout, "\"%s\" stands for %lld NAF sub-class%s", cli_str(t, "text"), n,
                   n == 1 ? "" : "es");
        json_t *listed = json_object_get(t, "trades_listed");
        if (json_array_size(listed) && json_array_size(listed) <= 4) {
            size_t k;
            json_t *x;
            json_array_foreach(listed, k, x) cli_printf(stdout, "%s %s %s", k ? "," : ":",
                                                        cli_str(x, "code"), cli_str(x, "label"));
        }
        putchar('\n');
    }
}

/* Nothing found: what was searched and the nearest trades. */
static void print_nearest(const char *text, bool filters, json_t *nearest)
{
    if (!nearest) return;
    cli_printf(stdout, "nothing matches \"%s\"", text ? text : "");
    if (!json_array_size(nearest)) {
        cli_printf(stdout, "%s\n", filters ? " with these filters" : "");
        return;
    }
    cli_printf(stdout, "; nearest trades:");
    size_t i;
    json_t *v;
    json_array_foreach(nearest, i, v)
        cli_printf(stdout, "%s %s (%s)", i ? "," : "", cli_str(v, "term"), cli_str(v, "naf"));
    putchar('\n');
}

static const cli_option options[] = {
    {.name = "commune",
     .kind = CLI_TEXT,
     .value = "C",
     .help = "a commune: INSEE code, postcode or name (\"Aix-en-Provence\")"},
    {.name = "epci", .kind = CLI_TEXT, .value = "E", .help = "an EPCI: SIREN or name"},
    {.name = "dep",
     .kind = CLI_TEXT,
     .value = "D",
     .help = "a département: code or name (\"Bouches-du-Rhône\")"},
    {.name = "region", .kind = CLI_TEXT, .value = "R", .help = "a région: code or name"},
    {.name = "naf",
     .kind = CLI_TEXT,
     .value = "N",
     .help = "any NAF level (25.62A 25.62 25.6 25 C, A10/A38/A64/A129 codes),\n"
             "a NAF label or a trade word of the vocabulary (chaudronnerie)"},
    {.name = "size-min",
     .kind = CLI_TEXT,
     .value = "BAND",
     .help = "minimum size band (trancheEffectifs code, e.g. 11 = 10-19)"},
    {.name = "active", .kind = CLI_FLAG, .help = "only open establishments"},
    {.name = "facets", .kind = CLI_FLAG, .help = "counts by département, section and size"},
    {.name = "prefix",
     .kind = CLI_FLAG,
     .help = "the last word may be the start of a longer one (méca)"},
    {.name = "limit",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 200,
     .help = "results (default 20)"},
    {.name = "offset",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 10000,
     .help = "results to skip"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    {.name = "csv",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "the results (the first 10,000) as CSV for a French spreadsheet"},
    {.name = "plain", .kind = CLI_FLAG, .help = "with --csv: CSV for programs (',' and '.')"},
    {.name = "xlsx",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "the results (the first 10,000) as an Excel workbook"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    ml_search_query q = {
        .commune = cli_text(a, "commune", NULL),
        .epci = cli_text(a, "epci", NULL),
        .departement = cli_text(a, "dep", NULL),
        .region = cli_text(a, "region", NULL),
        .naf = cli_text(a, "naf", NULL),
        .size_min = cli_text(a, "size-min", NULL),
        .active_only = cli_flag(a, "active"),
        .facets = cli_flag(a, "facets"),
        .prefix = cli_flag(a, "prefix"),
        .limit = (unsigned)cli_int(a, "limit", 0),
        .offset = (unsigned)cli_int(a, "offset", 0),
    };
    bool json = cli_flag(a, "json"), plain = cli_flag(a, "plain");
    const char *csv = cli_text(a, "csv", NULL), *xlsx = cli_text(a, "xlsx", NULL);
    /* The remaining words make the query. */
    size_t len = 1;
    for (size_t i = 0; i < a->nargs; i++)
        len += strlen(a->args[i]) + 1;
    char *text = calloc(1, len);
    if (!text) return CLI_FAIL;
    for (size_t i = 0; i < a->nargs; i++) {
        if (i > 0) memcpy(text + strlen(text), " ", 2);
        memcpy(text + strlen(text), a->args[i], strlen(a->args[i]) + 1);
    }
    q.text = text;
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) {
        free(text);
        return rc;
    }
    if (csv || xlsx) {
        /* The results as files (the first 10,000, in the search's order). */
        unsigned n = 0;
        bool capped = false;
        ml_err r = ML_OK;
        if (csv)
            r = ml_export_search_query(db, &q, 0, plain ? ML_EXPORT_CSV_PLAIN : ML_EXPORT_CSV, csv,
                                       &n, &capped);
        if (!r && xlsx) r = ml_export_search_query(db, &q, 0, ML_EXPORT_XLSX, xlsx, &n, &capped);
        if (r) {
            rc = cli_error(c, r);
        } else {
            cli_printf(stdout, "%u establishment%s written to %s%s%s%s\n", n, n == 1 ? "" : "s",
                       csv ? csv : "", csv && xlsx ? " and " : "", xlsx ? xlsx : "",
                       capped ? " (capped: narrow the search to have them all)" : "");
        }
        ml_db_close(db);
        free(text);
        return rc;
    }
    json_t *res = NULL;
    ml_err r = ml_search(db, &q, &res);
    if (r) {
        rc = cli_error(c, r);
    } else if (json) {
        cli_print_json(res);
    } else {
        json_t *results = json_object_get(res, "results");
        long long total = (long long)json_integer_value(json_object_get(res, "total"));
        print_understood(json_object_get(json_object_get(res, "query"), "interpretation"));
        cli_printf(stdout, "%s%lld establishment%s found%s\n",
                   json_is_true(json_object_get(res, "total_exact")) ? "" : "more than ", total,
                   total == 1 ? "" : "s", json_array_size(results) ? ":" : "");
        if (json_is_true(json_object_get(res, "wider")))
            cli_printf(stdout, "(no establishment of that very trade: these are of neighbouring "
                               "activities)\n");
        print_nearest(q.text,
                      q.commune || q.epci || q.departement || q.region || q.naf || q.size_min,
                      json_object_get(res, "nearest"));
        size_t i;
        json_t *v;
        json_array_foreach(results, i, v)
        {
            json_t *act = json_object_get(v, "activity"), *com = json_object_get(v, "commune");
            cli_printf(stdout, "%3zu. %s%s%s  %s\n", q.offset + i + 1, cli_str(v, "name"),
                       json_is_true(json_object_get(v, "generated")) ? " [generated]" : "",
                       json_is_true(json_object_get(v, "active")) ? "" : " [closed]",
                       cli_str(v, "siret"));
            cli_printf(stdout, "     %s %s · %s (%s) · %s\n", cli_str(act, "code"),
                       cli_str(act, "label"), cli_str(com, "name"), cli_str(com, "code"),
                       cli_str(json_object_get(v, "size"), "label"));
        }
        json_t *f = json_object_get(res, "facets");
        if (f) {
            cli_printf(stdout, "facets (over the first %lld matches):\n",
                       (long long)json_integer_value(json_object_get(f, "counted")));
            print_facet("département", json_object_get(f, "departement"));
            print_facet("section", json_object_get(f, "section"));
            print_facet("size", json_object_get(f, "size"));
        }
    }
    json_decref(res);
    ml_db_close(db);
    free(text);
    return rc;
}

const cli_command cmd_search = {
    .name = "search",
    .usage = "QUERY [filters] [--json] [--csv FILE] [--xlsx FILE]",
    .summary = "find establishments by name, trade, place, SIRET or postcode",
    .help = "  QUERY             words (trade words like usinage stand for their NAF codes),\n"
            "                    a SIRET or SIREN (spaces allowed), or a postcode (13100)\n"
            "The filters --commune, --epci, --dep and --region take a code or a name.\n",
    .options = options,
    .max_args = -1,
    .run = run,
};
