/* auth.c — signing in: logins checked against Argon2id hashes and throttled
 * per account and per address, sessions kept in the database under a hash
 * of their secret with idle and absolute expiry, API tokens, invitations
 * accepted, one's own account and password. */
#include <time.h>

#include "account/account.h"

/* ------------------------------------------------------------ who it is */

/* Fills out->actor from a session's or token's row: account, org, email,
 * name, site_admin, disabled, role, org name at the given columns. */
typedef struct who_cols {
    size_t account, org, email, name, site_admin, disabled, role, org_name;
} who_cols;

static ml_err fill_auth(const ml_acct_row *r, const who_cols *c, ml_auth *out)
{
    if (ml_acct_int(r, c->disabled)) return ML_NOTFOUND;
    bool site_admin = ml_acct_int(r, c->site_admin) != 0;
    ml_role role = ML_ROLE_NONE;
    if (!ml_role_parse(r->col[c->role], &role) && !site_admin)
        return ML_NOTFOUND; /* no longer a member of the organisation it acted for */
    if (site_admin) role = ML_ROLE_ADMIN;
    *out = (ml_auth){.may_write = true};
    out->actor.user = ml_acct_int(r, c->account);
    out->actor.org = ml_acct_int(r, c->org);
    out->actor.role = role;
    out->actor.site_admin = site_admin;
    ml_snprintf(out->email, sizeof out->email, "%s", r->col[c->email] ? r->col[c->email] : "");
    ml_snprintf(out->name, sizeof out->name, "%s", r->col[c->name] ? r->col[c->name] : "");
    ml_snprintf(out->org_name, sizeof out->org_name, "%s",
                r->col[c->org_name] ? r->col[c->org_name] : "");
    ml_auth_fix(out);
    /* The organisations it reads: its own, then those sharing a workspace. */
    if (out->actor.org) out->orgs[out->actor.norgs++] = out->actor.org;
    return ML_OK;
}

static int peer_fn(void *ud, const char *const *cols, size_t n)
{
    ml_auth *a = ud;
    if (n < 1 || !cols[0] || a->actor.norgs >= ML_AUTH_ORGS_MAX) return 0;
    a->orgs[a->actor.norgs++] = strtoll(cols[0], NULL, 10);
    return 0;
}

static ml_err add_peers(ml_db *db, ml_auth *a)
{
    if (!a->actor.org) return ML_OK;
    return ML_RUN(db, ML_ACCT_ORG_PEERS, peer_fn, a, NULL, ML_INT(a->actor.org));
}

static const who_cols session_cols = {0, 1, 5, 6, 7, 8, 9, 10};
static const who_cols token_cols = {1, 2, 5, 6, 7, 8, 9, 10};

ml_err ml_session_check_at(ml_db *db, const char *session, int64_t now, ml_auth *out)
{
    *out = (ml_auth){0};
    if (!ml_secret_shape(session)) return ML_NOTFOUND;
    char hash[ML_SECRET_HASH];
    ml_secret_hash(session, hash);
    ml_acct_row r = {0};
    ml_err e = ML_RUN(db, ML_ACCT_SESSION_GET, ml_acct_row_fn, &r, NULL, ML_TEXT(hash));
    if (e) goto out;
    if (!r.found) {
        e = ML_NOTFOUND;
        goto out;
    }
    int64_t created = ml_acct_int(&r, 3), seen = ml_acct_int(&r, 4);
    if (now - seen > ML_SESSION_IDLE || now - created > ML_SESSION_MAX ||
        fill_auth(&r, &session_cols, out) != ML_OK) {
        ML_RUN(db, ML_ACCT_SESSION_DROP, NULL, NULL, NULL, ML_TEXT(hash));
        *out = (ml_auth){0};
        e = ML_NOTFOUND;
        goto out;
    }
    out->created = created;
    ml_snprintf(out->csrf, sizeof out->csrf, "%s", r.col[2] ? r.col[2] : "");
    if (now - seen >= ML_SESSION_TOUCH &&
        (e = ML_RUN(db, ML_ACCT_SESSION_TOUCH, NULL, NULL, NULL, ML_TEXT(hash), ML_INT(now))))
        goto out;
    e = add_peers(db, out);
out:
    ml_acct_row_free(&r);
    return e;
}

ml_err ml_session_check(ml_db *db, const char *session, ml_auth *out)
{
    return ml_session_check_at(db, session, (int64_t)time(NULL), out);
}

