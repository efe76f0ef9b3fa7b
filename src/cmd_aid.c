/* cmd_aid.c — `maillage aid add|show SIREN` (issue 13): aid a company got
 * outside maillage's programmes, counted against its de minimis ceiling
 * (300,000 euros over three rolling years), and what it has used. */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "amount",
     .kind = CLI_TEXT,
     .value = "EUR",
     .help = "the aid (required)",
     .only = "add"},
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "when it was granted (default today)",
     .only = "add"},
    {.name = "source",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "who granted it (required)",
     .only = "add"},
    {.name = "at",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "the three years ending that day",
     .only = "show"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *siren = cli_arg(a, 1);
    bool add = action && !strcmp(action, "add");
    if (!action || (!add && strcmp(action, "show")) || !siren || a->nargs != 2)
        return cli_usage("aid", "add SIREN --amount EUR --source TEXT | show SIREN");
    int64_t amount = 0;
    const char *am = cli_text(a, "amount", NULL);
    if (add && (!am || ml_euros_parse(am, &amount) != 0))
        return cli_usage("aid", "--amount: an amount in euros");
    ml_db *db = NULL;
    int rc = cli_open_db(c, add ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r = add ? ml_aid_add(db, cli_actor(c), siren, cli_text(a, "date", NULL), amount,
                                cli_text(a, "source", NULL), &out)
                   : ml_de_minimis(db, cli_actor(c), siren, cli_text(a, "at", NULL), &out);
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else {
        char m[3][32];
        ml_euros_format(json_integer_value(json_object_get(out, "programmes")), m[0], 32);
        ml_euros_format(json_integer_value(json_object_get(out, "other")), m[1], 32);
        ml_euros_format(json_integer_value(json_object_get(out, "left")), m[2], 32);
        cli_printf(stdout,
                   "SIREN %s, aid after %s up to %s: programmes %s EUR, other %s EUR; "
                   "left under the de minimis ceiling: %s EUR\n",
                   siren, cli_str(out, "after"), cli_str(out, "at"), m[0], m[1], m[2]);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_aid = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add",
    .name = "aid",
    .usage = "add SIREN --amount EUR --source TEXT [--date D] | show SIREN [--at D]",
    .summary = "a company's aid against the de minimis ceiling",
    .help = "  add SIREN   aid granted elsewhere (counted against the ceiling)\n"
            "  show SIREN  aid of the three years to --at, and what is left\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
