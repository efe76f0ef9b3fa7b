/* session.c — accounts on the HTTP face: who a request comes from (a bearer
 * API token or the session cookie), the CSRF check of every change, the
 * cookies, and the routes of signing in and out, one's account and tokens,
 * an organisation's members and invitations, and the audit log. */
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http.h"

#define SESSION_COOKIE "maillage_session"
#define CSRF_COOKIE    "maillage_csrf"
#define CSRF_HEADER    "X-CSRF-Token"

extern char **environ;

/* ------------------------------------------------------------- cookies */

void http_cookie(request *r, const char *name, char *out, size_t size)
{
    out[0] = '\0';
    const char *h = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Cookie");
    size_t n = strlen(name);
    for (const char *p = h; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        size_t len = strcspn(p, ";");
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            size_t v = len - n - 1;
            if (v < size) {
                memcpy(out, p + n + 1, v);
                out[v] = '\0';
            }
            return;
        }
        p += len;
    }
}

void http_set_cookie(request *r, const char *name, const char *value, long max_age, bool http_only)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(r->cookies); i++) {
        if (r->cookies[i][0]) continue;
        snprintf(r->cookies[i], sizeof r->cookies[i],
                 "%s=%s; Path=/; Max-Age=%ld; SameSite=Lax%s%s", name, value, max_age,
                 http_only ? "; HttpOnly" : "", r->secure ? "; Secure" : "");
        return;
    }
}

/* Constant time: how much of a secret matched says nothing. */
static bool same_secret(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n == 0 || n != strlen(b)) return false;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

/* ----------------------------------------------------------- who asks */

int http_authenticate(request *r)
{
    r->auth = (ml_auth){0};
    r->signed_in = false;
    r->session[0] = '\0';
    r->accounts = http_server_has_accounts(r->srv, r->db);
    if (!r->accounts) { /* as before accounts: a local officer */
        r->auth.actor.role = HTTP_ROLE_WITHOUT_ACCOUNTS;
        r->auth.may_write = true;
        ml_snprintf(r->auth.name, sizeof r->auth.name, "local");
    } else {
        const char *authz = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Authorization");
        ml_err e = ML_NOTFOUND;
        char key[ML_SECRET_CHARS + 3];
        if (authz) {
            bool bearer =
                strncasecmp(authz, "Bearer ", 7) == 0 && strlen(authz + 7) <= ML_SECRET_CHARS;
            if (bearer) {
                ml_snprintf(key, sizeof key, "t:%s", authz + 7);
                unsigned gen = http_auth_generation(r);
                if (http_auth_kept(r, key, &r->auth))
                    e = ML_OK;
                else if ((e = ml_token_check(r->db, authz + 7, &r->auth)) == ML_OK)
                    http_auth_keep(r, key, gen, &r->auth);
            }
            if (e == ML_NOTFOUND)
                return http_problem(r, 401, "Invalid token",
                                    "the Authorization header holds no valid API token (expected "
                                    "Bearer TOKEN, a token not revoked)") -
                       1;
        } else {
            http_cookie(r, SESSION_COOKIE, r->session, sizeof r->session);
            if (r->session[0]) {
                ml_snprintf(key, sizeof key, "s:%s", r->session);
                unsigned gen = http_auth_generation(r);
                if (http_auth_kept(r, key, &r->auth))
                    e = ML_OK;
                else if ((e = ml_session_check(r->db, r->session, &r->auth)) == ML_OK)
                    http_auth_keep(r, key, gen, &r->auth);
                if (e == ML_NOTFOUND) http_set_cookie(r, SESSION_COOKIE, "", 0, true);
            }
        }
        if (e != ML_OK && e != ML_NOTFOUND) return http_error(r, e) - 1;
        r->signed_in = e == ML_OK;
        if (!r->signed_in) {
            r->auth = (ml_auth){0};
            ml_snprintf(r->auth.name, sizeof r->auth.name, "anonymous");
        }
    }
    ml_auth_fix(&r->auth);
    r->auth.actor.address = r->address;
    return 0;
}

