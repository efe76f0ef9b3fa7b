/* plan.c — a query typed by a person becomes a plan: a SIRET, a SIREN or a
 * postcode is recognised, names in filters become codes, and each word or
 * vocabulary phrase gets the trades it stands for. */
#include "search/lexicon_impl.h"

/* --------------------------------------------------------- identifiers */

static bool is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return n > 0;
}

typedef struct token {
    const char *s;
    size_t n;
    bool used; /* taken as an identifier or a postcode */
} token;

/* Splits on spaces, tabs and non-breaking spaces. */
static size_t tokenize(const char *text, token *out, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (*p && n < max) {
        while (*p == ' ' || *p == '\t' || (p[0] == '\xc2' && p[1] == '\xa0'))
            p += p[0] == '\xc2' ? 2 : 1;
        if (!*p) break;
        const char *start = p;
        while (*p && *p != ' ' && *p != '\t' && !(p[0] == '\xc2' && p[1] == '\xa0'))
            p++;
        out[n++] = (token){start, (size_t)(p - start), false};
    }
    return n;
}

/* Runs of digit groups make a SIRET (14 digits) or a SIREN (9) whatever the
 * spaces ("552 100 554 00012"); a lone group of 5 digits is a postcode or a
 * commune code. */
static ml_err identifiers(ml_db *db, ml_plan *plan, token *tok, size_t ntok, json_t *interpretation)
{
    ml_json_build jb = {0};
    for (size_t i = 0; i < ntok; i++) {
        if (tok[i].used || !is_digits(tok[i].s, tok[i].n)) continue;
        size_t total = 0, end = i;
        size_t found = 0, found_end = i;
        for (size_t j = i; j < ntok && is_digits(tok[j].s, tok[j].n) && total < 14; j++) {
            total += tok[j].n;
            if (total == 14 || (total == 9 && found != 14)) found = total, found_end = j;
            end = j;
        }
        (void)end;
        if (found == 14 || found == 9) {
            char digits[16];
            size_t o = 0;
            for (size_t j = i; j <= found_end; j++) {
                memcpy(digits + o, tok[j].s, tok[j].n);
                o += tok[j].n;
                tok[j].used = true;
            }
            digits[o] = '\0';
            int64_t v = 0;
            /* As typed: no checksum, a wrong one simply finds nothing. */
            if (found == 14)
                ml_siret_digits(digits, o, &v);
            else
                ml_siren_digits(digits, o, &v);
            if (found == 14)
                plan->siret = v;
            else
                plan->siren = v;
            json_object_set_new(interpretation, found == 14 ? "siret" : "siren",
                                json_string(digits));
            i = found_end;
            continue;
        }
        if (tok[i].n != 5) continue;
        char code[6];
        memcpy(code, tok[i].s, 5);
        code[5] = '\0';
        size_t cnt, first = lex_postcode_find(plan->lex, code, &cnt);
        const lex_place *com = lex_place_find(plan->lex, PLACE_COMMUNE, code);
        if (!cnt && !com) continue;
        tok[i].used = true;
        json_t *list = json_array();
        for (size_t k = 0; k < (cnt ? cnt : 1); k++) {
            const lex_place *c =
                cnt ? &plan->lex->places[PLACE_COMMUNE][plan->lex->postcodes[first + k].commune]
                    : com;
            if (plan->ncommunes < ML_COMMUNES_MAX)
                ml_snprintf(plan->communes[plan->ncommunes++], 6, "%s", c->code);
            json_array_append_new(
                list, ml_json_pack(&jb, "{s:s, s:s}", "code", c->code, "name", c->name));
        }
        json_object_set_new(interpretation, cnt ? "postcode" : "commune_code",
                            ml_json_pack(&jb, "{s:s, s:o}", "code", code, "communes", list));
    }
    return ml_json_done(db->ctx, &jb);
}

/* ------------------------------------------------------------------ words */

typedef struct word {
    char stem[64];
    char folded[64]; /* not stemmed: for a prefix */
    const char *shown;
    size_t shown_len;
} word;

/* Folds each unused token into words (a token may give several:
 * "agro-alimentaire"); *overflow when a token's folding did not fit. */
