/* sqlite_read.c — reads of the SQLite backend: database info, full-text
 * search with filters and facets, one establishment, territory summaries.
 * Establishments with diffusion status P never leave this file except as
 * counts of at least ML_MIN_CELL. */
#include "search/search.h"
#include "store/sqlite_impl.h"

/* The populations shipped in data/geo/communes.csv (@etalab/decoupage-administratif
 * 6.0.0: INSEE's legal populations of this year, in force from 1 January of
 * the next but two; Marseille 886,040, Paris 2,103,778). See data/SOURCES.md. */
#define ML_POPULATION_YEAR 2023
#define ML_POPULATION_NEXT 2026
#define COUNT_CAP   1000 /* "total" is exact up to this many matches */
#define FACET_CAP   5000 /* facets count the first matches in rank order */

static const struct {
    const char *code, *en, *fr;
} size_labels[] = {
    {"NN", "unknown headcount", "effectif inconnu"},
    {"00", "0 employees", "0 salarié"},
    {"01", "1-2 employees", "1 ou 2 salariés"},
    {"02", "3-5 employees", "3 à 5 salariés"},
    {"03", "6-9 employees", "6 à 9 salariés"},
    {"11", "10-19 employees", "10 à 19 salariés"},
    {"12", "20-49 employees", "20 à 49 salariés"},
    {"21", "50-99 employees", "50 à 99 salariés"},
    {"22", "100-199 employees", "100 à 199 salariés"},
    {"31", "200-249 employees", "200 à 249 salariés"},
    {"32", "250-499 employees", "250 à 499 salariés"},
    {"41", "500-999 employees", "500 à 999 salariés"},
    {"42", "1,000-1,999 employees", "1 000 à 1 999 salariés"},
    {"51", "2,000-4,999 employees", "2 000 à 4 999 salariés"},
    {"52", "5,000-9,999 employees", "5 000 à 9 999 salariés"},
    {"53", "10,000 employees or more", "10 000 salariés et plus"},
};

/* Ends a read whose JSON was built through jb: ML_OK, or the failure (and no
 * half-built *out) when a json_pack failed. */
static ml_err json_checked(ml_db *db, const ml_json_build *jb, json_t **out)
{
    if (!jb->failed) return ML_OK;
    json_decref(*out);
    *out = NULL;
    return ml_json_done(db->ctx, jb);
}

static const char *const geo_names[] = {"none", "insee_lambert", "geocoded", "commune_centre"};

static json_t *size_json(ml_json_build *jb, const char *code)
{
    if (!code) code = "NN";
    for (size_t i = 0; i < ML_ARRAY_LEN(size_labels); i++)
        if (strcmp(size_labels[i].code, code) == 0)
            return ml_json_pack(jb, "{s:s, s:s, s:s}", "code", code, "label", size_labels[i].en,
                                "label_fr", size_labels[i].fr);
    return ml_json_pack(jb, "{s:s, s:n, s:n}", "code", code, "label", "label_fr");
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *col_json(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_NULL:
        return json_null();
    default:
        return json_string(sq_col_text(st, i));
    }
}

/* Runs a single-value query: returns its integer or -1. */
static int64_t scalar(ml_db *db, const char *sql, const char *arg)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A count that is safe to publish: null below the secrecy threshold. */
static json_t *safe_count(int64_t n)
{
    return n >= ML_MIN_CELL || n == 0 ? json_integer(n) : json_null();
}

/* ----------------------------------------------------------------------- info */

ml_err sq_info(ml_db *db, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    sq_state *s = db->impl;
    static const struct {
        const char *key, *sql;
    } counts[] = {
        {"regions", "SELECT count(*) FROM region"},
        {"departements", "SELECT count(*) FROM departement"},
        {"epci", "SELECT count(*) FROM epci"},
        {"communes", "SELECT count(*) FROM commune"},
        {"naf_subclasses", "SELECT count(*) FROM naf"},
        {"io_years", "SELECT count(DISTINCT year) FROM io_use"},
        {"legal_units", "SELECT count(*) FROM unite"},
        {"postcodes", "SELECT count(DISTINCT code) FROM postcode"},
        {"vocabulary_entries", "SELECT count(*) FROM vocabulary WHERE source <> 'user'"},
        {"user_vocabulary_entries", "SELECT count(*) FROM vocabulary WHERE source = 'user'"},
    };
    /* The establishments' figures, in one pass over the table. */
    static const char *const etab_keys[] = {"establishments", "establishments_active",
                                            "establishments_restricted", "establishments_generated",
                                            "establishments_approximate"};
    static const char etab_sql[] = "SELECT count(*), total(state = 'A'), total(diffusion <> 'O'),"
                                   " total(generated), total(geo = 3) FROM etab";
    json_t *o = json_object();
    json_t *c = json_object();
    json_object_set_new(o, "path", json_string(db->path));
    json_object_set_new(o, "backend", json_string("sqlite"));
    json_object_set_new(o, "counts", c);
    for (size_t i = 0; i < ML_ARRAY_LEN(counts); i++) {
        int64_t n = scalar(db, counts[i].sql, NULL);
        if (n < 0) {
            json_decref(o);
            return sq_fail(db, counts[i].key);
        }
        json_object_set_new(c, counts[i].key, json_integer(n));
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, etab_sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        json_decref(o);
        return sq_fail(db, "count establishments");
    }
    for (int k = 0; k < 5; k++) {
        int64_t n = (int64_t)sqlite3_column_double(st, k);
        json_object_set_new(c, etab_keys[k], k == 2 ? safe_count(n) : json_integer(n));
    }
    sqlite3_finalize(st);
    json_object_set_new(
        o, "contains_generated_data",
        json_boolean(json_integer_value(json_object_get(c, "establishments_generated")) > 0));
    json_t *meta = json_object();
    if (sqlite3_prepare_v2(s->sql, "SELECT key, value FROM meta ORDER BY key", -1, &st, NULL) ==
        SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW)
            json_object_set_new(meta, sq_col_text(st, 0), str_or_null(sq_col_text(st, 1)));
        sqlite3_finalize(st);
    }
    json_object_set_new(o, "meta", meta);
    json_t *runs = json_array();
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT id, kind, started, finished, rows, imported, rejected FROM"
                           " import_run ORDER BY id DESC LIMIT 5",
                           -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(
                runs, ml_json_pack(jb, "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", col_json(st, 0),
                                   "kind", col_json(st, 1), "started", col_json(st, 2), "finished",
                                   col_json(st, 3), "rows", col_json(st, 4), "imported",
                                   col_json(st, 5), "rejected", col_json(st, 6)));
        sqlite3_finalize(st);
    }
    json_object_set_new(o, "imports", runs);
    *out = o;
    return json_checked(db, jb, out);
}

/* -------------------------------------------------------------------- search */

/* Only codes of letters, digits and dots reach a query. */
static bool code_ok(const char *code)
{
    if (!code || !*code || strlen(code) > 12) return false;
    for (const char *p = code; *p; p++)
        if (!((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || *p == '.'))
            return false;
    return true;
}

/* One establishment as a short record (search results, suggestions); *out
 * is NULL when the SIRET is unknown or its diffusion restricted. */
ml_err sq_brief(ml_db *db, int64_t siret, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    *out = NULL;
    sqlite3_stmt *st = sq_stmt(db, SQ_BRIEF);
    if (!st) return ML_DB;
    sqlite3_bind_int64(st, 1, siret);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) return ML_OK;
    if (rc != SQLITE_ROW) return sq_fail(db, "read establishment");
    char sirets[ML_SIRET_SIZE];
    ml_siret_format(sqlite3_column_int64(st, 0), sirets);
    const char *sign = sq_col_text(st, 4), *usual = sq_col_text(st, 5);
    const char *company = sq_col_text(st, 17);
    const char *shown = sign ? sign : usual ? usual : company;
    json_t *r = json_object();
    json_object_set_new(r, "siret", json_string(sirets));
    json_object_set_new(r, "name", str_or_null(shown));
    json_object_set_new(r, "company", str_or_null(company));
    json_object_set_new(r, "active", json_boolean(sq_col_text(st, 1)[0] == 'A'));
    json_object_set_new(r, "head_office", json_boolean(sqlite3_column_int(st, 3)));
    json_object_set_new(r, "size", size_json(jb, sq_col_text(st, 2)));
    json_object_set_new(r, "category", str_or_null(sq_col_text(st, 18)));
    json_object_set_new(
        r, "activity",
        ml_json_pack(jb, "{s:o, s:o}", "code", col_json(st, 11), "label", col_json(st, 12)));
    json_object_set_new(r, "address", str_or_null(sq_col_text(st, 6)));
    json_object_set_new(r, "postcode", str_or_null(sq_col_text(st, 7)));
    json_object_set_new(
        r, "commune",
        ml_json_pack(jb, "{s:o, s:o}", "code", col_json(st, 9), "name", col_json(st, 10)));
    int geo = sqlite3_column_int(st, 15);
    json_object_set_new(
        r, "position",
        geo ? ml_json_pack(jb, "{s:f, s:f, s:s}", "lat", sqlite3_column_double(st, 13), "lon",
                           sqlite3_column_double(st, 14), "source", geo_names[geo & 3])
            : json_null());
    json_object_set_new(r, "generated", json_boolean(sqlite3_column_int(st, 16)));
    sqlite3_reset(st);
    *out = r;
    return json_checked(db, jb, out);
}

/* Closes a list of {code, label, count} cells sorted by decreasing count,
 * whose hidden cells (under ML_MIN_CELL) add up to `hidden`: they become one
 * "other" cell. When that cell would be 1 or 2 — readable from the total by
 * subtraction — the smallest shown cells join it (secondary suppression). */