ml_err ml_session_end(ml_db *db, const char *session, bool everywhere)
{
    if (!ml_secret_shape(session)) return ML_OK;
    char hash[ML_SECRET_HASH];
    ml_secret_hash(session, hash);
    if (!everywhere) return ML_RUN(db, ML_ACCT_SESSION_DROP, NULL, NULL, NULL, ML_TEXT(hash));
    ml_acct_row r = {0};
    ml_err e = ML_RUN(db, ML_ACCT_SESSION_GET, ml_acct_row_fn, &r, NULL, ML_TEXT(hash));
    if (!e && r.found)
        e = ML_RUN(db, ML_ACCT_SESSION_DROP_ACCOUNT, NULL, NULL, NULL, ML_INT(ml_acct_int(&r, 0)),
                   ML_TEXT(""));
    ml_acct_row_free(&r);
    return e;
}

/* ---------------------------------------------------------------- login */

/* Seconds before another try, or 0 when the failures of (kind, key) within
 * the window are under `max`. */
static ml_err throttled(ml_db *db, const char *kind, const char *key, int max, int64_t now,
                        int64_t *wait)
{
    *wait = 0;
    ml_acct_row r = {0};
    ml_err e = ML_RUN(db, ML_ACCT_FAILURE_COUNT, ml_acct_row_fn, &r, NULL, ML_TEXT(kind),
                      ML_TEXT(key), ML_INT(now - ML_THROTTLE_WINDOW));
    if (!e && ml_acct_int(&r, 0) >= max) {
        int64_t until = ml_acct_int(&r, 1) + ML_THROTTLE_WINDOW;
        *wait = until > now ? until - now : 1;
    }
    ml_acct_row_free(&r);
    return e;
}

static void note_failure(ml_db *db, const char *email, const char *address, int64_t now)
{
    ML_RUN(db, ML_ACCT_FAILURE_ADD, NULL, NULL, NULL, ML_TEXT("account"), ML_TEXT(email),
           ML_INT(now));
    if (address && *address)
        ML_RUN(db, ML_ACCT_FAILURE_ADD, NULL, NULL, NULL, ML_TEXT("address"), ML_TEXT(address),
               ML_INT(now));
}

/* The organisation an account acts for: `org` by name among its
 * memberships, or its first. 0 when none. */
typedef struct pick_org {
    const char *want;
    int64_t id;
} pick_org;

static int pick_fn(void *ud, const char *const *cols, size_t n)
{
    pick_org *p = ud;
    if (n < 2 || !cols[0]) return 0;
    if (p->want ? strcmp(p->want, cols[1] ? cols[1] : "") == 0 : p->id == 0) {
        p->id = strtoll(cols[0], NULL, 10);
        return p->want ? 1 : 0;
    }
    return 0;
}

/* Opens a session for an account (the caller checked who it is). */
static ml_err open_session(ml_db *db, int64_t account, int64_t org, const char *address,
                           int64_t now, ml_signin *out)
{
    char hash[ML_SECRET_HASH];
    if (ml_secret_new(out->session) || ml_secret_new(out->csrf))
        return ml_fail(db->ctx, ML_ERROR, "cannot draw a random secret");
    ml_secret_hash(out->session, hash);
    ML_RUN(db, ML_ACCT_SESSION_PRUNE, NULL, NULL, NULL, ML_INT(now - ML_SESSION_IDLE),
           ML_INT(now - ML_SESSION_MAX));
    ml_err e = ML_RUN(db, ML_ACCT_SESSION_ADD, NULL, NULL, NULL, ML_TEXT(hash), ML_INT(account),
                      ML_INT(org), ML_TEXT(out->csrf), ML_INT(now), ML_INT(now),
                      address && *address ? ML_TEXT(address) : (ml_sql_arg){0});
    if (e) return e;
    e = ml_session_check_at(db, out->session, now, &out->auth);
    if (e == ML_NOTFOUND) e = ml_fail(db->ctx, ML_ERROR, "the new session cannot be read back");
    return e;
}

