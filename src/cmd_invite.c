/* cmd_invite.c — `maillage invite ORG [--role R] [--email E]`: a one-time
 * invitation link to copy and give (no mail server needed), valid 7 days. */
#include "cli.h"

static const cli_option options[] = {
    {.name = "role",
     .kind = CLI_CHOICE,
     .value = "ROLE",
     .choices = "guest|viewer|officer|admin",
     .help = "the role it gives (default viewer)"},
    {.name = "email", .kind = CLI_TEXT, .value = "EMAIL", .help = "the only email that may use it"},
    {.name = "url",
     .kind = CLI_TEXT,
     .value = "URL",
     .help = "the server's address as users reach it (default http://127.0.0.1:8080)"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    if (a->nargs != 1) return cli_usage("invite", "give the organisation's NAME");
    ml_db *db = NULL;
    int rc = cli_open_db(c, 0, &db);
    if (rc) return rc;
    int64_t org = 0;
    ml_role role = ML_ROLE_VIEWER;
    ml_role_parse(cli_text(a, "role", "viewer"), &role);
    char secret[ML_SECRET_CHARS + 1];
    ml_err e = ml_org_find(db, cli_arg(a, 0), &org);
    if (!e) e = ml_invite_create(db, &c->actor, org, role, cli_text(a, "email", NULL), secret);
    if (e) {
        rc = cli_error(c, e);
    } else {
        const char *url = cli_text(a, "url", "http://127.0.0.1:8080");
        size_t n = strlen(url);
        cli_printf(stdout, "%.*s/#/invite/%s\n", (int)(n && url[n - 1] == '/' ? n - 1 : n), url,
                   secret);
        cli_printf(stderr, "a %s of %s; valid 7 days, once\n", ml_role_name(role), cli_arg(a, 0));
    }
    ml_db_close(db);
    return rc;
}

const cli_command cmd_invite = {
    .name = "invite",
    .usage = "ORG [--role ROLE] [--email EMAIL] [--url URL]",
    .summary = "a one-time invitation link to an organisation (copy it to the person)",
    .help = "Prints the link; whoever opens it chooses a password and joins ORG.\n",
    .options = options,
    .max_args = 1,
    .run = run,
    .role = ML_ROLE_ADMIN,
    .audit_self = true,
};
