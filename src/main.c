/* main.c — maillage's entry point: global options, then one command of the
 * list below. Each command is a descriptor in its own cmd_NAME.c (name,
 * summary, options, help, handler); `maillage help` and `maillage COMMAND
 * --help` are generated from the descriptors, and the options are parsed by
 * one parser (cli.c) before the handler runs. */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* In the order `maillage help` lists them. */
const cli_command *const cli_commands[] = {
    &cmd_init,      &cmd_import, &cmd_search,  &cmd_suggest, &cmd_vocabulary, &cmd_show,
    &cmd_territory, &cmd_needs,  &cmd_rank,   &cmd_complexity, &cmd_match, &cmd_verdict,   &cmd_links,
    &cmd_group,     &cmd_network, &cmd_bridges, &cmd_schedule, &cmd_event, &cmd_need, &cmd_serve,  &cmd_demo,       &cmd_info,
    /* CPV codes of public procurement (issue 14) */
    &cmd_cpv,
    /* a firm's history (issue 11) */
    &cmd_contact,   &cmd_note,   &cmd_followup, &cmd_doc,    &cmd_timeline,   &cmd_gdpr,
    /* organisations and accounts (issue 11) */
    &cmd_org,       &cmd_user,   &cmd_workspace, &cmd_invite, &cmd_audit,
    /* programmes (issue 13) */
    &cmd_programme, &cmd_project, &cmd_ledger,  &cmd_aid,       &cmd_interview,
    &cmd_impact, /* impact follow-up (issue 13 part 6) */
    /* aid schemes and committees (issue 13 parts 3 and 5) */
    &cmd_scheme,    &cmd_committee,
    /* interview campaigns and roadmaps (issue 13) */
    &cmd_campaign,  &cmd_roadmap,  &cmd_help,
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

/* Bytes of a command's arguments kept in its audit entry. */
#define AUDIT_ARGS_MAX 480

/* A command that wrote: one audit entry (its name, action and arguments). */
static void audit(cli *c, const cli_command *cmd, const cli_args *a)
{
    if (cmd->role < ML_ROLE_OFFICER || cmd->audit_self) return;
    const char *action = cli_arg(a, 0);
    if (cmd->write_actions) {
        size_t n = action ? strlen(action) : 0;
        bool listed = false;
        for (const char *p = cmd->write_actions; *p && !listed;) {
            size_t k = strcspn(p, "|");
            listed = action && k == n && strncmp(p, action, k) == 0;
            p += k + (p[k] == '|');
        }
        if (!listed) return;
    }
    char what[64], args[AUDIT_ARGS_MAX + 1] = "";
    snprintf(what, sizeof what, "cli %s", cmd->name);
    size_t used = 0;
    for (size_t i = 0; i < a->nargs && used < AUDIT_ARGS_MAX; i++)
        used += (size_t)snprintf(args + used, sizeof args - used, "%s%s", i ? " " : "", a->args[i]);
    ml_db *db = NULL;
    if (ml_db_open(c->ctx, c->db_path, 0, &db) != ML_OK ||
        ml_audit_write(db, &c->actor, what, args, NULL) != ML_OK)
        cli_print_error(cmd->name, "warning: cannot write the audit log: %s",
                        ml_ctx_message(c->ctx));
    ml_db_close(db);
}

int main(int argc, char **argv)
{
    cli c = {.prog = "maillage"};
    const char *env = getenv("MAILLAGE_DB");
    c.db_path = env && *env ? env : "maillage.db";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (++i >= argc) return cli_usage(NULL, "--db needs a path");
            c.db_path = argv[i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            c.db_path = argv[i] + 5;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            cli_print_usage(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("maillage %s\n", ML_VERSION);
            return CLI_OK;
        } else {
            return cli_usage(NULL, "unknown option '%s'", argv[i]);
        }
    }
    if (i >= argc) {
        cli_print_usage(stderr);
        return CLI_USAGE;
    }
    const cli_command *cmd = cli_command_find(argv[i]);
    if (!cmd) return cli_usage(NULL, "unknown command '%s' (see maillage help)", argv[i]);
    if (cli_wants_help(argc - i, argv + i)) {
        cli_print_help(stdout, cmd);
        return CLI_OK;
    }
    cli_args a;
    int rc = cli_parse(cmd, argc - i, argv + i, &a);
    if (rc) return rc;
    c.ctx = ml_ctx_new();
    if (!c.ctx) {
        cli_args_release(&a);
        fputs("maillage: out of memory\n", stderr);
        return CLI_FAIL;
    }
    ml_ctx_set_log(c.ctx, cli_log, NULL);
    /* The CLI acts as a named local administrator. */
    const struct passwd *pw = getpwuid(getuid());
    const char *user = pw && pw->pw_name ? pw->pw_name : getenv("USER");
    snprintf(c.actor_name, sizeof c.actor_name, "%s (local)", user && *user ? user : "unknown");
    c.actor = (ml_actor){.role = ML_ROLE_ADMIN, .name = c.actor_name, .site_admin = true};
    if (cmd->role > c.actor.role) {
        cli_print_error(cmd->name, "needs the role '%s'", ml_role_name(cmd->role));
        rc = CLI_FAIL;
    } else {
        rc = cmd->run(&c, &a);
        if (rc == CLI_OK) audit(&c, cmd, &a);
    }
    ml_ctx_free(c.ctx);
    cli_args_release(&a);
    return rc;
}
