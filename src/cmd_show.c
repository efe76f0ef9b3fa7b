/* cmd_show.c — `maillage show SIRET`: one establishment, its company, its
 * activity at every NAF level and its territory. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    const char *siret = cli_arg(a, 0);
    bool json = cli_flag(a, "json");
    if (!siret) return cli_usage("show", "give a SIRET (14 digits)");
    ml_db *db = NULL;
    int rc = cli_open_db(c, ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *o = NULL;
    ml_err r = ml_show(db, siret, &o);
    if (r) {
        rc = cli_error(c, r);
    } else if (json) {
        cli_print_json(o);
    } else {
        json_t *co = json_object_get(o, "company"), *addr = json_object_get(o, "address");
        json_t *pos = json_object_get(o, "position"), *act = json_object_get(o, "activity");
        cli_printf(stdout, "%s%s\n", cli_str(o, "name"),
                   json_is_true(json_object_get(o, "generated")) ? "  [GENERATED DEMO DATA]" : "");
        cli_printf(stdout, "  SIRET      %s (%s%s)\n", cli_str(o, "siret"),
                   json_is_true(json_object_get(o, "active")) ? "active" : "closed",
                   json_is_true(json_object_get(o, "head_office")) ? ", head office" : "");
        cli_printf(stdout, "  company    %s, SIREN %s",
                   *cli_str(co, "name") ? cli_str(co, "name")
                                        : "(name unknown: import StockUniteLegale)",
                   cli_str(co, "siren"));
        if (*cli_str(co, "category")) cli_printf(stdout, ", %s", cli_str(co, "category"));
        long long nact =
            (long long)json_integer_value(json_object_get(co, "active_establishments"));
        cli_printf(stdout, ", %lld active establishment%s\n", nact, nact == 1 ? "" : "s");
        if (*cli_str(co, "legal_form"))
            cli_printf(stdout, "  legal form %s%s%s%s\n", cli_str(co, "legal_form_label"),
                       *cli_str(co, "legal_form_label") ? " (" : "", cli_str(co, "legal_form"),
                       *cli_str(co, "legal_form_label") ? ")" : "");
        cli_printf(stdout, "  created    %s\n", cli_str(o, "created"));
        cli_printf(stdout, "  size       %s\n", cli_str(json_object_get(o, "size"), "label"));
        const char *street = cli_str(addr, "street"), *pc = cli_str(addr, "postcode");
        if (*cli_str(addr, "display"))
            cli_printf(stdout, "  address    %s\n", cli_str(addr, "display"));
        else
            cli_printf(stdout, "  address    %s%s%s%s%s\n", street, *street ? ", " : "", pc,
                       *pc ? " " : "", cli_str(addr, "city"));
        if (json_is_object(pos))
            cli_printf(stdout, "  position   %.5f, %.5f (%s)\n",
                       json_real_value(json_object_get(pos, "lat")),
                       json_real_value(json_object_get(pos, "lon")), cli_str(pos, "source"));
        cli_printf(stdout, "  activity\n");
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(act, "levels"), i, v)
            cli_printf(stdout, "    %-9s %-7s %s\n", cli_str(v, "level"), cli_str(v, "code"),
                       cli_str(v, "label_fr"));
        if (json_is_null(json_object_get(act, "levels")))
            cli_printf(stdout, "    %s (not NAF rév. 2)\n", cli_str(act, "as_published"));
        cli_printf(stdout, "  territory\n");
        json_array_foreach(json_object_get(o, "territory"), i, v)
            cli_printf(stdout, "    %-15s %-10s %s\n", cli_str(v, "kind"), cli_str(v, "code"),
                       cli_str(v, "name"));
    }
    json_decref(o);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_show = {
    .name = "show",
    .usage = "SIRET [--json]",
    .summary = "one establishment, its company, sector and territory",
    .help = NULL,
    .options = options,
    .max_args = 1,
    .run = run,
};
