/* cmd_ledger.c — `maillage ledger pay|repay|cancel|list` (issue 13): the
 * payments, repayments and cancellations of a programme's ledger (the
 * commitments come from decisions), and the ledger itself. */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "amount",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "the amount (required)",
     .only = "pay|repay|cancel"},
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "its day (default today)",
     .only = "pay|repay|cancel"},
    {.name = "instrument",
     .kind = CLI_TEXT,
     .value = "NAME",
     .help = "subsidy, advance...: when the project has several",
     .only = "pay|repay|cancel"},
    {.name = "note",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "a note",
     .only = "pay|repay|cancel"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    if (!action) return cli_usage("ledger", "say what to do: pay, repay, cancel or list");
    bool list = !strcmp(action, "list");
    if (!list && strcmp(action, "pay") && strcmp(action, "repay") && strcmp(action, "cancel"))
        return cli_usage("ledger", "unknown action '%s' (expected pay, repay, cancel or list)",
                         action);
    if (!arg || a->nargs != 2)
        return cli_usage("ledger", list ? "list PROGRAMME" : "%s PROJECT --amount EUR", action);
    int64_t id = 0, amount = 0;
    if (!list && ml_parse_i64(arg, strlen(arg), 1, INT64_MAX, &id) != 0)
        return cli_usage("ledger", "'%s' is not a project ID", arg);
    const char *am = cli_text(a, "amount", NULL);
    if (!list && (!am || ml_euros_parse(am, &amount) != 0))
        return cli_usage("ledger", "--amount: an amount in euros (1500000 or 1500000.50)");
    ml_db *db = NULL;
    int rc = cli_open_db(c, list ? ML_DB_READONLY : 0, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r;
    if (list) {
        r = ml_ledger_list(db, cli_actor(c), arg, &out);
    } else {
        ml_entry_in in = {.project = id,
                          .kind = action,
                          .instrument = cli_text(a, "instrument", NULL),
                          .amount = amount,
                          .date = cli_text(a, "date", NULL),
                          .note = cli_text(a, "note", NULL)};
        r = ml_ledger_add(db, cli_actor(c), &in, &out);
    }
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (list) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "entries"), i, v)
        {
            char m[32];
            ml_euros_format(json_integer_value(json_object_get(v, "amount")), m, sizeof m);
            cli_printf(stdout, "%s  %-6s  project %lld  %s%s%s  %s EUR\n", cli_str(v, "day"),
                       cli_str(v, "kind"),
                       (long long)json_integer_value(json_object_get(v, "project")),
                       cli_str(v, "instrument"), *cli_str(v, "funder") ? "/" : "",
                       cli_str(v, "funder"), m);
        }
        if (!json_array_size(json_object_get(out, "entries"))) cli_printf(stdout, "no entry\n");
    } else {
        json_t *e = NULL, *v; /* the entry just written: the latest id */
        size_t i;
        json_array_foreach(json_object_get(out, "entries"), i,
                           v) if (!e || json_integer_value(json_object_get(v, "id")) >
                                            json_integer_value(json_object_get(e, "id"))) e = v;
        char m[32];
        ml_euros_format(json_integer_value(json_object_get(e, "amount")), m, sizeof m);
        cli_printf(stdout, "entry %lld: %s %s EUR on %s (project %lld)\n",
                   (long long)json_integer_value(json_object_get(e, "id")), cli_str(e, "kind"), m,
                   cli_str(e, "day"), (long long)id);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_ledger = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "pay|repay|cancel",
    .name = "ledger",
    .usage =
        "pay|repay|cancel PROJECT --amount EUR [--date D] [--instrument NAME] | list PROGRAMME",
    .summary = "a programme's ledger: payments, repayments, cancellations",
    .help = "  pay PROJECT     a payment of committed aid\n"
            "  repay PROJECT   a repayment of an advance (follows its schedule)\n"
            "  cancel PROJECT  cancels committed aid not yet paid\n"
            "  list PROGRAMME  every entry, oldest first\n"
            "  Refused (exit 1, with the reason) when it pays more than is committed,\n"
            "  repays more than is paid or a subsidy, or cancels what is paid.\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