static size_t words_of(ml_lexicon *lex, const token *tok, size_t ntok, word *out, size_t max,
                       bool *overflow)
{
    size_t n = 0;
    ml_buf stems, plain;
    ml_buf_init(&stems, 4096);
    ml_buf_init(&plain, 4096);
    for (size_t i = 0; i < ntok && n < max; i++) {
        if (tok[i].used) continue;
        ml_buf_reset(&stems);
        ml_buf_reset(&plain);
        ml_text_fold(lex->text, &stems, tok[i].s, tok[i].n, ML_FOLD_STEM);
        ml_text_fold(lex->text, &plain, tok[i].s, tok[i].n, 0);
        if (ml_buf_failed(&stems) || ml_buf_failed(&plain)) {
            *overflow = true;
            break;
        }
        const char *s = ml_buf_cstr(&stems), *p = ml_buf_cstr(&plain);
        while (*s && *p && n < max) {
            size_t sl = strcspn(s, " "), pl = strcspn(p, " ");
            word *w = &out[n++];
            ml_snprintf(w->stem, sizeof w->stem, "%.*s", (int)(sl < 63 ? sl : 63), s);
            ml_snprintf(w->folded, sizeof w->folded, "%.*s", (int)(pl < 63 ? pl : 63), p);
            w->shown = tok[i].s;
            w->shown_len = tok[i].n;
            s += sl + (s[sl] == ' ');
            p += pl + (p[pl] == ' ');
        }
    }
    ml_buf_release(&stems);
    ml_buf_release(&plain);
    return n;
}

/* The longest vocabulary phrase starting at words[i], or NULL. */
static const lex_phrase *phrase_at(const ml_lexicon *lex, const word *w, size_t nw, size_t i)
{
    const lex_phrase *best = NULL;
    for (size_t k = 0; k < lex->nphrases; k++) {
        const lex_phrase *p = &lex->phrases[k];
        if (p->nwords > nw - i || (best && p->nwords <= best->nwords)) continue;
        const char *c = p->words;
        bool ok = true;
        for (size_t j = 0; j < p->nwords && ok; j++) {
            size_t n = strcspn(c, " ");
            ok = strlen(w[i + j].stem) == n && strncmp(c, w[i + j].stem, n) == 0;
            c += n + (c[n] == ' ');
        }
        if (ok) best = p;
    }
    return best;
}

static void term_shown(ml_term *t, const word *w, size_t from, size_t to)
{
    const char *start = w[from].shown, *end = w[to].shown + w[to].shown_len;
    ml_snprintf(t->shown, sizeof t->shown, "%.*s", (int)(end - start), start);
}

/* The last word while it is typed also stands for the words it starts. */
#define PREFIX_MIN 3

static void word_term(const ml_lexicon *lex, ml_term *t, const word *w, bool prefix)
{
    ml_snprintf(t->folded, sizeof t->folded, "%s", w->stem);
    const lex_word *lw = lex_word_find(lex, w->stem);
    if (lw) {
        t->strong = lw->strong;
        t->all = lw->all;
        t->activity = lw->activity;
        t->activity_shortcut = !prefix;
    }
    if (!prefix || strlen(w->folded) < PREFIX_MIN) return;
    ml_snprintf(t->prefix, sizeof t->prefix, "%s", w->folded);
    size_t count, first = lex_word_prefix(lex, w->folded, &count);
    for (size_t k = first; k < first + count; k++) {
        ml_naf_set_or(&t->strong, &lex->words[k].strong);
        ml_naf_set_or(&t->all, &lex->words[k].all);
    }
    t->activity_shortcut = false;
}

