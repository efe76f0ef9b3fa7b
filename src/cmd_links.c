/* cmd_links.c — `maillage links SIRET`: the verdicts recorded on an
 * establishment's pairs: known links, rejected pairs and notes. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    if (a->nargs != 1) return cli_usage("links", "give one SIRET");
    bool json = cli_flag(a, "json");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *o = NULL;
    ml_err r = ml_links_as(db, cli_actor(c), cli_arg(a, 0), &o);
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
                cli_printf(stdout, "  %s supplies %s  (%s, %s)%s%s\n", cli_str(v, "supplier"),
                           cli_str(v, "buyer"), cli_str(v, "author"), cli_str(v, "at"),
                           *cli_str(v, "note") ? ": " : "", cli_str(v, "note"));
            }
        }
    }
    json_decref(o);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_links = {
    .name = "links",
    .usage = "SIRET [--json]",
    .summary = "known links, rejected pairs and notes of an establishment",
    .help = NULL,
    .options = options,
    .max_args = 1,
    .run = run,
};
