/* server.c — the HTTP server: libmicrohttpd with a thread pool, limits on
 * connections, headers, bodies and slow clients; the hosts and origins it
 * answers (DNS rebinding, cross-site requests); dispatch through the route
 * table with parameters checked before any handler runs; problem documents
 * (RFC 9457) for every error, built from valid, bounded text; security
 * headers on every answer; static files; an access log input cannot forge;
 * a snapshot rebuilt when an import commits beside the server. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

/* Answers of the routes with a cache column, kept for one state of the data:
 * a new snapshot starts with none. Keyed by the route and its parameters. */
#define KEPT_ANSWERS   32           /* answers kept per snapshot */
#define KEPT_KEY_MAX   1024         /* bytes of a route and its parameters */
#define KEPT_BYTES_MAX (256 * 1024) /* a larger answer is not kept */

typedef struct kept_answer {
    const route *route;
    char key[KEPT_KEY_MAX];
    char *payload; /* NULL until the first answer */
    size_t len;
    const char *content_type;
    double at;       /* when it was made (ml_now) */
    bool refreshing; /* a worker is making a fresh one */
} kept_answer;

/* A snapshot and the requests reading it: freed by the last one to let go. */
typedef struct snap_ref {
    ml_snapshot *snap;
    map_cache *maps; /* territory layers read for this state of the data */
    unsigned refs;   /* under http_server.snap_lock */
    pthread_mutex_t kept_lock;
    kept_answer kept[KEPT_ANSWERS];
} snap_ref;

struct http_server {
    http_options opt;
    ml_ctx *ctx;    /* startup and snapshot messages */
    ml_db *watch;   /* notices imports committed by other processes */
    uint64_t stamp; /* ml_db_data_stamp of the current snapshot */
    snap_ref *snap; /* current snapshot, under snap_lock */
    pthread_mutex_t snap_lock;
    char *openapi;
    size_t openapi_len;
    char *config_js;
    size_t config_js_len;
    char *csp_page; /* for the HTML page: allows the tile server's images */
    char **hosts;   /* host names served besides localhost and IP literals */
    size_t nhosts;
    pthread_key_t db_key;
    bool db_key_ready, locks_ready;
    char web_real[PATH_MAX], vendor_real[PATH_MAX];
    struct MHD_Daemon *daemon;
    int accounts_seen; /* the database has accounts (atomic; never goes back) */
    unsigned auth_generation; /* atomic: bumped to forget every kept_auth */
};

#define LOG_TARGET_MAX 300  /* bytes of a request target kept for the log */
#define INSTANCE_MAX   256  /* bytes of the percent-encoded path in a problem */

/* Answers that are not the page: nothing may load, nothing may frame them. */
static const char csp_api[] =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/* Per-thread database connection (SQLite connections are not shared). */
/* Who a session or token stood for, kept by a worker thread for
 * HTTP_AUTH_KEEP_SECONDS: a signed-in read costs no query. Any change the
 * server answers (a logout, a role, a password) makes every thread forget
 * (srv->auth_generation); a change made elsewhere (the CLI disabling an
 * account, another server on the same PostgreSQL) is seen within that time. */
#define HTTP_AUTH_KEPT 64
typedef struct kept_auth {
    char key[ML_SECRET_CHARS + 3]; /* "s:" or "t:", then the secret; "" = free */
    unsigned generation;
    double at;
    ml_auth auth;
} kept_auth;

typedef struct thread_db {
    ml_ctx *ctx;
    ml_db *db;
    kept_auth auth[HTTP_AUTH_KEPT];
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
    if (!t->ctx || ml_db_open(t->ctx, srv->opt.db_path, ML_DB_SHORT_WAIT, &t->db) != ML_OK) {
        thread_db_free(t);
        return NULL;
    }
    pthread_setspecific(srv->db_key, t);
    return t;
}

/* --------------------------------------------------------------- snapshot */

static snap_ref *snap_acquire(http_server *srv)
{
    pthread_mutex_lock(&srv->snap_lock);
    snap_ref *r = srv->snap;
    if (r) r->refs++;
    pthread_mutex_unlock(&srv->snap_lock);
    return r;
}

static void snap_release(http_server *srv, snap_ref *r)
{
    if (!r) return;
    pthread_mutex_lock(&srv->snap_lock);
    bool last = --r->refs == 0;
    pthread_mutex_unlock(&srv->snap_lock);
    if (last) {
        ml_snapshot_free(r->snap);
        map_cache_free(r->maps);
        for (size_t i = 0; i < KEPT_ANSWERS; i++)
            free(r->kept[i].payload);
        pthread_mutex_destroy(&r->kept_lock);
        free(r);
    }
}

/* Builds a snapshot from one consistent state of the database. */
static ml_err build_snapshot(http_server *srv, snap_ref **out)
{
    *out = NULL;
    ml_err e = ml_db_read_begin(srv->watch);
    if (e) return e;
    ml_snapshot *snap = NULL;
    e = ml_snapshot_build(srv->watch, &snap);
    ml_db_read_end(srv->watch);
    if (e) return e;
    snap_ref *r = calloc(1, sizeof *r);
    if (!r || !(r->maps = map_cache_new())) {
        free(r);
        ml_snapshot_free(snap);
        return ml_fail(srv->ctx, ML_NOMEM, "out of memory");
    }
    r->snap = snap;
    r->refs = 1;
    pthread_mutex_init(&r->kept_lock, NULL);
    *out = r;
    return ML_OK;
}

void http_server_poll(http_server *srv)
{
    uint64_t stamp = 0;
    if (ml_db_data_stamp(srv->watch, &stamp) != ML_OK || stamp == srv->stamp) return;
    snap_ref *fresh = NULL;
    if (build_snapshot(srv, &fresh) != ML_OK) {
        fprintf(stderr,
                "maillage serve: the database changed but its snapshot cannot be rebuilt "
                "(the previous one stays): %s\n",
                ml_ctx_message(srv->ctx));
        srv->stamp = stamp;
        return;
    }
    pthread_mutex_lock(&srv->snap_lock);
    snap_ref *old = srv->snap;
    srv->snap = fresh;
    pthread_mutex_unlock(&srv->snap_lock);
    snap_release(srv, old);
    srv->stamp = stamp; /* the kept answers went with the old snapshot */
    fprintf(stderr,
            "maillage serve: the database changed (import or network): %zu establishments "
            "in the new snapshot\n",
            ml_snapshot_count(fresh->snap));
}

size_t http_server_snapshot_count(http_server *srv)
{
    snap_ref *r = snap_acquire(srv);
    size_t n = r ? ml_snapshot_count(r->snap) : 0;
    snap_release(srv, r);
    return n;
}

const ml_snapshot *http_snapshot(request *r)
{
    if (!r->snap) r->snap = snap_acquire(r->srv);
    return r->snap ? r->snap->snap : NULL;
}

