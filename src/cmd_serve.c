/* cmd_serve.c — `maillage serve`: the web UI and the JSON API. */
#include "http/http.h"

int cmd_serve(cli *c, int argc, char **argv)
{
    http_options o = {.db_path = c->db_path,
                      .bind = "127.0.0.1",
                      .port = 8080,
                      .threads = 4,
                      .web_root = ML_WEBDIR,
                      .vendor_root = ML_VENDORDIR,
                      .tiles = getenv("MAILLAGE_TILES")};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool val = i + 1 < argc;
        if (strcmp(a, "--port") == 0 && val) {
            char *end = NULL;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 0 || p > 65535) return cli_usage("serve", "--port expects 0 to 65535");
            o.port = (unsigned)p;
        } else if (strcmp(a, "--bind") == 0 && val) {
            o.bind = argv[++i];
        } else if (strcmp(a, "--threads") == 0 && val) {
            char *end = NULL;
            long t = strtol(argv[++i], &end, 10);
            if (*end || t < 1 || t > 64) return cli_usage("serve", "--threads expects 1 to 64");
            o.threads = (unsigned)t;
        } else if (strcmp(a, "--tiles") == 0 && val) {
            o.tiles = argv[++i];
        } else if (strcmp(a, "--quiet") == 0) {
            o.quiet = true;
        } else {
            return cli_usage("serve", "unknown or incomplete option '%s'", a);
        }
    }
    return http_serve(c, &o);
}