static ml_err terms_of(ml_db *db, ml_plan *plan, const word *w, size_t nw, bool prefix,
                       json_t *interpretation)
{
    ml_lexicon *lex = plan->lex;
    json_t *list = json_array();
    ml_json_build jb = {0};
    for (size_t i = 0; i < nw;) {
        if (plan->nterms == ML_TERMS_MAX) {
            json_decref(list);
            return ml_fail(db->ctx, ML_LIMIT, "too many words (at most %d are used)", ML_TERMS_MAX);
        }
        ml_term *t = &plan->terms[plan->nterms++];
        memset(t, 0, sizeof *t);
        const lex_phrase *p = phrase_at(lex, w, nw, i);
        size_t used = 1;
        if (p && p->nwords > 1) {
            used = p->nwords;
            t->phrase = true;
            ml_snprintf(t->folded, sizeof t->folded, "%s", p->words);
            t->strong = t->all = p->set;
        } else {
            word_term(lex, t, &w[i], prefix && i + 1 == nw);
        }
        term_shown(t, w, i, i + used - 1);
        json_t *trades = json_array();
        ml_naf_set shown = t->strong;
        unsigned n = ml_naf_set_count(&shown);
        if (n <= 12)
            for (size_t k = 0; k < lex->nnaf; k++)
                if (ml_naf_set_has(&shown, (unsigned)k))
                    json_array_append_new(trades,
                                          ml_json_pack(&jb, "{s:s, s:s}", "code", lex->naf[k].code,
                                                       "label", lex->naf[k].label));
        json_array_append_new(
            list, ml_json_pack(&jb, "{s:s, s:s, s:b, s:s?, s:i, s:i, s:o}", "text", t->shown,
                               "folded", t->folded, "phrase", t->phrase, "prefix",
                               *t->prefix ? t->prefix : NULL, "trades", (int)n, "trades_wider",
                               (int)ml_naf_set_count(&t->all), "trades_listed", trades));
        i += used;
    }
    json_object_set_new(interpretation, "terms", list);
    return ml_json_done(db->ctx, &jb);
}

/* ---------------------------------------------------------------- filters */

static ml_err filter_place(ml_db *db, ml_plan *plan, int kind, const char *value, char *dst,
                           size_t size, json_t *resolved, const char *key)
{
    if (!value) return ML_OK;
    char codes[ML_COMMUNES_MAX][10];
    size_t n = 0;
    ml_err r = ml_lexicon_resolve_place(db, plan->lex, kind, value, codes, ML_COMMUNES_MAX, &n);
    if (r) return r;
    json_t *list = json_array();
    ml_json_build jb = {0};
    for (size_t i = 0; i < n; i++) {
        const lex_place *p = lex_place_find(plan->lex, kind, codes[i]);
        json_array_append_new(
            list, ml_json_pack(&jb, "{s:s, s:s?}", "code", codes[i], "name", p ? p->name : NULL));
    }
    json_object_set_new(resolved, key, list);
    if ((r = ml_json_done(db->ctx, &jb))) return r;
    if (kind != PLACE_COMMUNE) {
        ml_snprintf(dst, size, "%s", codes[0]);
        return ML_OK;
    }
    /* Communes: those of the filter, and of a postcode in the text if any. */
    if (plan->ncommunes) {
        size_t kept = 0;
        for (size_t i = 0; i < plan->ncommunes; i++)
            for (size_t k = 0; k < n; k++)
                if (strcmp(plan->communes[i], codes[k]) == 0)
                    memmove(plan->communes[kept++], plan->communes[i], 6);
        plan->ncommunes = kept;
        if (!kept) ml_snprintf(plan->communes[plan->ncommunes++], 6, "%s", "00000");
        return ML_OK;
    }
    for (size_t i = 0; i < n; i++)
        ml_snprintf(plan->communes[plan->ncommunes++], 6, "%s", codes[i]);
    return ML_OK;
}

