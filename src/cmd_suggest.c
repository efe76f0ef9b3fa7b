/* cmd_suggest.c — `maillage suggest KIND TEXT`: what the filter boxes of the
 * web UI suggest while one types (communes by name, code or postcode, EPCI,
 * départements, régions, NAF codes, labels and trade words). */
#include "cli.h"

static const cli_option options[] = {
    {.name = "limit",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 50,
     .help = "at most N (default 10)"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *kind = cli_arg(a, 0), *text = cli_arg(a, 1);
    bool json = cli_flag(a, "json");
    unsigned limit = (unsigned)cli_int(a, "limit", 10);
    if (!kind || !text)
        return cli_usage("suggest",
                         "give a kind (commune, epci, departement, region, naf) and a text");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r = ml_suggest(db, kind, text, limit, &out);
    if (r) {
        rc = cli_error(c, r);
    } else if (json) {
        cli_print_json(out);
    } else {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(out, "suggestions"), i, v)
        {
            const char *detail = json_string_value(json_object_get(v, "detail"));
            cli_printf(stdout, "%-12s %s%s%s\n", json_string_value(json_object_get(v, "code")),
                       json_string_value(json_object_get(v, "label")),
                       detail && *detail ? " · " : "", detail ? detail : "");
        }
        if (json_array_size(json_object_get(out, "suggestions")) == 0)
            cli_printf(stdout, "no %s matches \"%s\"\n", kind, text);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_suggest = {
    .name = "suggest",
    .usage = "commune|epci|departement|region|naf TEXT [--limit N] [--json]",
    .summary = "names and codes that match a text: what the filter boxes suggest",
    .help = "  commune TEXT      by name, INSEE code or postcode (biggest first)\n"
            "  epci|departement|region TEXT   by name or code\n"
            "  naf TEXT          NAF codes by prefix, labels and trade words\n"
            "(quote a text of several words)\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
