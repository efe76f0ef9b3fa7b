/* maillage.h — public API of the maillage engine (libmaillage).
 *
 * The library maps the industrial web of a French territory: it loads the
 * reference data (geography, NAF sectors, input-output tables), imports the
 * SIRENE register, and answers searches and summaries. It never prints, exits
 * or owns the terminal; every call reports through an ml_err and a message
 * kept on its ml_ctx.
 *
 * Conventions
 *  - Handles are opaque; each has a constructor and a destructor.
 *  - Strings passed in are borrowed for the duration of the call only.
 *  - Results returned as json_t (jansson) belong to the caller, who releases
 *    them with json_decref().
 *  - A handle is used by one thread at a time; distinct handles are independent.
 */
#ifndef MAILLAGE_H
#define MAILLAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ML_VERSION "0.1.0"

/* The one result enum of the library. */
typedef enum ml_err {
    ML_OK = 0,      /* success */
    ML_ERROR,       /* failure that fits no other code; see ml_ctx_message() */
    ML_NOMEM,       /* an allocation failed */
    ML_IO,          /* a file could not be opened, read or written */
    ML_FORMAT,      /* input is malformed: header, encoding, truncation */
    ML_NOTFOUND,    /* the requested object does not exist */
    ML_INVALID,     /* an argument is invalid (bad SIRET, unknown code, bad option) */
    ML_DB,          /* the storage backend failed */
    ML_LIMIT,       /* a size limit was exceeded */
    ML_PRIVATE,     /* the object exists but its diffusion is restricted (statut P) */
    ML_INTERRUPTED, /* the caller cancelled the operation */
    ML_AMBIGUOUS,   /* a name stands for several things (communes…): the message lists them */
    ML_BUSY,        /* another process is writing (an import): nothing changed, try again */
    ML_REFUSED,     /* a rule refuses the request (an envelope, a ceiling): the message says which */
} ml_err;

/* Short stable name of an error code ("ML_FORMAT"); never NULL. */
const char *ml_err_name(ml_err err);

/* ------------------------------------------------------------------ context */

typedef struct ml_ctx ml_ctx;

enum { ML_LOG_DEBUG = 0, ML_LOG_INFO = 1, ML_LOG_WARN = 2 };
typedef void (*ml_log_fn)(void *ud, int level, const char *message);

/* Creates a context. Returns NULL only when out of memory. The reference data
 * directory defaults to $MAILLAGE_DATA, else the build's data/ folder. */
ml_ctx *ml_ctx_new(void);
void ml_ctx_free(ml_ctx *ctx);
/* The message of the last failure on this context ("" if none); owned by ctx,
 * valid until the next call that fails. */
const char *ml_ctx_message(const ml_ctx *ctx);
/* Receives informational messages (none are printed by the library). */
void ml_ctx_set_log(ml_ctx *ctx, ml_log_fn fn, void *ud);
/* Copies `dir` as the reference data directory. */
ml_err ml_ctx_set_datadir(ml_ctx *ctx, const char *dir);
const char *ml_ctx_datadir(const ml_ctx *ctx);

/* ----------------------------------------------------------------- database */

typedef struct ml_db ml_db;

enum {
    ML_DB_CREATE = 1 << 0,   /* create the file if missing */
    ML_DB_READONLY = 1 << 1, /* open read-only */
    ML_DB_SHORT_WAIT = 1 << 2, /* a write waits at most 5 s for another writer, then ML_BUSY
                                  (the server: an answer soon rather than a long wait) */
};

/* Opens (and migrates to the current schema) the database at `path`
 * (":memory:" for a private in-memory one). The ctx is borrowed and must
 * outlive the db. On failure *out is NULL and the message names the file. */
ml_err ml_db_open(ml_ctx *ctx, const char *path, unsigned flags, ml_db **out);
void ml_db_close(ml_db *db);
ml_ctx *ml_db_ctx(ml_db *db);

/* Loads the reference data (communes, EPCI, départements, régions, NAF with
 * its aggregation levels, input-output tables) from the context's data
 * directory, replacing what the database held, in one transaction. */
ml_err ml_db_init(ml_db *db);

/* A number that changes when an import, a network or the reference data
 * changed what a snapshot reads (a verdict does not change it). Cheap to call
 * every second: unless another connection committed since the last call on
 * this handle, it reads one pragma. A server compares it to know when to
 * rebuild its snapshot after an import that ran beside it. */
ml_err ml_db_data_stamp(ml_db *db, uint64_t *out);

/* Reads on `db` between these two calls see one state of the database,
 * whatever other connections commit meanwhile (a read transaction). */
ml_err ml_db_read_begin(ml_db *db);
void ml_db_read_end(ml_db *db);

/* Counts and provenance of what the database holds: reference tables,
 * establishments (active, diffusible, generated), last imports. */
ml_err ml_db_info(ml_db *db, json_t **out);

/* ----------------------------------------------------------------- accounts */

/* A member's role in an organisation; each role may do what the roles
 * before it may. A guest (a company contact, a public buyer) sees only the
 * records about itself. */
typedef enum ml_role {
    ML_ROLE_NONE = 0, /* nobody signed in */
    ML_ROLE_GUEST,
    ML_ROLE_VIEWER,
    ML_ROLE_OFFICER,
    ML_ROLE_ADMIN
} ml_role;

/* Who acts: what a write records as its author and what decides which
 * shared records (notes, contacts, interactions) a read returns. The CLI
 * acts as a named local admin; the server builds one per request from the
 * session or API token (issue 11). Strings and the array are borrowed. */
typedef struct ml_actor {
    int64_t user;        /* the account's id; 0 = nobody */
    int64_t org;         /* the organisation it acts for; 0 = none */
    ml_role role;        /* its role in that organisation */
    const char *name;    /* shown as the author: display name or email */
    const char *address; /* the client's address (audit log); NULL from the CLI */
    /* The organisations whose records it may read: its own and those
     * sharing a workspace with it. */
    const int64_t *orgs;
    size_t norgs;
    /* Added by the accounts (issue 11): the deployment's administrator (the
     * CLI, an account made with `user add --admin`), who manages every
     * organisation and reads the whole audit log. */
    bool site_admin;
} ml_actor;

/* "none", "guest", "viewer", "officer", "admin". */
const char *ml_role_name(ml_role role);
/* The role a name says (the names above but "none"); false if none. */
bool ml_role_parse(const char *name, ml_role *out);

/* Secrets handed out (session cookies, API tokens, invitation links): 32
 * random bytes in base64url without padding. The database keeps only their
 * BLAKE2b hash. */
#define ML_SECRET_CHARS 43
#define ML_AUTH_ORGS_MAX 64 /* organisations an actor may read (own + workspaces) */

/* Who a session or an API token stands for: an ml_actor whose strings and
 * array point into this struct (copy the struct, and the pointers follow
 * only after ml_auth_fix). */
typedef struct ml_auth {
    ml_actor actor;
    bool by_token;   /* an API token, not a session */
    bool may_write;  /* a session, or a token of scope "write" */
    int64_t token;   /* the token's id */
    int64_t created; /* the session's start (Unix seconds) */
    char csrf[ML_SECRET_CHARS + 1]; /* the session's CSRF token ("" for a token) */
    char email[256], name[256], org_name[256];
    int64_t orgs[ML_AUTH_ORGS_MAX];
} ml_auth;
/* A new random secret (randombytes_buf), for a double-submit CSRF cookie. 0 or -1. */
int ml_random_secret(char out[ML_SECRET_CHARS + 1]);
/* Points a's actor at a's own fields again (after a copy). */
void ml_auth_fix(ml_auth *a);

/* ------------------------------------------------ organisations and accounts
 * (lib/account). Every call that writes takes the actor who writes, checks
 * that it may, and records it in the audit log. Passwords are hashed with
 * Argon2id (libsodium's crypto_pwhash_str); they are between 8 and 200 bytes. */

/* The organisation types: agency, epci, prefecture, cluster, chamber,
 * company, buyer (a public buyer). */
ml_err ml_org_add(ml_db *db, const ml_actor *by, const char *name, const char *type, int64_t *id);
/* [{id, name, type, created, members}] by name. */
ml_err ml_org_list(ml_db *db, json_t **out);
/* The organisation's id (ML_NOTFOUND with a message when there is none). */
ml_err ml_org_find(ml_db *db, const char *name, int64_t *id);

typedef struct ml_user_new {
    const char *email;    /* the login, kept lower case */
    const char *name;     /* shown as the author; NULL: the email */
    const char *password; /* NULL: none (cannot sign in until one is set) */
    const char *org;      /* an organisation's name, or NULL */
    ml_role role;         /* its role there (ML_ROLE_VIEWER when NONE) */
    bool site_admin;
} ml_user_new;
ml_err ml_user_add(ml_db *db, const ml_actor *by, const ml_user_new *u, int64_t *id);
/* [{id, email, name, site_admin, disabled, created, organisations: [{name, role}]}]. */
ml_err ml_user_list(ml_db *db, json_t **out);
/* Disables (or enables) an account: its sessions end, its tokens stop working. */
ml_err ml_user_disable(ml_db *db, const ml_actor *by, const char *email, bool disabled);
/* Sets an account's password (an administrator's reset): its sessions end. */
ml_err ml_user_password(ml_db *db, const ml_actor *by, const char *email, const char *password);
/* Sets an account's role in an organisation (ML_ROLE_NONE removes it). The
 * actor must administer the organisation. */
ml_err ml_member_set(ml_db *db, const ml_actor *by, int64_t org, int64_t account, ml_role role);
/* [{id, email, name, role, disabled}] of an organisation. */
ml_err ml_org_members(ml_db *db, int64_t org, json_t **out);
/* Puts an organisation in a workspace (made when new), or takes it out:
 * organisations of one workspace read each other's shared records. */
ml_err ml_workspace_share(ml_db *db, const ml_actor *by, const char *workspace, const char *org,
                          bool leave);
/* [{name, organisations: [name]}]. */
ml_err ml_workspace_list(ml_db *db, json_t **out);

/* Invitations: a one-time secret for a link an administrator copies (or a
 * configured mail command sends), valid ML_INVITE_SECONDS. */
#define ML_INVITE_SECONDS (7 * 24 * 3600)
ml_err ml_invite_create(ml_db *db, const ml_actor *by, int64_t org, ml_role role,
                        const char *email, char secret[ML_SECRET_CHARS + 1]);
/* [{role, email, created, expires, used, account}] of an organisation. */
ml_err ml_invite_list(ml_db *db, int64_t org, json_t **out);

/* ------------------------------------------------------- authentication */

/* Sessions end after ML_SESSION_IDLE seconds without a request, and
 * ML_SESSION_MAX seconds after they began, whatever happens. */
#define ML_SESSION_IDLE (2 * 3600)
#define ML_SESSION_MAX (12 * 3600)
/* Failed logins: after ML_THROTTLE_ACCOUNT failures on one account, or
 * ML_THROTTLE_ADDRESS from one address, within ML_THROTTLE_WINDOW seconds,
 * logins are refused until the window has passed the oldest of them. */
#define ML_THROTTLE_ACCOUNT 5
#define ML_THROTTLE_ADDRESS 20
#define ML_THROTTLE_WINDOW (15 * 60)

typedef struct ml_signin {
    char session[ML_SECRET_CHARS + 1]; /* the new session's secret (the cookie) */
    char csrf[ML_SECRET_CHARS + 1];
    int64_t retry_after; /* ML_LIMIT: seconds before a login may be tried again */
    ml_auth auth;        /* who signed in */
} ml_signin;

/* Checks an email and a password and opens a new session (never one the
 * client names: a session fixed before the login is not kept). `org`: the
 * organisation to act for (NULL: the first of the account's). ML_INVALID
 * "wrong email or password" (which one is not said), ML_LIMIT when
 * throttled (out->retry_after), ML_PRIVATE for a disabled account. A hash
 * made with weaker parameters than today's is made again. */
