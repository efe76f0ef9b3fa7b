/* cmd_programme.c — `maillage programme add|list|show|position|envelope|
 * member` (issue 13): a programme, its envelopes and their rules, the
 * organisations that run it, and the position of its envelopes at a date. */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "envelope",
     .kind = CLI_TEXT,
     .value = "INSTR=EUR[:RULE...]",
     .help = "an envelope (repeatable): subsidy=1500000, advance=500000:revolving;\n"
             "rules after ':': funder=NAME, max=EUR (per project), small=PCT,\n"
             "medium=PCT, large=PCT (aid intensity by company size), revolving",
     .only = "add|envelope"},
    {.name = "territory",
     .kind = CLI_TEXT,
     .value = "CODE",
     .help = "its territory: a commune, EPCI, département, région or perimeter code",
     .only = "add"},
    {.name = "start",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the period's first day",
     .only = "add"},
    {.name = "end",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the period's last day",
     .only = "add"},
    {.name = "generated",
     .kind = CLI_FLAG,
     .help = "mark it as a generated (demo) programme",
     .only = "add"},
    {.name = "at",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the position (impact) on that day (default today)",
     .only = "position|impact|export|committee"},
    {.name = "xlsx",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "export: the workbook for the funders (envelopes, projects, ledger, impact)",
     .only = "export"},
    {.name = "csv",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "export: the same as a CSV report for a French spreadsheet",
     .only = "export"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

/* "advance=500000:revolving:max=100000:small=60:funder=Bpifrance" */
static int envelope_parse(const char *text, ml_envelope_in *e, char *buf, size_t size)
{
    memset(e, 0, sizeof *e);
    if (strlen(text) >= size) return -1;
    memcpy(buf, text, strlen(text) + 1);
    char *eq = strchr(buf, '=');
    if (!eq) return -1;
    *eq = '\0';
    e->instrument = buf;
    char *rest = eq + 1, *colon = strchr(rest, ':');
    if (colon) *colon = '\0';
    if (ml_euros_parse(rest, &e->amount) != 0) return -1;
    for (char *p = colon ? colon + 1 : NULL; p;) {
        char *next = strchr(p, ':');
        if (next) *next++ = '\0';
        char *v = strchr(p, '=');
        if (v) *v++ = '\0';
        int64_t pct = 0;
        if (strcmp(p, "revolving") == 0 && !v) {
            e->revolving = true;
        } else if (strcmp(p, "funder") == 0 && v) {
            e->funder = v;
        } else if (strcmp(p, "max") == 0 && v) {
            if (ml_euros_parse(v, &e->max_project) != 0) return -1;
        } else if (v && ml_parse_i64(v, strlen(v), 0, 100, &pct) == 0 &&
                   (strcmp(p, "small") == 0 || strcmp(p, "medium") == 0 ||
                    strcmp(p, "large") == 0)) {
            *(p[0] == 's'   ? &e->max_small
              : p[0] == 'm' ? &e->max_medium
                            : &e->max_large) = (int)pct;
        } else {
            return -1;
        }
        p = next;
    }
    return 0;
}

static void money(json_t *o, const char *key, char out[32])
{
    ml_euros_format(json_integer_value(json_object_get(o, key)), out, 32);
}

static void print_show(json_t *p)
{
    cli_printf(stdout, "programme %lld: %s%s\n",
               (long long)json_integer_value(json_object_get(p, "id")), cli_str(p, "name"),
               json_is_true(json_object_get(p, "generated")) ? " (GENERATED)" : "");
    if (*cli_str(p, "territory"))
        cli_printf(stdout, "  territory: %s (%s)\n", cli_str(p, "territory_name"),
                   cli_str(p, "territory"));
    if (*cli_str(p, "start") || *cli_str(p, "end"))
        cli_printf(stdout, "  period: %s to %s\n", cli_str(p, "start"), cli_str(p, "end"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(p, "organisations"), i, v) cli_printf(
        stdout, "  organisation %lld %s: %s\n",
        (long long)json_integer_value(json_object_get(v, "org")),
        *cli_str(v, "name") ? cli_str(v, "name") : "(the local administrator)", cli_str(v, "role"));
    json_array_foreach(json_object_get(p, "envelopes"), i, v)
    {
        char amount[32], max[32];
        money(v, "amount", amount);
        money(v, "max_project", max);
        json_t *mi = json_object_get(v, "max_intensity");
        cli_printf(
            stdout,
            "  envelope %lld %s%s%s: %s EUR, max per project %s, intensity %lld/%lld/%lld %%%s\n",
            (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "instrument"),
            *cli_str(v, "funder") ? " of " : "", cli_str(v, "funder"), amount,
            json_integer_value(json_object_get(v, "max_project")) ? max : "none",
            (long long)json_integer_value(json_object_get(mi, "small")),
            (long long)json_integer_value(json_object_get(mi, "medium")),
            (long long)json_integer_value(json_object_get(mi, "large")),
            json_is_true(json_object_get(v, "revolving")) ? ", revolving" : "");
    }
}

static void print_position(json_t *p)
{
    cli_printf(stdout, "%s on %s (euros)\n", cli_str(p, "name"), cli_str(p, "at"));
    cli_printf(stdout, "%-24s %16s %16s %16s %16s %16s\n", "envelope", "amount", "committed",
               "paid", "repaid", "available");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(p, "envelopes"), i, v)
    {
        char name[64], m[5][32];
        ml_snprintf(name, sizeof name, "%s%s%s", cli_str(v, "instrument"),
                    *cli_str(v, "funder") ? "/" : "", cli_str(v, "funder"));
        money(v, "amount", m[0]);
        money(v, "committed", m[1]);
        money(v, "paid", m[2]);
        money(v, "repaid", m[3]);
        money(v, "available", m[4]);
        cli_printf(stdout, "%-24s %16s %16s %16s %16s %16s\n", name, m[0], m[1], m[2], m[3], m[4]);
    }
}

static void print_impact(json_t *p)
{
    char m[6][32];
    json_t *rp = json_object_get(p, "repayments");
    money(p, "cost", m[0]);
    money(p, "aid", m[1]);
    money(p, "aid_per_job_created", m[2]);
    money(rp, "due", m[3]);
    money(rp, "repaid_of_due", m[4]);
    money(rp, "defaulted", m[5]);
    cli_printf(stdout, "%s on %s\n", cli_str(p, "name"), cli_str(p, "at"));
    cli_printf(stdout, "  projects decided: %lld, cost %s EUR, aid %s EUR\n",
               (long long)json_integer_value(json_object_get(p, "projects_decided")), m[0], m[1]);
    json_t *lev = json_object_get(p, "leverage");
    if (json_is_real(lev))
        cli_printf(stdout, "  leverage: %.2f private euros per public euro\n",
                   json_real_value(lev));
    cli_printf(stdout, "  jobs (declared): %lld created, %lld kept; aid per job created: %s EUR\n",
               (long long)json_integer_value(json_object_get(p, "jobs_created")),
               (long long)json_integer_value(json_object_get(p, "jobs_kept")),
               json_is_integer(json_object_get(p, "aid_per_job_created")) ? m[2] : "-");
    json_t *rate = json_object_get(rp, "rate");
    cli_printf(stdout, "  repayments: %s EUR due, %s EUR of it repaid, %s EUR defaulted\n", m[3],
               m[4], m[5]);
    if (json_is_real(rate))
        cli_printf(stdout, "  repayment rate: %.1f %%\n", 100 * json_real_value(rate));
}

static void print_synthesis(json_t *p)
{
    cli_printf(stdout, "%s: %lld interviews of %lld firms\n", cli_str(p, "name"),
               (long long)json_integer_value(json_object_get(p, "interviews")),
               (long long)json_integer_value(json_object_get(p, "firms")));
    const char *k;
    json_t *v;
    cli_printf(stdout, "  needs (mean 0-3, firms with a real or pressing need):\n");
    json_object_foreach(json_object_get(p, "needs"), k, v)
    {
        json_t *mean = json_object_get(v, "mean");
        if (json_is_real(mean))
            cli_printf(stdout, "    %-11s %.2f  %lld\n", k, json_real_value(mean),
                       (long long)json_integer_value(json_object_get(v, "strong")));
    }
    cli_printf(stdout, "  red flags:");
    json_object_foreach(json_object_get(p, "red_flags"), k, v)
        cli_printf(stdout, " %s %lld", k, (long long)json_integer_value(v));
    cli_printf(stdout, "\n  projects by type:\n");
    size_t i;
    json_array_foreach(json_object_get(p, "projects_by_type"), i, v)
    {
        char cost[32];
        money(v, "cost", cost);
        cli_printf(stdout, "    %-18s %lld  %s EUR\n", cli_str(v, "type"),
                   (long long)json_integer_value(json_object_get(v, "projects")), cost);
    }
}

static void print_committee(json_t *p)
{
    cli_printf(stdout, "%s: committee agenda on %s\n", cli_str(p, "name"), cli_str(p, "at"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(p, "projects"), i, v)
    {
        char s[32], a[32];
        money(v, "requested_subsidy", s);
        money(v, "requested_advance", a);
        cli_printf(stdout, "  #%lld %s — %s: subsidy %s, advance %s EUR: %s%s\n",
                   (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "title"),
                   cli_str(v, "firm"), s, a,
                   json_is_true(json_object_get(v, "passes")) ? "passes the rules" : "REFUSED: ",
                   cli_str(v, "reason"));
    }
    if (!json_array_size(json_object_get(p, "projects")))
        cli_printf(stdout, "  no project at the committee stage\n");
    json_array_foreach(json_object_get(p, "envelopes"), i, v)
    {
        char b[32], r[32], af[32];
        money(v, "available_before", b);
        money(v, "requested", r);
        money(v, "available_after", af);
        cli_printf(stdout, "  envelope %s: available %s, requested %s, after %s EUR\n",
                   cli_str(v, "instrument"), b, r, af);
    }
}

static int run(cli *c, const cli_args *a)
{
    static const char *const actions =
        "add|list|show|position|impact|synthesis|export|envelope|member";
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    if (!action) return cli_usage("programme", "say what to do: %s", actions);
    bool add = !strcmp(action, "add"), list = !strcmp(action, "list"),
         show = !strcmp(action, "show"), position = !strcmp(action, "position"),
         envelope = !strcmp(action, "envelope"), member = !strcmp(action, "member"),
         impact = !strcmp(action, "impact"), export = !strcmp(action, "export"),
         synthesis = !strcmp(action, "synthesis"), committee = !strcmp(action, "committee");
    if (!add && !list && !show && !position && !envelope && !member && !impact && !export &&
        !synthesis && !committee)
        return cli_usage("programme", "unknown action '%s' (expected %s)", action, actions);
    if (!list && !arg)
        return cli_usage("programme", "give the programme's %s", add ? "name" : "id or name");
    if (member && a->nargs != 4) return cli_usage("programme", "member PROGRAMME ORG ROLE");
    if (!member && a->nargs > 2) return cli_usage("programme", "too many arguments");
    const char *texts[64];
    size_t n = cli_texts(a, "envelope", texts);
    if (n > 32) return cli_usage("programme", "at most 32 envelopes");
    if (envelope && n != 1)
        return cli_usage("programme", "envelope PROGRAMME --envelope INSTR=EUR[:RULE...]");
    ml_envelope_in envs[32];
    char bufs[32][256];
    for (size_t i = 0; i < n; i++)
        if (envelope_parse(texts[i], &envs[i], bufs[i], sizeof bufs[i]) != 0)
            return cli_usage("programme",
                             "--envelope '%s': INSTRUMENT=EUROS then rules after ':' "
                             "(funder=NAME, max=EUROS, small=PCT, medium=PCT, large=PCT, "
                             "revolving)",
                             texts[i]);
    ml_db *db = NULL;
    int rc = cli_open_db(c, add || envelope || member ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r;
    if (add) {
        ml_programme_in in = {.name = arg,
                              .territory = cli_text(a, "territory", NULL),
                              .start = cli_text(a, "start", NULL),
                              .end = cli_text(a, "end", NULL),
                              .envelopes = envs,
                              .nenvelopes = n,
                              .generated = cli_flag(a, "generated")};
        r = ml_programme_add(db, cli_actor(c), &in, &out);
    } else if (list) {
        r = ml_programme_list(db, cli_actor(c), &out);
    } else if (show) {
        r = ml_programme_show(db, cli_actor(c), arg, &out);
    } else if (envelope) {
        r = ml_programme_envelope(db, cli_actor(c), arg, &envs[0], &out);
    } else if (member) {
        r = ml_programme_member(db, cli_actor(c), arg, cli_arg(a, 2), cli_arg(a, 3), &out);
    } else if (impact) {
        r = ml_programme_impact(db, cli_actor(c), arg, cli_text(a, "at", NULL), &out);
    } else if (synthesis) {
        r = ml_programme_synthesis(db, cli_actor(c), arg, &out);
    } else if (committee) {
        r = ml_programme_committee(db, cli_actor(c), arg, cli_text(a, "at", NULL), &out);
    } else if (export) {
        const char *at = cli_text(a, "at", NULL), *xlsx = cli_text(a, "xlsx", NULL),
                   *csv = cli_text(a, "csv", NULL);
        r = !xlsx && !csv ? ML_INVALID : ML_OK;
        if (r) ml_fail(c->ctx, ML_INVALID, "export needs --xlsx FILE or --csv FILE");
        if (!r && xlsx)
            r = ml_export_programme_report(db, c->ctx, cli_actor(c), arg, at, ML_EXPORT_XLSX, xlsx);
        if (!r && csv)
            r = ml_export_programme_report(db, c->ctx, cli_actor(c), arg, at, ML_EXPORT_CSV, csv);
        if (!r) {
            if (xlsx) cli_printf(stdout, "written %s\n", xlsx);
            if (csv) cli_printf(stdout, "written %s\n", csv);
        }
        out = NULL;
    } else {
        r = ml_programme_position(db, cli_actor(c), arg, cli_text(a, "at", NULL), &out);
    }
    if (r) {
        rc = cli_error(c, r);
    } else if (export) {
        /* said above */
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (list) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "programmes"), i, v) cli_printf(
            stdout, "%lld  %s  (%s)%s\n", (long long)json_integer_value(json_object_get(v, "id")),
            cli_str(v, "name"), cli_str(v, "role"),
            json_is_true(json_object_get(v, "generated")) ? " GENERATED" : "");
        if (!json_array_size(json_object_get(out, "programmes")))
            cli_printf(stdout, "no programme\n");
    } else if (position) {
        print_position(out);
    } else if (impact) {
        print_impact(out);
    } else if (synthesis) {
        print_synthesis(out);
    } else if (committee) {
        print_committee(out);
    } else {
        print_show(out);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_programme = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add|envelope|member",
    .name = "programme",
    .usage = "add NAME --envelope INSTR=EUR [--envelope ...] [--territory CODE] [--start D] "
             "[--end D] | list | show PROGRAMME | position|impact PROGRAMME [--at D] | synthesis "
             "PROGRAMME | export "
             "PROGRAMME --xlsx FILE | envelope "
             "PROGRAMME --envelope INSTR=EUR | member PROGRAMME ORG ROLE",
    .summary = "programmes: envelopes and their rules, organisations, positions",
    .help = "  add NAME            a programme run by your organisation (its officer)\n"
            "  list                the programmes your organisation runs\n"
            "  show PROGRAMME      one programme (by id or name): organisations, envelopes\n"
            "  position PROGRAMME  per envelope: committed, paid, repaid, available (euros),\n"
            "                      computed from the ledger's entries up to --at\n"
            "  impact PROGRAMME    the decided projects: cost, aid, jobs, leverage, aid per\n"
            "                      job, repayments due, repaid, defaulted (to --at)\n"
            "  committee PROGRAMME the agenda: the projects at the committee stage, each\n"
            "                      checked against the rules, the envelopes before and after\n"
            "  synthesis PROGRAMME the interviews' needs by theme and sector, red flags,\n"
            "                      projects by type and amount\n"
            "  export PROGRAMME    --xlsx FILE and/or --csv FILE: envelopes, projects, ledger\n"
            "                      and impact for the funders\n"
            "  envelope PROGRAMME  adds an envelope\n"
            "  member PROGRAMME ORG ROLE  gives an organisation a role: officer, funder,\n"
            "                      committee or reader\n",
    .options = options,
    .max_args = 4,
    .run = run,
};
