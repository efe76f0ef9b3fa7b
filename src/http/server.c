/* server.c — the HTTP server: libmicrohttpd with a thread pool, limits on
 * connections, headers, bodies and slow clients; dispatch through the route
 * table with parameters checked before any handler runs; problem documents
 * (RFC 9457) for every error; static files; access log; clean shutdown. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

struct http_server {
    http_options opt;
    ml_snapshot *snap;
    ml_ctx *ctx; /* for the snapshot and startup */
    char *openapi;
    size_t openapi_len;
    char *config_js;
    size_t config_js_len;
    pthread_key_t db_key;
    char web_real[PATH_MAX], vendor_real[PATH_MAX];
    /* /api/v1/info counts every table: its answer is kept a few seconds. */
    pthread_mutex_t info_lock;
    char *info;
    size_t info_len;
    double info_at;
    bool info_refreshing;
};

#define INFO_TTL 10.0 /* seconds */

/* Per-thread database connection (SQLite connections are not shared). */
typedef struct thread_db {
    ml_ctx *ctx;
    ml_db *db;
} thread_db;

static void thread_db_free(void *p)
{
    thread_db *t = p;
    if (!t) return;
    ml_db_close(t->db);
    ml_ctx_free(t->ctx);
    free(t);
}

static thread_db *thread_db_get(http_server *srv)
{
    thread_db *t = pthread_getspecific(srv->db_key);
    if (t) return t;
    t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->ctx = ml_ctx_new();
    if (!t->ctx || ml_db_open(t->ctx, srv->opt.db_path, 0, &t->db) != ML_OK) {
        thread_db_free(t);
        return NULL;
    }
    pthread_setspecific(srv->db_key, t);
    return t;
}

const ml_snapshot *http_snapshot(request *r)
{
    return r->srv->snap;
}

ml_ctx *http_ctx(request *r)
{
    return ml_db_ctx(r->db);
}

/* ------------------------------------------------------------------ answers */

static void set_payload(request *r, int status, const char *type, char *data, size_t len)
{
    if (!r->payload_static) free(r->payload);
    r->status = status;
    r->content_type = type;
    r->payload = data;
    r->payload_len = len;
    r->payload_static = false;
}

int http_json(request *r, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(body);
    if (!s) return http_problem(r, 500, "Internal error", "cannot encode the answer");
    set_payload(r, status, "application/json; charset=utf-8", s, strlen(s));
    return 0;
}

int http_problem(request *r, int status, const char *title, const char *fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title", title,
                          "status", status, "detail", detail, "instance",
                          r->path ? r->path : "");
    char *s = p ? json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(p);
    if (!s) {
        static char fallback[] = "{\"title\":\"Internal error\",\"status\":500}";
        set_payload(r, 500, "application/problem+json", fallback, sizeof fallback - 1);
        r->payload_static = true;
        return 0;
    }
    set_payload(r, status, "application/problem+json", s, strlen(s));
    return 0;
}

int http_error(request *r, ml_err err)
{
    static const struct {
        ml_err err;
        int status;
        const char *title;
    } map[] = {
        {ML_INVALID, 400, "Invalid request"},   {ML_NOTFOUND, 404, "Not found"},
        {ML_PRIVATE, 403, "Restricted diffusion"}, {ML_LIMIT, 413, "Too large"},
        {ML_FORMAT, 422, "Unprocessable input"},
    };
    const char *msg = ml_ctx_message(http_ctx(r));
    for (size_t i = 0; i < ML_ARRAY_LEN(map); i++)
        if (map[i].err == err) return http_problem(r, map[i].status, map[i].title, "%s", msg);
    return http_problem(r, 500, "Internal error", "%s", msg);
}

int http_file_bytes(request *r, const char *content_type, const char *filename, char *data,
                    size_t len)
{
    set_payload(r, 200, content_type, data, len);
    static __thread char disp[256];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", filename);
    r->disposition = disp;
    return 0;
}

/* --------------------------------------------------------------- parameters */