static void suppress_small(ml_json_build *jb, json_t *list, int64_t hidden)
{
    while (hidden > 0 && hidden < ML_MIN_CELL && json_array_size(list) > 0) {
        size_t last = json_array_size(list) - 1;
        hidden += json_integer_value(json_object_get(json_array_get(list, last), "count"));
        json_array_remove(list, last);
    }
    if (hidden >= ML_MIN_CELL)
        json_array_append_new(
            list, ml_json_pack(jb, "{s:n, s:s, s:s, s:I}", "code", "label", "other or fewer than 3",
                               "label_fr", "autres ou moins de 3", "count", (json_int_t)hidden));
}

/* Turns {code: n} into [{code, label, count}] sorted by count, labels from `sql`. */
static int by_count_desc(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    json_int_t x = json_integer_value(json_object_get(a, "count"));
    json_int_t y = json_integer_value(json_object_get(b, "count"));
    if (x != y) return x > y ? -1 : 1;
    return strcmp(json_string_value(json_object_get(a, "code")),
                  json_string_value(json_object_get(b, "code")));
}

/* Turns {code: n} into [{code, label, count}] sorted by decreasing count,
 * labels from `label_sql` (one parameter: the code). With a limit, the values
 * beyond it join "other". No value under the threshold is shown, even of
 * listable establishments: those join "other" too, with secondary suppression
 * (suppress_small). */
static json_t *count_list(ml_json_build *jb, ml_db *db, json_t *counts, const char *label_sql,
                          size_t limit)
{
    sq_state *s = db->impl;
    size_t n = json_object_size(counts), k = 0;
    json_t **items = calloc(n ? n : 1, sizeof *items);
    if (!items) return json_array();
    const char *key;
    json_t *v;
    json_object_foreach(counts, key, v)
    {
        items[k++] = ml_json_pack(jb, "{s:s, s:O}", "code", key, "count", v);
    }
    qsort(items, n, sizeof *items, by_count_desc);
    sqlite3_stmt *st = NULL;
    if (label_sql) sqlite3_prepare_v2(s->sql, label_sql, -1, &st, NULL);
    json_t *list = json_array();
    int64_t hidden = 0;
    for (size_t i = 0; i < n; i++) {
        json_int_t c = json_integer_value(json_object_get(items[i], "count"));
        if (c < ML_MIN_CELL || (limit && json_array_size(list) >= limit)) {
            hidden += c;
            json_decref(items[i]);
            continue;
        }
        json_t *label = json_null();
        if (st) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, json_string_value(json_object_get(items[i], "code")), -1,
                              SQLITE_TRANSIENT);
            if (sqlite3_step(st) == SQLITE_ROW) {
                json_decref(label);
                label = col_json(st, 0);
            }
        }
        json_object_set_new(items[i], "label", label);
        json_array_append_new(list, items[i]);
    }
    sqlite3_finalize(st);
    free(items);
    suppress_small(jb, list, hidden);
    return list;
}

static json_t *facet_list(ml_json_build *jb, ml_db *db, json_t *counts, const char *label_sql)
{
    return count_list(jb, db, counts, label_sql, 0);
}


/* A search plan (lib/search/search.h) as FTS5 expressions. Words reach an
 * expression folded (letters and digits) and quoted, codes as tag tokens of
 * letters and digits: what a person types never acts as an FTS5 operator. */

#define PREFIX_WORDS 12 /* indexed words a word being typed stands for */

/* A tag token: prefix + code in lower case without dots ("naf2562a"). */
static void add_tag(ml_buf *b, const char *prefix, const char *code)
{
    ml_buf_addstr(b, prefix);
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ml_buf_addch(b, c);
    }
}

typedef struct tags_ctx {
    ml_buf *b;
    size_t n;
} tags_ctx;

static int add_set_code(void *ud, char level, const char *code)
{
    tags_ctx *t = ud;
    if (t->n++) ml_buf_addstr(t->b, " OR ");
    add_tag(t->b, level == 'S' ? "a21" : level == 'D' ? "div" : "naf", code);
    return 0;
}

/* {tags} : (naf2562a OR div25 OR a21c...), the fewest tokens for the set. */
static void add_trades(ml_buf *b, const ml_lexicon *lex, const ml_naf_set *set)
{
    tags_ctx t = {b, 0};
    ml_buf_addstr(b, "{tags} : (");
    ml_lexicon_set_codes(lex, set, add_set_code, &t);
    ml_buf_addch(b, ')');
}

static void add_word(ml_buf *b, const char *w, size_t n)
{
    ml_buf_addch(b, '"');
    for (size_t i = 0; i < n; i++)
        if (w[i] != '"') ml_buf_addch(b, w[i]);
    ml_buf_addch(b, '"');
}

static int add_completion(void *ud, const char *word)
{
    ml_buf *b = ud;
    ml_buf_addstr(b, " OR ");
    add_word(b, word, strlen(word));
    return 0;
}

/* A term's words in columns `cols`: all of them, or (a word being typed)
 * its stem or one of the indexed words it starts. */
static ml_err add_text(ml_db *db, ml_buf *b, const ml_term *t, const char *cols)
{
    ml_buf_addf(b, "%s : (", cols);
    if (*t->prefix) {
        add_word(b, t->folded, strlen(t->folded));
        ml_err r = sq_word_complete(db, t->prefix, PREFIX_WORDS, add_completion, b);
        if (r) return r;
    } else {
        size_t k = 0;
        for (const char *w = t->folded; *w; k++) {
            size_t n = strcspn(w, " ");
            if (k) ml_buf_addstr(b, " AND ");
            add_word(b, w, n);
            w += n + (w[n] == ' ');
        }
    }
    ml_buf_addch(b, ')');
    return ML_OK;
}

/* The filters every tier shares: communes, EPCI, département, région, size
 * band as tag tokens; open establishments (and a minimum size with them)
 * as the end of a range of rowids the index stops at. */
static ml_err plan_filters(ml_db *db, const ml_plan *plan, ml_buf *f, int64_t *end_rowid)
{
    if (plan->ncommunes) {
        ml_buf_addstr(f, "{tags} : (");
        for (size_t i = 0; i < plan->ncommunes; i++) {
            if (i) ml_buf_addstr(f, " OR ");
            add_tag(f, "com", plan->communes[i]);
        }
        ml_buf_addch(f, ')');
    }
    static const struct {
        size_t offset;
        const char *prefix;
    } codes[] = {{offsetof(ml_plan, epci), "epci"},
                 {offsetof(ml_plan, departement), "dep"},
                 {offsetof(ml_plan, region), "reg"}};
    for (size_t i = 0; i < ML_ARRAY_LEN(codes); i++) {
        const char *code = (const char *)plan + codes[i].offset;
        if (!*code) continue;
        ml_buf_addstr(f, f->len ? " AND {tags} : " : "{tags} : ");
        add_tag(f, codes[i].prefix, code);
    }
    *end_rowid = INT64_MAX;
    int rank = 0;
    if (plan->size_min) {
        rank = sq_size_rank(plan->size_min);
        if (rank == 0)
            return ml_fail(db->ctx, ML_INVALID,
                           "invalid size band '%.20s' (expected a trancheEffectifs code: 00 01 02 "
                           "03 11 12 21 22 31 32 41 42 51 52 53)",
                           plan->size_min);
    }
    if (plan->active_only) {
        *end_rowid = sq_fts_end_rowid(true, rank);
    } else if (rank) {
        ml_buf_addstr(f, f->len ? " AND {tags} : (" : "{tags} : (");
        for (size_t i = (size_t)rank - 1; i < ML_ARRAY_LEN(sq_size_bands); i++)
            ml_buf_addf(f, "%ssz%s", i + 1 == (size_t)rank ? "" : " OR ", sq_size_bands[i]);
        ml_buf_addch(f, ')');
    }
    return ml_buf_failed(f) ? ml_fail(db->ctx, ML_LIMIT, "too many filters") : ML_OK;
}

/* What the index knows of a term's text in names and communes: for each
 * sub-class (its index in the rowid), how many names hold it at most;
 * known = false when it cannot tell (a rare word, a word being typed). */
typedef struct term_stats {
    bool known;
    uint32_t n[SQ_NAF_MASK + 1];
} term_stats;