ml_err ml_plan_build(ml_db *db, const ml_search_query *q, ml_plan *plan, json_t **interpretation)
{
    memset(plan, 0, sizeof *plan);
    *interpretation = NULL;
    ml_err r = ml_lexicon_get(db, &plan->lex);
    if (r) return r;
    plan->limit = q->limit ? q->limit : 20;
    plan->offset = q->offset;
    plan->facets = q->facets;
    plan->size_min = q->size_min;
    plan->active_only = q->active_only;
    json_t *in = json_object(), *resolved = json_object();
    json_object_set_new(in, "filters", resolved);

    /* The text: identifiers and postcodes first, then words. */
    token tok[64];
    size_t ntok = q->text ? tokenize(q->text, tok, ML_ARRAY_LEN(tok)) : 0;
    if ((r = identifiers(db, plan, tok, ntok, in))) goto fail;
    word w[ML_TERMS_MAX * 4];
    bool overflow = false;
    size_t nw = words_of(plan->lex, tok, ntok, w, ML_ARRAY_LEN(w), &overflow);
    if (overflow) {
        r = ml_fail(db->ctx, ML_LIMIT, "a word of the query is too long");
        goto fail;
    }
    size_t tl = q->text ? strlen(q->text) : 0;
    bool typing = q->prefix && tl > 0 && q->text[tl - 1] != ' ';
    if ((r = terms_of(db, plan, w, nw, typing, in))) goto fail;

    if ((r = filter_place(db, plan, PLACE_COMMUNE, q->commune, NULL, 0, resolved, "commune")) ||
        (r = filter_place(db, plan, PLACE_EPCI, q->epci, plan->epci, sizeof plan->epci, resolved,
                          "epci")) ||
        (r = filter_place(db, plan, PLACE_DEPARTEMENT, q->departement, plan->departement,
                          sizeof plan->departement, resolved, "departement")) ||
        (r = filter_place(db, plan, PLACE_REGION, q->region, plan->region, sizeof plan->region,
                          resolved, "region")))
        goto fail;
    if (q->naf) {
        char shown[256];
        if ((r = ml_lexicon_resolve_naf(db, plan->lex, q->naf, &plan->naf, shown, sizeof shown)))
            goto fail;
        plan->has_naf = true;
        ml_json_build jb = {0};
        json_object_set_new(resolved, "naf",
                            ml_json_pack(&jb, "{s:s, s:i}", "matched", shown, "subclasses",
                                         (int)ml_naf_set_count(&plan->naf)));
        if ((r = ml_json_done(db->ctx, &jb))) goto fail;
    }
    if (q->text && *q->text && plan->nterms == 0 && !plan->siret && !plan->siren &&
        !json_object_get(in, "postcode") && !json_object_get(in, "commune_code")) {
        r = ml_fail(db->ctx, ML_INVALID, "the query has only stop words; add a more specific word");
        goto fail;
    }
    *interpretation = in;
    return ML_OK;
fail:
    json_decref(in);
    return r;
}

/* ---------------------------------------------------------------- clauses */

bool ml_plan_has_wider(const ml_plan *plan)
{
    for (size_t i = 0; i < plan->nterms; i++)
        if (!ml_naf_set_equal(&plan->terms[i].strong, &plan->terms[i].all)) return true;
    return false;
}

int ml_plan_clauses(const ml_plan *plan, int tier, int (*fn)(void *ud, const ml_clause *c),
                    void *ud)
{
    size_t n = plan->nterms;
    ml_clause c;
    if (n > ML_CLAUSE_TERMS) {
        memset(&c, 0, sizeof c);
        c.by_trade = ~0u;
        c.activity_term = -1;
        return fn(ud, &c);
    }
    for (unsigned mask = 0; mask < (1u << n); mask++) {
        memset(&c, 0, sizeof c);
        c.by_trade = mask;
        c.activity_term = -1;
        c.has_trades = mask != 0 || plan->has_naf;
        if (plan->has_naf)
            c.trades = plan->naf;
        else
            memset(&c.trades, 0xff, sizeof c.trades);
        for (size_t i = 0; i < n; i++)
            if (mask & (1u << i))
                ml_naf_set_and(&c.trades, tier == ML_TIER_STRONG ? &plan->terms[i].strong
                                                                 : &plan->terms[i].all);
        if (!c.has_trades)
            memset(&c.trades, 0, sizeof c.trades);
        else if (ml_naf_set_empty(&c.trades))
            continue;
        if (__builtin_popcount(mask) == 1 && !plan->has_naf) {
            int i = __builtin_ctz(mask);
            if (plan->terms[i].activity_shortcut) c.activity_term = i;
        }
        int r = fn(ud, &c);
        if (r) return r;
    }
    return 0;
}