const char *http_arg(request *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->con, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

long http_arg_int(request *r, const char *name, long fallback)
{
    const char *v = http_arg(r, name);
    return v ? strtol(v, NULL, 10) : fallback;
}

bool http_arg_bool(request *r, const char *name, bool fallback)
{
    const char *v = http_arg(r, name);
    if (!v) return fallback;
    return strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
}

const char *http_path_param(request *r, const char *name)
{
    int k = 0;
    for (const param_spec *p = r->route->params; p && p->name; p++) {
        if (strcmp(p->in, "path") != 0) continue;
        if (strcmp(p->name, name) == 0) return r->captures[k];
        k++;
    }
    return NULL;
}

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* Checks one value against its declared type; fills why on failure. */
static bool check_value(const param_spec *p, const char *v, char *why, size_t wsz)
{
    size_t len = strlen(v);
    if (!ml_utf8_valid(v, len)) return snprintf(why, wsz, "not UTF-8 text"), false;
    switch (p->type) {
    case P_INT: {
        char *end = NULL;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (!*v || *end || errno || n < p->min || n > p->max)
            return snprintf(why, wsz, "expected an integer from %ld to %ld", p->min, p->max), false;
        return true;
    }
    case P_BOOL:
        if (strcmp(v, "1") && strcmp(v, "0") && strcmp(v, "true") && strcmp(v, "false"))
            return snprintf(why, wsz, "expected true or false"), false;
        return true;
    case P_SIRET:
        if (!all_digits(v, 14)) return snprintf(why, wsz, "expected a SIRET (14 digits)"), false;
        return true;
    case P_SIREN:
        if (!all_digits(v, 9)) return snprintf(why, wsz, "expected a SIREN (9 digits)"), false;
        return true;
    case P_CODE:
        if (len == 0 || len > 16 ||
            strspn(v, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.:") != len)
            return snprintf(why, wsz, "expected a code (letters, digits, '.' or ':')"), false;
        return true;
    case P_NAME:
    case P_STRING:
        if (len > (size_t)(p->max ? p->max : 200))
            return snprintf(why, wsz, "longer than %ld characters", p->max ? p->max : 200), false;
        return true;
    }
    return true;
}

typedef struct arg_check {
    request *r;
    char bad[256];
} arg_check;

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    arg_check *a = cls;
    const param_spec *p = a->r->route->params;
    for (; p && p->name; p++)
        if (strcmp(p->in, "query") == 0 && strcmp(p->name, key) == 0) break;
    char why[160];
    if (!p || !p->name) {
        snprintf(a->bad, sizeof a->bad, "unknown parameter '%.60s'", key);
        return MHD_NO;
    }
    if (value && *value && !check_value(p, value, why, sizeof why)) {
        snprintf(a->bad, sizeof a->bad, "parameter '%s': %s", key, why);
        return MHD_NO;
    }
    return MHD_YES;
}

/* Matches the path against a pattern; fills captures. */
static bool match_route(request *r, const route *rt)
{
    const char *p = rt->pattern, *s = r->path;
    char *out = r->capture_buf;
    size_t left = sizeof r->capture_buf;
    int k = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            size_t n = strcspn(s, "/");
            if (!pe || n == 0 || n >= left || k == (int)ML_ARRAY_LEN(r->captures)) return false;
            memcpy(out, s, n);
            out[n] = '\0';
            r->captures[k++] = out;
            out += n + 1;
            left -= n + 1;
            p = pe + 1;
            s += n;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    return *p == '\0' && *s == '\0';
}

/* ------------------------------------------------------------ static files */

static const struct {
    const char *ext, *type;
} mime[] = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".png", "image/png"}, {".svg", "image/svg+xml"}, {".json", "application/json"},
    {".ico", "image/x-icon"}, {".map", "application/json"},
};

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < ML_ARRAY_LEN(mime); i++)
        if (strcmp(dot, mime[i].ext) == 0) return mime[i].type;
    return "application/octet-stream";
}