map_cache *http_map_cache(request *r)
{
    if (!r->snap) r->snap = snap_acquire(r->srv);
    return r->snap ? r->snap->maps : NULL;
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

const char *http_echo(char *dst, size_t size, const char *s, size_t max)
{
    ml_buf b;
    ml_buf_init(&b, size > 1 ? size - 1 : 1);
    if (size == 0) return "";
    dst[0] = '\0';
    if (s && ml_buf_add_utf8(&b, s, strlen(s), max) == 0)
        ml_snprintf(dst, size, "%s", ml_buf_cstr(&b));
    ml_buf_release(&b);
    return dst;
}

/* The path as a URI reference: bytes outside the unreserved and path
 * characters percent-encoded (so always ASCII), bounded. */
static void path_instance(char *dst, size_t size, const char *path)
{
    static const char keep[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                               "-._~/!$&'()*+,;=:@";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(path ? path : ""); *p; p++) {
        bool plain = strchr(keep, *p) != NULL;
        if (n + (plain ? 1 : 3) + 1 > size) break;
        if (plain)
            dst[n++] = (char)*p;
        else
            n += (size_t)snprintf(dst + n, size - n, "%%%02X", *p);
    }
    dst[n] = '\0';
}

/* The stable code of a problem, from its title: "Invalid request" ->
 * "invalid_request". The web UI translates codes, not details. */
static void problem_code(char *out, size_t size, const char *title)
{
    size_t n = 0;
    bool sep = false;
    for (const char *p = title; *p && n + 2 < size; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (sep && n) out[n++] = '_';
            out[n++] = c;
            sep = false;
        } else {
            sep = true;
        }
    }
    out[n] = '\0';
}

/* The parameter or body field a detail names ("parameter 'commune': …",
 * "path parameter 'siret': …", "field 'verdict': …"), or "". */
static void problem_parameter(char *out, size_t size, const char *detail)
{
    out[0] = '\0';
    static const char *const starts[] = {"parameter '", "path parameter '", "field '"};
    const char *p = NULL;
    for (size_t i = 0; i < ML_ARRAY_LEN(starts) && !p; i++)
        if (strncmp(detail, starts[i], strlen(starts[i])) == 0) p = detail + strlen(starts[i]);
    if (!p) return;
    size_t n = strcspn(p, "'");
    if (n == 0 || n >= size || p[n] != '\'') return;
    memcpy(out, p, n);
    out[n] = '\0';
    if (!ml_utf8_valid(out, n)) out[0] = '\0';
}

static char *problem_json(int status, const char *title, const char *detail, const char *instance)
{
    ml_buf clean;
    ml_buf_init(&clean, 2048);
    ml_buf_add_utf8(&clean, detail, strlen(detail), 1024);
    char code[64], param[64];
    problem_code(code, sizeof code, title);
    problem_parameter(param, sizeof param, ml_buf_cstr(&clean));
    json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}", "type", "about:blank", "title", title,
                          "status", status, "code", code, "detail",
                          ml_buf_failed(&clean) ? "" : ml_buf_cstr(&clean), "instance", instance);
    if (p && param[0]) json_object_set_new(p, "parameter", json_string(param));
    ml_buf_release(&clean);
    char *s = p ? json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(p);
    return s;
}

int http_json(request *r, int status, json_t *body)
{
    return http_json_digits(r, status, body, 0);
}

int http_json_digits(request *r, int status, json_t *body, int digits)
{
    size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
    if (digits > 0 && digits <= 31) flags |= JSON_REAL_PRECISION(digits);
    char *s = json_dumps(body, flags);
    json_decref(body);
    if (!s) return http_problem(r, 500, "Internal error", "cannot encode the answer");
    set_payload(r, status, "application/json; charset=utf-8", s, strlen(s));
    return 0;
}