ml_err ml_login(ml_db *db, const char *email, const char *password, const char *org,
                const char *address, ml_signin *out);
/* Creates the account an invitation names (or adds the organisation to an
 * existing account whose password is given), uses up the invitation, and
 * signs in. ML_NOTFOUND for an unknown, used or expired invitation. */
ml_err ml_invite_accept(ml_db *db, const char *secret, const char *email, const char *name,
                        const char *password, const char *address, ml_signin *out);
/* Who a session stands for; ML_NOTFOUND (no message) when it is unknown,
 * expired, or its account disabled. Keeps it alive (idle expiry). */
ml_err ml_session_check(ml_db *db, const char *session, ml_auth *out);
/* Ends a session, or (everywhere) every session of its account. */
ml_err ml_session_end(ml_db *db, const char *session, bool everywhere);
/* API tokens: `write` false gives a read-only token. The secret is shown
 * once: only its hash is kept. */
ml_err ml_token_create(ml_db *db, const ml_actor *by, const char *name, bool write,
                       char secret[ML_SECRET_CHARS + 1], int64_t *id);
ml_err ml_token_check(ml_db *db, const char *secret, ml_auth *out); /* ML_NOTFOUND as above */
ml_err ml_token_revoke(ml_db *db, const ml_actor *by, int64_t id);
/* The actor's account: {id, email, name, site_admin, organisation, role,
 * organisations, sessions: [{created, seen, address, current}], tokens}. */
ml_err ml_account_show(ml_db *db, const ml_actor *who, const char *session, json_t **out);
/* Changes one's own password (the current one is checked); every other
 * session of the account ends. */
ml_err ml_account_password(ml_db *db, const ml_actor *who, const char *current,
                           const char *password, const char *session_kept);
/* OpenID Connect (ProConnect, the French public servants' federation): the
 * HTTP face runs the authorization-code flow with a provider (state, nonce,
 * PKCE, the ID token's signature, issuer, audience and expiry checked; see
 * docs/api.md) and hands the verified claims here. The account is the one
 * with the claims' email (never created by a login: an administrator
 * invites it first); the session is opened as by ml_login, and the audit
 * log says which provider signed it in. */
typedef struct ml_identity {
    const char *provider; /* "proconnect" */
    const char *subject;  /* the provider's stable id of the person ("sub") */
    const char *email;    /* verified by the provider */
    const char *org;      /* the organisation to act for, or NULL (its first) */
} ml_identity;
ml_err ml_login_identity(ml_db *db, const ml_identity *id, const char *address, ml_signin *out);

/* How many accounts exist (a server without any runs open, as before). */
ml_err ml_account_count(ml_db *db, int64_t *n);

/* ------------------------------------------------------------ audit log */

/* Appends one entry: who (the actor's account, name, organisation and
 * address), when (now), what (`action`, `target`, `detail`: any may be
 * NULL but action). The log has no update or delete path. */
ml_err ml_audit_write(ml_db *db, const ml_actor *actor, const char *action, const char *target,
                      const char *detail);
/* Entries since `since` (Unix seconds), oldest first, at most `limit`: the
 * whole log for a site administrator, its organisation's for another
 * administrator. [{id, at, actor, account, organisation, address, action,
 * target, detail}] */
ml_err ml_audit_list(ml_db *db, const ml_actor *reader, int64_t since, unsigned limit,
                     json_t **out);
/* The same as CSV (a French spreadsheet's, or plain) written to `path`. */
ml_err ml_audit_export(ml_db *db, const ml_actor *reader, int64_t since, bool plain,
                       const char *path);

/* ------------------------------------------------------------- validation */

/* True when `s` is exactly 14 digits with a valid Luhn checksum, or a
 * La Poste SIRET (SIREN 356000000, digit sum a multiple of 5). */
bool ml_siret_valid(const char *s, size_t len);
/* True when `s` is exactly 9 digits with a valid Luhn checksum. */
bool ml_siren_valid(const char *s, size_t len);

/* ------------------------------------------------------------------ import */

typedef struct ml_import_progress {
    const char *file;     /* file being read */
    uint64_t bytes_done;  /* bytes of that file consumed so far (on disk) */
    uint64_t bytes_total; /* its size on disk */
    uint64_t rows;        /* data rows read so far, all files */
    uint64_t rejected;    /* rows rejected so far */
    double elapsed;       /* seconds since the import began */
} ml_import_progress;

/* Called every few thousand rows; return non-zero to cancel (the import is
 * then rolled back and ML_INTERRUPTED returned). */
typedef int (*ml_progress_fn)(void *ud, const ml_import_progress *p);

typedef struct ml_import_opts {
    const char
        *rejects_path;       /* CSV of rejected rows (file,line,column,value,reason); NULL = none */
    ml_progress_fn progress; /* may be NULL */
    void *progress_ud;
} ml_import_opts;

typedef struct ml_import_stats {
    uint64_t files;
    uint64_t rows;        /* data rows read */
    uint64_t imported;    /* rows written (new or replaced) */
    uint64_t replaced;    /* of which replaced an earlier version */
    uint64_t rejected;    /* rows refused, each written to the rejects file */
    uint64_t skipped;     /* valid rows outside the scope (abroad) */
    uint64_t approximate; /* establishments placed at their commune's centre */
    uint64_t restricted;  /* rows with diffusion status P */
    /* Establishments: what the import changed (an update over a previous
     * stock; in a first import every row is added). */
    uint64_t added;     /* not in the database before */
    uint64_t modified;  /* there before, something changed (closures excepted) */
    uint64_t closed;    /* there before open, now closed */
    uint64_t unchanged; /* there before, the same: nothing written */
    double seconds;
    char first_reject[256]; /* "file:line: column: reason" of the first reject, "" if none */
} ml_import_stats;

/* Imports StockEtablissement files (.csv, .csv.gz, .zip; the current layout,
 * older layouts, geo-SIRENE variants), columns found by header name. All the
 * files are imported in one transaction: a crash or a kill leaves the previous
 * database intact. Bad rows are rejected (see opts->rejects_path) and the rest
 * is imported. Returns ML_OK when every file was read to its end, ML_FORMAT
 * when a file was unreadable or truncated (its good rows are still kept), and
 * the message says which and where. `stats` may be NULL. */
ml_err ml_import_sirene(ml_db *db, const char *const *paths, size_t npaths,
                        const ml_import_opts *opts, ml_import_stats *stats);

/* Imports a StockUniteLegale file (names, category PME/ETI/GE, legal form),
 * joined to establishments by SIREN. Same contract as ml_import_sirene(). */
ml_err ml_import_unites(ml_db *db, const char *path, const ml_import_opts *opts,
                        ml_import_stats *stats);

/* Imports company profiles: a CSV with the columns siret (required), offers,
 * needs, labels (separated by ';'), innovations, website. Each SIRET must be
 * an establishment of the database that may be shown. Same contract as
 * ml_import_sirene(). */
ml_err ml_import_profiles(ml_db *db, const char *path, const ml_import_opts *opts,
                          ml_import_stats *stats);

/* ------------------------------------------------------------------ search */

typedef struct ml_search_query {
    /* Words (accents, case and French inflections ignored; trade words such
     * as "usinage" stand for their NAF sub-classes), or a SIRET or SIREN
     * (spaces allowed), or a postcode (the communes of that postcode). */
    const char *text;
    /* Filters: a code or a name ("Aix-en-Provence", "Bouches-du-Rhône"); a
     * commune may also be a postcode. A name of several places is refused
     * with their list. NULL = no filter. */
    const char *commune;     /* INSEE commune code, postcode or name */
    const char *epci;        /* EPCI SIREN or name */
    const char *departement; /* département code or name */
    const char *region;      /* région code or name */
    /* NAF code at any level (25.62A, 25.62, 25.6, 25, C, CH...), a NAF label
     * or a trade word of the vocabulary ("chaudronnerie"). */
    const char *naf;
    const char *size_min; /* minimum size band code (trancheEffectifs, e.g. "11"), or NULL */
    bool active_only;     /* only establishments still open */
    bool facets;          /* also count matches by département, section and size band */
    bool prefix;          /* the text is being typed: its last word also matches longer words */
    unsigned limit;       /* results wanted (1..200; 0 = 20) */
    unsigned offset;      /* results to skip (≤ 10,000) */
} ml_search_query;

/* Search over names, trades and communes. Result:
 * {"query":{…, "interpretation":…}, "total":N, "total_exact":bool,
 *  "results":[…], "facets":{…}, "nearest":[…] (when nothing matched)}.
 * Establishments with diffusion status P never appear. */
ml_err ml_search(ml_db *db, const ml_search_query *q, json_t **out);
/* The same for a text a program searches on someone's behalf (a buyer's
 * need, the parts a project needs), which a person cannot rephrase: when
 * no establishment matched every word, the search is tried again with the
 * words that name a trade, then with the nearest trade, then with the first
 * word, and the first that finds any is answered with
 * "relaxed": {"from", "to", "how": "trade_words"|"nearest_trade"|"first_word"}
 * (the caller says so beside each result). */
ml_err ml_search_relaxed(ml_db *db, const ml_search_query *q, json_t **out);

/* Suggestions while a person types in a filter box: kind is "commune",
 * "epci", "departement", "region" or "naf"; {"kind", "q", "suggestions":
 * [{"code", "label", "detail"}]} best first, at most `limit` (1..50). */
ml_err ml_suggest(ml_db *db, const char *kind, const char *text, unsigned limit, json_t **out);

/* The user's vocabulary: a CSV with the columns term, naf (NAF codes of any
 * level separated by spaces) and note, which replaces the previous user
 * vocabulary (the shipped one stays). Bad rows are rejected like an
 * import's. Same contract as ml_import_sirene(). */
ml_err ml_vocabulary_import(ml_db *db, const char *path, const ml_import_opts *opts,
                            ml_import_stats *stats);
/* What a word or phrase stands for in searches: {"text", "terms": [{"text",
 * "trades": [{"code", "label"}], ...}], "entries": [vocabulary entries of that
 * term, with their source]}; or, with text NULL, the user's vocabulary:
 * {"entries": [{"term", "naf", "note"}]}. */
ml_err ml_vocabulary_lookup(ml_db *db, const char *text, json_t **out);

/* One establishment with its company, sector at every level and territory
 * chain. ML_NOTFOUND if unknown, ML_PRIVATE if its diffusion is restricted,
 * ML_INVALID if `siret` is not a valid SIRET. */
ml_err ml_show(ml_db *db, const char *siret, json_t **out);

/* Summary of a territory: a commune, EPCI, département or région code (or
 * "FR"): establishments by sector and size band, top communes. Cells under 3
 * establishments are suppressed. */
ml_err ml_territory_summary(ml_db *db, const char *code, json_t **out);

/* Indicators of a territory (docs/methods.md): establishments and estimated
 * jobs, industrial share, location quotients at a NAF level against a base
 * the database covers, diversity, HHI, the largest employers' share,
 * company categories, creations and closures by year; secrecy applied. */
typedef struct ml_indicator_opts {
    const char *base;       /* a territory code; NULL or "auto": the widest covered */
    const char *level;      /* A10, A21, A38 (default), A64, A88, A129, group, class, subclass */
    bool by_establishments; /* quotients of establishments instead of estimated jobs */
} ml_indicator_opts;
ml_err ml_territory_indicators(ml_db *db, const char *code, const ml_indicator_opts *opts,
                               json_t **out);

/* A territory's communes for a map coloured by an indicator (docs/methods.md
 * "The communes' map"): {"territory", "communes": [{code, name, departement,
 * population, lat, lon, establishments (open; null when 1 or 2), secret,
 * per_1000 (open establishments per 1,000 inhabitants), industry_jobs_share
 * (sections B-E, of estimated jobs), industry_secret}], "indicators",
 * "privacy"}. Paris, Lyon and Marseille are whole cities. At most 5,000
 * communes (ML_INVALID beyond). */
