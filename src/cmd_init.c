/* cmd_init.c — `maillage init`: create the database and load reference data. */
#include "cli.h"

int cmd_init(cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1) return cli_usage("init", "unexpected argument '%s'", argv[1]);
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_CREATE, &db);
    if (rc) return rc;
    ml_err r = ml_db_init(db);
    if (r) {
        rc = cli_error(c, r);
    } else {
        json_t *info = NULL;
        if (ml_db_info(db, &info) == ML_OK) {
            json_t *n = json_object_get(info, "counts");
            cli_printf(stdout,
                       "%s: reference data loaded from %s\n"
                       "  %lld communes, %lld EPCI, %lld départements, %lld régions,\n"
                       "  %lld NAF sub-classes, input-output tables for %lld years\n",
                       c->db_path, ml_ctx_datadir(c->ctx),
                       (long long)json_integer_value(json_object_get(n, "communes")),
                       (long long)json_integer_value(json_object_get(n, "epci")),
                       (long long)json_integer_value(json_object_get(n, "departements")),
                       (long long)json_integer_value(json_object_get(n, "regions")),
                       (long long)json_integer_value(json_object_get(n, "naf_subclasses")),
                       (long long)json_integer_value(json_object_get(n, "io_years")));
            json_decref(info);
        }
    }
    ml_db_close(db);
    return rc;
}