int http_problem(request *r, int status, const char *title, const char *fmt, ...)
{
    char detail[1024], instance[INSTANCE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    path_instance(instance, sizeof instance, r->path);
    char *s = problem_json(status, title, detail, instance);
    if (!s) {
        static char fallback[] =
            "{\"type\":\"about:blank\",\"title\":\"Unavailable\",\"status\":503,"
            "\"detail\":\"out of memory\",\"instance\":\"\"}";
        set_payload(r, 503, "application/problem+json", fallback, sizeof fallback - 1);
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
        {ML_INVALID, 400, "Invalid request"},      {ML_NOTFOUND, 404, "Not found"},
        {ML_PRIVATE, 403, "Restricted diffusion"}, {ML_LIMIT, 413, "Too large"},
        {ML_FORMAT, 422, "Unprocessable input"},   {ML_AMBIGUOUS, 400, "Ambiguous name"},
        {ML_BUSY, 503, "Busy"},                    {ML_REFUSED, 409, "Refused"},
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

/* Four decimal numbers separated by commas: -?D{1,3}(.D{1,12})?, the shape
 * of P_BBOX (its range is checked by the library). */
static bool bbox_shape(const char *v)
{
    for (int i = 0; i < 4; i++) {
        if (i && *v++ != ',') return false;
        if (*v == '-') v++;
        size_t d = strspn(v, "0123456789");
        if (d < 1 || d > 3) return false;
        v += d;
        if (*v == '.') {
            d = strspn(++v, "0123456789");
            if (d < 1 || d > 12) return false;
            v += d;
        }
    }
    return *v == '\0';
}

/* Checks one value against its declared type; fills why on failure. */
/* YYYY-MM-DD by its shape (the library checks that the day exists). */
static bool date_shape(const char *v)
{
    return strlen(v) == 10 && strspn(v, "0123456789-") == 10 && v[4] == '-' && v[7] == '-' &&
           strchr(v, '-') == v + 4 && strchr(v + 5, '-') == v + 7;
}

static bool check_value(const param_spec *p, const char *v, char *why, size_t wsz)
{
    size_t len = strlen(v);
    if (!ml_utf8_valid(v, len)) return snprintf(why, wsz, "not UTF-8 text"), false;
    switch (p->type) {
    case P_INT: {
        char *end = NULL;
        errno = 0;
        long n = strtol(v, &end, 10);
        /* Digits only, an optional minus first: strtol would skip spaces and a '+'. */
        if (!*v || !strchr("-0123456789", *v) || *end || errno || n < p->min || n > p->max)
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
        if (len == 0 || len > 48 ||
            strspn(v, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.:-") != len)
            return snprintf(why, wsz, "expected a code (letters, digits, '.', ':' or '-')"), false;
        return true;
    case P_BBOX:
        if (len > (size_t)p->max || !bbox_shape(v))
            return snprintf(why, wsz,
                            "expected west,south,east,north: four numbers in degrees, like "
                            "5.2,43.2,5.6,43.5"),
                   false;
        return true;
    case P_DATE:
        if (!date_shape(v)) return snprintf(why, wsz, "expected a date YYYY-MM-DD"), false;
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
        char name[64 + 8];
        snprintf(a->bad, sizeof a->bad, "unknown parameter '%s'",
                 http_echo(name, sizeof name, key, 60));
        return MHD_NO;
    }
    /* An empty text or code is as if absent (forms send them); an empty
     * number or switch (or one cut by a %00) is not a value. */
    bool empty = !value || !*value;
    if (empty && (p->type == P_INT || p->type == P_BOOL)) {
        snprintf(a->bad, sizeof a->bad, "parameter '%s': %s", key,
                 p->type == P_INT ? "expected an integer" : "expected true or false");
        return MHD_NO;
    }
    if (!empty && !check_value(p, value, why, sizeof why)) {
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
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".json", "application/json"},
    {".ico", "image/x-icon"},
    {".map", "application/json"},
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
                   {"/vendor/topojson/", "topojson-client/dist/"}};
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

/* ------------------------------------------------------- hosts and origins */

/* The host name of a Host header value (no port, no brackets), lower case. */
static void host_name(char *dst, size_t size, const char *host)
{
    size_t n;
    if (host[0] == '[') {
        const char *end = strchr(host, ']');
        n = end ? (size_t)(end - host) + 1 : strlen(host);
    } else {
        const char *colon = strrchr(host, ':');
        n = colon ? (size_t)(colon - host) : strlen(host);
    }
    if (n >= size) n = size - 1;
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)(host[i] >= 'A' && host[i] <= 'Z' ? host[i] + 32 : host[i]);
    dst[n] = '\0';
}

/* DNS rebinding gives an attacker's name to this server's address: only
 * names that cannot be rebound (localhost, IP literals) and the configured
 * ones are served. */
static bool host_served(const http_server *srv, const char *host)
{
    char name[256];
    host_name(name, sizeof name, host);
    unsigned char addr[16];
    if (strcmp(name, "localhost") == 0 || inet_pton(AF_INET, name, addr) == 1) return true;
    size_t n = strlen(name);
    if (n > 2 && name[0] == '[' && name[n - 1] == ']') {
        name[n - 1] = '\0';
        if (inet_pton(AF_INET6, name + 1, addr) == 1) return true;
    }
    for (size_t i = 0; i < srv->nhosts; i++)
        if (strcmp(srv->hosts[i], name) == 0) return true;
    return false;
}

/* A browser names the page's origin on every request that changes data: it
 * must be this server as the page reached it, or a configured origin. */
static bool origin_allowed(const http_server *srv, const char *origin, const char *host,
                           bool secure)
{
    char own[300];
    if (host && ml_snprintf(own, sizeof own, "%s://%s", secure ? "https" : "http", host) == 0 &&
        strcasecmp(origin, own) == 0)
        return true;
    for (size_t i = 0; i < srv->opt.nallow_origins; i++)
        if (strcasecmp(origin, srv->opt.allow_origins[i]) == 0) return true;
    return false;
}

/* application/json, with no charset other than UTF-8. */
static bool json_media_type(const char *ct)
{
    if (!ct) return false;
    while (*ct == ' ')
        ct++;
    static const char type[] = "application/json";
    size_t n = sizeof type - 1;
    if (strncasecmp(ct, type, n) != 0) return false;
    const char *p = ct + n;
    while (*p == ' ')
        p++;
    if (*p == '\0') return true;
    if (*p != ';') return false;
    const char *cs = strcasestr(p, "charset=");
    if (!cs) return true;
    cs += 8;
    if (*cs == '"') cs++;
    return strncasecmp(cs, "utf-8", 5) == 0 &&
           (cs[5] == '\0' || cs[5] == '"' || cs[5] == ';' || cs[5] == ' ');
}

static bool changes_data(const char *method)
{
    return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

/* ----------------------------------------------------------------- dispatch */

/* ------------------------------------------------------ roles and bodies */

bool http_route_allows(const route *rt, http_role role)
{
    return role >= rt->role;
}

http_role http_request_role(request *r)
{
    if (!r->accounts) return HTTP_ROLE_WITHOUT_ACCOUNTS;
    return r->signed_in ? r->auth.actor.role : ROLE_PUBLIC;
}

bool http_request_allowed(request *r, const route *rt)
{
    if (!http_route_allows(rt, http_request_role(r))) return false;
    if (!r->accounts) return true;
    /* The directory and map, kept to signed-in accounts by the server's setting. */
    if (rt->role == ROLE_PUBLIC && !rt->open && !r->signed_in && r->srv->opt.private_read)
        return false;
    /* A read-only API token reads. */
    if (r->signed_in && !r->auth.may_write && changes_data(rt->method)) return false;
    return true;
}

int http_answer(request *r, ml_err e, json_t *j, int status)
{
    if (e) {
        json_decref(j);
        return http_error(r, e);
    }
    return http_json(r, status, j);
}

const char *http_body_text(request *r, const char *name)
{
    return json_string_value(json_object_get(r->body, name));
}

int http_body_whole(request *r, const char *name, int64_t min, int64_t max, int64_t fallback,
                    int64_t *out)
{
    const char *v = http_body_text(r, name);
    *out = fallback;
    if (!v || !*v || ml_parse_i64(v, strlen(v), min, max, out) == 0) return 0;
    char echo[HTTP_ECHO_MAX + 8];
    http_problem(r, 400, "Invalid request",
                 "field '%s': expected a whole number from %lld to %lld, not '%s'", name,
                 (long long)min, (long long)max, http_echo(echo, sizeof echo, v, 20));
    return -1;
}

int http_body_euros(request *r, const char *name, int64_t *out)
{
    const char *v = http_body_text(r, name);
    *out = 0;
    if (!v || !*v || ml_euros_parse(v, out) == 0) return 0;
    http_problem(r, 400, "Invalid request",
                 "field '%s': an amount in euros as text, at most two decimals (\"150000\", "
                 "\"150000.50\")",
                 name);
    return -1;
}

int http_send_temp(request *r, ml_err e, const char *tmp, const char *content_type,
                   const char *filename)
{
    FILE *f = e ? NULL : fopen(tmp, "rb");
    char *data = NULL;
    size_t len = 0;
    if (f) {
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        rewind(f);
        data = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (data) len = fread(data, 1, (size_t)n, f);
        fclose(f);
    }
    unlink(tmp);
    if (e) return http_error(r, e);
    if (!data) return http_problem(r, 500, "Internal error", "cannot read the file written");
    return http_file_bytes(r, content_type, filename, data, len);
}

int64_t http_path_id(request *r, const char *name)
{
    const char *v = http_path_param(r, name);
    int64_t id = 0;
    if (!v || ml_parse_i64(v, strlen(v), 1, INT64_MAX, &id) != 0) return 0;
    return id;
}

const ml_actor *http_request_actor(request *r)
{
    return &r->auth.actor;
}

const char *http_role_name(http_role role)
{
    static const char *const names[] = {"public", "guest", "viewer", "officer", "admin"};
    return (size_t)role < ML_ARRAY_LEN(names) ? names[role] : "admin";
}

const http_options *http_server_options(const http_server *srv)
{
    return &srv->opt;
}

static kept_auth *auth_slot(request *r, const char *key)
{
    thread_db *t = pthread_getspecific(r->srv->db_key);
    if (!t) return NULL;
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return &t->auth[h % HTTP_AUTH_KEPT];
}

bool http_auth_kept(request *r, const char *key, ml_auth *out)
{
    kept_auth *k = auth_slot(r, key);
    if (!k || strcmp(k->key, key) != 0 ||
        k->generation != __atomic_load_n(&r->srv->auth_generation, __ATOMIC_ACQUIRE) ||
        ml_now() - k->at > HTTP_AUTH_KEEP_SECONDS)
        return false;
    *out = k->auth;
    ml_auth_fix(out);
    return true;
}

unsigned http_auth_generation(request *r)
{
    return __atomic_load_n(&r->srv->auth_generation, __ATOMIC_ACQUIRE);
}

void http_auth_keep(request *r, const char *key, unsigned generation, const ml_auth *a)
{
    kept_auth *k = auth_slot(r, key);
    if (!k || strlen(key) >= sizeof k->key) return;
    memcpy(k->key, key, strlen(key) + 1);
    k->generation = generation;
    k->at = ml_now();
    k->auth = *a;
}

void http_auth_forget_all(http_server *srv)
{
    __atomic_add_fetch(&srv->auth_generation, 1, __ATOMIC_ACQ_REL);
}

bool http_server_has_accounts(http_server *srv, ml_db *db)
{
    if (__atomic_load_n(&srv->accounts_seen, __ATOMIC_ACQUIRE)) return true;
    int64_t n = 0;
    if (ml_account_count(db, &n) != ML_OK) return true; /* unreadable: assume the strict case */
    if (n > 0) __atomic_store_n(&srv->accounts_seen, 1, __ATOMIC_RELEASE);
    return n > 0;
}

int http_openapi_handler(request *r)
{
    set_payload(r, 200, "application/json; charset=utf-8", r->srv->openapi, r->srv->openapi_len);
    r->payload_static = true;
    return 0;
}

/* True when `v` is one of the '|'-separated `choices`. */
static bool among(const char *choices, const char *v)
{
    size_t len = strlen(v);
    for (const char *c = choices; *c;) {
        size_t n = strcspn(c, "|");
        if (n == len && strncmp(c, v, n) == 0) return true;
        c += n + (c[n] == '|');
    }
    return false;
}

/* "a, b or c" from "a|b|c". */
static void choices_text(char *dst, size_t size, const char *choices)
{
    ml_buf b;
    ml_buf_init(&b, size - 1);
    bool ok = true;
    for (const char *c = choices; ok && *c;) {
        size_t n = strcspn(c, "|");
        ok = ml_buf_add(&b, c, n) == 0;
        c += n;
        if (ok && *c == '|') ok = ml_buf_addstr(&b, strchr(++c, '|') ? ", " : " or ") == 0;
    }
    if (!ok || ml_snprintf(dst, size, "%s", ml_buf_cstr(&b)) != 0)
        ml_snprintf(dst, size, "one of %s", choices); /* too long to spell: as declared */
    ml_buf_release(&b);
}

/* Reads the body as JSON and checks it against the route's body schema: an
 * object of the declared fields only, each of its type; null is absent.
 * Answers a problem naming the field and returns -1, or returns 0. */
static int check_body(request *r, const body_spec *spec)
{
    json_error_t je;
    r->body = r->raw_len ? json_loadb(r->raw_body, r->raw_len, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!r->body && r->raw_len) {
        http_problem(r, 400, "Invalid JSON", "line %d, column %d: %s", je.line, je.column, je.text);
        return -1;
    }
    if (!json_is_object(r->body)) {
        http_problem(r, 400, "Invalid request", "the body must be a JSON object");
        return -1;
    }
    char echo[HTTP_ECHO_MAX + 8], choices[256];
    const char *key;
    json_t *val;
    json_object_foreach(r->body, key, val)
    {
        const body_field *f = spec->fields;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        if (!f->name) {
            http_problem(r, 400, "Invalid request", "unknown field '%s'",
                         http_echo(echo, sizeof echo, key, 60));
            return -1;
        }
        if (json_is_null(val)) continue;
        if (!json_is_string(val)) {
            http_problem(r, 400, "Invalid request", "field '%s': expected %s", f->name,
                         f->type == P_SIRET ? "a SIRET (14 digits) as a string" : "a string");
            return -1;
        }
        const char *v = json_string_value(val);
        if (f->type == P_DATE && !date_shape(v)) {
            http_problem(r, 400, "Invalid request", "field '%s': expected a date YYYY-MM-DD, not '%s'",
                         f->name, http_echo(echo, sizeof echo, v, 20));
            return -1;
        }
        if (f->type == P_SIRET && !all_digits(v, 14)) {
            http_problem(r, 400, "Invalid request",
                         "field '%s': expected a SIRET (14 digits), not '%s'", f->name,
                         http_echo(echo, sizeof echo, v, 20));
            return -1;
        }
        if (f->choices && !among(f->choices, v)) {
            choices_text(choices, sizeof choices, f->choices);
            http_problem(r, 400, "Invalid request", "field '%s': expected %s, not '%s'", f->name,
                         choices, http_echo(echo, sizeof echo, v, 20));
            return -1;
        }
    }
    for (const body_field *f = spec->fields; f->name; f++) {
        json_t *v = json_object_get(r->body, f->name);
        if (f->required && (!v || json_is_null(v))) {
            http_problem(r, 400, "Invalid request", "field '%s': required", f->name);
            return -1;
        }
    }
    return 0;
}

/* ----------------------------------------------------------- kept answers */

/* The route and its parameters as given (validated): the key of a kept
 * answer. False when they do not fit: the answer is then made afresh. */
static bool kept_key(request *r, const route *rt, char *dst, size_t size)
{
    ml_buf b;
    ml_buf_init(&b, size - 1);
    bool ok = ml_buf_addstr(&b, rt->pattern) == 0;
    int k = 0;
    for (const param_spec *p = rt->params; ok && p && p->name; p++) {
        const char *v = strcmp(p->in, "path") == 0 ? r->captures[k++] : http_arg(r, p->name);
        ok = ml_buf_addf(&b, "\n%s=%s", p->name, v ? v : "") == 0;
    }
    ok = ok && ml_snprintf(dst, size, "%s", ml_buf_cstr(&b)) == 0;
    ml_buf_release(&b);
    return ok;
}

/* Answers a route with a cache column from the answers kept for the
 * request's snapshot: one worker makes a fresh answer when the kept one is
 * older than the route's cache_seconds, the others meanwhile answer the one
 * kept. */
static void answer_kept(request *r, const route *rt)
{
    char key[KEPT_KEY_MAX];
    if (!http_snapshot(r) || !kept_key(r, rt, key, sizeof key)) {
        rt->fn(r);
        return;
    }
    snap_ref *s = r->snap;
    double now = ml_now();
    pthread_mutex_lock(&s->kept_lock);
    kept_answer *e = NULL, *spare = NULL;
    for (size_t i = 0; i < KEPT_ANSWERS && !e; i++) {
        kept_answer *k = &s->kept[i];
        if (k->route == rt && strcmp(k->key, key) == 0)
            e = k;
        else if (!k->refreshing && (!spare || !k->route || (spare->route && k->at < spare->at)))
            spare = k; /* a free slot, else the oldest */
    }
    bool fresh = e && e->payload && now - e->at <= (double)rt->cache_seconds;
    char *copy = NULL;
    size_t len = 0;
    const char *type = NULL;
    if (e && e->payload && (fresh || e->refreshing)) {
        copy = malloc(e->len ? e->len : 1);
        if (copy) memcpy(copy, e->payload, e->len);
        len = e->len;
        type = e->content_type;
    }
    kept_answer *mine = NULL; /* the entry this worker refreshes */
    if (!copy && !fresh) {
        if (!e && spare) {
            free(spare->payload);
            *spare = (kept_answer){.route = rt};
            memcpy(spare->key, key, strlen(key) + 1);
            e = spare;
        }
        if (e && !e->refreshing) mine = e;
        if (mine) mine->refreshing = true;
    }
    pthread_mutex_unlock(&s->kept_lock);
    if (copy) {
        set_payload(r, 200, type, copy, len);
        return;
    }
    if (fresh) { /* kept, but no memory to copy it */
        http_problem(r, 503, "Unavailable", "out of memory");
        return;
    }
    rt->fn(r); /* without holding the lock */
    if (!mine) return;
    pthread_mutex_lock(&s->kept_lock);
    if (r->status == 200 && r->payload_len <= KEPT_BYTES_MAX &&
        (copy = malloc(r->payload_len ? r->payload_len : 1))) {
        memcpy(copy, r->payload, r->payload_len);
        free(mine->payload);
        mine->payload = copy;
        mine->len = r->payload_len;
        mine->content_type = r->content_type;
        mine->at = ml_now();
    }
    mine->refreshing = false;
    pthread_mutex_unlock(&s->kept_lock);
}

/* Who may ask: the Host served, the Origin of a change. 0 when allowed. */
static int refuse_foreign(request *r)
{
    const char *host = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Host");
    char echo[HTTP_ECHO_MAX + 8];
    if (!host && r->version && strcmp(r->version, MHD_HTTP_VERSION_1_1) == 0)
        return http_problem(r, 400, "Bad request", "an HTTP/1.1 request needs a Host header") + 1;
    if (host && !host_served(r->srv, host))
        return http_problem(r, 421, "Misdirected request",
                            "this server does not answer for the host '%s' (to serve a name, "
                            "start it with --allow-host NAME)",
                            http_echo(echo, sizeof echo, host, HTTP_ECHO_MAX)) +
               1;
    /* Behind a trusted proxy: the scheme and the client's address it says. */
    const http_options *o = &r->srv->opt;
    r->secure = o->https;
    if (o->trusted_proxy && strcmp(r->address ? r->address : "", o->trusted_proxy) == 0) {
        const char *proto =
            MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "X-Forwarded-Proto");
        if (proto && strcasecmp(proto, "https") == 0) r->secure = true;
        const char *fwd = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "X-Forwarded-For");
        if (fwd && *fwd) {
            const char *last = strrchr(fwd, ',');
            last = last ? last + 1 : fwd;
            while (*last == ' ')
                last++;
            unsigned char bin[16];
            char ip[64];
            ml_snprintf(ip, sizeof ip, "%.*s", (int)strcspn(last, " "), last);
            if (inet_pton(AF_INET, ip, bin) == 1 || inet_pton(AF_INET6, ip, bin) == 1)
                ml_snprintf(r->forwarded, sizeof r->forwarded, "%s", ip), r->address = r->forwarded;
        }
    }
    const char *origin = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Origin");
    if (origin && changes_data(r->method) && !origin_allowed(r->srv, origin, host, r->secure))
        return http_problem(r, 403, "Cross-origin request refused",
                            "a page from the origin '%s' may not change data on this server "
                            "(--allow-origin ORIGIN allows one)",
                            http_echo(echo, sizeof echo, origin, HTTP_ECHO_MAX)) +
               1;
    return 0;
}

static void dispatch(request *r)
{
    if (refuse_foreign(r)) return;
    if (strncmp(r->path, "/api/", 5) != 0) {
        if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
            http_problem(r, 405, "Method not allowed", "%s is not allowed here", r->method);
            return;
        }
        serve_static(r);
        return;
    }
    bool path_known = false;
    for (size_t i = 0; i < http_nroutes; i++) {
        const route *rt = &http_routes[i];
        if (!match_route(r, rt)) continue;
        path_known = true;
        if (strcmp(rt->method, r->method) != 0) continue;
        r->route = rt;
        thread_db *t = thread_db_get(r->srv);
        if (!t) {
            http_problem(r, 503, "Unavailable", "cannot open the database");
            return;
        }
        r->db = t->db;
        /* Path parameters against their declared types (a malformed path is
         * a 400 whoever asks), then who asks. */
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
        if (http_authenticate(r)) return;
        if (!http_request_allowed(r, rt)) {
            if (!r->signed_in)
                http_problem(r, 401, "Authentication required",
                             "%s %s needs a signed-in account (role '%s' or above)", rt->method,
                             rt->pattern, http_role_name(rt->role));
            else
                http_problem(r, 403, "Forbidden", "%s %s needs the role '%s'%s", rt->method,
                             rt->pattern, http_role_name(rt->role),
                             r->auth.by_token && !r->auth.may_write ? " and a write token" : "");
            return;
        }
        /* Query parameters against their declared types. */
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
        /* A change is read only as JSON (after routing, so that a wrong method
         * or path is said as such): a cross-site form cannot send that type.
         * A body is read only by the routes that declare one, against its
         * schema, before the handler runs. */
        if (changes_data(rt->method) && rt->upload_max) {
            /* A file: sent as bytes, a type no cross-site form can send. */
            const char *ct = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Content-Type");
            if (!ct || strncasecmp(ct, "application/octet-stream", 24) != 0 ||
                (ct[24] && ct[24] != ';' && ct[24] != ' ')) {
                char echo[HTTP_ECHO_MAX + 8];
                http_problem(r, 415, "Unsupported media type",
                             "the file must be sent as Content-Type: application/octet-stream "
                             "(not '%s')",
                             http_echo(echo, sizeof echo, ct ? ct : "", HTTP_ECHO_MAX));
                return;
            }
        } else if (changes_data(rt->method)) {
            const char *ct = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Content-Type");
            if (!json_media_type(ct)) {
                char echo[HTTP_ECHO_MAX + 8];
                http_problem(r, 415, "Unsupported media type",
                             "the body must be sent as Content-Type: application/json (not '%s')",
                             http_echo(echo, sizeof echo, ct ? ct : "", HTTP_ECHO_MAX));
                return;
            }
        }
        if (changes_data(rt->method) && http_csrf_refused(r)) return;
        if (rt->body) {
            if (check_body(r, rt->body)) return;
        } else if (r->raw_len && !rt->upload_max) {
            http_problem(r, 400, "Invalid request", "%s %s takes no body", rt->method, rt->pattern);
            return;
        }
        /* Kept answers are shared by every caller: only a public route's
         * answer, which does not depend on who asks, is kept. */
        if (rt->cache_seconds && rt->role == ROLE_PUBLIC)
            answer_kept(r, rt);
        else
            rt->fn(r);
        /* Who a session stands for may have changed: every thread forgets. */
        if (changes_data(rt->method) && r->status >= 200 && r->status < 300)
            http_auth_forget_all(r->srv);
        /* The audit log: every change that succeeded, whoever made it. */
        if (changes_data(rt->method) && r->status >= 200 && r->status < 300 && !rt->audit_self) {
            char action[160];
            ml_snprintf(action, sizeof action, "%s %s", rt->method, rt->pattern);
            if (ml_audit_write(r->db, http_request_actor(r), action, r->path, NULL) != ML_OK)
                fprintf(stderr, "maillage serve: cannot write the audit log: %s\n",
                        ml_ctx_message(http_ctx(r)));
        }
        return;
    }
    if (path_known)
        http_problem(r, 405, "Method not allowed", "%s is not allowed on %s", r->method, r->path);
    else
        http_problem(r, 404, "Not found", "no API route %s (see /api/v1/openapi.json)", r->path);
}

/* ------------------------------------------------------- libmicrohttpd glue */

typedef struct pending pending;

/* One client connection: the request being read on it, for the log. */
typedef struct conn_ctx {
    http_server *srv;
    pending *pd;
} conn_ctx;

struct pending {
    request req;
    conn_ctx *conn;
    char *body;
    size_t body_len;
    bool headers_seen; /* the handler's first call is done */
    bool too_big;
    size_t body_max; /* HTTP_BODY_MAX, or the upload_max of the route asked */
    bool refused; /* answered by libmicrohttpd's refusal (mhd_refusal.c) */
    double started;
    char ip[64];
    char target[LOG_TARGET_MAX + 1]; /* the request target as sent, cut */
    size_t target_len;
    bool target_cut;
};

static void client_ip(struct MHD_Connection *con, char *dst, size_t size)
{
    snprintf(dst, size, "-");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
        const struct sockaddr_in *sa = (const struct sockaddr_in *)ci->client_addr;
        inet_ntop(AF_INET, &sa->sin_addr, dst, (socklen_t)size);
    }
}

static conn_ctx *conn_of(struct MHD_Connection *con)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void on_connection(void *cls, struct MHD_Connection *con, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)con;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        conn_ctx *cc = calloc(1, sizeof *cc);
        if (cc) cc->srv = cls;
        *socket_context = cc;
    } else {
        free(*socket_context);
        *socket_context = NULL;
    }
}

