/* store.h — the storage facade: domain records and the table of functions a
 * backend implements (SQLite, and PostgreSQL behind the same table).
 * The engine talks to storage only through db->be. */
#ifndef ML_STORE_H
#define ML_STORE_H

#include "core/core.h"

/* Reference tables, filled by lib/ref (ml_ref_load, behind ml_db_init)
 * through ref_put. */
typedef enum ml_ref_table {
    ML_REF_REGION,      /* code,name */
    ML_REF_DEPARTEMENT, /* code,region,name */
    ML_REF_EPCI,        /* code,name,type */
    ML_REF_COMMUNE,     /* code,name,type,departement,region,epci,parent,population,lat,lon */
    ML_REF_NAF,         /* code,label,a615,a272,a129,a88,a64,a38,a21,a10 */
    ML_REF_NAF_LEVEL,   /* level,code,label_fr,label_en */
    ML_REF_IO_USE,      /* year,product,branch,value */
    ML_REF_IO_BRANCH,   /* year,branch,output,intermediate_consumption */
    ML_REF_IO_CLASS,    /* year,supplier,buyer,weight,ic_share,resale_share,general */
    ML_REF_IO_GENERAL,  /* class,group_fr,group_en */
    ML_REF_IO_RESALE,   /* trade_class,goods_fr,goods_en,makers,wholesalers */
    ML_REF_NAF_SAMPLE,  /* subclass,band,establishments */
    ML_REF_NAF_GROUPS,  /* area,grp,share */
    ML_REF_LEGAL_FORM,  /* code,label */
    ML_REF_VOCAB,       /* term,naf,note,source (maillage, nacebel, user) */
    ML_REF_POSTCODE,    /* code,commune */
    ML_REF_TI,          /* code,phase,name,commune,member,member_kind: Territoires d'industrie */
    ML_REF_CPV,         /* code8,code,label_fr,label_en,words: CPV 2008 (words: folded, stemmed) */
    ML_REF_COUNT
} ml_ref_table;

/* Where an establishment's coordinates come from. */
typedef enum ml_geo_source {
    ML_GEO_NONE = 0,     /* no position at all */
    ML_GEO_LAMBERT = 1,  /* INSEE's own coordinates, projected to WGS84 */
    ML_GEO_GEOCODED = 2, /* longitude/latitude of a geocoded variant (géo-SIRENE) */
    ML_GEO_COMMUNE = 3,  /* approximate: the centre of its commune */
} ml_geo_source;

/* One establishment as stored. Strings are borrowed, NULL = absent. */
typedef struct ml_etab {
    int64_t siret, siren;
    char diffusion;        /* 'O' public, 'P' partial (never shown) */
    char state;            /* 'A' active, 'F' closed */
    const char *created;   /* YYYY-MM-DD */
    const char *size_band; /* trancheEffectifs code, NULL = unknown */
    int size_year;
    bool head_office;
    const char *sign;       /* enseigne(s), joined */
    const char *usual_name; /* denominationUsuelleEtablissement */
    const char *address;    /* street line */
    const char *postcode, *city, *commune;
    const char *naf;     /* NAF rév. 2 code when known to the nomenclature */
    const char *naf_raw; /* code as published, any nomenclature */
    const char *naf25;
    const char *employer;
    double lat, lon;
    ml_geo_source geo;
    bool generated;
    const char *processed; /* dateDernierTraitement's date (YYYY-MM-DD): kept with a change */
    const char *state_since; /* dateDebut: when its current state began (a closure's date) */
    /* The folded, stemmed words of sign and usual_name (ml_text_fold,
     * ML_FOLD_STEM) when the importer computed them in its reading thread;
     * NULL: the backend folds them itself. */
    const char *name_words;
} ml_etab;

/* One legal unit (StockUniteLegale). */
typedef struct ml_unite {
    int64_t siren;
    char diffusion;
    char state;       /* 'A' active, 'C' ceased */
    const char *name; /* denomination, or "NOM Prénom" for a person */
    const char *acronym;
    const char *category; /* PME, ETI, GE */
    int category_year;
    const char *legal_form;
    const char *naf;
    const char *created;
    const char *ess;
    bool generated;
} ml_unite;

/* One establishment as read back, with what a record shows beside it. The
 * backend returns every establishment, whatever its diffusion status: which
 * may be shown, and under which name, is decided above it (lib/firm).
 * Strings are borrowed for the call. */
typedef struct ml_etab_view {
    ml_etab e;                /* e.naf is NULL when the code is not in the NAF */
    const char *naf_label;    /* the sub-class's label (NULL if unknown) */
    const char *commune_name; /* the commune's own name (NULL if unknown) */
    const char *a10;          /* the sub-class's A10 section (NULL if unknown) */
    bool has_unit;            /* its legal unit is in the database: */
    ml_unite u;               /* its fields (any diffusion status) */
} ml_etab_view;
typedef int (*ml_etab_view_fn)(void *ud, const ml_etab_view *v);
typedef int (*ml_unite_fn)(void *ud, const ml_unite *u);
/* A NAF code's levels, from the sub-class ("subclass", then "class", "group",
 * "A129", "A88", "A64", "A38", "A21", "A10"), labels NULL when unknown. */
typedef int (*ml_level_fn)(void *ud, const char *level, const char *code, const char *label_fr,
                           const char *label_en);
/* A commune's chain: the commune ("commune", "arrondissement" or
 * "former_commune"), its city for an arrondissement ("commune"), its "epci"
 * (type: CA, CC, CU, METRO...), "departement", "region". */
typedef int (*ml_chain_fn)(void *ud, const char *kind, const char *code, const char *name,
                           const char *type);

/* Verdicts, networks and profiles as stored (strings borrowed for the call). */
typedef struct ml_verdict_row {
    int64_t supplier, buyer;
    const char *verdict, *note, *author, *at;
} ml_verdict_row;
typedef int (*ml_verdict_fn)(void *ud, const ml_verdict_row *v);
typedef int (*ml_siret_fn)(void *ud, int64_t siret);
typedef int (*ml_network_fn)(void *ud, const char *name, const char *created, int64_t members);
typedef int (*ml_profile_row_fn)(void *ud, int64_t siret, const char *stems, const char *offers,
                                 const char *needs);

/* A profile's side as indexed (folded, stemmed words), for scoring. */
typedef int (*ml_profile_text_fn)(void *ud, int64_t siret, const char *stems);

/* One company profile (what people declare; all strings borrowed). */
typedef struct ml_profile {
    int64_t siret;
    const char *offers, *needs, *labels, *innovations, *website;
} ml_profile;

