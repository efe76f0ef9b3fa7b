/* cmd_impact.c — `maillage impact milestones|record|due|show|export|check`
 * (issue 13 part 6): the follow-up milestones of a programme, the figures
 * recorded at each for a decided project, the follow-ups due and overdue,
 * the indicators (leverage, aid per job, repayment rate, jobs promised and
 * realised) and the workbook for the funders. `check` compares the ledger's
 * daily sums with its entries. */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "months",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 240,
     .help = "the milestone (months after the decision) the figures are for (required)",
     .only = "record"},
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the day the figures were collected (default today)",
     .only = "record"},
    {.name = "jobs-created",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 1000000,
     .help = "jobs created since the decision (required)",
     .only = "record"},
    {.name = "jobs-kept",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 1000000,
     .help = "jobs kept (required)",
     .only = "record"},
    {.name = "invested",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "investment realised since the decision (required)",
     .only = "record"},
    {.name = "note", .kind = CLI_TEXT, .value = "TEXT", .help = "a note", .only = "record"},
    {.name = "project",
     .kind = CLI_INT,
     .value = "ID",
     .min = 1,
     .max = 2147483647,
     .help = "show: one project only",
     .only = "show"},
    {.name = "at",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the day (default today)",
     .only = "due|show|export"},
    {.name = "all",
     .kind = CLI_FLAG,
     .help = "due: also the follow-ups recorded and those to come",
     .only = "due"},
    {.name = "xlsx", .kind = CLI_TEXT, .value = "FILE", .help = "the workbook", .only = "export"},
    {.name = "csv",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "the same as a CSV report for a French spreadsheet",
     .only = "export"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static void money(json_t *o, const char *key, char out[32])
{
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v))
        ml_euros_format(json_integer_value(v), out, 32);
    else
        ml_snprintf(out, 32, "-");
}

static void number(json_t *o, const char *key, char out[32])
{
    json_t *v = json_object_get(o, key);
    if (json_is_number(v))
        ml_snprintf(out, 32, "%.2f", json_number_value(v));
    else
        ml_snprintf(out, 32, "-");
}

static void print_report(json_t *r)
{
    json_t *t = json_object_get(r, "total"), *rp = json_object_get(t, "repayments");
    char m[6][32];
    cli_printf(stdout, "%s: impact on %s%s\n", cli_str(r, "name"), cli_str(r, "at"),
               json_is_true(json_object_get(r, "generated")) ? " (GENERATED)" : "");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(r, "projects"), i, v)
    {
        json_t *pr = json_object_get(v, "jobs_promised"), *re = json_object_get(v, "jobs_realised");
        money(v, "aid", m[0]);
        money(v, "invested", m[1]);
        number(v, "leverage", m[2]);
        money(v, "aid_per_job", m[3]);
        number(json_object_get(v, "repayments"), "rate", m[4]);
        cli_printf(stdout,
                   "project %lld %s: aid %s EUR; jobs promised %lld+%lld, realised %s; invested "
                   "%s; leverage %s; aid per job %s; repayment rate %s\n",
                   (long long)json_integer_value(json_object_get(v, "project")),
                   cli_str(v, "title"), m[0],
                   (long long)json_integer_value(json_object_get(pr, "created")),
                   (long long)json_integer_value(json_object_get(pr, "kept")),
                   json_is_object(re) ? "below" : "none yet", m[1], m[2], m[3], m[4]);
        if (json_is_object(re))
            cli_printf(stdout, "  at %lld months (%s): %lld created, %lld kept\n",
                       (long long)json_integer_value(json_object_get(re, "months")),
                       cli_str(re, "day"),
                       (long long)json_integer_value(json_object_get(re, "created")),
                       (long long)json_integer_value(json_object_get(re, "kept")));
    }
    money(t, "aid", m[0]);
    money(t, "invested", m[1]);
    number(t, "leverage", m[2]);
    money(t, "aid_per_job", m[3]);
    number(rp, "rate", m[4]);
    number(t, "leverage_planned", m[5]);
    cli_printf(
        stdout,
        "programme: %lld projects decided, %lld followed; aid %s EUR; invested %s EUR\n"
        "  leverage %s (planned %s); aid per job %s EUR; repayment rate %s\n"
        "  jobs promised %lld created + %lld kept; realised %lld created + %lld kept\n",
        (long long)json_integer_value(json_object_get(t, "projects_decided")),
        (long long)json_integer_value(json_object_get(t, "projects_followed")), m[0], m[1], m[2],
        m[5], m[3], m[4],
        (long long)json_integer_value(
            json_object_get(json_object_get(t, "jobs_promised"), "created")),
        (long long)json_integer_value(json_object_get(json_object_get(t, "jobs_promised"), "kept")),
        (long long)json_integer_value(
            json_object_get(json_object_get(t, "jobs_realised"), "created")),
        (long long)json_integer_value(
            json_object_get(json_object_get(t, "jobs_realised"), "kept")));
}

