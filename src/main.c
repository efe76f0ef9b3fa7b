/* main.c — maillage's entry point: global options, then one command of the
 * list below. Each command is a descriptor in its own cmd_NAME.c (name,
 * summary, options, help, handler); `maillage help` and `maillage COMMAND
 * --help` are generated from the descriptors, and the options are parsed by
 * one parser (cli.c) before the handler runs. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* In the order `maillage help` lists them. */
const cli_command *const cli_commands[] = {
    &cmd_init,      &cmd_import, &cmd_search,  &cmd_suggest, &cmd_vocabulary, &cmd_show,
    &cmd_territory, &cmd_match,  &cmd_verdict, &cmd_links,   &cmd_group,      &cmd_network,
    &cmd_bridges,   &cmd_schedule, &cmd_serve,  &cmd_demo,    &cmd_info,    &cmd_help,
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

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
    rc = cmd->run(&c, &a);
    ml_ctx_free(c.ctx);
    cli_args_release(&a);
    return rc;
}