static pending *pending_new(http_server *srv, struct MHD_Connection *con)
{
    pending *pd = calloc(1, sizeof *pd);
    if (!pd) return NULL;
    pd->started = ml_now();
    pd->req.srv = srv;
    pd->req.con = con;
    client_ip(con, pd->ip, sizeof pd->ip);
    pd->req.address = pd->ip;
    pd->conn = conn_of(con);
    if (pd->conn) pd->conn->pd = pd;
    return pd;
}

/* Called with the request target as sent (before any %XX decoding), once the
 * request line is read: the request's state starts here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    pending *pd = pending_new(cls, con);
    if (!pd) return NULL;
    size_t n = uri ? strlen(uri) : 0;
    pd->target_cut = n > LOG_TARGET_MAX;
    pd->target_len = pd->target_cut ? LOG_TARGET_MAX : n;
    if (n) memcpy(pd->target, uri, pd->target_len);
    return pd;
}

static void add_headers(struct MHD_Response *resp, const char *csp)
{
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
}

static const struct {
    unsigned status;
    const char *title, *detail;
} refusals[] = {
    {400, "Bad request",
     "the request cannot be read as HTTP/1.1: a malformed request line, header or "
     "Content-Length, or no Host header"},
    {413, "Request too large", "the request body is larger than the server accepts"},
    {414, "URI too long", "the request line (path and query) is longer than the server accepts"},
    {431, "Request header fields too large",
     "the request headers are larger than the server accepts"},
    {505, "HTTP version not supported", "use HTTP/1.1 (or HTTP/1.0)"},
};

struct MHD_Response *http_refusal(struct MHD_Connection *con, unsigned status, bool answer)
{
    conn_ctx *cc = conn_of(con);
    const char *title = "Refused", *detail = "the HTTP layer refused the request";
    for (size_t i = 0; i < ML_ARRAY_LEN(refusals); i++)
        if (refusals[i].status == status) title = refusals[i].title, detail = refusals[i].detail;
    if (status >= 500 && status != 505) title = "Internal error";
    char instance[INSTANCE_MAX] = "";
    if (cc && cc->pd) {
        cc->pd->refused = true;
        cc->pd->req.status = (int)status;
        /* Only the path: the query of a refused request is not echoed. */
        char path[LOG_TARGET_MAX + 1];
        ml_snprintf(path, sizeof path, "%.*s", (int)strcspn(cc->pd->target, "?"), cc->pd->target);
        path_instance(instance, sizeof instance, path);
    } else if (cc && !cc->srv->opt.quiet) {
        /* Refused before the request line was read: logged here. */
        char ip[64], when[32];
        client_ip(con, ip, sizeof ip);
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        fprintf(stderr, "%s %s \"-\" %u 0 0.0ms (unreadable request line)\n", when, ip, status);
    }
    if (!answer) return NULL;
    char *json = problem_json((int)status, title, detail, instance);
    if (!json) return NULL;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(json), json, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(json);
        return NULL;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/problem+json");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    add_headers(resp, csp_api);
    return resp;
}

