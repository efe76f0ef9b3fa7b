/* cmd_serve.c — `maillage serve`: the web UI and the JSON API, until
 * SIGINT or SIGTERM; meanwhile it notices imports that other processes
 * commit and rebuilds its snapshot. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "http/http.h"

#define POLL_SECONDS 1 /* how often the server looks for a committed import */

/* True for 127.0.0.0/8: only this machine can connect. */
static bool loopback(const char *bind)
{
    struct in_addr a;
    return inet_pton(AF_INET, bind, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

int http_serve(cli *c, const http_options *o)
{
    struct in_addr probe;
    if (inet_pton(AF_INET, o->bind, &probe) != 1)
        return cli_usage("serve", "--bind expects an IPv4 address, not '%s'", o->bind);
    http_server *srv = NULL;
    ml_err e = http_server_new(c->ctx, o, &srv);
    if (e) return cli_error(c, e);
    int rc = CLI_FAIL;

    /* Signals are taken by this thread only (sigtimedwait), not by the pool. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *d = http_server_start(srv, true);
    if (!d) {
        cli_print_error("serve", "cannot listen on %s:%u: %s", o->bind, o->port, strerror(errno));
        goto out;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : o->port;
    int64_t accounts = 0;
    ml_db *db = NULL;
    if (ml_db_open(c->ctx, o->db_path, ML_DB_READONLY, &db) == ML_OK)
        ml_account_count(db, &accounts);
    ml_db_close(db);
    if (!loopback(o->bind) && accounts == 0)
        cli_print_error("serve",
                        "warning: listening on %s:%u, beyond this machine, and the database has "
                        "no accounts yet: anyone who can reach it can read the data and record "
                        "verdicts. Create an administrator (`maillage user add --admin EMAIL`) or "
                        "use --bind 127.0.0.1 unless this network is trusted.",
                        o->bind, port);
    char shown[1024];
    cli_db_shown(c, shown, sizeof shown);
    cli_printf(stdout,
               "maillage serves %s on http://%s:%u/ (%zu establishments in the snapshot; "
               "Ctrl-C stops)\n",
               shown, o->bind, port, http_server_snapshot_count(srv));
    fflush(stdout);
    for (;;) {
        struct timespec wait = {.tv_sec = POLL_SECONDS};
        int sig = sigtimedwait(&sigs, NULL, &wait);
        if (sig == SIGINT || sig == SIGTERM) {
            fprintf(stderr, "maillage serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
            break;
        }
        http_server_poll(srv);
    }
    rc = CLI_OK;
out:
    http_server_free(srv);
    return rc;
}

static const cli_option options[] = {
    {.name = "port",
     .kind = CLI_INT,
     .value = "N",
     .min = 0,
     .max = 65535,
     .help = "TCP port (default 8080; 0 picks a free one, printed at start)"},
    {.name = "bind",
     .kind = CLI_TEXT,
     .value = "ADDR",
     .help = "IPv4 address to listen on (default 127.0.0.1: this machine only;\n"
             "another address is accepted with a warning)"},
    {.name = "allow-host",
     .kind = CLI_TEXT,
     .value = "NAME",
     .help = "a host name to answer for besides localhost and IP\n"
             "addresses (repeatable; others get 421: DNS rebinding)"},
    {.name = "allow-origin",
     .kind = CLI_TEXT,
     .value = "ORIGIN",
     .help = "an origin (https://carto.example.org) whose pages may\n"
             "record verdicts besides the server's own, e.g. a reverse proxy (repeatable)"},
    {.name = "tiles",
     .kind = CLI_TEXT,
     .value = "URL",
     .help = "map tile server, e.g. https://tile.example/{z}/{x}/{y}.png (default\n"
             "$MAILLAGE_TILES, else none: the offline base map shipped in web/)"},
    {.name = "threads",
     .kind = CLI_INT,
     .value = "N",
     .min = 1,
     .max = 64,
     .help = "worker threads (default 4)"},
    {.name = "quiet", .kind = CLI_FLAG, .help = "no access log on stderr"},
    {.name = "public-read",
     .kind = CLI_CHOICE,
     .value = "yes|no",
     .choices = "yes|no",
     .help = "whether the directory and the map can be read without signing in\n"
             "(default yes; no: only by accounts)"},
    {.name = "https",
     .kind = CLI_FLAG,
     .help = "the server is reached over HTTPS (a proxy in front): cookies get Secure"},
    {.name = "trusted-proxy",
     .kind = CLI_TEXT,
     .value = "ADDR",
     .help = "the reverse proxy's address: its X-Forwarded-Proto and X-Forwarded-For\n"
             "are believed (Secure cookies, the client's address in the audit log)"},
    {.name = "mail-command",
     .kind = CLI_TEXT,
     .value = "CMD",
     .help = "a program that mails invitations: run with the email as argument and\n"
             "the message on its standard input (default $MAILLAGE_MAIL_COMMAND)"},
    CLI_END_OPTIONS,
};

static int run(cli *c, const cli_args *a)
{
    http_options o = {.db_path = c->db_path,
                      .bind = cli_text(a, "bind", "127.0.0.1"),
                      .port = (unsigned)cli_int(a, "port", 8080),
                      .threads = (unsigned)cli_int(a, "threads", 4),
                      .web_root = ML_WEBDIR,
                      .vendor_root = ML_VENDORDIR,
                      .tiles = cli_text(a, "tiles", getenv("MAILLAGE_TILES")),
                      .quiet = cli_flag(a, "quiet"),
                      .private_read = strcmp(cli_text(a, "public-read", "yes"), "no") == 0,
                      .https = cli_flag(a, "https"),
                      .trusted_proxy = cli_text(a, "trusted-proxy", NULL),
                      .mail_command = cli_text(a, "mail-command", getenv("MAILLAGE_MAIL_COMMAND"))};
    const char **origins = calloc(a->nvalues + 1, sizeof *origins);
    const char **hosts = calloc(a->nvalues + 1, sizeof *hosts);
    int rc = CLI_FAIL;
    if (origins && hosts) {
        o.allow_origins = origins;
        o.nallow_origins = cli_texts(a, "allow-origin", origins);
        o.allow_hosts = hosts;
        o.nallow_hosts = cli_texts(a, "allow-host", hosts);
        rc = http_serve(c, &o);
    }
    free(origins);
    free(hosts);
    return rc;
}

const cli_command cmd_serve = {
    .name = "serve",
    .usage =
        "[--port 8080] [--bind 127.0.0.1] [--tiles URL] [--threads N] [--allow-origin ORIGIN] "
        "[--allow-host NAME] [--quiet] [--public-read yes|no] [--https] [--trusted-proxy ADDR] "
        "[--mail-command CMD]",
    .summary = "the web UI and the JSON API (/api/v1, OpenAPI at /api/v1/openapi.json)",
    .help = "Stops cleanly on Ctrl-C (SIGINT) or SIGTERM. Until the database has an account,\n"
            "the server runs open as before accounts (every caller may record verdicts).\n",
    .options = options,
    .max_args = 0,
    .run = run,
};
