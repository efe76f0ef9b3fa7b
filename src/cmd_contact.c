/* cmd_contact.c — `maillage contact add|list|edit`: the people to talk to in
 * an establishment or a company. Contacts are personal data: each states its
 * lawful basis and purpose (docs/privacy.md). */
#include "cli.h"
#include "core/core.h"

static const cli_option options[] = {
    {.name = "name",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "the person's name (add: required)",
     .only = "add|edit"},
    {.name = "position",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "role or position in the firm",
     .only = "add|edit"},
    {.name = "email",
     .kind = CLI_TEXT,
     .value = "ADDRESS",
     .help = "email address",
     .only = "add|edit"},
    {.name = "phone",
     .kind = CLI_TEXT,
     .value = "NUMBER",
     .help = "phone number",
     .only = "add|edit"},
    {.name = "basis",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "lawful basis and purpose (add: required), e.g.\n"
             "\"intérêt légitime : suivi de l'implantation\"",
     .only = "add|edit"},
    {.name = "source",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "where the details come from (business card, fair...)",
     .only = "add|edit"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static void print_contact(json_t *c)
{
    cli_printf(stdout, "#%lld  %s", (long long)json_integer_value(json_object_get(c, "id")),
               cli_str(c, "name"));
    if (*cli_str(c, "position")) cli_printf(stdout, " — %s", cli_str(c, "position"));
    if (*cli_str(c, "email")) cli_printf(stdout, "  %s", cli_str(c, "email"));
    if (*cli_str(c, "phone")) cli_printf(stdout, "  %s", cli_str(c, "phone"));
    cli_printf(stdout, "\n     %s%s; basis: %s; added by %s on %s\n",
               json_is_string(json_object_get(c, "siret")) ? "establishment " : "company ",
               json_is_string(json_object_get(c, "siret")) ? cli_str(c, "siret")
                                                           : cli_str(c, "siren"),
               cli_str(c, "basis"), cli_str(c, "author"), cli_str(c, "created"));
}

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *target = cli_arg(a, 1);
    if (!action) return cli_usage("contact", "say what to do: add, list or edit");
    bool add = strcmp(action, "add") == 0, list = strcmp(action, "list") == 0,
         edit = strcmp(action, "edit") == 0;
    if (!add && !list && !edit)
        return cli_usage("contact", "unknown action '%s' (expected add, list or edit)", action);
    if (!target)
        return cli_usage("contact", edit ? "give the contact's ID" : "give a SIRET or a SIREN");
    int64_t id = 0;
    if (edit && ml_parse_i64(target, strlen(target), 1, INT64_MAX, &id) != 0)
        return cli_usage("contact", "'%s' is not a contact id", target);
    ml_contact_in in = {.firm = target,
                        .name = cli_text(a, "name", NULL),
                        .position = cli_text(a, "position", NULL),
                        .email = cli_text(a, "email", NULL),
                        .phone = cli_text(a, "phone", NULL),
                        .basis = cli_text(a, "basis", NULL),
                        .source = cli_text(a, "source", NULL)};
    ml_db *db = NULL;
    int rc = cli_open_db(c, list ? ML_DB_READONLY : 0, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_err r = list  ? ml_contact_list(db, cli_actor(c), target, &out)
               : add ? ml_contact_add(db, cli_actor(c), &in, &out)
                     : ml_contact_update(db, cli_actor(c), id, &in, &out);
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (list) {
        json_t *all = json_object_get(out, "contacts");
        size_t i;
        json_t *v;
        json_array_foreach(all, i, v) print_contact(v);
        if (!json_array_size(all)) cli_printf(stdout, "no contact for %s yet\n", target);
    } else {
        cli_printf(stdout, "contact %s:\n", add ? "added" : "updated");
        print_contact(out);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_contact = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add|edit",
    .name = "contact",
    .usage = "add SIRET|SIREN --name TEXT --basis TEXT [...] | list SIRET|SIREN | edit ID [...]",
    .summary = "the people to talk to in a firm (personal data: see docs/privacy.md)",
    .help = "  add FIRM    a contact of an establishment (SIRET) or a company (SIREN)\n"
            "  list FIRM   an establishment's contacts and its company's, or a company's\n"
            "  edit ID     change the fields given\n"
            "Firms with restricted diffusion (statut P) get no contact.\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
