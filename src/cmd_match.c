/* cmd_match.c — `maillage match SIRET`: suggested suppliers or customers
 * with their reasons; `maillage verdict` and `maillage links`. */
#include <getopt.h>

#include "cli.h"

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int parse_km(const char *opt, const char *v, double *out)
{
    char *end = NULL;
    double d = strtod(v, &end);
    if (!*v || *end || !(d >= 0) || d > 20000)
        return cli_usage("match", "%s expects a distance in km (0 to 20000)", opt);
    *out = d;
    return 0;
}

typedef struct match_args {
    const char *siret;
    const ml_match_opts *opts;
} match_args;

static ml_err run_match(ml_db *db, const ml_snapshot *snap, void *ud, json_t **out)
{
    const match_args *a = ud;
    return ml_match(db, snap, a->siret, a->opts, out);
}

int cmd_match(cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        {"suppliers", no_argument, NULL, 's'},
        {"customers", no_argument, NULL, 'c'},
        {"radius", required_argument, NULL, 'r'},
        {"scale", required_argument, NULL, 'k'},
        {"limit", required_argument, NULL, 'l'},
        {"brute-force", no_argument, NULL, 'b'},
        {"per-input", required_argument, NULL, 'p'},
        {"all-inputs", no_argument, NULL, 'a'},
        {"lang", required_argument, NULL, 'L'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    ml_match_opts o = {0};
    bool json = false, fr = false;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            o.direction = ML_SUPPLIERS;
            break;
        case 'c':
            o.direction = ML_CUSTOMERS;
            break;
        case 'r':
            if (parse_km("--radius", optarg, &o.radius_km)) return CLI_USAGE;
            break;
        case 'k':
            if (parse_km("--scale", optarg, &o.scale_km)) return CLI_USAGE;
            break;
        case 'l': {
            char *end = NULL;
            unsigned long n = strtoul(optarg, &end, 10);
            if (!*optarg || *end || n < 1 || n > 500)
                return cli_usage("match", "--limit expects a number from 1 to 500");
            o.limit = (unsigned)n;
            break;
        }
        case 'b':
            o.brute_force = true;
            break;
        case 'p': {
            char *end = NULL;
            unsigned long n = strtoul(optarg, &end, 10);
            if (!*optarg || *end || n < 1 || n > 500)
                return cli_usage("match", "--per-input expects a number from 1 to 500");
            o.per_input = (unsigned)n;
            break;
        }
        case 'a':
            o.all_inputs = true;
            break;
        case 'L':
            if (strcmp(optarg, "fr") && strcmp(optarg, "en"))
                return cli_usage("match", "--lang is fr or en");
            fr = strcmp(optarg, "fr") == 0;
            break;
        case 'j':
            json = true;
            break;
        default:
            return cli_usage("match", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) return cli_usage("match", "give one SIRET");
    match_args a = {argv[optind], &o};
    json_t *res = NULL;
    int rc = cli_with_snapshot(c, run_match, &a, &res);
    if (rc) {
        /* the error is printed */
    } else if (json) {
        cli_print_json(res);
    } else {
        json_t *self = json_object_get(res, "establishment");
        json_t *list = json_object_get(res, "suggestions");
        json_t *cls = json_object_get(res, "class");
        bool cust = o.direction == ML_CUSTOMERS;
        cli_printf(stdout, "%s %s (%s)%s\n",
                   fr ? (cust ? "Clients suggérés pour" : "Fournisseurs suggérés pour")
                      : (cust ? "Suggested customers of" : "Suggested suppliers of"),
                   str(self, "name"), str(self, "siret"),
                   json_is_true(json_object_get(self, "generated")) ? " [GENERATED DEMO DATA]"
                                                                    : "");
        cli_printf(stdout, "  %s %s %s\n", fr ? "activité" : "activity", str(cls, "code"),
                   str(cls, fr ? "label_fr" : "label_en"));
        if (*str(cls, "general_fr"))
            cli_printf(stdout, "  %s\n", str(cls, fr ? "general_fr" : "general_en"));
        if (json_array_size(list) == 0) cli_printf(stdout, "  %s\n", fr ? "aucun" : "none found");
        /* Grouped by what is bought (or sold): the class link once, then its firms. */
        size_t g;
        json_t *grp;
        json_array_foreach(json_object_get(res, "groups"), g, grp)
        {
            cli_printf(stdout, "\n  %s %s\n    %s\n", str(grp, "class"),
                       str(grp, fr ? "label_fr" : "label_en"),
                       str(grp, fr ? "reason_fr" : "reason_en"));
            size_t k;
            json_t *rank;
            json_array_foreach(json_object_get(grp, "items"), k, rank)
            {
                json_t *v = json_array_get(list, (size_t)json_integer_value(rank) - 1);
                json_t *com = json_object_get(v, "commune");
                cli_printf(stdout, "  %3lld. %s%s  %s  %s (%s)  score %.4f\n       %s\n",
                           (long long)json_integer_value(rank), str(v, "name"),
                           json_is_true(json_object_get(v, "generated")) ? " [generated]" : "",
                           str(v, "siret"), str(com, "name"), str(com, "code"),
                           json_real_value(json_object_get(v, "score")),
                           str(v, fr ? "detail_fr" : "detail_en"));
            }
        }
        json_t *left = json_object_get(res, "left_out");
        if (json_array_size(left)) {
            cli_printf(stdout, "\n  %s",
                       fr ? "Non proposés, achetés par toute entreprise (--all-inputs) :"
                          : "Left out, bought by every firm (--all-inputs):");
            size_t k;
            json_t *lv;
            json_array_foreach(left, k, lv)
            {
                char pct[32];
                snprintf(pct, sizeof pct, "%.1f",
                         100 * json_real_value(json_object_get(lv, "ic_share")));
                if (fr)
                    for (char *p = pct; *p; p++)
                        if (*p == '.') *p = ',';
                cli_printf(stdout, "%s %s %s%s", k ? "," : "",
                           str(lv, fr ? "label_fr" : "label_en"), pct, fr ? "\xc2\xa0%" : "%");
            }
            cli_printf(stdout, "\n");
        }
        json_t *links = json_object_get(res, "known_links");
        if (json_array_size(links))
            cli_printf(stdout, "known links (accepted): %zu\n", json_array_size(links));
    }
    json_decref(res);
    return rc;
}

int cmd_verdict(cli *c, int argc, char **argv)
{
    const char *args[3] = {NULL, NULL, NULL}, *note = NULL, *author = NULL;
    int nargs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--note") == 0 && i + 1 < argc)
            note = argv[++i];
        else if (strcmp(argv[i], "--by") == 0 && i + 1 < argc)
            author = argv[++i];
        else if (argv[i][0] == '-')
            return cli_usage("verdict", "unknown or incomplete option '%s'", argv[i]);
        else if (nargs < 3)
            args[nargs++] = argv[i];
        else
            return cli_usage("verdict", "unexpected argument '%s'", argv[i]);
    }
    if (nargs != 3)
        return cli_usage("verdict", "give SUPPLIER_SIRET BUYER_SIRET accept|reject|note|withdraw");
    if (!author) author = getenv("USER");
    ml_db *db = NULL;
    int rc = cli_open_db(c, 0, &db);
    if (rc) return rc;
    ml_err r = ml_verdict_add(db, args[0], args[1], args[2], note, author);
    if (r)
        rc = cli_error(c, r);
    else
        cli_printf(stdout, "%s: %s supplies %s — recorded%s%s\n", args[2], args[0], args[1],
                   author ? " by " : "", author ? author : "");
    ml_db_close(db);
    return rc;
}

int cmd_links(cli *c, int argc, char **argv)
{
    bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
    if (argc != 2 && !json) return cli_usage("links", "give one SIRET");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *o = NULL;
    ml_err r = ml_links(db, argv[1], &o);
    if (r) {
        rc = cli_error(c, r);
    } else if (json) {
        cli_print_json(o);
    } else {
        static const char *const keys[] = {"links", "rejected", "notes"};
        static const char *const titles[] = {"known links (accepted)", "rejected pairs", "notes"};
        for (int k = 0; k < 3; k++) {
            json_t *list = json_object_get(o, keys[k]);
            cli_printf(stdout, "%s: %zu\n", titles[k], json_array_size(list));
            size_t i;
            json_t *v;
            json_array_foreach(list, i, v)
            {
                cli_printf(stdout, "  %s supplies %s  (%s, %s)%s%s\n", str(v, "supplier"),
                           str(v, "buyer"), str(v, "author"), str(v, "at"),
                           *str(v, "note") ? ": " : "", str(v, "note"));
            }
        }
    }
    json_decref(o);
    ml_db_close(db);
    return rc;
}
