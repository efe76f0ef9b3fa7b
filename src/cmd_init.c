/* cmd_init.c — `maillage init`: create the database and load reference data. */
#include "cli.h"

static int run(cli *c, const cli_args *a)
{
    (void)a;
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
                       "  %lld NAF sub-classes, input-output tables for %lld years,\n"
                       "  %lld CPV 2008 codes of public procurement\n",
                       c->db_path, ml_ctx_datadir(c->ctx),
                       (long long)json_integer_value(json_object_get(n, "communes")),
                       (long long)json_integer_value(json_object_get(n, "epci")),
                       (long long)json_integer_value(json_object_get(n, "departements")),
                       (long long)json_integer_value(json_object_get(n, "regions")),
                       (long long)json_integer_value(json_object_get(n, "naf_subclasses")),
                       (long long)json_integer_value(json_object_get(n, "io_years")),
                       (long long)json_integer_value(json_object_get(n, "cpv_codes")));
            json_decref(info);
        }
    }
    ml_db_close(db);
    return rc;
}

const cli_command cmd_init = {
    .name = "init",
    .usage = "",
    .summary = "create or update a database with the reference data",
    .help = "Loads communes, EPCI, départements, régions, NAF rév. 2 and INSEE's input-output\n"
            "tables from the data directory ($MAILLAGE_DATA or the shipped data/).\n",
    .options = NULL,
    .max_args = 0,
    .run = run,
    .role = ML_ROLE_ADMIN,
};
