/* cmd_group.c — `maillage group add|list`: networks as named lists of SIRET
 * (laureates, cluster members), read from a CSV with a siret column or one
 * SIRET per line. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "rejects",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "where rejected lines go (default: next to the database)",
     .only = "add"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output", .only = "list"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0);
    if (!action) return cli_usage("group", "say what to do: add or list");
    ml_db *db = NULL;
    int rc;
    if (strcmp(action, "list") == 0) {
        bool json = cli_flag(a, "json");
        if (a->nargs > 1) return cli_usage("group", "unexpected argument '%s'", cli_arg(a, 1));
        if ((rc = cli_open_db(c, ML_DB_READONLY, &db))) return rc;
        json_t *list = NULL;
        ml_err r = ml_network_list(db, &list);
        if (r)
            rc = cli_error(c, r);
        else if (json)
            cli_print_json(list);
        else {
            size_t i;
            json_t *v;
            json_array_foreach(list, i, v)
                cli_printf(stdout, "%-40s %6lld members  (created %s)\n", cli_str(v, "name"),
                           (long long)json_integer_value(json_object_get(v, "members")),
                           cli_str(v, "created"));
            if (!json_array_size(list))
                cli_printf(stdout, "no network yet: maillage group add NAME FILE\n");
        }
        json_decref(list);
        ml_db_close(db);
        return rc;
    }
    if (strcmp(action, "add") != 0)
        return cli_usage("group", "unknown action '%s' (expected add or list)", action);
    const char *name = cli_arg(a, 1), *file = cli_arg(a, 2),
               *rejects = cli_text(a, "rejects", NULL);
    if (!name || !file) return cli_usage("group", "give a NAME and a FILE of SIRET");
    char def[4096];
    if (!rejects) {
        cli_default_rejects(c, def, sizeof def);
        rejects = def;
    }
    if ((rc = cli_open_db(c, 0, &db))) return rc;
    ml_import_opts o = {.rejects_path = rejects};
    ml_import_stats st;
    ml_err r = ml_network_add(db, name, file, &o, &st);
    if (r)
        rc = cli_error(c, r);
    else {
        cli_printf(stdout, "network \"%s\": %llu lines read, %llu members added, %llu rejected\n",
                   name, (unsigned long long)st.rows, (unsigned long long)st.imported,
                   (unsigned long long)st.rejected);
        if (st.rejected)
            cli_printf(stdout, "  rejected lines are in %s; first: %s\n", rejects, st.first_reject);
    }
    ml_db_close(db);
    return rc;
}

const cli_command cmd_group = {
    .name = "group",
    .usage = "add NAME FILE [--rejects FILE] | list [--json]",
    .summary = "networks: named lists of SIRET (laureates, cluster members)",
    .help = "  add NAME FILE     add the SIRETs of FILE (a CSV with a siret column, or one\n"
            "                    SIRET per line) to the network NAME, creating it if needed\n"
            "  list              the networks and their sizes\n",
    .options = options,
    .max_args = 3,
    .run = run,
    .role = ML_ROLE_OFFICER,
    .write_actions = "add",
};