/* Serves root/rel if it resolves inside root; rel never holds "..". */
static int serve_file(request *r, const char *root_real, const char *rel)
{
    if (strstr(rel, "..") || strchr(rel, '\\') || strlen(rel) > 512)
        return http_problem(r, 400, "Invalid path", "the path may not contain '..'");
    char path[PATH_MAX], real[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", root_real, rel) >= (int)sizeof path ||
        !realpath(path, real) || strncmp(real, root_real, strlen(root_real)) != 0 ||
        real[strlen(root_real)] != '/')
        return http_problem(r, 404, "Not found", "no file at %s", r->path);
    int fd = open(real, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
        if (fd >= 0) close(fd);
        return http_problem(r, 404, "Not found", "no file at %s", r->path);
    }
    char *data = malloc((size_t)st.st_size + 1);
    ssize_t got = data ? read(fd, data, (size_t)st.st_size) : -1;
    close(fd);
    if (got != st.st_size) {
        free(data);
        return http_problem(r, 500, "Internal error", "cannot read %s", r->path);
    }
    set_payload(r, 200, mime_of(real), data, (size_t)got);
    return 0;
}

static int serve_static(request *r)
{
    http_server *srv = r->srv;
    const char *p = r->path;
    if (strcmp(p, "/") == 0 || strcmp(p, "/index.html") == 0)
        return serve_file(r, srv->web_real, "index.html");
    if (strcmp(p, "/static/config.js") == 0) {
        set_payload(r, 200, "text/javascript; charset=utf-8", srv->config_js, srv->config_js_len);
        r->payload_static = true;
        return 0;
    }
    if (strncmp(p, "/static/", 8) == 0) return serve_file(r, srv->web_real, p + 8);
    static const struct {
        const char *prefix, *dir;
    } vendors[] = {{"/vendor/leaflet/", "leaflet/dist/"},
                   {"/vendor/markercluster/", "leaflet.markercluster/dist/"}};
    for (size_t i = 0; i < ML_ARRAY_LEN(vendors); i++) {
        size_t n = strlen(vendors[i].prefix);
        if (strncmp(p, vendors[i].prefix, n) == 0) {
            char rel[1024];
            snprintf(rel, sizeof rel, "%s%s", vendors[i].dir, p + n);
            return serve_file(r, srv->vendor_real, rel);
        }
    }
    return http_problem(r, 404, "Not found", "no route for %s", p);
}

/* ----------------------------------------------------------------- dispatch */

/* /api/v1/info from the server's copy: one worker recounts when the copy is
 * older than INFO_TTL, the others meanwhile answer the copy they have. */
static void answer_info(request *r)
{
    http_server *srv = r->srv;
    pthread_mutex_lock(&srv->info_lock);
    bool fresh = srv->info && ml_now() - srv->info_at <= INFO_TTL;
    bool recount = !fresh && (!srv->info || !srv->info_refreshing);
    if (recount) srv->info_refreshing = true;
    char *copy = NULL;
    size_t len = 0;
    if (!recount && srv->info) {
        copy = malloc(srv->info_len);
        if (copy) memcpy(copy, srv->info, srv->info_len);
        len = srv->info_len;
    }
    pthread_mutex_unlock(&srv->info_lock);
    if (!recount) {
        if (copy) set_payload(r, 200, "application/json; charset=utf-8", copy, len);
        else http_problem(r, 503, "Unavailable", "out of memory");
        return;
    }
    http_info_handler(r); /* counts, without holding the lock */
    pthread_mutex_lock(&srv->info_lock);
    if (r->status == 200 && (copy = malloc(r->payload_len))) {
        memcpy(copy, r->payload, r->payload_len);
        free(srv->info);
        srv->info = copy;
        srv->info_len = r->payload_len;
        srv->info_at = ml_now();
    }
    srv->info_refreshing = false;
    pthread_mutex_unlock(&srv->info_lock);
}

