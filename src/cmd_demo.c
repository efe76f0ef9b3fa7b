/* cmd_demo.c — `maillage demo`: synthetic SIRENE files for a real territory. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_demo(cli *c, int argc, char **argv)
{
    ml_demo_opts o = {.territory = "200054807", .seed = 1};
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--territory") == 0 && has_value) {
            o.territory = argv[++i];
        } else if (strcmp(a, "--out") == 0 && has_value) {
            o.outdir = argv[++i];
        } else if ((strcmp(a, "--size") == 0 || strcmp(a, "--seed") == 0) && has_value) {
            char *end = NULL;
            const char *v = argv[++i];
            unsigned long long n = strtoull(v, &end, 10);
            if (!*v || *end || v[0] == '-' || (a[2] == 's' && a[3] == 'i' && n > 100000000ULL))
                return cli_usage("demo", "%s expects a whole number%s", a,
                                 a[3] == 'i' ? " up to 100000000" : "");
            if (a[3] == 'i')
                o.size = n;
            else
                o.seed = n;
        } else {
            return cli_usage("demo", "unknown or incomplete option '%s'", a);
        }
    }
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
