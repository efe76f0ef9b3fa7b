/* cmd_followup.c — `maillage followup add|list|done`: what is to be done
 * about a firm, by whom and by when; the overdue ones. */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "what",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "what is to be done (required)",
     .only = "add"},
    {.name = "due",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "by when (required)",
     .only = "add"},
    {.name = "owner",
     .kind = CLI_TEXT,
     .value = "NAME",
     .help = "who will do it (default: you)",
     .only = "add"},
    {.name = "overdue",
     .kind = CLI_FLAG,
     .help = "only those not done whose date has passed",
     .only = "list"},
    {.name = "mine", .kind = CLI_FLAG, .help = "only those you own", .only = "list"},
    {.name = "own-org",
     .kind = CLI_FLAG,
     .help = "only your organisation's (not the shared workspaces')",
     .only = "list"},
    {.name = "undo", .kind = CLI_FLAG, .help = "mark it not done again", .only = "done"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static void print_followup(json_t *v)
{
    bool done = json_is_string(json_object_get(v, "done"));
    bool overdue = json_is_true(json_object_get(v, "overdue"));
    cli_printf(stdout, "#%lld  due %s  %-7s  %s  (%s, owner %s)\n",
               (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "due"),
               done      ? "done"
               : overdue ? "OVERDUE"
                         : "to do",
               cli_str(v, "what"), cli_str(v, "siret"), cli_str(v, "owner"));
}

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    if (!action) return cli_usage("followup", "say what to do: add, list or done");
    bool add = strcmp(action, "add") == 0, list = strcmp(action, "list") == 0,
         done = strcmp(action, "done") == 0;
    if (!add && !list && !done)
        return cli_usage("followup", "unknown action '%s' (expected add, list or done)", action);
    if (add && !arg) return cli_usage("followup", "give a SIRET");
    int64_t id = 0;
    if (done && (!arg || ml_parse_i64(arg, strlen(arg), 1, INT64_MAX, &id) != 0))
        return cli_usage("followup", "give the follow-up's ID");
    ml_db *db = NULL;
    int rc = cli_open_db(c, list ? ML_DB_READONLY : 0, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r;
    if (add) {
        ml_followup_in in = {.siret = arg,
                             .what = cli_text(a, "what", NULL),
                             .due = cli_text(a, "due", NULL),
                             .owner = cli_text(a, "owner", NULL)};
        r = ml_followup_add(db, cli_actor(c), &in, &out);
    } else if (done) {
        r = ml_followup_done(db, cli_actor(c), id, !cli_flag(a, "undo"), &out);
    } else {
        ml_followup_filter f = {.siret = arg,
                                .overdue = cli_flag(a, "overdue"),
                                .mine = cli_flag(a, "mine"),
                                .own_org = cli_flag(a, "own-org")};
        r = ml_followup_list(db, cli_actor(c), &f, &out);
    }
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (list) {
        json_t *all = json_object_get(out, "followups");
        size_t i;
        json_t *v;
        json_array_foreach(all, i, v) print_followup(v);
        if (!json_array_size(all))
            cli_printf(stdout, cli_flag(a, "overdue") ? "nothing overdue\n" : "no follow-up\n");
    } else {
        print_followup(out);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_followup = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add|done",
    .name = "followup",
    .usage = "add SIRET --what TEXT --due YYYY-MM-DD [--owner NAME] | list [SIRET] [--overdue] "
             "[--mine] [--own-org] | done ID [--undo]",
    .summary = "follow-ups of firms: what, by whom, by when; the overdue ones",
    .help = "  add SIRET   something to do about an establishment\n"
            "  list        the follow-ups you may read (of one establishment with SIRET)\n"
            "  done ID     mark one done (--undo: not done again)\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
