/* cmd_suggest.c — `maillage suggest KIND TEXT`: what the filter boxes of the
 * web UI suggest while one types (communes by name, code or postcode, EPCI,
 * départements, régions, NAF codes, labels and trade words). */
#include "cli.h"

int cmd_suggest(cli *c, int argc, char **argv)
{
    const char *kind = NULL, *text = NULL;
    bool json = false;
    unsigned limit = 10;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--limit") == 0) {
            char *end = NULL;
            unsigned long n = i + 1 < argc ? strtoul(argv[++i], &end, 10) : 0;
            if (!end || *end || n < 1 || n > 50)
                return cli_usage("suggest", "--limit expects a number from 1 to 50");
            limit = (unsigned)n;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("suggest", "unknown option '%s'", argv[i]);
        } else if (!kind) {
            kind = argv[i];
        } else if (!text) {
            text = argv[i];
        } else {
            return cli_usage("suggest", "unexpected argument '%s' (quote a text of several words)",
                             argv[i]);
        }
    }
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
