/* db.c — the public database calls: open through the backend table and the
 * read entry points. Loading the shipped reference data is lib/ref's. */
#include "store/store.h"

/* The engine a database name selects: a postgresql:// or postgres:// URL
 * (libpq's connection URI) is a PostgreSQL database, anything else a file. */
static const ml_store_backend *backend_for(const char *path)
{
    if (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0)
        return &ml_pg_backend;
    return &ml_sqlite_backend;
}

ml_err ml_db_open(ml_ctx *ctx, const char *path, unsigned flags, ml_db **out)
{
    *out = NULL;
    if (!path || !*path) return ml_fail(ctx, ML_INVALID, "no database path given");
    ml_db *db = calloc(1, sizeof *db);
    if (!db) return ml_fail(ctx, ML_NOMEM, "out of memory");
    db->ctx = ctx;
    db->be = backend_for(path);
    db->path = ml_strdup(path);
    if (!db->path) {
        free(db);
        return ml_fail(ctx, ML_NOMEM, "out of memory");
    }
    ml_err r = db->be->open(db, path, flags);
    if (r) {
        ml_db_close(db);
        return r;
    }
    *out = db;
    return ML_OK;
}

void ml_db_close(ml_db *db)
{
    if (!db) return;
    if (db->lexicon_free) db->lexicon_free(db->lexicon);
    if (db->territory_cache_free) db->territory_cache_free(db->territory_cache);
    db->be->close(db);
    free(db->path);
    free(db);
}

ml_ctx *ml_db_ctx(ml_db *db)
{
    return db->ctx;
}

ml_err ml_db_data_stamp(ml_db *db, uint64_t *out)
{
    *out = 0;
    return db->be->data_stamp(db, out);
}

ml_err ml_db_read_begin(ml_db *db)
{
    return db->be->read_begin(db);
}

void ml_db_read_end(ml_db *db)
{
    db->be->read_end(db);
}


/* ----------------------------------------------------------------------- reads */

/* The shapes of the official geographic codes (COG), checked before any
 * backend sees a code: a malformed one is refused, never searched. */
typedef enum code_kind { CODE_COMMUNE, CODE_EPCI, CODE_DEPARTEMENT, CODE_REGION } code_kind;

static const struct {
    const char *name, *expected;
} code_kinds[] = {
    [CODE_COMMUNE] = {"commune", "5 characters, like 13055 or 2A004"},
    [CODE_EPCI] = {"EPCI", "a SIREN of 9 digits, like 200054807"},
    [CODE_DEPARTEMENT] = {"département", "2 characters like 13 or 2A, or 3 digits like 971"},
    [CODE_REGION] = {"région", "2 digits, like 93"},
};

static bool digits(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789") == n;
}

/* 2A and 2B are Corsica's départements (and the start of its communes). */
static bool corsica(const char *s)
{
    return s[0] == '2' && (s[1] == 'A' || s[1] == 'B' || s[1] == 'a' || s[1] == 'b');
}

static bool code_shape(code_kind k, const char *c)
{
    size_t n = strlen(c);
    switch (k) {
    case CODE_COMMUNE:
        return n == 5 && (digits(c, 5) || (corsica(c) && strspn(c + 2, "0123456789") == 3));
    case CODE_EPCI:
        return digits(c, 9);
    case CODE_DEPARTEMENT:
        return (n == 2 && (digits(c, 2) || corsica(c))) ||
               (digits(c, 3) && c[0] == '9' && c[1] == '7');
    case CODE_REGION:
        return digits(c, 2);
    }
    return false;
}

static ml_err check_code(ml_db *db, code_kind k, const char *c)
{
    if (!c || code_shape(k, c)) return ML_OK;
    return ml_fail(db->ctx, ML_INVALID, "invalid %s code '%.40s' (expected %s)", code_kinds[k].name,
                   c, code_kinds[k].expected);
}

static bool ascii_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A NAF code at any level: 25.62A, 25.62, 25.6, 25, or a section or an
 * aggregate (C, CH, C1, CZ, CM2Z...: a letter, then letters or digits). */
static bool naf_shape(const char *c)
{
    static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    size_t n = strlen(c);
    if (n >= 2 && strspn(c, "0123456789") >= 2) {
        if (n == 2) return true;
        if (c[2] != '.') return false;
        size_t d = strspn(c + 3, "0123456789");
        const char *rest = c + 3 + d;
        if (d < 1 || d > 2) return false;
        return *rest == '\0' || (d == 2 && ascii_letter(rest[0]) && rest[1] == '\0');
    }
    return n >= 1 && n <= 4 && ascii_letter(c[0]) && strspn(c, alnum) == n;
}

static ml_err check_naf(ml_db *db, const char *c)
{
    if (!c || naf_shape(c)) return ML_OK;
    return ml_fail(db->ctx, ML_INVALID,
                   "invalid NAF code '%.40s' (expected a sub-class like 25.62A, a class 25.62, a "
                   "group 25.6, a division 25, a section C, or an A10/A38/A64/A129 code)",
                   c);
}

/* A territory: FR, a commune, EPCI or département code, or one of these
 * after com:, epci:, dep:, reg:. */
static ml_err check_territory(ml_db *db, const char *code)
{
    static const struct {
        const char *prefix;
        code_kind kind;
    } prefixes[] = {{"com:", CODE_COMMUNE},
                    {"epci:", CODE_EPCI},
                    {"dep:", CODE_DEPARTEMENT},
                    {"reg:", CODE_REGION}};
    if (!code || !*code) return ml_fail(db->ctx, ML_INVALID, "empty territory code");
    if (strcmp(code, "FR") == 0 || strcmp(code, "fr") == 0) return ML_OK;
    for (size_t i = 0; i < ML_ARRAY_LEN(prefixes); i++) {
        size_t n = strlen(prefixes[i].prefix);
        if (strncmp(code, prefixes[i].prefix, n) == 0)
            return check_code(db, prefixes[i].kind, code + n);
    }
    if (code_shape(CODE_COMMUNE, code) || code_shape(CODE_EPCI, code) ||
        code_shape(CODE_DEPARTEMENT, code) || ml_perimeter_code_shape(code))
        return ML_OK;
    return ml_fail(db->ctx, ML_INVALID,
                   "invalid territory code '%.40s': use a commune (13055), EPCI (200054807) or "
                   "département (13) code, reg:93 for a région, ti-8401 for a Territoire "
                   "d'industrie, p-NAME for a perimeter of yours, or FR",
                   code);
}

bool ml_perimeter_code_shape(const char *code)
{
    /* ti-RRNN (Territoires d'industrie, current phase), ti1-RRNN (the first
     * phase), p-NAME (the user's): lower-case letters, digits, dashes. */
    size_t pre = strncmp(code, "ti-", 3) == 0    ? 3
                 : strncmp(code, "ti1-", 4) == 0 ? 4
                 : strncmp(code, "p-", 2) == 0   ? 2
                                                 : 0;
    size_t n = strlen(code);
    if (!pre || n == pre || n > ML_PERIMETER_CODE_MAX) return false;
    return strspn(code + pre, "abcdefghijklmnopqrstuvwxyz0123456789-") == n - pre;
}

/* For the engine's other folders (lib/map): the facade's own checks. */
ml_err ml_store_check_territory(ml_db *db, const char *code)
{
    return check_territory(db, code);
}

ml_err ml_store_check_naf(ml_db *db, const char *code)
{
    return check_naf(db, code);
}
