/* cmd_campaign.c — `maillage campaign …` (issue 13, item 2): a programme's
 * interview campaigns: the firms to meet (suggested from the register and
 * the territory's diagnostics, or added by hand, removed with a reason),
 * their planned visits and status, workshops, the engineering budget in
 * person-days they consume, and the synthesis of the campaign's
 * interviews. */
#include <math.h>

#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "name",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "the campaign's name",
     .only = "add"},
    {.name = "start",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the campaign's first day",
     .only = "add"},
    {.name = "end",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the campaign's last day",
     .only = "add"},
    {.name = "generated",
     .kind = CLI_FLAG,
     .help = "a demo campaign, marked as generated",
     .only = "add"},
    {.name = "top",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 500,
     .help = "suggestions shown (default 30)",
     .only = "suggest"},
    {.name = "save",
     .kind = CLI_FLAG,
     .help = "put the suggestions not yet on the list (nor removed from it) on it",
     .only = "suggest"},
    {.name = "siret",
     .kind = CLI_TEXT,
     .value = "SIRET",
     .help = "the establishment (required)",
     .only = "firm|visit|status"},
    {.name = "reason",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "why it is added (required) or removed",
     .only = "firm"},
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the visit's or the workshop's day",
     .only = "visit|workshop"},
    {.name = "time",
     .kind = CLI_TEXT,
     .value = "HH:MM",
     .help = "the visit's time",
     .only = "visit"},
    {.name = "consultant",
     .kind = CLI_TEXT,
     .value = "NAME",
     .help = "who visits",
     .only = "visit"},
    {.name = "days",
     .kind = CLI_NUMBER,
     .value = "D",
     .min = 0.1,
     .max = 10000,
     .help = "person-days: a visit's (default 1), a workshop's (required), the budget",
     .only = "visit|status|workshop|budget"},
    {.name = "status",
     .kind = CLI_CHOICE,
     .value = "STATUS",
     .choices = "to_contact|planned|done|declined",
     .help = "the visit's status (done consumes its days)",
     .only = "status"},
    {.name = "title",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "the workshop's title",
     .only = "workshop"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static const char usage[] =
    "add PROGRAMME --name N [--start D --end D] | list PROGRAMME | show CAMPAIGN | "
    "suggest CAMPAIGN [--top N] [--save] | firm add|remove CAMPAIGN --siret S [--reason R] | "
    "visit CAMPAIGN --siret S --date D [--time HH:MM] [--consultant C] [--days D] | "
    "status CAMPAIGN --siret S --status STATUS [--days D] | "
    "workshop CAMPAIGN --title T --date D --days D | budget PROGRAMME [--days D] | "
    "synthesis CAMPAIGN";

static int64_t tenths(const cli_args *a)
{
    double d = cli_number(a, "days", 0);
    return (int64_t)llround(d * 10);
}

static int campaign_id(const char *s, int64_t *id)
{
    if (!s || ml_parse_i64(s, strlen(s), 1, INT64_MAX, id) != 0)
        return cli_usage("campaign", "'%s' is not a campaign's id (a whole number)", s ? s : "");
    return 0;
}

static void days_text(json_t *o, const char *key, char *out, size_t size)
{
    long long t = (long long)json_integer_value(json_object_get(o, key));
    snprintf(out, size, "%lld.%lld", t / 10, t % 10);
}

static void print_engineering(json_t *e)
{
    char b[24], c[24], r[24], l[24];
    days_text(e, "budget", b, sizeof b);
    days_text(e, "consumed", c, sizeof c);
    days_text(e, "reserved", r, sizeof r);
    days_text(e, "left", l, sizeof l);
    cli_printf(stdout, "engineering: budget %s person-days, consumed %s, reserved %s, left %s\n", b,
               c, r, l);
}

static void print_firm(json_t *f)
{
    cli_printf(stdout, "  #%lld  %s  %s (%s)  [%s, %s, score %lld]",
               (long long)json_integer_value(json_object_get(f, "id")), cli_str(f, "siret"),
               *cli_str(f, "firm") ? cli_str(f, "firm") : "?", cli_str(f, "city"),
               cli_str(f, "status"), cli_str(f, "source"),
               (long long)json_integer_value(json_object_get(f, "score")));
    if (*cli_str(f, "visit_day"))
        cli_printf(stdout, "  visit %s %s %s (%s d)", cli_str(f, "visit_day"),
                   cli_str(f, "visit_time"), cli_str(f, "consultant"), cli_str(f, "days"));
    if (*cli_str(f, "note")) cli_printf(stdout, "  — %s", cli_str(f, "note"));
    cli_printf(stdout, "\n");
}

static void print_reasons(json_t *rs)
{
    size_t i;
    json_t *r;
    json_array_foreach(rs, i, r)
        cli_printf(stdout, "      +%lld %s [%s]\n",
                   (long long)json_integer_value(json_object_get(r, "points")), cli_str(r, "text"),
                   cli_str(r, "source"));
}

static void print_out(const char *action, json_t *out)
{
    size_t i;
    json_t *v;
    if (!strcmp(action, "list")) {
        json_array_foreach(json_object_get(out, "campaigns"), i, v)
            cli_printf(stdout, "#%lld  %s  %s..%s  %lld firms, %lld planned, %lld done\n",
                       (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "name"),
                       cli_str(v, "start"), cli_str(v, "end"),
                       (long long)json_integer_value(json_object_get(v, "firms")),
                       (long long)json_integer_value(json_object_get(v, "planned")),
                       (long long)json_integer_value(json_object_get(v, "done")));
        if (!json_array_size(json_object_get(out, "campaigns")))
            cli_printf(stdout, "no campaign\n");
        print_engineering(json_object_get(out, "engineering"));
    } else if (!strcmp(action, "add") || !strcmp(action, "show")) {
        cli_printf(stdout, "campaign %lld: %s (programme %s)\n",
                   (long long)json_integer_value(json_object_get(out, "id")), cli_str(out, "name"),
                   cli_str(out, "programme_name"));
        json_array_foreach(json_object_get(out, "firms"), i, v) print_firm(v);
        json_array_foreach(json_object_get(out, "removed"), i, v) print_firm(v);
        json_array_foreach(json_object_get(out, "workshops"), i, v)
            cli_printf(stdout, "  workshop %s  %s (%s d)\n", cli_str(v, "day"), cli_str(v, "title"),
                       cli_str(v, "days"));
        print_engineering(json_object_get(out, "engineering"));
    } else if (!strcmp(action, "suggest")) {
        cli_printf(stdout, "%lld industrial establishments with employees considered in %s\n",
                   (long long)json_integer_value(json_object_get(out, "considered")),
                   cli_str(out, "territory_name"));
        json_array_foreach(json_object_get(out, "suggestions"), i, v)
        {
            cli_printf(stdout, "%3lld  %s  %s (%s)%s%s\n",
                       (long long)json_integer_value(json_object_get(v, "score")),
                       cli_str(v, "siret"), cli_str(v, "firm"), cli_str(v, "city"),
                       *cli_str(v, "on_list") ? "  on the list: " : "", cli_str(v, "on_list"));
            print_reasons(json_object_get(v, "reasons"));
        }
        if (json_integer_value(json_object_get(out, "added")))
            cli_printf(stdout, "%lld added to the list\n",
                       (long long)json_integer_value(json_object_get(out, "added")));
    } else if (!strcmp(action, "budget")) {
        print_engineering(json_object_get(out, "engineering"));
    } else if (!strcmp(action, "workshop")) {
        cli_printf(stdout, "%lld\n", (long long)json_integer_value(json_object_get(out, "id")));
    } else if (!strcmp(action, "synthesis")) {
        cli_printf(stdout, "campaign %s: %lld interviews, %lld firms met\n",
                   cli_str(out, "campaign_name"),
                   (long long)json_integer_value(json_object_get(out, "interviews")),
                   (long long)json_integer_value(json_object_get(out, "firms")));
        const char *k;
        json_object_foreach(json_object_get(out, "needs"), k,
                            v) if (json_integer_value(json_object_get(v, "scored")))
            cli_printf(stdout, "  %-11s mean %.2f, strong %lld of %lld\n", k,
                       json_number_value(json_object_get(v, "mean")),
                       (long long)json_integer_value(json_object_get(v, "strong")),
                       (long long)json_integer_value(json_object_get(v, "scored")));
        json_object_foreach(json_object_get(out, "red_flags"), k, v)
            cli_printf(stdout, "  flag %s: %lld\n", k, (long long)json_integer_value(v));
    } else {
        print_firm(out);
    }
}

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0);
    static const char *const writes[] = {"add", "firm", "visit", "status", "workshop", "budget"};
    static const char *const reads[] = {"list", "show", "suggest", "synthesis"};
    bool write = false, known = false;
    for (size_t i = 0; action && i < ML_ARRAY_LEN(writes); i++)
        write = write || !strcmp(action, writes[i]);
    for (size_t i = 0; action && i < ML_ARRAY_LEN(reads); i++)
        known = known || !strcmp(action, reads[i]);
    bool firm = action && !strcmp(action, "firm");
    const char *sub = firm ? cli_arg(a, 1) : NULL;
    const char *target = cli_arg(a, firm ? 2 : 1);
    if ((!write && !known) || !target || a->nargs != (firm ? 3u : 2u) ||
        (firm && strcmp(sub, "add") && strcmp(sub, "remove")))
        return cli_usage("campaign", "%s", usage);
    if (!strcmp(action, "budget") && cli_number(a, "days", 0) <= 0) write = false;
    if (!strcmp(action, "suggest") && cli_flag(a, "save")) write = true;
    int64_t id = 0;
    bool by_programme =
        !strcmp(action, "add") || !strcmp(action, "list") || !strcmp(action, "budget");
    if (!by_programme && campaign_id(target, &id)) return CLI_USAGE;
    ml_db *db = NULL;
    int rc = cli_open_db(c, write ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    const ml_actor *who = cli_actor(c);
    json_t *out = NULL;
    ml_err r;
    const char *siret = cli_text(a, "siret", NULL);
    if (!strcmp(action, "add")) {
        ml_campaign_in in = {.programme = target,
                             .name = cli_text(a, "name", NULL),
                             .start = cli_text(a, "start", NULL),
                             .end = cli_text(a, "end", NULL),
                             .generated = cli_flag(a, "generated")};
        r = ml_campaign_add(db, who, &in, &out);
    } else if (!strcmp(action, "list")) {
        r = ml_campaign_list(db, who, target, &out);
    } else if (!strcmp(action, "show")) {
        r = ml_campaign_show(db, who, id, &out);
    } else if (!strcmp(action, "suggest")) {
        r = ml_campaign_suggest(db, who, id, (unsigned)cli_int(a, "top", 0), cli_flag(a, "save"),
                                &out);
    } else if (firm && !strcmp(sub, "add")) {
        r = ml_campaign_firm_add(db, who, id, siret, cli_text(a, "reason", NULL), &out);
    } else if (firm) {
        r = ml_campaign_firm_remove(db, who, id, siret, cli_text(a, "reason", NULL), &out);
    } else if (!strcmp(action, "visit")) {
        ml_visit_in in = {.siret = siret,
                          .date = cli_text(a, "date", NULL),
                          .time = cli_text(a, "time", NULL),
                          .consultant = cli_text(a, "consultant", NULL),
                          .tenths = tenths(a)};
        r = ml_campaign_visit(db, who, id, &in, &out);
    } else if (!strcmp(action, "status")) {
        r = ml_campaign_status(db, who, id, siret, cli_text(a, "status", NULL), tenths(a), &out);
    } else if (!strcmp(action, "workshop")) {
        r = ml_campaign_workshop(db, who, id, cli_text(a, "title", NULL), cli_text(a, "date", NULL),
                                 tenths(a), &out);
    } else if (!strcmp(action, "budget")) {
        r = write ? ml_programme_engineering(db, who, target, tenths(a), &out)
                  : ml_programme_engineering_position(db, who, target, &out);
    } else {
        r = ml_campaign_synthesis(db, who, id, &out);
    }
    if (!r && write) cli_audit(c, db, &cmd_campaign, a); /* reads are not audited */
    if (r)
        rc = cli_error(c, r);
    else if (cli_flag(a, "json"))
        cli_print_json(out);
    else
        print_out(action, out);
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_campaign = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add|suggest|firm|visit|status|workshop|budget",
    .audit_self = true, /* suggest without --save and budget without --days only read */
    .name = "campaign",
    .usage = usage,
    .summary = "interview campaigns of a programme: firms to meet, visits, engineering budget",
    .help = "  add PROGRAMME          a campaign (name, period) of the programme\n"
            "  list PROGRAMME         its campaigns and the engineering budget's position\n"
            "  show CAMPAIGN          the firms on the list, their visits, the workshops\n"
            "  suggest CAMPAIGN       industrial firms of the programme's territory with\n"
            "                         employees, scored with their reasons and sources\n"
            "                         (docs/methods.md); --save puts them on the list\n"
            "  firm add CAMPAIGN      add an establishment with --reason\n"
            "  firm remove CAMPAIGN   take one off the list (kept with its --reason)\n"
            "  visit CAMPAIGN         plan a firm's visit: --date, --time, --consultant,\n"
            "                         --days (reserved on the engineering budget)\n"
            "  status CAMPAIGN        to_contact, planned, done (days consumed), declined\n"
            "  workshop CAMPAIGN      a workshop consuming --days of the budget\n"
            "  budget PROGRAMME       the engineering budget in person-days (--days sets it)\n"
            "  synthesis CAMPAIGN     needs, red flags and projects of its interviews\n"
            "  Visits and workshops never go past the budget: refused with the figures.\n",
    .options = options,
    .max_args = 3,
    .run = run,
};
