/* texts.c — how well two companies' declared needs and offers meet: the
 * share of one's words, weighted by BM25's idf among the other side's
 * profiles, that the other's text contains (docs/methods.md, "Declared
 * needs and offers"). The backend gives the indexed words and the
 * candidates (store.h: profile_words, profile_df, profile_candidates). */
#include <math.h>

#include "match/match.h"
#include "search/text.h"
#include "store/store.h"

#define MAX_TERMS      64   /* distinct words of one profile side that count */
#define MAX_CANDIDATES 1000 /* profiles compared, best first */

typedef struct term {
    const char *w;
    size_t n;
    double idf;
} term;

typedef struct scoring {
    term terms[MAX_TERMS];
    size_t nterms;
    double idf_sum;
    ml_text *text;
    const char *raw; /* self's words as written, folded */
    json_t *list;
} scoring;

static bool has_word(const char *text, const char *w, size_t n)
{
    for (const char *p = text; *p;) {
        size_t k = strcspn(p, " ");
        if (k == n && memcmp(p, w, n) == 0) return true;
        p += k + (p[k] == ' ');
    }
    return false;
}

/* The first word of `raw` (folded, unstemmed words) whose stem is `stem`,
 * else the stem itself. */
static json_t *display_word(ml_text *t, const char *raw, const char *stem, size_t n)
{
    ml_buf b;
    ml_buf_init(&b, 256);
    for (const char *p = raw; *p;) {
        size_t k = strcspn(p, " ");
        ml_buf_reset(&b);
        ml_text_fold(t, &b, p, k, ML_FOLD_STEM | ML_FOLD_KEEP_STOP);
        if (!ml_buf_failed(&b) && b.len == n && memcmp(b.data, stem, n) == 0) {
            ml_buf_release(&b);
            return json_stringn(p, k);
        }
        p += k + (p[k] == ' ');
    }
    ml_buf_release(&b);
    return json_stringn(stem, n);
}

static int add_candidate(void *ud, int64_t siret, const char *stems)
{
    scoring *s = ud;
    json_t *matched = json_array();
    if (!matched) return 1;
    double got = 0;
    for (size_t i = 0; i < s->nterms; i++) {
        if (!has_word(stems, s->terms[i].w, s->terms[i].n)) continue;
        got += s->terms[i].idf;
        if (json_array_append_new(matched,
                                  display_word(s->text, s->raw, s->terms[i].w, s->terms[i].n))) {
            json_decref(matched);
            return 1;
        }
    }
    char id[ML_SIRET_SIZE];
    ml_siret_format(siret, id);
    return json_array_append_new(s->list, json_pack("{s:s, s:f, s:o}", "siret", id, "similarity",
                                                    got / s->idf_sum, "words", matched));
}

/* Establishments whose offers (for suppliers) or needs (for customers) hold
 * words of self's needs (or offers), with the idf-weighted share of self's
 * words they hold: [{"siret", "similarity", "words": [as self wrote them]}]. */
ml_err ml_profile_matches(ml_db *db, int64_t self, bool customers, json_t **out)
{
    bool mine = !customers, theirs = customers; /* needs = true */
    scoring s = {.list = json_array(), .text = ml_text_new()};
    ml_buf words, raw, folded, query;
    ml_buf_init(&words, 1 << 20);
    ml_buf_init(&raw, 1 << 20);
    ml_buf_init(&folded, 1 << 20);
    ml_buf_init(&query, 1 << 20);
    ml_err r = ML_OK;
    int64_t ndocs = 0;
    *out = NULL;
    if (!s.list || !s.text) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    if ((r = db->be->profile_words(db, self, mine, &words, &raw)) || words.len == 0 ||
        (r = db->be->profile_df(db, theirs, NULL, 0, &ndocs)) || ndocs <= 0)
        goto out;
    ml_text_fold(s.text, &folded, ml_buf_cstr(&raw), raw.len, 0);
    if (ml_buf_failed(&folded)) {
        r = ml_fail(db->ctx, ML_LIMIT, "profile text longer than 1 MiB folded");
        goto out;
    }
    s.raw = ml_buf_cstr(&folded);
    /* Unique words of self, each with its idf among the other side's texts. */
    for (const char *p = ml_buf_cstr(&words); *p && s.nterms < MAX_TERMS;) {
        size_t n = strcspn(p, " ");
        bool seen = false;
        for (size_t i = 0; i < s.nterms; i++)
            if (s.terms[i].n == n && memcmp(s.terms[i].w, p, n) == 0) seen = true;
        if (!seen && n) {
            int64_t df = 0;
            if ((r = db->be->profile_df(db, theirs, p, n, &df))) goto out;
            /* BM25's idf (the variant that stays positive). */
            double idf = log(((double)ndocs - (double)df + 0.5) / ((double)df + 0.5) + 1.0);
            s.terms[s.nterms++] = (term){p, n, idf};
            s.idf_sum += idf;
            if (df > 0) ml_buf_addf(&query, "%s%.*s", query.len ? " " : "", (int)n, p);
        }
        p += n + (p[n] == ' ');
    }
    if (ml_buf_failed(&query))
        r = ml_fail(db->ctx, ML_LIMIT, "profile words too long for a query");
    else if (query.len && s.idf_sum > 0)
        r = db->be->profile_candidates(db, theirs, ml_buf_cstr(&query), self, MAX_CANDIDATES,
                                       add_candidate, &s);
out:
    ml_buf_release(&words);
    ml_buf_release(&raw);
    ml_buf_release(&folded);
    ml_buf_release(&query);
    ml_text_free(s.text);
    if (r) json_decref(s.list);
    else *out = s.list;
    return r;
}
