/* cmd_project.c — `maillage project add|list|show|move|decide` (issue 13):
 * a firm's project in a programme, its stage in the pipeline, and the
 * decision that commits its aid (refused, with the reason, when it breaks
 * an envelope or a rule). */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "siret",
     .kind = CLI_TEXT,
     .value = "SIRET",
     .help = "the firm's establishment (required); partner: a partner establishment",
     .only = "add|partner"},
    {.name = "title",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "the project's title (required)",
     .only = "add|edit"},
    {.name = "description",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "what it is",
     .only = "add|edit"},
    {.name = "type",
     .kind = CLI_CHOICE,
     .value = "TYPE",
     .choices = "investment|rd|industrialisation|recruitment|training|export|collaborative_rd",
     .help = "investment (default), rd, industrialisation, recruitment, training, export,\n"
             "collaborative_rd (a pole's project with partners and TRL)",
     .only = "add|edit"},
    {.name = "cost",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "total cost (required)",
     .only = "add|edit"},
    {.name = "eligible",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "eligible expenses (default: the cost)",
     .only = "add|edit"},
    {.name = "jobs",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 1000000,
     .help = "jobs created",
     .only = "add|edit"},
    {.name = "jobs-kept",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 1000000,
     .help = "jobs kept",
     .only = "add|edit"},
    {.name = "ask-subsidy",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "subsidy requested",
     .only = "add|edit"},
    {.name = "ask-advance",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "repayable advance requested",
     .only = "add|edit"},
    CLI_AID_OPTIONS,
    {.name = "aid",
     .kind = CLI_TEXT,
     .value = "INSTR=EUR",
     .help = "aid of another instrument (repeatable): loan=50000 (a loan is repaid on the\n"
             "schedule of --instalments, --every, --deferral)",
     .only = "decide"},
    {.name = "funder",
     .kind = CLI_TEXT,
     .value = "NAME",
     .help = "the envelopes' funder, when several",
     .only = "decide"},
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the decision's day (default today); trl: the assessment's day",
     .only = "decide|trl"},
    {.name = "at",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "show: the schedule's state on that day; list: stale 30 days before it",
     .only = "show|list"},
    {.name = "stale",
     .kind = CLI_FLAG,
     .help = "only the projects not decided and not moved nor edited for 30 days",
     .only = "list"},
    /* the collaborative R&D side (cmd_project_pole.c) */
    {.name = "name",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "partner: a laboratory or organisation without a SIRET",
     .only = "partner"},
    {.name = "kind",
     .kind = CLI_CHOICE,
     .value = "KIND",
     .choices = "lab|other",
     .help = "partner: lab (default) or other, with --name",
     .only = "partner"},
    {.name = "role",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "partner: its role (coordinator, partner, subcontractor, end user...)",
     .only = "partner"},
    {.name = "remove",
     .kind = CLI_INT,
     .value = "ID",
     .min = 1,
     .max = 2147483647,
     .help = "partner, needs: removes that partner or need",
     .only = "partner|needs"},
    {.name = "level",
     .kind = CLI_INT,
     .value = "TRL",
     .min = 1,
     .max = 9,
     .help = "trl: the level, 1 to 9 (required)",
     .only = "trl"},
    {.name = "note", .kind = CLI_TEXT, .value = "TEXT", .help = "trl: a note", .only = "trl"},
    {.name = "text",
     .kind = CLI_TEXT,
     .value = "WORDS",
     .help = "needs: the part or capability needed (\"usinage de précision\")",
     .only = "needs"},
    {.name = "naf",
     .kind = CLI_TEXT,
     .value = "CODE",
     .help = "needs: a NAF code of the activity that makes it (25.62A)",
     .only = "needs"},
    {.name = "per-need",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 20,
     .help = "suggest: suggestions per need (default 5)",
     .only = "suggest"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int euros_opt(const cli_args *a, const char *name, int64_t *out, int64_t absent)
{
    const char *v = cli_text(a, name, NULL);
    *out = absent;
    if (v && ml_euros_parse(v, out) != 0)
        return cli_usage("project", "--%s '%s': an amount in euros (1500000 or 1500000.50)", name,
                         v);
    return 0;
}

static void print_project(json_t *p)
{
    char cost[32], m[3][32];
    ml_euros_format(json_integer_value(json_object_get(p, "cost")), cost, sizeof cost);
    cli_printf(stdout, "project %lld [%s] %s — %s (SIRET %s), %s, cost %s EUR\n",
               (long long)json_integer_value(json_object_get(p, "id")), cli_str(p, "stage"),
               cli_str(p, "title"), cli_str(p, "firm"), cli_str(p, "siret"), cli_str(p, "type"),
               cost);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(p, "aid"), i, v)
    {
        ml_euros_format(json_integer_value(json_object_get(v, "committed")), m[0], 32);
        ml_euros_format(json_integer_value(json_object_get(v, "paid")), m[1], 32);
        ml_euros_format(json_integer_value(json_object_get(v, "repaid")), m[2], 32);
        cli_printf(stdout, "  %s: committed %s, paid %s, repaid %s\n", cli_str(v, "instrument"),
                   m[0], m[1], m[2]);
    }
    json_array_foreach(json_object_get(p, "routes"), i, v)
        cli_printf(stdout, "  routed on %s to %s (%s)\n", cli_str(v, "day"), cli_str(v, "title"),
                   cli_str(v, "scheme"));
    json_array_foreach(json_object_get(p, "schedule"), i, v)
    {
        ml_euros_format(json_integer_value(json_object_get(v, "amount")), m[0], 32);
        cli_printf(stdout, "  instalment %lld due %s: %s EUR (%s)\n",
                   (long long)json_integer_value(json_object_get(v, "seq")), cli_str(v, "due"),
                   m[0], cli_str(v, "state"));
    }
}

