/* account.c — organisations and their members: organisations with a type,
 * accounts, a role per organisation, workspaces that organisations share,
 * invitations. Who may change what is decided here (ml_may_admin), and
 * every change is written to the audit log. */
#include <time.h>

#include "account/account.h"

static const char *const org_types[] = {"agency",  "epci",    "prefecture", "cluster",
                                        "chamber", "company", "buyer"};

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

static ml_err refuse(ml_db *db, const char *what)
{
    return ml_fail(db->ctx, ML_PRIVATE, "only an administrator may %s", what);
}

/* A name of an organisation or workspace: 1 to 120 bytes of UTF-8 text
 * without control characters. */
static ml_err check_name(ml_db *db, const char *what, const char *name)
{
    size_t n = name ? strlen(name) : 0;
    bool ok = n > 0 && n <= 120 && ml_utf8_valid(name, n);
    for (size_t i = 0; ok && i < n; i++)
        if ((unsigned char)name[i] < ' ' || name[i] == 0x7f) ok = false;
    if (!ok)
        return ml_fail(db->ctx, ML_INVALID, "%s name: 1 to 120 characters, no control characters",
                       what);
    return ML_OK;
}

ml_err ml_org_find(ml_db *db, const char *name, int64_t *id)
{
    *id = 0;
    ml_acct_row r = {0};
    ml_err e = ML_RUN(db, ML_ACCT_ORG_BY_NAME, ml_acct_row_fn, &r, NULL, ML_TEXT(name));
    if (!e && !r.found)
        e = ml_fail(db->ctx, ML_NOTFOUND,
                    "no organisation named '%.120s' (see `maillage org list`)", name);
    *id = ml_acct_int(&r, 0);
    ml_acct_row_free(&r);
    return e;
}

ml_err ml_org_add(ml_db *db, const ml_actor *by, const char *name, const char *type, int64_t *id)
{
    *id = 0;
    if (!by || !by->site_admin) return refuse(db, "create an organisation");
    ml_err e = check_name(db, "an organisation's", name);
    if (e) return e;
    const char *t = type ? type : "agency";
    bool known = false;
    for (size_t i = 0; i < ML_ARRAY_LEN(org_types); i++)
        known |= strcmp(org_types[i], t) == 0;
    if (!known)
        return ml_fail(db->ctx, ML_INVALID,
                       "unknown organisation type '%.40s' (agency, epci, prefecture, cluster, "
                       "chamber, company or buyer)",
                       t);
    int64_t existing = 0;
    if (ml_org_find(db, name, &existing) == ML_OK)
        return ml_fail(db->ctx, ML_INVALID, "an organisation named '%.120s' exists", name);
    ml_acct_row r = {0};
    int64_t now = now_s();
    e = ML_RUN(db, ML_ACCT_ORG_ADD, ml_acct_row_fn, &r, NULL, ML_TEXT(name), ML_TEXT(t),
               ML_INT(now));
    *id = ml_acct_int(&r, 0);
    ml_acct_row_free(&r);
    if (!e) e = ml_audit_write_at(db, by, now, "org.add", name, t);
    return e;
}

typedef struct json_rows {
    json_t *list;
    ml_json_build *jb;
    ml_db *db;
    int kind;
} json_rows;

static json_int_t num(const char *s)
{
    return s ? (json_int_t)strtoll(s, NULL, 10) : 0;
}

static json_t *iso(const char *t)
{
    if (!t) return json_null();
    char buf[32];
    ml_time_iso(strtoll(t, NULL, 10), buf);
    return json_string(buf);
}

