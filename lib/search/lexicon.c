/* lexicon.c — the search lexicon of one database handle: NAF sub-classes and
 * the trade words that stand for them, place names and postcodes, built
 * from the reference tables through the backend's ref_scan. */
#include "search/lexicon_impl.h"

/* A word standing for more sub-classes than this is generic ("fabrication",
 * "autres"): it keeps the meaning of the sub-class labels that hold it and
 * nothing more. A word found in the wider labels and descriptions of more
 * sub-classes than WIDE_TRADES beyond its own ("vente", "articles") keeps
 * only its own trades. */
#define GENERIC_TRADES 150
#define WIDE_TRADES    40

/* ------------------------------------------------------------------ sets */

void ml_naf_set_and(ml_naf_set *a, const ml_naf_set *b)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(a->w); i++)
        a->w[i] &= b->w[i];
}

void ml_naf_set_or(ml_naf_set *a, const ml_naf_set *b)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(a->w); i++)
        a->w[i] |= b->w[i];
}

void ml_naf_set_minus(ml_naf_set *a, const ml_naf_set *b)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(a->w); i++)
        a->w[i] &= ~b->w[i];
}

unsigned ml_naf_set_count(const ml_naf_set *s)
{
    unsigned n = 0;
    for (size_t i = 0; i < ML_ARRAY_LEN(s->w); i++)
        n += (unsigned)__builtin_popcountll(s->w[i]);
    return n;
}

bool ml_naf_set_empty(const ml_naf_set *s)
{
    for (size_t i = 0; i < ML_ARRAY_LEN(s->w); i++)
        if (s->w[i]) return false;
    return true;
}

bool ml_naf_set_equal(const ml_naf_set *a, const ml_naf_set *b)
{
    return memcmp(a->w, b->w, sizeof a->w) == 0;
}

/* --------------------------------------------------------------- helpers */

/* Folds `in` into a fresh string (NULL when out of memory or longer than
 * 8 KiB folded). */
char *lex_fold(ml_lexicon *lex, const char *in, unsigned flags)
{
    ml_buf b;
    ml_buf_init(&b, 8192);
    if (in) ml_text_fold(lex->text, &b, in, strlen(in), flags);
    char *r = ml_buf_failed(&b) ? NULL : ml_strdup(ml_buf_cstr(&b));
    ml_buf_release(&b);
    return r;
}

static int cmp_naf(const void *a, const void *b)
{
    return strcmp(((const lex_naf *)a)->code, ((const lex_naf *)b)->code);
}

int ml_lexicon_naf_index(const ml_lexicon *lex, const char *code)
{
    if (!code) return -1;
    lex_naf key;
    ml_snprintf(key.code, sizeof key.code, "%s", code);
    const lex_naf *f = bsearch(&key, lex->naf, lex->nnaf, sizeof key, cmp_naf);
    return f ? (int)(f - lex->naf) : -1;
}

size_t ml_lexicon_naf_count(const ml_lexicon *lex)
{
    return lex->nnaf;
}

const char *ml_lexicon_naf_code(const ml_lexicon *lex, unsigned i)
{
    return i < lex->nnaf ? lex->naf[i].code : "";
}

const char *ml_lexicon_naf_label(const ml_lexicon *lex, unsigned i)
{
    return i < lex->nnaf && lex->naf[i].label ? lex->naf[i].label : "";
}

const char *ml_lexicon_naf_level(const ml_lexicon *lex, unsigned i, int level)
{
    return i < lex->nnaf && level >= 0 && level < LEX_LEVELS ? lex->naf[i].level[level] : "";
}