/* A successful GET of at least HTTP_ENCODE_MIN bytes of text (not a
 * download) gets an entity tag; a client that names it in If-None-Match gets
 * 304 and no body, one that accepts gzip gets the bytes compressed. */
typedef struct large_answer {
    char etag[48];
    bool not_modified;
    char *gzip; /* owned until given to the response */
    size_t gzip_len;
} large_answer;

static void encode_large(request *r, large_answer *big)
{
    if (r->status != 200 || r->disposition || r->payload_len < HTTP_ENCODE_MIN || !r->method ||
        (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) ||
        !http_compressible(r->content_type))
        return;
    http_etag(r->payload, r->payload_len, big->etag, sizeof big->etag);
    const char *inm = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "If-None-Match");
    if (http_etag_matches(inm, big->etag)) {
        big->not_modified = true;
        return;
    }
    if (http_accepts_gzip(MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Accept-Encoding")))
        big->gzip = http_gzip(r->payload, r->payload_len, &big->gzip_len);
}

/* The most a request's body may hold: a file route's upload_max, else
 * HTTP_BODY_MAX (known from the method and path, before the body is read). */
static size_t body_max(request *r)
{
    if (r->path && strlen(r->path) < HTTP_PATH_MAX)
        for (size_t i = 0; i < http_nroutes; i++) {
            const route *rt = &http_routes[i];
            if (rt->upload_max && strcmp(rt->method, r->method) == 0 && match_route(r, rt))
                return rt->upload_max;
        }
    return HTTP_BODY_MAX;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    http_server *srv = cls;
    pending *pd = *con_cls;
    if (!pd && !(pd = *con_cls = pending_new(srv, con))) return MHD_NO;
    if (!pd->headers_seen) {
        /* First call: headers only. Answer on a later call (keep-alive). */
        pd->headers_seen = true;
        pd->req.method = method;
        pd->req.path = url;
        pd->req.version = version;
        pd->body_max = body_max(&pd->req);
        const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > pd->body_max) pd->too_big = true;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!pd->too_big && pd->body_len + *upload_size <= pd->body_max) {
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
        http_problem(r, 413, "Request too large", "the body is larger than %zu bytes",
                     pd->body_max);
    } else {
        r->raw_body = pd->body;
        r->raw_len = pd->body_len;
        dispatch(r);
    }
    snap_release(srv, r->snap);
    r->snap = NULL;
    large_answer big = {0};
    encode_large(r, &big);
    struct MHD_Response *resp;
    if (big.not_modified) {
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    } else if (big.gzip) {
        resp = MHD_create_response_from_buffer(big.gzip_len, big.gzip, MHD_RESPMEM_MUST_FREE);
        if (!resp) free(big.gzip);
    } else {
        resp = MHD_create_response_from_buffer(r->payload_len, r->payload,
                                               r->payload_static ? MHD_RESPMEM_PERSISTENT
                                                                 : MHD_RESPMEM_MUST_FREE);
        if (resp) r->payload_static = true; /* now owned by the response */
    }
    if (!resp) return MHD_NO;
    if (!big.not_modified)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    bool page = r->status == 200 && strncmp(r->content_type, "text/html", 9) == 0;
    add_headers(resp, page ? srv->csp_page : csp_api);
    /* What a signed-in caller reads, a cookie set, or the answer of a route
     * for a signed-in role (a firm's history...) is kept by no cache. */
    bool private_answer = r->signed_in || r->cookies[0][0] || (r->route && r->route->role > ROLE_PUBLIC);
    MHD_add_response_header(resp, "Cache-Control",
                            private_answer                         ? "private, no-store"
                            : strncmp(url, "/vendor/", 8) == 0 ? "max-age=86400"
                                                               : "no-cache");
    if (big.etag[0]) {
        MHD_add_response_header(resp, "ETag", big.etag);
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    }
    if (big.gzip) MHD_add_response_header(resp, "Content-Encoding", "gzip");
    for (size_t i = 0; i < ML_ARRAY_LEN(r->cookies); i++)
        if (r->cookies[i][0]) MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
    if (r->status == 401) MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"maillage\"");
    if (r->status == 429 && r->retry_after) {
        char ra[24];
        snprintf(ra, sizeof ra, "%u", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", ra);
    }
    if (r->disposition) MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    /* Busy: a write came during an import; the client may try again. */
    if (r->status == 503) MHD_add_response_header(resp, "Retry-After", "10");
    enum MHD_Result ret =
        MHD_queue_response(con, big.not_modified ? 304u : (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* One line per request: what was asked, escaped (no byte of the request can
 * start a line or move the cursor), the status, the size, the time taken. */
static void log_request(const pending *pd, enum MHD_RequestTerminationCode toe)
{
    time_t now = time(NULL);
    struct tm tm;
    char when[32];
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    ml_buf line;
    ml_buf_init(&line, 4096);
    const char *method = pd->req.method ? pd->req.method : "-";
    ml_buf_add_escaped(&line, method, strlen(method), 32, ML_ESCAPE_QUOTES);
    ml_buf_addch(&line, ' ');
    ml_buf_add_escaped(&line, pd->target, pd->target_len, LOG_TARGET_MAX * 2, ML_ESCAPE_QUOTES);
    if (pd->target_cut) ml_buf_addstr(&line, "…");
    fprintf(stderr, "%s %s \"%s\" %d %zu %.1fms%s\n", when, pd->ip,
            ml_buf_failed(&line) ? "-" : ml_buf_cstr(&line), pd->req.status,
            pd->refused ? 0 : pd->req.payload_len, (ml_now() - pd->started) * 1000,
            pd->refused                                  ? " (refused by the HTTP layer)"
            : toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
                                                         : " (aborted)");
    ml_buf_release(&line);
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)con;
    http_server *srv = cls;
    pending *pd = *con_cls;
    if (!pd) return;
    if (!srv->opt.quiet) log_request(pd, toe);
    if (pd->conn && pd->conn->pd == pd) pd->conn->pd = NULL;
    snap_release(srv, pd->req.snap);
    json_decref(pd->req.body);
    if (!pd->req.payload_static) free(pd->req.payload);
    free(pd->body);
    free(pd);
    *con_cls = NULL;
}

/* ------------------------------------------------------------------ startup */

/* The tile server's origin for the page's img-src (a {s} subdomain template
 * gives a wildcard: https, then *.tile.example), "" for tiles from this
 * server; -1 when the URL cannot be read (the map then draws without tiles). */
static int tile_source(const char *url, char *dst, size_t size)
{
    dst[0] = '\0';
    if (!url || !*url || (url[0] == '/' && url[1] != '/')) return 0; /* none, or this server */
    const char *host;
    size_t scheme = 0;
    if (strncmp(url, "https://", 8) == 0)
        scheme = 8;
    else if (strncmp(url, "http://", 7) == 0)
        scheme = 7;
    else if (strncmp(url, "//", 2) == 0)
        scheme = 2;
    else
        return -1;
    host = url + scheme;
    size_t n = strcspn(host, "/?#");
    if (n == 0) return -1;
    ml_buf b;
    ml_buf_init(&b, size - 1);
    if (scheme != 2) ml_buf_add(&b, url, scheme);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        if (strncmp(host + i, "{s}", 3) == 0 && i == 0) {
            ok = ml_buf_addch(&b, '*') == 0;
            i += 2;
        } else if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]",
                          host[i]) &&
                   host[i]) {
            ok = ml_buf_addch(&b, host[i]) == 0;
        } else {
            ok = false;
        }
    }
    if (ok) ml_snprintf(dst, size, "%s", ml_buf_cstr(&b));
    ml_buf_release(&b);
    return ok ? 0 : -1;
}

