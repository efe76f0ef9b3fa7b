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
    if (!loopback(o->bind))
        cli_print_error("serve",
                        "warning: listening on %s:%u, beyond this machine: anyone who can reach it "
                        "can read the data and record verdicts (maillage has no accounts yet). "
                        "Use --bind 127.0.0.1 unless this network is trusted.",
                        o->bind, port);
    cli_printf(stdout,
               "maillage serves %s on http://%s:%u/ (%zu establishments in the snapshot; "
               "Ctrl-C stops)\n",
               o->db_path, o->bind, port, http_server_snapshot_count(srv));
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

/* Adds one value of a repeatable option. */
static int push(const char ***list, size_t *n, const char *v)
{
    const char **l = realloc(*list, (*n + 1) * sizeof *l);
    if (!l) return -1;
    l[(*n)++] = v;
    *list = l;
    return 0;
}

int cmd_serve(cli *c, int argc, char **argv)
{
    http_options o = {.db_path = c->db_path,
                      .bind = "127.0.0.1",
                      .port = 8080,
                      .threads = 4,
                      .web_root = ML_WEBDIR,
                      .vendor_root = ML_VENDORDIR,
                      .tiles = getenv("MAILLAGE_TILES")};
    const char **origins = NULL, **hosts = NULL;
    size_t norigins = 0, nhosts = 0;
    int rc = CLI_OK;
    for (int i = 1; i < argc && rc == CLI_OK; i++) {
        const char *a = argv[i];
        bool val = i + 1 < argc;
        if (strcmp(a, "--port") == 0 && val) {
            char *end = NULL;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 0 || p > 65535) rc = cli_usage("serve", "--port expects 0 to 65535");
            o.port = (unsigned)p;
        } else if (strcmp(a, "--bind") == 0 && val) {
            o.bind = argv[++i];
        } else if (strcmp(a, "--threads") == 0 && val) {
            char *end = NULL;
            long t = strtol(argv[++i], &end, 10);
            if (*end || t < 1 || t > 64) rc = cli_usage("serve", "--threads expects 1 to 64");
            o.threads = (unsigned)t;
        } else if (strcmp(a, "--tiles") == 0 && val) {
            o.tiles = argv[++i];
        } else if (strcmp(a, "--allow-origin") == 0 && val) {
            if (push(&origins, &norigins, argv[++i])) rc = CLI_FAIL;
        } else if (strcmp(a, "--allow-host") == 0 && val) {
            if (push(&hosts, &nhosts, argv[++i])) rc = CLI_FAIL;
        } else if (strcmp(a, "--quiet") == 0) {
            o.quiet = true;
        } else {
            rc = cli_usage("serve", "unknown or incomplete option '%s'", a);
        }
    }
    o.allow_origins = origins;
    o.nallow_origins = norigins;
    o.allow_hosts = hosts;
    o.nallow_hosts = nhosts;
    if (rc == CLI_OK) rc = http_serve(c, &o);
    free(origins);
    free(hosts);
    return rc;
}