bool ml_lexicon_naf_code_set(const ml_lexicon *lex, const char *code, ml_naf_set *out)
{
    memset(out, 0, sizeof *out);
    if (!code || !*code) return false;
    char c[8];
    ml_snprintf(c, sizeof c, "%s", code);
    for (char *p = c; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
    bool found = false;
    for (size_t i = 0; i < lex->nnaf; i++) {
        bool in = strcmp(lex->naf[i].code, c) == 0;
        for (int l = 0; l < LEX_LEVELS && !in; l++)
            in = strcmp(lex->naf[i].level[l], c) == 0;
        if (in) ml_naf_set_add(out, (unsigned)i), found = true;
    }
    return found;
}

int ml_lexicon_set_codes(const ml_lexicon *lex, const ml_naf_set *set,
                         int (*fn)(void *ud, char level, const char *code), void *ud)
{
    ml_naf_set left = *set;
    /* Whole sections, then whole divisions (sub-classes are sorted, so a
     * section or a division is a run of indexes). */
    static const struct {
        int level;
        char tag;
    } levels[] = {{LEX_A21, 'S'}, {LEX_A88, 'D'}};
    for (size_t l = 0; l < ML_ARRAY_LEN(levels); l++) {
        for (size_t i = 0; i < lex->nnaf;) {
            const char *code = lex->naf[i].level[levels[l].level];
            size_t j = i;
            bool whole = true;
            while (j < lex->nnaf && strcmp(lex->naf[j].level[levels[l].level], code) == 0) {
                if (!ml_naf_set_has(&left, (unsigned)j)) whole = false;
                j++;
            }
            if (whole && *code) {
                int r = fn(ud, levels[l].tag, code);
                if (r) return r;
                for (size_t k = i; k < j; k++)
                    left.w[k / 64] &= ~(UINT64_C(1) << (k % 64));
            }
            i = j;
        }
    }
    for (size_t i = 0; i < lex->nnaf; i++)
        if (ml_naf_set_has(&left, (unsigned)i)) {
            int r = fn(ud, 'N', lex->naf[i].code);
            if (r) return r;
        }
    return 0;
}

/* ------------------------------------------------------------- building */

typedef struct build {
    ml_lexicon *lex;
    ml_db *db;
    /* (word, document) pairs, merged into lex->words at the end */
    struct pair {
        char *word;
        uint32_t doc;
    } * pairs;
    size_t npairs, cappairs;
    struct doc {
        ml_naf_set set;
        unsigned char kind; /* DOC_* */
    } * docs;
    size_t ndocs, capdocs;
    ml_err err;
} build;

enum { DOC_ACTIVITY = 1, DOC_STRONG = 2, DOC_WIDE = 4 };

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return 0;
    size_t c = *cap ? *cap * 2 : 1024;
    void *q = realloc(*p, c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Adds a document (a label or a description) standing for `set`: each of
 * its folded, stemmed words becomes a pair. */
static int add_doc(build *B, const char *text, const ml_naf_set *set, unsigned char kind)
{
    if (ml_naf_set_empty(set) || !text || !*text) return 0;
    char stripped[1024];
    ml_text_strip_exclusions(text, stripped, sizeof stripped);
    char *folded = lex_fold(B->lex, stripped, ML_FOLD_STEM);
    if (!folded) return -1;
    if (grow((void **)&B->docs, &B->capdocs, B->ndocs, sizeof *B->docs)) {
        free(folded);
        return -1;
    }
    uint32_t d = (uint32_t)B->ndocs++;
    B->docs[d].set = *set;
    B->docs[d].kind = kind;
    for (char *w = folded; *w;) {
        size_t n = strcspn(w, " ");
        if (grow((void **)&B->pairs, &B->cappairs, B->npairs, sizeof *B->pairs)) {
            free(folded);
            return -1;
        }
        char *word = malloc(n + 1);
        if (!word) {
            free(folded);
            return -1;
        }
        memcpy(word, w, n);
        word[n] = '\0';
        B->pairs[B->npairs].word = word;
        B->pairs[B->npairs].doc = d;
        B->npairs++;
        w += n + (w[n] == ' ');
    }
    free(folded);
    return 0;
}

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->word, ((const struct pair *)b)->word);
}