static ml_err add_host(http_server *srv, const char *host)
{
    char **h = realloc(srv->hosts, (srv->nhosts + 1) * sizeof *h);
    if (!h) return ml_fail(srv->ctx, ML_NOMEM, "out of memory");
    srv->hosts = h;
    char name[256];
    host_name(name, sizeof name, host);
    if (!(h[srv->nhosts] = ml_strdup(name))) return ml_fail(srv->ctx, ML_NOMEM, "out of memory");
    srv->nhosts++;
    return ML_OK;
}

/* The hosts of --allow-host and of the --allow-origin origins. */
static ml_err hosts_init(http_server *srv)
{
    const http_options *o = &srv->opt;
    for (size_t i = 0; i < o->nallow_hosts; i++) {
        ml_err e = add_host(srv, o->allow_hosts[i]);
        if (e) return e;
    }
    for (size_t i = 0; i < o->nallow_origins; i++) {
        const char *origin = o->allow_origins[i], *sep = strstr(origin, "://");
        if (!sep || !sep[3] || strchr(sep + 3, '/'))
            return ml_fail(srv->ctx, ML_INVALID,
                           "--allow-origin expects scheme://host[:port], like "
                           "https://carto.example.org, not '%s'",
                           origin);
        ml_err e = add_host(srv, sep + 3);
        if (e) return e;
    }
    return ML_OK;
}