typedef enum ml_put_result {
    ML_PUT_NEW,       /* not there before */
    ML_PUT_REPLACED,  /* there before, and something changed */
    ML_PUT_DUPLICATE, /* already written by this run: not written again */
    ML_PUT_UNCHANGED, /* there before, exactly the same: nothing written */
    ML_PUT_CLOSED,    /* there before, open, and now closed (a change) */
} ml_put_result;

/* Snapshot rows: return non-zero to stop (out of memory). `naf_class` is the
 * NAF class ("25.62") or NULL. */
typedef int (*ml_snapshot_row_fn)(void *ud, int64_t siret, const char *naf_class,
                                  const char *size_band, double lat, double lon);

/* The engine's sectors (NAF classes) and the links between them, read by
 * io_classes(); each callback returns non-zero to stop (out of memory). */
/* One cell of INSEE's A38 table: what branch buys of product, in M€. */
typedef int (*ml_io_cell_fn)(void *ud, const char *product, const char *branch, double value);

typedef struct ml_io_sink {
    void *ud;
    int (*sector)(void *ud, const char *code, const char *a38, const char *label_fr,
                  const char *label_en);
    int (*link)(void *ud, const char *supplier, const char *buyer, double weight, double ic_share,
                double resale_share, bool general);
    int (*general)(void *ud, const char *code, const char *group_fr, const char *group_en);
    int (*goods)(void *ud, const char *code, const char *goods_fr, const char *goods_en);
} ml_io_sink;
/* One establishment a map may place: active, public (diffusion O), with a
 * position. Strings are borrowed for the call; the NAF levels are NULL when
 * the code is not in the nomenclature. */
typedef struct ml_map_row {
    int64_t siret;
    double lat, lon;
    const char *naf, *a88, *a38, *a21, *a10;
    bool approximate; /* placed at its commune's centre */
    bool generated;
} ml_map_row;
/* Map callbacks return non-zero to stop (out of memory). */
typedef int (*ml_map_row_fn)(void *ud, const ml_map_row *row);

/* One row of a reference table, its fields in the table's column order;
 * return non-zero to stop. */
typedef int (*ml_row_fn)(void *ud, const char *const *fields, size_t n);
/* Completions of a word being typed: return non-zero to stop. */
typedef int (*ml_word_fn)(void *ud, const char *word);

/* A place a summary or a map covers (lib/territory resolves a code into
 * one; the backend fills the rest). */
typedef enum ml_place_level {
    ML_PLACE_COUNTRY,
    ML_PLACE_COMMUNE, /* a commune also covers its arrondissements */
    ML_PLACE_EPCI,
    ML_PLACE_DEPARTEMENT,
    ML_PLACE_REGION,
    ML_PLACE_PERIMETER, /* a named list of communes: a Territoire d'industrie, or the user's */
} ml_place_level;

typedef struct ml_place {
    ml_place_level kind;
    char code[48];
    char name[160];
    int64_t communes;   /* communes it counts (an arrondissement counts itself) */
    int64_t population; /* -1 when unknown */
} ml_place;

/* One group of a place's establishments, all alike in sector (A10, A38),
 * size band and commune (a Paris, Lyon or Marseille arrondissement counts
 * in its city), with raw counts: the rules of docs/privacy.md apply above
 * the backend (lib/privacy). Strings are borrowed for the call; a10/a38 are
 * NULL for an activity code the NAF lacks, size_band "NN" when unknown. */
typedef struct ml_place_cell {
    const char *a10, *a38, *size_band, *commune;
    int64_t total, active, restricted, generated, approximate, employers;
    int64_t run;                /* the latest import run that wrote one of them */
    const char *latest_created; /* YYYY-MM-DD or NULL */
    int64_t size_year;          /* the latest headcount year, 0 if none */
} ml_place_cell;
typedef int (*ml_place_cell_fn)(void *ud, const ml_place_cell *c);

/* A perimeter: a named list of communes. Strings borrowed for the call. */
typedef struct ml_perimeter {
    const char *code;    /* "ti-8401", "ti1-8401", "p-vallee-de-l-arve" */
    const char *name;
    const char *kind;    /* "ti2023", "ti2019" (shipped), "custom" */
    int64_t org;         /* the organisation that owns it (0: none) */
    const char *author;  /* who defined it */
    const char *created; /* UTC date and time */
    const char *source;  /* the file it was defined from, or the shipped data's */
    int64_t communes;    /* in a list: how many communes */
} ml_perimeter;
typedef int (*ml_perimeter_fn)(void *ud, const ml_perimeter *p);

/* One group of a place's active establishments, alike in NAF sub-class
 * (NULL: a code the NAF lacks), size band ("NN" when unknown) and company
 * category ("PME", "ETI", "GE", NULL unknown); raw counts. */
typedef struct ml_activity_cell {
    const char *naf, *a10, *a21, *size_band, *category;
    int64_t active, employers, restricted;
} ml_activity_cell;
typedef int (*ml_activity_cell_fn)(void *ud, const ml_activity_cell *c);
typedef int (*ml_year_fn)(void *ud, int year, int64_t created, int64_t closed);
typedef int (*ml_leader_fn)(void *ud, const char *naf_class, int64_t siret);

/* A commune of a place; a child in the territorial tree. */
typedef int (*ml_commune_fn)(void *ud, const char *code, const char *name, int64_t population,
                             double lat, double lon, const char *departement);
typedef int (*ml_child_fn)(void *ud, const char *code, const char *name);

/* What a search finds: hits (SIRETs in rank order) and facets' raw counts
 * (dim "departement", "section" or "size"; code; count), each callback
 * returning non-zero to stop (out of memory); and its totals. */
typedef struct ml_hit_sink {
    void *ud;
    int (*hit)(void *ud, int64_t siret);
    int (*facet)(void *ud, const char *dim, const char *code, int64_t n);
} ml_hit_sink;
typedef struct ml_hit_totals {
    int64_t total;    /* matches, capped (total_exact false past the cap) */
    bool total_exact;
    bool wider;       /* the results are of neighbouring trades */
    bool facets;      /* facets were counted: */
    int64_t counted;  /* over the first `counted` matches, */
    bool complete;    /* which are all of them */
} ml_hit_totals;


/* ---- history (lib/history, issue 11): what an organisation records about a
 * firm. Every row carries the organisation that wrote it and its author (user
 * id and name as written); which rows a reader may see is decided above the
 * backend (lib/history). Strings are borrowed for the call; NULL = absent. */