static void dispatch(request *r)
{
    if (strncmp(r->path, "/api/", 5) != 0) {
        if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
            http_problem(r, 405, "Method not allowed", "%s is not allowed here", r->method);
            return;
        }
        serve_static(r);
        return;
    }
    if (strcmp(r->path, "/api/v1/openapi.json") == 0 && strcmp(r->method, "GET") == 0) {
        set_payload(r, 200, "application/json; charset=utf-8", r->srv->openapi,
                    r->srv->openapi_len);
        r->payload_static = true;
        return;
    }
    bool path_known = false;
    for (size_t i = 0; i < http_nroutes; i++) {
        const route *rt = &http_routes[i];
        if (!match_route(r, rt)) continue;
        path_known = true;
        if (strcmp(rt->method, r->method) != 0) continue;
        r->route = rt;
        /* Path parameters, then query parameters, against their declared types. */
        int k = 0;
        char why[160];
        for (const param_spec *p = rt->params; p && p->name; p++) {
            if (strcmp(p->in, "path") != 0) continue;
            /* libmicrohttpd has already decoded %XX in the path. */
            const char *cap = r->captures[k++];
            if (!check_value(p, cap, why, sizeof why)) {
                http_problem(r, 400, "Invalid request", "path parameter '%s': %s", p->name, why);
                return;
            }
        }
        arg_check a = {.r = r};
        MHD_get_connection_values(r->con, MHD_GET_ARGUMENT_KIND, each_arg, &a);
        if (a.bad[0]) {
            http_problem(r, 400, "Invalid request", "%s", a.bad);
            return;
        }
        for (const param_spec *p = rt->params; p && p->name; p++) {
            if (p->required && strcmp(p->in, "query") == 0 && !http_arg(r, p->name)) {
                http_problem(r, 400, "Invalid request", "parameter '%s' is required", p->name);
                return;
            }
        }
        /* A body is read only by the routes that take one (after routing, so
         * a wrong method or path is said as such). */
        if (strcmp(rt->method, "POST") == 0 && r->raw_len) {
            json_error_t je;
            r->body = json_loadb(r->raw_body, r->raw_len, 0, &je);
            if (!r->body) {
                http_problem(r, 400, "Invalid JSON", "line %d, column %d: %s", je.line,
                             je.column, je.text);
                return;
            }
        }
        thread_db *t = thread_db_get(r->srv);
        if (!t) {
            http_problem(r, 503, "Unavailable", "cannot open the database");
            return;
        }
        r->db = t->db;
        if (rt->fn == http_info_handler) {
            answer_info(r);
            return;
        }
        rt->fn(r);
        return;
    }
    if (path_known)
        http_problem(r, 405, "Method not allowed", "%s is not allowed on %s", r->method, r->path);
    else
        http_problem(r, 404, "Not found", "no API route %s (see /api/v1/openapi.json)", r->path);
}

/* ------------------------------------------------------- libmicrohttpd glue */