ml_err ml_territory_choropleth(ml_db *db, const char *code, json_t **out);

/* Territories ranked on criteria (docs/methods.md "Rankings"): a CSV file
 * (criteria_path: indicator,weight,direction,normalisation) or text
 * ("industry_jobs_share:3:higher:minmax,..."); `among`: a département or
 * reg:CODE (their EPCI), an EPCI (its communes), "ti" (the Territoires
 * d'industrie). Each territory's score with each criterion's value,
 * normalised value and contribution, and the Territoires d'industrie it
 * belongs to. */
ml_err ml_territory_rank(ml_db *db, const char *criteria_path, const char *criteria_text,
                         const char *among, json_t **out);

/* Perimeters: a named list of communes owned by who->org, from a file of
 * commune codes and EPCI SIREN (one per line, or a column named code);
 * all or nothing (a refused member names its line). code NULL: p- and the
 * name's words. *out = {"territory", "members"}. A perimeter with the same
 * code is replaced. Codes: p-NAME; ti-RRNN and ti1-RRNN name the
 * Territoires d'industrie (current and first phase), shipped. */
ml_err ml_perimeter_define(ml_db *db, const ml_actor *who, const char *name, const char *code,
                           const char *path, json_t **out);
/* The same from text: codes separated by spaces, commas, semicolons or
 * line ends (the API's body). */
ml_err ml_perimeter_define_text(ml_db *db, const ml_actor *who, const char *name,
                                const char *code, const char *text, json_t **out);
/* {"perimeters": [{code, name, kind (custom, ti2023, ti2019), org, author,
 * created, source, communes}]}. */
ml_err ml_perimeter_list(ml_db *db, json_t **out);
ml_err ml_perimeter_delete(ml_db *db, const ml_actor *who, const char *code);

/* ------------------------------------------------- suppliers and customers */

/* The in-memory columnar snapshot of active, diffusible, placed
 * establishments that suggestions read (not SQL). Build it once and reuse it
 * for many calls; it does not see later writes. */
typedef struct ml_snapshot ml_snapshot;

ml_err ml_snapshot_build(ml_db *db, ml_snapshot **out);
void ml_snapshot_free(ml_snapshot *snap);
size_t ml_snapshot_count(const ml_snapshot *snap);

typedef enum ml_direction {
    ML_SUPPLIERS = 0, /* who could sell to this establishment */
    ML_CUSTOMERS = 1, /* who could buy from it */
} ml_direction;

typedef struct ml_match_opts {
    ml_direction direction;
    double radius_km;   /* 0 = no limit */
    double scale_km;    /* distance decay scale; 0 = 30 km */
    unsigned limit;     /* 1..500; 0 = 20 */
    unsigned per_input; /* at most this many of one NAF class (what is bought); 0 = 3 */
    bool all_inputs;    /* also inputs every firm buys (banks, rent, head office, margins) */
    bool brute_force;   /* score every establishment (the reference; slow) */
} ml_match_opts;

/* Suggested suppliers or customers of `siret`, best first, at most
 * opts->per_input of one NAF class, each with the parts of its score and its
 * reasons as data and as sentences in French and English; also grouped by
 * what is bought ("groups": one per NAF class, with the sentence that says why
 * the two classes trade), and what was left out ("left_out": the inputs every
 * firm buys, with their shares). Never suggests the same company, a closed
 * establishment, one with restricted diffusion, or a pair somebody rejected.
 * ML_NOTFOUND if the SIRET is not in the snapshot (closed, unplaced),
 * ML_PRIVATE if restricted. */
ml_err ml_match(ml_db *db, const ml_snapshot *snap, const char *siret, const ml_match_opts *opts,
                json_t **out);

/* Networks: a named list of SIRET (laureates of a programme, members of a
 * cluster). ml_network_add() reads a CSV with a "siret" column, or one SIRET
 * per line; bad or unknown SIRETs are rejected (opts->rejects_path) and the
 * rest added (to the network if it exists). Same stats as the importers. */
ml_err ml_network_add(ml_db *db, const char *name, const char *path, const ml_import_opts *opts,
                      ml_import_stats *stats);
/* [{"name", "created", "members"}] */
ml_err ml_network_list(ml_db *db, json_t **out);
/* {"name", "created", "members_total", "members": [short records of those that may be shown]} */
ml_err ml_network_members(ml_db *db, const char *name, json_t **out);

typedef struct ml_network_opts {
    unsigned limit;  /* pairs and outside partners listed (0 = 50) */
    double scale_km; /* distance decay scale; 0 = 30 km */
} ml_network_opts;

/* A network's report: the best supplier -> buyer pairs between members, each
 * explained like a suggestion, and the best outside suppliers and customers
 * for the network as a whole (summed over members). */
ml_err ml_network_report(ml_db *db, const ml_snapshot *snap, const char *name,
                         const ml_network_opts *opts, json_t **out);

/* Cross-sector bridges inside a network: pairs of members in different A38
 * branches that share words of their offers and needs (a technology, a
 * need), or whose branches trade with each other, best first, each explained:
 * {"network", "bridges": [{"a", "b", "score", "shared_words", "sector_link",
 * "reason_fr", "reason_en"}]}. Needs profiles for shared words. */
ml_err ml_bridges(ml_db *db, const ml_snapshot *snap, const char *network,
                  const ml_network_opts *opts, json_t **out);
/* The same among a territory's establishments that have a profile (at most 3,000);
 * the answer names the territory instead of a network. */
ml_err ml_bridges_territory(ml_db *db, const ml_snapshot *snap, const char *territory,
                            const ml_network_opts *opts, json_t **out);

/* ------------------------------------------------------------------ exports */

/* Files for French offices: CSV that a French spreadsheet opens right (UTF-8
 * with a byte-order mark, ';' between cells, decimal comma), plain CSV for
 * programs (',', '.', no mark), or an Excel workbook (headers in words,
 * frozen header, filters, column widths, rounded numbers with their formats,
 * a sheet of method and sources). Every export says when it holds generated
 * demo data. Files are written under a temporary name, then renamed. */
typedef enum ml_export_format {
    ML_EXPORT_CSV = 0,   /* French spreadsheet: BOM, ';', decimal comma */
    ML_EXPORT_CSV_PLAIN, /* programs: ',', '.', no BOM */
    ML_EXPORT_XLSX,      /* Excel workbook */
} ml_export_format;

/* A network report (from ml_network_report): its pairs (CSV), or pairs,
 * outside suppliers, outside customers and method (Excel). */
ml_err ml_export_network(ml_ctx *ctx, json_t *report, ml_export_format fmt, const char *path);
/* Search results (an ml_search answer, or several pages' results appended):
 * one row per establishment; `note` (may be NULL) says how the list was
 * capped, in the method sheet. */
ml_err ml_export_search(ml_ctx *ctx, json_t *search, const char *note, ml_export_format fmt,
                        const char *path);
/* Runs a search and exports its first `cap` results (1..10,000; 0 = 10,000),
 * saying in the file how many there were and whether the list was capped.
 * `exported` and `capped` may be NULL. q->limit, q->offset and q->facets are
 * ignored. */
ml_err ml_export_search_query(ml_db *db, const ml_search_query *q, unsigned cap,
                              ml_export_format fmt, const char *path, unsigned *exported,
                              bool *capped);
/* A territory summary (from ml_territory_summary): key figures, sectors (A10,
 * A38), size bands and communes with their shares, figures under the
 * secrecy threshold left empty and said so. */
ml_err ml_export_territory(ml_ctx *ctx, json_t *summary, ml_export_format fmt, const char *path);
/* A programme's workbook for its funders (issue 13): `report` is
 * {"programme": ml_programme_show, "position": ml_programme_position,
 * "impact": ml_programme_impact, "projects": ml_project_list, "ledger":
 * ml_ledger_list}; sheets of envelopes, projects, ledger and impact in
 * euros, with the method. */
ml_err ml_export_programme(ml_ctx *ctx, json_t *report, ml_export_format fmt, const char *path);
/* The same workbook made from the programme as `who` may read it, on day
 * `at` (NULL: today); ctx is db's context. */
ml_err ml_export_programme_report(ml_db *db, ml_ctx *ctx, const ml_actor *who,
                                  const char *programme, const char *at, ml_export_format fmt,
                                  const char *path);
/* A territory's indicators (from ml_territory_indicators; `summary` from
 * ml_territory_summary gives the sources and whether the data is
 * generated): key figures, activities, specialisations, company categories,
 * creations and closures by year, each a table (CSV: one after the other;
 * Excel: a sheet each) and a sheet of method and sources; secret figures
 * left empty and said so. */
ml_err ml_export_indicators(ml_ctx *ctx, json_t *summary, json_t *indicators,
                            ml_export_format fmt, const char *path);
/* A territory's report as PDF (A4, cairo): title, sources, key figures,
 * sectors, specialisations with their quotients, company categories,
 * creations and closures by year, the opportunities with named firms
 * (commune and EPCI only), secrecy and methods; every page says when the
 * data is generated. Figures come from ml_territory_summary,
 * ml_territory_indicators and ml_territory_opportunities, secrecy applied
 * there. Written under a temporary name, then renamed to path. */
typedef struct ml_report_opts {
    const char *base;  /* as ml_indicator_opts; NULL: the widest covered */
    const char *level; /* NAF level of the sector table; NULL: A38 */
    const char *lang;  /* "fr" (default) or "en" */
} ml_report_opts;
ml_err ml_report_territory(ml_db *db, const char *code, const ml_report_opts *opts,
                           const char *path);
/* The file name a user keeps: "<kind>-<name>-YYYY-MM-DD.<csv|xlsx>", the name
 * folded to lower-case ASCII words joined by '-' ("reseau-demo-laureats-genere-
 * 2026-11-30.xlsx"). Always fits in `size` (at least 64). */
void ml_export_filename(char *out, size_t size, const char *kind, const char *name,
                        ml_export_format fmt);

/* A person's verdict on a suggested pair: "accept" (a known link), "reject"
 * (never proposed again), "note", or "withdraw" (undoes the pair's latest
 * accept or reject: the pair has no verdict again). Stored with who and when,
 * history kept. Both SIRETs must be valid; `note` and `author` may be NULL. */
ml_err ml_verdict_add(ml_db *db, const char *supplier, const char *buyer, const char *verdict,
                      const char *note, const char *author);

/* Verdicts involving `siret`: the latest accept/reject of each pair and every
 * note: {"siret", "links": [accepted], "rejected": [...], "notes": [...]}. */
ml_err ml_links(ml_db *db, const char *siret, json_t **out);
/* The same among the verdicts `who` may read (ml_actor_may_read): another
 * organisation's links, rejections and notes are not shown. ml_links()
 * reads as the local officer (organisation 0). */
ml_err ml_links_as(ml_db *db, const ml_actor *who, const char *siret, json_t **out);

/* ------------------------------------------------------------------ history */
/* What organisations record about a firm (issue 11): contacts, interactions,
 * follow-ups, documents, and a timeline of everything about one
 * establishment. Every call takes the actor who reads or writes: a write is
 * stored with its organisation and author and needs ML_ROLE_OFFICER; a read
 * returns only the records ml_actor_may_read() lets the actor see; the
 * calls for personal data (ml_gdpr_*) need ML_ROLE_ADMIN. Establishments
 * and companies with restricted diffusion (statut P) get no record and no
 * timeline (ML_PRIVATE). Answers are JSON owned by the caller. */

/* The one visibility rule of shared records: may `who` read a record that
 * organisation `org` and user `author` wrote? Nobody signed in (NULL or
 * ML_ROLE_NONE): never. A guest: only the records it wrote itself. Others:
 * when org is who->org or one of who->orgs (organisation 0, before
 * accounts, reads the records of organisation 0 only). */
bool ml_actor_may_read(const ml_actor *who, int64_t org, int64_t author);

