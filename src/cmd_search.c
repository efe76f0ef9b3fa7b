/* cmd_search.c — `maillage search QUERY [filters]` and `maillage show SIRET`. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int parse_uint(const char *cmd, const char *opt, const char *v, unsigned max, unsigned *out)
{
    char *end = NULL;
    unsigned long n = strtoul(v, &end, 10);
    if (!*v || *end || n > max) return cli_usage(cmd, "%s expects a number from 0 to %u", opt, max);
    *out = (unsigned)n;
    return 0;
}

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
        cli_printf(stdout, " %s%s%s%s %lld;", str(v, "code"), label ? " (" : "", label ? label : "",
                   label ? ")" : "", (long long)json_integer_value(json_object_get(v, "count")));
    }
    putchar('\n');
}

/* What the query was understood as, when that is not plain words: an
 * identifier, a postcode, names given to filters, trade words. */
static void print_understood(json_t *in)
{
    if (!in) return;
    const char *siret = str(in, "siret"), *siren = str(in, "siren");
    if (*siret) cli_printf(stdout, "SIRET %s\n", siret);
    if (*siren) cli_printf(stdout, "SIREN %s: the company's establishments\n", siren);
    json_t *pc = json_object_get(in, "postcode");
    if (!pc) pc = json_object_get(in, "commune_code");
    if (pc) {
        cli_printf(stdout, "%s %s:", json_object_get(in, "postcode") ? "postcode" : "commune code",
                   str(pc, "code"));
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(pc, "communes"), i, v)
            cli_printf(stdout, "%s %s (%s)", i ? "," : "", str(v, "name"), str(v, "code"));
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
        json_array_foreach(list, i, v) named |= *str(v, "name") != '\0';
        if (!named) continue;
        cli_printf(stdout, "%s:", key);
        json_array_foreach(list, i, v)
            cli_printf(stdout, "%s %s (%s)", i ? "," : "", str(v, "name"), str(v, "code"));
        putchar('\n');
    }
    json_t *naf = json_object_get(json_object_get(in, "filters"), "naf");
    if (naf) {
        long long n = (long long)json_integer_value(json_object_get(naf, "subclasses"));
        cli_printf(stdout, "naf: %s (%lld sub-class%s)\n", str(naf, "matched"), n,
                   n == 1 ? "" : "es");
    }
    /* Words that stand for trades, with the trades when they are few. */
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(in, "terms"), i, t)
    {
        long long n = (long long)json_integer_value(json_object_get(t, "trades"));
        if (n == 0) continue;
        cli_printf(stdout, "\"%s\" stands for %lld NAF sub-class%s", str(t, "text"), n,
                   n == 1 ? "" : "es");
        json_t *listed = json_object_get(t, "trades_listed");
        if (json_array_size(listed) && json_array_size(listed) <= 4) {
            size_t k;
            json_t *x;
            json_array_foreach(listed, k, x)
                cli_printf(stdout, "%s %s %s", k ? "," : ":", str(x, "code"), str(x, "label"));
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
        cli_printf(stdout, "%s %s (%s)", i ? "," : "", str(v, "term"), str(v, "naf"));
    putchar('\n');
}

int cmd_search(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"commune", required_argument, NULL, 'c'},
        {"epci", required_argument, NULL, 'e'},
        {"dep", required_argument, NULL, 'd'},
        {"region", required_argument, NULL, 'r'},
        {"naf", required_argument, NULL, 'n'},
        {"size-min", required_argument, NULL, 's'},
        {"active", no_argument, NULL, 'a'},
        {"facets", no_argument, NULL, 'f'},
        {"limit", required_argument, NULL, 'l'},
        {"offset", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {"prefix", no_argument, NULL, 'p'},
        {"csv", required_argument, NULL, 'C'},
        {"xlsx", required_argument, NULL, 'X'},
        {"plain", no_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    ml_search_query q = {0};
    bool json = false, plain = false;
    const char *csv = NULL, *xlsx = NULL;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            q.commune = optarg;
            break;
        case 'e':
            q.epci = optarg;
            break;
        case 'd':
            q.departement = optarg;
            break;
        case 'r':
            q.region = optarg;
            break;
        case 'n':
            q.naf = optarg;
            break;
        case 's':
            q.size_min = optarg;
            break;
        case 'a':
            q.active_only = true;
            break;
        case 'f':
            q.facets = true;
            break;
        case 'p':
            q.prefix = true;
            break;
        case 'j':
            json = true;
            break;
        case 'C':
            csv = optarg;
            break;
        case 'X':
            xlsx = optarg;
            break;
        case 'P':
            plain = true;
            break;
        case 'l':
            if (parse_uint("search", "--limit", optarg, 200, &q.limit)) return CLI_USAGE;
            break;
        case 'o':
            if (parse_uint("search", "--offset", optarg, 10000, &q.offset)) return CLI_USAGE;
            break;
        default:
            return cli_usage("search", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    /* The remaining words make the query. */
    size_t len = 1;
    for (int i = optind; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *text = calloc(1, len);
    if (!text) return CLI_FAIL;
    for (int i = optind; i < argc; i++) {
        if (i > optind) memcpy(text + strlen(text), " ", 2);
        memcpy(text + strlen(text), argv[i], strlen(argv[i]) + 1);
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
            cli_printf(stdout, "%3zu. %s%s%s  %s\n", q.offset + i + 1, str(v, "name"),
                       json_is_true(json_object_get(v, "generated")) ? " [generated]" : "",
                       json_is_true(json_object_get(v, "active")) ? "" : " [closed]",
                       str(v, "siret"));
            cli_printf(stdout, "     %s %s · %s (%s) · %s\n", str(act, "code"), str(act, "label"),
                       str(com, "name"), str(com, "code"),
                       str(json_object_get(v, "size"), "label"));
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

int cmd_show(cli *c, int argc, char **argv)
{
    const char *siret = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (argv[i][0] == '-')
            return cli_usage("show", "unknown option '%s'", argv[i]);
        else if (!siret)
            siret = argv[i];
        else
            return cli_usage("show", "unexpected argument '%s'", argv[i]);
    }
    if (!siret) return cli_usage("show", "give a SIRET (14 digits)");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *o = NULL;
    ml_err r = ml_show(db, siret, &o);
    if (r) {
        rc = cli_error(c, r);
    } else if (json) {
        cli_print_json(o);
    } else {
        json_t *co = json_object_get(o, "company"), *addr = json_object_get(o, "address");
        json_t *pos = json_object_get(o, "position"), *act = json_object_get(o, "activity");
        cli_printf(stdout, "%s%s\n", str(o, "name"),
                   json_is_true(json_object_get(o, "generated")) ? "  [GENERATED DEMO DATA]" : "");
        cli_printf(stdout, "  SIRET      %s (%s%s)\n", str(o, "siret"),
                   json_is_true(json_object_get(o, "active")) ? "active" : "closed",
                   json_is_true(json_object_get(o, "head_office")) ? ", head office" : "");
        cli_printf(stdout, "  company    %s, SIREN %s",
                   *str(co, "name") ? str(co, "name") : "(name unknown: import StockUniteLegale)",
                   str(co, "siren"));
        if (*str(co, "category")) cli_printf(stdout, ", %s", str(co, "category"));
        long long nact = (long long)json_integer_value(json_object_get(co, "active_establishments"));
        cli_printf(stdout, ", %lld active establishment%s\n", nact, nact == 1 ? "" : "s");
        if (*str(co, "legal_form"))
            cli_printf(stdout, "  legal form %s%s%s%s\n", str(co, "legal_form_label"),
                       *str(co, "legal_form_label") ? " (" : "", str(co, "legal_form"),
                       *str(co, "legal_form_label") ? ")" : "");
        cli_printf(stdout, "  created    %s\n", str(o, "created"));
        cli_printf(stdout, "  size       %s\n", str(json_object_get(o, "size"), "label"));
        const char *street = str(addr, "street"), *pc = str(addr, "postcode");
        if (*str(addr, "display"))
            cli_printf(stdout, "  address    %s\n", str(addr, "display"));
        else
            cli_printf(stdout, "  address    %s%s%s%s%s\n", street, *street ? ", " : "", pc,
                       *pc ? " " : "", str(addr, "city"));
        if (json_is_object(pos))
            cli_printf(stdout, "  position   %.5f, %.5f (%s)\n",
                       json_real_value(json_object_get(pos, "lat")),
                       json_real_value(json_object_get(pos, "lon")), str(pos, "source"));
        cli_printf(stdout, "  activity\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(act, "levels"), i, v) cli_printf(
            stdout, "    %-9s %-7s %s\n", str(v, "level"), str(v, "code"), str(v, "label_fr"));
        if (json_is_null(json_object_get(act, "levels")))
            cli_printf(stdout, "    %s (not NAF rév. 2)\n", str(act, "as_published"));
        cli_printf(stdout, "  territory\n");
        json_array_foreach(json_object_get(o, "territory"), i, v) cli_printf(
            stdout, "    %-15s %-10s %s\n", str(v, "kind"), str(v, "code"), str(v, "name"));
    }
    json_decref(o);
    ml_db_close(db);
    return rc;
}
