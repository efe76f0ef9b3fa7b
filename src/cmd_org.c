/* cmd_org.c — `maillage org add NAME [--type T]`, `org list`: the
 * organisations that share the server (an agency, an EPCI, a prefecture...),
 * created by the local administrator. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "type",
     .kind = CLI_CHOICE,
     .value = "TYPE",
     .choices = "agency|epci|prefecture|cluster|chamber|company|buyer",
     .help = "what it is (default agency): agency, epci, prefecture, cluster,\n"
             "chamber, company or buyer (a public buyer)",
     .only = "add"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output", .only = "list"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0);
    if (!action || (strcmp(action, "add") && strcmp(action, "list")))
        return cli_usage("org", "give add NAME or list");
    if (strcmp(action, "add") == 0 && a->nargs != 2) return cli_usage("org", "give add NAME");
    if (strcmp(action, "list") == 0 && a->nargs != 1) return cli_usage("org", "list takes no name");
    ml_db *db = NULL;
    int rc = cli_open_db(c, 0, &db);
    if (rc) return rc;
    ml_err e;
    if (strcmp(action, "add") == 0) {
        int64_t id = 0;
        const char *type = cli_text(a, "type", "agency");
        e = ml_org_add(db, &c->actor, cli_arg(a, 1), type, &id);
        if (!e)
            cli_printf(stdout, "organisation %lld: %s (%s)\n", (long long)id, cli_arg(a, 1), type);
    } else {
        json_t *list = NULL;
        e = ml_org_list(db, &list);
        if (!e && cli_flag(a, "json")) {
            cli_print_json(list);
        } else if (!e) {
            size_t i;
            json_t *o;
            json_array_foreach(list, i, o)
            {
                cli_printf(stdout, "%-40s %-10s %lld member%s\n", cli_str(o, "name"),
                           cli_str(o, "type"),
                           (long long)json_integer_value(json_object_get(o, "members")),
                           json_integer_value(json_object_get(o, "members")) == 1 ? "" : "s");
            }
            if (json_array_size(list) == 0) cli_printf(stdout, "no organisation yet\n");
        }
        json_decref(list);
    }
    if (e) rc = cli_error(c, e);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_org = {
    .name = "org",
    .usage = "add NAME [--type TYPE] | list [--json]",
    .summary = "the organisations that share this server (agency, EPCI, prefecture...)",
    .help = "  add NAME   create an organisation (then `maillage user add --org NAME EMAIL`)\n"
            "  list       the organisations and how many members each has\n",
    .options = options,
    .max_args = 2,
    .run = run,
    .role = ML_ROLE_ADMIN,
    .audit_self = true,
};
