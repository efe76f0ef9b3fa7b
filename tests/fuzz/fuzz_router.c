/* fuzz_router.c — libFuzzer harness for the HTTP face. Each input is what a
 * client sends on one connection (request line, headers, body, maybe several
 * requests): it goes to the real server (libmicrohttpd, its refusals, the
 * route table, parameter checks, handlers) on a real database built from the
 * fixtures, through a socket pair, with no listening socket or thread.
 * Every answer must be well-formed HTTP/1.1 carrying the security headers;
 * its status must not be 5xx (but 505 for a version); an answer that is not
 * a success must be a problem document whose status is the HTTP status. */
#include <fcntl.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <netinet/in.h>

#include "../../src/http/http.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ANSWER_MAX (4 << 20)

static http_server *srv;
static struct MHD_Daemon *daemon_;
static ml_ctx *ctx;
static char dir[64];

static void die(const char *what)
{
    fprintf(stderr, "fuzz_router: %s: %s\n", what, ctx ? ml_ctx_message(ctx) : "");
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[128];
    ctx = ml_ctx_new();
    if (!ctx) die("context");
    ml_snprintf(dir, sizeof dir, "/tmp/fuzz_router.XXXXXX");
    if (!mkdtemp(dir)) die("temporary directory");
    ml_snprintf(path, sizeof path, "%s/fuzz.db", dir);
    ml_db *db = NULL;
    ml_import_opts quiet = {0};
    if (ml_db_open(ctx, path, ML_DB_CREATE, &db) || ml_db_init(db)) die("init");
    const char *fixture = TESTS_DATA "/fixture_match.csv";
    if (ml_import_sirene(db, &fixture, 1, &quiet, NULL)) die("import");
    if (ml_import_profiles(db, TESTS_DATA "/fixture_profiles.csv", &quiet, NULL)) die("profiles");
    if (ml_network_add(db, "Lauréats", TESTS_DATA "/fixture_network.txt", &quiet, NULL))
        die("network");
    ml_db_close(db);
    static char db_path[128];
    ml_snprintf(db_path, sizeof db_path, "%s", path);
    http_options o = {.db_path = db_path,
                      .bind = "127.0.0.1",
                      .threads = 1,
                      .web_root = ML_WEBDIR,
                      .vendor_root = ML_VENDORDIR,
                      .tiles = "",
                      .quiet = true,
                      .memory_limit = 8192}; /* small: 414 and 431 within reach */
    if (http_server_new(ctx, &o, &srv) != ML_OK) die("server");
    if (!(daemon_ = http_server_start(srv, false))) die("daemon");
    return 0;
}

static const char *header(const char *head, size_t len, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = head; p && p < head + len; p = memchr(p, '\n', (size_t)(head + len - p))) {
        if (*p == '\n') p++;
        if ((size_t)(head + len - p) > n + 1 && strncasecmp(p, name, n) == 0 && p[n] == ':')
            return p + n + 1;
    }
    return NULL;
}

/* Checks every answer in the stream; aborts on a broken one. */
static void check_answers(const char *a, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        const char *start = a + pos;
        const char *end = memmem(start, len - pos, "\r\n\r\n", 4);
        if (!end) die("an answer without the end of its headers");
        size_t hlen = (size_t)(end - start);
        int status = 0;
        if (hlen < 12 || memcmp(start, "HTTP/1.", 7) != 0 || sscanf(start + 9, "%3d", &status) != 1)
            die("an answer without a status line");
        pos += hlen + 4;
        if (status >= 100 && status < 200) continue; /* 100 Continue */
        if (status >= 500 && status != 505) die("a 5xx answer");
        if (!header(start, hlen, "Content-Security-Policy") ||
            !header(start, hlen, "X-Content-Type-Options"))
            die("an answer without the security headers");
        const char *cl = header(start, hlen, "Content-Length");
        size_t body = cl ? strtoul(cl, NULL, 10) : 0;
        /* HEAD answers say the length of a body they do not send: nothing
         * or the next answer follows their headers. */
        if (len == pos || (len - pos >= 9 && memcmp(a + pos, "HTTP/1.1 ", 9) == 0)) body = 0;
        if (body > len - pos) die("an answer shorter than its Content-Length");
        if (status >= 400 && body) {
            const char *type = header(start, hlen, "Content-Type");
            if (!type || !strstr(type, "application/problem+json"))
                die("an error answer that is not a problem document");
            json_error_t je;
            json_t *p = json_loadb(a + pos, body, 0, &je);
            if (!json_is_object(p) || json_integer_value(json_object_get(p, "status")) != status ||
                !json_is_string(json_object_get(p, "detail")))
                die("a problem document that does not say its status");
            json_decref(p);
        }
        pos += body;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) die("socketpair");
    /* The client's bytes, then the end of its writing. */
    size_t off = 0;
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    if (size == 0) shutdown(sv[0], SHUT_WR);
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_addr = {htonl(INADDR_LOOPBACK)}};
    if (MHD_add_connection(daemon_, sv[1], (struct sockaddr *)&peer, sizeof peer) != MHD_YES)
        die("add connection");
    char *answer = malloc(ANSWER_MAX);
    size_t alen = 0;
    bool shut = false;
    for (int spins = 0; spins < 100000; spins++) {
        if (off < size) {
            ssize_t w = send(sv[0], data + off, size - off, MSG_NOSIGNAL);
            if (w > 0) off += (size_t)w;
        }
        if (off == size && !shut) {
            shutdown(sv[0], SHUT_WR);
            shut = true;
        }
        MHD_run(daemon_);
        ssize_t n = read(sv[0], answer + alen, ANSWER_MAX - alen);
        if (n > 0) alen += (size_t)n;
        if (n == 0 || alen == ANSWER_MAX) break; /* the server closed the connection */
    }
    close(sv[0]);
    /* Let libmicrohttpd finish with its side of the pair. */
    for (int i = 0; i < 4; i++)
        MHD_run(daemon_);
    check_answers(answer, alen);
    free(answer);
    return 0;
}
