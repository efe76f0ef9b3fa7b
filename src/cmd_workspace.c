/* cmd_workspace.c — `maillage workspace share|leave|list`: organisations
 * that share a workspace read each other's shared records (notes,
 * contacts, interactions); e.g. an agency and a sub-prefecture. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output", .only = "list"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0);
    bool list = action && strcmp(action, "list") == 0;
    bool share = action && strcmp(action, "share") == 0,
         leave = action && strcmp(action, "leave") == 0;
    if (!list && !share && !leave)
        return cli_usage("workspace", "give share WORKSPACE ORG, leave WORKSPACE ORG or list");
    if (list ? a->nargs != 1 : a->nargs != 3)
        return cli_usage("workspace", list ? "list takes nothing more" : "give %s WORKSPACE ORG",
                         action);
    ml_db *db = NULL;
    int rc = cli_open_db(c, 0, &db);
    if (rc) return rc;
    ml_err e;
    if (list) {
        json_t *ws = NULL;
        e = ml_workspace_list(db, &ws);
        if (!e && cli_flag(a, "json")) {
            cli_print_json(ws);
        } else if (!e) {
            size_t i, k;
            json_t *w, *o;
            json_array_foreach(ws, i, w)
            {
                cli_printf(stdout, "%s:", cli_str(w, "name"));
                json_array_foreach(json_object_get(w, "organisations"), k, o)
                {
                    cli_printf(stdout, "%s %s", k ? "," : "", json_string_value(o));
                }
                cli_printf(stdout, "\n");
            }
            if (json_array_size(ws) == 0) cli_printf(stdout, "no workspace yet\n");
        }
        json_decref(ws);
    } else {
        e = ml_workspace_share(db, &c->actor, cli_arg(a, 1), cli_arg(a, 2), leave);
        if (!e)
            cli_printf(stdout, "%s %s the workspace %s\n", cli_arg(a, 2), leave ? "left" : "shares",
                       cli_arg(a, 1));
    }
    if (e) rc = cli_error(c, e);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_workspace = {
    .name = "workspace",
    .usage = "share WORKSPACE ORG | leave WORKSPACE ORG | list [--json]",
    .summary = "workspaces: organisations that read each other's shared records",
    .help = "  share WORKSPACE ORG  put ORG in WORKSPACE (made when new)\n"
            "  leave WORKSPACE ORG  take it out\n"
            "  list                 the workspaces and their organisations\n",
    .options = options,
    .max_args = 3,
    .run = run,
    .role = ML_ROLE_ADMIN,
    .audit_self = true,
};