static ml_err word_stats(ml_db *db, const char *word, size_t len, term_stats *ts)
{
    sq_state *s = db->impl;
    memset(ts, 0, sizeof *ts);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, "SELECT n FROM search_word WHERE word = ?", -1, &st, NULL))
        return sq_fail(db, "search");
    sqlite3_bind_text(st, 1, word, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    /* A word of 3 letters or more that no name holds: known, zero everywhere. */
    if (rc == SQLITE_DONE) {
        ts->known = len >= 3;
        return ML_OK;
    }
    if (rc != SQLITE_ROW) return sq_fail(db, "search");
    if (n < SQ_STATS_MIN) return ML_OK;
    if (sqlite3_prepare_v2(s->sql, "SELECT naf, n FROM search_word_naf WHERE word = ?", -1, &st,
                           NULL))
        return sq_fail(db, "search");
    sqlite3_bind_text(st, 1, word, (int)len, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int k = sqlite3_column_int(st, 0);
        if (k >= 0 && k <= SQ_NAF_MASK) ts->n[k] = (uint32_t)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sq_fail(db, "search");
    ts->known = true;
    return ML_OK;
}

/* A term's bound: the least of its words' (all of them must be in the name). */
static ml_err term_stats_load(ml_db *db, const ml_term *t, term_stats *ts)
{
    memset(ts, 0, sizeof *ts);
    if (*t->prefix) return ML_OK;
    term_stats w;
    for (const char *p = t->folded; *p;) {
        size_t n = strcspn(p, " ");
        ml_err r = word_stats(db, p, n, &w);
        if (r) return r;
        if (w.known && !ts->known) {
            *ts = w;
        } else if (w.known) {
            for (size_t k = 0; k <= SQ_NAF_MASK; k++)
                if (w.n[k] < ts->n[k]) ts->n[k] = w.n[k];
        }
        p += n + (p[n] == ' ');
    }
    return ML_OK;
}

/* True when the index proves that no row matches the text of the terms in
 * `text_terms` (a bit per term) with a sub-class of `trades` (NULL: any). */
static bool proven_empty(const ml_plan *plan, const term_stats *stats, unsigned text_terms,
                         const ml_naf_set *trades)
{
    if (!stats || text_terms == 0) return false;
    size_t nnaf = ml_lexicon_naf_count(plan->lex);
    for (size_t k = 0; k < nnaf && k < SQ_NAF_MASK; k++) {
        if (trades && !ml_naf_set_has(trades, (unsigned)k)) continue;
        bool any = false;
        uint32_t least = UINT32_MAX;
        for (size_t i = 0; i < plan->nterms; i++) {
            if (!(text_terms & (1u << i)) || !stats[i].known) continue;
            any = true;
            if (stats[i].n[k + 1] < least) least = stats[i].n[k + 1];
        }
        if (!any || least > 0) return false;
    }
    return true;
}

/* Which clauses an expression takes. */
enum { CLAUSES_ALL, CLAUSES_BY_TRADE, CLAUSES_BY_TEXT };

typedef struct tier_ctx {
    const ml_plan *plan;
    ml_buf *b;
    ml_buf *text; /* each term's text in name and place */
    const term_stats *stats;
    int tier, only;
    size_t n;
} tier_ctx;

static int add_clause(void *ud, const ml_clause *c)
{
    tier_ctx *t = ud;
    ml_buf *b = t->b;
    const ml_plan *plan = t->plan;
    if ((t->only == CLAUSES_BY_TRADE && c->by_trade == 0) ||
        (t->only == CLAUSES_BY_TEXT && c->by_trade != 0))
        return 0;
    if (c->by_trade != ~0u) {
        unsigned text_terms = ((1u << plan->nterms) - 1) & ~c->by_trade;
        if (proven_empty(plan, t->stats, text_terms, c->has_trades ? &c->trades : NULL)) return 0;
    }
    if (t->n++) ml_buf_addstr(b, " OR ");
    ml_buf_addch(b, '(');
    size_t parts = 0;
    for (size_t i = 0; i < plan->nterms; i++) {
        const ml_term *term = &plan->terms[i];
        const ml_naf_set *set = t->tier == ML_TIER_STRONG ? &term->strong : &term->all;
        if (c->by_trade == ~0u) {
            ml_buf_addstr(b, parts++ ? " AND (" : "(");
            ml_buf_addstr(b, ml_buf_cstr(&t->text[i]));
            if (!ml_naf_set_empty(set)) {
                ml_buf_addstr(b, " OR ");
                add_trades(b, plan->lex, set);
            }
            ml_buf_addch(b, ')');
        } else if (!(c->by_trade & (1u << i))) {
            if (parts++) ml_buf_addstr(b, " AND ");
            ml_buf_addstr(b, ml_buf_cstr(&t->text[i]));
        }
    }
    if (c->by_trade == ~0u) {
        if (plan->has_naf) {
            ml_buf_addstr(b, " AND ");
            add_trades(b, plan->lex, &plan->naf);
        }
    } else if (c->has_trades) {
        if (parts++) ml_buf_addstr(b, " AND ");
        if (c->activity_term >= 0) {
            /* The activity column holds the words of each sub-class's own
             * label: one posting list instead of many tag tokens. */
            const ml_term *term = &plan->terms[c->activity_term];
            ml_naf_set extra = c->trades;
            ml_naf_set_minus(&extra, &term->activity);
            ml_buf_addstr(b, "({activity} : \"a_");
            ml_buf_addstr(b, term->folded);
            ml_buf_addch(b, '"');
            if (!ml_naf_set_empty(&extra)) {
                ml_buf_addstr(b, " OR ");
                add_trades(b, plan->lex, &extra);
            }
            ml_buf_addch(b, ')');
        } else {
            add_trades(b, plan->lex, &c->trades);
        }
    }
    ml_buf_addch(b, ')');
    return 0;
}

/* The expressions of the plan: (0) rows that match a term by one of its own
 * trades, (1) rows that match by text alone (names, communes), (2) both,
 * which gives the total and the facets, and (3) every match, wider trades
 * included, read only when (2) finds nothing. none[k] says that expression
 * k matches nothing (it is then ""); *n is 1 for a search without words
 * (one expression, the filters), else 4. */
enum { EXPR_TRADES, EXPR_TEXT, EXPR_OWN, EXPR_WIDER, EXPRS };

static ml_err plan_exprs(ml_db *db, const ml_plan *plan, const char *filters, ml_buf exprs[EXPRS],
                         bool none[EXPRS], size_t *n)
{
    for (int k = 0; k < EXPRS; k++)
        none[k] = false;
    const char *and_f = *filters ? " AND " : "";
    if (plan->nterms == 0) {
        ml_buf_addstr(&exprs[0], filters);
        if (plan->has_naf) {
            ml_buf_addstr(&exprs[0], and_f);
            add_trades(&exprs[0], plan->lex, &plan->naf);
        }
        *n = 1;
        return ml_buf_failed(&exprs[0]) ? ml_fail(db->ctx, ML_LIMIT, "query too long") : ML_OK;
    }
    ml_buf text[ML_TERMS_MAX];
    for (size_t i = 0; i < ML_TERMS_MAX; i++)
        ml_buf_init(&text[i], 1 << 16);
    ml_err r = ML_OK;
    /* The sub-class indexes of the rowid are the lexicon's plus one. */
    sq_state *s = db->impl;
    term_stats *stats = NULL;
    if (s->nnaf == ml_lexicon_naf_count(plan->lex)) stats = calloc(plan->nterms, sizeof *stats);
    for (size_t i = 0; stats && i < plan->nterms && !r; i++)
        r = term_stats_load(db, &plan->terms[i], &stats[i]);
    for (size_t i = 0; i < plan->nterms && !r; i++) {
        r = add_text(db, &text[i], &plan->terms[i], "{name place}");
        if (!r && ml_buf_failed(&text[i])) r = ml_fail(db->ctx, ML_LIMIT, "query too long");
    }
    static const struct {
        int tier, only;
    } parts[EXPRS] = {[EXPR_TRADES] = {ML_TIER_STRONG, CLAUSES_BY_TRADE},
                      [EXPR_TEXT] = {ML_TIER_STRONG, CLAUSES_BY_TEXT},
                      [EXPR_OWN] = {ML_TIER_STRONG, CLAUSES_ALL},
                      [EXPR_WIDER] = {ML_TIER_ALL, CLAUSES_ALL}};
    for (size_t k = 0; k < EXPRS && !r; k++) {
        if (k == EXPR_WIDER && !ml_plan_has_wider(plan)) {
            none[k] = true;
            break;
        }
        ml_buf *e = &exprs[k];
        ml_buf_addf(e, "%s%s(", filters, and_f);
        tier_ctx t = {plan, e, text, stats, parts[k].tier, parts[k].only, 0};
        ml_plan_clauses(plan, parts[k].tier, add_clause, &t);
        ml_buf_addch(e, ')');
        if (t.n == 0)
            ml_buf_reset(e), none[k] = true;
        else if (ml_buf_failed(e))
            r = ml_fail(db->ctx, ML_LIMIT, "query too long");
    }
    free(stats);
    for (size_t i = 0; i < ML_TERMS_MAX; i++)
        ml_buf_release(&text[i]);
    *n = EXPRS;
    return r;
}

/* The index query of a search: an FTS5 expression (may be empty) and the
 * end of the range of rowids wanted, in rank order. */
static sqlite3_stmt *prepare_fts(ml_db *db, const char *expr, int64_t end_rowid, const char *select,
                                 const char *tail)
{
    sq_state *s = db->impl;
    char sql[512];
    ml_snprintf(sql, sizeof sql, "%s FROM etab_fts WHERE rowid < ?1%s ORDER BY rowid %s", select,
                *expr ? " AND etab_fts MATCH ?2" : "", tail);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_int64(st, 1, end_rowid);
    if (*expr) sqlite3_bind_text(st, 2, expr, -1, SQLITE_STATIC);
    return st;
}

static void put_count(json_t *o, const char *key, uint32_t n)
{
    if (!n) return;
    json_t *v = json_object_get(o, key);
    json_object_set_new(o, key, json_integer((v ? json_integer_value(v) : 0) + n));
}

/* What a scan of the widest tier counts: matches (up to a cap) and, for
 * facets, matches by commune, NAF sub-class and size band, read from their
 * rowids alone: no row is fetched. */
typedef struct tally {
    int64_t n, cap;
    bool facets;
    uint32_t *by_commune; /* index in the commune cache + 1; 0 = none */
    uint32_t by_naf[SQ_NAF_MASK + 1], by_size[16];
} tally;

static void tally_row(sq_state *s, tally *t, int64_t id)
{
    t->n++;
    if (!t->facets) return;
    int num = (int)((id >> SQ_COM_SHIFT) & SQ_COM_MASK);
    t->by_commune[num < SQ_COM_NUMS ? s->commune_by_num[num] : 0]++;
    t->by_naf[id & SQ_NAF_MASK]++;
    t->by_size[sq_fts_size_rank(id)]++;
}

static json_t *tally_facets(ml_json_build *jb, ml_db *db, const tally *t)
{
    sq_state *s = db->impl;
    json_t *dep = json_object(), *sec = json_object(), *size = json_object();
    put_count(dep, "?", t->by_commune[0]);
    for (size_t i = 0; i < s->ncommunes; i++)
        put_count(dep, s->communes[i].dep[0] ? s->communes[i].dep : "?", t->by_commune[i + 1]);
    put_count(sec, "?", t->by_naf[0]);
    for (size_t i = 0; i < s->nnaf && i < SQ_NAF_MASK; i++)
        put_count(sec, s->nafs[i].level[SQ_A21][0] ? s->nafs[i].level[SQ_A21] : "?",
                  t->by_naf[i + 1]);
    put_count(size, "NN", t->by_size[0]);
    for (size_t i = 0; i < ML_ARRAY_LEN(sq_size_bands); i++)
        put_count(size, sq_size_bands[i], t->by_size[i + 1]);
    json_t *out = ml_json_pack(
        jb, "{s:o, s:o, s:o, s:I, s:b}", "departement",
        facet_list(jb, db, dep, "SELECT name FROM departement WHERE code = ?"), "section",
        facet_list(jb, db, sec, "SELECT label_en FROM naf_level WHERE level = 'A21' AND code = ?"),
        "size", facet_list(jb, db, size, NULL), "counted", (json_int_t)t->n, "complete",
        t->n < FACET_CAP);
    json_decref(dep);
    json_decref(sec);
    json_decref(size);
    return out;
}

/* Counts (and facets) the first t->cap matches of expr, in rank order. */
static ml_err tally_scan(ml_db *db, const char *expr, int64_t end_rowid, tally *t)
{
    sqlite3_stmt *st = prepare_fts(db, expr, end_rowid, "SELECT rowid", "LIMIT ?3");
    if (!st) return sq_fail(db, "search");
    sqlite3_bind_int64(st, 3, t->cap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        tally_row(db->impl, t, sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "search");
}

/* The SIRET of an index row (0 if none). */
static ml_err siret_of(ml_db *db, int64_t rowid, int64_t *siret)
{
    sq_state *s = db->impl;
    *siret = 0;
    if (!s->siret_of_rowid &&
        sqlite3_prepare_v3(s->sql, "SELECT siret FROM etab_fts WHERE rowid = ?", -1,
                           SQLITE_PREPARE_PERSISTENT, &s->siret_of_rowid, NULL) != SQLITE_OK)
        return sq_fail(db, "search");
    sqlite3_reset(s->siret_of_rowid);
    sqlite3_bind_int64(s->siret_of_rowid, 1, rowid);
    int rc = sqlite3_step(s->siret_of_rowid);
    if (rc == SQLITE_ROW) *siret = sqlite3_column_int64(s->siret_of_rowid, 0);
    sqlite3_reset(s->siret_of_rowid);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ML_OK : sq_fail(db, "search");
}

/* Rowids of the tiers read so far. */
typedef struct rowid_set {
    int64_t *v;
    size_t n, cap;
} rowid_set;

static int cmp_rowid(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Reads one tier in rank order: rows of earlier tiers (`seen`) are passed
 * over, *skip rows are skipped, then results are appended until *got
 * reaches limit. The tier's rowids join `seen`. With a tally (the widest
 * tier), every row is also counted, and the scan goes on to its cap: the
 * same pass gives the results, the total and the facets. */
static ml_err tier_rows(ml_db *db, const char *expr, int64_t end_rowid, unsigned limit,
                        unsigned *skip, unsigned *got, rowid_set *seen, json_t *results, tally *t)
{
    size_t before = seen->n, p = 0;
    /* Both the earlier tiers' rowids and the tier's rows are in ascending
     * order: one pointer walks the former. */
    if (before) qsort(seen->v, before, sizeof *seen->v, cmp_rowid);
    sqlite3_stmt *st = prepare_fts(db, expr, end_rowid, "SELECT rowid", "LIMIT ?3");
    if (!st) return sq_fail(db, "search");
    int64_t want = (int64_t)*skip + (limit - *got) + (int64_t)before;
    sqlite3_bind_int64(st, 3, t && t->cap > want ? t->cap : want);
    int rc = SQLITE_DONE;
    ml_err r = ML_OK;
    while (!r && (*got < limit || t) && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (t) tally_row(db->impl, t, id);
        if (*got >= limit) continue;
        while (p < before && seen->v[p] < id)
            p++;
        if (p < before && seen->v[p] == id) continue;
        if (seen->n == seen->cap) {
            size_t cap = seen->cap ? seen->cap * 2 : 256;
            int64_t *v = realloc(seen->v, cap * sizeof *v);
            if (!v) {
                r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
                break;
            }
            seen->v = v;
            seen->cap = cap;
        }
        seen->v[seen->n++] = id;
        if (*skip) {
            (*skip)--;
            continue;
        }
        /* The SIRET is read for the rows shown only (a read of the index's
         * content, which a scan of rowids never makes). */
        json_t *one = NULL;
        int64_t siret = 0;
        if (!(r = siret_of(db, id, &siret)) && siret) r = sq_brief(db, siret, &one);
        if (one) json_array_append_new(results, one), (*got)++;
    }
    if (!r && rc != SQLITE_DONE && rc != SQLITE_ROW) r = sq_fail(db, "search");
    sqlite3_finalize(st);
    return r;
}

/* A SIRET or a SIREN typed in the box: that establishment, or the
 * company's establishments that may be shown (open first, head office first). */
static ml_err by_identifier(ml_db *db, const ml_plan *plan, json_t *results, int64_t *total)
{
    sq_state *s = db->impl;
    *total = 0;
    if (plan->siret) {
        json_t *one = NULL;
        ml_err r = sq_brief(db, plan->siret, &one);
        if (r) return r;
        if (one && plan->offset == 0)
            json_array_append_new(results, one);
        else
            json_decref(one);
        *total = one ? 1 : 0;
        return ML_OK;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT siret FROM etab WHERE siren = ?1 AND diffusion = 'O' ORDER BY"
                           " state = 'A' DESC, head_office DESC, siret LIMIT ?2 OFFSET ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "search");
    sqlite3_bind_int64(st, 1, plan->siren);
    sqlite3_bind_int(st, 2, (int)plan->limit);
    sqlite3_bind_int(st, 3, (int)plan->offset);
    ml_err r = ML_OK;
    while (!r && sqlite3_step(st) == SQLITE_ROW) {
        json_t *one = NULL;
        r = sq_brief(db, sqlite3_column_int64(st, 0), &one);
        if (one) json_array_append_new(results, one);
    }
    sqlite3_finalize(st);
    if (r) return r;
    if (sqlite3_prepare_v2(s->sql, "SELECT count(*) FROM etab WHERE siren = ?1 AND diffusion = 'O'",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "search");
    sqlite3_bind_int64(st, 1, plan->siren);
    if (sqlite3_step(st) == SQLITE_ROW) *total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ML_OK;
}

ml_err sq_search(ml_db *db, const ml_plan *plan, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    *out = NULL;
    ml_err r = sq_cache_load(db);
    if (r) return r;
    char flag[16] = "", fold[16] = "";
    if ((r = sq_meta_get(db, "search_index", flag, sizeof flag)) ||
        (r = sq_meta_get(db, "search_fold", fold, sizeof fold)))
        return r;
    if (strcmp(flag, "rebuild") == 0 || (*fold && strcmp(fold, ML_FOLD_VERSION) != 0))
        return ml_fail(db->ctx, ML_DB,
                       "%s: the search index must be filled again after an upgrade: run "
                       "`maillage init` once",
                       db->path);
    sq_state *s = db->impl;
    json_t *results = json_array(), *facet = NULL;
    ml_buf filters, exprs[EXPRS];
    rowid_set seen = {0};
    tally t = {0};
    ml_buf_init(&filters, 1 << 16);
    for (int i = 0; i < EXPRS; i++)
        ml_buf_init(&exprs[i], 1 << 20);
    int64_t total = 0, end_rowid = INT64_MAX;
    bool exact = true, wider = false;
    if (plan->siret || plan->siren) {
        if ((r = by_identifier(db, plan, results, &total))) goto out;
        goto done;
    }
    size_t n = 0;
    bool none[EXPRS];
    if ((r = plan_filters(db, plan, &filters, &end_rowid)) ||
        (r = plan_exprs(db, plan, ml_buf_cstr(&filters), exprs, none, &n)))
        goto out;
    /* Results tier by tier: own trades, then text alone, then wider trades.
     * Rows of an earlier tier are skipped in C, by their rowid (a tier is
     * read to its end before the next is read, so at most offset + limit
     * rowids are kept). The last expression holds every match: when it is
     * read, it also gives the total and the facets in the same pass. */
    t.cap = plan->facets ? FACET_CAP : COUNT_CAP + 1;
    t.facets = plan->facets;
    if (plan->facets && !(t.by_commune = calloc(s->ncommunes + 1, sizeof *t.by_commune))) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    unsigned got = 0, skip = plan->offset;
    bool tallied = false;
    size_t all = 0; /* the expression that holds every result */
    if (n == 1) {
        tallied = !none[0];
        if (tallied && (r = tier_rows(db, ml_buf_cstr(&exprs[0]), end_rowid, plan->limit, &skip,
                                      &got, &seen, results, &t)))
            goto out;
    } else {
        /* Own trades, then text alone; wider trades only when both found
         * nothing at all (not even rows skipped by the offset): they are
         * neighbours of what was asked, not what was asked. */
        for (size_t k = EXPR_TRADES; k <= EXPR_TEXT && got < plan->limit; k++) {
            if (none[k]) continue;
            ml_log(db->ctx, ML_LOG_DEBUG, "search tier %zu: %.900s", k + 1, ml_buf_cstr(&exprs[k]));
            if ((r = tier_rows(db, ml_buf_cstr(&exprs[k]), end_rowid, plan->limit, &skip, &got,
                               &seen, results, NULL)))
                goto out;
        }
        wider = seen.n == 0 && !none[EXPR_WIDER];
        all = wider ? EXPR_WIDER : EXPR_OWN;
        if (wider) {
            ml_log(db->ctx, ML_LOG_DEBUG, "search wider: %.900s", ml_buf_cstr(&exprs[all]));
            tallied = true;
            if ((r = tier_rows(db, ml_buf_cstr(&exprs[all]), end_rowid, plan->limit, &skip, &got,
                               &seen, results, &t)))
                goto out;
        }
    }
    /* A page that is not full read every tier to its end: it gives the
     * total. A full one scans the expression of every result for the total
     * and the facets (unless it was read already). */
    bool full = got == plan->limit;
    if (!none[all] && !tallied && (full || plan->facets) &&
        (r = tally_scan(db, ml_buf_cstr(&exprs[all]), end_rowid, &t)))
        goto out;
    total = none[all] ? 0 : full ? t.n : (int64_t)(plan->offset - skip) + got;
    if (plan->facets) facet = tally_facets(jb, db, &t);
    exact = total <= COUNT_CAP;
done:;
    json_t *res = json_object();
    json_object_set_new(res, "total", json_integer(total > COUNT_CAP ? COUNT_CAP : total));
    json_object_set_new(res, "total_exact", json_boolean(exact));
    json_object_set_new(res, "wider", json_boolean(wider));
    json_object_set_new(res, "results", results);
    results = NULL;
    if (facet) json_object_set_new(res, "facets", facet), facet = NULL;
    *out = res;
    r = json_checked(db, jb, out);
out:
    json_decref(results);
    json_decref(facet);
    ml_buf_release(&filters);
    free(seen.v);
    free(t.by_commune);
    for (int i = 0; i < EXPRS; i++)
        ml_buf_release(&exprs[i]);
    return r;
}

/* ---------------------------------------------------------------------- show */

static json_t *naf_levels_json(ml_json_build *jb, ml_db *db, const char *code)
{
    sq_state *s = db->impl;
    const sq_naf *f = sq_naf_find(s, code);
    if (!f) return json_null();
    static const char *const names[SQ_NAF_LEVELS] = {"class", "group", "A129", "A88",
                                                     "A64",   "A38",   "A21",  "A10"};
    json_t *levels = json_array();
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(s->sql,
                       "SELECT label_fr, label_en FROM naf_level WHERE level = ? AND code = ?", -1,
                       &st, NULL);
    sqlite3_stmt *sub = NULL;
    sqlite3_prepare_v2(s->sql, "SELECT label FROM naf WHERE code = ?", -1, &sub, NULL);
    json_t *sublabel = json_null();
    if (sub) {
        sqlite3_bind_text(sub, 1, code, -1, SQLITE_STATIC);
        if (sqlite3_step(sub) == SQLITE_ROW) {
            json_decref(sublabel);
            sublabel = col_json(sub, 0);
        }
        sqlite3_finalize(sub);
    }
    json_array_append_new(levels, ml_json_pack(jb, "{s:s, s:s, s:o, s:n}", "level", "subclass",
                                               "code", f->code, "label_fr", sublabel, "label_en"));
    for (int i = 0; i < SQ_NAF_LEVELS; i++) {
        const char *lv = strcmp(names[i], "A88") == 0 ? "A88" : names[i];
        json_t *fr = json_null(), *en = json_null();
        if (st) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, lv, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, f->level[i], -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW) {
                json_decref(fr);
                json_decref(en);
                fr = col_json(st, 0);
                en = col_json(st, 1);
            }
        }
        json_array_append_new(levels,
                              ml_json_pack(jb, "{s:s, s:s, s:o, s:o}", "level", names[i], "code",
                                           f->level[i], "label_fr", fr, "label_en", en));
    }
    sqlite3_finalize(st);
    return levels;
}

/* commune -> (arrondissement parent) -> EPCI -> département -> région. */
static json_t *territory_chain(ml_json_build *jb, ml_db *db, const char *commune)
{
    sq_state *s = db->impl;
    static const char sql[] =
        "SELECT c.code, c.name, c.type, p.code, p.name, e.code, e.name, e.type, d.code, d.name,"
        " r.code, r.name FROM commune c LEFT JOIN commune p ON p.code = c.parent"
        " LEFT JOIN epci e ON e.code = c.epci LEFT JOIN departement d ON d.code = c.departement"
        " LEFT JOIN region r ON r.code = c.region WHERE c.code = ?";
    sqlite3_stmt *st = NULL;
    if (!commune || sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return json_array();
    sqlite3_bind_text(st, 1, commune, -1, SQLITE_STATIC);
    json_t *chain = json_array();
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *type = sq_col_text(st, 2);
        json_array_append_new(chain,
                              ml_json_pack(jb, "{s:s, s:o, s:o}", "kind",
                                           type && strcmp(type, "ARM") == 0    ? "arrondissement"
                                           : type && strcmp(type, "COMD") == 0 ? "former_commune"
                                                                               : "commune",
                                           "code", col_json(st, 0), "name", col_json(st, 1)));
        static const struct {
            int col;
            const char *kind;
        } up[] = {{3, "commune"}, {5, "epci"}, {8, "departement"}, {10, "region"}};
        for (size_t i = 0; i < ML_ARRAY_LEN(up); i++) {
            if (sqlite3_column_type(st, up[i].col) == SQLITE_NULL) continue;
            json_t *item =
                ml_json_pack(jb, "{s:s, s:o, s:o}", "kind", up[i].kind, "code",
                             col_json(st, up[i].col), "name", col_json(st, up[i].col + 1));
            if (up[i].col == 5) json_object_set_new(item, "type", col_json(st, 7));
            json_array_append_new(chain, item);
        }
    }
    sqlite3_finalize(st);
    return chain;
}

/* A legal unit's public fields from columns c.. of a row: acronym, category,
 * category_year, legal_form, created, state, ess (this order). */
static void unit_fields(ml_db *db, json_t *o, sqlite3_stmt *st, int c)
{
    static const char *const keys[] = {"acronym", "category", "category_year", "legal_form",
                                       "created"};
    for (int i = 0; i < 5; i++)
        json_object_set_new(o, keys[i], col_json(st, c + i));
    /* The legal form in words (catégorie juridique), when its code is known. */
    sq_state *s = db->impl;
    sqlite3_stmt *lf = NULL;
    const char *code = sq_col_text(st, c + 3);
    json_t *label = json_null();
    if (code && sqlite3_prepare_v2(s->sql, "SELECT label FROM legal_form WHERE code = ?", -1, &lf,
                                   NULL) == SQLITE_OK) {
        sqlite3_bind_text(lf, 1, code, -1, SQLITE_STATIC);
        if (sqlite3_step(lf) == SQLITE_ROW) label = json_string(sq_col_text(lf, 0));
    }
    sqlite3_finalize(lf);
    json_object_set_new(o, "legal_form_label", label);
    const char *state = sq_col_text(st, c + 5), *ess = sq_col_text(st, c + 6);
    json_object_set_new(o, "active", json_boolean(state && state[0] == 'A'));
    json_object_set_new(o, "social_economy", json_boolean(ess && ess[0] == 'O'));
}

ml_err sq_show(ml_db *db, int64_t siret, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    sq_state *s = db->impl;
    ml_err r = sq_cache_load(db);
    if (r) return r;
    static const char sql[] =
        "SELECT e.siret, e.siren, e.diffusion, e.state, e.created, e.size_band, e.size_year,"
        " e.head_office, e.sign, e.usual_name, e.address, e.postcode, e.city, e.commune, e.naf,"
        " e.naf_raw, e.naf25, e.employer, e.lat, e.lon, e.geo, e.generated,"
        " u.diffusion, u.name, u.acronym, u.category, u.category_year, u.legal_form, u.created,"
        " u.state, u.ess, (SELECT count(*) FROM etab x WHERE x.siren = e.siren AND x.state = 'A')"
        " FROM etab e LEFT JOIN unite u ON u.siren = e.siren WHERE e.siret = ?";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(db, "show");
    sqlite3_bind_int64(st, 1, siret);
    int rc = sqlite3_step(st);
    char shown[ML_SIRET_SIZE];
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) return sq_fail(db, "show");
        return ml_fail(db->ctx, ML_NOTFOUND, "SIRET %s is not in the database",
                       ml_siret_format(siret, shown));
    }
    if (sq_col_text(st, 2)[0] != 'O') {
        sqlite3_finalize(st);
        return ml_fail(db->ctx, ML_PRIVATE,
                       "SIRET %s has restricted diffusion (statut P): maillage counts it in "
                       "statistics but never shows it",
                       ml_siret_format(siret, shown));
    }
    char sirets[ML_SIRET_SIZE], sirens[ML_SIREN_SIZE];
    ml_siret_format(sqlite3_column_int64(st, 0), sirets);
    ml_siren_format(sqlite3_column_int64(st, 1), sirens);
    const char *sign = sq_col_text(st, 8), *usual = sq_col_text(st, 9);
    bool unit_public = sqlite3_column_type(st, 22) != SQLITE_NULL && sq_col_text(st, 22)[0] == 'O';
    const char *company = unit_public ? sq_col_text(st, 23) : NULL;
    json_t *o = json_object();
    json_object_set_new(o, "siret", json_string(sirets));
    json_object_set_new(o, "name", str_or_null(sign ? sign : usual ? usual : company));
    json_object_set_new(o, "sign", str_or_null(sign));
    json_object_set_new(o, "usual_name", str_or_null(usual));
    json_object_set_new(o, "active", json_boolean(sq_col_text(st, 3)[0] == 'A'));
    json_object_set_new(o, "created", col_json(st, 4));
    json_object_set_new(o, "head_office", json_boolean(sqlite3_column_int(st, 7)));
    json_t *size = size_json(jb, sq_col_text(st, 5));
    json_object_set_new(size, "year", col_json(st, 6));
    json_object_set_new(o, "size", size);
    json_object_set_new(o, "employer", col_json(st, 17));
    json_object_set_new(o, "address",
                        ml_json_pack(jb, "{s:o, s:o, s:o}", "street", col_json(st, 10), "postcode",
                                     col_json(st, 11), "city", col_json(st, 12)));

    int geo = sqlite3_column_int(st, 20);
    json_object_set_new(o, "position",
                        geo ? ml_json_pack(jb, "{s:f, s:f, s:s, s:b}", "lat",
                                           sqlite3_column_double(st, 18), "lon",
                                           sqlite3_column_double(st, 19), "source",
                                           geo_names[geo & 3], "approximate", geo == ML_GEO_COMMUNE)
                            : json_null());
    json_object_set_new(o, "activity",
                        ml_json_pack(jb, "{s:o, s:o, s:o, s:o}", "code", col_json(st, 14),
                                     "as_published", col_json(st, 15), "naf2025", col_json(st, 16),
                                     "levels", naf_levels_json(jb, db, sq_col_text(st, 14))));
    json_object_set_new(o, "territory", territory_chain(jb, db, sq_col_text(st, 13)));
    {
        /* As French writes it: "99 rue de la Liberation, 13100 Aix-en-Provence"
         * (the commune's own name, not SIRENE's upper-case label). */
        ml_buf d;
        ml_buf_init(&d, 1024);
        ml_address_normal_case(&d, sq_col_text(st, 10));
        const char *pc = sq_col_text(st, 11);
        const char *city = json_string_value(
            json_object_get(json_array_get(json_object_get(o, "territory"), 0), "name"));
        if (!city) city = sq_col_text(st, 12);
        if ((pc || city) && d.len) ml_buf_addstr(&d, ", ");
        if (pc) ml_buf_addf(&d, "%s ", pc);
        if (city) ml_buf_addstr(&d, city);
        /* too long to write out: no display form, the parts are there */
        json_object_set_new(json_object_get(o, "address"), "display",
                            d.len && !ml_buf_failed(&d) ? json_string(ml_buf_cstr(&d))
                                                        : json_null());
        ml_buf_release(&d);
    }
    json_t *co = ml_json_pack(jb, "{s:s, s:o}", "siren", sirens, "name", str_or_null(company));
    if (unit_public) unit_fields(db, co, st, 24);
    json_object_set_new(co, "active_establishments", col_json(st, 31));
    json_object_set_new(o, "company", co);
    json_object_set_new(o, "generated", json_boolean(sqlite3_column_int(st, 21)));
    sqlite3_finalize(st);
    *out = o;
    return json_checked(db, jb, out);
}