ml_err ml_login_at(ml_db *db, const char *email, const char *password, const char *org,
                   const char *address, int64_t now, ml_signin *out)
{
    *out = (ml_signin){0};
    char mail[256];
    if (ml_email_clean(db->ctx, email, mail, sizeof mail))
        return ml_fail(db->ctx, ML_INVALID, "wrong email or password");
    int64_t wait = 0, wait2 = 0;
    ml_err e = throttled(db, "account", mail, ML_THROTTLE_ACCOUNT, now, &wait);
    if (!e && address && *address)
        e = throttled(db, "address", address, ML_THROTTLE_ADDRESS, now, &wait2);
    if (e) return e;
    if (wait || wait2) {
        out->retry_after = wait > wait2 ? wait : wait2;
        return ml_fail(db->ctx, ML_LIMIT, "too many failed logins: try again in %lld seconds",
                       (long long)out->retry_after);
    }
    ml_acct_row r = {0};
    if ((e = ML_RUN(db, ML_ACCT_ACCOUNT_BY_EMAIL, ml_acct_row_fn, &r, NULL, ML_TEXT(mail))))
        return e;
    bool ok;
    if (r.found && r.col[3]) {
        ok = ml_password_verify(r.col[3], password);
    } else { /* the same work as a real check: the answer's time says nothing */
        char spare[ML_PWHASH_STR];
        ml_password_hash(db->ctx,
                         password && strlen(password) >= ML_PASSWORD_MIN ? password
                                                                         : "not a password at all",
                         spare);
        ok = false;
    }
    if (!ok) {
        ml_acct_row_free(&r);
        note_failure(db, mail, address, now);
        ML_RUN(db, ML_ACCT_FAILURE_PRUNE, NULL, NULL, NULL, ML_INT(now - ML_THROTTLE_WINDOW));
        ml_actor who = {.name = mail, .address = address};
        ml_audit_write_at(db, &who, now, "login.failed", mail, NULL);
        return ml_fail(db->ctx, ML_INVALID, "wrong email or password");
    }
    int64_t account = ml_acct_int(&r, 0);
    bool site_admin = ml_acct_int(&r, 4) != 0;
    if (ml_acct_int(&r, 5)) {
        ml_acct_row_free(&r);
        return ml_fail(db->ctx, ML_PRIVATE, "this account is disabled");
    }
    ML_RUN(db, ML_ACCT_FAILURE_CLEAR, NULL, NULL, NULL, ML_TEXT("account"), ML_TEXT(mail));
    if (ml_password_stale(r.col[3])) {
        char fresh[ML_PWHASH_STR];
        if (ml_password_hash(db->ctx, password, fresh) == ML_OK)
            ML_RUN(db, ML_ACCT_SET_PASSWORD, NULL, NULL, NULL, ML_INT(account), ML_TEXT(fresh));
    }
    ml_acct_row_free(&r);
    pick_org p = {.want = org && *org ? org : NULL};
    if ((e = ML_RUN(db, ML_ACCT_MEMBERSHIPS, pick_fn, &p, NULL, ML_INT(account)))) return e;
    if (!p.id && p.want)
        return ml_fail(db->ctx, ML_INVALID, "this account is not a member of '%.100s'", org);
    if (!p.id && !site_admin)
        return ml_fail(db->ctx, ML_PRIVATE,
                       "this account belongs to no organisation: ask an administrator");
    if ((e = open_session(db, account, p.id, address, now, out))) return e;
    return ml_audit_write_at(db, &out->auth.actor, now, "login", mail, NULL);
}

ml_err ml_login(ml_db *db, const char *email, const char *password, const char *org,
                const char *address, ml_signin *out)
{
    return ml_login_at(db, email, password, org, address, (int64_t)time(NULL), out);
}

ml_err ml_login_identity(ml_db *db, const ml_identity *id, const char *address, ml_signin *out)
{
    *out = (ml_signin){0};
    char mail[256];
    if (!id || !id->provider || !id->subject || !*id->subject)
        return ml_fail(db->ctx, ML_INVALID, "an identity needs its provider and subject");
    ml_err e = ml_email_clean(db->ctx, id->email, mail, sizeof mail);
    if (e) return e;
    ml_acct_row r = {0};
    if ((e = ML_RUN(db, ML_ACCT_ACCOUNT_BY_EMAIL, ml_acct_row_fn, &r, NULL, ML_TEXT(mail))))
        return e;
    int64_t account = ml_acct_int(&r, 0);
    bool found = r.found, disabled = ml_acct_int(&r, 5) != 0, site_admin = ml_acct_int(&r, 4) != 0;
    ml_acct_row_free(&r);
    if (!found)
        return ml_fail(db->ctx, ML_PRIVATE,
                       "no account for %s here: an administrator must invite it first", mail);
    if (disabled) return ml_fail(db->ctx, ML_PRIVATE, "this account is disabled");
    pick_org p = {.want = id->org && *id->org ? id->org : NULL};
    if ((e = ML_RUN(db, ML_ACCT_MEMBERSHIPS, pick_fn, &p, NULL, ML_INT(account)))) return e;
    if (!p.id && !site_admin)
        return ml_fail(db->ctx, ML_PRIVATE, "this account belongs to no organisation");
    int64_t now = (int64_t)time(NULL);
    if ((e = open_session(db, account, p.id, address, now, out))) return e;
    char detail[200];
    ml_snprintf(detail, sizeof detail, "%s (subject %.120s)", id->provider, id->subject);
    return ml_audit_write_at(db, &out->auth.actor, now, "login", mail, detail);
}

