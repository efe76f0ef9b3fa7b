/* cli_actor.c — who the command line acts as: the named local admin that
 * main.c sets up (the OS user's name, "(local)"; user 0, organisation 0),
 * the author of its writes and the reader of shared records. */
#include "cli.h"

const ml_actor *cli_actor(cli *c)
{
    return &c->actor;
}