static void print_due(json_t *d)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(d, "followups"), i, v) cli_printf(
        stdout, "project %lld  %s  %lld months  due %s  %s%s%s\n",
        (long long)json_integer_value(json_object_get(v, "project")), cli_str(v, "title"),
        (long long)json_integer_value(json_object_get(v, "months")), cli_str(v, "due"),
        cli_str(v, "state"), *cli_str(v, "recorded") ? " on " : "", cli_str(v, "recorded"));
    json_t *c = json_object_get(d, "counts");
    cli_printf(stdout, "%lld due, %lld overdue, %lld upcoming, %lld recorded (on %s)\n",
               (long long)json_integer_value(json_object_get(c, "due")),
               (long long)json_integer_value(json_object_get(c, "overdue")),
               (long long)json_integer_value(json_object_get(c, "upcoming")),
               (long long)json_integer_value(json_object_get(c, "recorded")), cli_str(d, "at"));
}

/* "12,24,36" into months; -1 when it is not such a list. */
static int months_parse(const char *s, int *out, size_t max, size_t *n)
{
    *n = 0;
    for (const char *p = s; p && *p;) {
        size_t len = strcspn(p, ",");
        int64_t v;
        if (*n == max || ml_parse_i64(p, len, 1, 240, &v) != 0) return -1;
        out[(*n)++] = (int)v;
        p += len + (p[len] == ',');
    }
    return *n ? 0 : -1;
}