/* ----------------------------------------------------------------- territory */

typedef struct territory {
    const char *kind;
    char code[16];
    char where[160]; /* SQL condition on commune alias c */
} territory;

/* Resolves "13", "200054807", "13055", "reg:93", "FR"... */
static ml_err resolve_territory(ml_db *db, const char *code, territory *t, json_t **info)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    static const struct {
        const char *prefix, *kind, *table, *column;
    } kinds[] = {
        {"com:", "commune", "commune", "code"},
        {"epci:", "epci", "epci", "epci"},
        {"dep:", "departement", "departement", "departement"},
        {"reg:", "region", "region", "region"},
    };
    if (!code || !*code) return ml_fail(db->ctx, ML_INVALID, "empty territory code");
    if (strcmp(code, "FR") == 0 || strcmp(code, "fr") == 0) {
        t->kind = "country";
        ml_snprintf(t->code, sizeof t->code, "FR");
        ml_snprintf(t->where, sizeof t->where, "1");
        *info =
            ml_json_pack(jb, "{s:s, s:s, s:s}", "kind", "country", "code", "FR", "name", "France");
        return json_checked(db, jb, info);
    }
    int k = -1;
    const char *c = code;
    for (size_t i = 0; i < ML_ARRAY_LEN(kinds); i++) {
        size_t pl = strlen(kinds[i].prefix);
        if (strncmp(code, kinds[i].prefix, pl) == 0) {
            k = (int)i;
            c = code + pl;
        }
    }
    size_t n = strlen(c);
    if (!code_ok(c)) return ml_fail(db->ctx, ML_INVALID, "invalid territory code '%s'", code);
    if (k < 0) k = n == 9 ? 1 : n == 5 ? 0 : (n == 2 || n == 3) ? 2 : -1;
    if (k < 0)
        return ml_fail(db->ctx, ML_INVALID,
                       "cannot tell what '%s' is: use a commune (13055), EPCI (200054807), "
                       "département (13) code, reg:93 for a région, or FR",
                       code);
    sq_state *s = db->impl;
    char sql[128];
    ml_snprintf(sql, sizeof sql, "SELECT name FROM %s WHERE code = ?", kinds[k].table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "territory");
    sqlite3_bind_text(st, 1, c, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return ml_fail(db->ctx, ML_NOTFOUND, "no %s with code '%s'", kinds[k].kind, c);
    }
    *info = ml_json_pack(jb, "{s:s, s:s, s:o}", "kind", kinds[k].kind, "code", c, "name",
                         col_json(st, 0));
    sqlite3_finalize(st);
    t->kind = kinds[k].kind;
    ml_snprintf(t->code, sizeof t->code, "%s", c);
    /* A commune also covers its arrondissements (Paris, Lyon, Marseille). */
    if (k == 0)
        ml_snprintf(t->where, sizeof t->where, "(c.code = ?1 OR c.parent = ?1)");
    else
        ml_snprintf(t->where, sizeof t->where, "c.%s = ?1", kinds[k].column);
    return json_checked(db, jb, info);
}

