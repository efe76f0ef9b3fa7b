/* cmd_territory.c — `maillage territory CODE`: a territory's summary. */
#include <string.h>

#include "cli.h"

static void print_list(const char *title, json_t *list, long long total)
{
    cli_printf(stdout, "\n%s\n", title);
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        long long n = (long long)json_integer_value(json_object_get(v, "count"));
        const char *code = json_string_value(json_object_get(v, "code"));
        const char *label = json_string_value(json_object_get(v, "label"));
        cli_printf(stdout, "  %-6s %-52.52s %8lld %5.1f%%\n", code ? code : "", label ? label : "",
                   n, total ? 100.0 * (double)n / (double)total : 0);
    }
}

int cmd_territory(cli *c, int argc, char **argv)
{
    const char *code = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (argv[i][0] == '-')
            return cli_usage("territory", "unknown option '%s'", argv[i]);
        else if (!code)
            code = argv[i];
        else
            return cli_usage("territory", "unexpected argument '%s'", argv[i]);
    }
    if (!code) return cli_usage("territory", "give a territory code");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *t = NULL;
    ml_err r = ml_territory_summary(db, code, &t);
    if (r) {
        rc = cli_error(c, r);
    } else if (json) {
        cli_print_json(t);
    } else {
        json_t *info = json_object_get(t, "territory"), *e = json_object_get(t, "establishments");
        long long active = (long long)json_integer_value(json_object_get(e, "active"));
        cli_printf(stdout, "%s %s (%s): %lld communes, population %lld\n",
                   json_string_value(json_object_get(info, "kind")),
                   json_string_value(json_object_get(info, "code")),
                   json_string_value(json_object_get(info, "name")),
                   (long long)json_integer_value(json_object_get(info, "communes")),
                   (long long)json_integer_value(json_object_get(info, "population")));
        if (json_is_true(json_object_get(t, "contains_generated_data")))
            cli_printf(stdout, "NOTE: GENERATED demo data (maillage demo), not real companies\n");
        json_t *restricted = json_object_get(e, "active_restricted");
        char rbuf[32] = "fewer than 3";
        if (!json_is_null(restricted))
            snprintf(rbuf, sizeof rbuf, "%lld", (long long)json_integer_value(restricted));
        cli_printf(stdout,
                   "establishments: %lld active of %lld; %lld employers; %lld placed at their "
                   "commune's centre; restricted diffusion: %s\n",
                   active, (long long)json_integer_value(json_object_get(e, "total")),
                   (long long)json_integer_value(json_object_get(e, "active_employers")),
                   (long long)json_integer_value(json_object_get(e, "active_approximate_position")),
                   rbuf);
        print_list("active establishments by sector (A10)", json_object_get(t, "by_a10"), active);
        print_list("by size band", json_object_get(t, "by_size"), active);
        print_list("top communes", json_object_get(t, "top_communes"), active);
        cli_printf(stdout, "\ncells under 3 establishments are not shown\n");
    }
    json_decref(t);
    ml_db_close(db);
    return rc;
}