static int run(cli *c, const cli_args *a)
{
    static const char *const actions =
        "add, edit, list, show, move, decide, partner, trl, needs, pole or suggest";
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    if (!action) return cli_usage("project", "say what to do: %s", actions);
    if (!strcmp(action, "partner") || !strcmp(action, "trl") || !strcmp(action, "needs") ||
        !strcmp(action, "pole") || !strcmp(action, "suggest"))
        return cmd_project_pole(c, a);
    bool add = !strcmp(action, "add"), list = !strcmp(action, "list"),
         show = !strcmp(action, "show"), move = !strcmp(action, "move"),
         decide = !strcmp(action, "decide"), edit = !strcmp(action, "edit");
    if (!add && !list && !show && !move && !decide && !edit)
        return cli_usage("project", "unknown action '%s' (expected %s)", action, actions);
    if (!arg)
        return cli_usage("project",
                         add || list ? "give the programme (id or name)" : "give the project's ID");
    if (a->nargs != (move ? 3u : 2u))
        return cli_usage("project", move ? "move ID STAGE" : "one argument after the action");
    int64_t id = 0;
    if (!add && !list && ml_parse_i64(arg, strlen(arg), 1, INT64_MAX, &id) != 0)
        return cli_usage("project", "'%s' is not a project ID", arg);
    int64_t cost = 0, eligible = 0, ask_s = 0, ask_a = 0, subsidy = 0, advance = 0;
    int64_t absent = edit ? -1 : 0; /* edit: what is not given is kept */
    int u = 0;
    if ((u = euros_opt(a, "cost", &cost, absent)) ||
        (u = euros_opt(a, "eligible", &eligible, absent)) ||
        (u = euros_opt(a, "ask-subsidy", &ask_s, absent)) ||
        (u = euros_opt(a, "ask-advance", &ask_a, absent)) ||
        (u = euros_opt(a, "subsidy", &subsidy, 0)) || (u = euros_opt(a, "advance", &advance, 0)))
        return u;
    if (add && !cli_text(a, "cost", NULL)) return cli_usage("project", "--cost is required");
    const char *aid_texts[64];
    size_t naid = cli_texts(a, "aid", aid_texts);
    ml_aid_line aid[30];
    char aid_buf[30][64];
    bool repaid_aid = false;
    if (naid > 30) return cli_usage("project", "at most 30 --aid");
    for (size_t i = 0; i < naid; i++) {
        const char *eq = strchr(aid_texts[i], '=');
        size_t k = eq ? (size_t)(eq - aid_texts[i]) : 0;
        if (!eq || !k || k >= sizeof aid_buf[i] || ml_euros_parse(eq + 1, &aid[i].amount) != 0)
            return cli_usage("project", "--aid '%s': INSTRUMENT=EUROS (loan=50000)", aid_texts[i]);
        memcpy(aid_buf[i], aid_texts[i], k);
        aid_buf[i][k] = '\0';
        aid[i].instrument = aid_buf[i];
        repaid_aid = repaid_aid || strcmp(aid_buf[i], "loan") == 0;
    }
    if (decide && (advance || repaid_aid) && !cli_text(a, "instalments", NULL))
        return cli_usage(
            "project", "an advance needs --instalments N (and --every MONTHS, --deferral MONTHS)");
    ml_db *db = NULL;
    int rc = cli_open_db(c, list || show ? ML_DB_READONLY : 0, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r;
    if (add) {
        ml_project_in in = {.programme = arg,
                            .siret = cli_text(a, "siret", NULL),
                            .type = cli_text(a, "type", NULL),
                            .title = cli_text(a, "title", NULL),
                            .description = cli_text(a, "description", NULL),
                            .cost = cost,
                            .eligible = eligible,
                            .jobs_created = cli_int(a, "jobs", 0),
                            .jobs_kept = cli_int(a, "jobs-kept", 0),
                            .req_subsidy = ask_s,
                            .req_advance = ask_a};
        r = ml_project_add(db, cli_actor(c), &in, &out);
    } else if (edit) {
        ml_project_in in = {.type = cli_text(a, "type", NULL),
                            .title = cli_text(a, "title", NULL),
                            .description = cli_text(a, "description", NULL),
                            .cost = cost,
                            .eligible = eligible,
                            .jobs_created = cli_int(a, "jobs", -1),
                            .jobs_kept = cli_int(a, "jobs-kept", -1),
                            .req_subsidy = ask_s,
                            .req_advance = ask_a};
        r = ml_project_edit(db, cli_actor(c), id, &in, &out);
    } else if (list) {
        r = ml_project_list(db, cli_actor(c), arg, cli_text(a, "at", NULL), cli_flag(a, "stale"),
                            &out);
    } else if (show) {
        r = ml_project_show(db, cli_actor(c), id, cli_text(a, "at", NULL), &out);
    } else if (move) {
        r = ml_project_move(db, cli_actor(c), id, cli_arg(a, 2), &out);
    } else {
        ml_decision_in in = {.project = id,
                             .date = cli_text(a, "date", NULL),
                             .subsidy = subsidy,
                             .advance = advance,
                             .deferral = (int)cli_int(a, "deferral", 0),
                             .instalments = (int)cli_int(a, "instalments", 0),
                             .every = (int)cli_int(a, "every", 3),
                             .funder = cli_text(a, "funder", NULL),
                             .aid = aid,
                             .naid = naid};
        r = ml_project_decide(db, cli_actor(c), &in, &out);
    }
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (add) {
        cli_printf(stdout, "%lld\n", (long long)json_integer_value(json_object_get(out, "id")));
    } else if (list) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "projects"), i, v)
        {
            char cost_s[32];
            ml_euros_format(json_integer_value(json_object_get(v, "cost")), cost_s, sizeof cost_s);
            cli_printf(stdout, "%lld  %-10s  %s  %s (%s)  %s EUR%s\n",
                       (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "stage"),
                       cli_str(v, "title"), cli_str(v, "firm"), cli_str(v, "siret"), cost_s,
                       json_is_true(json_object_get(v, "stale")) ? "  STALE" : "");
        }
        if (!json_array_size(json_object_get(out, "projects")))
            cli_printf(stdout, cli_flag(a, "stale") ? "no stale project\n" : "no project\n");
    } else {
        print_project(out);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_project = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add|edit|move|decide|partner|trl|needs",
    .name = "project",
    .usage =
        "add PROGRAMME --siret SIRET --title T --cost EUR [--jobs N] | list PROGRAMME | show ID "
        "| edit ID [--title T] [--cost EUR]... | move ID STAGE | decide ID [--subsidy EUR] "
        "[--advance EUR --deferral MONTHS "
        "--instalments N --every MONTHS] [--aid INSTR=EUR] | partner|trl|needs|pole|suggest ID "
        "[...]",
    .summary = "projects of a programme: the pipeline and decisions",
    .help = "  add PROGRAMME   a firm's project (prints its id)\n"
            "  list PROGRAMME  the programme's projects and their stages\n"
            "  show ID         one project: aid, ledger, repayment schedule\n"
            "  edit ID         changes the options given (before the decision; after it,\n"
            "                  only --title and --description)\n"
            "  move ID STAGE   detected, qualified, routed, applied, instructed, committee,\n"
            "                  signed, paid, completed, followed, rejected, abandoned\n"
            "  decide ID       commits the aid; refused (exit 1, with the reason) when it\n"
            "                  exceeds an envelope, the most per project, the aid intensity\n"
            "                  or the de minimis ceiling\n"
            "  partner ID      a partner of a collaborative_rd project: --siret S --role R,\n"
            "                  or --name N [--kind lab|other] --role R; --remove PARTNER\n"
            "  trl ID          a TRL assessment: --level 1..9 [--date D] [--note T]\n"
            "  needs ID        a part or capability it needs: --text WORDS and/or --naf CODE;\n"
            "                  --remove NEED\n"
            "  pole ID         its partners, TRL history and needs\n"
            "  suggest ID      from TRL 6: local manufacturers and subcontractors for each\n"
            "                  need, found by the search engine, each with why\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
