/* cmd_timeline.c — `maillage timeline SIRET`: everything about one
 * establishment and its company, newest first. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static void print_item(json_t *v)
{
    const char *kind = cli_str(v, "kind");
    cli_printf(stdout, "%-19s  %-11s ", cli_str(v, "at"), kind);
    if (strcmp(kind, "interaction") == 0)
        cli_printf(stdout, "%s by %s: %s", cli_str(v, "type"), cli_str(v, "author"),
                   cli_str(v, "notes"));
    else if (strcmp(kind, "contact") == 0)
        cli_printf(stdout, "%s%s%s (added by %s)", cli_str(v, "name"),
                   *cli_str(v, "position") ? ", " : "", cli_str(v, "position"),
                   cli_str(v, "author"));
    else if (strcmp(kind, "followup") == 0)
        cli_printf(stdout, "%s, due %s%s (owner %s)", cli_str(v, "what"), cli_str(v, "due"),
                   json_is_string(json_object_get(v, "done")) ? ", done" : "", cli_str(v, "owner"));
    else if (strcmp(kind, "document") == 0)
        cli_printf(stdout, "%s (%lld bytes, by %s)", cli_str(v, "name"),
                   (long long)json_integer_value(json_object_get(v, "size")), cli_str(v, "author"));
    else if (strcmp(kind, "sirene") == 0)
        cli_printf(stdout, "SIRENE: %s%s%s", cli_str(v, "change"),
                   *cli_str(v, "insee_date") ? " " : "", cli_str(v, "insee_date"));
    else
        cli_printf(stdout, "%s %s → %s%s%s (by %s)", cli_str(v, "verdict"), cli_str(v, "supplier"),
                   cli_str(v, "buyer"), *cli_str(v, "note") ? ": " : "", cli_str(v, "note"),
                   cli_str(v, "author"));
    cli_printf(stdout, "\n");
}

static int run(cli *c, const cli_args *a)
{
    const char *siret = cli_arg(a, 0);
    if (!siret) return cli_usage("timeline", "give a SIRET");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r = ml_timeline(db, cli_actor(c), siret, &out);
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else {
        cli_printf(stdout, "%s  %s — newest first\n", cli_str(out, "siret"), cli_str(out, "name"));
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "items"), i, v) print_item(v);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_timeline = {
    .role = ML_ROLE_VIEWER,
    .name = "timeline",
    .usage = "SIRET [--json]",
    .summary = "everything about one establishment and its company, newest first",
    .help = "  Interactions, contacts added, follow-ups, documents, verdicts and notes on\n"
            "  suggested pairs that you may read, and the changes SIRENE updates brought.\n",
    .options = options,
    .max_args = 1,
    .run = run,
};