static int rows_fn(void *ud, const char *const *c, size_t n)
{
    json_rows *l = ud;
    json_t *o = NULL;
    switch (l->kind) {
    case 0: /* organisations: id, name, type, created, members */
        if (n >= 5)
            o = ml_json_pack(l->jb, "{s:I, s:s?, s:s?, s:o, s:I}", "id", num(c[0]), "name", c[1],
                             "type", c[2], "created", iso(c[3]), "members", num(c[4]));
        break;
    case 1: /* accounts: id, email, name, site_admin, disabled, created */
        if (n >= 6)
            o = ml_json_pack(l->jb, "{s:I, s:s?, s:s?, s:b, s:b, s:o, s:[]}", "id", num(c[0]),
                             "email", c[1], "name", c[2], "site_admin", num(c[3]) != 0, "disabled",
                             num(c[4]) != 0, "created", iso(c[5]), "organisations");
        break;
    case 2: /* memberships: org id, name, type, role */
        if (n >= 4) o = ml_json_pack(l->jb, "{s:s?, s:s?}", "name", c[1], "role", c[3]);
        break;
    case 3: /* members: id, email, name, role, disabled */
        if (n >= 5)
            o = ml_json_pack(l->jb, "{s:I, s:s?, s:s?, s:s?, s:b}", "id", num(c[0]), "email", c[1],
                             "name", c[2], "role", c[3], "disabled", num(c[4]) != 0);
        break;
    case 4: /* invitations: role, email, created, expires, used, account email */
        if (n >= 6)
            o = ml_json_pack(l->jb, "{s:s?, s:s?, s:o, s:o, s:o, s:s?}", "role", c[0], "email",
                             c[1], "created", iso(c[2]), "expires", iso(c[3]), "used", iso(c[4]),
                             "account", c[5]);
        break;
    case 5: { /* workspaces: workspace name, org name */
        if (n < 2 || !c[0]) break;
        size_t last = json_array_size(l->list);
        json_t *w = last ? json_array_get(l->list, last - 1) : NULL;
        if (!w || strcmp(json_string_value(json_object_get(w, "name")), c[0]) != 0) {
            w = ml_json_pack(l->jb, "{s:s, s:[]}", "name", c[0], "organisations");
            if (!w) return 1;
            json_array_append_new(l->list, w);
        }
        if (c[1])
            json_array_append_new(json_object_get(w, "organisations"),
                                  ml_json_check(l->jb, json_string(c[1]), "organisation"));
        return 0;
    }
    }
    if (!o) return l->jb->failed;
    json_array_append_new(l->list, o);
    return 0;
}

static ml_err list(ml_db *db, ml_acct_sql id, int kind, const ml_sql_arg *args, size_t nargs,
                   json_t **out)
{
    *out = NULL;
    ml_json_build jb = {0};
    json_rows l = {ml_json_check(&jb, json_array(), "list"), &jb, db, kind};
    ml_err e = l.list ? ml_acct_run(db, id, args, nargs, rows_fn, &l, NULL) : ML_OK;
    if (!e) e = ml_json_done(db->ctx, &jb);
    if (e) {
        json_decref(l.list);
        return e;
    }
    *out = l.list;
    return ML_OK;
}

ml_err ml_org_list(ml_db *db, json_t **out)
{
    return list(db, ML_ACCT_ORG_LIST, 0, NULL, 0, out);
}

ml_err ml_org_members(ml_db *db, int64_t org, json_t **out)
{
    return list(db, ML_ACCT_MEMBERS, 3, (ml_sql_arg[]){ML_INT(org)}, 1, out);
}

ml_err ml_invite_list(ml_db *db, int64_t org, json_t **out)
{
    return list(db, ML_ACCT_INVITE_LIST, 4, (ml_sql_arg[]){ML_INT(org)}, 1, out);
}

ml_err ml_workspace_list(ml_db *db, json_t **out)
{
    return list(db, ML_ACCT_WORKSPACE_LIST, 5, NULL, 0, out);
}

ml_err ml_user_list(ml_db *db, json_t **out)
{
    ml_err e = list(db, ML_ACCT_ACCOUNT_LIST, 1, NULL, 0, out);
    for (size_t i = 0; !e && i < json_array_size(*out); i++) {
        json_t *u = json_array_get(*out, i), *orgs = NULL;
        e = list(db, ML_ACCT_MEMBERSHIPS, 2,
                 (ml_sql_arg[]){ML_INT(json_integer_value(json_object_get(u, "id")))}, 1, &orgs);
        if (!e) json_object_set_new(u, "organisations", orgs);
    }
    if (e) {
        json_decref(*out);
        *out = NULL;
    }
    return e;
}

/* ------------------------------------------------------------ accounts */

