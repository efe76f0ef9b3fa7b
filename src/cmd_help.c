/* cmd_help.c — `maillage help [COMMAND]`: the list of commands, or one
 * command's arguments and options, from the descriptors. */
#include "cli.h"

static int run(cli *c, const cli_args *a)
{
    (void)c;
    const char *name = cli_arg(a, 0);
    if (!name) {
        cli_print_usage(stdout);
        return CLI_OK;
    }
    const cli_command *cmd = cli_command_find(name);
    if (!cmd) return cli_usage("help", "unknown command '%s' (see maillage help)", name);
    cli_print_help(stdout, cmd);
    return CLI_OK;
}

const cli_command cmd_help = {
    .name = "help",
    .usage = "[COMMAND]",
    .summary = "the commands, or one command's arguments and options",
    .help = "  COMMAND   a command: its usage, arguments and options\n",
    .options = NULL,
    .max_args = 1,
    .run = run,
};