/* Prepares `sql` (a query on the territory's condition, which it frees) and
 * binds the territory's code as ?1; NULL on failure. */
static sqlite3_stmt *territory_prepare(ml_db *db, const territory *t, ml_buf *sql)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    /* A statement cut by its buffer's cap is never prepared. */
    int rc = ml_buf_failed(sql) ? SQLITE_TOOBIG
                                : sqlite3_prepare_v2(s->sql, ml_buf_cstr(sql), -1, &st, NULL);
    ml_buf_release(sql);
    if (rc != SQLITE_OK) return NULL;
    if (strcmp(t->kind, "country") != 0) sqlite3_bind_text(st, 1, t->code, -1, SQLITE_STATIC);
    return st;
}

static int size_rank(json_t *v)
{
    const char *c = json_string_value(json_object_get(v, "code"));
    if (!c) return 1000; /* "other" last */
    if (strcmp(c, "NN") == 0) return 999;
    for (size_t i = 0; i < ML_ARRAY_LEN(size_labels); i++)
        if (strcmp(size_labels[i].code, c) == 0) return (int)i;
    return 998;
}

static int by_size_rank(const void *pa, const void *pb)
{
    return size_rank(*(json_t *const *)pa) - size_rank(*(json_t *const *)pb);
}

/* Size bands in their own order (0 employees first, unknown headcount and
 * "other" last), as a reader of a size distribution expects. */