ml_err http_server_new(ml_ctx *ctx, const http_options *o, http_server **out)
{
    *out = NULL;
    http_server *srv = calloc(1, sizeof *srv);
    if (!srv) return ml_fail(ctx, ML_NOMEM, "out of memory");
    srv->opt = *o;
    srv->ctx = ctx;
    ml_err e = ML_OK;
    pthread_mutex_init(&srv->snap_lock, NULL);
    srv->locks_ready = true;
    if (pthread_key_create(&srv->db_key, thread_db_free) != 0) {
        e = ml_fail(ctx, ML_NOMEM, "out of memory");
        goto fail;
    }
    srv->db_key_ready = true;
    if (!realpath(o->web_root, srv->web_real) || !realpath(o->vendor_root, srv->vendor_real)) {
        e = ml_fail(ctx, ML_IO, "cannot find the web files (%s, %s)", o->web_root, o->vendor_root);
        goto fail;
    }
    if ((e = hosts_init(srv))) goto fail;
    if ((e = ml_db_open(ctx, o->db_path, 0, &srv->watch))) goto fail;
    if ((e = ml_db_data_stamp(srv->watch, &srv->stamp)) || (e = build_snapshot(srv, &srv->snap)))
        goto fail;
    json_t *doc = http_openapi();
    srv->openapi = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    if (!srv->openapi) {
        e = ml_fail(ctx, ML_ERROR, "cannot build the OpenAPI document");
        goto fail;
    }
    srv->openapi_len = srv->openapi ? strlen(srv->openapi) : 0;
    json_t *tiles = json_string(o->tiles ? o->tiles : "");
    char *tj = json_dumps(tiles, JSON_ENCODE_ANY);
    json_decref(tiles);
    ml_buf cfg;
    ml_buf_init(&cfg, 4096);
    ml_buf_addf(&cfg, "window.MAILLAGE_TILES = %s;\n", tj ? tj : "\"\"");
    free(tj);
    if (ml_buf_failed(&cfg)) ml_buf_release(&cfg); /* a tile URL past 4 KiB: refused below */
    srv->config_js = cfg.data;
    srv->config_js_len = cfg.len;
    char tiles_src[512];
    if (tile_source(o->tiles, tiles_src, sizeof tiles_src) != 0)
        fprintf(stderr,
                "maillage serve: warning: cannot read the tile URL '%s' (expected "
                "https://host/{z}/{x}/{y}.png): the map will draw without tiles\n",
                o->tiles);
    ml_buf csp;
    ml_buf_init(&csp, 2048);
    ml_buf_addf(
        &csp,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:%s%s; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'",
        tiles_src[0] ? " " : "", tiles_src);
    if (ml_buf_failed(&csp)) ml_buf_release(&csp);
    srv->csp_page = csp.data;
    if (!srv->openapi || !srv->config_js || !srv->csp_page) {
        e = ml_fail(ctx, ML_NOMEM,
                    "cannot build the page headers (out of memory, or a tile URL "
                    "too long)");
        goto fail;
    }
    *out = srv;
    return ML_OK;
fail:
    http_server_free(srv);
    return e;
}

