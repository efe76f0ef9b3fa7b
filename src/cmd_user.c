/* cmd_user.c — `maillage user add|list|disable|enable|passwd`: accounts,
 * made by the local administrator. A password is asked on the terminal
 * without echo, or read from standard input when it is not a terminal. */
#include "cli.h"

#define PASSWORD_BUF 256

static const cli_option options[] = {
    {.name = "admin",
     .kind = CLI_FLAG,
     .help = "the deployment's administrator: manages every organisation\n"
             "and reads the whole audit log",
     .only = "add"},
    {.name = "org", .kind = CLI_TEXT, .value = "NAME", .help = "its organisation", .only = "add"},
    {.name = "role",
     .kind = CLI_CHOICE,
     .value = "ROLE",
     .choices = "guest|viewer|officer|admin",
     .help = "its role there (default viewer; admin with --admin)",
     .only = "add"},
    {.name = "name",
     .kind = CLI_TEXT,
     .value = "TEXT",
     .help = "the name shown as author",
     .only = "add"},
    {.name = "no-password",
     .kind = CLI_FLAG,
     .help = "make it without a password (set one later with passwd)",
     .only = "add"},
    {.name = "json", .kind = CLI_FLAG, .help = "machine-readable output", .only = "list"},
    CLI_END_OPTIONS,
};

static int list(cli *c, ml_db *db, const cli_args *a)
{
    json_t *users = NULL;
    ml_err e = ml_user_list(db, &users);
    if (e) return cli_error(c, e);
    if (cli_flag(a, "json")) {
        cli_print_json(users);
    } else {
        size_t i, k;
        json_t *u, *o;
        json_array_foreach(users, i, u)
        {
            cli_printf(stdout, "%-36s %s%s", cli_str(u, "email"),
                       json_is_true(json_object_get(u, "site_admin")) ? "site admin " : "",
                       json_is_true(json_object_get(u, "disabled")) ? "(disabled) " : "");
            json_array_foreach(json_object_get(u, "organisations"), k, o)
            {
                cli_printf(stdout, "%s%s: %s", k ? ", " : "", cli_str(o, "name"),
                           cli_str(o, "role"));
            }
            cli_printf(stdout, "\n");
        }
        if (json_array_size(users) == 0) cli_printf(stdout, "no account yet\n");
    }
    json_decref(users);
    return CLI_OK;
}

static int run(cli *c, const cli_args *a)
{
    static const char *const actions[] = {"add", "list", "disable", "enable", "passwd"};
    const char *action = cli_arg(a, 0);
    size_t k = 0;
    while (action && k < (sizeof actions / sizeof actions[0]) && strcmp(actions[k], action))
        k++;
    if (!action || k == (sizeof actions / sizeof actions[0]))
        return cli_usage("user", "give add, list, disable, enable or passwd");
    if (k == 1 ? a->nargs != 1 : a->nargs != 2)
        return cli_usage("user", k == 1 ? "list takes no email" : "give %s EMAIL", action);
    const char *email = cli_arg(a, 1);
    char password[PASSWORD_BUF] = "";
    bool wants_pw = (k == 0 && !cli_flag(a, "no-password")) || k == 4;
    if (wants_pw && cli_read_password("Password: ", true, password, sizeof password))
        return CLI_FAIL;
    ml_db *db = NULL;
    int rc = cli_open_db(c, 0, &db);
    if (rc) return rc;
    ml_err e = ML_OK;
    if (k == 0) {
        ml_role role = ML_ROLE_NONE;
        ml_role_parse(cli_text(a, "role", NULL), &role);
        ml_user_new u = {.email = email,
                         .name = cli_text(a, "name", NULL),
                         .password = password[0] ? password : NULL,
                         .org = cli_text(a, "org", NULL),
                         .role = role,
                         .site_admin = cli_flag(a, "admin")};
        int64_t id = 0;
        e = ml_user_add(db, &c->actor, &u, &id);
        if (!e) cli_printf(stdout, "account %lld: %s\n", (long long)id, email);
    } else if (k == 1) {
        rc = list(c, db, a);
    } else if (k == 2 || k == 3) {
        e = ml_user_disable(db, &c->actor, email, k == 2);
        if (!e)
            cli_printf(stdout, "%s %s\n", email,
                       k == 2 ? "disabled (its sessions ended)" : "enabled");
    } else {
        e = ml_user_password(db, &c->actor, email, password);
        if (!e) cli_printf(stdout, "%s: password set (its sessions ended)\n", email);
    }
    memset(password, 0, sizeof password);
    if (e) rc = cli_error(c, e);
    ml_db_close(db);
    return rc;
}

const cli_command cmd_user = {
    .name = "user",
    .usage = "add [--admin] [--org NAME] [--role ROLE] [--name TEXT] EMAIL | list [--json] | "
             "disable EMAIL | enable EMAIL | passwd EMAIL",
    .summary = "accounts: create (the first administrator too), list, disable, set a password",
    .help = "  add EMAIL      create an account; its password is asked on the terminal\n"
            "                 (or read from standard input: echo \"$PW\" | maillage user add ...)\n"
            "  list           every account and its organisations\n"
            "  disable EMAIL  it can no longer sign in; its sessions end (enable undoes it)\n"
            "  passwd EMAIL   set its password (its sessions end)\n"
            "Roles, per organisation: guest (its own records), viewer (reads), officer\n"
            "(also writes: verdicts, networks), admin (also members and invitations).\n",
    .options = options,
    .max_args = 2,
    .run = run,
    .role = ML_ROLE_ADMIN,
    .audit_self = true,
};
