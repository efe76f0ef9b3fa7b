/* lexicon_impl.h — the lexicon's insides, shared by lexicon.c (trades),
 * places.c (names, postcodes, suggestions) and plan.c (queries). */
#ifndef ML_LEXICON_IMPL_H
#define ML_LEXICON_IMPL_H

#include "search/search.h"
#include "search/text.h"

#define LEX_LEVELS 8 /* class, group, A129, division (A88), A64, A38, section (A21), A10 */
enum { LEX_CLASS, LEX_GROUP, LEX_A129, LEX_A88, LEX_A64, LEX_A38, LEX_A21, LEX_A10 };

typedef struct lex_naf {
    char code[8];
    char level[LEX_LEVELS][6];
    char *label;
} lex_naf;

/* A folded, stemmed word and the trades it stands for. */
typedef struct lex_word {
    char *word;
    ml_naf_set activity; /* sub-classes whose own label has it */
    ml_naf_set strong;   /* and class labels, curated and user vocabulary */
    ml_naf_set all;      /* and group, division, section labels, NACE-BEL descriptions */
} lex_word;

/* A phrase of the curated or user vocabulary ("trait surfac"). */
typedef struct lex_phrase {
    char *words; /* folded, stemmed, space-separated */
    size_t nwords;
    ml_naf_set set;
} lex_phrase;

enum { LEX_SOURCE_NAF, LEX_SOURCE_VOCABULARY, LEX_SOURCE_USER };

/* A named trade: a vocabulary entry or a NAF label of any level; what the
 * nearest trades and the NAF field's names are chosen from. */
typedef struct lex_entry {
    char *shown; /* as written */
    char *key;   /* folded, not stemmed, stop words dropped */
    char *codes; /* "25.62" or "25.29Z 25.11Z 33.11Z" */
    ml_naf_set set;
    int source;
} lex_entry;

enum { PLACE_COMMUNE, PLACE_EPCI, PLACE_DEPARTEMENT, PLACE_REGION, PLACE_KINDS };

typedef struct lex_place {
    char code[10];
    char dep[4];
    char *name;
    char *key; /* folded, not stemmed, stop words kept: "aix en provence" */
    int64_t population;
    bool current; /* a current commune (COM) or arrondissement (ARM), not a former one */
} lex_place;

typedef struct lex_postcode {
    char code[6];
    uint32_t commune; /* index in places[PLACE_COMMUNE] */
} lex_postcode;

struct ml_lexicon {
    char version[64];
    ml_text *text;
    lex_naf *naf;
    size_t nnaf;
    lex_word *words; /* sorted by word */
    size_t nwords;
    lex_phrase *phrases;
    size_t nphrases, capphrases;
    lex_entry *entries;
    size_t nentries, capentries;
    lex_place *places[PLACE_KINDS]; /* sorted by code */
    size_t nplaces[PLACE_KINDS];
    lex_postcode *postcodes; /* sorted by code */
    size_t npostcodes;
};

char *lex_fold(ml_lexicon *lex, const char *in, unsigned flags);
const lex_word *lex_word_find(const ml_lexicon *lex, const char *word);
/* First index of the words starting with `prefix`, their number in *count. */
size_t lex_word_prefix(const ml_lexicon *lex, const char *prefix, size_t *count);

int lex_entry_add(ml_lexicon *lex, const char *shown, const char *codes, const ml_naf_set *set,
                  int source);
void lex_entries_sort(ml_lexicon *lex);
void lex_entries_free(ml_lexicon *lex);

ml_err lex_places_load(ml_db *db, ml_lexicon *lex);
void lex_places_free(ml_lexicon *lex);
const lex_place *lex_place_find(const ml_lexicon *lex, int kind, const char *code);
/* The communes of a postcode: first index in lex->postcodes and the count. */
size_t lex_postcode_find(const ml_lexicon *lex, const char *code, size_t *count);

/* Levenshtein distance of two short ASCII strings (capped at 64 bytes each). */
unsigned lex_distance(const char *a, const char *b);

#endif
