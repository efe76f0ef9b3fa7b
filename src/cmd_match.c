/* cmd_match.c — `maillage match SIRET`: suggested suppliers or customers
 * with their reasons, grouped by what is bought or sold. */
#include "cli.h"

typedef struct match_args {
    const char *siret;
    const ml_match_opts *opts;
} match_args;

static ml_err run_match(ml_db *db, const ml_snapshot *snap, void *ud, json_t **out)
{
    const match_args *a = ud;
    return ml_match(db, snap, a->siret, a->opts, out);
}

static const cli_option options[] = {
    {.name = "suppliers",
     .kind = CLI_FLAG,
     .help = "who could sell to this establishment (default)"},
    {.name = "customers", .kind = CLI_FLAG, .help = "who could buy from it"},
    {.name = "radius",
     .kind = CLI_NUMBER,
     .value = "KM",
     .min = 0,
     .max = 20000,
     .help = "only partners within KM km (default 5 distance scales: 150 km)"},
    {.name = "scale",
     .kind = CLI_NUMBER,
     .value = "KM",
     .min = 0,
     .max = 20000,
     .help = "distance decay scale (default 30 km; see docs/methods.md)"},
    {.name = "limit",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 500,
     .help = "suggestions wanted (default 20)"},
    {.name = "per-input",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 500,
     .help = "at most N firms of one NAF class, i.e. of one thing bought (default 3)"},
    {.name = "all-inputs",
     .kind = CLI_FLAG,
     .help = "also what every firm buys (banks, rent, head office, trade margins)"},
    {.name = "lang",
     .kind = CLI_CHOICE,
     .choices = "fr|en",
     .help = "language of the reasons in text output (default en)"},
    {.name = "brute-force",
     .kind = CLI_FLAG,
     .help = "score every establishment (the reference engine; slow)"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *args)
{
    if (cli_flag(args, "suppliers") && cli_flag(args, "customers"))
        return cli_usage("match", "give --suppliers or --customers, not both");
    ml_match_opts o = {
        .direction = cli_flag(args, "customers") ? ML_CUSTOMERS : ML_SUPPLIERS,
        .radius_km = cli_number(args, "radius", 0),
        .scale_km = cli_number(args, "scale", 0),
        .limit = (unsigned)cli_int(args, "limit", 0),
        .per_input = (unsigned)cli_int(args, "per-input", 0),
        .all_inputs = cli_flag(args, "all-inputs"),
        .brute_force = cli_flag(args, "brute-force"),
    };
    bool json = cli_flag(args, "json");
    bool fr = strcmp(cli_text(args, "lang", "en"), "fr") == 0;
    if (args->nargs != 1) return cli_usage("match", "give one SIRET");
    match_args a = {cli_arg(args, 0), &o};
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
                   cli_str(self, "name"), cli_str(self, "siret"),
                   json_is_true(json_object_get(self, "generated")) ? " [GENERATED DEMO DATA]"
                                                                    : "");
        cli_printf(stdout, "  %s %s %s\n", fr ? "activité" : "activity", cli_str(cls, "code"),
                   cli_str(cls, fr ? "label_fr" : "label_en"));
        if (*cli_str(cls, "general_fr"))
            cli_printf(stdout, "  %s\n", cli_str(cls, fr ? "general_fr" : "general_en"));
        if (json_array_size(list) == 0) cli_printf(stdout, "  %s\n", fr ? "aucun" : "none found");
        /* Grouped by what is bought (or sold): the class link once, then its firms. */
        size_t g;
        json_t *grp;
        json_array_foreach(json_object_get(res, "groups"), g, grp)
        {
            cli_printf(stdout, "\n  %s %s\n    %s\n", cli_str(grp, "class"),
                       cli_str(grp, fr ? "label_fr" : "label_en"),
                       cli_str(grp, fr ? "reason_fr" : "reason_en"));
            size_t k;
            json_t *rank;
            json_array_foreach(json_object_get(grp, "items"), k, rank)
            {
                json_t *v = json_array_get(list, (size_t)json_integer_value(rank) - 1);
                json_t *com = json_object_get(v, "commune");
                cli_printf(stdout, "  %3lld. %s%s  %s  %s (%s)  score %.4f\n       %s\n",
                           (long long)json_integer_value(rank), cli_str(v, "name"),
                           json_is_true(json_object_get(v, "generated")) ? " [generated]" : "",
                           cli_str(v, "siret"), cli_str(com, "name"), cli_str(com, "code"),
                           json_real_value(json_object_get(v, "score")),
                           cli_str(v, fr ? "detail_fr" : "detail_en"));
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
                           cli_str(lv, fr ? "label_fr" : "label_en"), pct, fr ? "\xc2\xa0%" : "%");
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

const cli_command cmd_match = {
    .name = "match",
    .usage = "SIRET [--suppliers|--customers] [--radius KM] [--limit N] [--per-input N] [--json]",
    .summary = "suggested local suppliers or customers, each with its reasons",
    .help = NULL,
    .options = options,
    .max_args = 1,
    .run = run,
};