/* Synchronizer token for a session (the one it was given at login);
 * double-submit for a client not signed in (the cookie GET /api/v1/session
 * set, repeated in the header); none for a bearer token, which no browser
 * sends by itself. */
int http_csrf_refused(request *r)
{
    if (!r->accounts || (r->signed_in && r->auth.by_token)) return 0;
    const char *sent = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, CSRF_HEADER);
    char cookie[ML_SECRET_CHARS + 2];
    const char *expected = r->auth.csrf;
    if (!r->signed_in) {
        http_cookie(r, CSRF_COOKIE, cookie, sizeof cookie);
        expected = cookie;
    }
    if (sent && same_secret(expected, sent)) return 0;
    return http_problem(r, 403, "CSRF token refused",
                        "a change needs the header " CSRF_HEADER
                        " with the token GET /api/v1/session gives (%s)",
                        sent ? "the one sent is not it" : "none was sent") -
           1;
}

/* ----------------------------------------------------------- sessions */

static json_t *session_json(request *r, const ml_auth *a, bool signed_in, const char *csrf)
{
    const http_options *o = http_server_options(r->srv);
    json_t *j = json_pack("{s:b, s:b, s:b, s:s}", "signed_in", signed_in, "accounts", r->accounts,
                          "public_read", !o->private_read, "csrf", csrf ? csrf : "");
    if (j && signed_in) {
        json_t *orgs = json_array();
        for (size_t i = 0; orgs && i < a->actor.norgs; i++)
            json_array_append_new(orgs, json_integer(a->actor.orgs[i]));
        json_object_set_new(
            j, "user",
            json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:{s:I, s:s}, s:o}", "id",
                      (json_int_t)a->actor.user, "email", a->email, "name", a->actor.name, "role",
                      ml_role_name(a->actor.role), "site_admin", a->actor.site_admin, "token",
                      a->by_token, "organisation", "id", (json_int_t)a->actor.org, "name",
                      a->org_name, "readable_organisations", orgs ? orgs : json_array()));
    }
    return j;
}

int http_session_get(request *r)
{
    if (r->signed_in) return http_json(r, 200, session_json(r, &r->auth, true, r->auth.csrf));
    char csrf[ML_SECRET_CHARS + 2];
    http_cookie(r, CSRF_COOKIE, csrf, sizeof csrf);
    if (strlen(csrf) != ML_SECRET_CHARS) {
        if (ml_random_secret(csrf))
            return http_problem(r, 500, "Internal error", "cannot draw a random secret");
        http_set_cookie(r, CSRF_COOKIE, csrf, 12 * 3600, true);
    }
    return http_json(r, 200, session_json(r, &r->auth, false, csrf));
}

/* A new session's answer: the cookie (the one presented before is ended:
 * a session fixed before the login is not kept). */
static int signed_in(request *r, ml_signin *s, int status)
{
    if (r->session[0]) ml_session_end(r->db, r->session, false);
    http_set_cookie(r, SESSION_COOKIE, s->session, ML_SESSION_MAX, true);
    s->auth.actor.address = r->address;
    return http_json(r, status, session_json(r, &s->auth, true, s->csrf));
}

static int signin_failed(request *r, ml_err e, const ml_signin *s)
{
    const char *msg = ml_ctx_message(http_ctx(r));
    switch (e) {
    case ML_LIMIT:
        r->retry_after = (unsigned)(s->retry_after > 0 ? s->retry_after : 1);
        return http_problem(r, 429, "Too many requests", "%s", msg);
    case ML_INVALID:
        return http_problem(r, 401, "Authentication failed", "%s", msg);
    case ML_PRIVATE:
        return http_problem(r, 403, "Forbidden", "%s", msg);
    default:
        return http_error(r, e);
    }
}

int http_session_login(request *r)
{
    ml_signin *s = calloc(1, sizeof *s);
    if (!s) return http_problem(r, 503, "Unavailable", "out of memory");
    ml_err e = ml_login(r->db, http_body_text(r, "email"), http_body_text(r, "password"),
                        http_body_text(r, "organisation"), r->address, s);
    int rc = e ? signin_failed(r, e, s) : signed_in(r, s, 200);
    free(s);
    return rc;
}