typedef struct ml_contact_row {
    int64_t id, siret, siren; /* siret 0: a contact of the company (siren) */
    int64_t org, author_id;
    const char *author, *name, *position, *email, *phone;
    const char *basis;  /* the lawful basis and purpose, as written */
    const char *source; /* where the details come from */
    const char *created, *updated, *updated_by;
} ml_contact_row;
typedef struct ml_interaction_row {
    int64_t id, siret, siren, org, author_id;
    const char *author;
    const char *kind;     /* visit, call, meeting, email, event */
    const char *day;      /* YYYY-MM-DD */
    const char *notes;
    const char *contacts; /* linked contact ids: ",3,17," (one comma each side) */
    const char *created;
} ml_interaction_row;
typedef struct ml_followup_row {
    int64_t id, siret, siren, org, author_id, owner_id;
    const char *author, *owner, *what;
    const char *due;  /* YYYY-MM-DD */
    const char *done; /* when it was done, NULL: still to do */
    const char *created;
} ml_followup_row;
typedef struct ml_document_row {
    const char *id; /* 32 hex digits: its file's name in the documents folder */
    int64_t siret, siren, org, author_id, size;
    const char *author, *name, *type, *created;
} ml_document_row;
/* Which rows a history read returns; every member set narrows it. */
typedef struct ml_hist_query {
    int64_t siret;      /* an establishment's rows and its company's own (siret 0) */
    int64_t siren;      /* with siret 0: every row of the company */
    int64_t id;         /* one row */
    const char *doc;    /* documents: one document */
    int64_t contact;    /* interactions linked to this contact */
    const char *email;  /* contacts with this email (as stored) */
    const char *before; /* contacts updated before; follow-ups not done and due before */
} ml_hist_query;
typedef int (*ml_contact_fn)(void *ud, const ml_contact_row *c);
typedef int (*ml_interaction_fn)(void *ud, const ml_interaction_row *i);
typedef int (*ml_followup_fn)(void *ud, const ml_followup_row *f);
typedef int (*ml_document_fn)(void *ud, const ml_document_row *d);
/* The anonymised trace of one erasure (hist_erasure). */
typedef int (*ml_erasure_fn)(void *ud, int64_t id, const char *at, int64_t org, int64_t author_id,
                             const char *author, const char *what);
/* One change an import applied to an establishment (etab_change). */
typedef int (*ml_change_fn)(void *ud, const char *change, const char *at, const char *insee_date);
/* A verdict with the organisation and author id that wrote it (0: written
 * before accounts). */
typedef struct ml_verdict_by {
    ml_verdict_row v;
    int64_t org, author_id;
} ml_verdict_by;
typedef int (*ml_verdict_by_fn)(void *ud, const ml_verdict_by *v);
/* ---- end of history types */

/* ---- needs (lib/needs, issue 12 part 6): one level set on one need of a
 * territory or a firm, with who set it. Strings borrowed for the call. */
typedef struct ml_need_row {
    int64_t id, org, author_id;
    const char *subject; /* "firm:SIRET" or "KIND:CODE" of a territory */
    const char *need, *level, *note, *author, *created;
} ml_need_row;
typedef int (*ml_need_fn)(void *ud, const ml_need_row *n);
/* ---- end of needs types */

struct ml_plan;
struct ml_lexicon;

/* Memberships: a SIRET and a group key ("network:NAME", "label:folded words"). */
typedef void (*ml_member_fn)(void *ud, int64_t siret, const char *group);

/* ------------------------------------------------ accounts (lib/account) */

/* The statements of organisations, accounts, sessions, tokens, invitations,
 * throttling and the audit log. Their SQL (store/account_sql.h) is plain SQL
 * both engines run, with parameters $1, $2...; every rule (expiry, roles,
 * hashing, limits) is lib/account's, which passes times and hashes in. */
typedef enum ml_acct_sql {
    ML_ACCT_ANY,             /* -> count of accounts */
    ML_ACCT_ORG_ADD,         /* name, type, created -> id */
    ML_ACCT_ORG_BY_NAME,     /* name -> id, name, type, created */
    ML_ACCT_ORG_BY_ID,       /* id -> id, name, type, created */
    ML_ACCT_ORG_LIST,        /* -> id, name, type, created, members */
    ML_ACCT_ACCOUNT_ADD,     /* email, name, password, site_admin, created -> id */
    ML_ACCT_ACCOUNT_BY_EMAIL, /* email -> id, email, name, password, site_admin, disabled, created */
    ML_ACCT_ACCOUNT_BY_ID,   /* id -> the same */
    ML_ACCT_ACCOUNT_LIST,    /* -> id, email, name, site_admin, disabled, created */
    ML_ACCT_SET_PASSWORD,    /* id, password */
    ML_ACCT_SET_DISABLED,    /* id, 0|1 */
    ML_ACCT_MEMBER_PUT,      /* org, account, role */
    ML_ACCT_MEMBER_DROP,     /* org, account */
    ML_ACCT_MEMBERS,         /* org -> id, email, name, role, disabled */
    ML_ACCT_MEMBERSHIPS,     /* account -> org id, org name, org type, role */
    ML_ACCT_WORKSPACE_ADD,   /* name, created */
    ML_ACCT_WORKSPACE_BY_NAME, /* name -> id */
    ML_ACCT_WORKSPACE_JOIN,  /* workspace, org */
    ML_ACCT_WORKSPACE_LEAVE, /* workspace, org */
    ML_ACCT_WORKSPACE_LIST,  /* -> workspace name, org name (NULL: none) */
    ML_ACCT_ORG_PEERS,       /* org -> the other organisations sharing a workspace with it */
    ML_ACCT_SESSION_ADD,     /* hash, account, org, csrf, created, seen, address */
    ML_ACCT_SESSION_GET,     /* hash -> account, org, csrf, created, seen, email, name,
                                site_admin, disabled, role, org name */
    ML_ACCT_SESSION_TOUCH,   /* hash, seen */
    ML_ACCT_SESSION_DROP,    /* hash */
    ML_ACCT_SESSION_DROP_ACCOUNT, /* account, hash kept ('' keeps none) */
    ML_ACCT_SESSION_PRUNE,   /* seen before, created before */
    ML_ACCT_SESSION_LIST,    /* account -> hash, created, seen, address */
    ML_ACCT_TOKEN_ADD,       /* hash, account, org, name, scope, created -> id */
    ML_ACCT_TOKEN_GET,       /* hash -> id, account, org, scope, used, email, name, site_admin,
                                disabled, role, org name */
    ML_ACCT_TOKEN_USED,      /* id, used */
    ML_ACCT_TOKEN_LIST,      /* account -> id, name, scope, created, used, revoked */
    ML_ACCT_TOKEN_REVOKE,    /* id, account, revoked */
    ML_ACCT_INVITE_ADD,      /* hash, org, role, email, created_by, created, expires */
    ML_ACCT_INVITE_GET,      /* hash -> org, role, email, expires, used, org name */
    ML_ACCT_INVITE_TAKE,     /* hash, used, account (only an unused, unexpired one) */
    ML_ACCT_INVITE_LIST,     /* org -> role, email, created, expires, used, account email */
    ML_ACCT_FAILURE_ADD,     /* kind, key, at */
    ML_ACCT_FAILURE_COUNT,   /* kind, key, since -> count, oldest */
    ML_ACCT_FAILURE_CLEAR,   /* kind, key */
    ML_ACCT_FAILURE_PRUNE,   /* before */
    ML_ACCT_AUDIT_ADD,       /* at, account, actor, org, address, action, target, detail */
    ML_ACCT_AUDIT_LIST,      /* since, org (0: all), limit -> id, at, account, actor, org,
                                org name, address, action, target, detail */
    ML_ACCT_MEMBER_ROLE, /* org, account -> role */
    ML_ACCT_SQL_COUNT
} ml_acct_sql;

