/* cmd_roadmap.c — `maillage roadmap …` (issue 13, item 2): a programme's
 * roadmap: actions with an owner, a due day, a state and the project or
 * need they serve; and the roadmap document (the programme, each
 * campaign's synthesis with the secrecy rule, the actions) written as PDF
 * or as a Word-compatible .docx. */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "title",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "the action (required)",
     .only = "action"},
    {.name = "owner",
     .kind = CLI_TEXT,
     .value = "NAME",
     .help = "who carries it",
     .only = "action"},
    {.name = "due",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "its due day",
     .only = "action"},
    {.name = "project",
     .kind = CLI_INT,
     .value = "ID",
     .min = 1,
     .max = 9007199254740991.0,
     .help = "the programme's project it serves",
     .only = "action"},
    {.name = "need",
     .kind = CLI_CHOICE,
     .value = "THEME",
     .choices = "skills|land|access|ecosystem|innovation|digital|transition|finance|export",
     .help = "the need of the grid it answers",
     .only = "action"},
    {.name = "campaign",
     .kind = CLI_INT,
     .value = "ID",
     .min = 1,
     .max = 9007199254740991.0,
     .help = "the campaign it comes from",
     .only = "action"},
    {.name = "reopen", .kind = CLI_FLAG, .help = "done: open the action again", .only = "action"},
    {.name = "pdf",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write the roadmap as PDF",
     .only = "export"},
    {.name = "docx",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write the roadmap as a Word document (.docx)",
     .only = "export"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static const char usage[] =
    "action add PROGRAMME --title T [--owner O] [--due D] [--project ID] [--need THEME] "
    "[--campaign ID] | action list PROGRAMME | action done ACTION [--reopen] | "
    "export PROGRAMME --pdf FILE | --docx FILE";

static void print_action(json_t *v)
{
    json_t *pj = json_object_get(v, "project");
    cli_printf(stdout, "#%lld  [%s%s]  %s  — %s, due %s",
               (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "state"),
               json_is_true(json_object_get(v, "late")) ? ", late" : "", cli_str(v, "title"),
               *cli_str(v, "owner") ? cli_str(v, "owner") : "no owner",
               *cli_str(v, "due") ? cli_str(v, "due") : "-");
    if (json_is_integer(pj))
        cli_printf(stdout, "  project %lld", (long long)json_integer_value(pj));
    if (*cli_str(v, "need")) cli_printf(stdout, "  need %s", cli_str(v, "need"));
    cli_printf(stdout, "\n");
}

static int run(cli *c, const cli_args *a)
{
    const char *verb = cli_arg(a, 0), *sub = cli_arg(a, 1);
    bool action = verb && !strcmp(verb, "action"), export = verb && !strcmp(verb, "export");
    bool add = action && sub && !strcmp(sub, "add"), list = action && sub && !strcmp(sub, "list"),
         done = action && sub && !strcmp(sub, "done");
    if ((action && (!(add || list || done) || a->nargs != 3)) || (export && a->nargs != 2) ||
        (!action && !export))
        return cli_usage("roadmap", "%s", usage);
    const char *pdf = cli_text(a, "pdf", NULL), *docx = cli_text(a, "docx", NULL);
    if (export && !pdf == !docx)
        return cli_usage("roadmap", "export: give --pdf FILE or --docx FILE");
    ml_db *db = NULL;
    int rc = cli_open_db(c, add || done ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    const ml_actor *who = cli_actor(c);
    json_t *out = NULL;
    ml_err r;
    if (export) {
        r = ml_roadmap_document(db, who, sub, &out);
        if (!r)
            r = ml_export_roadmap(c->ctx, out, pdf ? ML_DOC_PDF : ML_DOC_DOCX, pdf ? pdf : docx);
    } else if (add) {
        ml_action_in in = {.programme = cli_arg(a, 2),
                           .campaign = cli_int(a, "campaign", 0),
                           .title = cli_text(a, "title", NULL),
                           .owner = cli_text(a, "owner", NULL),
                           .due = cli_text(a, "due", NULL),
                           .project = cli_int(a, "project", 0),
                           .need = cli_text(a, "need", NULL)};
        r = ml_action_add(db, who, &in, &out);
    } else if (list) {
        r = ml_action_list(db, who, cli_arg(a, 2), &out);
    } else {
        int64_t id = 0;
        const char *s = cli_arg(a, 2);
        if (ml_parse_i64(s, strlen(s), 1, INT64_MAX, &id) != 0) {
            ml_db_close(db);
            return cli_usage("roadmap", "'%s' is not an action's id", s);
        }
        r = ml_action_done(db, who, id, !cli_flag(a, "reopen"), &out);
    }
    if (!r && (add || done)) cli_audit(c, db, &cmd_roadmap, a); /* reads are not audited */
    if (r) {
        rc = cli_error(c, r);
    } else if (export) {
        cli_printf(stdout, "%s\n", pdf ? pdf : docx);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (add) {
        cli_printf(stdout, "%lld\n", (long long)json_integer_value(json_object_get(out, "id")));
    } else if (list) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "actions"), i, v) print_action(v);
        cli_printf(stdout, "%lld open (%lld late), %lld done\n",
                   (long long)json_integer_value(json_object_get(out, "open")),
                   (long long)json_integer_value(json_object_get(out, "late")),
                   (long long)json_integer_value(json_object_get(out, "done")));
    } else {
        print_action(out);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_roadmap = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "action",
    .audit_self = true, /* action list and export only read */
    .name = "roadmap",
    .usage = usage,
    .summary = "a programme's roadmap: actions, owners, dates; the document as PDF or .docx",
    .help = "  action add PROGRAMME   an action (prints its id)\n"
            "  action list PROGRAMME  the actions by due day (late ones said)\n"
            "  action done ACTION     mark it done (--reopen: open again)\n"
            "  export PROGRAMME       the roadmap document: the programme, the engineering\n"
            "                         budget, each campaign's synthesis (no figure from fewer\n"
            "                         than 3 firms) and the actions, as --pdf or --docx\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