typedef struct ml_contact_in {
    const char *firm;     /* a SIRET (establishment) or SIREN (company); ignored by update */
    const char *name;     /* required (at most 200 bytes) */
    const char *position; /* role or position in the firm */
    const char *email;    /* stored in lower case */
    const char *phone;
    const char *basis;    /* lawful basis and purpose, required at creation: "intérêt
                             légitime : suivi de l'implantation" (docs/privacy.md) */
    const char *source;   /* where the details come from: "salon", "carte de visite" */
} ml_contact_in;

/* Adds a contact; *out is the contact as stored. */
ml_err ml_contact_add(ml_db *db, const ml_actor *who, const ml_contact_in *in, json_t **out);
/* Changes the fields given (NULL: kept) of contact `id`. */
ml_err ml_contact_update(ml_db *db, const ml_actor *who, int64_t id, const ml_contact_in *in,
                         json_t **out);
/* {"firm", "contacts": [...]}: an establishment's contacts and its company's,
 * or (a SIREN) every contact of the company. */
ml_err ml_contact_list(ml_db *db, const ml_actor *who, const char *firm, json_t **out);

typedef struct ml_interaction_in {
    const char *siret;
    const char *kind;  /* visit, call, meeting, email or event */
    const char *date;  /* YYYY-MM-DD; NULL: today (UTC) */
    const char *notes; /* at most 8,000 bytes */
    const int64_t *contacts; /* linked contacts of the firm (may be NULL) */
    size_t ncontacts;        /* at most 20 */
} ml_interaction_in;
ml_err ml_interaction_add(ml_db *db, const ml_actor *who, const ml_interaction_in *in,
                          json_t **out);
/* {"siret", "interactions": [...]} newest first. */
ml_err ml_interaction_list(ml_db *db, const ml_actor *who, const char *siret, json_t **out);

typedef struct ml_followup_in {
    const char *siret;
    const char *what;  /* required */
    const char *due;   /* YYYY-MM-DD, required */
    const char *owner; /* who will do it (a name); NULL: the actor */
} ml_followup_in;
ml_err ml_followup_add(ml_db *db, const ml_actor *who, const ml_followup_in *in, json_t **out);
typedef struct ml_followup_filter {
    const char *siret; /* NULL: every firm */
    bool overdue;      /* only those not done whose due date has passed */
    bool mine;         /* only those the actor owns */
    bool own_org;      /* only those of the actor's own organisation */
} ml_followup_filter;
/* {"today", "followups": [...]} by due date. */
ml_err ml_followup_list(ml_db *db, const ml_actor *who, const ml_followup_filter *f,
                        json_t **out);
/* Marks follow-up `id` done (or not done again). */
ml_err ml_followup_done(ml_db *db, const ml_actor *who, int64_t id, bool done, json_t **out);

/* Documents attached to an establishment, kept in the documents folder (a
 * setting; else "<database file>.documents") under a random id. Accepted:
 * PDF, PNG, JPEG, ODF and Office Open XML files (zip), CSV and plain text
 * (UTF-8), recognised by their first bytes and matching their name's
 * extension; at most the document_max setting (10 MB by default). ML_LIMIT
 * when too big, ML_FORMAT for a refused type, each with a message that
 * says why. `filename` is sanitised (its folders dropped). */
ml_err ml_document_add(ml_db *db, const ml_actor *who, const char *siret, const char *filename,
                       const void *data, size_t len, json_t **out);
ml_err ml_document_list(ml_db *db, const ml_actor *who, const char *siret, json_t **out);
/* One document: *meta {"id", "name", "type" (the content type to answer
 * with), "size", ...} and its bytes (*data, malloc'd, the caller frees). */
ml_err ml_document_get(ml_db *db, const ml_actor *who, const char *id, json_t **meta,
                       void **data, size_t *len);

/* Everything about one establishment (and its company) the actor may read,
 * newest first: interactions, contacts added, follow-ups, documents,
 * verdicts and notes on suggested pairs, and the changes SIRENE updates
 * brought (created, modified, closed, reopened): {"siret", "name",
 * "items": [{"at", "kind", ...}]}. */
ml_err ml_timeline(ml_db *db, const ml_actor *who, const char *siret, json_t **out);

/* A verdict written as `who` (its organisation and user id kept with it);
 * `author` NULL: who->name. Otherwise as ml_verdict_add(). */
ml_err ml_verdict_add_as(ml_db *db, const ml_actor *who, const char *supplier, const char *buyer,
                         const char *verdict, const char *note, const char *author);

/* Personal data (GDPR; docs/privacy.md), ML_ROLE_ADMIN only, over the
 * records the admin may read. `person` is an email address or a contact id.
 * Export: everything held on that person. Erase: deletes the contacts,
 * unlinks them from interactions, and keeps an anonymised trace (no name,
 * no email) of what was erased, when and by whom. Review: the contacts not
 * updated for the retention period (setting retention_months, 36 by
 * default), to be confirmed or erased. */
ml_err ml_gdpr_export(ml_db *db, const ml_actor *who, const char *person, json_t **out);
ml_err ml_gdpr_erase(ml_db *db, const ml_actor *who, const char *person, json_t **out);
ml_err ml_gdpr_review(ml_db *db, const ml_actor *who, json_t **out);
/* The anonymised traces of the erasures the admin's organisations made:
 * {"erasures": [{"id", "at", "org", "by", "what"}]}, oldest first. */
ml_err ml_gdpr_erasures(ml_db *db, const ml_actor *who, json_t **out);

/* The history's settings: {"retention_months", "document_max_bytes",
 * "documents_folder"}; ml_history_set (ML_ROLE_ADMIN) changes one:
 * "retention_months" (1..120), "document_max_mb" (1..32) or
 * "documents_folder" (an absolute path; "" for the default). */
ml_err ml_history_settings(ml_db *db, json_t **out);
ml_err ml_history_set(ml_db *db, const ml_actor *who, const char *key, const char *value);

/* ------------------------------------------------------------- programmes */
/* Programmes (issue 13): a programme run by organisations (officer, funder,
 * committee, reader), its envelopes per instrument and funder with their
 * rules, projects of firms moving through a pipeline, and the ledger of
 * commitments, payments, repayments and cancellations from which every
 * position is computed. Money is integer cents (int64_t) everywhere; days
 * are YYYY-MM-DD. A programme is named by its id or its name. Only the
 * programme's organisations read it (the deployment's administrator reads
 * every one); writes need ML_ROLE_OFFICER in an organisation that is the
 * programme's officer. Answers are JSON owned by the caller; a refusal is
 * ML_REFUSED with the reason as the context's message. */

/* The de minimis ceiling (Regulation (EU) 2023/2831): 300,000 euros per
 * company (SIREN) over three rolling years. */
#define ML_DE_MINIMIS_CENTS 30000000LL

/* Reads an amount in euros ("1500000", "1 500 000,50", "12.5", at most two
 * decimals, at most 10^12 euros) into cents: 0, or -1 when it is not one. */
int ml_euros_parse(const char *text, int64_t *cents);
/* Writes cents as euros with two decimals ("1500000.50"). */
void ml_euros_format(int64_t cents, char *out, size_t size);

typedef struct ml_envelope_in {
    const char *instrument; /* "subsidy", "advance" or a word of the user's (a-z, '-') */
    const char *funder;     /* who funds it ("" or NULL: unnamed) */
    int64_t amount;         /* cents */
    int64_t max_project;    /* the most one project may get from it, cents (0: no limit) */
    int max_small, max_medium, max_large; /* aid intensity caps, per cent (0: no cap) */
    bool revolving;         /* repayments flow back into it */
} ml_envelope_in;

typedef struct ml_programme_in {
    const char *name;      /* required, at most 200 bytes, unique */
    const char *territory; /* a territory code lib/territory resolves, or NULL */
    const char *start, *end; /* the period (YYYY-MM-DD, optional) */
    const ml_envelope_in *envelopes;
    size_t nenvelopes;
    bool generated;        /* a demo programme, marked as such */
} ml_programme_in;

/* Creates a programme owned by who->org (its officer). */
ml_err ml_programme_add(ml_db *db, const ml_actor *who, const ml_programme_in *in, json_t **out);
/* Adds an envelope to a programme. */
ml_err ml_programme_envelope(ml_db *db, const ml_actor *who, const char *programme,
                             const ml_envelope_in *in, json_t **out);
/* Gives an organisation (id or name) a role in a programme: "officer",
 * "funder", "committee" or "reader". */
ml_err ml_programme_member(ml_db *db, const ml_actor *who, const char *programme,
                           const char *org, const char *role, json_t **out);
/* The programmes who may read: {"programmes": [...]}. */
ml_err ml_programme_list(ml_db *db, const ml_actor *who, json_t **out);
/* One programme: its fields, organisations, envelopes, and the caller's role. */
ml_err ml_programme_show(ml_db *db, const ml_actor *who, const char *programme, json_t **out);
/* The position of every envelope on day `at` (NULL: today), computed from
 * the ledger's entries dated on or before it: committed (commitments less
 * cancellations), paid, repaid, available (amount less committed, plus the
 * repaid when the envelope is revolving). */
ml_err ml_programme_position(ml_db *db, const ml_actor *who, const char *programme,
                             const char *at, json_t **out);

/* What the programme's decided projects add up to on day `at` (NULL:
 * today): projects, their cost, the aid committed (less cancellations) and
 * paid, the jobs they declared, the leverage (private euros per public
 * euro: (cost - aid) / aid), the aid per job created, and the repayments:
 * instalments due by that day, repaid, late, defaulted, and the rate. */
ml_err ml_programme_impact(ml_db *db, const ml_actor *who, const char *programme,
                           const char *at, json_t **out);

/* An interview of a firm during a programme's campaign (issue 13): the
 * needs grid scored 0 (no need) to 3 (a pressing one) per theme, red flags,
 * free notes. */
typedef struct ml_interview_in {
    const char *programme;
    const char *siret;  /* an establishment of the register, not of restricted diffusion */
    const char *date;   /* the visit's day (NULL: today) */
    const char *scores; /* "skills=2,land=0,...": themes skills, land, access, ecosystem,
                           innovation, digital, transition, finance, export (each once) */
    const char *flags;  /* "succession,key_customer,site_at_risk" (any of them, or NULL) */
    const char *notes;  /* free text, at most 4,000 bytes */
    int64_t visit;      /* the planned visit it records (a campaign firm's id), 0: none;
                           the visit is then done and its days consumed */
} ml_interview_in;
ml_err ml_interview_add(ml_db *db, const ml_actor *who, const ml_interview_in *in, json_t **out);
/* A programme's interviews, oldest first: {"interviews": [...]}. */
ml_err ml_interview_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out);
/* The synthesis across a programme's interviews: firms met, needs by theme
 * (scored, mean, strong: 2 or 3) overall and by sector (A10), red flags,
 * and the projects by type with their cost and the aid requested. */
ml_err ml_programme_synthesis(ml_db *db, const ml_actor *who, const char *programme,
                              json_t **out);

typedef struct ml_project_in {
    const char *programme;   /* id or name */
    const char *siret;       /* an establishment of the register, not of restricted diffusion */
    const char *type;        /* investment, rd, industrialisation, recruitment, training, export
                                (NULL: investment) */
    const char *title;       /* required */
    const char *description; /* optional */
    int64_t cost;            /* total cost, cents, > 0 */
    int64_t eligible;        /* eligible expenses, cents (0: the cost) */
    int64_t jobs_created, jobs_kept;
    int64_t req_subsidy, req_advance; /* requested aid, cents */
} ml_project_in;

ml_err ml_project_add(ml_db *db, const ml_actor *who, const ml_project_in *in, json_t **out);
/* Changes a project's fields: strings NULL and numbers -1 are kept
 * (programme and siret are ignored; eligible 0 means the cost). Once the
 * project is decided only its title and description change: its figures
 * are those the decision was checked against (ML_REFUSED). */
ml_err ml_project_edit(ml_db *db, const ml_actor *who, int64_t id, const ml_project_in *in,
                       json_t **out);
