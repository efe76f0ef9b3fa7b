/* search.h — what a search means, above any backend. The lexicon (built once
 * per database handle from the reference tables) knows the NAF sub-classes,
 * the trade words that stand for them (NAF labels at every level, the
 * curated and user vocabulary, NACE-BEL activity descriptions) and the names
 * of communes, EPCI, départements and régions with their postcodes. A query
 * becomes a plan: identifiers and postcodes recognised, names in filters
 * turned into codes, each word or phrase with the trades it stands for. The
 * backend runs the plan; nothing here knows SQL. */
#ifndef ML_SEARCH_H
#define ML_SEARCH_H

#include "core/core.h"
#include "store/store.h"

/* ---------------------------------------------------------- sets of trades */

#define ML_NAF_MAX 768 /* NAF rév. 2 has 732 sub-classes */

/* A set of NAF sub-classes, by their index in the lexicon (codes sorted). */
typedef struct ml_naf_set {
    uint64_t w[ML_NAF_MAX / 64];
} ml_naf_set;

static inline void ml_naf_set_add(ml_naf_set *s, unsigned i)
{
    s->w[i / 64] |= UINT64_C(1) << (i % 64);
}
static inline bool ml_naf_set_has(const ml_naf_set *s, unsigned i)
{
    return (s->w[i / 64] >> (i % 64)) & 1;
}
void ml_naf_set_and(ml_naf_set *a, const ml_naf_set *b);
void ml_naf_set_or(ml_naf_set *a, const ml_naf_set *b);
void ml_naf_set_minus(ml_naf_set *a, const ml_naf_set *b);
unsigned ml_naf_set_count(const ml_naf_set *s);
bool ml_naf_set_empty(const ml_naf_set *s);
bool ml_naf_set_equal(const ml_naf_set *a, const ml_naf_set *b);

/* ----------------------------------------------------------------- lexicon */

typedef struct ml_lexicon ml_lexicon;

/* The lexicon of `db`, built on first use and rebuilt when the reference data
 * or the vocabulary changed (a meta value says so). Owned by db; valid until
 * the next call on db. */
ml_err ml_lexicon_get(ml_db *db, ml_lexicon **out);
void ml_lexicon_free(ml_lexicon *lex);

size_t ml_lexicon_naf_count(const ml_lexicon *lex);
/* Sub-class code of index i ("25.62A"), its label, and its code at a level:
 * 0 class, 1 group, 2 A129, 3 division, 4 A64, 5 A38, 6 section, 7 A10. */
const char *ml_lexicon_naf_code(const ml_lexicon *lex, unsigned i);
const char *ml_lexicon_naf_label(const ml_lexicon *lex, unsigned i);
const char *ml_lexicon_naf_level(const ml_lexicon *lex, unsigned i, int level);
/* Index of a sub-class code, or -1. */
int ml_lexicon_naf_index(const ml_lexicon *lex, const char *code);

/* The set a NAF code of any level stands for (sub-class, class, group,
 * division, section, A10/A38/A64/A129); false if unknown. */
bool ml_lexicon_naf_code_set(const ml_lexicon *lex, const char *code, ml_naf_set *out);

/* Writes a set as few codes as possible: whole sections ("C"), whole
 * divisions ("25"), then sub-classes ("25.62A"); fn(ud, level, code) with
 * level 'S' section, 'D' division, 'N' sub-class. Returns non-zero if fn did. */
int ml_lexicon_set_codes(const ml_lexicon *lex, const ml_naf_set *set,
                         int (*fn)(void *ud, char level, const char *code), void *ud);

/* ------------------------------------------------------- names and codes */

/* What a filter or a suggestion box is about. */
enum { ML_KIND_COMMUNE, ML_KIND_EPCI, ML_KIND_DEPARTEMENT, ML_KIND_REGION, ML_KIND_NAF };
/* "commune", "epci", "departement" (or "dep"), "region", "naf"; -1 if none. */
int ml_place_kind(const char *name);

/* Suggestions for a box while one types: [{code, label, detail}] best first
 * (communes by name, code or postcode, biggest first; EPCI, départements,
 * régions by name or code; NAF codes by prefix, labels and trade words). */
json_t *ml_lexicon_suggest(ml_lexicon *lex, int kind, const char *text, unsigned limit);

/* The codes a filter value stands for: a code, a postcode (the communes of
 * that postcode, up to max) or a name (the only place of that name, or the
 * only one matching). A name of several places, or none, is an ML_INVALID
 * error whose message lists the candidates with their codes. */