ml_err ml_account_count(ml_db *db, int64_t *n)
{
    ml_acct_row r = {0};
    ml_err e = ml_acct_run(db, ML_ACCT_ANY, NULL, 0, ml_acct_row_fn, &r, NULL);
    *n = ml_acct_int(&r, 0);
    ml_acct_row_free(&r);
    return e;
}

/* ---------------------------------------------------------- invitations */

ml_err ml_invite_accept_at(ml_db *db, const char *secret, const char *email, const char *name,
                           const char *password, const char *address, int64_t now, ml_signin *out)
{
    *out = (ml_signin){0};
    if (!ml_secret_shape(secret))
        return ml_fail(db->ctx, ML_NOTFOUND, "this invitation is unknown, used or expired");
    char hash[ML_SECRET_HASH], mail[256];
    ml_secret_hash(secret, hash);
    ml_err e = ml_email_clean(db->ctx, email, mail, sizeof mail);
    if (e) return e;
    ml_acct_row inv = {0}, acc = {0};
    if ((e = db->be->begin(db))) return e;
    if ((e = ML_RUN(db, ML_ACCT_INVITE_GET, ml_acct_row_fn, &inv, NULL, ML_TEXT(hash)))) goto fail;
    if (!inv.found || inv.col[4] || ml_acct_int(&inv, 3) <= now) {
        e = ml_fail(db->ctx, ML_NOTFOUND, "this invitation is unknown, used or expired");
        goto fail;
    }
    if (inv.col[2] && strcmp(inv.col[2], mail) != 0) {
        e = ml_fail(db->ctx, ML_INVALID, "this invitation is for another email address");
        goto fail;
    }
    int64_t org = ml_acct_int(&inv, 0);
    ml_role role = ML_ROLE_VIEWER;
    ml_role_parse(inv.col[1], &role);
    if ((e = ML_RUN(db, ML_ACCT_ACCOUNT_BY_EMAIL, ml_acct_row_fn, &acc, NULL, ML_TEXT(mail))))
        goto fail;
    int64_t account;
    if (acc.found) { /* an existing account joins: its password proves it */
        if (!ml_password_verify(acc.col[3], password) || ml_acct_int(&acc, 5)) {
            e = ml_fail(db->ctx, ML_INVALID,
                        "an account with this email exists: give its password to join");
            goto fail;
        }
        account = ml_acct_int(&acc, 0);
    } else {
        char pw[ML_PWHASH_STR];
        if ((e = ml_password_hash(db->ctx, password, pw))) goto fail;
        ml_acct_row id = {0};
        e = ML_RUN(db, ML_ACCT_ACCOUNT_ADD, ml_acct_row_fn, &id, NULL, ML_TEXT(mail),
                   name && *name ? ML_TEXT(name) : (ml_sql_arg){0}, ML_TEXT(pw), ML_INT(0),
                   ML_INT(now));
        account = ml_acct_int(&id, 0);
        ml_acct_row_free(&id);
        if (e) goto fail;
    }
    int64_t taken = 0;
    if ((e = ML_RUN(db, ML_ACCT_INVITE_TAKE, NULL, NULL, &taken, ML_TEXT(hash), ML_INT(now),
                    ML_INT(account))))
        goto fail;
    if (taken != 1) {
        e = ml_fail(db->ctx, ML_NOTFOUND, "this invitation is unknown, used or expired");
        goto fail;
    }
    if ((e = ML_RUN(db, ML_ACCT_MEMBER_PUT, NULL, NULL, NULL, ML_INT(org), ML_INT(account),
                    ML_TEXT(ml_role_name(role)))))
        goto fail;
    if ((e = open_session(db, account, org, address, now, out))) goto fail;
    if ((e = ml_audit_write_at(db, &out->auth.actor, now, "invite.accept", mail,
                               ml_role_name(role))))
        goto fail;
    ml_acct_row_free(&inv);
    ml_acct_row_free(&acc);
    return db->be->commit(db);
fail:
    db->be->rollback(db);
    ml_acct_row_free(&inv);
    ml_acct_row_free(&acc);
    *out = (ml_signin){0};
    return e;
}