/* A programme's projects: {"stages": [...], "projects": [...]}, each with
 * "stale": not yet decided and neither moved nor edited in the 30 days
 * before day `at` (NULL: today); only those when `stale_only`. */
ml_err ml_project_list(ml_db *db, const ml_actor *who, const char *programme, const char *at,
                       bool stale_only, json_t **out);
/* One project with its ledger entries and repayment schedule on day `at`
 * (NULL: today): each instalment's state (paid, due, late, defaulted). */
ml_err ml_project_show(ml_db *db, const ml_actor *who, int64_t id, const char *at, json_t **out);
/* Moves a project to another stage (the pipeline's rules; `decided` only by
 * a decision). */
ml_err ml_project_move(ml_db *db, const ml_actor *who, int64_t id, const char *stage,
                       json_t **out);

/* Aid of an instrument other than subsidy and advance ("loan", or a word
 * of the user's that names an envelope of the programme). */
typedef struct ml_aid_line {
    const char *instrument;
    int64_t amount; /* cents */
} ml_aid_line;

typedef struct ml_decision_in {
    int64_t project;
    const char *date;     /* the decision's day (NULL: today) */
    int64_t subsidy;      /* cents granted as subsidy (0: none) */
    int64_t advance;      /* cents granted as repayable advance (0: none) */
    int deferral;         /* months from the decision to the first instalment */
    int instalments;      /* how many instalments (>= 1 with an advance or a loan) */
    int every;            /* months between two instalments (>= 1) */
    const char *funder;   /* the envelopes' funder when several share an instrument */
    const ml_aid_line *aid; /* other instruments (a loan is repaid on the same schedule) */
    size_t naid;
    bool dry_run; /* check only: nothing written, *out is {"ok": true} */
} ml_decision_in;

/* The committee's agenda on day `at` (NULL: today): the projects at the
 * committee stage in order, each with the aid it requests, whether a
 * decision of that aid would pass every rule (or the reason it would not),
 * and each envelope's available before the committee and after granting
 * every request that passes. */
ml_err ml_programme_committee(ml_db *db, const ml_actor *who, const char *programme,
                              const char *at, json_t **out);

/* Commits the aid: checked against each envelope's position, the maximum
 * per project, the aid intensity for the company's size and the de minimis
 * ceiling; ML_REFUSED with the reason when one is broken (nothing written). */
ml_err ml_project_decide(ml_db *db, const ml_actor *who, const ml_decision_in *in, json_t **out);

typedef struct ml_entry_in {
    int64_t project;
    const char *kind;       /* "pay", "repay" or "cancel" */
    const char *instrument; /* "subsidy", "advance"... (NULL: the project's only one) */
    int64_t amount;         /* cents, > 0 */
    const char *date;       /* NULL: today */
    const char *note;
} ml_entry_in;

/* Records a payment, repayment or cancellation; ML_REFUSED when it would pay
 * more than is committed, repay more than is paid (or repay a subsidy), or
 * cancel what is paid. */
ml_err ml_ledger_add(ml_db *db, const ml_actor *who, const ml_entry_in *in, json_t **out);
/* A programme's ledger, oldest first: {"entries": [...]}. */
ml_err ml_ledger_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out);
/* Records aid a company got elsewhere (counted against its de minimis
 * ceiling): siren, day, cents, source. */
ml_err ml_aid_add(ml_db *db, const ml_actor *who, const char *siren, const char *date,
                  int64_t amount, const char *source, json_t **out);
/* A company's de minimis use on day `at` (NULL: today). */
ml_err ml_de_minimis(ml_db *db, const ml_actor *who, const char *siren, const char *at,
                     json_t **out);

/* ---------------------------------------- aid schemes and committees (issue 13) */
/* The catalogue of aid schemes: a CSV file in the columns of Etalab's
 * schema-dispositif-aide (id, titre, description, eligibilite, types_aides,
 * porteurs, cibles, eligibilite_geographique, date_mise_a_jour,
 * ciblage_secteur_activite required; url_source, dates, headcount, company
 * categories, NAF codes and exclusions optional), plus maillage's
 * maillage_types_projet and maillage_stades. All rows or none: the first
 * fault is ML_FORMAT naming the file, line and column. A scheme of an id
 * already there is replaced. Needs ML_ROLE_OFFICER. {"imported": N,
 * "ignored_columns": [...]}. */
ml_err ml_scheme_import(ml_db *db, const ml_actor *who, const char *path, json_t **out);
/* The catalogue: {"schemes": [...], "note": ...}. */
ml_err ml_scheme_list(ml_db *db, const ml_actor *who, json_t **out);
/* Every scheme of the catalogue against a project on day `at` (NULL:
 * today): "eligible", "to_check" or "not_eligible", each condition (target,
 * project_type, size, headcount, naf, territory, stage, dates) "met",
 * "unmet" or "unknown" with why; eligible ones first. */
ml_err ml_project_schemes(ml_db *db, const ml_actor *who, int64_t project, const char *at,
                          json_t **out);
/* Routes a project to a scheme of the catalogue (recorded with its day and
 * note); a project detected or qualified becomes routed. {"routes": [...]}. */
ml_err ml_project_route(ml_db *db, const ml_actor *who, int64_t project, const char *scheme,
                        const char *date, const char *note, json_t **out);
ml_err ml_project_routes(ml_db *db, const ml_actor *who, int64_t project, json_t **out);

/* A committee meeting of a programme: its day, place and members (name,
 * organisation, role). Its agenda is built when it is created from the
 * projects at the instructed or committee stage, in the order of their ids;
 * ml_committee_order changes it. */
typedef struct ml_committee_member {
    const char *name, *organisation, *role;
} ml_committee_member;
typedef struct ml_committee_in {
    const char *programme;
    const char *date;  /* YYYY-MM-DD (NULL: today) */
    const char *place; /* optional */
    const ml_committee_member *members;
    size_t nmembers;   /* 1 to 40 */
} ml_committee_in;
ml_err ml_committee_add(ml_db *db, const ml_actor *who, const ml_committee_in *in, json_t **out);
/* A programme's committees: {"committees": [...]}. */
ml_err ml_committee_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out);
/* A committee: members, and its agenda with one sheet per project (the
 * firm from the register as it may be shown, the interviews of the firm,
 * the request per instrument, every rule of the decision checked, the
 * envelopes before and after), the votes and the decision. */
ml_err ml_committee_show(ml_db *db, const ml_actor *who, int64_t committee, json_t **out);
/* The agenda's order: the projects given first, in that order; the others after. */
ml_err ml_committee_order(ml_db *db, const ml_actor *who, int64_t committee,
                          const int64_t *projects, size_t n, json_t **out);
/* A member's vote on a project of the agenda: "for", "against", "abstain". */
ml_err ml_committee_vote(ml_db *db, const ml_actor *who, int64_t committee, int64_t project,
                         const char *member, const char *vote, json_t **out);
/* The committee's decision on a project of its agenda: granted (aid.project
 * and aid.date are set here: the decision goes through ml_project_decide,
 * refused with the reason when it breaks a rule; and when votes were
 * recorded, more for than against), or refused with a reason (the project
 * becomes rejected). */
typedef struct ml_committee_decision_in {
    int64_t committee, project;
    bool grant;
    const char *reason;  /* required for a refusal */
    ml_decision_in aid;  /* for a grant */
} ml_committee_decision_in;
ml_err ml_committee_decide(ml_db *db, const ml_actor *who, const ml_committee_decision_in *in,
                           json_t **out);
/* A committee's documents as PDF from an ml_committee_show answer: "pack"
 * (the agenda and one sheet per project), "minutes" (members, votes and
 * decisions, envelopes after), "letters" (one notification letter per
 * decided project: granted with amounts and schedule, or refused with the
 * reason). French. */
ml_err ml_export_committee_pdf(ml_ctx *ctx, json_t *committee, const char *what,
                               const char *path);
/* --------------------------------------------- programmes: impact follow-up */
/* Impact follow-up (issue 13 part 6): the programme sets milestones in
 * months after each project's decision (its first commitment); at each,
 * the officer records the jobs created and kept and the investment
 * realised. Indicators (docs/methods.md, "Impact"): leverage = (investment
 * realised - public aid) / public aid; public aid per job = aid / (jobs
 * created + kept); repayment rate = repaid / due of the instalments due;
 * jobs promised (the project's) against realised (the latest follow-up). */
#define ML_MILESTONES_MAX 12

/* Sets a programme's milestones (replacing them): 1 to 12 distinct numbers
 * of months, 1..240, e.g. {12, 24, 36}. */
ml_err ml_impact_milestones(ml_db *db, const ml_actor *who, const char *programme,
                            const int *months, size_t n, json_t **out);

typedef struct ml_impact_in {
    int64_t project;
    int months;           /* one of the programme's milestones */
    const char *date;     /* the day the figures were collected (NULL: today) */
    int64_t jobs_created; /* jobs created since the decision, 0..1,000,000 */
    int64_t jobs_kept;    /* jobs kept, 0..1,000,000 */
    int64_t invested;     /* investment realised since the decision, cents */
    const char *note;     /* optional, at most 200 bytes */
} ml_impact_in;

/* Records (or replaces) the figures of a decided project at a milestone;
 * *out is the project's impact (ml_impact_report for that project). */
ml_err ml_impact_record(ml_db *db, const ml_actor *who, const ml_impact_in *in,
                          json_t **out);
/* The follow-ups of a programme on day `at` (NULL: today): per decided
 * project and milestone, its due day and state: "recorded", "upcoming" (its
 * day not come), "due" (come, less than 3 months ago), "overdue" (not
 * recorded 3 months after its day); only due and overdue unless `all`. */
ml_err ml_impact_due(ml_db *db, const ml_actor *who, const char *programme, const char *at,
                       bool all, json_t **out);
/* The impact indicators on day `at` (NULL: today), per decided project
 * (`project` 0: every one) and for the programme. */
ml_err ml_impact_report(ml_db *db, const ml_actor *who, const char *programme, int64_t project,
                        const char *at, json_t **out);
/* The impact workbook for the funders (Excel) or its CSV report: the
 * indicators, the projects, the follow-ups, with the method. */
ml_err ml_export_impact(ml_ctx *ctx, json_t *report, json_t *due, ml_export_format fmt,
                        const char *path);
ml_err ml_export_impact_report(ml_db *db, ml_ctx *ctx, const ml_actor *who,
                               const char *programme, const char *at, ml_export_format fmt,
                               const char *path);
/* Whether the ledger's daily sums (kept beside the entries, read by
 * positions) equal the sums of the entries themselves: *mismatches is the
 * number of (envelope, day, kind) that differ (0: they agree). */
ml_err ml_programme_sums_check(ml_db *db, const ml_actor *who, const char *programme,
                               int64_t *mismatches);

/* ------------------------------------------- programmes: poles (R&D projects) */
/* Poles de competitivite (issue 13 part 7): a project of type
 * "collaborative_rd" has partners besides its lead firm (establishments of
 * the register, never of restricted diffusion, or laboratories and other
 * organisations by name) with their roles; R&D projects (collaborative_rd,
 * rd, industrialisation) have TRL assessments over time (1 to 9) and the
 * parts or capabilities they need (words and/or a NAF code). From TRL 6 on
 * (nearing industrialisation) the search engine suggests local
 * manufacturers and subcontractors for each need, each with why. */
#define ML_TRL_INDUSTRIAL 6

typedef struct ml_partner_in {
    int64_t project;
    const char *siret; /* an establishment of the register, or NULL with name */
    const char *name;  /* a laboratory or another organisation (when no siret) */
    const char *kind;  /* "lab" or "other" with a name (NULL: lab); "firm" with a siret */
    const char *role;  /* required: coordinator, partner, subcontractor, end user... */
} ml_partner_in;

/* Each answers the project's pole view: {"id", "title", "type", "lead",
 * "partners", "trl" (history, oldest first), "trl_now", "near_industrial",
 * "needs"}. */
