/* cmd_demo.c — `maillage demo`: synthetic SIRENE files for a real territory. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "territory",
     .kind = CLI_TEXT,
     .value = "CODE",
     .help = "EPCI, département or reg:CODE (default 200054807, Aix-Marseille)"},
    {.name = "out", .kind = CLI_TEXT, .value = "DIR", .help = "output folder (required)"},
    {.name = "size",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 100000000,
     .help = "establishments (default: in proportion to population)"},
    {.name = "seed",
     .kind = CLI_INT,
     .value = "S",
     .min = 0,
     .max = 999999999999999,
     .help = "same seed, same files (default 1)"},
    {.name = "json", .kind = CLI_FLAG, .help = "the summary as JSON"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    ml_demo_opts o = {.territory = cli_text(a, "territory", "200054807"),
                      .outdir = cli_text(a, "out", NULL),
                      .size = (uint64_t)cli_int(a, "size", 0),
                      .seed = (uint64_t)cli_int(a, "seed", 1)};
    bool json = cli_flag(a, "json");
    if (!o.outdir) return cli_usage("demo", "--out DIR is required");
    /* The generator reads only reference data: a private in-memory database. */
    ml_db *db = NULL;
    ml_err r = ml_db_open(c->ctx, ":memory:", ML_DB_CREATE, &db);
    if (!r) r = ml_db_init(db);
    json_t *sum = NULL;
    if (!r) r = ml_demo_generate(db, &o, &sum);
    int rc = CLI_OK;
    if (r) {
        rc = cli_error(c, r);
    } else if (json) {
        cli_print_json(sum);
    } else {
        json_t *t = json_object_get(sum, "territory"), *f = json_object_get(sum, "files");
        cli_printf(stdout,
                   "GENERATED (synthetic) SIRENE files for %s %s:\n  %s (%lld establishments, of "
                   "which %lld deliberately bad rows)\n  %s (%lld legal units)\n",
                   json_string_value(json_object_get(t, "code")),
                   json_string_value(json_object_get(t, "name")),
                   json_string_value(json_object_get(f, "establishments")),
                   (long long)json_integer_value(json_object_get(sum, "establishments")),
                   (long long)json_integer_value(json_object_get(sum, "bad_rows")),
                   json_string_value(json_object_get(f, "legal_units")),
                   (long long)json_integer_value(json_object_get(sum, "legal_units")));
    }
    json_decref(sum);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_demo = {
    .name = "demo",
    .usage = "--territory CODE --out DIR [--size N] [--seed S] [--json]",
    .summary = "write synthetic SIRENE-format files for a real territory",
    .help = "Every generated company is named \"DÉMO …\" and flagged as generated.\n",
    .options = options,
    .max_args = 0,
    .run = run,
};
