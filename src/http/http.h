/* http.h — the HTTP face of maillage: a libmicrohttpd server, one route
 * table from which dispatch, parameter validation and the OpenAPI document
 * all come, handlers that call the library and answer JSON. Every answer
 * that is not a success is a problem document (RFC 9457), including the
 * refusals libmicrohttpd makes itself (see mhd_refusal.c). */
#ifndef ML_HTTP_H
#define ML_HTTP_H

#include <microhttpd.h>

#include "../cli.h"
#include "core/core.h" /* buffers, UTF-8 checks, clocks: shared with the engine */

#define HTTP_BODY_MAX (64 * 1024) /* request bodies */
#define HTTP_PATH_MAX 1024
#define HTTP_ECHO_MAX 120 /* bytes of a request value quoted in a message */

typedef enum param_type {
    P_STRING,
    P_INT,
    P_BOOL,
    P_SIRET,
    P_SIREN,
    P_CODE,
    P_NAME,
    P_BBOX, /* west,south,east,north: four decimal numbers */
    P_DATE  /* YYYY-MM-DD */
} param_type;

typedef struct param_spec {
    const char *name;
    const char *in; /* "query" or "path" */
    param_type type;
    long min, max; /* integers: range; strings: max length in max */
    bool required;
    const char *description;
} param_spec;

typedef struct http_server http_server;
struct snap_ref;

/* One request being answered. */
typedef struct request {
    http_server *srv;
    struct MHD_Connection *con;
    const char *method, *path, *version;
    const struct route *route;
    char *captures[4]; /* path parameters in pattern order (in capture_buf) */
    char capture_buf[HTTP_PATH_MAX];
    ml_db *db;             /* this thread's connection */
    struct snap_ref *snap; /* the snapshot this request reads (held until it ends) */
    const char *raw_body;  /* the request body as received (NUL-terminated), or NULL */
    size_t raw_len;
    json_t *body; /* parsed JSON body, for routes that take one */
    /* Who asks (session.c): filled before the role check of an API route. */
    ml_auth auth;                      /* the actor (a local officer when there are no accounts) */
    bool signed_in;                    /* by a session or a token */
    bool accounts;                     /* the database has accounts: roles, CSRF tokens apply */
    char session[ML_SECRET_CHARS + 1]; /* the session cookie presented, "" if none */
    const char *address;               /* the client's address */
    bool secure;        /* reached over HTTPS (directly or through a trusted proxy) */
    char forwarded[64]; /* the client's address a trusted proxy gave */
    /* the answer */
    int status;
    char *payload;
    size_t payload_len;
    const char *content_type;
    const char *disposition; /* Content-Disposition, or NULL */
    bool payload_static;     /* not to be freed */
    char cookies[2][256];    /* Set-Cookie values, "" if unused */
    unsigned retry_after;    /* 429: seconds, sent as Retry-After */
} request;

typedef int (*route_fn)(request *r);

/* Who may call a route: the least role of its caller (ml_role; each role
 * may call the routes of the roles before it). ROLE_PUBLIC routes are the
 * public directory and map: anyone may read them unless the server keeps
 * them to signed-in accounts (serve --public-read no), except the routes
 * marked `open` (signing in, the API document), which anyone may call.
 * A server whose database has no account yet runs as before accounts:
 * every request has the role HTTP_ROLE_WITHOUT_ACCOUNTS. */
typedef ml_role http_role;
#define ROLE_PUBLIC                ML_ROLE_NONE /* anyone (see above) */
#define ROLE_GUEST                 ML_ROLE_GUEST /* a signed-in guest: a company contact, a public buyer */
#define ROLE_VIEWER                ML_ROLE_VIEWER /* a signed-in reader of an organisation */
#define ROLE_OFFICER               ML_ROLE_OFFICER /* an officer: records verdicts, manages networks */
#define ROLE_ADMIN                 ML_ROLE_ADMIN /* an organisation's administrator */
#define HTTP_ROLE_WITHOUT_ACCOUNTS ROLE_OFFICER

/* One member of a JSON request body. null is taken as absent. */
typedef struct body_field {
    const char *name;
    param_type type;         /* P_STRING, P_SIRET (14 digits; the library checks the key) or
                                P_DATE (YYYY-MM-DD; the library checks the day exists) */
    bool required;           /* present and not null */
    const char *choices;     /* P_STRING: the values accepted, '|' between; NULL: any text */
    const char *description; /* for the OpenAPI document */
    const char *example;     /* a valid value (OpenAPI "examples"; the route tests send it) */
} body_field;

/* The JSON object a route takes as its body: its fields, no others. */
typedef struct body_spec {
    const char *name; /* in the OpenAPI components: "Verdict" */
    const char *description;
    const body_field *fields; /* ended by a row whose name is NULL */
} body_spec;

/* A row of the route table. Dispatch, validation (path and query
 * parameters, the body), the role check, the answer cache and the OpenAPI
 * document all come from these columns. */