ml_err ml_invite_accept(ml_db *db, const char *secret, const char *email, const char *name,
                        const char *password, const char *address, ml_signin *out)
{
    return ml_invite_accept_at(db, secret, email, name, password, address, (int64_t)time(NULL),
                               out);
}

/* ---------------------------------------------------------------- tokens */

ml_err ml_token_create(ml_db *db, const ml_actor *by, const char *name, bool write,
                       char secret[ML_SECRET_CHARS + 1], int64_t *id)
{
    *id = 0;
    if (!by || !by->user) return ml_fail(db->ctx, ML_INVALID, "API tokens belong to an account");
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 100 || !ml_utf8_valid(name, n))
        return ml_fail(db->ctx, ML_INVALID, "a token needs a name of 1 to 100 bytes");
    char hash[ML_SECRET_HASH];
    if (ml_secret_new(secret)) return ml_fail(db->ctx, ML_ERROR, "cannot draw a random secret");
    ml_secret_hash(secret, hash);
    ml_acct_row r = {0};
    int64_t now = (int64_t)time(NULL);
    ml_err e =
        ML_RUN(db, ML_ACCT_TOKEN_ADD, ml_acct_row_fn, &r, NULL, ML_TEXT(hash), ML_INT(by->user),
               ML_INT(by->org), ML_TEXT(name), ML_TEXT(write ? "write" : "read"), ML_INT(now));
    *id = ml_acct_int(&r, 0);
    ml_acct_row_free(&r);
    if (!e) e = ml_audit_write_at(db, by, now, "token.create", name, write ? "write" : "read");
    return e;
}

ml_err ml_token_check(ml_db *db, const char *secret, ml_auth *out)
{
    *out = (ml_auth){0};
    if (!ml_secret_shape(secret)) return ML_NOTFOUND;
    char hash[ML_SECRET_HASH];
    ml_secret_hash(secret, hash);
    ml_acct_row r = {0};
    ml_err e = ML_RUN(db, ML_ACCT_TOKEN_GET, ml_acct_row_fn, &r, NULL, ML_TEXT(hash));
    if (!e && (!r.found || fill_auth(&r, &token_cols, out) != ML_OK)) {
        *out = (ml_auth){0};
        e = ML_NOTFOUND;
    }
    if (!e) {
        int64_t now = (int64_t)time(NULL);
        out->by_token = true;
        out->token = ml_acct_int(&r, 0);
        out->may_write = r.col[3] && strcmp(r.col[3], "write") == 0;
        if (now - ml_acct_int(&r, 4) >= ML_SESSION_TOUCH)
            e = ML_RUN(db, ML_ACCT_TOKEN_USED, NULL, NULL, NULL, ML_INT(out->token), ML_INT(now));
        if (!e) e = add_peers(db, out);
    }
    ml_acct_row_free(&r);
    return e;
}

ml_err ml_token_revoke(ml_db *db, const ml_actor *by, int64_t id)
{
    int64_t n = 0, now = (int64_t)time(NULL);
    ml_err e = ML_RUN(db, ML_ACCT_TOKEN_REVOKE, NULL, NULL, &n, ML_INT(id),
                      ML_INT(by ? by->user : 0), ML_INT(now));
    if (e) return e;
    if (n != 1)
        return ml_fail(db->ctx, ML_NOTFOUND, "no token %lld of yours to revoke", (long long)id);
    char target[32];
    ml_snprintf(target, sizeof target, "%lld", (long long)id);
    return ml_audit_write_at(db, by, now, "token.revoke", target, NULL);
}

/* ------------------------------------------------------------ one's own */

typedef struct list_ctx {
    json_t *list;
    ml_json_build *jb;
    const char *current; /* the current session's hash */
    int kind;
} list_ctx;

static json_t *iso_or_null(const char *t)
{
    if (!t) return json_null();
    char buf[32];
    ml_time_iso(strtoll(t, NULL, 10), buf);
    return json_string(buf);
}