static int merge_words(build *B)
{
    ml_lexicon *lex = B->lex;
    qsort(B->pairs, B->npairs, sizeof *B->pairs, cmp_pair);
    lex->words = calloc(B->npairs ? B->npairs : 1, sizeof *lex->words);
    if (!lex->words) return -1;
    for (size_t i = 0; i < B->npairs;) {
        lex_word *w = &lex->words[lex->nwords++];
        w->word = B->pairs[i].word;
        B->pairs[i].word = NULL;
        size_t j = i;
        for (; j < B->npairs && strcmp(B->pairs[j].word ? B->pairs[j].word : w->word, w->word) == 0;
             j++) {
            const struct doc *d = &B->docs[B->pairs[j].doc];
            if (d->kind & DOC_ACTIVITY) ml_naf_set_or(&w->activity, &d->set);
            if (d->kind & (DOC_ACTIVITY | DOC_STRONG)) ml_naf_set_or(&w->strong, &d->set);
            ml_naf_set_or(&w->all, &d->set);
        }
        for (size_t k = i + 1; k < j; k++) {
            free(B->pairs[k].word);
            B->pairs[k].word = NULL;
        }
        ml_naf_set wider = w->all;
        ml_naf_set_minus(&wider, &w->strong);
        if (ml_naf_set_count(&w->all) > GENERIC_TRADES)
            w->all = w->strong = w->activity;
        else if (ml_naf_set_count(&wider) > WIDE_TRADES)
            w->all = w->strong;
        i = j;
    }
    return 0;
}

/* Row callbacks of ref_scan. */

static int row_naf(void *ud, const char *const *f, size_t n)
{
    build *B = ud;
    ml_lexicon *lex = B->lex;
    if (n < 10 || !f[0] || lex->nnaf >= ML_NAF_MAX) return 0;
    lex_naf *x = &lex->naf[lex->nnaf++];
    ml_snprintf(x->code, sizeof x->code, "%s", f[0]);
    x->label = ml_strdup(f[1] ? f[1] : "");
    for (int l = 0; l < LEX_LEVELS; l++)
        ml_snprintf(x->level[l], sizeof x->level[l], "%s", f[2 + l] ? f[2 + l] : "");
    return x->label ? 0 : 1;
}

static int row_level(void *ud, const char *const *f, size_t n)
{
    build *B = ud;
    if (n < 3 || !f[0] || !f[1] || !f[2]) return 0;
    /* class and A129 labels are as narrow as the sub-class's own; group,
     * division and section labels are wider. */
    static const struct {
        const char *name;
        unsigned char kind;
    } levels[] = {{"class", DOC_STRONG},
                  {"group", DOC_WIDE},
                  {"A129", DOC_WIDE},
                  {"A88", DOC_WIDE},
                  {"A21", DOC_WIDE}};
    for (size_t i = 0; i < ML_ARRAY_LEN(levels); i++) {
        if (strcmp(f[0], levels[i].name) != 0) continue;
        ml_naf_set set;
        if (!ml_lexicon_naf_code_set(B->lex, f[1], &set)) return 0;
        if (add_doc(B, f[2], &set, levels[i].kind)) return 1;
        if (lex_entry_add(B->lex, f[2], f[1], &set, LEX_SOURCE_NAF)) return 1;
    }
    return 0;
}

/* The set of a vocabulary row's codes ("25.29Z 25.11Z 33.11"); false if none is known. */
static bool codes_set(const ml_lexicon *lex, const char *codes, ml_naf_set *out)
{
    memset(out, 0, sizeof *out);
    bool any = false;
    char buf[512];
    ml_snprintf(buf, sizeof buf, "%s", codes ? codes : "");
    for (char *save = NULL, *c = strtok_r(buf, " ;", &save); c; c = strtok_r(NULL, " ;", &save)) {
        ml_naf_set s;
        if (ml_lexicon_naf_code_set(lex, c, &s)) ml_naf_set_or(out, &s), any = true;
    }
    return any;
}

static int row_vocab(void *ud, const char *const *f, size_t n)
{
    build *B = ud;
    ml_lexicon *lex = B->lex;
    if (n < 4 || !f[0] || !f[1] || !f[3]) return 0;
    ml_naf_set set;
    if (!codes_set(lex, f[1], &set)) return 0;
    if (strcmp(f[3], "nacebel") == 0) return add_doc(B, f[0], &set, DOC_WIDE) ? 1 : 0;
    /* Curated and user entries: one word stands for its trades; a phrase
     * only when all its words are typed together. */
    int source = strcmp(f[3], "user") == 0 ? LEX_SOURCE_USER : LEX_SOURCE_VOCABULARY;
    if (lex_entry_add(lex, f[0], f[1], &set, source)) return 1;
    char *folded = lex_fold(lex, f[0], ML_FOLD_STEM);
    if (!folded) return 1;
    int r = 0;
    if (!*folded) {
        free(folded);
    } else if (!strchr(folded, ' ')) {
        r = add_doc(B, f[0], &set, DOC_STRONG);
        free(folded);
    } else if (grow((void **)&lex->phrases, &lex->capphrases, lex->nphrases,
                    sizeof *lex->phrases)) {
        free(folded);
        r = -1;
    } else {
        lex_phrase *p = &lex->phrases[lex->nphrases++];
        p->words = folded;
        p->nwords = 1;
        for (const char *c = folded; *c; c++)
            p->nwords += *c == ' ';
        p->set = set;
    }
    return r ? 1 : 0;
}