typedef struct route {
    const char *method;
    const char *pattern; /* "/api/v1/establishments/{siret}" */
    route_fn fn;
    const char *summary;
    const char *tag;
    const param_spec *params;
    const char *schema;      /* JSON Schema of a 2xx answer, as JSON text; NULL = a file */
    const char *file_type;   /* content type of a file answer */
    const body_spec *body;   /* the JSON body it takes (checked before fn runs); NULL: none */
    http_role role;          /* the least role that may call it */
    unsigned cache_seconds;  /* 0: answered afresh; N: a 200 answer is kept N seconds for
                                the same parameters, never across a change of the data;
                                for ROLE_PUBLIC routes only (a kept answer is anyone's) */
    const char *description; /* more than the summary, for the OpenAPI document; or NULL */
    /* Non-zero: the route takes a file as its body (Content-Type:
     * application/octet-stream), at most this many bytes, in r->raw_body;
     * `body` is then NULL. Other requests' bodies stay under HTTP_BODY_MAX. */
    size_t upload_max;
    bool open;               /* ROLE_PUBLIC: answered even when the data is kept to accounts */
    bool audit_self;         /* the handler writes its own audit entry (not the dispatch's) */
} route;

extern const route http_routes[];
extern const size_t http_nroutes;

/* Answers. Each returns 0. Problem details are made valid UTF-8 and bounded
 * whatever bytes the request brought; `instance` is the path, percent-encoded. */