static int run(cli *c, const cli_args *a)
{
    static const char *const actions = "milestones, record, due, show, export or check";
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    if (!action) return cli_usage("impact", "say what to do: %s", actions);
    bool milestones = !strcmp(action, "milestones"), record = !strcmp(action, "record"),
         due = !strcmp(action, "due"), show = !strcmp(action, "show"),
         export = !strcmp(action, "export"), check = !strcmp(action, "check");
    if (!milestones && !record && !due && !show && !export && !check)
        return cli_usage("impact", "unknown action '%s' (expected %s)", action, actions);
    if (!arg) return cli_usage("impact", record ? "give the project's ID" : "give the programme");
    if (a->nargs != (milestones ? 3u : 2u))
        return cli_usage("impact", milestones ? "milestones PROGRAMME 12,24,36"
                                              : "one argument after the action");
    int months[ML_MILESTONES_MAX];
    size_t nmonths = 0;
    if (milestones && months_parse(cli_arg(a, 2), months, ML_MILESTONES_MAX, &nmonths) != 0)
        return cli_usage("impact",
                         "'%s': months after the decision separated by commas (12,24,36), at "
                         "most %d, each 1 to 240",
                         cli_arg(a, 2), ML_MILESTONES_MAX);
    int64_t project = 0, invested = 0;
    if (record) {
        if (ml_parse_i64(arg, strlen(arg), 1, INT64_MAX, &project) != 0)
            return cli_usage("impact", "'%s' is not a project ID", arg);
        const char *inv = cli_text(a, "invested", NULL);
        if (!cli_text(a, "months", NULL) || !cli_text(a, "jobs-created", NULL) ||
            !cli_text(a, "jobs-kept", NULL) || !inv)
            return cli_usage("impact",
                             "record needs --months, --jobs-created, --jobs-kept and --invested");
        if (ml_euros_parse(inv, &invested) != 0)
            return cli_usage("impact", "--invested '%s': an amount in euros", inv);
    }
    const char *xlsx = cli_text(a, "xlsx", NULL), *csv = cli_text(a, "csv", NULL);
    if (export && !xlsx && !csv)
        return cli_usage("impact", "export needs --xlsx FILE or --csv FILE");
    ml_db *db = NULL;
    int rc = cli_open_db(c, milestones || record ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r = ML_OK;
    const char *at = cli_text(a, "at", NULL);
    int64_t mismatches = 0;
    if (milestones) {
        r = ml_impact_milestones(db, cli_actor(c), arg, months, nmonths, &out);
    } else if (record) {
        ml_impact_in in = {.project = project,
                           .months = (int)cli_int(a, "months", 0),
                           .date = cli_text(a, "date", NULL),
                           .jobs_created = cli_int(a, "jobs-created", 0),
                           .jobs_kept = cli_int(a, "jobs-kept", 0),
                           .invested = invested,
                           .note = cli_text(a, "note", NULL)};
        r = ml_impact_record(db, cli_actor(c), &in, &out);
    } else if (due) {
        r = ml_impact_due(db, cli_actor(c), arg, at, cli_flag(a, "all"), &out);
    } else if (show) {
        r = ml_impact_report(db, cli_actor(c), arg, cli_int(a, "project", 0), at, &out);
    } else if (check) {
        r = ml_programme_sums_check(db, cli_actor(c), arg, &mismatches);
        if (!r) out = json_pack("{sI}", "mismatches", (json_int_t)mismatches);
    } else {
        if (xlsx)
            r = ml_export_impact_report(db, c->ctx, cli_actor(c), arg, at, ML_EXPORT_XLSX, xlsx);
        if (!r && csv)
            r = ml_export_impact_report(db, c->ctx, cli_actor(c), arg, at, ML_EXPORT_CSV, csv);
    }
    if (r) {
        rc = cli_error(c, r);
    } else if (export) {
        if (xlsx) cli_printf(stdout, "written %s\n", xlsx);
        if (csv) cli_printf(stdout, "written %s\n", csv);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (milestones) {
        size_t i;
        json_t *v;
        cli_printf(stdout, "%s: follow-ups at", cli_str(out, "name"));
        json_array_foreach(json_object_get(out, "milestones"), i, v)
            cli_printf(stdout, "%s%lld", i ? ", " : " ", (long long)json_integer_value(v));
        cli_printf(stdout, " months after each decision\n");
    } else if (due) {
        print_due(out);
    } else if (check) {
        if (mismatches) {
            cli_printf(stdout, "%lld daily sums differ from the entries\n", (long long)mismatches);
            rc = CLI_FAIL;
        } else {
            cli_printf(stdout, "the daily sums equal the entries' sums\n");
        }
    } else {
        print_report(out);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_impact = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "milestones|record",
    .name = "impact",
    .usage = "milestones PROGRAMME 12,24,36 | record PROJECT --months N --jobs-created N "
             "--jobs-kept N --invested EUR [--date D] | due PROGRAMME [--at D] [--all] | show "
             "PROGRAMME [--project ID] [--at D] | export PROGRAMME --xlsx FILE|--csv FILE | check "
             "PROGRAMME",
    .summary = "impact follow-up of a programme: milestones, jobs, investment, leverage",
    .help = "  milestones PROGRAMME M,M,...  the follow-ups, in months after each project's\n"
            "                      decision (replaces the previous ones)\n"
            "  record PROJECT      the figures of a decided project at a milestone: jobs\n"
            "                      created and kept, investment realised (replaces them)\n"
            "  due PROGRAMME       the follow-ups due and overdue (3 months after their day)\n"
            "  show PROGRAMME      per project and for the programme: leverage, aid per job,\n"
            "                      repayment rate, jobs promised and realised\n"
            "  export PROGRAMME    the workbook for the funders (indicators, projects,\n"
            "                      follow-ups, method)\n"
            "  check PROGRAMME     the ledger's daily sums against its entries (exit 1 when\n"
            "                      they differ)\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
