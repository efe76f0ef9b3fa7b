/* cmd_schedule.c — `maillage schedule`: one-to-one meetings of a business
 * convention from a participants file and a requests file; prints how many
 * meetings, their weight, an upper bound and whether the schedule is proven
 * optimal, and writes the schedule (slot,table,a,b) with --out. No database. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "participants",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "CSV: id,side,slots,max_meetings (side A, B, or empty in an open\n"
             "event; slots like 1-6,9,11-20, empty for all; max_meetings empty: no limit)"},
    {.name = "requests",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "CSV: a,b,weight,priority (weight a whole number 1..1000000, default 1;\n"
             "priority must or wish, default wish: every must comes before any wish;\n"
             "a pair asked twice is merged into one request of the larger weight)"},
    {.name = "slots",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 64,
     .help = "slots of the event"},
    {.name = "tables",
     .kind = CLI_INT,
     .value = "T",
     .min = 1,
     .max = 100000,
     .help = "tables: meetings at most in one slot"},
    {.name = "out",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write the schedule: slot,table,a,b"},
    {.name = "locked",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "CSV slot,table,a,b: meetings kept exactly as they are"},
    {.name = "previous",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "a schedule written before (--out): its meetings stay where they\n"
             "still fit, and the rest of the event is filled around them"},
    {.name = "cancel",
     .kind = CLI_TEXT,
     .value = "ID",
     .help = "with --previous: this participant cancelled; their meetings are\n"
             "removed and the freed slots filled without moving the others"},
    {.name = "seed",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 4294967295.0,
     .help = "ties of the heuristic (default 1)"},
    {.name = "show", .kind = CLI_FLAG, .help = "also print every meeting"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static long long jint(json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static int run(cli *c, const cli_args *args)
{
    ml_schedule_opts o = {
        .participants = cli_text(args, "participants", NULL),
        .requests = cli_text(args, "requests", NULL),
        .slots = (unsigned)cli_int(args, "slots", 0),
        .tables = (unsigned)cli_int(args, "tables", 0),
        .locked = cli_text(args, "locked", NULL),
        .previous = cli_text(args, "previous", NULL),
        .cancel = cli_text(args, "cancel", NULL),
        .seed = (uint64_t)cli_int(args, "seed", 1),
    };
    const char *out = cli_text(args, "out", NULL);
    if (!o.participants || !o.requests)
        return cli_usage("schedule", "give --participants FILE and --requests FILE");
    if (!o.slots || !o.tables) return cli_usage("schedule", "give --slots N and --tables T");
    if (o.cancel && !o.previous)
        return cli_usage("schedule", "--cancel needs the schedule it changes: --previous FILE");
    ml_schedule *s = NULL;
    json_t *rep = NULL;
    ml_err r = ml_schedule_run(c->ctx, &o, &s);
    if (!r) r = ml_schedule_report(c->ctx, s, &rep);
    if (!r && out) r = ml_schedule_write(c->ctx, s, out);
    if (r) {
        int rc = cli_error(c, r);
        ml_schedule_free(s);
        json_decref(rep);
        return rc;
    }
    if (cli_flag(args, "json")) {
        if (out) json_object_set_new(rep, "out", json_string(out));
        cli_print_json(rep);
    } else {
        bool optimal = json_is_true(json_object_get(rep, "optimal"));
        cli_printf(stdout, "%lld meetings of %lld requests, total weight %lld\n",
                   jint(rep, "meetings"), jint(rep, "requests"), jint(rep, "weight"));
        json_t *musts = json_object_get(rep, "musts");
        if (musts)
            cli_printf(stdout, "must-meet requests: %lld met of %lld (at most %lld can be)\n",
                       jint(musts, "met"), jint(musts, "requested"), jint(musts, "upper_bound"));
        if (musts && optimal && jint(rep, "weight") < jint(rep, "upper_bound"))
            cli_printf(stdout,
                       "proven optimal: the most must-meet requests, then the most weight (without "
                       "priorities the weight could reach at most %lld)\n",
                       jint(rep, "upper_bound"));
        else
            cli_printf(stdout, "upper bound %lld: %s\n", jint(rep, "upper_bound"),
                       optimal ? "proven optimal" : "not proven optimal");
        if (!optimal)
            cli_printf(stdout, "gap to the bound %.2f %%\n",
                       json_number_value(json_object_get(rep, "gap_percent")));
        cli_printf(stdout, "method: %s; idle gaps %lld; checked: every constraint holds\n",
                   cli_str(rep, "method"), jint(rep, "idle_gaps"));
        if (jint(rep, "merged_requests"))
            cli_printf(stdout,
                       "%lld duplicate request(s) merged (one meeting, the larger weight)\n",
                       jint(rep, "merged_requests"));
        json_t *u = json_object_get(rep, "first_unplaceable");
        if (u)
            cli_printf(stdout,
                       "%lld request(s) can never be met: the two share no available slot "
                       "(first: %s:%lld)\n",
                       jint(rep, "unplaceable_requests"), cli_str(u, "file"), jint(u, "line"));
        json_t *prev = json_object_get(rep, "previous"), *can = json_object_get(rep, "cancelled");
        if (can)
            cli_printf(stdout, "%s cancelled: %lld meeting(s) removed\n", cli_str(can, "id"),
                       jint(can, "meetings"));
        if (prev)
            cli_printf(stdout,
                       "previous schedule: %lld meeting(s) kept in place, %lld moved, %lld no "
                       "longer placed\n",
                       jint(prev, "kept"), jint(prev, "moved"), jint(prev, "dropped"));
        if (cli_flag(args, "show")) {
            for (size_t i = 0, n = ml_schedule_count(s); i < n; i++) {
                unsigned slot, table;
                const char *a, *b;
                ml_schedule_meeting(s, i, &slot, &table, &a, &b);
                cli_printf(stdout, "  slot %u, table %u: %s - %s\n", slot, table, a, b);
            }
        }
        if (out) cli_printf(stdout, "schedule written to %s\n", out);
    }
    ml_schedule_free(s);
    json_decref(rep);
    return CLI_OK;
}

const cli_command cmd_schedule = {
    .name = "schedule",
    .usage = "--participants FILE --requests FILE --slots N --tables T [--out FILE]\n"
             "       [--locked FILE] [--previous FILE [--cancel ID]] [--seed N] [--show] [--json]",
    .summary = "one-to-one meetings of a business convention: an optimal or bounded schedule",
    .help = "  Two-sided events whose participants share their slots get a proven optimum;\n"
            "  others a heuristic schedule with an upper bound beside it. Every schedule is\n"
            "  checked against every rule before it is printed or written. No database.\n",
    .options = options,
    .max_args = 0,
    .run = run,
};
