/* cmd_interview.c — `maillage interview add|list|project` (issue 13): the
 * interviews of firms during a programme's campaign, on the needs grid
 * (scores 0 to 3 per theme), with red flags and notes, linked to their
 * planned visit; the projects detected during one. The synthesis across
 * them is `maillage programme synthesis` (`campaign synthesis` for one
 * campaign). */
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
    {.name = "visit",
     .kind = CLI_INT,
     .value = "ID",
     .min = 1,
     .max = 9007199254740991.0,
     .help = "the planned visit it records (campaign show gives its #id): done then",
     .only = "add"},
    {.name = "title",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "the project's title (required)",
     .only = "project"},
    {.name = "type",
     .kind = CLI_CHOICE,
     .value = "TYPE",
     .choices = "investment|rd|industrialisation|recruitment|training|export",
     .help = "the project's type (default investment)",
     .only = "project"},
    {.name = "cost",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "total cost (required)",
     .only = "project"},
    {.name = "description",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "what it is",
     .only = "project"},
    {.name = "jobs",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 1000000,
     .help = "jobs created",
     .only = "project"},
    {.name = "ask-subsidy",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "subsidy requested",
     .only = "project"},
    {.name = "ask-advance",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "advance requested",
     .only = "project"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *prog = cli_arg(a, 1);
    bool add = action && !strcmp(action, "add"), project = action && !strcmp(action, "project");
    if (!action || (!add && !project && strcmp(action, "list")) || !prog || a->nargs != 2)
        return cli_usage("interview",
                         "add PROGRAMME --siret SIRET [--scores ...] | list PROGRAMME | "
                         "project INTERVIEW --title T --cost EUR");
    int64_t iv = 0, money[3] = {0};
    const char *money_opts[3] = {"cost", "ask-subsidy", "ask-advance"};
    if (project) {
        if (ml_parse_i64(prog, strlen(prog), 1, INT64_MAX, &iv) != 0)
            return cli_usage("interview", "'%s' is not an interview's id", prog);
        for (size_t i = 0; i < 3; i++) {
            const char *v = cli_text(a, money_opts[i], NULL);
            if (v && ml_euros_parse(v, &money[i]) != 0)
                return cli_usage("interview", "--%s '%s': an amount in euros", money_opts[i], v);
        }
    }
    ml_db *db = NULL;
    int rc = cli_open_db(c, add || project ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r;
    if (project) {
        ml_project_in in = {.type = cli_text(a, "type", NULL),
                            .title = cli_text(a, "title", NULL),
                            .description = cli_text(a, "description", NULL),
                            .cost = money[0],
                            .jobs_created = cli_int(a, "jobs", 0),
                            .req_subsidy = money[1],
                            .req_advance = money[2]};
        r = ml_interview_project(db, cli_actor(c), iv, &in, &out);
    } else if (add) {
        ml_interview_in in = {.programme = prog,
                              .siret = cli_text(a, "siret", NULL),
                              .date = cli_text(a, "date", NULL),
                              .scores = cli_text(a, "scores", NULL),
                              .flags = cli_text(a, "flags", NULL),
                              .notes = cli_text(a, "notes", NULL),
                              .visit = cli_int(a, "visit", 0)};
        r = ml_interview_add(db, cli_actor(c), &in, &out);
    } else {
        r = ml_interview_list(db, cli_actor(c), prog, &out);
    }
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (add || project) {
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
    .write_actions = "add|project",
    .name = "interview",
    .usage =
        "add PROGRAMME --siret SIRET [--date D] [--scores THEME=N,...] [--flags FLAG,...] "
        "[--notes TEXT] [--visit ID] | list PROGRAMME | project INTERVIEW --title T --cost EUR "
        "[--type TYPE] [--jobs N] [--ask-subsidy EUR] [--ask-advance EUR]",
    .summary = "interviews of firms in a programme: needs grid, red flags, notes",
    .help = "  add PROGRAMME   an interview (prints its id)\n"
            "  list PROGRAMME  the programme's interviews, oldest first\n"
            "  project INTERVIEW  a project detected during the interview (prints its id)\n"
            "  The synthesis across them: maillage programme synthesis PROGRAMME.\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