typedef struct pending {
    request req;
    char *body;
    size_t body_len;
    bool too_big;
    double started;
    char ip[64];
} pending;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    http_server *srv = cls;
    pending *pd = *con_cls;
    if (!pd) {
        /* First call: headers only. Answer on a later call (keep-alive). */
        pd = calloc(1, sizeof *pd);
        if (!pd) return MHD_NO;
        pd->started = ml_now();
        pd->req.srv = srv;
        pd->req.con = con;
        pd->req.method = method;
        pd->req.path = url;
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            const struct sockaddr_in *sa = (const struct sockaddr_in *)ci->client_addr;
            const unsigned char *b = (const unsigned char *)&sa->sin_addr;
            snprintf(pd->ip, sizeof pd->ip, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        }
        *con_cls = pd;
        const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > HTTP_BODY_MAX) pd->too_big = true;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!pd->too_big && pd->body_len + *upload_size <= HTTP_BODY_MAX) {
            char *b = realloc(pd->body, pd->body_len + *upload_size + 1);
            if (!b) return MHD_NO;
            memcpy(b + pd->body_len, upload_data, *upload_size);
            pd->body = b;
            pd->body_len += *upload_size;
            b[pd->body_len] = '\0';
        } else {
            pd->too_big = true;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    request *r = &pd->req;
    if (strlen(url) >= HTTP_PATH_MAX) {
        http_problem(r, 414, "URI too long", "the path is longer than %d bytes", HTTP_PATH_MAX);
    } else if (pd->too_big) {
        http_problem(r, 413, "Request too large", "the body is larger than %d bytes",
                     HTTP_BODY_MAX);
    } else {
        r->raw_body = pd->body;
        r->raw_len = pd->body_len;
        dispatch(r);
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        r->payload_len, r->payload, r->payload_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!resp) return MHD_NO;
    r->payload_static = true; /* now owned by the response */
    MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control",
                            strncmp(url, "/vendor/", 8) == 0 ? "max-age=86400" : "no-cache");
    if (r->disposition) MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    enum MHD_Result ret = MHD_queue_response(con, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)con;
    http_server *srv = cls;
    pending *pd = *con_cls;
    if (!pd) return;
    if (!srv->opt.quiet) {
        time_t now = time(NULL);
        struct tm tm;
        char when[32];
        gmtime_r(&now, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(stderr, "%s %s \"%s %.200s\" %d %zu %.1fms%s\n", when, pd->ip,
                pd->req.method ? pd->req.method : "-", pd->req.path ? pd->req.path : "-",
                pd->req.status, pd->req.payload_len, (ml_now() - pd->started) * 1000,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    }
    json_decref(pd->req.body);
    if (!pd->req.payload_static) free(pd->req.payload);
    free(pd->body);
    free(pd);
    *con_cls = NULL;
}

/* ------------------------------------------------------------------ startup */

int http_serve(cli *c, const http_options *o)
{
    http_server srv = {.opt = *o};
    int rc = CLI_FAIL;
    struct MHD_Daemon *d = NULL;
    if (!realpath(o->web_root, srv.web_real) || !realpath(o->vendor_root, srv.vendor_real)) {
        fprintf(stderr, "maillage serve: cannot find the web files (%s, %s)\n", o->web_root,
                o->vendor_root);
        return CLI_FAIL;
    }
    ml_db *db = NULL;
    if (cli_open_db(c, 0, &db)) return CLI_FAIL;
    ml_err r = ml_snapshot_build(db, &srv.snap);
    ml_db_close(db);
    if (r) return cli_error(c, r);
    json_t *doc = http_openapi();
    srv.openapi = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    srv.openapi_len = srv.openapi ? strlen(srv.openapi) : 0;
    json_t *tiles = json_string(o->tiles ? o->tiles : "");
    char *tj = json_dumps(tiles, JSON_ENCODE_ANY);
    json_decref(tiles);
    ml_buf cfg;
    ml_buf_init(&cfg, 4096);
    ml_buf_addf(&cfg, "window.MAILLAGE_TILES = %s;\n", tj ? tj : "\"\"");
    free(tj);
    srv.config_js = cfg.data;
    srv.config_js_len = cfg.len;
    pthread_key_create(&srv.db_key, thread_db_free);
    pthread_mutex_init(&srv.info_lock, NULL);

    /* Signals are taken by this thread only (sigwait), not by the pool. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    if (inet_pton(AF_INET, o->bind, &addr.sin_addr) != 1) {
        fprintf(stderr, "maillage serve: --bind expects an IPv4 address, not '%s'\n", o->bind);
        goto out;
    }
    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, (uint16_t)o->port, NULL,
        NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 4),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "maillage serve: cannot listen on %s:%u: %s\n", o->bind, o->port,
                strerror(errno));
        goto out;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : o->port;
    printf("maillage serves %s on http://%s:%u/ (%zu establishments in the snapshot; Ctrl-C stops)\n",
           o->db_path, o->bind, port, ml_snapshot_count(srv.snap));
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "maillage serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    rc = CLI_OK;
out:
    if (d) MHD_stop_daemon(d);
    ml_snapshot_free(srv.snap);
    free(srv.openapi);
    free(srv.config_js);
    free(srv.info);
    pthread_mutex_destroy(&srv.info_lock);
    pthread_key_delete(srv.db_key);
    return rc;
}