int http_json(request *r, int status, json_t *body); /* steals body */
/* The same, real numbers written with at most `digits` significant digits. */
int http_json_digits(request *r, int status, json_t *body, int digits);
int http_problem(request *r, int status, const char *title, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int http_error(request *r, ml_err err); /* from the ctx message */
/* A handler's usual end: the problem of e (j freed), else j with status. */
int http_answer(request *r, ml_err e, json_t *j, int status);
/* A string member of the request's JSON body (NULL if absent or not a string). */
const char *http_body_text(request *r, const char *name);
/* A whole number of the body given as text, within [min, max] (absent or
 * empty: *out = fallback); -1 with a 400 answered naming the field. */
int http_body_whole(request *r, const char *name, int64_t min, int64_t max, int64_t fallback,
                    int64_t *out);
/* An amount in euros of the body given as text, at most two decimals, in
 * cents (absent or empty: 0); -1 with a 400 answered naming the field. */
int http_body_euros(request *r, const char *name, int64_t *out);
/* A path parameter declared P_INT (already range-checked); 0 if absent. */
int64_t http_path_id(request *r, const char *name);
/* What a call that returned e wrote in the temporary file `tmp`: its bytes
 * sent with content_type and filename (as http_file_bytes), or e's problem;
 * the file is removed either way. */
int http_send_temp(request *r, ml_err e, const char *tmp, const char *content_type,
                   const char *filename);
int http_file_bytes(request *r, const char *content_type, const char *filename, char *data,
                    size_t len); /* takes data */

/* Copies at most `max` bytes of request text s into dst (size bytes) as
 * valid UTF-8, cut between characters, for quoting in a message. */
const char *http_echo(char *dst, size_t size, const char *s, size_t max);

/* Request parameters (already validated against the route's table). */
const char *http_arg(request *r, const char *name);
long http_arg_int(request *r, const char *name, long fallback);
bool http_arg_bool(request *r, const char *name, bool fallback);
const char *http_path_param(request *r, const char *name);

/* Large answers (encoding.c). An answer of at least HTTP_ENCODE_MIN bytes
 * gets an entity tag made from its bytes (written to dst, at most 40
 * bytes); If-None-Match naming it (weak comparison, or "*") is answered 304.
 * http_gzip returns a malloc'd gzip member of data (NULL when out of memory). */
#define HTTP_ENCODE_MIN 1024
void http_etag(const char *data, size_t len, char *dst, size_t size);
bool http_etag_matches(const char *if_none_match, const char *etag);
bool http_accepts_gzip(const char *accept_encoding); /* gzip, x-gzip or *, not q=0 */
bool http_compressible(const char *content_type);
char *http_gzip(const char *data, size_t len, size_t *out_len);

/* The shared snapshot (read-only), the server's context. */
const ml_snapshot *http_snapshot(request *r);
ml_ctx *http_ctx(request *r);

/* GET /api/v1/map/clusters (map.c), and the cache of territory layers it
 * reads: one per snapshot, created and freed with it. */
typedef struct map_cache map_cache;
int http_map_clusters_handler(request *r);
map_cache *map_cache_new(void);
void map_cache_free(map_cache *c);
map_cache *http_map_cache(request *r); /* the cache of the request's snapshot */

/* May a caller with this role call this route? The table's order of roles. */
bool http_route_allows(const route *rt, http_role role);
/* The one check dispatch makes: the route's role against the request's, the
 * server's public-read setting, and a read-only token's scope. */
bool http_request_allowed(request *r, const route *rt);
/* The role of the request's caller: its account's role in the organisation
 * it acts for; ROLE_PUBLIC when nobody signed in; HTTP_ROLE_WITHOUT_ACCOUNTS
 * on a database without accounts. */
http_role http_request_role(request *r);
/* Who makes the request: the author of its writes, the reader of shared
 * records. Never NULL: r->auth.actor, built by http_authenticate from the
 * session cookie or the bearer token (user 0, role NONE, "anonymous" when
 * nobody signed in; a local officer "local" without accounts); its address
 * is the client's. Valid until the request ends. */
const ml_actor *http_request_actor(request *r);
const char *http_role_name(http_role role); /* "public", "guest", "viewer", "officer", "admin" */

/* Sessions and CSRF (session.c). http_authenticate fills r->auth from the
 * Authorization: Bearer token or the session cookie; it answers 401 (and
 * returns -1) only for a bearer token that is not valid. http_csrf_refused
 * answers 403 and returns -1 when a change lacks its CSRF token. */
int http_authenticate(request *r);
int http_csrf_refused(request *r);
/* Adds a Set-Cookie to the answer (at most 2). */
void http_set_cookie(request *r, const char *name, const char *value, long max_age, bool http_only);
/* The value of a request cookie into out ("" when absent). */
void http_cookie(request *r, const char *name, char *out, size_t size);
/* Who a session ("s:SECRET") or token ("t:SECRET") stood for, kept a
 * moment by this worker thread (server.c): http_auth_kept fills out when
 * it is kept and fresh; http_auth_forget_all after any change answered. */
#define HTTP_AUTH_KEEP_SECONDS 1.0
bool http_auth_kept(request *r, const char *key, ml_auth *out);
/* The generation to keep an answer under: read before the database is
 * asked, so that a change answered meanwhile makes it stale at once. */
unsigned http_auth_generation(request *r);
void http_auth_keep(request *r, const char *key, unsigned generation, const ml_auth *a);
void http_auth_forget_all(http_server *srv);
/* The server's options, and whether its database has accounts (cached once true). */
const struct http_options *http_server_options(const http_server *srv);
bool http_server_has_accounts(http_server *srv, ml_db *db);
/* Route handlers of the accounts (session.c). */
int http_session_get(request *r);
int http_session_login(request *r);
int http_session_logout(request *r);
int http_session_logout_all(request *r);
int http_account_get(request *r);
int http_account_password(request *r);
int http_token_create(request *r);
int http_token_revoke(request *r);
int http_org_get(request *r);
int http_member_set(request *r);
int http_invite_create(request *r);
int http_invite_accept(request *r);
int http_audit_get(request *r);
int http_audit_csv(request *r);

/* GET /api/v1/openapi.json: the document the server made at start. */
int http_openapi_handler(request *r);

/* The OpenAPI 3.1 document, generated from the route table's columns. */
json_t *http_openapi(void);

typedef struct http_options {
    const char *db_path;
    const char *bind;
    unsigned port;
    unsigned threads;
    const char *web_root;    /* web/ */
    const char *vendor_root; /* node_modules/ */
    const char *tiles;       /* tile URL template, "" for none */
    bool quiet;              /* no access log */
    /* Origins (scheme://host[:port]) allowed to change data besides the
     * server's own, e.g. a reverse proxy's public address; their host names
     * are served too. */
    const char *const *allow_origins;
    size_t nallow_origins;
    const char *const *allow_hosts; /* more host names the server answers for */
    size_t nallow_hosts;
    size_t memory_limit; /* per connection (request line and headers); 0 = 64 KiB */
    /* Accounts (issue 11). */
    bool private_read;         /* the directory and map only for signed-in accounts */
    bool https;                /* served over HTTPS: cookies get Secure */
    const char *trusted_proxy; /* a proxy's address whose X-Forwarded-Proto/-For are believed */
    const char *mail_command;  /* run with an invitation's email as argument, the message on
                                  its standard input; NULL: none (the link is copied) */
} http_options;

/* The server's state: snapshot, OpenAPI document, web roots, rules. Messages
 * go to ctx (borrowed, must outlive the server). */
ml_err http_server_new(ml_ctx *ctx, const http_options *o, http_server **out);
/* Starts libmicrohttpd: listening on o->bind:o->port with its thread pool,
 * or, when `listen` is false, without a socket or thread (connections are
 * then given with MHD_add_connection and run with MHD_run: the fuzzer).
 * Returns the daemon, or NULL (errno says why). */
struct MHD_Daemon *http_server_start(http_server *srv, bool listen);
/* Notices a committed import (or network) and then rebuilds the snapshot;
 * requests in flight keep the one they started with. Call it now and then. */
void http_server_poll(http_server *srv);
size_t http_server_snapshot_count(http_server *srv);
void http_server_free(http_server *srv);

/* Runs the server until SIGINT/SIGTERM. Returns an exit status. */
int http_serve(cli *c, const http_options *o);

/* For a request libmicrohttpd refuses itself (mhd_refusal.c): notes it for
 * the access log and, when `answer`, returns the problem document to answer
 * instead, with the server's headers (NULL when out of memory). */
struct MHD_Response *http_refusal(struct MHD_Connection *con, unsigned status, bool answer);

#endif