ml_err ml_user_add(ml_db *db, const ml_actor *by, const ml_user_new *u, int64_t *id)
{
    *id = 0;
    if (!by || !by->site_admin) return refuse(db, "create an account");
    char mail[256], pw[ML_PWHASH_STR] = "";
    ml_err e = ml_email_clean(db->ctx, u->email, mail, sizeof mail);
    if (e) return e;
    if (u->name && (strlen(u->name) > 200 || !ml_utf8_valid(u->name, strlen(u->name))))
        return ml_fail(db->ctx, ML_INVALID, "a name has at most 200 bytes of UTF-8 text");
    if (u->password && (e = ml_password_hash(db->ctx, u->password, pw))) return e;
    int64_t org = 0;
    if (u->org && (e = ml_org_find(db, u->org, &org))) return e;
    if (!org && !u->site_admin)
        return ml_fail(db->ctx, ML_INVALID,
                       "an account needs an organisation (--org NAME) unless it is --admin");
    ml_acct_row r = {0};
    if ((e = ML_RUN(db, ML_ACCT_ACCOUNT_BY_EMAIL, ml_acct_row_fn, &r, NULL, ML_TEXT(mail))))
        return e;
    bool exists = r.found;
    ml_acct_row_free(&r);
    if (exists) return ml_fail(db->ctx, ML_INVALID, "an account with the email %s exists", mail);
    ml_role role = u->role != ML_ROLE_NONE ? u->role
                   : u->site_admin         ? ML_ROLE_ADMIN
                                           : ML_ROLE_VIEWER;
    int64_t now = now_s();
    if ((e = db->be->begin(db))) return e;
    e = ML_RUN(db, ML_ACCT_ACCOUNT_ADD, ml_acct_row_fn, &r, NULL, ML_TEXT(mail),
               u->name && *u->name ? ML_TEXT(u->name) : (ml_sql_arg){0},
               pw[0] ? ML_TEXT(pw) : (ml_sql_arg){0}, ML_INT(u->site_admin ? 1 : 0), ML_INT(now));
    *id = ml_acct_int(&r, 0);
    ml_acct_row_free(&r);
    if (!e && org)
        e = ML_RUN(db, ML_ACCT_MEMBER_PUT, NULL, NULL, NULL, ML_INT(org), ML_INT(*id),
                   ML_TEXT(ml_role_name(role)));
    if (!e)
        e = ml_audit_write_at(db, by, now, "user.add", mail,
                              u->site_admin ? "site administrator" : ml_role_name(role));
    if (e) {
        db->be->rollback(db);
        *id = 0;
        return e;
    }
    return db->be->commit(db);
}

static ml_err account_id(ml_db *db, const char *email, int64_t *id)
{
    char mail[256];
    ml_err e = ml_email_clean(db->ctx, email, mail, sizeof mail);
    if (e) return e;
    ml_acct_row r = {0};
    e = ML_RUN(db, ML_ACCT_ACCOUNT_BY_EMAIL, ml_acct_row_fn, &r, NULL, ML_TEXT(mail));
    if (!e && !r.found) e = ml_fail(db->ctx, ML_NOTFOUND, "no account with the email %s", mail);
    *id = ml_acct_int(&r, 0);
    ml_acct_row_free(&r);
    return e;
}

ml_err ml_user_disable(ml_db *db, const ml_actor *by, const char *email, bool disabled)
{
    if (!by || !by->site_admin) return refuse(db, "disable an account");
    int64_t id = 0;
    ml_err e = account_id(db, email, &id);
    if (!e) e = ML_RUN(db, ML_ACCT_SET_DISABLED, NULL, NULL, NULL, ML_INT(id), ML_INT(disabled));
    if (!e && disabled)
        e = ML_RUN(db, ML_ACCT_SESSION_DROP_ACCOUNT, NULL, NULL, NULL, ML_INT(id), ML_TEXT(""));
    if (!e)
        e = ml_audit_write_at(db, by, now_s(), disabled ? "user.disable" : "user.enable", email,
                              NULL);
    return e;
}

ml_err ml_user_password(ml_db *db, const ml_actor *by, const char *email, const char *password)
{
    if (!by || !by->site_admin) return refuse(db, "set another account's password");
    int64_t id = 0;
    char pw[ML_PWHASH_STR];
    ml_err e = account_id(db, email, &id);
    if (!e) e = ml_password_hash(db->ctx, password, pw);
    if (!e) e = ML_RUN(db, ML_ACCT_SET_PASSWORD, NULL, NULL, NULL, ML_INT(id), ML_TEXT(pw));
    if (!e) e = ML_RUN(db, ML_ACCT_SESSION_DROP_ACCOUNT, NULL, NULL, NULL, ML_INT(id), ML_TEXT(""));
    if (!e) e = ml_audit_write_at(db, by, now_s(), "user.password", email, NULL);
    return e;
}

