/* cmd_scheme.c — `maillage scheme import|list|eligible|route|routes` (issue
 * 13 part 3): the catalogue of aid schemes (Etalab's schema-dispositif-aide
 * columns), the schemes a project is eligible for with each condition met or
 * not and why, and a project's routes to schemes. */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "at",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the day the conditions are read on (default today)",
     .only = "eligible"},
    {.name = "all",
     .kind = CLI_FLAG,
     .help = "also the schemes it is not eligible for",
     .only = "eligible"},
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the routing's day (default today)",
     .only = "route"},
    {.name = "note",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "a note on the routing",
     .only = "route"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static const char *const note =
    "(a starting catalogue is a list to check: see each scheme's official page before use)\n";

static int run(cli *c, const cli_args *a)
{
    static const char *const actions = "import, list, eligible, route or routes";
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    if (!action) return cli_usage("scheme", "say what to do: %s", actions);
    bool import = !strcmp(action, "import"), list = !strcmp(action, "list"),
         eligible = !strcmp(action, "eligible"), route = !strcmp(action, "route"),
         routes = !strcmp(action, "routes");
    if (!import && !list && !eligible && !route && !routes)
        return cli_usage("scheme", "unknown action '%s' (expected %s)", action, actions);
    size_t want = list ? 1 : route ? 3 : 2;
    if (a->nargs != want)
        return cli_usage("scheme",
                         import  ? "import FILE"
                         : list  ? "list takes no argument"
                         : route ? "route PROJECT SCHEME"
                                 : "%s PROJECT",
                         action);
    int64_t project = 0;
    if ((eligible || route || routes) &&
        ml_parse_i64(arg, strlen(arg), 1, INT64_MAX, &project) != 0)
        return cli_usage("scheme", "'%s' is not a project ID", arg);
    ml_db *db = NULL;
    int rc = cli_open_db(c, import || route ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r =
        import     ? ml_scheme_import(db, cli_actor(c), arg, &out)
        : list     ? ml_scheme_list(db, cli_actor(c), &out)
        : eligible ? ml_project_schemes(db, cli_actor(c), project, cli_text(a, "at", NULL), &out)
        : route    ? ml_project_route(db, cli_actor(c), project, cli_arg(a, 2),
                                      cli_text(a, "date", NULL), cli_text(a, "note", NULL), &out)
                   : ml_project_routes(db, cli_actor(c), project, &out);
    size_t i;
    json_t *v;
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (import) {
        cli_printf(stdout, "%lld schemes imported from %s\n",
                   (long long)json_integer_value(json_object_get(out, "imported")),
                   cli_str(out, "file"));
        json_array_foreach(json_object_get(out, "ignored_columns"), i, v)
            cli_printf(stdout, "  column not read: %s\n", json_string_value(v));
    } else if (list) {
        json_array_foreach(json_object_get(out, "schemes"), i, v) cli_printf(
            stdout, "%s  %s  %s\n", cli_str(v, "id"), cli_str(v, "title"), cli_str(v, "url"));
        if (!json_array_size(json_object_get(out, "schemes")))
            cli_printf(stdout, "no scheme: maillage scheme import FILE\n");
        else
            cli_printf(stdout, "%s", note);
    } else if (eligible) {
        cli_printf(stdout, "project %lld [%s] %s, on %s:\n",
                   (long long)json_integer_value(json_object_get(out, "project")),
                   cli_str(out, "stage"), cli_str(out, "title"), cli_str(out, "at"));
        size_t shown = 0;
        json_array_foreach(json_object_get(out, "schemes"), i, v)
        {
            const char *verdict = cli_str(v, "verdict");
            if (!cli_flag(a, "all") && !strcmp(verdict, "not_eligible")) continue;
            shown++;
            cli_printf(stdout, "%s  %s (%s)  %s\n", verdict, cli_str(v, "title"), cli_str(v, "id"),
                       cli_str(v, "url"));
            size_t k;
            json_t *cond;
            json_array_foreach(json_object_get(v, "conditions"), k, cond)
                cli_printf(stdout, "  %-7s %-12s %s\n", cli_str(cond, "state"),
                           cli_str(cond, "condition"), cli_str(cond, "explain"));
        }
        if (!shown)
            cli_printf(stdout, "no scheme it is eligible for (--all: every scheme and why)\n");
        cli_printf(stdout, "%s", note);
    } else {
        cli_printf(stdout, "project %lld [%s]\n",
                   (long long)json_integer_value(json_object_get(out, "project")),
                   cli_str(out, "stage"));
        json_array_foreach(json_object_get(out, "routes"), i, v) cli_printf(
            stdout, "  %s  routed to %s (%s)%s%s\n", cli_str(v, "day"), cli_str(v, "title"),
            cli_str(v, "scheme"), *cli_str(v, "note") ? ": " : "", cli_str(v, "note"));
        if (!json_array_size(json_object_get(out, "routes")))
            cli_printf(stdout, "  routed nowhere\n");
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_scheme = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "import|route",
    .name = "scheme",
    .usage = "import FILE | list | eligible PROJECT [--at D] [--all] | route PROJECT SCHEME "
             "[--note T] | routes PROJECT",
    .summary = "aid schemes: the catalogue, a project's eligibility and routing",
    .help =
        "  import FILE       a CSV catalogue in the columns of Etalab's schema-dispositif-aide\n"
        "                    (plus maillage_types_projet, maillage_stades); all rows or none,\n"
        "                    a fault names its line and column. data/schemes/ holds a starting\n"
        "                    catalogue written by the maillage team: check each scheme on\n"
        "                    its official page before use\n"
        "  list              the catalogue\n"
        "  eligible PROJECT  the schemes the project is eligible for (or to check), each\n"
        "                    condition met, unmet or unknown and why\n"
        "  route PROJECT SCHEME  sends the project to a scheme (a detected or qualified\n"
        "                    project becomes routed)\n"
        "  routes PROJECT    where the project was routed\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