/* A parameter of an account statement. */
typedef struct ml_sql_arg {
    enum { ML_ARG_NULL, ML_ARG_INT, ML_ARG_TEXT } type;
    int64_t i;
    const char *s; /* borrowed */
} ml_sql_arg;
/* One row: its columns as text (NULL for SQL NULL), borrowed for the call. */
typedef int (*ml_text_row_fn)(void *ud, const char *const *cols, size_t ncols);

/* What `info` counts, in the order it shows them (store/info_sql.h holds
 * the queries, lib/firm/info.c the names). */
typedef enum ml_info_count {
    ML_INFO_REGIONS,
    ML_INFO_DEPARTEMENTS,
    ML_INFO_EPCI,
    ML_INFO_COMMUNES,
    ML_INFO_NAF,
    ML_INFO_IO_YEARS,
    ML_INFO_UNITS,
    ML_INFO_POSTCODES,
    ML_INFO_VOCABULARY,
    ML_INFO_USER_VOCABULARY,
    ML_INFO_CPV,
    ML_INFO_ETABS, /* the establishments' counts, from here on */
    ML_INFO_ETABS_ACTIVE,
    ML_INFO_ETABS_RESTRICTED,
    ML_INFO_ETABS_GENERATED,
    ML_INFO_ETABS_APPROXIMATE,
    ML_INFO_COUNTS
} ml_info_count;

#define ML_INFO_RUNS 5 /* the last import runs `info` lists */

/* An import run: its counts are -1 while unknown (a run not finished). */
typedef struct ml_info_run {
    int64_t id, rows, imported, rejected;
    char kind[32], started[40], finished[40]; /* "" when unknown */
} ml_info_run;

typedef struct ml_store_info {
    char where[320]; /* the database as it may be shown (no password) */
    int64_t counts[ML_INFO_COUNTS];
    ml_info_run runs[ML_INFO_RUNS]; /* newest first */
    size_t nruns;
} ml_store_info;
/* ---- programmes (lib/programme, issue 13): the statements of programmes,
 * their organisations, envelopes, projects, the ledger, repayment schedules
 * and aid recorded from elsewhere. Their SQL (store/programme_sql.h) is
 * plain SQL both engines run ($1, $2...); every rule (access, stages,
 * ceilings, positions) is lib/programme's. Money is integer cents. */