static void sort_size_bands(json_t *list)
{
    size_t n = json_array_size(list);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return;
    for (size_t i = 0; i < n; i++) v[i] = json_incref(json_array_get(list, i));
    qsort(v, n, sizeof *v, by_size_rank);
    json_array_clear(list);
    for (size_t i = 0; i < n; i++) json_array_append_new(list, v[i]);
    free(v);
}

/* The key figures of a territory, each safe to publish: a count of 1 or 2 is
 * null, and so is a count whose complement in the figure above it is 1 or 2
 * (the closed establishments are total - active: when they are 1 or 2, the
 * total is withheld; the same for employers and restricted ones within the
 * active). See docs/privacy.md. */
static json_t *territory_figures(int64_t total, int64_t active, int64_t restricted,
                                 int64_t generated, int64_t approximate, int64_t employers)
{
    json_t *o = json_object();
    int64_t closed = total - active;
    bool closed_secret = closed > 0 && closed < ML_MIN_CELL;
    json_object_set_new(o, "total", closed_secret ? json_null() : safe_count(total));
    json_object_set_new(o, "active", safe_count(active));
    json_object_set_new(o, "closed", safe_count(closed));
    int64_t others = active - employers;
    json_object_set_new(o, "active_employers",
                        others > 0 && others < ML_MIN_CELL ? json_null() : safe_count(employers));
    others = active - restricted;
    json_object_set_new(o, "active_restricted",
                        others > 0 && others < ML_MIN_CELL ? json_null() : safe_count(restricted));
    json_object_set_new(o, "active_generated", safe_count(generated));
    json_object_set_new(o, "active_approximate_position", safe_count(approximate));
    return o;
}

/* Where the figures of a territory come from, with their dates: the SIRENE
 * import behind them (the latest run that wrote one of its establishments),
 * the latest creation date and headcount year found in them, the population
 * vintage and the geography (data/SOURCES.md). */
static json_t *territory_sources(ml_json_build *jb, ml_db *db, int64_t run,
                                 const char *latest_created, int64_t size_year, bool generated)
{
    sq_state *s = db->impl;
    json_t *sirene = ml_json_pack(jb, "{s:b}", "generated", generated);
    sqlite3_stmt *st = NULL;
    if (run > 0 &&
        sqlite3_prepare_v2(s->sql, "SELECT finished FROM import_run WHERE id = ?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run);
        if (sqlite3_step(st) == SQLITE_ROW)
            json_object_set_new(sirene, "imported", col_json(st, 0)); /* UTC */
    }
    sqlite3_finalize(st);
    json_object_set_new(sirene, "latest_creation", str_or_null(latest_created));
    json_object_set_new(sirene, "headcount_year", size_year > 0 ? json_integer(size_year)
                                                                : json_null());
    return ml_json_pack(
        jb, "{s:o, s:{s:i, s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}}", "sirene", sirene, "population",
        "year", ML_POPULATION_YEAR, "label_fr",
        "Populations légales " ML_STR(ML_POPULATION_YEAR) " de l'Insee (en vigueur au 1er "
                                                          "janvier " ML_STR(ML_POPULATION_NEXT) ")",
        "label_en",
        "INSEE legal populations " ML_STR(ML_POPULATION_YEAR) " (in force from 1 January " ML_STR(
            ML_POPULATION_NEXT) ")",
        "geography", "label_fr",
        "Code officiel géographique 2026 (Insee) et EPCI au 1er janvier 2026 (DGCL)", "label_en",
        "INSEE official geographic code 2026 and EPCI as of 1 January 2026 (DGCL)", "sectors",
        "label_fr", "Nomenclature d'activités française NAF rév. 2 (Insee), niveaux A10 et A38",
        "label_en", "French classification of activities NAF rev. 2 (INSEE), A10 and A38 levels");
}

/* French and English labels of a NAF aggregate level on each {code} of list. */
static void level_labels(ml_db *db, json_t *list, const char *level)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT label_fr, label_en FROM naf_level WHERE level = ? AND code = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *c = json_string_value(json_object_get(v, "code"));
        if (!c) continue;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            json_object_set_new(v, "label_fr", col_json(st, 0));
            json_object_set_new(v, "label_en", col_json(st, 1));
            json_object_set_new(v, "label", col_json(st, 1));
        }
    }
    sqlite3_finalize(st);
}

