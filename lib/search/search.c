/* search.c — the public search calls: ml_search (a plan, run by the
 * backend, with what was understood and, when nothing matched, the nearest
 * trades), ml_suggest (filter boxes) and ml_vocabulary_lookup. */
#include "firm/firm.h"
#include "privacy/privacy.h"
#include "search/lexicon_impl.h"
#include "territory/territory.h"

/* What the backend finds, collected: the page's SIRETs and the facets' raw
 * counts ({dimension: {code: n}}). */
typedef struct found {
    json_t *results, *facets;
} found;

static int on_hit(void *ud, int64_t siret)
{
    return json_array_append_new(((found *)ud)->results, json_integer(siret));
}

static int on_facet(void *ud, const char *dim, const char *code, int64_t n)
{
    found *f = ud;
    json_t *d = json_object_get(f->facets, dim);
    if (!d && json_object_set_new(f->facets, dim, d = json_object())) return 1;
    json_t *cur = json_object_get(d, code);
    return json_object_set_new(d, code, json_integer(n + (cur ? json_integer_value(cur) : 0)));
}

/* Each SIRET becomes a short record (one that may not be shown is dropped). */
static ml_err finish_results(ml_db *db, json_t *results)
{
    size_t i = 0;
    while (i < json_array_size(results)) {
        json_t *b = NULL;
        ml_err r = ml_etab_brief(db, json_integer_value(json_array_get(results, i)), &b);
        if (r) return r;
        if (b ? json_array_set_new(results, i, b) : json_array_remove(results, i))
            return ml_fail(db->ctx, ML_NOMEM, "out of memory");
        if (b) i++;
    }
    return ML_OK;
}

/* Each facet's raw counts become a list with the secrecy rule (lib/privacy)
 * and labels. */
