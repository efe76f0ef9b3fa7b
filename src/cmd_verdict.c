/* cmd_verdict.c — `maillage verdict SUPPLIER BUYER accept|reject|note|withdraw`:
 * what people say of a suggested pair (a rejected pair is never proposed
 * again; withdraw undoes an accept or a reject, the history stays). */
#include "cli.h"

static const cli_option options[] = {
    {.name = "note",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "the remark (required with note; at most 4,000 bytes)"},
    {.name = "by", .kind = CLI_TEXT, .value = "NAME", .help = "who says so (default $USER: the local account)"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    if (a->nargs != 3)
        return cli_usage("verdict", "give SUPPLIER_SIRET BUYER_SIRET accept|reject|note|withdraw");
    const char *supplier = cli_arg(a, 0), *buyer = cli_arg(a, 1), *verdict = cli_arg(a, 2);
    const char *note = cli_text(a, "note", NULL), *author = cli_text(a, "by", cli_actor(c)->name);
    ml_db *db = NULL;
    int rc = cli_open_db(c, 0, &db);
    if (rc) return rc;
    ml_err r = ml_verdict_add_as(db, cli_actor(c), supplier, buyer, verdict, note, author);
    if (r)
        rc = cli_error(c, r);
    else
        cli_printf(stdout, "%s: %s supplies %s — recorded%s%s\n", verdict, supplier, buyer,
                   author ? " by " : "", author ? author : "");
    ml_db_close(db);
    return rc;
}

const cli_command cmd_verdict = {
    .name = "verdict",
    .usage = "SUPPLIER_SIRET BUYER_SIRET accept|reject|note|withdraw [--note TEXT] [--by NAME]",
    .summary = "record a verdict on a suggested pair (a rejected pair is never proposed again)",
    .help = "  accept   a known link: listed by `maillage links`\n"
            "  reject   never proposed again, in either direction\n"
            "  note     a remark (--note TEXT is required)\n"
            "  withdraw undo the pair's accept or reject (the history is kept)\n",
    .options = options,
    .max_args = 3,
    .run = run,
    .role = ML_ROLE_OFFICER,
};
