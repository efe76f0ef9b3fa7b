/* cmd_needs.c — `maillage needs set|show`: the needs grid of a territory or
 * a firm (issue 12 part 6), a level and a note per need, history kept. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "need",
     .kind = CLI_CHOICE,
     .value = "NEED",
     .choices = "skills|land|accessibility|ecosystem|innovation|digital|ecological|finance|export",
     .help = "the need (required): skills and recruitment, land and premises, accessibility,\n"
             "ecosystem and suppliers, innovation, digital or ecological and energy\n"
             "transition, finance, export",
     .only = "set"},
    {.name = "level",
     .kind = CLI_CHOICE,
     .value = "LEVEL",
     .choices = "none|low|medium|high|critical",
     .help = "how strong the need is (required)",
     .only = "set"},
    {.name = "note",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "what it is about (at most 4,000 bytes)",
     .only = "set"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static void print_grid(json_t *o)
{
    json_t *s = json_object_get(o, "subject");
    cli_printf(stdout, "needs of %s %s (%s)\n", cli_str(s, "kind"), cli_str(s, "code"),
               cli_str(s, "name"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, "needs"), i, v)
    {
        const char *level = cli_str(v, "level");
        cli_printf(stdout, "  %-14s %-9s", cli_str(v, "need"), *level ? level : "-");
        if (*level)
            cli_printf(stdout, " %s, by %s", cli_str(v, "created"), cli_str(v, "author"));
        cli_printf(stdout, "\n");
        if (*cli_str(v, "note")) cli_printf(stdout, "      %s\n", cli_str(v, "note"));
    }
    size_t n = json_array_size(json_object_get(o, "history"));
    cli_printf(stdout, "%zu level%s set in all (the history: --json)\n", n, n == 1 ? "" : "s");
}

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *subject = cli_arg(a, 1);
    if (!action) return cli_usage("needs", "say what to do: set or show");
    bool set = strcmp(action, "set") == 0;
    if (!set && strcmp(action, "show") != 0)
        return cli_usage("needs", "unknown action '%s' (expected set or show)", action);
    if (!subject) return cli_usage("needs", "give a territory code or a SIRET");
    if (set && (!cli_text(a, "need", NULL) || !cli_text(a, "level", NULL)))
        return cli_usage("needs", "needs set: give --need NEED and --level LEVEL");
    ml_db *db = NULL;
    int rc = cli_open_db(c, set ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r = set ? ml_needs_set(db, cli_actor(c), subject, cli_text(a, "need", NULL),
                                 cli_text(a, "level", NULL), cli_text(a, "note", NULL), &out)
                   : ml_needs_show(db, cli_actor(c), subject, &out);
    if (r)
        rc = cli_error(c, r);
    else if (cli_flag(a, "json"))
        cli_print_json(out);
    else
        print_grid(out);
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_needs = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "set",
    .name = "needs",
    .usage = "set TERRITORY|SIRET --need NEED --level LEVEL [--note TEXT] | "
             "show TERRITORY|SIRET [--json]",
    .summary = "the needs grid of a territory or a firm, filled in by programme teams",
    .help = "  set    records a level (and a note) for one need, by you, for your\n"
            "         organisation; earlier levels stay in the history\n"
            "  show   the grid as your organisation and its workspaces see it\n"
            "  TERRITORY: 13001, 200054807, 13, reg:93, ti-8401, p-NAME; SIRET: 14 digits\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