typedef enum ml_prog_sql {
    ML_PROG_ADD,        /* name, org, territory, territory_name, start_day, end_day, author,
                           created, generated -> id */
    ML_PROG_BY_ID,      /* id -> PROG columns */
    ML_PROG_BY_NAME,    /* name -> PROG columns */
    ML_PROG_LIST,       /* -> PROG columns of every programme, by name */
    ML_PROG_ORG_PUT,    /* programme, org, role */
    ML_PROG_ORGS,       /* programme -> org, org name, role */
    ML_PROG_ORG_ROLE,   /* programme, org -> role */
    ML_PROG_ENV_ADD,    /* programme, instrument, funder, amount, max_project, max_small,
                           max_medium, max_large, revolving -> id */
    ML_PROG_ENVS,       /* programme -> id, instrument, funder, amount, max_project, max_small,
                           max_medium, max_large, revolving (by id) */
    ML_PROG_PROJ_ADD,   /* programme, siret, siren, type, title, description, cost, eligible,
                           jobs_created, jobs_kept, req_subsidy, req_advance, stage, author,
                           created -> id */
    ML_PROG_PROJ_BY_ID, /* id -> PROJ columns */
    ML_PROG_PROJ_LIST,  /* programme -> PROJ columns (by id) */
    ML_PROG_PROJ_STAGE, /* id, stage, updated */
    ML_PROG_PROJ_EDIT,  /* id, type, title, description, cost, eligible, jobs_created, jobs_kept,
                           req_subsidy, req_advance, updated */
    ML_PROG_ENTRY_ADD,  /* programme, envelope, project, siren, kind, day, amount, note, author,
                           created -> id */
    ML_PROG_ENTRIES,    /* programme, envelope (0 all), project (0 all) -> ENTRY columns,
                           by day then id */
    ML_PROG_SIREN_ENTRIES, /* siren -> ENTRY columns of every programme, by day then id */
    ML_PROG_AID_ADD,    /* siren, day, amount, source, author, created -> id */
    ML_PROG_AIDS,       /* siren -> id, siren, day, amount, source, author (by day) */
    ML_PROG_INST_ADD,   /* project, envelope, seq, due, amount */
    ML_PROG_INSTS,      /* programme, project (0 all) -> project, envelope, seq, due, amount */
    ML_PROG_INST_DROP,  /* project, envelope */
    ML_PROG_INTERVIEW_ADD, /* programme, siret, siren, day, scores, flags, notes, author,
                              created -> id */
    ML_PROG_INTERVIEWS,    /* programme -> id, siret, siren, day, scores, flags, notes, author
                              (by day, then id) */
    ML_PROG_LOCK,       /* (no parameter) takes the write lock of every programme's row until
                           the transaction ends: decisions and entries are checked then
                           written one at a time (PostgreSQL's READ COMMITTED would let two
                           see the same headroom) */
    /* aid schemes, routes and committees (issue 13 parts 3 and 5) */
    ML_PROG_SCHEME_PUT,     /* SCHEME columns but imported and author last -> (replaces an id) */
    ML_PROG_SCHEMES,        /* -> SCHEME columns, by title then id */
    ML_PROG_SCHEME_BY_ID,   /* id -> SCHEME columns */
    ML_PROG_ROUTE_ADD,      /* project, scheme, day, note, author, created -> id */
    ML_PROG_ROUTES,         /* project -> id, scheme, scheme's title, day, note, author, url */
    ML_PROG_COM_ADD,        /* programme, day, place, author, created -> id */
    ML_PROG_COM_BY_ID,      /* id -> id, programme, day, place, author, created */
    ML_PROG_COMS,           /* programme -> id, programme, day, place, author, created */
    ML_PROG_COM_MEMBER_ADD, /* committee, seq, name, organisation, role */
    ML_PROG_COM_MEMBERS,    /* committee -> seq, name, organisation, role (by seq) */
    ML_PROG_COM_ITEM_PUT,   /* committee, project, seq (its place changes when it is there) */
    ML_PROG_COM_ITEMS,      /* committee -> project, seq, decision, reason (by seq) */
    ML_PROG_COM_ITEM_DECIDE, /* committee, project, decision, reason */
    ML_PROG_COM_VOTE_PUT,   /* committee, project, member, vote (replaces the member's) */
    ML_PROG_COM_VOTES,      /* committee -> project, member, vote */
    /* impact follow-up and poles (issue 13 parts 6, 7, 11) */
    ML_PROG_MILESTONE_PUT,  /* programme, months */
    ML_PROG_MILESTONE_DROP, /* programme */
    ML_PROG_MILESTONES,     /* programme -> months (ascending) */
    ML_PROG_FOLLOWUP_PUT,   /* project, months, day, jobs_created, jobs_kept, invested, note,
                               author, created (replaces the milestone's figures) */
    ML_PROG_FOLLOWUPS,      /* programme, project (0 all) -> project, months, day, jobs_created,
                               jobs_kept, invested, note, author (by project, months) */
    ML_PROG_FIRSTS,         /* programme -> project, day of its first commitment (by project) */
    ML_PROG_PARTNER_ADD,    /* project, siret (NULL), name, kind, role, author, created -> id */
    ML_PROG_PARTNER_DROP,   /* project, id */
    ML_PROG_PARTNERS,       /* project -> id, siret, name, kind, role, author (by id) */
    ML_PROG_TRL_ADD,        /* project, day, level, note, author, created -> id */
    ML_PROG_TRLS,           /* project -> id, day, level, note, author (by day, id) */
    ML_PROG_NEED_ADD,       /* project, text, naf, author, created -> id */
    ML_PROG_NEED_DROP,      /* project, id */
    ML_PROG_NEEDS,          /* project -> id, text, naf, author (by id) */
    ML_PROG_DAY_SUMS,       /* programme, day -> envelope, kind, sum of the daily sums on or
                               before that day (prog_entry_day) */
    ML_PROG_DAY_MISMATCH,   /* programme -> how many (envelope, day, kind) daily sums differ
                               from the sums of the entries themselves (0: they agree) */
    /* campaigns (issue 13, item 2; migration 17) */
    ML_PROG_ENG_SET,       /* programme, tenths */
    ML_PROG_ENG_GET,       /* programme -> eng_tenths */
    ML_PROG_VISIT_DAYS,    /* programme, campaign firm left out (0: none) -> status, sum(tenths) */
    ML_PROG_WORKSHOP_DAYS, /* programme -> sum(tenths) */
    ML_PROG_CAMP_ADD,      /* programme, name, start_day, end_day, author, created, generated -> id */
    ML_PROG_CAMP_BY_ID,    /* id -> CAMP columns */
    ML_PROG_CAMPS,         /* programme -> CAMP columns, by id */
    ML_PROG_CFIRM_ADD,     /* campaign, siret, siren, source, score, reasons, note, status, author,
                              created -> id */
    ML_PROG_CFIRM_GET,     /* campaign, siret -> CFIRM columns */
    ML_PROG_CFIRM_BY_ID,   /* id -> CFIRM columns */
    ML_PROG_CFIRMS,        /* campaign -> CFIRM columns, planned visits first */
    ML_PROG_CFIRM_READD,   /* id, source, score, reasons, note, updated */
    ML_PROG_CFIRM_STATUS,  /* id, status, note (NULL kept), tenths, updated */
    ML_PROG_CFIRM_VISIT,   /* id, visit_day, visit_time, consultant, tenths, updated */
    ML_PROG_WORKSHOP_ADD,  /* campaign, title, day, tenths, author, created -> id */
    ML_PROG_WORKSHOPS,     /* campaign -> id, title, day, tenths, author */
    ML_PROG_INTERVIEW_VISIT, /* interview, visit */
    ML_PROG_INTERVIEW_BY_ID, /* id -> programme, siret, day */
    ML_PROG_PROJ_INTERVIEW,  /* project, interview */
    ML_PROG_PROJ_LINKED,     /* programme -> id, interview, type, title, cost, siret,
                                req_subsidy, req_advance */
    ML_PROG_ACTION_ADD,    /* programme, campaign, title, owner, due, project, need, author,
                              created -> id */
    ML_PROG_ACTIONS,       /* programme -> ACTION columns, by due day then id */
    ML_PROG_ACTION_BY_ID,  /* id -> ACTION columns */
    ML_PROG_ACTION_STATE,  /* id, state, updated */
    ML_PROG_SQL_COUNT
} ml_prog_sql;
/* SCHEME columns: id, title, promise, description, eligibility, aid_types, bearers,
 * parents, url, targets, geo, geo_excl, opens, closes, updated_day, headcount_min,
 * headcount_max, sizes, naf, naf_excl, sectors, project_types, stages, imported, author.
 * CAMP columns: id, programme, name, start_day, end_day, author, created, generated.
 * CFIRM columns: id, campaign, siret, siren, source, score, reasons, note, status, visit_day,
 * visit_time, consultant, tenths, author, created, updated. ACTION columns: id, programme,
 * campaign, title, owner, due, state, project, need, author, created, updated. */
/* PROG columns: id, org, name, territory, territory_name, start_day, end_day, author,
 * created, generated. PROJ columns: id, programme, siret, siren, type, title,
 * description, cost, eligible, jobs_created, jobs_kept, req_subsidy, req_advance, stage,
 * author, created, updated. ENTRY columns: id, programme, envelope, project, siren, kind,
 * day, amount, note, author, created. */
/* ---- end of programme types */
/* ------------------------------------------------ events (lib/event, issue 14) */

/* The statements of business conventions; their SQL (store/event_sql.h) is
 * plain SQL both engines run, as the accounts' is, with the same argument
 * and row types (ml_sql_arg, ml_text_row_fn). Every rule (who may read an
 * event, what a slot list means, the schedule's check) is lib/event's. */
