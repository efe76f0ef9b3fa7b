/* cmd_project_pole.c — `maillage project partner|trl|needs|pole|suggest`
 * (issue 13 part 7): the collaborative R&D side of a project (a pole de
 * competitivite's): partners and their roles, TRL assessments over time,
 * the parts or capabilities it needs, and from TRL 6 the local
 * manufacturers and subcontractors the search engine suggests for them.
 * The options are cmd_project's (cmd_project.c), which hands these actions
 * here. */
#include "cli.h"
#include "core/core.h"

static void print_pole(json_t *p)
{
    json_t *lead = json_object_get(p, "lead");
    cli_printf(stdout, "project %lld [%s, %s] %s\n",
               (long long)json_integer_value(json_object_get(p, "id")), cli_str(p, "type"),
               cli_str(p, "stage"), cli_str(p, "title"));
    cli_printf(stdout, "  lead: %s (SIRET %s)\n", cli_str(lead, "name"), cli_str(lead, "siret"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(p, "partners"), i, v)
    {
        if (*cli_str(v, "siret"))
            cli_printf(stdout, "  partner %lld: %s (SIRET %s), %s\n",
                       (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "name"),
                       cli_str(v, "siret"), cli_str(v, "role"));
        else
            cli_printf(stdout, "  partner %lld: %s (%s), %s\n",
                       (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "name"),
                       cli_str(v, "kind"), cli_str(v, "role"));
    }
    json_array_foreach(json_object_get(p, "trl"), i, v)
        cli_printf(stdout, "  TRL %lld on %s%s%s\n",
                   (long long)json_integer_value(json_object_get(v, "level")), cli_str(v, "day"),
                   *cli_str(v, "note") ? ": " : "", cli_str(v, "note"));
    json_t *now = json_object_get(p, "trl_now");
    if (json_is_integer(now))
        cli_printf(stdout, "  TRL now: %lld%s\n", (long long)json_integer_value(now),
                   json_is_true(json_object_get(p, "near_industrial"))
                       ? " (nearing industrialisation)"
                       : "");
    json_array_foreach(json_object_get(p, "needs"), i, v) cli_printf(
        stdout, "  need %lld: %s%s%s\n", (long long)json_integer_value(json_object_get(v, "id")),
        cli_str(v, "text"), *cli_str(v, "naf") ? " NAF " : "", cli_str(v, "naf"));
}

static void print_suggestions(json_t *s)
{
    cli_printf(stdout, "project %lld at TRL %lld: manufacturers and subcontractors in %s\n",
               (long long)json_integer_value(json_object_get(s, "project")),
               (long long)json_integer_value(json_object_get(s, "trl_now")),
               cli_str(s, "territory"));
    if (*cli_str(s, "note")) cli_printf(stdout, "  (%s)\n", cli_str(s, "note"));
    size_t i, k;
    json_t *n, *v;
    json_array_foreach(json_object_get(s, "needs"), i, n)
    {
        json_t *need = json_object_get(n, "need");
        cli_printf(stdout, "need %lld: %s%s%s\n",
                   (long long)json_integer_value(json_object_get(need, "id")),
                   cli_str(need, "text"), *cli_str(need, "naf") ? " NAF " : "",
                   cli_str(need, "naf"));
        json_array_foreach(json_object_get(n, "suggestions"), k, v)
            cli_printf(stdout, "  %s  %s\n    why: %s\n", cli_str(v, "siret"), cli_str(v, "name"),
                       cli_str(v, "why"));
        if (!json_array_size(json_object_get(n, "suggestions")))
            cli_printf(stdout, "  no establishment found for it in the territory\n");
    }
}

int cmd_project_pole(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *arg = cli_arg(a, 1);
    bool partner = !strcmp(action, "partner"), trl = !strcmp(action, "trl"),
         needs = !strcmp(action, "needs"), suggest = !strcmp(action, "suggest");
    int64_t id = 0;
    if (!arg || a->nargs != 2) return cli_usage("project", "%s ID", action);
    if (ml_parse_i64(arg, strlen(arg), 1, INT64_MAX, &id) != 0)
        return cli_usage("project", "'%s' is not a project ID", arg);
    long long remove = cli_int(a, "remove", 0);
    if (partner && !remove && !cli_text(a, "role", NULL))
        return cli_usage("project", "partner ID --siret SIRET --role ROLE, or --name NAME --role "
                                    "ROLE, or --remove PARTNER");
    if (trl && !cli_text(a, "level", NULL))
        return cli_usage("project", "trl ID --level 1..9 [--date D] [--note T]");
    if (needs && !remove && !cli_text(a, "text", NULL) && !cli_text(a, "naf", NULL))
        return cli_usage("project", "needs ID --text WORDS and/or --naf CODE, or --remove NEED");
    ml_db *db = NULL;
    int rc = cli_open_db(c, partner || trl || needs ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r;
    if (partner && remove) {
        r = ml_project_partner_remove(db, cli_actor(c), id, remove, &out);
    } else if (partner) {
        ml_partner_in in = {.project = id,
                            .siret = cli_text(a, "siret", NULL),
                            .name = cli_text(a, "name", NULL),
                            .kind = cli_text(a, "kind", NULL),
                            .role = cli_text(a, "role", NULL)};
        r = ml_project_partner_add(db, cli_actor(c), &in, &out);
    } else if (trl) {
        r = ml_project_trl_add(db, cli_actor(c), id, cli_text(a, "date", NULL),
                               (int)cli_int(a, "level", 0), cli_text(a, "note", NULL), &out);
    } else if (needs && remove) {
        r = ml_project_need_remove(db, cli_actor(c), id, remove, &out);
    } else if (needs) {
        r = ml_project_need_add(db, cli_actor(c), id, cli_text(a, "text", NULL),
                                cli_text(a, "naf", NULL), &out);
    } else if (suggest) {
        r = ml_project_suggest(db, cli_actor(c), id, (unsigned)cli_int(a, "per-need", 0), &out);
    } else {
        r = ml_project_pole(db, cli_actor(c), id, &out);
    }
    if (r)
        rc = cli_error(c, r);
    else if (cli_flag(a, "json"))
        cli_print_json(out);
    else if (suggest)
        print_suggestions(out);
    else
        print_pole(out);
    json_decref(out);
    ml_db_close(db);
    return rc;
}
