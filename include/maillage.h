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
    ML_DB_SHORT_WAIT = 1 << 2, /* a write waits at most 2 s for another writer, then ML_BUSY
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
} ml_actor;

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

#ifdef __cplusplus
}
#endif
#endif
