/* store.h — the storage facade: domain records and the table of functions a
 * backend implements (SQLite now; PostgreSQL later behind the same table).
 * The engine talks to storage only through db->be. */
#ifndef ML_STORE_H
#define ML_STORE_H

#include "core/core.h"

/* Reference tables loaded by ml_db_init(), in load order. */
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
typedef int (*ml_map_name_fn)(void *ud, int64_t siret, const char *name);

/* One row of a reference table, its fields in the table's column order;
 * return non-zero to stop. */
typedef int (*ml_row_fn)(void *ud, const char *const *fields, size_t n);
/* Completions of a word being typed: return non-zero to stop. */
typedef int (*ml_word_fn)(void *ud, const char *word);

struct ml_plan;
struct ml_lexicon;

/* Memberships: a SIRET and a group key ("network:NAME", "label:folded words"). */
typedef void (*ml_member_fn)(void *ud, int64_t siret, const char *group);

typedef struct ml_store_backend {
    const char *name;
    ml_err (*open)(ml_db *db, const char *path, unsigned flags);
    void (*close)(ml_db *db);
    ml_err (*begin)(ml_db *db);
    ml_err (*commit)(ml_db *db);
    void (*rollback)(ml_db *db);
    /* Switches to (on) and from (off) the storage mode best for a long write;
     * called outside any transaction. */
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
     * run's counts (st->added, modified, closed, unchanged). */
    ml_err (*run_begin)(ml_db *db, const char *kind, int64_t *run);
    ml_err (*run_end)(ml_db *db, int64_t run, const ml_import_stats *st);
    ml_err (*etab_put)(ml_db *db, int64_t run, const ml_etab *e, ml_put_result *res);
    ml_err (*unite_put)(ml_db *db, int64_t run, const ml_unite *u, ml_put_result *res);
    /* Reads, returned as JSON owned by the caller. */
    ml_err (*info)(ml_db *db, json_t **out);
    /* Runs a search plan (lib/search/search.h): {"total", "total_exact",
     * "results", "facets"?}. */
    ml_err (*search)(ml_db *db, const struct ml_plan *plan, json_t **out);
    /* Indexed words of names and communes that start with `prefix`, most
     * frequent first, at most `max`. */
    ml_err (*word_complete)(ml_db *db, const char *prefix, unsigned max, ml_word_fn fn, void *ud);
    ml_err (*show)(ml_db *db, int64_t siret, json_t **out);
    ml_err (*territory)(ml_db *db, const char *code, json_t **out);
    /* Matching: the snapshot's rows, memberships, the sectors and links of
     * the NAF class table (sectors sorted by code, then links, general inputs
     * and goods for resale; *year its year), INSEE's A38 table of the latest
     * year as JSON (the A38 baseline of bench/quality), profiles, verdicts,
     * networks. */
    ml_err (*snapshot_scan)(ml_db *db, ml_snapshot_row_fn fn, void *ud);
    ml_err (*memberships)(ml_db *db, ml_member_fn fn, void *ud);
    ml_err (*io_classes)(ml_db *db, const ml_io_sink *sink, int *year);
    ml_err (*io_table)(ml_db *db, json_t **out);
    ml_err (*brief)(ml_db *db, int64_t siret, json_t **out);
    ml_err (*profile_put)(ml_db *db, int64_t run, const ml_profile *p, ml_put_result *res);
    ml_err (*profile_matches)(ml_db *db, int64_t siret, bool customers, json_t **out);
    ml_err (*verdict_put)(ml_db *db, int64_t supplier, int64_t buyer, const char *verdict,
                          const char *note, const char *author);
    ml_err (*verdicts)(ml_db *db, int64_t siret, json_t **out);
    ml_err (*network_put)(ml_db *db, const char *name, const int64_t *sirets, size_t n);
    ml_err (*network_get)(ml_db *db, const char *name, json_t **out);
    ml_err (*network_list)(ml_db *db, json_t **out);
    ml_err (*profile_texts)(ml_db *db, json_t **out);
    /* For the web. */
    ml_err (*company)(ml_db *db, int64_t siren, json_t **out);
    ml_err (*territory_children)(ml_db *db, const char *parent, json_t **out);
    ml_err (*map_points)(ml_db *db, const char *code, const char *naf, unsigned limit,
                         json_t **out);
    /* The rows a map may place in a territory (its description in *territory,
     * owned by the caller), and the display names of some of them. */
    ml_err (*map_rows)(ml_db *db, const char *code, json_t **territory, ml_map_row_fn fn, void *ud);
    ml_err (*map_names)(ml_db *db, const int64_t *sirets, size_t n, ml_map_name_fn fn, void *ud);
    /* Demo generation reads the reference data through these. */
    ml_err (*territory_communes)(ml_db *db, const char *code, json_t **out);
    ml_err (*naf_table)(ml_db *db, json_t **out);
    ml_err (*naf_sample)(ml_db *db, json_t **out);
} ml_store_backend;

struct ml_db {
    ml_ctx *ctx;
    const ml_store_backend *be;
    void *impl; /* the backend's state */
    char *path;
    struct ml_lexicon *lexicon; /* the search lexicon, built on first use (lib/search) */
};

extern const ml_store_backend ml_sqlite_backend;

/* The facade's argument checks, for the engine's folders that call a backend
 * directly (ML_OK, or ML_INVALID with a message saying what is expected). */
ml_err ml_store_check_territory(ml_db *db, const char *code);
ml_err ml_store_check_naf(ml_db *db, const char *code); /* NULL is fine */

#endif