static ml_err territory_summary(ml_db *db, const char *code, json_t **out);

ml_err sq_territory(ml_db *db, const char *code, json_t **out)
{
    sq_state *s = db->impl;
    uint64_t stamp = 0;
    bool cacheable = strlen(code) < sizeof s->summaries[0].code &&
                     sq_data_stamp(db, &stamp) == ML_OK;
    for (size_t i = 0; cacheable && i < ML_ARRAY_LEN(s->summaries); i++)
        if (s->summaries[i].summary && s->summaries[i].stamp == stamp &&
            strcmp(s->summaries[i].code, code) == 0) {
            *out = json_deep_copy(s->summaries[i].summary);
            return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
        }
    ml_err r = territory_summary(db, code, out);
    if (r || !cacheable) return r;
    unsigned k = s->next_summary++ % ML_ARRAY_LEN(s->summaries);
    json_decref(s->summaries[k].summary);
    ml_snprintf(s->summaries[k].code, sizeof s->summaries[k].code, "%s", code);
    s->summaries[k].stamp = stamp;
    s->summaries[k].summary = json_deep_copy(*out);
    return ML_OK;
}

static ml_err territory_summary(ml_db *db, const char *code, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    territory t;
    json_t *info = NULL;
    ml_err r = resolve_territory(db, code, &t, &info);
    if (r) return r;
    sqlite3_stmt *st = NULL;
    json_t *o = json_object();
    json_object_set_new(o, "territory", info);
    /* A commune counts itself, or the arrondissement it is (Marseille 1er: 13201). */
    const char *communes = "(c.type = 'COM' OR (c.type = 'ARM' AND c.code = ?1))";
    ml_buf sql;
    ml_buf_init(&sql, 512);
    ml_buf_addf(&sql,
                "SELECT (SELECT count(*) FROM commune c WHERE %s AND %s),"
                " (SELECT sum(population) FROM commune c WHERE %s AND %s)",
                communes, t.where, communes, t.where);
    st = territory_prepare(db, &t, &sql);
    if (!st) {
        json_decref(o);
        return sq_fail(db, "territory");
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_object_set_new(info, "communes", col_json(st, 0));
        json_object_set_new(info, "population", col_json(st, 1));
    }
    sqlite3_finalize(st);
    /* Every figure and breakdown from one pass over the establishments. */
    ml_buf_init(&sql, 1024);
    ml_buf_addf(&sql,
                "SELECT f.a10, f.a38, coalesce(e.size_band, 'NN'), coalesce(c.parent, c.code),"
                " count(*), sum(e.state = 'A'), sum(e.state = 'A' AND e.diffusion <> 'O'),"
                " sum(e.state = 'A' AND e.generated), sum(e.state = 'A' AND e.geo = 3),"
                " sum(e.state = 'A' AND e.employer = 'O'), max(e.run), max(e.created),"
                " max(e.size_year)"
                " FROM etab e JOIN commune c ON c.code = e.commune"
                " LEFT JOIN naf f ON f.code = e.naf WHERE %s GROUP BY 1, 2, 3, 4",
                t.where);
    st = territory_prepare(db, &t, &sql);
    if (!st) {
        json_decref(o);
        return sq_fail(db, "territory");
    }
    json_t *dims[4] = {json_object(), json_object(), json_object(), json_object()};
    int64_t sum[6] = {0}, run = 0, size_year = 0;
    char created[16] = "";
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int k = 0; k < 6; k++) sum[k] += sqlite3_column_int64(st, 4 + k);
        if (sqlite3_column_int64(st, 10) > run) run = sqlite3_column_int64(st, 10);
        const char *c = sq_col_text(st, 11);
        if (c && strcmp(c, created) > 0) ml_snprintf(created, sizeof created, "%s", c);
        if (sqlite3_column_int64(st, 12) > size_year) size_year = sqlite3_column_int64(st, 12);
        int64_t active = sqlite3_column_int64(st, 5);
        if (active == 0) continue;
        for (int d = 0; d < 4; d++) {
            const char *key = sq_col_text(st, d);
            if (!key) key = "??"; /* an activity code missing from the NAF */
            json_t *cur = json_object_get(dims[d], key);
            json_object_set_new(dims[d], key,
                                json_integer(active + (cur ? json_integer_value(cur) : 0)));
        }
    }
    sqlite3_finalize(st);
    json_object_set_new(o, "establishments",
                        territory_figures(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5]));
    json_object_set_new(o, "contains_generated_data", json_boolean(sum[3] > 0));
    json_object_set_new(
        o, "sources",
        territory_sources(jb, db, run, created[0] ? created : NULL, size_year, sum[3] > 0));
    json_object_set_new(o, "by_a10", count_list(jb, db, dims[0], NULL, 0));
    json_object_set_new(o, "by_a38", count_list(jb, db, dims[1], NULL, 0));
    json_object_set_new(o, "by_size", count_list(jb, db, dims[2], NULL, 0));
    if (strcmp(t.kind, "commune") != 0)
        json_object_set_new(
            o, "top_communes",
            count_list(jb, db, dims[3], "SELECT name FROM commune WHERE code = ?", 10));
    for (int d = 0; d < 4; d++) json_decref(dims[d]);
    sort_size_bands(json_object_get(o, "by_size"));
    level_labels(db, json_object_get(o, "by_a10"), "A10");
    level_labels(db, json_object_get(o, "by_a38"), "A38");
    json_t *sizes = json_object_get(o, "by_size");
    size_t i;
    json_t *v;
    json_array_foreach(sizes, i, v)
    {
        const char *c = json_string_value(json_object_get(v, "code"));
        if (!c) continue;
        json_t *sj = size_json(jb, c);
        json_object_set(v, "label", json_object_get(sj, "label"));
        json_object_set(v, "label_fr", json_object_get(sj, "label_fr"));
        json_decref(sj);
    }
    json_object_set_new(o, "privacy",
                        ml_json_pack(jb, "{s:i, s:s}", "min_cell", ML_MIN_CELL, "rule",
                                     "counts below the threshold are not shown; establishments with"
                                     " restricted diffusion (statut P) are counted, never listed"));
    *out = o;
    return json_checked(db, jb, out);
}

/* Communes of a territory with population and centre; Paris, Lyon and
 * Marseille are given as their arrondissements, as SIRENE codes them. */
ml_err sq_territory_communes(ml_db *db, const char *code, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    territory t;
    json_t *info = NULL;
    ml_err r = resolve_territory(db, code, &t, &info);
    if (r) return r;
    ml_buf sql;
    ml_buf_init(&sql, 4096);
    ml_buf_addf(&sql,
                "SELECT c.code, c.name, c.population, c.lat, c.lon, c.departement FROM commune c"
                " WHERE %s AND ((c.type = 'COM' AND NOT EXISTS (SELECT 1 FROM commune a WHERE"
                " a.parent = c.code AND a.type = 'ARM')) OR c.type = 'ARM')"
                " AND c.lat IS NOT NULL ORDER BY c.code",
                t.where);
    sqlite3_stmt *st = territory_prepare(db, &t, &sql);
    if (!st) {
        json_decref(info);
        return sq_fail(db, "territory communes");
    }
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            list, ml_json_pack(jb, "{s:o, s:o, s:o, s:f, s:f, s:o}", "code", col_json(st, 0),
                               "name", col_json(st, 1), "population", col_json(st, 2), "lat",
                               sqlite3_column_double(st, 3), "lon", sqlite3_column_double(st, 4),
                               "departement", col_json(st, 5)));
    sqlite3_finalize(st);
    *out = ml_json_pack(jb, "{s:o, s:o}", "territory", info, "communes", list);
    return json_checked(db, jb, out);
}

ml_err sq_naf_table(ml_db *db, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, "SELECT code, label, a38, a21 FROM naf ORDER BY code", -1, &st,
                           NULL) != SQLITE_OK)
        return sq_fail(db, "read NAF");
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(list, ml_json_pack(jb, "{s:o, s:o, s:o, s:o}", "code",
                                                 col_json(st, 0), "label", col_json(st, 1), "a38",
                                                 col_json(st, 2), "a21", col_json(st, 3)));
    sqlite3_finalize(st);
    *out = list;
    return json_checked(db, jb, out);
}

/* The real SIRENE sample the demo draws from, and the shares of sector groups
 * by area: {"sample": [{"subclass", "band", "n"}], "groups": {area: {group: share}}}. */
ml_err sq_naf_sample(ml_db *db, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT subclass, band, establishments FROM naf_sample"
                           " ORDER BY subclass, band",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read the SIRENE sample");
    json_t *sample = json_array(), *groups = json_object();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(sample, ml_json_pack(jb, "{s:s, s:s, s:I}", "subclass",
                                                   sq_col_text(st, 0), "band", sq_col_text(st, 1),
                                                   "n", (json_int_t)sqlite3_column_int64(st, 2)));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->sql, "SELECT area, grp, share FROM naf_group_share", -1, &st, NULL) !=
        SQLITE_OK) {
        json_decref(sample);
        json_decref(groups);
        return sq_fail(db, "read the sector group shares");
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *area = sq_col_text(st, 0);
        json_t *g = json_object_get(groups, area);
        if (!g) json_object_set_new(groups, area, g = json_object());
        json_object_set_new(g, sq_col_text(st, 1), json_real(sqlite3_column_double(st, 2)));
    }
    sqlite3_finalize(st);
    *out = ml_json_pack(jb, "{s:o, s:o}", "sample", sample, "groups", groups);
    return json_checked(db, jb, out);
}

