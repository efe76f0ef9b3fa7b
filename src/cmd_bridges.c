/* cmd_bridges.c — `maillage bridges NAME | --territory CODE`: cross-sector
 * bridges (shared technologies, needs, trade links) among a network's
 * members or a territory's establishments that have a profile. */
#include "cli.h"

typedef struct bridge_args {
    const char *name;
    const ml_network_opts *opts;
    bool territory; /* name is a territory code */
} bridge_args;

static ml_err run_bridges(ml_db *db, const ml_snapshot *snap, void *ud, json_t **out)
{
    const bridge_args *a = ud;
    if (a->territory) return ml_bridges_territory(db, snap, a->name, a->opts, out);
    return ml_bridges(db, snap, a->name, a->opts, out);
}

static const cli_option options[] = {
    {.name = "territory",
     .kind = CLI_TEXT,
     .value = "CODE",
     .help = "a commune, EPCI, département, reg:CODE: among its establishments\n"
             "that have a profile (maillage import profiles)"},
    {.name = "limit",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 1000,
     .help = "bridges listed (default 50)"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *args)
{
    const char *territory = cli_text(args, "territory", NULL), *name = cli_arg(args, 0);
    bool json = cli_flag(args, "json");
    ml_network_opts o = {.limit = (unsigned)cli_int(args, "limit", 0)};
    if (territory && name)
        return cli_usage("bridges", "give the network's NAME or --territory CODE, not both");
    if (territory) name = territory;
    if (!name) return cli_usage("bridges", "give the network's NAME, or --territory CODE");
    bridge_args ba = {name, &o, territory != NULL};
    json_t *res = NULL;
    int rc = cli_with_snapshot(c, run_bridges, &ba, &res);
    if (rc) {
        /* the error is printed */
    } else if (json) {
        cli_print_json(res);
    } else {
        cli_printf(stdout, "cross-sector bridges in %s \"%s\":\n",
                   territory ? "territory" : "network", name);
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(res, "bridges"), i, v)
        {
            json_t *a = json_object_get(v, "a"), *b = json_object_get(v, "b");
            cli_printf(stdout, "%3zu. %s (%s) × %s (%s)\n     %s\n", i + 1, cli_str(a, "name"),
                       cli_str(a, "siret"), cli_str(b, "name"), cli_str(b, "siret"),
                       cli_str(v, "reason_en"));
        }
        if (!json_array_size(json_object_get(res, "bridges"))) cli_printf(stdout, "  none found\n");
    }
    json_decref(res);
    return rc;
}

const cli_command cmd_bridges = {
    .name = "bridges",
    .usage = "NAME | --territory CODE [--limit N] [--json]",
    .summary =
        "cross-sector bridges in a network or a territory: shared technologies, needs, trade links",
    .help = "  NAME             a network (maillage group list)\n",
    .options = options,
    .max_args = 1,
    .run = run,
};