static int row_subclass_docs(build *B)
{
    for (size_t i = 0; i < B->lex->nnaf; i++) {
        ml_naf_set set = {{0}};
        ml_naf_set_add(&set, (unsigned)i);
        if (add_doc(B, B->lex->naf[i].label, &set, DOC_ACTIVITY | DOC_STRONG)) return -1;
        if (lex_entry_add(B->lex, B->lex->naf[i].label, B->lex->naf[i].code, &set, LEX_SOURCE_NAF))
            return -1;
    }
    return 0;
}

void ml_lexicon_free(ml_lexicon *lex)
{
    if (!lex) return;
    for (size_t i = 0; i < lex->nnaf; i++)
        free(lex->naf[i].label);
    free(lex->naf);
    for (size_t i = 0; i < lex->nwords; i++)
        free(lex->words[i].word);
    free(lex->words);
    for (size_t i = 0; i < lex->nphrases; i++)
        free(lex->phrases[i].words);
    free(lex->phrases);
    lex_entries_free(lex);
    lex_places_free(lex);
    ml_text_free(lex->text);
    free(lex);
}

static ml_err lexicon_build(ml_db *db, const char *version, ml_lexicon **out)
{
    *out = NULL;
    ml_lexicon *lex = calloc(1, sizeof *lex);
    build B = {.lex = lex, .db = db};
    ml_err r = ML_OK;
    if (!lex || !(lex->text = ml_text_new()) ||
        !(lex->naf = calloc(ML_NAF_MAX, sizeof *lex->naf))) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    ml_snprintf(lex->version, sizeof lex->version, "%s", version);
    if ((r = db->be->ref_scan(db, ML_REF_NAF, row_naf, &B))) goto out;
    qsort(lex->naf, lex->nnaf, sizeof *lex->naf, cmp_naf);
    if (row_subclass_docs(&B) || (r = db->be->ref_scan(db, ML_REF_NAF_LEVEL, row_level, &B)) ||
        (r = db->be->ref_scan(db, ML_REF_VOCAB, row_vocab, &B)) || merge_words(&B)) {
        if (!r) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    if ((r = lex_places_load(db, lex))) goto out;
    lex_entries_sort(lex);
    *out = lex;
    lex = NULL;
out:
    for (size_t i = 0; i < B.npairs; i++)
        free(B.pairs[i].word);
    free(B.pairs);
    free(B.docs);
    ml_lexicon_free(lex);
    return r;
}

ml_err ml_lexicon_get(ml_db *db, ml_lexicon **out)
{
    char version[64] = "";
    ml_err r = db->be->meta_get(db, "lexicon", version, sizeof version);
    if (r) return r;
    if (db->lexicon && strcmp(db->lexicon->version, version) == 0) {
        *out = db->lexicon;
        return ML_OK;
    }
    ml_lexicon *lex = NULL;
    if ((r = lexicon_build(db, version, &lex))) return r;
    ml_lexicon_free(db->lexicon);
    db->lexicon = lex;
    db->lexicon_free = ml_lexicon_free;
    *out = lex;
    return ML_OK;
}

/* ---------------------------------------------------------------- words */

static int cmp_word_key(const void *key, const void *w)
{
    return strcmp(key, ((const lex_word *)w)->word);
}

const lex_word *lex_word_find(const ml_lexicon *lex, const char *word)
{
    return bsearch(word, lex->words, lex->nwords, sizeof *lex->words, cmp_word_key);
}

size_t lex_word_prefix(const ml_lexicon *lex, const char *prefix, size_t *count)
{
    size_t lo = 0, hi = lex->nwords, n = strlen(prefix);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(lex->words[mid].word, prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < lex->nwords && strncmp(lex->words[end].word, prefix, n) == 0)
        end++;
    *count = end - lo;
    return lo;
}