typedef enum ml_event_sql {
    ML_EV_BEGIN,          /* a transaction */
    ML_EV_COMMIT,
    ML_EV_ROLLBACK,
    ML_EV_ADD,            /* org, name, day, start_min, slot_minutes, slots, tables, two_sided,
                             breaks, place, created, author -> id */
    ML_EV_LIST,           /* -> id, org, name, day, slots, tables, two_sided, participants,
                             scheduled */
    ML_EV_GET,            /* id -> id, org, name, day, start_min, slot_minutes, slots, tables,
                             two_sided, breaks, place, created, author, scheduled, weight,
                             bound, optimal */
    ML_EV_BY_NAME,        /* name -> id, org */
    ML_EV_SCHEDULED,      /* id, scheduled, weight, bound, optimal */
    ML_EV_P_ADD,          /* event, kind, siret, name, side, slots, max_meetings, token -> id */
    ML_EV_P_LIST,         /* event -> id, kind, siret, name, side, slots, max_meetings,
                             cancelled */
    ML_EV_P_BY_TOKEN,     /* token -> event, id */
    ML_EV_P_CANCEL,       /* event, id */
    ML_EV_P_TOKEN,        /* event, id, token */
    ML_EV_R_ADD,          /* event, a, b, priority, asked_by, accepted, reason, created -> id */
    ML_EV_R_LIST,         /* event -> id, a, b, priority, asked_by, accepted, reason */
    ML_EV_R_ACCEPT,       /* event, id */
    ML_EV_M_CLEAR,        /* event */
    ML_EV_M_ADD,          /* event, request, slot, table, locked */
    ML_EV_M_LIST,         /* event -> request, slot, table, locked */
    ML_EV_M_LOCK,         /* event, request, locked */
    ML_EV_O_PUT,          /* event, request, met, result, amount, jobs, at, author */
    ML_EV_O_LIST,         /* event -> request, met, result, amount, jobs, at, author */
    ML_EV_NEED_ADD,       /* org, buyer, buyer_siret, title, text, cpv, naf, budget, deadline,
                             commune, created, author -> id */
    ML_EV_NEED_GET,       /* id -> id, org, buyer, buyer_siret, title, text, cpv, naf, budget,
                             deadline, commune, evidence, holder, amount, notified, months,
                             created, author */
    ML_EV_NEED_LIST,      /* -> id, org, buyer, title, budget, deadline, holder */
    ML_EV_NEED_EVIDENCE,  /* id, evidence */
    ML_EV_NEED_AWARD,     /* id, holder, amount, notified, months */
    /* agendas (issue 14): do-not-meet, publication, changes after it */
    ML_EV_R_PRIORITY,     /* event, id, priority */
    ML_EV_PUBLISH,        /* id, published */
    ML_EV_PUBLISHED,      /* id -> published */
    ML_EV_C_ADD,          /* event, participant, kind, other, slot_before, tab_before,
                             slot_after, tab_after, at */
    ML_EV_C_LIST,         /* event -> id, participant, kind, other, slot_before, tab_before,
                             slot_after, tab_after, at, seen */
    ML_EV_C_SEEN,         /* event, participant */
    /* CPV codes, needs in events, what outcomes teach (issue 14) */
    ML_EV_CPV_GET,        /* code8 -> code8, code, label_fr, label_en */
    ML_EV_CPV_SEARCH,     /* 4 word patterns, a code pattern, limit -> code8, code, label_fr,
                             label_en */
    ML_EV_CPV_COUNT,      /* -> rows of the cpv table */
    ML_EV_NEED_BUYERS,    /* -> id, org, buyer, buyer_siret of every need */
    ML_EV_P_NAF,          /* event -> participant id, its establishment's NAF code */
    ML_EV_LEARN,          /* -> org, a's side, b's side, result, a's NAF, b's NAF of every
                             meeting held between two establishments */
    ML_EV_NEED_CPV,       /* id, cpv (code8 or NULL) */
    ML_EV_SQL_COUNT
} ml_event_sql;
/* ---- end of events types */
/* Relatedness and complexity (lib/complexity, issue 12): one group of
 * active establishments alike in location, NAF class (level a615, "25.62")
 * and size band ("NN" when unknown), with how many they are. Every one
 * counts, whatever its diffusion status (the figures shown are checked
 * above the backend). Strings are borrowed for the call; naf_class is NULL
 * for an activity code the NAF lacks, location NULL for a commune in no
 * EPCI. Return non-zero to stop (out of memory). */
typedef int (*ml_location_cell_fn)(void *ud, const char *location, const char *naf_class,
                                   const char *size_band, int64_t n);

/* A row callback given to a slot must not call the store itself: a backend
 * may still be receiving that query's rows while it runs (PostgreSQL's
 * single-row mode), and a second query on the connection then fails. Keep
 * what is needed and read the rest once the slot has returned. */
