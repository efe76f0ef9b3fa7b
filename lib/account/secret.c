/* secret.c — what lib/account keeps secret and how: random secrets from
 * libsodium (sessions, tokens, invitations) of which only a BLAKE2b hash is
 * stored, Argon2id password strings, and the statement runner and row
 * helpers of the accounts slot. */
#include <sodium.h>
#include <time.h>

#include "account/account.h"

static bool sodium_ready(void)
{
    return sodium_init() >= 0; /* thread-safe; 1 when already done */
}

int ml_secret_new(char out[ML_SECRET_CHARS + 1])
{
    unsigned char raw[32];
    if (!sodium_ready()) return -1;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, ML_SECRET_CHARS + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

int ml_random_secret(char out[ML_SECRET_CHARS + 1])
{
    return ml_secret_new(out);
}

void ml_secret_hash(const char *secret, char out[ML_SECRET_HASH])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(out, ML_SECRET_HASH, h, sizeof h);
}

bool ml_secret_shape(const char *s)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    return s && strlen(s) == ML_SECRET_CHARS && strspn(s, b64) == ML_SECRET_CHARS;
}

ml_err ml_password_hash(ml_ctx *ctx, const char *password, char out[ML_PWHASH_STR])
{
    size_t n = password ? strlen(password) : 0;
    if (n < ML_PASSWORD_MIN || n > ML_PASSWORD_MAX)
        return ml_fail(ctx, ML_INVALID, "a password has from %d to %d bytes (%zu given)",
                       ML_PASSWORD_MIN, ML_PASSWORD_MAX, n);
    if (!sodium_ready()) return ml_fail(ctx, ML_ERROR, "libsodium cannot start");
    _Static_assert(ML_PWHASH_STR == crypto_pwhash_STRBYTES, "Argon2id string size");
    if (crypto_pwhash_str(out, password, n, ML_PWHASH_OPS, ML_PWHASH_MEM) != 0)
        return ml_fail(ctx, ML_NOMEM, "out of memory hashing a password");
    return ML_OK;
}

bool ml_password_verify(const char *hash, const char *password)
{
    if (!hash || !password || !sodium_ready()) return false;
    size_t n = strlen(password);
    if (n > ML_PASSWORD_MAX) return false;
    return crypto_pwhash_str_verify(hash, password, n) == 0;
}

bool ml_password_stale(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, ML_PWHASH_OPS, ML_PWHASH_MEM) != 0;
}

ml_err ml_acct_run(ml_db *db, ml_acct_sql id, const ml_sql_arg *args, size_t nargs,
                   ml_text_row_fn fn, void *ud, int64_t *changed)
{
    return db->be->account_sql(db, id, args, nargs, fn, ud, changed);
}

int ml_acct_row_fn(void *ud, const char *const *cols, size_t n)
{
    ml_acct_row *r = ud;
    if (r->found) return 1;
    r->found = true;
    r->n = n < ML_ROW_MAX ? n : ML_ROW_MAX;
    for (size_t i = 0; i < r->n; i++)
        if (cols[i] && !(r->col[i] = ml_strdup(cols[i]))) return 1;
    return 1; /* the first row only */
}

void ml_acct_row_free(ml_acct_row *r)
{
    for (size_t i = 0; i < ML_ROW_MAX; i++)
        free(r->col[i]);
    *r = (ml_acct_row){0};
}

int64_t ml_acct_int(const ml_acct_row *r, size_t i)
{
    return i < r->n && r->col[i] ? strtoll(r->col[i], NULL, 10) : 0;
}

ml_err ml_email_clean(ml_ctx *ctx, const char *email, char *out, size_t size)
{
    const char *s = email ? email : "";
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    const char *at = memchr(s, '@', n);
    bool ok = n >= 3 && n < size && n <= 254 && at && at > s && at < s + n - 1 &&
              !memchr(at + 1, '@', (size_t)(s + n - at - 1));
    for (size_t i = 0; ok && i < n; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f || s[i] == '"' || s[i] == '<' ||
            s[i] == '>' || s[i] == ',' || s[i] == ';')
            ok = false;
    if (ok && !ml_utf8_valid(s, n)) ok = false;
    if (!ok) return ml_fail(ctx, ML_INVALID, "'%.80s' is not an email address", s);
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    out[n] = '\0';
    return ML_OK;
}

bool ml_may_admin(const ml_actor *by, int64_t org)
{
    return by && (by->site_admin || (by->role == ML_ROLE_ADMIN && org && by->org == org));
}

void ml_time_iso(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm)) out[0] = '\0';
}

static const char *const role_names[] = {"none", "guest", "viewer", "officer", "admin"};

const char *ml_role_name(ml_role role)
{
    return (size_t)role < ML_ARRAY_LEN(role_names) ? role_names[role] : "none";
}

bool ml_role_parse(const char *name, ml_role *out)
{
    for (size_t i = 1; name && i < ML_ARRAY_LEN(role_names); i++)
        if (strcmp(name, role_names[i]) == 0) {
            *out = (ml_role)i;
            return true;
        }
    return false;
}

void ml_auth_fix(ml_auth *a)
{
    a->actor.name = a->name[0] ? a->name : a->email;
    a->actor.orgs = a->orgs;
}
