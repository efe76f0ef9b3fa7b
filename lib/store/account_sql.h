/* account_sql.h — the statements of lib/account's slot (ml_acct_sql), the
 * same on every backend: plain SQL both engines run, parameters written $1,
 * $2... (the SQLite backend reads them as ?1, ?2...). No rule lives here:
 * times, hashes and limits come as parameters. */
#ifndef ML_ACCOUNT_SQL_H
#define ML_ACCOUNT_SQL_H

#include "store/store.h"

static const char *const ml_account_sql[ML_ACCT_SQL_COUNT] = {
    [ML_ACCT_ANY] = "SELECT count(*) FROM account",
    [ML_ACCT_ORG_ADD] = "INSERT INTO org(name, type, created) VALUES($1, $2, $3) RETURNING id",
    [ML_ACCT_ORG_BY_NAME] = "SELECT id, name, type, created FROM org WHERE name = $1",
    [ML_ACCT_ORG_BY_ID] = "SELECT id, name, type, created FROM org WHERE id = $1",
    [ML_ACCT_ORG_LIST] = "SELECT o.id, o.name, o.type, o.created,"
                         " (SELECT count(*) FROM member m WHERE m.org = o.id) FROM org o"
                         " ORDER BY o.name",
    [ML_ACCT_ACCOUNT_ADD] = "INSERT INTO account(email, name, password, site_admin, created)"
                            " VALUES($1, $2, $3, $4, $5) RETURNING id",
    [ML_ACCT_ACCOUNT_BY_EMAIL] = "SELECT id, email, name, password, site_admin, disabled, created"
                                 " FROM account WHERE email = $1",
    [ML_ACCT_ACCOUNT_BY_ID] = "SELECT id, email, name, password, site_admin, disabled, created"
                              " FROM account WHERE id = $1",
    [ML_ACCT_ACCOUNT_LIST] = "SELECT id, email, name, site_admin, disabled, created FROM account"
                             " ORDER BY email",
    [ML_ACCT_SET_PASSWORD] = "UPDATE account SET password = $2 WHERE id = $1",
    [ML_ACCT_SET_DISABLED] = "UPDATE account SET disabled = $2 WHERE id = $1",
    [ML_ACCT_MEMBER_PUT] = "INSERT INTO member(org, account, role) VALUES($1, $2, $3)"
                           " ON CONFLICT(org, account) DO UPDATE SET role = excluded.role",
    [ML_ACCT_MEMBER_DROP] = "DELETE FROM member WHERE org = $1 AND account = $2",
    [ML_ACCT_MEMBERS] = "SELECT a.id, a.email, a.name, m.role, a.disabled FROM member m"
                        " JOIN account a ON a.id = m.account WHERE m.org = $1 ORDER BY a.email",
    [ML_ACCT_MEMBERSHIPS] = "SELECT o.id, o.name, o.type, m.role FROM member m"
                            " JOIN org o ON o.id = m.org WHERE m.account = $1 ORDER BY o.name",
    [ML_ACCT_WORKSPACE_ADD] = "INSERT INTO workspace(name, created) VALUES($1, $2)"
                              " ON CONFLICT(name) DO NOTHING",
    [ML_ACCT_WORKSPACE_BY_NAME] = "SELECT id FROM workspace WHERE name = $1",
    [ML_ACCT_WORKSPACE_JOIN] = "INSERT INTO workspace_org(workspace, org) VALUES($1, $2)"
                               " ON CONFLICT(workspace, org) DO NOTHING",
    [ML_ACCT_WORKSPACE_LEAVE] = "DELETE FROM workspace_org WHERE workspace = $1 AND org = $2",
    [ML_ACCT_WORKSPACE_LIST] = "SELECT w.name, o.name FROM workspace w"
                               " LEFT JOIN workspace_org wo ON wo.workspace = w.id"
                               " LEFT JOIN org o ON o.id = wo.org ORDER BY w.name, o.name",
    [ML_ACCT_ORG_PEERS] = "SELECT DISTINCT b.org FROM workspace_org a JOIN workspace_org b"
                          " ON b.workspace = a.workspace WHERE a.org = $1 AND b.org <> $1"
                          " ORDER BY b.org",
    [ML_ACCT_SESSION_ADD] = "INSERT INTO session(hash, account, org, csrf, created, seen, address)"
                            " VALUES($1, $2, $3, $4, $5, $6, $7)",
    [ML_ACCT_SESSION_GET] = "SELECT s.account, s.org, s.csrf, s.created, s.seen, a.email, a.name,"
                            " a.site_admin, a.disabled, m.role, o.name FROM session s"
                            " JOIN account a ON a.id = s.account"
                            " LEFT JOIN member m ON m.account = s.account AND m.org = s.org"
                            " LEFT JOIN org o ON o.id = s.org WHERE s.hash = $1",
    [ML_ACCT_SESSION_TOUCH] = "UPDATE session SET seen = $2 WHERE hash = $1",
    [ML_ACCT_SESSION_DROP] = "DELETE FROM session WHERE hash = $1",
    [ML_ACCT_SESSION_DROP_ACCOUNT] = "DELETE FROM session WHERE account = $1 AND hash <> $2",
    [ML_ACCT_SESSION_PRUNE] = "DELETE FROM session WHERE seen < $1 OR created < $2",
    [ML_ACCT_SESSION_LIST] = "SELECT hash, created, seen, address FROM session WHERE account = $1"
                             " ORDER BY seen DESC",
    [ML_ACCT_TOKEN_ADD] = "INSERT INTO api_token(hash, account, org, name, scope, created)"
                          " VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
    [ML_ACCT_TOKEN_GET] = "SELECT t.id, t.account, t.org, t.scope, t.used, a.email, a.name,"
                          " a.site_admin, a.disabled, m.role, o.name FROM api_token t"
                          " JOIN account a ON a.id = t.account"
                          " LEFT JOIN member m ON m.account = t.account AND m.org = t.org"
                          " LEFT JOIN org o ON o.id = t.org"
                          " WHERE t.hash = $1 AND t.revoked IS NULL",
    [ML_ACCT_TOKEN_USED] = "UPDATE api_token SET used = $2 WHERE id = $1",
    [ML_ACCT_TOKEN_LIST] = "SELECT id, name, scope, created, used, revoked FROM api_token"
                           " WHERE account = $1 ORDER BY id",
    [ML_ACCT_TOKEN_REVOKE] = "UPDATE api_token SET revoked = $3"
                             " WHERE id = $1 AND account = $2 AND revoked IS NULL",
    [ML_ACCT_INVITE_ADD] =
        "INSERT INTO invite(hash, org, role, email, created_by, created, expires)"
        " VALUES($1, $2, $3, $4, $5, $6, $7)",
    [ML_ACCT_INVITE_GET] = "SELECT i.org, i.role, i.email, i.expires, i.used, o.name FROM invite i"
                           " JOIN org o ON o.id = i.org WHERE i.hash = $1",
    [ML_ACCT_INVITE_TAKE] = "UPDATE invite SET used = $2, account = $3"
                            " WHERE hash = $1 AND used IS NULL AND expires > $2",
    [ML_ACCT_INVITE_LIST] = "SELECT i.role, i.email, i.created, i.expires, i.used, a.email"
                            " FROM invite i LEFT JOIN account a ON a.id = i.account"
                            " WHERE i.org = $1 ORDER BY i.created DESC",
    [ML_ACCT_FAILURE_ADD] = "INSERT INTO login_failure(kind, key, at) VALUES($1, $2, $3)",
    [ML_ACCT_FAILURE_COUNT] = "SELECT count(*), min(at) FROM login_failure"
                              " WHERE kind = $1 AND key = $2 AND at > $3",
    [ML_ACCT_FAILURE_CLEAR] = "DELETE FROM login_failure WHERE kind = $1 AND key = $2",
    [ML_ACCT_FAILURE_PRUNE] = "DELETE FROM login_failure WHERE at <= $1",
    [ML_ACCT_AUDIT_ADD] = "INSERT INTO audit(at, account, actor, org, address, action, target,"
                          " detail) VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
    [ML_ACCT_AUDIT_LIST] = "SELECT a.id, a.at, a.account, a.actor, a.org, o.name, a.address,"
                           " a.action, a.target, a.detail FROM audit a"
                           " LEFT JOIN org o ON o.id = a.org"
                           " WHERE a.at >= $1 AND ($2 = 0 OR a.org = $2) ORDER BY a.id LIMIT $3",
    [ML_ACCT_MEMBER_ROLE] = "SELECT role FROM member WHERE org = $1 AND account = $2",
};

#endif
