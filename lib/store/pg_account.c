/* pg_account.c — the accounts slot of the PostgreSQL backend: the shared
 * statements of account_sql.h with text parameters, rows handed out as
 * text (pg_text_sql). The results are small (a session, a list of members). */
#include "store/account_sql.h"
#include "store/pg_impl.h"

ml_err pg_account_sql(ml_db *db, ml_acct_sql id, const ml_sql_arg *args, size_t nargs,
                      ml_text_row_fn fn, void *ud, int64_t *changed)
{
    return pg_text_sql(db, "accounts", ml_account_sql[id], args, nargs, fn, ud, changed);
}