/* ------------------------------------------------------------ for the web */

/* A company (legal unit) and its establishments that may be shown. */
ml_err sq_company(ml_db *db, int64_t siren, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    static const char usql[] =
        "SELECT diffusion, name, acronym, category, category_year, legal_form, created,"
        " state, ess, naf FROM unite WHERE siren = ?";
    if (sqlite3_prepare_v2(s->sql, usql, -1, &st, NULL) != SQLITE_OK) return sq_fail(db, "company");
    sqlite3_bind_int64(st, 1, siren);
    char sirens[ML_SIREN_SIZE];
    ml_siren_format(siren, sirens);
    json_t *o = ml_json_pack(jb, "{s:s}", "siren", sirens);
    bool known = false, public_unit = true;
    if (sqlite3_step(st) == SQLITE_ROW) {
        known = true;
        public_unit = sq_col_text(st, 0)[0] == 'O';
        if (public_unit) {
            json_object_set_new(o, "name", col_json(st, 1));
            unit_fields(db, o, st, 2);
            json_object_set_new(o, "activity", col_json(st, 9));
        }
    }
    sqlite3_finalize(st);
    if (!public_unit) {
        json_decref(o);
        return ml_fail(db->ctx, ML_PRIVATE,
                       "SIREN %s has restricted diffusion (statut P): maillage counts it in "
                       "statistics but never shows it",
                       sirens);
    }
    json_t *list = json_array();
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT siret FROM etab WHERE siren = ? AND diffusion = 'O'"
                           " ORDER BY state, head_office DESC, siret LIMIT 1000",
                           -1, &st, NULL) != SQLITE_OK) {
        json_decref(o);
        json_decref(list);
        return sq_fail(db, "company");
    }
    sqlite3_bind_int64(st, 1, siren);
    ml_err r = ML_OK;
    while (!r && sqlite3_step(st) == SQLITE_ROW) {
        json_t *b = NULL;
        r = sq_brief(db, sqlite3_column_int64(st, 0), &b);
        if (b) json_array_append_new(list, b);
    }
    sqlite3_finalize(st);
    if (!known && json_array_size(list) == 0) {
        json_decref(o);
        json_decref(list);
        return r ? r : ml_fail(db->ctx, ML_NOTFOUND, "SIREN %s is not in the database", sirens);
    }
    json_object_set_new(o, "establishments", list);
    *out = o;
    return r ? r : json_checked(db, jb, out);
}

/* Children in the territorial tree: régions (parent NULL), départements of a
 * région, EPCI of a département, communes of an EPCI. */
ml_err sq_territory_children(ml_db *db, const char *parent, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    sq_state *s = db->impl;
    const char *sql, *kind, *arg = NULL;
    if (!parent || !*parent) {
        sql = "SELECT code, name FROM region ORDER BY code";
        kind = "region";
    } else if (strncmp(parent, "reg:", 4) == 0) {
        sql = "SELECT code, name FROM departement WHERE region = ?1 ORDER BY code";
        kind = "departement";
        arg = parent + 4;
    } else if (strlen(parent) <= 3) {
        sql = "SELECT DISTINCT e.code, e.name FROM epci e JOIN commune c ON c.epci = e.code"
              " WHERE c.departement = ?1 AND c.type = 'COM' ORDER BY e.name";
        kind = "epci";
        arg = parent;
    } else if (strlen(parent) == 9) {
        sql = "SELECT code, name FROM commune WHERE epci = ?1 AND type = 'COM' ORDER BY name";
        kind = "commune";
        arg = parent;
    } else {
        return ml_fail(db->ctx, ML_INVALID,
                       "parent must be empty (régions), reg:CODE (its départements), a "
                       "département code (its EPCI) or an EPCI SIREN (its communes)");
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "territories");
    if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(list, ml_json_pack(jb, "{s:s, s:o, s:o}", "kind", kind, "code",
                                                 col_json(st, 0), "name", col_json(st, 1)));
    sqlite3_finalize(st);
    *out = ml_json_pack(jb, "{s:o, s:o}", "parent",
                        parent && *parent ? json_string(parent) : json_null(), "children", list);
    return json_checked(db, jb, out);
}

/* Points of a territory's active, diffusible, placed establishments. */
ml_err sq_map_points(ml_db *db, const char *code, const char *naf, unsigned limit, json_t **out)
{
    ml_json_build jbuf = {0}, *jb = &jbuf;
    territory t;
    json_t *info = NULL;
    ml_err r = resolve_territory(db, code, &t, &info);
    if (r) return r;
    ml_buf sql;
    ml_buf_init(&sql, 4096);
    ml_buf_addf(&sql,
                "SELECT e.siret, coalesce(e.sign, e.usual_name, u.name), e.lat, e.lon, f.a10,"
                " e.geo, e.generated, e.naf FROM etab e JOIN commune c ON c.code = e.commune"
                " LEFT JOIN naf f ON f.code = e.naf LEFT JOIN unite u ON u.siren = e.siren"
                " AND u.diffusion = 'O' WHERE %s AND e.state = 'A' AND e.diffusion = 'O'"
                " AND e.geo > 0%s LIMIT ?3",
                t.where,
                naf ? " AND (e.naf = ?2 OR f.a88 = ?2 OR f.a38 = ?2 OR f.a21 = ?2"
                      " OR f.a10 = ?2)"
                    : "");
    sqlite3_stmt *st = territory_prepare(db, &t, &sql);
    if (!st) {
        json_decref(info);
        return sq_fail(db, "map");
    }
    if (naf) sqlite3_bind_text(st, 2, naf, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, (int)limit + 1);
    json_t *pts = json_array();
    bool truncated = false;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (json_array_size(pts) == limit) {
            truncated = true; /* the query asked for limit + 1 rows */
            break;
        }
        char sirets[ML_SIRET_SIZE];
        ml_siret_format(sqlite3_column_int64(st, 0), sirets);
        json_array_append_new(
            pts, ml_json_pack(jb, "{s:s, s:o, s:f, s:f, s:o, s:o, s:b, s:b}", "siret", sirets,
                              "name", col_json(st, 1), "lat", sqlite3_column_double(st, 2), "lon",
                              sqlite3_column_double(st, 3), "a10", col_json(st, 4), "naf",
                              col_json(st, 7), "approximate", sqlite3_column_int(st, 5) == 3,
                              "generated", sqlite3_column_int(st, 6) != 0));
    }
    sqlite3_finalize(st);
    *out = ml_json_pack(jb, "{s:o, s:o, s:b}", "territory", info, "points", pts, "truncated",
                        truncated);
    return json_checked(db, jb, out);
}

/* The active, public, placed establishments of a territory, one row each,
 * for the map's aggregation (lib/map). */
ml_err sq_map_rows(ml_db *db, const char *code, json_t **info_out, ml_map_row_fn fn, void *ud)
{
    territory t;
    json_t *info = NULL;
    *info_out = NULL;
    ml_err r = resolve_territory(db, code, &t, &info);
    if (r) return r;
    ml_buf sql;
    ml_buf_init(&sql, 4096);
    ml_buf_addf(&sql,
                "SELECT e.siret, e.lat, e.lon, f.code, f.a88, f.a38, f.a21, f.a10, e.geo,"
                " e.generated FROM etab e JOIN commune c ON c.code = e.commune"
                " LEFT JOIN naf f ON f.code = e.naf"
                " WHERE %s AND e.state = 'A' AND e.diffusion = 'O' AND e.geo > 0",
                t.where);
    sqlite3_stmt *st = territory_prepare(db, &t, &sql);
    if (!st) {
        json_decref(info);
        return sq_fail(db, "map");
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_map_row row = {
            .siret = sqlite3_column_int64(st, 0),
            .lat = sqlite3_column_double(st, 1),
            .lon = sqlite3_column_double(st, 2),
            .naf = (const char *)sqlite3_column_text(st, 3),
            .a88 = (const char *)sqlite3_column_text(st, 4),
            .a38 = (const char *)sqlite3_column_text(st, 5),
            .a21 = (const char *)sqlite3_column_text(st, 6),
            .a10 = (const char *)sqlite3_column_text(st, 7),
            .approximate = sqlite3_column_int(st, 8) == ML_GEO_COMMUNE,
            .generated = sqlite3_column_int(st, 9) != 0,
        };
        if (fn(ud, &row)) {
            sqlite3_finalize(st);
            json_decref(info);
            return ml_fail(db->ctx, ML_NOMEM, "out of memory reading the map's establishments");
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        json_decref(info);
        return sq_fail(db, "map");
    }
    *info_out = info;
    return ML_OK;
}

/* Display names (sign, usual name, or the public unit's name). */
ml_err sq_map_names(ml_db *db, const int64_t *sirets, size_t n, ml_map_name_fn fn, void *ud)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT coalesce(e.sign, e.usual_name, u.name) FROM etab e"
                           " LEFT JOIN unite u ON u.siren = e.siren AND u.diffusion = 'O'"
                           " WHERE e.siret = ? AND e.diffusion = 'O'",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "map names");
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, sirets[i]);
        const char *name = NULL;
        if (sqlite3_step(st) == SQLITE_ROW) name = (const char *)sqlite3_column_text(st, 0);
        int stop = fn(ud, sirets[i], name);
        sqlite3_reset(st);
        if (stop) {
            sqlite3_finalize(st);
            return ml_fail(db->ctx, ML_NOMEM, "out of memory reading names");
        }
    }
    sqlite3_finalize(st);
    return ML_OK;
}