struct MHD_Daemon *http_server_start(http_server *srv, bool listen)
{
    const http_options *o = &srv->opt;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    if (listen && inet_pton(AF_INET, o->bind, &addr.sin_addr) != 1) {
        errno = EINVAL;
        return NULL;
    }
    size_t memory = o->memory_limit ? o->memory_limit : 64 * 1024;
    if (listen)
        srv->daemon = MHD_start_daemon(
            MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, (uint16_t)o->port,
            NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 4),
            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_CONNECTION_LIMIT,
            (unsigned)4096, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory, MHD_OPTION_LISTEN_BACKLOG_SIZE,
            (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
            MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
            srv, MHD_OPTION_END);
    else
        srv->daemon = MHD_start_daemon(
            MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, on_request, srv, MHD_OPTION_CONNECTION_TIMEOUT,
            (unsigned)10, MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory, MHD_OPTION_NOTIFY_COMPLETED,
            on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
            MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv, MHD_OPTION_END);
    return srv->daemon;
}

void http_server_free(http_server *srv)
{
    if (!srv) return;
    if (srv->daemon) MHD_stop_daemon(srv->daemon);
    snap_release(srv, srv->snap);
    ml_db_close(srv->watch);
    free(srv->openapi);
    free(srv->config_js);
    free(srv->csp_page);
    for (size_t i = 0; i < srv->nhosts; i++)
        free(srv->hosts[i]);
    free(srv->hosts);
    if (srv->locks_ready) {
        pthread_mutex_destroy(&srv->snap_lock);
    }
    if (srv->db_key_ready) {
        /* The calling thread's connection, if it made one (the fuzzer's). */
        thread_db_free(pthread_getspecific(srv->db_key));
        pthread_key_delete(srv->db_key);
    }
    free(srv);
}