ml_err ml_project_pole(ml_db *db, const ml_actor *who, int64_t project, json_t **out);
ml_err ml_project_partner_add(ml_db *db, const ml_actor *who, const ml_partner_in *in,
                              json_t **out);
ml_err ml_project_partner_remove(ml_db *db, const ml_actor *who, int64_t project,
                                 int64_t partner, json_t **out);
ml_err ml_project_trl_add(ml_db *db, const ml_actor *who, int64_t project, const char *date,
                          int level, const char *note, json_t **out);
/* A need: words (at most 200 bytes) and/or a NAF code of any level. */
ml_err ml_project_need_add(ml_db *db, const ml_actor *who, int64_t project, const char *text,
                           const char *naf, json_t **out);
ml_err ml_project_need_remove(ml_db *db, const ml_actor *who, int64_t project, int64_t need,
                              json_t **out);
/* Local manufacturers and subcontractors for the needs of a project at TRL
 * 6 or more (ML_REFUSED, with why, before it or without needs): for each
 * need, up to `per_need` (1..20; 0: 5) open establishments of the
 * programme's territory that the search engine finds, not the project's
 * lead nor partners, never of restricted diffusion, each with "why". */
ml_err ml_project_suggest(ml_db *db, const ml_actor *who, int64_t project, unsigned per_need,
                          json_t **out);

/* ---------------------------------------------------------------- for the web */

/* A company (SIREN) and its establishments that may be shown. ML_PRIVATE for
 * a unit with restricted diffusion, ML_NOTFOUND if unknown. */
ml_err ml_company(ml_db *db, const char *siren, json_t **out);
/* The territorial tree: régions (parent NULL or ""), départements of "reg:CODE",
 * EPCI of a département code, communes of an EPCI SIREN. */
ml_err ml_territory_children(ml_db *db, const char *parent, json_t **out);
/* Up to `limit` (1..100,000) points of a territory's active, diffusible, placed
 * establishments, optionally of one NAF code (sub-class, division, A38, A21, A10). */
ml_err ml_map_points(ml_db *db, const char *territory, const char *naf, unsigned limit,
                     json_t **out);
/* Centres and populations of a territory's communes (arrondissements for
 * Paris, Lyon, Marseille). */
ml_err ml_territory_communes(ml_db *db, const char *territory, json_t **out);

/* --------------------------------------------------------------------- map */

/* The establishments of one territory that a map may place, held in memory
 * to aggregate them at any zoom level: active, public (diffusion O) and with
 * a position. An entry with restricted diffusion (statut P) is never in it,
 * so no count made from it includes one. Read-only once built: several
 * threads may aggregate from one layer at once. */
typedef struct ml_map_layer ml_map_layer;

/* Reads the layer of `territory` (a commune, EPCI, département, reg:CODE or
 * FR) from db. ML_INVALID for a malformed code, ML_NOTFOUND for an unknown
 * one. About 20 bytes per establishment. */
ml_err ml_map_layer_build(ml_db *db, const char *territory, ml_map_layer **out);
void ml_map_layer_free(ml_map_layer *layer);
size_t ml_map_layer_count(const ml_map_layer *layer);

#define ML_MAP_ZOOM_MAX   20    /* zoom levels of web maps, 0 (the world) to 20 */
#define ML_MAP_CELL_PX    64    /* side of an aggregation cell, in screen pixels */
#define ML_MAP_CELLS_MAX  16384 /* cells one answer may cover (128 × 128) */
#define ML_MAP_FEW        3     /* a cell of at most this many shows them as points */
#define ML_MAP_ALL_ZOOM   16    /* from this zoom every establishment is a point... */
#define ML_MAP_POINTS_MAX 5000  /* ...as long as an answer has at most this many */

typedef struct ml_map_view {
    int zoom;                        /* 0..ML_MAP_ZOOM_MAX, or -1: the zoom that shows the whole
                                      * territory (or bbox) in about 1024 × 768 pixels */
    bool has_bbox;                   /* else the whole territory */
    double west, south, east, north; /* degrees, west < east, south < north */
    const char *naf;                 /* NULL, or a NAF sub-class, division, A38, A21 or A10 code */
} ml_map_view;

/* Aggregates the layer for one view of a web map (Web Mercator): the world
 * is cut into square cells of ML_MAP_CELL_PX pixels at the view's zoom (a
 * cell of zoom z is exactly four cells of zoom z + 1), and the cells that
 * the bbox touches are counted whole. A cell of more than ML_MAP_FEW
 * establishments is one cluster (centroid, count, dominant A10 sector,
 * bounds); the others give their establishments as points, with names. The
 * counts of the clusters plus the points add up to "total", every placed
 * public establishment of the view. Answers:
 * {"territory", "zoom", "cell_px", "bbox" (the cells counted), "extent" (of
 *  the territory's establishments, or null), "total", "territory_total",
 *  "clusters": [{"cell": [x, y], "lat", "lon", "count", "a10", "a10_count",
 *  "bounds": [w, s, e, n]}], "points": [{"cell", "siret", "name", "lat",
 *  "lon", "a10", "naf", "approximate", "generated"}], "privacy"}.
 * ML_INVALID for a bad zoom, bbox or NAF code, or a view of more than
 * ML_MAP_CELLS_MAX cells. */
ml_err ml_map_clusters(ml_db *db, const ml_map_layer *layer, const ml_map_view *view, json_t **out);

/* ------------------------------------------- relatedness and complexity */

/* A location × activity table of values (establishments, jobs, exports)
 * and what the Atlas of Economic Complexity computes from it, as its Stata
 * package ecomplexity and py-ecomplexity define them (Hausmann, Hidalgo et
 * al.): RCA, presence M, diversity, ubiquity, ECI, PCI, proximity,
 * density, COI and COG. The formulas, denominators and what happens with
 * degenerate tables: docs/methods.md, "Relatedness and economic
 * complexity". A table is used by one thread at a time; once computed,
 * its getters only read it. */
typedef struct ml_complexity ml_complexity;

/* A new empty table; the ctx is borrowed and must outlive it. */
ml_err ml_complexity_new(ml_ctx *ctx, ml_complexity **out);
void ml_complexity_free(ml_complexity *cx);
/* Adds value to the cell (location, activity): a pair added twice is
 * summed. Names are copied (at most 1,024 bytes). ML_INVALID for a value
 * that is not 0 or between 1e-100 and 1e100, ML_LIMIT past 3,000
 * activities, 10 million locations or 200 million cells. */
ml_err ml_complexity_add(ml_complexity *cx, const char *location, const char *activity,
                         double value);
/* Computes everything, with presence M = 1 where RCA ≥ rca_threshold (> 0;
 * the reference's default is 1). Locations and activities whose values are
 * all zero are left out of the table (as py-ecomplexity does); the others,
 * each set in byte order of its name, make the rectangular table the
 * getters read. May be called again (another threshold). ML_INVALID for a
 * bad threshold or a table without a positive value. */
ml_err ml_complexity_compute(ml_complexity *cx, double rca_threshold);

typedef struct ml_complexity_info {
    size_t locations, activities; /* of the table computed */
    size_t left_out_locations;    /* added, but all their values are zero */
    size_t left_out_activities;
    size_t present;    /* cells with M = 1 */
    bool ranked;       /* ECI, PCI, COI and COG are defined: at least two locations and
                          two activities with presence, a second eigenvalue below 1 (the
                          presence network in one piece), and locations not all alike */
    double eigenvalue; /* Mpp's second largest eigenvalue (kp's) */
    double rca_threshold;
} ml_complexity_info;
void ml_complexity_summary(const ml_complexity *cx, ml_complexity_info *out);

/* Rows and columns of the computed table (0 before compute). */
size_t ml_complexity_locations(const ml_complexity *cx);
size_t ml_complexity_activities(const ml_complexity *cx);

typedef struct ml_complexity_location {
    const char *code;   /* borrowed from the table */
    double total;       /* sum of its values */
    unsigned diversity; /* activities where M = 1 */
    bool has_eci;       /* false when not ranked, or its diversity is 0 */
    double eci;
    bool has_coi; /* false when not ranked, or every location's COI is the same */
    double coi;
} ml_complexity_location;
typedef struct ml_complexity_activity {
    const char *code;
    double total;
    unsigned ubiquity; /* locations where M = 1 */
    bool has_pci;      /* false when not ranked, or its ubiquity is 0 */
    double pci;
} ml_complexity_activity;
typedef struct ml_complexity_cell {
    double value;   /* 0 for a pair absent from the input */
    uint64_t count; /* input rows (establishments for a database table) summed in it */
    double rca;
    bool mcp;
    double density; /* 0 for an activity close to no other (Σφ = 0) */
    bool has_cog;   /* as ranked */
    double cog;
} ml_complexity_cell;

/* The c-th location (p-th activity) of the computed table. */
void ml_complexity_location_get(const ml_complexity *cx, size_t c, ml_complexity_location *out);
void ml_complexity_activity_get(const ml_complexity *cx, size_t p, ml_complexity_activity *out);
/* The c-th location's cells, one per activity in the table's order, into
 * cells (room for ml_complexity_activities()); computed when asked, in
 * O(diversity × activities). ML_NOMEM only. */
ml_err ml_complexity_row(const ml_complexity *cx, size_t c, ml_complexity_cell *cells);
/* The proximity φ of the p-th and q-th activities (0 when p = q). */
double ml_complexity_proximity(const ml_complexity *cx, size_t p, size_t q);

typedef struct ml_complexity_csv_opts {
    const char *location, *activity, *value; /* column names, required */
    const char *time;     /* a column: one computation per distinct value; NULL = none */
    double rca_threshold; /* 0 = 1 */
} ml_complexity_csv_opts;

typedef struct ml_complexity_csv_stats {
    uint64_t rows;             /* data rows read */
    size_t tables;             /* computations (distinct time values) */
    size_t left_out_locations; /* summed over the tables */
    size_t left_out_activities;
    size_t unranked;  /* tables where ECI, PCI, COI and COG are not defined */
    uint64_t written; /* data rows written */
} ml_complexity_csv_stats;

/* `maillage complexity`: reads a CSV of location × activity × value (any
 * columns, found by header name; a pair given twice is summed; a value
 * must be a number ≥ 0: anything else stops with the file, line and
 * column), computes one table per distinct time value, and writes to `out`
 * (borrowed) a CSV with the columns time (only with opts->time), location,
 * activity, value, rca, mcp, diversity, ubiquity, eci, pci, density, coi,
 * cog: one row per location × activity of each table, by time, location
 * and activity (byte order; times that are all whole numbers in numeric
 * order); a value that is not defined is an empty cell. `stats` may be
 * NULL. */
ml_err ml_complexity_csv(ml_ctx *ctx, const char *path, const ml_complexity_csv_opts *opts,
                         FILE *out, ml_complexity_csv_stats *stats);

/* Locations the database's establishments are counted in. */
typedef enum ml_complexity_level {
    ML_COMPLEXITY_COMMUNE = 0, /* an arrondissement counts in its city */
    ML_COMPLEXITY_EPCI,
} ml_complexity_level;
/* What a cell's value is. */
typedef enum ml_complexity_measure {
    ML_COMPLEXITY_ESTABLISHMENTS = 0, /* active establishments */
    ML_COMPLEXITY_JOBS,               /* estimated jobs: size-band midpoints, unknown = 0 */
} ml_complexity_measure;

/* A new table of db's active establishments (every one, whatever its
 * diffusion status: the computation uses them all; what is shown of a
 * place obeys docs/privacy.md, and each cell's count says how many
 * establishments are behind it) by location and NAF class, not yet
 * computed. The caller frees it. */
ml_err ml_complexity_from_db(ml_db *db, ml_complexity_level level, ml_complexity_measure measure,
                             ml_complexity **out);
