/* cmd_interview.c — `maillage interview add|list` (issue 13): the
 * interviews of firms during a programme's campaign, on the needs grid
 * (scores 0 to 3 per theme), with red flags and notes. The synthesis
 * across them is `maillage programme synthesis`. */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "siret",
     .kind = CLI_TEXT,
     .value = "SIRET",
     .help = "the establishment met (required)",
     .only = "add"},
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the visit's day (default today)",
     .only = "add"},
    {.name = "scores",
     .kind = CLI_TEXT,
     .value = "THEME=N,...",
     .help = "the needs grid, 0 (none) to 3 (pressing): skills, land, access,\n"
             "ecosystem, innovation, digital, transition, finance, export",
     .only = "add"},
    {.name = "flags",
     .kind = CLI_TEXT,
     .value = "FLAG,...",
     .help = "red flags: succession, key_customer, site_at_risk",
     .only = "add"},
    {.name = "notes", .kind = CLI_TEXT, .value = "TEXT", .help = "free notes", .only = "add"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *prog = cli_arg(a, 1);
    bool add = action && !strcmp(action, "add");
    if (!action || (!add && strcmp(action, "list")) || !prog || a->nargs != 2)
        return cli_usage("interview",
                         "add PROGRAMME --siret SIRET [--scores ...] | list PROGRAMME");
    ml_db *db = NULL;
    int rc = cli_open_db(c, add ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r;
    if (add) {
        ml_interview_in in = {.programme = prog,
                              .siret = cli_text(a, "siret", NULL),
                              .date = cli_text(a, "date", NULL),
                              .scores = cli_text(a, "scores", NULL),
                              .flags = cli_text(a, "flags", NULL),
                              .notes = cli_text(a, "notes", NULL)};
        r = ml_interview_add(db, cli_actor(c), &in, &out);
    } else {
        r = ml_interview_list(db, cli_actor(c), prog, &out);
    }
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (add) {
        cli_printf(stdout, "%lld\n", (long long)json_integer_value(json_object_get(out, "id")));
    } else {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "interviews"), i, v)
        {
            cli_printf(stdout, "#%lld  %s  %s (%s)",
                       (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "date"),
                       cli_str(v, "firm"), cli_str(v, "siret"));
            const char *k;
            json_t *s;
            json_object_foreach(json_object_get(v, "scores"), k, s) if (json_is_integer(s))
                cli_printf(stdout, "  %s=%lld", k, (long long)json_integer_value(s));
            size_t j;
            json_t *f;
            json_array_foreach(json_object_get(v, "flags"), j, f)
                cli_printf(stdout, "  FLAG %s", json_string_value(f));
            cli_printf(stdout, "\n");
        }
        if (!json_array_size(json_object_get(out, "interviews")))
            cli_printf(stdout, "no interview\n");
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_interview = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add",
    .name = "interview",
    .usage = "add PROGRAMME --siret SIRET [--date D] [--scores THEME=N,...] [--flags FLAG,...] "
             "[--notes TEXT] | list PROGRAMME",
    .summary = "interviews of firms in a programme: needs grid, red flags, notes",
    .help = "  add PROGRAMME   an interview (prints its id)\n"
            "  list PROGRAMME  the programme's interviews, oldest first\n"
            "  The synthesis across them: maillage programme synthesis PROGRAMME.\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