ml_err ml_member_set(ml_db *db, const ml_actor *by, int64_t org, int64_t account, ml_role role)
{
    if (!ml_may_admin(by, org)) return refuse(db, "change the members of an organisation");
    if (by->user == account && !by->site_admin && role != ML_ROLE_ADMIN)
        return ml_fail(db->ctx, ML_INVALID,
                       "an administrator cannot lower their own role (ask another one)");
    /* A role is changed, or a member removed, in the organisation only: an
     * account joins it by an invitation. */
    ml_acct_row m = {0};
    ml_err e =
        ML_RUN(db, ML_ACCT_MEMBER_ROLE, ml_acct_row_fn, &m, NULL, ML_INT(org), ML_INT(account));
    bool member = m.found;
    ml_acct_row_free(&m);
    if (e) return e;
    if (!member) return ml_fail(db->ctx, ML_NOTFOUND, "no such member of this organisation");
    int64_t n = 0;
    char target[48];
    ml_snprintf(target, sizeof target, "org %lld, account %lld", (long long)org,
                (long long)account);
    e = role == ML_ROLE_NONE
            ? ML_RUN(db, ML_ACCT_MEMBER_DROP, NULL, NULL, &n, ML_INT(org), ML_INT(account))
            : ML_RUN(db, ML_ACCT_MEMBER_PUT, NULL, NULL, &n, ML_INT(org), ML_INT(account),
                     ML_TEXT(ml_role_name(role)));
    if (e) return e;
    if (n == 0) return ml_fail(db->ctx, ML_NOTFOUND, "no such member");
    return ml_audit_write_at(db, by, now_s(),
                             role == ML_ROLE_NONE ? "member.remove" : "member.role", target,
                             ml_role_name(role));
}

ml_err ml_workspace_share(ml_db *db, const ml_actor *by, const char *workspace, const char *org,
                          bool leave)
{
    if (!by || !by->site_admin) return refuse(db, "change a workspace");
    ml_err e = check_name(db, "a workspace's", workspace);
    int64_t oid = 0, now = now_s();
    if (!e) e = ml_org_find(db, org, &oid);
    if (!e && !leave)
        e = ML_RUN(db, ML_ACCT_WORKSPACE_ADD, NULL, NULL, NULL, ML_TEXT(workspace), ML_INT(now));
    ml_acct_row r = {0};
    if (!e) e = ML_RUN(db, ML_ACCT_WORKSPACE_BY_NAME, ml_acct_row_fn, &r, NULL, ML_TEXT(workspace));
    if (!e && !r.found) e = ml_fail(db->ctx, ML_NOTFOUND, "no workspace named '%.120s'", workspace);
    int64_t wid = ml_acct_int(&r, 0);
    ml_acct_row_free(&r);
    if (!e)
        e = ML_RUN(db, leave ? ML_ACCT_WORKSPACE_LEAVE : ML_ACCT_WORKSPACE_JOIN, NULL, NULL, NULL,
                   ML_INT(wid), ML_INT(oid));
    if (!e)
        e = ml_audit_write_at(db, by, now, leave ? "workspace.leave" : "workspace.share", workspace,
                              org);
    return e;
}

ml_err ml_invite_create(ml_db *db, const ml_actor *by, int64_t org, ml_role role, const char *email,
                        char secret[ML_SECRET_CHARS + 1])
{
    secret[0] = '\0';
    if (!ml_may_admin(by, org)) return refuse(db, "invite members");
    if (role == ML_ROLE_NONE) return ml_fail(db->ctx, ML_INVALID, "an invitation needs a role");
    char mail[256] = "", hash[ML_SECRET_HASH];
    ml_err e;
    if (email && *email && (e = ml_email_clean(db->ctx, email, mail, sizeof mail))) return e;
    ml_acct_row r = {0};
    if ((e = ML_RUN(db, ML_ACCT_ORG_BY_ID, ml_acct_row_fn, &r, NULL, ML_INT(org)))) return e;
    bool known = r.found;
    ml_acct_row_free(&r);
    if (!known) return ml_fail(db->ctx, ML_NOTFOUND, "no organisation %lld", (long long)org);
    if (ml_secret_new(secret)) return ml_fail(db->ctx, ML_ERROR, "cannot draw a random secret");
    ml_secret_hash(secret, hash);
    int64_t now = now_s();
    e = ML_RUN(db, ML_ACCT_INVITE_ADD, NULL, NULL, NULL, ML_TEXT(hash), ML_INT(org),
               ML_TEXT(ml_role_name(role)), mail[0] ? ML_TEXT(mail) : (ml_sql_arg){0},
               by->user ? ML_INT(by->user) : (ml_sql_arg){0}, ML_INT(now),
               ML_INT(now + ML_INVITE_SECONDS));
    if (!e)
        e = ml_audit_write_at(db, by, now, "invite.create", mail[0] ? mail : NULL,
                              ml_role_name(role));
    if (e) secret[0] = '\0';
    return e;
}
