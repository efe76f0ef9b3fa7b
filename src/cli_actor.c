/* cli_actor.c — who the command line acts as: a named local admin (user 0,
 * organisation 0, the name in $USER). Accounts (issue 11) replace this with
 * the account the CLI is configured for. */
#include "cli.h"

const ml_actor *cli_actor(cli *c)
{
    (void)c;
    static ml_actor local = {.role = ML_ROLE_ADMIN};
    const char *user = getenv("USER");
    local.name = user && *user ? user : "local";
    return &local;
}
