/* cmd_note.c — `maillage note add|list`: interactions with an establishment
 * (visit, call, meeting, email, event), with their date, author and notes. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "kind",
     .kind = CLI_CHOICE,
     .value = "KIND",
     .choices = "visit|call|meeting|email|event",
     .help = "what it was (required)",
     .only = "add"},
    {.name = "date",
     .kind = CLI_TEXT,
     .value = "YYYY-MM-DD",
     .help = "when (default: today)",
     .only = "add"},
    {.name = "text",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "the notes (at most 8,000 bytes)",
     .only = "add"},
    {.name = "contact",
     .kind = CLI_INT,
     .value = "ID",
     .min = 1,
     .max = 9007199254740991.0,
     .help = "a contact who took part (repeat for several)",
     .only = "add"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output"},
    CLI_END_OPTIONS,
};

static void print_interaction(json_t *v)
{
    cli_printf(stdout, "%s  %-7s #%lld by %s", cli_str(v, "date"), cli_str(v, "kind"),
               (long long)json_integer_value(json_object_get(v, "id")), cli_str(v, "author"));
    json_t *ids = json_object_get(v, "contacts");
    if (json_array_size(ids)) {
        cli_printf(stdout, " with contact");
        size_t i;
        json_t *id;
        json_array_foreach(ids, i, id)
            cli_printf(stdout, "%s #%lld", i ? "," : "", (long long)json_integer_value(id));
    }
    cli_printf(stdout, "\n");
    if (*cli_str(v, "notes")) cli_printf(stdout, "    %s\n", cli_str(v, "notes"));
}

static int run(cli *c, const cli_args *a)
{
    const char *action = cli_arg(a, 0), *siret = cli_arg(a, 1);
    if (!action) return cli_usage("note", "say what to do: add or list");
    bool add = strcmp(action, "add") == 0;
    if (!add && strcmp(action, "list") != 0)
        return cli_usage("note", "unknown action '%s' (expected add or list)", action);
    if (!siret) return cli_usage("note", "give a SIRET");
    if (add && !cli_text(a, "kind", NULL))
        return cli_usage("note", "say what it was: --kind visit|call|meeting|email|event");
    int64_t ids[20];
    size_t n = 0;
    for (size_t i = 0; i < a->nvalues; i++)
        if (strcmp(a->values[i].opt->name, "contact") == 0) {
            if (n == 20) return cli_usage("note", "at most 20 --contact");
            ids[n++] = (int64_t)a->values[i].number;
        }
    ml_db *db = NULL;
    int rc = cli_open_db(c, add ? 0 : ML_DB_READONLY, &db);
    if (rc) return rc;
    json_t *out = NULL;
    ml_interaction_in in = {.siret = siret,
                            .kind = cli_text(a, "kind", NULL),
                            .date = cli_text(a, "date", NULL),
                            .notes = cli_text(a, "text", NULL),
                            .contacts = ids,
                            .ncontacts = n};
    ml_err r = add ? ml_interaction_add(db, cli_actor(c), &in, &out)
                   : ml_interaction_list(db, cli_actor(c), siret, &out);
    if (r) {
        rc = cli_error(c, r);
    } else if (cli_flag(a, "json")) {
        cli_print_json(out);
    } else if (add) {
        cli_printf(stdout, "recorded:\n");
        print_interaction(out);
    } else {
        json_t *all = json_object_get(out, "interactions");
        size_t i;
        json_t *v;
        json_array_foreach(all, i, v) print_interaction(v);
        if (!json_array_size(all)) cli_printf(stdout, "no interaction with %s yet\n", siret);
    }
    json_decref(out);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_note = {
    .role = ML_ROLE_OFFICER,
    .write_actions = "add",
    .name = "note",
    .usage = "add SIRET --kind KIND [--date YYYY-MM-DD] [--text TEXT] [--contact ID]... | "
             "list SIRET",
    .summary = "interactions with an establishment: visits, calls, meetings, emails, events",
    .help = "  add SIRET    record an interaction, by you, for your organisation\n"
            "  list SIRET   the interactions you may read, newest first\n",
    .options = options,
    .max_args = 2,
    .run = run,
};
