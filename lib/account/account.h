/* account.h — lib/account's own pieces: secrets and password hashes, the
 * statement runner over the store's accounts slot, and the calls with an
 * explicit clock (`now`, Unix seconds) that the public ones wrap with the
 * real time, so that tests can move time. */
#ifndef ML_ACCOUNT_H
#define ML_ACCOUNT_H

#include "store/store.h"

/* Argon2id, libsodium's "interactive" limits: 2 passes over 64 MiB (about
 * 0.1 s on a 2020s core). A stored hash made with other limits is made again
 * at the next login (ml_password_stale). */
#define ML_PWHASH_OPS    2
#define ML_PWHASH_MEM    (64u << 20)
#define ML_PWHASH_STR    128 /* crypto_pwhash_STRBYTES */
#define ML_PASSWORD_MIN  8
#define ML_PASSWORD_MAX  200
#define ML_SECRET_HASH   65 /* hex of a 32-byte BLAKE2b hash, and its NUL */
#define ML_SESSION_TOUCH 60 /* a session's last use is written at most this often */

/* A new random secret (32 bytes from randombytes_buf, base64url). 0 or -1. */
int ml_secret_new(char out[ML_SECRET_CHARS + 1]);
/* The hash kept for a secret (BLAKE2b-256, hex). */
void ml_secret_hash(const char *secret, char out[ML_SECRET_HASH]);
/* True when s has the shape of a secret (43 base64url characters). */
bool ml_secret_shape(const char *s);
/* Argon2id string of a password (ML_INVALID for a length out of bounds). */
ml_err ml_password_hash(ml_ctx *ctx, const char *password, char out[ML_PWHASH_STR]);
bool ml_password_verify(const char *hash, const char *password);
/* True when the hash was made with limits other than today's. */
bool ml_password_stale(const char *hash);

/* Runs an account statement (see store.h). */
ml_err ml_acct_run(ml_db *db, ml_acct_sql id, const ml_sql_arg *args, size_t nargs,
                   ml_text_row_fn fn, void *ud, int64_t *changed);
#define ML_INT(v)  ((ml_sql_arg){.type = ML_ARG_INT, .i = (v)})
#define ML_TEXT(v) ((ml_sql_arg){.type = ML_ARG_TEXT, .s = (v)})
#define ML_RUN(db, id, fn, ud, changed, ...)                                                       \
    ml_acct_run(db, id, (const ml_sql_arg[]){__VA_ARGS__},                                         \
                sizeof((const ml_sql_arg[]){__VA_ARGS__}) / sizeof(ml_sql_arg), fn, ud, changed)

/* The first row of a statement, copied. */
#define ML_ROW_MAX 16
typedef struct ml_acct_row {
    bool found;
    size_t n;
    char *col[ML_ROW_MAX];
} ml_acct_row;
int ml_acct_row_fn(void *ud, const char *const *cols, size_t n); /* fills an ml_acct_row */
void ml_acct_row_free(ml_acct_row *r);
int64_t ml_acct_int(const ml_acct_row *r, size_t i); /* 0 for NULL */

/* The calls with a clock. */
ml_err ml_login_at(ml_db *db, const char *email, const char *password, const char *org,
                   const char *address, int64_t now, ml_signin *out);
ml_err ml_session_check_at(ml_db *db, const char *session, int64_t now, ml_auth *out);
ml_err ml_invite_accept_at(ml_db *db, const char *secret, const char *email, const char *name,
                           const char *password, const char *address, int64_t now, ml_signin *out);
ml_err ml_audit_write_at(ml_db *db, const ml_actor *actor, int64_t now, const char *action,
                         const char *target, const char *detail);

/* An email as kept: trimmed, lower case; ML_INVALID when it is not one. */
ml_err ml_email_clean(ml_ctx *ctx, const char *email, char *out, size_t size);
/* May `by` manage organisation `org` (members, invitations)? */
bool ml_may_admin(const ml_actor *by, int64_t org);
/* "2026-11-30T07:00:00Z" */
void ml_time_iso(int64_t t, char out[32]);

#endif