static ml_err finish_facets(ml_db *db, json_t *facets)
{
    ml_labeller dep = {.db = db, .place = ML_PLACE_DEPARTEMENT}, sec = {.db = db, .level = "A21"};
    static const char *const dims[] = {"departement", "section", "size"};
    ml_label_fn fns[] = {ml_label_place, ml_label_level, ml_label_size};
    void *uds[] = {&dep, &sec, NULL};
    for (size_t i = 0; i < ML_ARRAY_LEN(dims); i++) {
        json_t *empty = json_object();
        json_t *raw = json_object_get(facets, dims[i]);
        json_t *list = ml_count_list(raw ? raw : empty, 0, fns[i], uds[i]);
        json_decref(empty);
        if (!list || json_object_set_new(facets, dims[i], list))
            return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    return ML_OK;
}

/* The backend's answer as the search's JSON. */
static ml_err run_plan(ml_db *db, const ml_plan *plan, json_t **out)
{
    found f = {.results = json_array(), .facets = json_object()};
    ml_hit_sink sink = {.ud = &f, .hit = on_hit, .facet = on_facet};
    ml_hit_totals t;
    ml_err r = f.results && f.facets ? db->be->search(db, plan, &sink, &t)
                                     : ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r) r = finish_results(db, f.results);
    if (!r && t.facets) r = finish_facets(db, f.facets);
    if (!r && plan->siret) { /* the SIRET asked counts only when it may be shown */
        bool listable = false;
        if (!(r = ml_etab_exists_listable(db, plan->siret, &listable))) t.total = listable;
    }
    if (!r) {
        /* Neighbouring trades are said only when some were found (an
         * engine may prove their query empty without reading it, or not). */
        *out = json_pack("{s:I, s:b, s:b, s:O}", "total", (json_int_t)t.total, "total_exact",
                         t.total_exact, "wider", t.wider && t.total > 0, "results", f.results);
        if (*out && t.facets) {
            json_object_set_new(f.facets, "counted", json_integer(t.counted));
            json_object_set_new(f.facets, "complete", json_boolean(t.complete));
            json_object_set(*out, "facets", f.facets);
        }
        if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    json_decref(f.results);
    json_decref(f.facets);
    return r;
}

ml_err ml_search(ml_db *db, const ml_search_query *q, json_t **out)
{
    *out = NULL;
    unsigned limit = q->limit ? q->limit : 20;
    if (limit > 200) return ml_fail(db->ctx, ML_INVALID, "limit %u is above 200", limit);
    if (q->offset > 10000)
        return ml_fail(db->ctx, ML_INVALID, "offset %u is above 10000", q->offset);
    if (q->text && strlen(q->text) > 1000)
        return ml_fail(db->ctx, ML_LIMIT, "query text too long (at most 1000 bytes)");
    ml_plan *plan = calloc(1, sizeof *plan);
    if (!plan) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    json_t *in = NULL, *res = NULL;
    ml_err r = ml_plan_build(db, q, plan, &in);
    if (r) goto out;
    bool filters = plan->ncommunes || *plan->epci || *plan->departement || *plan->region ||
                   plan->has_naf || q->size_min;
    if (!plan->nterms && !filters && !plan->siret && !plan->siren && !q->active_only) {
        r = ml_fail(db->ctx, ML_INVALID, "empty query: give words or at least one filter");
        goto out;
    }
    if ((r = run_plan(db, plan, &res))) goto out;
    ml_json_build jb = {0};
    json_object_set_new(res, "query",
                        ml_json_pack(&jb, "{s:s?, s:b, s:i, s:i, s:O}", "text", q->text, "prefix",
                                     q->prefix, "limit", (int)plan->limit, "offset",
                                     (int)plan->offset, "interpretation", in));
    if ((r = ml_json_done(db->ctx, &jb))) goto out;
    /* Nothing matched: the trades nearest to what was typed (a misspelt
     * trade word). With filters, only to the words that stand for no trade:
     * known words found nothing because of the filters. */
    if (json_integer_value(json_object_get(res, "total")) == 0 && plan->nterms) {
        ml_buf unknown;
        ml_buf_init(&unknown, 4096);
        for (size_t i = 0; i < plan->nterms; i++)
            if (!filters || ml_naf_set_empty(&plan->terms[i].all))
                ml_buf_addf(&unknown, "%s%s", unknown.len ? " " : "", plan->terms[i].shown);
        bool failed = ml_buf_failed(&unknown);
        if (!failed)
            json_object_set_new(
                res, "nearest",
                ml_json_check(&jb,
                              unknown.len ? ml_lexicon_nearest(plan->lex, ml_buf_cstr(&unknown), 5)
                                          : json_array(),
                              "nearest"));
        ml_buf_release(&unknown);
        if (failed) {
            r = ml_fail(db->ctx, ML_LIMIT, "the query's unknown words are too long");
            goto out;
        }
        if ((r = ml_json_done(db->ctx, &jb))) goto out;
    }
    *out = res;
    res = NULL;
out:
    json_decref(in);
    json_decref(res);
    free(plan);
    return r;
}

ml_err ml_suggest(ml_db *db, const char *kind, const char *text, unsigned limit, json_t **out)
{
    *out = NULL;
    int k = kind ? ml_place_kind(kind) : -1;
    if (k < 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "unknown kind '%.40s' (expected commune, epci, departement, region or naf)",
                       kind ? kind : "");
    if (limit == 0) limit = 10;
    if (limit > 50) return ml_fail(db->ctx, ML_INVALID, "limit %u is above 50", limit);
    if (!text) text = "";
    if (strlen(text) > 200) return ml_fail(db->ctx, ML_LIMIT, "text too long (at most 200 bytes)");
    ml_lexicon *lex = NULL;
    ml_err r = ml_lexicon_get(db, &lex);
    if (r) return r;
    ml_json_build jb = {0};
    *out = ml_json_pack(&jb, "{s:s, s:s, s:o}", "kind", kind, "q", text, "suggestions",
                        ml_lexicon_suggest(lex, k, text, limit));
    return ml_json_done(db->ctx, &jb);
}

static int user_row(void *ud, const char *const *f, size_t n)
{
    if (n >= 4 && f[3] && strcmp(f[3], "user") == 0) {
        json_t *o = json_pack("{s:s?, s:s?, s:s?}", "term", f[0], "naf", f[1], "note", f[2]);
        if (!o || json_array_append_new(ud, o)) return 1; /* the scan stops: ML_NOMEM */
    }
    return 0;
}

ml_err ml_vocabulary_lookup(ml_db *db, const char *text, json_t **out)
{
    *out = NULL;
    if (!text) {
        json_t *list = json_array();
        ml_err r = db->be->ref_scan(db, ML_REF_VOCAB, user_row, list);
        if (r) {
            json_decref(list);
            return r;
        }
        ml_json_build jb = {0};
        *out = ml_json_pack(&jb, "{s:o}", "entries", list);
        return ml_json_done(db->ctx, &jb);
    }
    ml_search_query q = {.text = text, .limit = 1};
    ml_plan *plan = calloc(1, sizeof *plan);
    if (!plan) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    json_t *in = NULL;
    ml_err r = ml_plan_build(db, &q, plan, &in);
    if (r) {
        free(plan);
        return r;
    }
    /* Every trade of each term, not only the first few. */
    json_t *terms = json_array();
    ml_json_build jb = {0};
    for (size_t i = 0; i < plan->nterms; i++) {
        const ml_term *t = &plan->terms[i];
        json_t *strong = json_array(), *wider = json_array();
        for (size_t k = 0; k < plan->lex->nnaf; k++) {
            json_t *o = NULL;
            if (ml_naf_set_has(&t->all, (unsigned)k))
                o = ml_json_pack(&jb, "{s:s, s:s}", "code", plan->lex->naf[k].code, "label",
                                 plan->lex->naf[k].label);
            if (o)
                json_array_append_new(ml_naf_set_has(&t->strong, (unsigned)k) ? strong : wider, o);
        }
        json_array_append_new(terms,
                              ml_json_pack(&jb, "{s:s, s:s, s:b, s:o, s:o}", "text", t->shown,
                                           "folded", t->folded, "phrase", t->phrase, "trades",
                                           strong, "wider_trades", wider));
    }
    /* The vocabulary entries and labels whose words are exactly these. */
    json_t *entries = json_array();
    char *key = lex_fold(plan->lex, text, 0);
    for (size_t i = 0; key && i < plan->lex->nentries; i++) {
        const lex_entry *e = &plan->lex->entries[i];
        if (strcmp(e->key, key) == 0)
            json_array_append_new(entries,
                                  ml_json_pack(&jb, "{s:s, s:s, s:s}", "term", e->shown, "naf",
                                               e->codes, "source",
                                               e->source == LEX_SOURCE_USER         ? "user"
                                               : e->source == LEX_SOURCE_VOCABULARY ? "vocabulary"
                                                                                    : "naf"));
    }
    free(key);
    *out = ml_json_pack(&jb, "{s:s, s:o, s:o, s:o}", "text", text, "terms", terms, "entries",
                        entries, "interpretation", in);
    free(plan);
    if ((r = ml_json_done(db->ctx, &jb))) {
        json_decref(*out);
        *out = NULL;
    }
    return r;
}

/* The texts ml_search_relaxed tries after `res` found nothing, in order,
 * with how each was made; at most 3. */
static size_t relaxed_texts(const ml_search_query *q, json_t *res, char texts[3][1001],
                            const char *how[3])
{
    json_t *terms =
        json_object_get(json_object_get(json_object_get(res, "query"), "interpretation"), "terms");
    size_t n = 0, nt = json_array_size(terms), kept = 0, len = 0;
    char trade_words[1001] = "";
    for (size_t i = 0; i < nt; i++) {
        json_t *t = json_array_get(terms, i);
        const char *w = json_string_value(json_object_get(t, "text"));
        if (!w || json_integer_value(json_object_get(t, "trades")) <= 0) continue;
        int k = snprintf(trade_words + len, sizeof trade_words - len, "%s%s", len ? " " : "", w);
        if (k < 0 || (size_t)k >= sizeof trade_words - len) break;
        len += (size_t)k;
        kept++;
    }
    if (kept && kept < nt) {
        ml_snprintf(texts[n], sizeof texts[n], "%s", trade_words);
        how[n++] = "trade_words";
    }
    const char *near =
        json_string_value(json_object_get(json_array_get(json_object_get(res, "nearest"), 0), "term"));
    if (near && *near) {
        ml_snprintf(texts[n], sizeof texts[n], "%s", near);
        how[n++] = "nearest_trade";
    }
    const char *first = json_string_value(json_object_get(json_array_get(terms, 0), "text"));
    if (nt > 1 && first && *first) {
        ml_snprintf(texts[n], sizeof texts[n], "%s", first);
        how[n++] = "first_word";
    }
    /* never the text itself again, nor one text twice */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        bool dup = strcmp(texts[i], q->text) == 0;
        for (size_t j = 0; j < m && !dup; j++)
            dup = strcmp(texts[i], texts[j]) == 0;
        if (dup) continue;
        if (m != i) {
            memcpy(texts[m], texts[i], sizeof texts[m]);
            how[m] = how[i];
        }
        m++;
    }
    return m;
}

ml_err ml_search_relaxed(ml_db *db, const ml_search_query *q, json_t **out)
{
    ml_err r = ml_search(db, q, out);
    if (r || !q->text || json_integer_value(json_object_get(*out, "total")) != 0) return r;
    char texts[3][1001];
    const char *how[3];
    size_t n = relaxed_texts(q, *out, texts, how);
    for (size_t i = 0; i < n; i++) {
        ml_search_query wider = *q;
        wider.text = texts[i];
        json_t *res = NULL;
        if ((r = ml_search(db, &wider, &res))) return r;
        if (json_integer_value(json_object_get(res, "total")) > 0) {
            json_t *relaxed =
                json_pack("{s:s, s:s, s:s}", "from", q->text, "to", texts[i], "how", how[i]);
            if (!relaxed || json_object_set_new(res, "relaxed", relaxed)) {
                json_decref(res);
                return ml_fail(db->ctx, ML_NOMEM, "out of memory");
            }
            json_decref(*out);
            *out = res;
            return ML_OK;
        }
        json_decref(res);
    }
    return ML_OK;
}