int http_invite_accept(request *r)
{
    ml_signin *s = calloc(1, sizeof *s);
    if (!s) return http_problem(r, 503, "Unavailable", "out of memory");
    ml_err e =
        ml_invite_accept(r->db, http_body_text(r, "token"), http_body_text(r, "email"),
                         http_body_text(r, "name"), http_body_text(r, "password"), r->address, s);
    int rc = e == ML_INVALID ? http_error(r, e) : e ? signin_failed(r, e, s) : signed_in(r, s, 201);
    free(s);
    return rc;
}

static int end_session(request *r, bool everywhere)
{
    if (r->auth.by_token)
        return http_problem(r, 400, "Invalid request",
                            "an API token is revoked (DELETE /api/v1/tokens/{id}), not signed out");
    ml_err e = ml_session_end(r->db, r->session, everywhere);
    if (e) return http_error(r, e);
    http_set_cookie(r, SESSION_COOKIE, "", 0, true);
    return http_json(r, 200, json_pack("{s:b}", "signed_in", 0));
}

int http_session_logout(request *r)
{
    return end_session(r, false);
}

int http_session_logout_all(request *r)
{
    return end_session(r, true);
}

/* ------------------------------------------------------------ account */

int http_account_get(request *r)
{
    json_t *j = NULL;
    ml_err e = ml_account_show(r->db, http_request_actor(r), r->session, &j);
    return e ? http_error(r, e) : http_json(r, 200, j);
}

int http_account_password(request *r)
{
    if (r->auth.by_token)
        return http_problem(r, 403, "Forbidden",
                            "a password is changed from a session, not a token");
    ml_err e = ml_account_password(r->db, http_request_actor(r), http_body_text(r, "current"),
                                   http_body_text(r, "password"), r->session);
    return e ? http_error(r, e) : http_json(r, 200, json_pack("{s:b}", "changed", 1));
}

int http_token_create(request *r)
{
    if (r->auth.by_token)
        return http_problem(r, 403, "Forbidden", "a token is made from a session, not a token");
    char secret[ML_SECRET_CHARS + 1];
    int64_t id = 0;
    const char *scope = http_body_text(r, "scope") ? http_body_text(r, "scope") : "read";
    ml_err e = ml_token_create(r->db, http_request_actor(r), http_body_text(r, "name"),
                               strcmp(scope, "write") == 0, secret, &id);
    if (e) return http_error(r, e);
    return http_json(r, 201,
                     json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "name",
                               http_body_text(r, "name"), "scope", scope, "token", secret));
}

int http_token_revoke(request *r)
{
    ml_err e =
        ml_token_revoke(r->db, http_request_actor(r), strtoll(http_path_param(r, "id"), NULL, 10));
    return e ? http_error(r, e) : http_json(r, 200, json_pack("{s:b}", "revoked", 1));
}

/* ------------------------------------------------------- organisation */

int http_org_get(request *r)
{
    const ml_actor *a = http_request_actor(r);
    if (!a->org) return http_problem(r, 404, "Not found", "this account acts for no organisation");
    json_t *members = NULL, *invites = NULL;
    ml_err e = ml_org_members(r->db, a->org, &members);
    if (!e && a->role == ML_ROLE_ADMIN) e = ml_invite_list(r->db, a->org, &invites);
    if (e) {
        json_decref(members);
        return http_error(r, e);
    }
    return http_json(r, 200,
                     json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)a->org, "name",
                               r->auth.org_name, "role", ml_role_name(a->role), "members", members,
                               "invitations", invites ? invites : json_array()));
}

int http_member_set(request *r)
{
    ml_role role = ML_ROLE_NONE;
    const char *name = http_body_text(r, "role");
    if (strcmp(name, "none") != 0) ml_role_parse(name, &role);
    const ml_actor *a = http_request_actor(r);
    ml_err e = ml_member_set(r->db, a, a->org, strtoll(http_path_param(r, "id"), NULL, 10), role);
    if (e) return http_error(r, e);
    return http_json(r, 200, json_pack("{s:s}", "role", name));
}

