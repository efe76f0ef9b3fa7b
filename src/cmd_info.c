/* cmd_info.c — `maillage info`: what the database holds. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    bool json = cli_flag(a, "json");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *info = NULL;
    ml_err r = ml_db_info(db, &info);
    if (r) {
        rc = cli_error(c, r);
    } else if (json) {
        cli_print_json(info);
    } else {
        json_t *n = json_object_get(info, "counts");
        const char *key;
        json_t *v;
        char shown[1024];
        cli_db_shown(c, shown, sizeof shown);
        cli_printf(stdout, "%s\n", shown);
        json_object_foreach(n, key, v)
        {
            if (json_is_null(v))
                cli_printf(stdout, "  %-28s fewer than 3\n", key);
            else
                cli_printf(stdout, "  %-28s %lld\n", key, (long long)json_integer_value(v));
        }
        if (json_is_true(json_object_get(info, "contains_generated_data")))
            cli_printf(stdout,
                       "  NOTE: this database holds GENERATED demo data, not real companies\n");
    }
    json_decref(info);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_info = {
    .name = "info",
    .usage = "[--json]",
    .summary = "what the database holds",
    .help = NULL,
    .options = options,
    .max_args = 0,
    .run = run,
};
