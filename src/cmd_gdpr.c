/* cmd_gdpr.c — `maillage gdpr export|erase|review|settings`: a person's
 * rights over the contacts maillage holds (docs/privacy.md). */
#include "cli.h"

static const cli_option options[] = {
    {.name = "retention-months",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 120,
     .help = "contacts not updated for this long are listed for review (default 36)",
     .only = "settings"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *person = cli_arg(a, 1);
    if (!action) return cli_usage("gdpr", "say what to do: export, erase, review or settings");
    bool exp = strcmp(action, "export") == 0, erase = strcmp(action, "erase") == 0,
         review = strcmp(action, "review") == 0, set = strcmp(action, "settings") == 0,
         log = strcmp(action, "log") == 0;
    if (!exp && !erase && !review && !set && !log)
        return cli_usage("gdpr",
                         "unknown action '%s' (expected export, erase, review, log or settings)",
                         action);
    if ((exp || erase) && !person)
        return cli_usage("gdpr", "give the person's EMAIL or a CONTACT_ID");
    if ((review || set || log) && person) return cli_usage("gdpr", "unexpected argument '%s'", person);
    long long months = cli_int(a, "retention-months", 0);
    ml_db *db = NULL;
    int rc = cli_open_db(c, erase || months ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r = ML_OK;
    if (exp)
        r = ml_gdpr_export(db, cli_actor(c), person, &out);
    else if (erase)
        r = ml_gdpr_erase(db, cli_actor(c), person, &out);
    else if (review)
        r = ml_gdpr_review(db, cli_actor(c), &out);
    else if (log)
        r = ml_gdpr_erasures(db, cli_actor(c), &out);
    else {
        char v[16];
        snprintf(v, sizeof v, "%lld", months);
        if (months) r = ml_history_set(db, cli_actor(c), "retention_months", v);
        if (!r) r = ml_history_settings(db, &out);
    }
    if (r)
        rc = cli_error(c, r);
    else
        cli_print_json(out);
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_gdpr = {
    .role = ML_ROLE_ADMIN,
    .write_actions = "export|erase|settings",
    .name = "gdpr",
    .usage = "export EMAIL|CONTACT_ID | erase EMAIL|CONTACT_ID | review | log | settings "
             "[--retention-months N]",
    .summary = "personal data: export or erase what is held on a person, review old contacts",
    .help = "  export PERSON  everything held on one person, as JSON\n"
            "  erase PERSON   erase it; an anonymised trace that something was erased is kept\n"
            "  review         contacts not updated for the retention period\n"
            "  log            the anonymised traces of the erasures made\n"
            "  settings       the retention period\n"
            "The command line acts as the local administrator.\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
