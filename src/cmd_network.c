/* cmd_network.c — `maillage network NAME`: the best supplier/customer pairs
 * inside a network and its best outside partners, on screen or as files. */
#include "cli.h"

typedef struct net_args {
    const char *name;
    const ml_network_opts *opts;
} net_args;

static ml_err run_report(ml_db *db, const ml_snapshot *snap, void *ud, json_t **out)
{
    const net_args *a = ud;
    return ml_network_report(db, snap, a->name, a->opts, out);
}

static const cli_option options[] = {
    {.name = "limit",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 1000,
     .help = "pairs and outside partners listed (default 50)"},
    {.name = "scale",
     .kind = CLI_NUMBER,
     .value = "KM",
     .min = 1,
     .max = 1000,
     .help = "distance decay scale (default 30 km)"},
    {.name = "csv",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write the pairs as CSV for a French spreadsheet (UTF-8 with BOM,\n"
             "';' between cells, decimal comma)"},
    {.name = "plain",
     .kind = CLI_FLAG,
     .help = "with --csv: CSV for programs (',' and '.', no BOM)"},
    {.name = "xlsx",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write an Excel workbook: pairs, outside partners, method"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *args)
{
    const char *name = cli_arg(args, 0), *csv = cli_text(args, "csv", NULL),
               *xlsx = cli_text(args, "xlsx", NULL);
    bool plain = cli_flag(args, "plain"), json = cli_flag(args, "json");
    ml_network_opts o = {.limit = (unsigned)cli_int(args, "limit", 0),
                         .scale_km = cli_number(args, "scale", 0)};
    if (!name) return cli_usage("network", "give the network's NAME (see maillage group list)");
    net_args a = {name, &o};
    json_t *rep = NULL;
    int rc = cli_with_snapshot(c, run_report, &a, &rep);
    ml_err r = ML_OK;
    if (!rc && csv)
        r = ml_export_network(c->ctx, rep, plain ? ML_EXPORT_CSV_PLAIN : ML_EXPORT_CSV, csv);
    if (!rc && !r && xlsx) r = ml_export_network(c->ctx, rep, ML_EXPORT_XLSX, xlsx);
    if (r) {
        rc = cli_error(c, r);
    } else if (rc) {
        /* the error is printed */
    } else if (json) {
        cli_print_json(rep);
    } else {
        cli_printf(stdout, "network \"%s\": %lld members, %lld active and placed\n", name,
                   (long long)json_integer_value(json_object_get(rep, "members")),
                   (long long)json_integer_value(json_object_get(rep, "members_placed")));
        cli_printf(stdout, "\nbest pairs inside the network (each pair once, both directions):\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(rep, "pairs"), i, v)
        {
            json_t *pa = json_object_get(v, "a"), *pb = json_object_get(v, "b");
            cli_printf(stdout, "%3zu. %s (%s) <-> %s (%s)  score %.4f\n", i + 1,
                       cli_str(pa, "name"), cli_str(pa, "siret"), cli_str(pb, "name"),
                       cli_str(pb, "siret"), json_number_value(json_object_get(v, "score")));
            json_t *ab = json_object_get(v, "a_to_b"), *ba = json_object_get(v, "b_to_a");
            if (json_is_object(ab))
                cli_printf(stdout, "     A supplies B: %s\n", cli_str(ab, "reason_en"));
            if (json_is_object(ba))
                cli_printf(stdout, "     B supplies A: %s\n", cli_str(ba, "reason_en"));
        }
        static const char *const keys[] = {"outside_suppliers", "outside_customers"};
        static const char *const titles[] = {"best suppliers outside the network",
                                             "best customers outside the network"};
        for (int k = 0; k < 2; k++) {
            cli_printf(stdout, "\n%s:\n", titles[k]);
            json_array_foreach(json_object_get(rep, keys[k]), i, v)
            {
                if (i == 10) {
                    cli_printf(stdout, "  … (--json or --xlsx for all)\n");
                    break;
                }
                json_t *in = json_object_get(v, "input");
                cli_printf(stdout, "%3zu. %s (%s), %s — %s %s — serves %lld member(s)\n     %s\n",
                           i + 1, cli_str(v, "name"), cli_str(v, "siret"),
                           cli_str(json_object_get(v, "commune"), "name"), cli_str(in, "code"),
                           cli_str(in, "label_en"),
                           (long long)json_integer_value(json_object_get(v, "members_served")),
                           cli_str(v, "reason_en"));
            }
        }
        if (csv) cli_printf(stdout, "\npairs written to %s\n", csv);
        if (xlsx) cli_printf(stdout, "workbook written to %s\n", xlsx);
    }
    json_decref(rep);
    return rc;
}

const cli_command cmd_network = {
    .name = "network",
    .usage = "NAME [--limit N] [--csv FILE [--plain]] [--xlsx FILE] [--json]",
    .summary = "best supplier/customer pairs inside a network, and its best outside partners",
    .help = "  NAME              a network (maillage group list)\n",
    .options = options,
    .max_args = 1,
    .run = run,
};