ml_err ml_lexicon_resolve_place(ml_db *db, ml_lexicon *lex, int kind, const char *value,
                                char codes[][10], size_t max, size_t *ncodes);
/* The trades a NAF field value stands for: a code of any level, a NAF label
 * or a vocabulary word ("chaudronnerie"). `shown` receives what it matched. */
ml_err ml_lexicon_resolve_naf(ml_db *db, ml_lexicon *lex, const char *value, ml_naf_set *out,
                              char *shown, size_t size);

/* Vocabulary entries nearest to the words of `text` (edit distance, or a
 * word that starts the entry): [{term, naf, distance}], at most `limit`. */
json_t *ml_lexicon_nearest(ml_lexicon *lex, const char *text, unsigned limit);

/* ------------------------------------------------------------------ a plan */

#define ML_TERMS_MAX    8   /* words and phrases of a query that are used */
#define ML_TERM_TEXT    256 /* bytes of a term's folded words */
#define ML_COMMUNES_MAX 64  /* communes a postcode or a name may stand for */

/* One word or phrase of the query. It matches an establishment whose name or
 * commune holds its words, or whose NAF sub-class is among its trades. */
typedef struct ml_term {
    char shown[ML_TERM_TEXT];  /* as typed */
    char folded[ML_TERM_TEXT]; /* folded, stemmed words, space-separated */
    char prefix[64];           /* the last word while typed: folded, not stemmed; "" if none */
    bool phrase;               /* a vocabulary phrase ("traitement de surface") */
    ml_naf_set strong;         /* trades of its own labels and of the curated vocabulary */
    ml_naf_set all;            /* and of wider labels and activity descriptions */
    /* The sub-classes whose own label has the word (a single, whole word):
     * a backend may read them from an index of labels instead of the set. */
    ml_naf_set activity;
    bool activity_shortcut;
} ml_term;

typedef struct ml_plan {
    ml_term terms[ML_TERMS_MAX];
    size_t nterms;
    /* Filters, all codes. Communes: any of them (a postcode stands for several). */
    char communes[ML_COMMUNES_MAX][6];
    size_t ncommunes;
    char epci[10], departement[4], region[4];
    bool has_naf;
    ml_naf_set naf;
    const char *size_min;
    bool active_only;
    /* An identifier typed in the box: the establishment, or the company's. */
    int64_t siret, siren;
    unsigned limit, offset;
    bool facets;
    ml_lexicon *lex;
} ml_plan;

/* One way a plan's terms can match (the plan's AND of "text or trade",
 * written as an OR of clauses): the terms in `by_trade` match by trade, the
 * others by text; `trades` is the intersection of their sets and of the NAF
 * filter (empty clauses are never given). `activity_term` >= 0 when the
 * clause's trades are that single term's `all`/`strong` set and may be read
 * as its activity word plus `trades` minus its activity set. */
typedef struct ml_clause {
    unsigned by_trade; /* bit i: term i matches by trade */
    ml_naf_set trades;
    bool has_trades; /* false: no trade condition (no term by trade, no NAF filter) */
    int activity_term;
} ml_clause;

/* Builds the plan of a query: the lexicon of db, the identifiers and
 * postcodes of the text, its words and phrases with their trades, the
 * filters as codes. *interpretation (the caller's) says what was understood:
 * {"siret"|"siren"|"postcode"|"commune_code", "terms": [...], "filters": {...}}. */
ml_err ml_plan_build(ml_db *db, const ml_search_query *q, ml_plan *plan, json_t **interpretation);

/* Tiers of the result order: 1 names (every term in the name), 2 own labels
 * and vocabulary, 3 wider labels and activity descriptions. */
enum { ML_TIER_NAME = 1, ML_TIER_STRONG = 2, ML_TIER_ALL = 3 };

/* Calls fn for each clause of `tier` (2 or 3); returns what fn returned if
 * non-zero. With more than ML_CLAUSE_TERMS terms, one clause per term
 * would be too many: fn then gets a single clause with by_trade = ~0u,
 * meaning "each term by text or by its own set" (not distributed). */
#define ML_CLAUSE_TERMS 4
int ml_plan_clauses(const ml_plan *plan, int tier, int (*fn)(void *ud, const ml_clause *c),
                    void *ud);
/* True when tier 3 differs from tier 2 (some term has wider trades). */
bool ml_plan_has_wider(const ml_plan *plan);

#endif