typedef struct ml_store_backend {
    const char *name;
    ml_err (*open)(ml_db *db, const char *path, unsigned flags);
    void (*close)(ml_db *db);
    ml_err (*begin)(ml_db *db);
    ml_err (*commit)(ml_db *db);
    void (*rollback)(ml_db *db);
    /* Switches to (on) and from (off) the storage mode best for a long write;
     * called outside any transaction. Off also does what a committed run
     * left for after its commit (PostgreSQL: the planner's statistics;
     * SQLite: an update's search index merged in short steps). */
    ml_err (*import_mode)(ml_db *db, bool on);
    /* A read transaction (see ml_db_read_begin), and the data stamp. */
    ml_err (*read_begin)(ml_db *db);
    void (*read_end)(ml_db *db);
    ml_err (*data_stamp)(ml_db *db, uint64_t *out);
    ml_err (*set_meta)(ml_db *db, const char *key, const char *value);
    /* A meta value into out ("" when absent). */
    ml_err (*meta_get)(ml_db *db, const char *key, char *out, size_t size);
    /* Every row of a reference table (the search lexicon is built from them). */
    ml_err (*ref_scan)(ml_db *db, ml_ref_table t, ml_row_fn fn, void *ud);
    /* Reference data: clear every reference table, then put rows. */
    ml_err (*ref_clear)(ml_db *db);
    ml_err (*ref_put)(ml_db *db, ml_ref_table t, const char *const *fields, size_t nfields);
    /* Lookups the importers need (fast, cached by the backend). */
    bool (*commune_known)(ml_db *db, const char *code, double *lat, double *lon, char dep[4]);
    bool (*naf_known)(ml_db *db, const char *code);
    /* Import runs: rows of one run replace earlier versions; a SIRET seen
     * twice in one run is reported as ML_PUT_DUPLICATE and not written.
     * etab_put over an establishment already there writes it only when
     * something changed (ML_PUT_REPLACED, ML_PUT_CLOSED; ML_PUT_UNCHANGED
     * otherwise) and keeps the change with its date; run_end records the
     * run's counts (st->added, modified, closed, unchanged). A backend that
     * compares rows only when it publishes them (PostgreSQL) reports
     * ML_PUT_REPLACED at etab_put and sets those four counts in run_end.
     * run_begin opens the run's transaction (run_end writes in it, then the
     * caller commits or rolls back): a backend may read under a snapshot
     * and take the write lock only in run_end, to write what changed (SQLite). */
    ml_err (*run_begin)(ml_db *db, const char *kind, int64_t *run);
    ml_err (*run_end)(ml_db *db, int64_t run, ml_import_stats *st);
    ml_err (*etab_put)(ml_db *db, int64_t run, const ml_etab *e, ml_put_result *res);
    ml_err (*unite_put)(ml_db *db, int64_t run, const ml_unite *u, ml_put_result *res);
    /* What the database holds: the raw counts (lib/firm applies the
     * secrecy rule and names them), the last import runs, and each meta
     * key and value to `meta` (columns key, value; value NULL when unset). */
    ml_err (*info)(ml_db *db, ml_store_info *out, ml_text_row_fn meta, void *ud);
    /* Runs a search plan (lib/search/search.h) over the establishments that
     * may be listed (public ones: the search index holds no other, by
     * contract of every backend): the SIRETs of a page in rank order and, when the plan asks, the facets' raw counts, to the
     * sink; the totals in *out. */
    ml_err (*search)(ml_db *db, const struct ml_plan *plan, const ml_hit_sink *sink,
                     ml_hit_totals *out);
    /* Indexed words of names and communes that start with `prefix`, most
     * frequent first, at most `max`. */
    ml_err (*word_complete)(ml_db *db, const char *prefix, unsigned max, ml_word_fn fn, void *ud);
    /* Establishments and companies (lib/firm): one establishment (fn is not
     * called when it is unknown); a unit's establishments in the order a
     * company page lists them (open first, head office first, then SIRET),
     * at most max; a legal unit (fn not called when unknown); how many of
     * its establishments are open; the label of a legal form (catégorie
     * juridique, "" if unknown); a NAF code's levels; a commune's chain. */
    ml_err (*etab_get)(ml_db *db, int64_t siret, ml_etab_view_fn fn, void *ud);
    ml_err (*unit_etabs)(ml_db *db, int64_t siren, unsigned max, ml_etab_view_fn fn, void *ud);
    ml_err (*unite_get)(ml_db *db, int64_t siren, ml_unite_fn fn, void *ud);
    ml_err (*unit_active)(ml_db *db, int64_t siren, int64_t *n);
    ml_err (*legal_form_label)(ml_db *db, const char *code, char *out, size_t size);
    ml_err (*naf_levels)(ml_db *db, const char *code, ml_level_fn fn, void *ud);
    ml_err (*commune_chain)(ml_db *db, const char *code, ml_chain_fn fn, void *ud);
    /* Territories (lib/territory): the place of p->kind and p->code, its
     * name, communes and population (ML_NOTFOUND, no message, when there is
     * none); its establishments in groups; when an import run finished
     * (UTC, "" if unknown); the labels of a NAF aggregate ("A10", "A21",
     * "A38"...; "" when unknown). */
    ml_err (*place)(ml_db *db, ml_place *p);          /* the name only */
    ml_err (*place_size)(ml_db *db, ml_place *p);     /* communes and population */
    ml_err (*place_cells)(ml_db *db, const ml_place *p, ml_place_cell_fn fn, void *ud);
    ml_err (*run_finished)(ml_db *db, int64_t run, char *out, size_t size);
    ml_err (*level_label)(ml_db *db, const char *level, const char *code, char *fr, char *en,
                          size_t size);
    /* Matching: the snapshot's rows, memberships, the sectors and links of
     * the NAF class table (sectors sorted by code, then links, general inputs
     * and goods for resale; *year its year), INSEE's A38 table of the latest
     * year as JSON (the A38 baseline of bench/quality), profiles, verdicts,
     * networks. */
    ml_err (*snapshot_scan)(ml_db *db, bool public_only, ml_snapshot_row_fn fn, void *ud);
    ml_err (*memberships)(ml_db *db, ml_member_fn fn, void *ud);
    ml_err (*io_classes)(ml_db *db, const ml_io_sink *sink, int *year);
    ml_err (*io_a38)(ml_db *db, int *year, ml_io_cell_fn fn, void *ud);
    ml_err (*profile_put)(ml_db *db, int64_t run, const ml_profile *p, ml_put_result *res);
    /* Profiles' text index (lib/match/texts.c scores with it): one side
     * (needs or offers) of a profile, as indexed (folded, stemmed words) and
     * as written; how many profiles have that side (word NULL) or contain a
     * word there; the profiles whose side holds any of `words` (indexed
     * words, space-separated), best first by the engine's own relevance. */
    ml_err (*profile_words)(ml_db *db, int64_t siret, bool needs, ml_buf *stems, ml_buf *raw);
    ml_err (*profile_df)(ml_db *db, bool needs, const char *word, size_t n, int64_t *count);
    ml_err (*profile_candidates)(ml_db *db, bool needs, const char *words, int64_t exclude,
                                 unsigned max, ml_profile_text_fn fn, void *ud);
    ml_err (*verdict_put)(ml_db *db, int64_t supplier, int64_t buyer, const char *verdict,
                          const char *note, const char *author);
    /* The latest accept/reject of each pair involving siret, and every note. */
    ml_err (*verdicts)(ml_db *db, int64_t siret, ml_verdict_fn fn, void *ud);
    ml_err (*network_put)(ml_db *db, const char *name, const int64_t *sirets, size_t n);
    /* A network's creation date and members; ML_NOTFOUND (no message) if none. */
    ml_err (*network_get)(ml_db *db, const char *name, char *created, size_t size,
                          ml_siret_fn fn, void *ud);
    ml_err (*network_list)(ml_db *db, ml_network_fn fn, void *ud);
    /* Every profile: its indexed words (offers and needs) and texts as written. */
    ml_err (*profile_texts)(ml_db *db, ml_profile_row_fn fn, void *ud);
    /* Relatedness and complexity (lib/complexity, issue 12): the active
     * establishments in groups by location (the commune, an arrondissement
     * or a commune déléguée counted in its city; or, by_epci, the EPCI),
     * NAF class and size band. */
    ml_err (*location_cells)(ml_db *db, bool by_epci, ml_location_cell_fn fn, void *ud);
    /* For the web. */
    /* A place's children in the territorial tree (NULL: the régions; a
     * région's départements, a département's EPCI, an EPCI's communes). */
    ml_err (*place_children)(ml_db *db, const ml_place *parent, ml_child_fn fn, void *ud);
    /* A place's active establishments with a position, at most limit (naf: a
     * code of any level, or NULL), only public ones when asked. */
    ml_err (*place_etabs)(ml_db *db, const ml_place *p, const char *naf, bool public_only,
                          unsigned limit, ml_etab_view_fn fn, void *ud);
    /* A place's active establishments with a position, one light row each
     * (the map's aggregation, lib/map), only public ones when asked. */
    ml_err (*map_rows)(ml_db *db, const ml_place *p, bool public_only, ml_map_row_fn fn,
                       void *ud);
    /* A place's communes (arrondissements for Paris, Lyon, Marseille) with
     * their population (-1 unknown) and centre, by code. */
    ml_err (*place_communes)(ml_db *db, const ml_place *p, ml_commune_fn fn, void *ud);
    /* Territory diagnostics (lib/territory/indicators.c, perimeters.c). */
    /* A user's perimeter (code, name, owner) and its communes replace any
     * perimeter of that code; a perimeter's removal (ML_NOTFOUND, no
     * message, when there is none); every perimeter, the shipped
     * Territoires d'industrie included. */
    ml_err (*perimeter_put)(ml_db *db, const ml_perimeter *p, const char *const *communes,
                            size_t n);
    ml_err (*perimeter_delete)(ml_db *db, const char *code);
    ml_err (*perimeter_list)(ml_db *db, ml_perimeter_fn fn, void *ud);
    /* A place's active establishments in groups alike in NAF sub-class,
     * size band and company category, with raw counts. */
    ml_err (*activity_cells)(ml_db *db, const ml_place *p, ml_activity_cell_fn fn, void *ud);
    /* A place's establishments by year: created that year (any state now),
     * and closed that year (closed now, their state dated that year). */
    ml_err (*place_years)(ml_db *db, const ml_place *p, ml_year_fn fn, void *ud);
    /* A place's largest open, public establishments in each of the NAF
     * classes given: at most per_class of each, biggest size band first,
     * then by SIRET; fn gets the class and the SIRET. */
    ml_err (*place_leaders)(ml_db *db, const ml_place *p, const char *const *classes, size_t n,
                            unsigned per_class, ml_leader_fn fn, void *ud);
    /* Whether the establishments cover a place: its communes of at least
     * `min_population` inhabitants, and how many of them have at least one. */
    ml_err (*place_coverage)(ml_db *db, const ml_place *p, int64_t min_population,
                             int64_t *communes, int64_t *covered);
    /* ---- history (lib/history, issue 11): rows in creation order (id).
     * contact_put: id 0 inserts and sets c->id, else updates the contact's
     * fields (updated now, updated_by c->author; ML_NOTFOUND if none);
     * contact_touch marks a contact updated now; contact_delete removes it
     * and its links from interactions; followup_done sets or clears done
     * (ML_NOTFOUND if none); erasure_put keeps the trace of an erasure;
     * etab_changes lists an establishment's changes by import, oldest first;
     * verdict_put_by writes a verdict with its org and author id;
     * verdict_rows: every verdict of an establishment, oldest first. */
    ml_err (*contact_put)(ml_db *db, ml_contact_row *c);
    ml_err (*contact_touch)(ml_db *db, int64_t id);
    ml_err (*contact_delete)(ml_db *db, int64_t id);
    ml_err (*contacts)(ml_db *db, const ml_hist_query *q, ml_contact_fn fn, void *ud);
    ml_err (*interaction_put)(ml_db *db, ml_interaction_row *i);
    ml_err (*interactions)(ml_db *db, const ml_hist_query *q, ml_interaction_fn fn, void *ud);
    ml_err (*followup_put)(ml_db *db, ml_followup_row *f);
    ml_err (*followup_done)(ml_db *db, int64_t id, bool done);
    ml_err (*followups)(ml_db *db, const ml_hist_query *q, ml_followup_fn fn, void *ud);
    ml_err (*document_put)(ml_db *db, const ml_document_row *d);
    ml_err (*documents)(ml_db *db, const ml_hist_query *q, ml_document_fn fn, void *ud);
    ml_err (*erasure_put)(ml_db *db, int64_t org, int64_t author_id, const char *author,
                          const char *what);
    ml_err (*erasures)(ml_db *db, ml_erasure_fn fn, void *ud); /* oldest first */
    ml_err (*etab_changes)(ml_db *db, int64_t siret, ml_change_fn fn, void *ud);
    ml_err (*verdict_put_by)(ml_db *db, const ml_verdict_by *v);
    ml_err (*verdict_rows)(ml_db *db, int64_t siret, ml_verdict_by_fn fn, void *ud);
    /* ---- end of history slots */
    /* ---- needs (lib/needs, issue 12 part 6): need_put inserts a row and
     * sets n->id; needs lists a subject's rows, oldest first. */
    ml_err (*need_put)(ml_db *db, ml_need_row *n);
    ml_err (*needs)(ml_db *db, const char *subject, ml_need_fn fn, void *ud);
    /* ---- end of needs slots */
    /* Accounts (lib/account): runs one of the statements above; fn gets each
     * row (may be NULL), *changed (may be NULL) the rows a write changed. */
    ml_err (*account_sql)(ml_db *db, ml_acct_sql id, const ml_sql_arg *args, size_t nargs,
                          ml_text_row_fn fn, void *ud, int64_t *changed);
    /* ---- programmes (lib/programme, issue 13): runs one of the statements
     * of ml_prog_sql, as account_sql does (rows as text, fn may be NULL). */
    ml_err (*programme_sql)(ml_db *db, ml_prog_sql id, const ml_sql_arg *args, size_t nargs,
                            ml_text_row_fn fn, void *ud, int64_t *changed);
    /* ---- end of programme slots */
    /* Events (lib/event, issue 14): runs one of the event statements, as
     * account_sql does. */
    ml_err (*event_sql)(ml_db *db, ml_event_sql id, const ml_sql_arg *args, size_t nargs,
                        ml_text_row_fn fn, void *ud, int64_t *changed);
} ml_store_backend;

struct ml_db {
    ml_ctx *ctx;
    const ml_store_backend *be;
    void *impl; /* the backend's state */
    char *path;
    /* The search lexicon, built on first use (lib/search), which also sets
     * the function that frees it when the database closes. */
    struct ml_lexicon *lexicon;
    void (*lexicon_free)(struct ml_lexicon *lexicon);
    /* The territory summaries last built (lib/territory), freed by its own
     * function when the database closes. */
    void *territory_cache;
    void (*territory_cache_free)(void *cache);
};

extern const ml_store_backend ml_sqlite_backend;
/* PostgreSQL (lib/store/pg.c): selected by a postgresql:// or postgres:// URL. */
extern const ml_store_backend ml_pg_backend;

/* The facade's argument checks, for the engine's folders that call a backend
 * directly (ML_OK, or ML_INVALID with a message saying what is expected). */
ml_err ml_store_check_territory(ml_db *db, const char *code);
ml_err ml_store_check_naf(ml_db *db, const char *code); /* NULL is fine */
/* A perimeter's code: ti-RRNN, ti1-RRNN or p-NAME (a-z, 0-9, '-'). */
#define ML_PERIMETER_CODE_MAX 40
bool ml_perimeter_code_shape(const char *code);

#endif
