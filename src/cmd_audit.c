/* cmd_audit.c — `maillage audit [--since DAY] [--csv FILE]`: the audit log,
 * every write with who, when and from where; append-only. */
#define _XOPEN_SOURCE 700
#include <time.h>

#include "cli.h"

static const cli_option options[] = {
    {.name = "since",
     .kind = CLI_TEXT,
     .value = "DAY",
     .help = "entries from this day (YYYY-MM-DD)"},
    {.name = "limit",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 1000000,
     .help = "at most N entries on screen (default 1000)"},
    {.name = "csv",
     .kind = CLI_TEXT,
     .value = "FILE",
     .help = "write every entry as CSV for a French spreadsheet ('-': standard output)"},
    {.name = "plain", .kind = CLI_FLAG, .help = "with --csv: plain CSV (commas, no BOM)"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    int64_t since = 0;
    const char *day = cli_text(a, "since", NULL);
    if (day) {
        struct tm tm = {0};
        const char *end = strptime(day, "%Y-%m-%d", &tm);
        if (!end || *end)
            return cli_usage("audit", "--since expects a day YYYY-MM-DD, not '%s'", day);
        since = (int64_t)timegm(&tm);
    }
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    ml_err e;
    const char *csv = cli_text(a, "csv", NULL);
    if (csv) {
        e = ml_audit_export(db, &c->actor, since, cli_flag(a, "plain"), csv);
    } else {
        json_t *list = NULL;
        e = ml_audit_list(db, &c->actor, since, (unsigned)cli_int(a, "limit", 1000), &list);
        if (!e && cli_flag(a, "json")) {
            cli_print_json(list);
        } else if (!e) {
            size_t i;
            json_t *o;
            json_array_foreach(list, i, o)
            {
                cli_printf(stdout, "%s  %-28s %-16s %s %s%s%s\n", cli_str(o, "at"),
                           cli_str(o, "actor"), cli_str(o, "address"), cli_str(o, "action"),
                           cli_str(o, "target"), *cli_str(o, "detail") ? " — " : "",
                           cli_str(o, "detail"));
            }
            if (json_array_size(list) == 0) cli_printf(stdout, "no entry\n");
        }
        json_decref(list);
    }
    if (e) rc = cli_error(c, e);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_audit = {
    .name = "audit",
    .usage = "[--since DAY] [--limit N] [--csv FILE [--plain]] [--json]",
    .summary = "the audit log: every write, who, when, from which address",
    .help = "The log is append-only: the database refuses to change or delete an entry.\n",
    .options = options,
    .max_args = 0,
    .run = run,
    .role = ML_ROLE_ADMIN,
};