/* What a commune or an EPCI could grow into (docs/methods.md, "Opportunities
 * and leaders"): the NAF classes where its RCA is under 1 with the highest
 * density among the database's communes (or EPCI), at most max (1..30,
 * default 10), each with its closest classes the place holds and their
 * largest public establishments; and every class's RCA and density (the
 * chart). Establishments are the value. */
ml_err ml_territory_opportunities(ml_db *db, const char *code, unsigned max, json_t **out);

/* ------------------------------------------------------------------- needs
 * The needs grid of a territory or a firm (lib/needs, issue 12 part 6): for
 * each need (skills, land, accessibility, ecosystem, innovation, digital,
 * ecological, finance, export) a level (none, low, medium, high, critical)
 * and a note, dated, signed by `who` for its organisation; every level set
 * is kept. A reader sees what ml_actor_may_read allows: its organisation's
 * and its workspaces'. `subject`: an establishment's SIRET or a territory
 * code (as ml_territory_summary takes it). Both answer the grid:
 * {"subject": {kind, code, name}, "needs": [{need, label_fr, label_en, level
 * (null: not assessed), note, author, org, created, id}], "history": [every
 * visible level set, newest first], "levels"}. Setting needs the role
 * officer; the note is at most 4,000 bytes of text. */
ml_err ml_needs_set(ml_db *db, const ml_actor *who, const char *subject, const char *need,
                   const char *level, const char *note, json_t **out);
ml_err ml_needs_show(ml_db *db, const ml_actor *who, const char *subject, json_t **out);

/* ---------------------------------------------------------------- schedule
 * One-to-one meetings of a business convention (lib/schedule, issue 14):
 * which requests meet, in which slot, at which table. Exact for two-sided
 * events whose participants share their slots; otherwise a heuristic with
 * an upper bound beside it. Every schedule passes an independent checker
 * before ml_schedule_run returns it (docs/methods.md#scheduler). */
typedef struct ml_schedule ml_schedule;

typedef struct ml_schedule_opts {
    const char *participants; /* CSV: id, side (A, B or empty), slots ("1-6,9"), max_meetings */
    const char *requests;     /* CSV: a, b, weight (whole number 1..1,000,000, default 1),
                                 priority (must | wish, default wish: musts come first) */
    unsigned slots;           /* 1..64 */
    unsigned tables;          /* 1..100,000: meetings at most in one slot */
    const char *locked;       /* NULL, or CSV slot,table,a,b of meetings to keep as they are */
    const char *previous;     /* NULL, or a schedule (slot,table,a,b) to keep where it fits */
    const char *cancel;       /* NULL, or the id of a participant who cancelled (needs previous) */
    uint64_t seed;            /* ties of the heuristic: same seed, same schedule */
    uint64_t effort;          /* steps of local search, 0 = default */
    bool texts; /* participants, requests, locked and previous are CSV texts, not file names
                   (lib/event builds them from its tables); messages name them "participants",
                   "requests", "locked", "previous" */
} ml_schedule_opts;

/* Reads the files, schedules and checks. On failure *out is NULL and the
 * message names file:line and why (ML_FORMAT: a bad file, or locked
 * meetings that break a rule; ML_INVALID: bad options, an unknown --cancel
 * id; ML_ERROR: the checker refused the schedule, a bug). The schedule is the caller's
 * (ml_schedule_free). */
ml_err ml_schedule_run(ml_ctx *ctx, const ml_schedule_opts *opts, ml_schedule **out);
void ml_schedule_free(ml_schedule *s);
/* {"meetings", "weight", "upper_bound", "optimal", "gap_percent", "method"
 *  ("exact" | "heuristic"), "idle_gaps", "participants", "requests",
 *  "requests_met", "slots", "tables", "two_sided", "locked",
 *  "merged_requests", "unplaceable_requests", "check", "milliseconds",
 *  "seed", and with must-meet requests "musts": {"requested", "met",
 *  "upper_bound"} (upper_bound and optimal then as docs/methods.md says),
 *  with a previous schedule "previous": {"kept", "moved", "dropped"},
 *  "cancelled": {"id", "meetings"}}. */
ml_err ml_schedule_report(ml_ctx *ctx, const ml_schedule *s, json_t **out);
/* Writes slot,table,a,b (sorted by slot and table) to path. ML_IO. */
ml_err ml_schedule_write(ml_ctx *ctx, const ml_schedule *s, const char *path);
/* The meetings, for printing: slot and table 1-based, ids owned by s. */
size_t ml_schedule_count(const ml_schedule *s);
void ml_schedule_meeting(const ml_schedule *s, size_t i, unsigned *slot, unsigned *table,
                         const char **a, const char **b);

/* ------------------------------------------------------------------ events
 * Business conventions (lib/event, issue 14): an event with its slots and
 * tables, its participants (establishments of the register, public buyers,
 * guests), meeting requests, the schedule (lib/schedule, checked before it
 * is saved), agendas and what followed each meeting. An event belongs to
 * the organisation of the actor who made it: the actor's organisations
 * (ML_ROLE_VIEWER) read it, its own officers (ML_ROLE_OFFICER) change it;
 * another organisation gets ML_NOTFOUND. EVENT is the event's number or its
 * name; a PARTICIPANT is its number in the event, a SIRET or a guest's
 * name. Answers are JSON owned by the caller. */

typedef struct ml_event_in {
    const char *name;      /* required, at most 200 bytes */
    const char *date;      /* YYYY-MM-DD */
    const char *start;     /* HH:MM, local time in Paris */
    unsigned slot_minutes; /* 5..240 */
    unsigned slots;        /* 1..64 */
    unsigned tables;       /* 1..100,000: meetings at most in one slot */
    bool two_sided;        /* side A (buyers) meets side B (sellers) only */
    const char *breaks;    /* NULL, or "4:30,8:60": a 30-minute break after slot 4... */
    const char *place;     /* NULL, or where it is held */
} ml_event_in;
/* {"event": {...}} with its slots' times. */
ml_err ml_event_add(ml_db *db, const ml_actor *who, const ml_event_in *in, json_t **out);
/* {"events": [...]} the actor may read, newest first. */
ml_err ml_event_list(ml_db *db, const ml_actor *who, json_t **out);
/* {"event", "participants", "requests", "meetings" (each with its outcome),
 *  "grid": [[cell of table 1, ...] per slot]}. */
ml_err ml_event_show(ml_db *db, const ml_actor *who, const char *event, json_t **out);

typedef struct ml_event_participant_in {
    const char *siret; /* an establishment of the register (restricted diffusion refused) */
    const char *guest; /* or a guest's name (siret NULL) */
    bool buyer;        /* a public buyer */
    const char *side;  /* "A", "B" (required in a two-sided event) or NULL */
    const char *slots; /* available slots "1-6,9", NULL: all */
    unsigned max_meetings; /* 0: no limit */
} ml_event_participant_in;
/* {"participant": {...}, "link": the secret of the personal agenda link,
 * shown this once (only its hash is kept)}. */
ml_err ml_event_participant_add(ml_db *db, const ml_actor *who, const char *event,
                                const ml_event_participant_in *in, json_t **out);
/* A new personal link for a participant (the old one stops working). */
ml_err ml_event_participant_link(ml_db *db, const ml_actor *who, const char *event,
                                 const char *participant, json_t **out);

/* A request that a meets b: priority "must" or "wish" (NULL: wish);
 * asked_by "a", "b" or NULL (the organiser); pending: the other side has not
 * accepted it yet (only accepted requests are scheduled). */
ml_err ml_event_request_add(ml_db *db, const ml_actor *who, const char *event, const char *a,
                            const char *b, const char *priority, const char *asked_by,
                            bool pending, const char *reason, json_t **out);
ml_err ml_event_request_accept(ml_db *db, const ml_actor *who, const char *event, const char *a,
                               const char *b, json_t **out);
/* Suggested requests, pairs already requested left out: first, for each
 * public buyer taking part, the event's firms suggested for the needs it
 * recorded (ml_need_show's, needs the actor may read: the buyer's SIRET or
 * name) {"source": "need", "a" (the buyer), "b", "need": {"id", "title"},
 * "score": null, "reason_fr", "reason_en"}; then the supplier/customer
 * engine's among the event's establishments {"source": "match", "a" (the
 * customer), "b" (the supplier), "score" (the engine's times the factor of
 * ml_event_learning), "score_engine", "learned", "reason_fr", "reason_en"},
 * best score first: {"suggestions": [...]}. */
ml_err ml_event_suggest(ml_db *db, const ml_actor *who, const char *event, json_t **out);

/* Schedules the accepted requests (ml_schedule_run, which checks the
 * schedule before it returns it) and saves the meetings: locked meetings are
 * kept; `cancel` (may be NULL) names a participant who cancelled: their
 * meetings go, the others stay where they are and free places are filled.
 * *out is ml_schedule_report's answer with "meetings_list". */
ml_err ml_event_schedule(ml_db *db, const ml_actor *who, const char *event, const char *cancel,
                         json_t **out);
/* Locks (or unlocks) the scheduled meeting of a and b. */
ml_err ml_event_lock(ml_db *db, const ml_actor *who, const char *event, const char *a,
                     const char *b, bool locked);
/* One participant's agenda: {"event", "participant", "meetings": [{"slot",
 * "table", "start", "end" (local HH:MM), "start_utc", "end_utc"
 * (YYYYMMDDTHHMMSSZ), "with": {"id", "name", "siret", "kind"}}]}. */
ml_err ml_event_agenda(ml_db *db, const ml_actor *who, const char *event, const char *participant,
                       json_t **out);
/* The same, for whoever holds the personal link's secret (ML_NOTFOUND). */
ml_err ml_event_agenda_link(ml_db *db, const char *secret, json_t **out);
/* agendas (issue 14): publication and the changes after it. Publishing
 * a scheduled event fixes what participants were told: from then on each
 * new schedule (a re-run, a cancellation) records, per participant, each
 * meeting moved, new or cancelled. {"event", "published" (Unix seconds),
 * "already", "meetings"}. */
ml_err ml_event_publish(ml_db *db, const ml_actor *who, const char *event, json_t **out);
/* {"event", "published", "changes": [{"id", "participant": {"id", "name"},
 * "kind" (moved|new|cancelled), "with" (the other party's name), "before",
 * "after" ({"slot", "table", "start", "end"} or null), "at", "seen"}]}, of
 * one participant when `participant` is given. An agenda (ml_event_agenda,
 * _link) carries its participant's changes not seen yet. */
ml_err ml_event_changes(ml_db *db, const ml_actor *who, const char *event, const char *participant,
                        json_t **out);
/* Marks the changes of the agenda link's participant seen: {"seen": true}. */
ml_err ml_event_agenda_seen(ml_db *db, const char *secret, json_t **out);
/* An agenda as iCalendar (RFC 5545, times in UTC), malloc'd text. */
ml_err ml_event_ics(ml_ctx *ctx, json_t *agenda, char **text, size_t *len);
/* An agenda (CSV or Excel) or the organiser's grid (an ml_event_show answer:
 * a sheet of slots by tables and one of meetings), through the table writer. */
ml_err ml_export_event_agenda(ml_ctx *ctx, json_t *agenda, ml_export_format fmt, const char *path);
ml_err ml_export_event_grid(ml_ctx *ctx, json_t *show, ml_export_format fmt, const char *path);
/* An agenda as PDF (A4): the event, the participant, every slot of the day
 * with its meeting (time, table, the other party's name, commune and
 * activity) or free, the breaks; lang "fr" (NULL) or "en"; the generated-data
 * mention when the event's firms are generated. */
ml_err ml_export_event_agenda_pdf(ml_ctx *ctx, json_t *agenda, const char *lang, const char *path);
/* The table plan as PDF (an ml_event_show answer): slot by slot, which pair
 * sits at which table. */
ml_err ml_export_event_plan_pdf(ml_ctx *ctx, json_t *show, const char *lang, const char *path);