static int own_fn(void *ud, const char *const *c, size_t n)
{
    list_ctx *l = ud;
    json_t *o = NULL;
    if (l->kind == 0 && n >= 4) /* memberships: id, name, type, role */
        o = ml_json_pack(l->jb, "{s:I, s:s?, s:s?, s:s?}", "id",
                         (json_int_t)strtoll(c[0] ? c[0] : "0", NULL, 10), "name", c[1], "type",
                         c[2], "role", c[3]);
    else if (l->kind == 1 && n >= 4) /* sessions: hash, created, seen, address */
        o = ml_json_pack(l->jb, "{s:o, s:o, s:s?, s:b}", "created", iso_or_null(c[1]), "seen",
                         iso_or_null(c[2]), "address", c[3], "current",
                         l->current && c[0] && strcmp(c[0], l->current) == 0);
    else if (l->kind == 2 && n >= 6) /* tokens: id, name, scope, created, used, revoked */
        o = ml_json_pack(l->jb, "{s:I, s:s?, s:s?, s:o, s:o, s:o}", "id",
                         (json_int_t)strtoll(c[0] ? c[0] : "0", NULL, 10), "name", c[1], "scope",
                         c[2], "created", iso_or_null(c[3]), "used", iso_or_null(c[4]), "revoked",
                         iso_or_null(c[5]));
    if (o) json_array_append_new(l->list, o);
    return 0;
}

ml_err ml_account_show(ml_db *db, const ml_actor *who, const char *session, json_t **out)
{
    *out = NULL;
    if (!who || !who->user) return ml_fail(db->ctx, ML_NOTFOUND, "not signed in");
    ml_json_build jb = {0};
    char hash[ML_SECRET_HASH] = "";
    if (ml_secret_shape(session)) ml_secret_hash(session, hash);
    ml_acct_row r = {0};
    ml_err e = ML_RUN(db, ML_ACCT_ACCOUNT_BY_ID, ml_acct_row_fn, &r, NULL, ML_INT(who->user));
    if (e || !r.found) {
        ml_acct_row_free(&r);
        return e ? e : ml_fail(db->ctx, ML_NOTFOUND, "no such account");
    }
    json_t *orgs = json_array(), *sessions = json_array(), *tokens = json_array();
    list_ctx l0 = {orgs, &jb, hash, 0}, l1 = {sessions, &jb, hash, 1}, l2 = {tokens, &jb, hash, 2};
    if (!e) e = ML_RUN(db, ML_ACCT_MEMBERSHIPS, own_fn, &l0, NULL, ML_INT(who->user));
    if (!e) e = ML_RUN(db, ML_ACCT_SESSION_LIST, own_fn, &l1, NULL, ML_INT(who->user));
    if (!e) e = ML_RUN(db, ML_ACCT_TOKEN_LIST, own_fn, &l2, NULL, ML_INT(who->user));
    json_t *j = ml_json_pack(&jb, "{s:I, s:s?, s:s?, s:b, s:I, s:s, s:o, s:o, s:o}", "id",
                             (json_int_t)who->user, "email", r.col[1], "name", r.col[2],
                             "site_admin", who->site_admin, "organisation", (json_int_t)who->org,
                             "role", ml_role_name(who->role), "organisations", orgs, "sessions",
                             sessions, "tokens", tokens);
    ml_acct_row_free(&r);
    if (!e) e = ml_json_done(db->ctx, &jb);
    if (e) {
        json_decref(j);
        return e;
    }
    *out = j;
    return ML_OK;
}

ml_err ml_account_password(ml_db *db, const ml_actor *who, const char *current,
                           const char *password, const char *session_kept)
{
    if (!who || !who->user) return ml_fail(db->ctx, ML_NOTFOUND, "not signed in");
    ml_acct_row r = {0};
    ml_err e = ML_RUN(db, ML_ACCT_ACCOUNT_BY_ID, ml_acct_row_fn, &r, NULL, ML_INT(who->user));
    bool ok = !e && r.found && ml_password_verify(r.col[3], current);
    ml_acct_row_free(&r);
    if (e) return e;
    if (!ok) return ml_fail(db->ctx, ML_INVALID, "field 'current': wrong password");
    char pw[ML_PWHASH_STR], hash[ML_SECRET_HASH] = "";
    if ((e = ml_password_hash(db->ctx, password, pw))) return e;
    if (ml_secret_shape(session_kept)) ml_secret_hash(session_kept, hash);
    if ((e = ML_RUN(db, ML_ACCT_SET_PASSWORD, NULL, NULL, NULL, ML_INT(who->user), ML_TEXT(pw))) ||
        (e = ML_RUN(db, ML_ACCT_SESSION_DROP_ACCOUNT, NULL, NULL, NULL, ML_INT(who->user),
                    ML_TEXT(hash))))
        return e;
    return ml_audit_write_at(db, who, (int64_t)time(NULL), "account.password", NULL, NULL);
}