/* Runs the configured mail command with the email as its argument and the
 * message on its standard input. 0 when it ran and exited with 0. */
static int send_mail(const char *command, const char *email, const char *message)
{
    int fds[2];
    if (pipe(fds) != 0) return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char *argv[] = {(char *)(uintptr_t)command, (char *)(uintptr_t)email, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, command, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    if (rc == 0 && write(fds[1], message, strlen(message)) < 0) rc = -1;
    close(fds[1]);
    int status = 0;
    if (rc == 0 && (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)))
        rc = -1;
    return rc ? -1 : 0;
}

int http_invite_create(request *r)
{
    const ml_actor *a = http_request_actor(r);
    ml_role role = ML_ROLE_VIEWER;
    ml_role_parse(http_body_text(r, "role"), &role);
    const char *email = http_body_text(r, "email");
    char secret[ML_SECRET_CHARS + 1], link[512];
    ml_err e = ml_invite_create(r->db, a, a->org, role, email, secret);
    if (e) return http_error(r, e);
    const char *host = MHD_lookup_connection_value(r->con, MHD_HEADER_KIND, "Host");
    ml_snprintf(link, sizeof link, "%s://%s/#/invite/%s", r->secure ? "https" : "http",
                host ? host : "localhost", secret);
    const http_options *o = http_server_options(r->srv);
    bool mailed = false;
    if (o->mail_command && email && *email) {
        char msg[1024];
        ml_snprintf(msg, sizeof msg,
                    "Subject: maillage: invitation / invitation\n\n"
                    "Vous êtes invité(e) à rejoindre %s sur maillage (rôle : %s) :\n%s\n\n"
                    "You are invited to join %s on maillage (role: %s):\n%s\n",
                    r->auth.org_name, ml_role_name(role), link, r->auth.org_name,
                    ml_role_name(role), link);
        mailed = send_mail(o->mail_command, email, msg) == 0;
    }
    char expires[32];
    time_t t = time(NULL) + ML_INVITE_SECONDS;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(expires, sizeof expires, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return http_json(r, 201,
                     json_pack("{s:s, s:s, s:s, s:s?, s:s, s:b}", "link", link, "token", secret,
                               "role", ml_role_name(role), "email", email, "expires", expires,
                               "mailed", mailed));
}

/* ---------------------------------------------------------------- audit */

/* "since": YYYY-MM-DD (UTC midnight) or Unix seconds; -1 when unreadable. */
static int64_t since_arg(request *r)
{
    const char *v = http_arg(r, "since");
    if (!v) return 0;
    struct tm tm = {0};
    const char *end = strptime(v, "%Y-%m-%d", &tm);
    if (end && !*end) return (int64_t)timegm(&tm);
    char *e = NULL;
    long long n = strtoll(v, &e, 10);
    return e && !*e && n >= 0 ? n : -1;
}

int http_audit_get(request *r)
{
    int64_t since = since_arg(r);
    if (since < 0)
        return http_problem(r, 400, "Invalid request",
                            "parameter 'since': expected a date YYYY-MM-DD or Unix seconds");
    json_t *j = NULL;
    ml_err e = ml_audit_list(r->db, http_request_actor(r), since,
                             (unsigned)http_arg_int(r, "limit", 1000), &j);
    return e ? http_error(r, e) : http_json(r, 200, j);
}

int http_audit_csv(request *r)
{
    int64_t since = since_arg(r);
    if (since < 0)
        return http_problem(r, 400, "Invalid request",
                            "parameter 'since': expected a date YYYY-MM-DD or Unix seconds");
    char tmpl[] = "/tmp/maillage-audit-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) return http_problem(r, 500, "Internal error", "cannot create a temporary file");
    close(fd);
    ml_err e = ml_audit_export(r->db, http_request_actor(r), since,
                               http_arg_bool(r, "plain", false), tmpl);
    return http_send_temp(r, e, tmpl, "text/csv; charset=utf-8", "journal-audit.csv");
}