typedef struct ml_event_outcome_in {
    bool met;
    const char *result; /* "quote", "contract" or "none" (NULL: none) */
    int64_t amount;     /* euros, -1: not said */
    int64_t jobs;       /* jobs created or kept, -1: not said */
} ml_event_outcome_in;
/* What followed the meeting of a and b. A meeting held is written in each
 * establishment's history (an interaction of kind "event", so it joins the
 * timeline); a contract between two establishments records an "accept"
 * verdict on the pair (the supplier: side B, else b). */
ml_err ml_event_outcome(ml_db *db, const ml_actor *who, const char *event, const char *a,
                        const char *b, const ml_event_outcome_in *in, json_t **out);

/* ------------------------------------------- public buyers' innovation needs
 * (lib/event, issue 14): a public buyer's need, the local firms that could
 * answer it, the innovative-purchase route (French procurement law lets a
 * buyer buy innovative works, supplies or services without publicity or
 * competition below a threshold, 100,000 euros HT by default), a checklist
 * of the evidence that the solution is innovative, and the record of the
 * purchase in the public-procurement data format (DECP 2024, schema 2.0.3).
 * Owned by the actor's organisation, read and changed as events are. */
typedef struct ml_need_in {
    const char *buyer;       /* the public buyer's name, required */
    const char *buyer_siret; /* its SIRET (the DECP record needs it), or NULL */
    const char *title;       /* required, at most 200 bytes */
    const char *text;        /* what is needed, at most 4,000 bytes, or NULL */
    const char *cpv;         /* CPV 2008 code, "45112500" or "45112500-9" (one of the CPV 2008,
                                its check digit right), or NULL; kept on 8 digits */
    const char *naf;         /* NAF code of the firms that could answer, or NULL */
    int64_t budget;          /* euros HT, 1..10^12 */
    const char *deadline;    /* YYYY-MM-DD, or NULL */
    const char *commune;     /* INSEE code of the place of execution, or NULL */
} ml_need_in;
/* {"need": {...}}; ml_need_list: {"needs": [...]}, newest first. */
ml_err ml_need_add(ml_db *db, const ml_actor *who, const ml_need_in *in, json_t **out);
ml_err ml_need_list(ml_db *db, const ml_actor *who, json_t **out);
/* {"need", "threshold": {"euros", "budget", "route_open", "why_fr", "why_en"},
 *  "checklist": [{"key", "label_fr", "label_en", "done"}], "ready",
 *  "suggestions": [{"siret", "name", "commune", "activity", "by" ("naf",
 *  "title" or "cpv": the need's NAF code, its title's words, or the words of
 *  its CPV code's label or of a parent code's, "cpv"), "reason_fr",
 *  "reason_en"}], "suggestions_unavailable": why there are none when the
 *  search could not run, else null}; the need has "cpv" (8 digits) and
 *  "cpv_label" ({"code8", "code", "label_fr", "label_en", "level"} or null);
 *  threshold 0: 100,000 euros. */
ml_err ml_need_show(ml_db *db, const ml_actor *who, int64_t id, int64_t threshold,
                    json_t **out);
/* Marks an item of the checklist done (or not): "novelty", "market",
 * "price", "sourcing". */
ml_err ml_need_evidence(ml_db *db, const ml_actor *who, int64_t id, const char *key, bool done,
                        json_t **out);
/* Sets the need's CPV code (checked as ml_need_add does; NULL or "" takes it
 * away); the answer is ml_need_show's. */
ml_err ml_need_set_cpv(ml_db *db, const ml_actor *who, int64_t id, const char *code,
                       json_t **out);
/* The contract notified: its holder (a SIRET), amount (euros HT), date and
 * length in months. */
ml_err ml_need_award(ml_db *db, const ml_actor *who, int64_t id, const char *siret,
                     int64_t amount, const char *date, unsigned months, json_t **out);
/* An innovation conference: the buyer joins `event` (a guest public buyer,
 * side A in a two-sided event) and meets the local firms suggested for the
 * need (side B), each request with its reason; those already there are
 * kept. {"event", "buyer", "firms_added", "requests_added", "skipped"}. */
ml_err ml_need_invite(ml_db *db, const ml_actor *who, int64_t id, const char *event,
                      json_t **out);
/* The purchase as a DECP record {"marches": {"marche": [{...}]}}: ML_INVALID,
 * said why, until the buyer's SIRET, the CPV code and the contract are known. */
ml_err ml_need_decp(ml_db *db, const ml_actor *who, int64_t id, json_t **out);

/* What past meetings teach the suggested requests (issue 14): among the
 * meetings held between two establishments in the events the actor may
 * read, per kind of pair (the supplier's NAF division, the customer's), how
 * many led to a quote or a contract, the smoothed rate and the factor that
 * multiplies ml_event_suggest's scores (docs/methods.md): {"meetings",
 * "successes", "prior", "prior_weight", "factor_min", "factor_max",
 * "kinds": [{"supplier_division", "customer_division", "meetings",
 * "successes", "rate", "prior", "factor", "reason_fr", "reason_en"}]}. */
ml_err ml_event_learning(ml_db *db, const ml_actor *who, json_t **out);

/* The CPV 2008 (Common Procurement Vocabulary, 9,454 codes, reference data
 * loaded by ml_db_init from data/cpv/): ml_cpv_get checks a code ("45112500"
 * or "45112500-9": shape, known, check digit; ML_INVALID said why) and gives
 * {"cpv": {"code8", "code", "label_fr", "label_en", "level"}}; ml_cpv_search
 * finds codes by the words of their French label (accents, case and plurals
 * ignored; at most 4 words used, each the start of a word of the label) or
 * by the first digits of a code: {"query", "words", "results": [cpv...]},
 * shortest labels first, at most `limit` (1..100; 0: 20). */
ml_err ml_cpv_get(ml_db *db, const char *code, json_t **out);
ml_err ml_cpv_search(ml_db *db, const char *text, unsigned limit, json_t **out);

/* -------------------------------------------------------------------- demo */

typedef struct ml_demo_opts {
    const char *territory; /* EPCI, département or région code */
    uint64_t size;         /* establishments to generate; 0 = in proportion to population */
    uint64_t seed;         /* same seed, same files */
    const char *outdir;    /* created if missing */
} ml_demo_opts;

/* Writes synthetic StockEtablissement_utf8.csv and StockUniteLegale_utf8.csv
 * for a real territory into opts->outdir, using the reference data of `db`
 * (which must have been initialised). Every generated row is marked as
 * generated. `summary` (may be NULL) receives counts and file paths. */
ml_err ml_demo_generate(ml_db *db, const ml_demo_opts *opts, json_t **summary);

/* ------------------------------------------------------ interview campaigns */
/* Interview campaigns of a programme (issue 13, item 2): the firms to meet
 * (suggested from the register and the territory's diagnostics, scored and
 * explained, or added by hand; removed with a reason), their planned visits
 * and status, workshops, and the programme's engineering budget in
 * person-days that visits and workshops consume (days are given in tenths
 * of a day: 10 = one person-day). Reads need a role in the programme;
 * writes its officer. Answers are JSON owned by the caller. */
typedef struct ml_campaign_in {
    const char *programme; /* id or name */
    const char *name;      /* required, unique in the programme */
    const char *start, *end;
    bool generated; /* made by the demo */
} ml_campaign_in;
ml_err ml_campaign_add(ml_db *db, const ml_actor *who, const ml_campaign_in *in, json_t **out);
/* A programme's campaigns with their counts: {"campaigns": [...]}. */
ml_err ml_campaign_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out);
/* One campaign (by id): its firms (suggested, added; removed ones with
 * their reason), visits, workshops and the engineering position. */
ml_err ml_campaign_show(ml_db *db, const ml_actor *who, int64_t campaign, json_t **out);
/* The firms the register suggests for a campaign in the programme's
 * territory (docs/methods.md "Campaign suggestions"): industrial
 * establishments with employees, never of restricted diffusion, scored 0
 * to 100 with each reason and its source, best first, at most `top`
 * (0: 30). With `save`, those not yet on the list (nor removed from it) are
 * added as "suggested". */
ml_err ml_campaign_suggest(ml_db *db, const ml_actor *who, int64_t campaign, unsigned top,
                           bool save, json_t **out);
/* Adds an establishment to the campaign's list with the reason it was
 * chosen (a removed one comes back; one on the list keeps the reason as
 * its note). */
ml_err ml_campaign_firm_add(ml_db *db, const ml_actor *who, int64_t campaign, const char *siret,
                            const char *reason, json_t **out);
/* Removes one from the list (kept as removed, with the reason). */
ml_err ml_campaign_firm_remove(ml_db *db, const ml_actor *who, int64_t campaign,
                               const char *siret, const char *reason, json_t **out);
/* Plans (or moves) the visit of a firm of the list: day, time HH:MM (NULL:
 * none), consultant, days it takes (tenths; 0: 10). Refused when the days
 * reserved and consumed would exceed the engineering budget. */
typedef struct ml_visit_in {
    const char *siret;
    const char *date, *time, *consultant;
    int64_t tenths;
} ml_visit_in;
ml_err ml_campaign_visit(ml_db *db, const ml_actor *who, int64_t campaign, const ml_visit_in *in,
                         json_t **out);
/* A firm's status: "to_contact", "planned", "done" (its days consumed:
 * tenths, 0 keeps the planned days or 10) or "declined". */
ml_err ml_campaign_status(ml_db *db, const ml_actor *who, int64_t campaign, const char *siret,
                          const char *status, int64_t tenths, json_t **out);
/* A workshop of the campaign consuming `tenths` of the budget. */
ml_err ml_campaign_workshop(ml_db *db, const ml_actor *who, int64_t campaign, const char *title,
                            const char *date, int64_t tenths, json_t **out);
/* Sets a programme's engineering budget (tenths of a person-day; not below
 * what is consumed and reserved) and answers its position. */
ml_err ml_programme_engineering(ml_db *db, const ml_actor *who, const char *programme,
                                int64_t tenths, json_t **out);
/* The position: {"budget", "consumed", "reserved", "left"} in tenths. */
ml_err ml_programme_engineering_position(ml_db *db, const ml_actor *who, const char *programme,
                                         json_t **out);
/* The synthesis of a campaign's interviews (those linked to its visits or
 * of a firm on its list), as ml_programme_synthesis. */
ml_err ml_campaign_synthesis(ml_db *db, const ml_actor *who, int64_t campaign, json_t **out);
/* A project detected during an interview: ml_project_add for the
 * interview's firm and programme, the project pointing back to it. */
ml_err ml_interview_project(ml_db *db, const ml_actor *who, int64_t interview,
                            const ml_project_in *in, json_t **out);

/* The roadmap of a programme: actions with an owner, a due day, a state
 * ("open", "done") and the project or need (a theme of the needs grid) it
 * serves. */
typedef struct ml_action_in {
    const char *programme;
    int64_t campaign; /* 0: none */
    const char *title, *owner, *due;
    int64_t project; /* 0: none */
    const char *need; /* a theme of the needs grid, or NULL */
} ml_action_in;
ml_err ml_action_add(ml_db *db, const ml_actor *who, const ml_action_in *in, json_t **out);
ml_err ml_action_list(ml_db *db, const ml_actor *who, const char *programme, json_t **out);
/* Marks an action done (done false: open again). */
ml_err ml_action_done(ml_db *db, const ml_actor *who, int64_t action, bool done, json_t **out);
/* The roadmap document's content: the programme, each campaign's synthesis
 * with the secrecy rule applied (figures from fewer than 3 firms are not
 * given), the actions; whether it holds generated data. */
ml_err ml_roadmap_document(ml_db *db, const ml_actor *who, const char *programme, json_t **out);
/* Writes a roadmap document (from ml_roadmap_document) as PDF or as a
 * Word-compatible .docx (Office Open XML). */
typedef enum ml_doc_format { ML_DOC_PDF, ML_DOC_DOCX } ml_doc_format;
ml_err ml_export_roadmap(ml_ctx *ctx, json_t *doc, ml_doc_format fmt, const char *path);

#ifdef __cplusplus
}
#endif
#endif
