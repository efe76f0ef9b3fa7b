/* sqlite_account.c — the accounts slot of the SQLite backend: the shared
 * statements of account_sql.h, prepared once per connection (their $N
 * parameters read as ?N), rows handed out as text (sqlite_text.c). */
#include "store/account_sql.h"
#include "store/sqlite_impl.h"

ml_err sq_account_sql(ml_db *db, ml_acct_sql id, const ml_sql_arg *args, size_t nargs,
                      ml_text_row_fn fn, void *ud, int64_t *changed)
{
    sq_state *s = db->impl;
    if (changed) *changed = 0;
    if (!s->acct_stmt[id]) s->acct_stmt[id] = sq_prepare_dollar(db, ml_account_sql[id], true);
    if (!s->acct_stmt[id]) return sq_fail(db, "accounts");
    return sq_text_run(db, s->acct_stmt[id], "accounts", args, nargs, fn, ud, changed);
}
