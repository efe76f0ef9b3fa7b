/* sqlite_read.c — reads of the SQLite backend: database info, full-text
 * search with filters and facets, one establishment, territories (places and
 * their establishments in groups). Establishments with diffusion status P
 * never leave this file except inside raw counts, which lib/privacy turns
 * into published figures (search facets, territory summaries). */
#include "core/size_band.h"
#include "search/search.h"
#include "store/info_sql.h"
#include "store/sqlite_impl.h"

#define COUNT_CAP   1000 /* "total" is exact up to this many matches */
#define FACET_CAP   5000 /* facets count the first matches in rank order */

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

/* ----------------------------------------------------------------------- info */

static int run_row(void *ud, const char *const *cols, size_t n)
{
    ml_store_info *o = ud;
    if (o->nruns < ML_INFO_RUNS) ml_info_run_from(&o->runs[o->nruns++], cols, n);
    return 0;
}

ml_err sq_info(ml_db *db, ml_store_info *out, ml_text_row_fn meta, void *ud)
{
    sq_state *s = db->impl;
    *out = (ml_store_info){0};
    ml_snprintf(out->where, sizeof out->where, "%s", db->path ? db->path : "");
    for (int i = 0; i < ML_INFO_ETABS; i++) {
        int64_t n = scalar(db, ml_info_sql[i], NULL);
        if (n < 0) return sq_fail(db, "count what the database holds");
        out->counts[i] = n;
    }
    /* The establishments' figures, in one pass over the table (the order
     * of ml_info_count from ML_INFO_ETABS). */
    static const char etab_sql[] = "SELECT count(*), total(state = 'A'), total(diffusion <> 'O'),"
                                   " total(generated), total(geo = 3) FROM etab";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, etab_sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return sq_fail(db, "count establishments");
    }
    for (int k = 0; k < ML_INFO_COUNTS - ML_INFO_ETABS; k++)
        out->counts[ML_INFO_ETABS + k] = (int64_t)sqlite3_column_double(st, k);
    sqlite3_finalize(st);
    ml_err r = sq_text_sql(db, "import runs", ml_info_runs_sql, NULL, 0, run_row, out, NULL);
    return r ? r : sq_text_sql(db, "meta values", ml_info_meta_sql, NULL, 0, meta, ud, NULL);
}

/* -------------------------------------------------------------------- search */

/* ------------------------------------------------------- establishments */

/* A legal unit from columns c.. of a row: siren, diffusion, state, name,
 * acronym, category, category_year, legal_form, naf, created, ess,
 * generated (the order of SQ_VIEW_COLUMNS and of sq_unite_get). */
ml_unite sq_unite_at(sqlite3_stmt *st, int c)
{
    const char *d = sq_col_text(st, c + 1), *state = sq_col_text(st, c + 2);
    return (ml_unite){.siren = sqlite3_column_int64(st, c),
                      .diffusion = d ? d[0] : 'P',
                      .state = state ? state[0] : 'C',
                      .name = sq_col_text(st, c + 3),
                      .acronym = sq_col_text(st, c + 4),
                      .category = sq_col_text(st, c + 5),
                      .category_year = sqlite3_column_int(st, c + 6),
                      .legal_form = sq_col_text(st, c + 7),
                      .naf = sq_col_text(st, c + 8),
                      .created = sq_col_text(st, c + 9),
                      .ess = sq_col_text(st, c + 10),
                      .generated = sqlite3_column_int(st, c + 11) != 0};
}

/* An establishment from columns 0 to 21 of a row: siret ... generated, in
 * the order of SQ_VIEW_COLUMNS (and of ETAB_COLUMNS, sqlite.c). */
void sq_etab_at(sqlite3_stmt *st, ml_etab *e)
{
    const char *diff = sq_col_text(st, 2), *state = sq_col_text(st, 3);
    *e = (ml_etab){.siret = sqlite3_column_int64(st, 0),
                   .siren = sqlite3_column_int64(st, 1),
                   .diffusion = diff ? diff[0] : 'P',
                   .state = state ? state[0] : 'F',
                   .created = sq_col_text(st, 4),
                   .size_band = sq_col_text(st, 5),
                   .size_year = sqlite3_column_int(st, 6),
                   .head_office = sqlite3_column_int(st, 7) != 0,
                   .sign = sq_col_text(st, 8),
                   .usual_name = sq_col_text(st, 9),
                   .address = sq_col_text(st, 10),
                   .postcode = sq_col_text(st, 11),
                   .city = sq_col_text(st, 12),
                   .commune = sq_col_text(st, 13),
                   .naf = sq_col_text(st, 14),
                   .naf_raw = sq_col_text(st, 15),
                   .naf25 = sq_col_text(st, 16),
                   .employer = sq_col_text(st, 17),
                   .lat = sqlite3_column_double(st, 18),
                   .lon = sqlite3_column_double(st, 19),
                   .geo = (ml_geo_source)(sqlite3_column_int(st, 20) & 3),
                   .generated = sqlite3_column_int(st, 21) != 0};
}

/* An establishment view's row (SQ_VIEW_COLUMNS) into its fields. */
static int view_row(sqlite3_stmt *st, ml_etab_view_fn fn, void *ud)
{
    ml_etab_view v = {
        .naf_label = sq_col_text(st, 22),
        .commune_name = sq_col_text(st, 23),
        .a10 = sq_col_text(st, 36),
        .has_unit = sqlite3_column_type(st, 24) != SQLITE_NULL,
    };
    sq_etab_at(st, &v.e);
    if (v.has_unit) v.u = sq_unite_at(st, 24);
    return fn(ud, &v);
}

ml_err sq_etab_get(ml_db *db, int64_t siret, ml_etab_view_fn fn, void *ud)
{
    sqlite3_stmt *st = sq_stmt(db, SQ_BRIEF);
    if (!st) return ML_DB;
    sqlite3_bind_int64(st, 1, siret);
    int rc = sqlite3_step(st);
    int stop = rc == SQLITE_ROW ? view_row(st, fn, ud) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sq_fail(db, "read establishment");
    return stop ? ml_fail(db->ctx, ML_NOMEM, "out of memory reading an establishment") : ML_OK;
}

ml_err sq_unit_etabs(ml_db *db, int64_t siren, unsigned max, ml_etab_view_fn fn, void *ud)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT " SQ_VIEW_COLUMNS SQ_VIEW_FROM " WHERE e.siren = ?1 ORDER BY"
                           " e.state = 'A' DESC, e.head_office DESC, e.siret LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "company");
    sqlite3_bind_int64(st, 1, siren);
    sqlite3_bind_int(st, 2, (int)max);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) stop = view_row(st, fn, ud);
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading establishments");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "company");
}

ml_err sq_unite_get(ml_db *db, int64_t siren, ml_unite_fn fn, void *ud)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT siren, diffusion, state, name, acronym, category, category_year,"
                           " legal_form, naf, created, ess, generated FROM unite WHERE siren = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "company");
    sqlite3_bind_int64(st, 1, siren);
    int rc = sqlite3_step(st), stop = 0;
    if (rc == SQLITE_ROW) {
        ml_unite u = sq_unite_at(st, 0);
        stop = fn(ud, &u);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sq_fail(db, "company");
    return stop ? ml_fail(db->ctx, ML_NOMEM, "out of memory reading a company") : ML_OK;
}

ml_err sq_unit_active(ml_db *db, int64_t siren, int64_t *n)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->sql, "SELECT count(*) FROM etab WHERE siren = ? AND state = 'A'", -1,
                           &st, NULL) != SQLITE_OK)
        return sq_fail(db, "company");
    sqlite3_bind_int64(st, 1, siren);
    if (sqlite3_step(st) == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ML_OK;
}

ml_err sq_legal_form_label(ml_db *db, const char *code, char *out, size_t size)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(s->sql, "SELECT label FROM legal_form WHERE code = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return sq_fail(db, "legal forms");
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sq_col_text(st, 0))
        ml_snprintf(out, size, "%s", sq_col_text(st, 0));
    sqlite3_finalize(st);
    return ML_OK;
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
        rank = ml_size_rank(plan->size_min);
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
        for (size_t i = (size_t)rank - 1; i < ML_SIZE_BANDS; i++)
            ml_buf_addf(f, "%ssz%s", i + 1 == (size_t)rank ? "" : " OR ", ml_size_bands[i].code);
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

/* The facets' raw counts, to the sink (lib/search applies the secrecy rule
 * and the labels). */
static int tally_facets(ml_db *db, const tally *t, const ml_hit_sink *k)
{
    sq_state *s = db->impl;
    int rc = 0;
#define FACET(dim, code, n)                                                                        \
    do {                                                                                           \
        if (n) rc = rc ? rc : k->facet(k->ud, dim, code, n);                                       \
    } while (0)
    FACET("departement", "?", t->by_commune[0]);
    for (size_t i = 0; i < s->ncommunes; i++)
        FACET("departement", s->communes[i].dep[0] ? s->communes[i].dep : "?", t->by_commune[i + 1]);
    FACET("section", "?", t->by_naf[0]);
    for (size_t i = 0; i < s->nnaf && i < SQ_NAF_MASK; i++)
        FACET("section", s->nafs[i].level[SQ_A21][0] ? s->nafs[i].level[SQ_A21] : "?",
              t->by_naf[i + 1]);
    FACET("size", "NN", t->by_size[0]);
    for (size_t i = 0; i < ML_SIZE_BANDS; i++)
        FACET("size", ml_size_bands[i].code, t->by_size[i + 1]);
#undef FACET
    return rc;
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
                        unsigned *skip, unsigned *got, rowid_set *seen, const ml_hit_sink *k,
                        tally *t)
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
        int64_t siret = 0;
        if (!(r = siret_of(db, id, &siret)) && siret) {
            if (k->hit(k->ud, siret)) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
            (*got)++;
        }
    }
    if (!r && rc != SQLITE_DONE && rc != SQLITE_ROW) r = sq_fail(db, "search");
    sqlite3_finalize(st);
    return r;
}

/* A SIRET or a SIREN typed in the box: that establishment, or the
 * company's establishments that may be shown (open first, head office first). */
static ml_err by_identifier(ml_db *db, const ml_plan *plan, const ml_hit_sink *k, int64_t *total)
{
    sq_state *s = db->impl;
    *total = 0;
    if (plan->siret) {
        /* lib/search drops it when it may not be shown. */
        if (plan->offset == 0 && k->hit(k->ud, plan->siret))
            return ml_fail(db->ctx, ML_NOMEM, "out of memory");
        *total = 1;
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
    while (!r && sqlite3_step(st) == SQLITE_ROW)
        if (k->hit(k->ud, sqlite3_column_int64(st, 0)))
            r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
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

ml_err sq_search(ml_db *db, const ml_plan *plan, const ml_hit_sink *sink, ml_hit_totals *out)
{
    memset(out, 0, sizeof *out);
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
    ml_buf filters, exprs[EXPRS];
    rowid_set seen = {0};
    tally t = {0};
    ml_buf_init(&filters, 1 << 16);
    for (int i = 0; i < EXPRS; i++)
        ml_buf_init(&exprs[i], 1 << 20);
    int64_t total = 0, end_rowid = INT64_MAX;
    bool exact = true, wider = false;
    if (plan->siret || plan->siren) {
        if ((r = by_identifier(db, plan, sink, &total))) goto out;
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
                                      &got, &seen, sink, &t)))
            goto out;
    } else {
        /* Own trades, then text alone; wider trades only when both found
         * nothing at all (not even rows skipped by the offset): they are
         * neighbours of what was asked, not what was asked. */
        for (size_t k = EXPR_TRADES; k <= EXPR_TEXT && got < plan->limit; k++) {
            if (none[k]) continue;
            ml_log(db->ctx, ML_LOG_DEBUG, "search tier %zu: %.900s", k + 1, ml_buf_cstr(&exprs[k]));
            if ((r = tier_rows(db, ml_buf_cstr(&exprs[k]), end_rowid, plan->limit, &skip, &got,
                               &seen, sink, NULL)))
                goto out;
        }
        wider = seen.n == 0 && !none[EXPR_WIDER];
        all = wider ? EXPR_WIDER : EXPR_OWN;
        if (wider) {
            ml_log(db->ctx, ML_LOG_DEBUG, "search wider: %.900s", ml_buf_cstr(&exprs[all]));
            tallied = true;
            if ((r = tier_rows(db, ml_buf_cstr(&exprs[all]), end_rowid, plan->limit, &skip, &got,
                               &seen, sink, &t)))
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
    if (plan->facets && tally_facets(db, &t, sink)) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    out->facets = plan->facets;
    out->counted = t.n;
    out->complete = t.n < FACET_CAP;
    exact = total <= COUNT_CAP;
done:
    out->total = total > COUNT_CAP ? COUNT_CAP : total;
    out->total_exact = exact;
    out->wider = wider;
out:
    ml_buf_release(&filters);
    free(seen.v);
    free(t.by_commune);
    for (int i = 0; i < EXPRS; i++)
        ml_buf_release(&exprs[i]);
    return r;
}

/* ---------------------------------------------------------------------- show */

ml_err sq_naf_levels(ml_db *db, const char *code, ml_level_fn fn, void *ud)
{
    sq_state *s = db->impl;
    ml_err r = sq_cache_load(db);
    if (r) return r;
    const sq_naf *f = sq_naf_find(s, code);
    if (!f) return ML_OK;
    static const char *const names[SQ_NAF_LEVELS] = {"class", "group", "A129", "A88",
                                                     "A64",   "A38",   "A21",  "A10"};
    sqlite3_stmt *st = NULL, *sub = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT label_fr, label_en FROM naf_level WHERE level = ? AND code = ?",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->sql, "SELECT label FROM naf WHERE code = ?", -1, &sub, NULL) !=
            SQLITE_OK) {
        sqlite3_finalize(st);
        return sq_fail(db, "NAF levels");
    }
    sqlite3_bind_text(sub, 1, code, -1, SQLITE_STATIC);
    int stop = fn(ud, "subclass", f->code,
                  sqlite3_step(sub) == SQLITE_ROW ? sq_col_text(sub, 0) : NULL, NULL);
    sqlite3_finalize(sub);
    for (int i = 0; !stop && i < SQ_NAF_LEVELS; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, names[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, f->level[i], -1, SQLITE_STATIC);
        bool row = sqlite3_step(st) == SQLITE_ROW;
        stop = fn(ud, names[i], f->level[i], row ? sq_col_text(st, 0) : NULL,
                  row ? sq_col_text(st, 1) : NULL);
    }
    sqlite3_finalize(st);
    return stop ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : ML_OK;
}

/* commune -> (arrondissement's city) -> EPCI -> département -> région. */
ml_err sq_commune_chain(ml_db *db, const char *commune, ml_chain_fn fn, void *ud)
{
    sq_state *s = db->impl;
    static const char sql[] =
        "SELECT c.code, c.name, c.type, p.code, p.name, e.code, e.name, e.type, d.code, d.name,"
        " r.code, r.name FROM commune c LEFT JOIN commune p ON p.code = c.parent"
        " LEFT JOIN epci e ON e.code = c.epci LEFT JOIN departement d ON d.code = c.departement"
        " LEFT JOIN region r ON r.code = c.region WHERE c.code = ?";
    sqlite3_stmt *st = NULL;
    if (!commune) return ML_OK;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "territory chain");
    sqlite3_bind_text(st, 1, commune, -1, SQLITE_STATIC);
    int stop = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *type = sq_col_text(st, 2);
        stop = fn(ud,
                  type && strcmp(type, "ARM") == 0    ? "arrondissement"
                  : type && strcmp(type, "COMD") == 0 ? "former_commune"
                                                      : "commune",
                  sq_col_text(st, 0), sq_col_text(st, 1), NULL);
        static const struct {
            int col;
            const char *kind;
        } up[] = {{3, "commune"}, {5, "epci"}, {8, "departement"}, {10, "region"}};
        for (size_t i = 0; !stop && i < ML_ARRAY_LEN(up); i++) {
            if (sqlite3_column_type(st, up[i].col) == SQLITE_NULL) continue;
            stop = fn(ud, up[i].kind, sq_col_text(st, up[i].col), sq_col_text(st, up[i].col + 1),
                      up[i].col == 5 ? sq_col_text(st, 7) : NULL);
        }
    }
    sqlite3_finalize(st);
    return stop ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : ML_OK;
}

/* ----------------------------------------------------------------- territory */

typedef struct territory {
    bool country;
    const char *code;
    char where[512]; /* SQL condition on commune alias c, ?1 = the code */
} territory;

static const char *const place_tables[] = {
    [ML_PLACE_COMMUNE] = "commune",
    [ML_PLACE_EPCI] = "epci",
    [ML_PLACE_DEPARTEMENT] = "departement",
    [ML_PLACE_REGION] = "region",
    /* A user's perimeter or a Territoire d'industrie (one row per commune). */
    [ML_PLACE_PERIMETER] = "(SELECT code, name FROM perimeter UNION ALL"
                           " SELECT code, name FROM ti)",
};

/* The communes of a perimeter (?1 its code), with their arrondissements. */
#define PERIMETER_COMMUNES                                                                         \
    "(SELECT commune FROM perimeter_commune WHERE perimeter = ?1 UNION ALL"                        \
    " SELECT commune FROM ti WHERE code = ?1)"

/* The SQL condition of a place on the commune table (alias c). */
static void place_where(const ml_place *p, territory *t)
{
    static const char *const columns[] = {
        [ML_PLACE_EPCI] = "epci",
        [ML_PLACE_DEPARTEMENT] = "departement",
        [ML_PLACE_REGION] = "region",
    };
    t->country = p->kind == ML_PLACE_COUNTRY;
    t->code = p->code;
    if (t->country)
        ml_snprintf(t->where, sizeof t->where, "1");
    else if (p->kind == ML_PLACE_COMMUNE) /* with its arrondissements (Paris, Lyon, Marseille) */
        ml_snprintf(t->where, sizeof t->where, "(c.code = ?1 OR c.parent = ?1)");
    else if (p->kind == ML_PLACE_PERIMETER)
        ml_snprintf(t->where, sizeof t->where,
                    "(c.code IN " PERIMETER_COMMUNES " OR c.parent IN " PERIMETER_COMMUNES ")");
    else
        ml_snprintf(t->where, sizeof t->where, "c.%s = ?1", columns[p->kind]);
}

/* Prepares `sql` (a query on the territory's condition, which it frees) and
 * binds the territory's code as ?1; NULL on failure. */
static sqlite3_stmt *territory_prepare(ml_db *db, const territory *t, ml_buf *sql);

sqlite3_stmt *sq_place_prepare(ml_db *db, const ml_place *p, const char *fmt)
{
    territory t;
    place_where(p, &t);
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    for (const char *f = fmt; *f; f++) {
        if (f[0] == '%' && f[1] == 'W') { /* the place's condition */
            ml_buf_addstr(&sql, t.where);
            f++;
        } else {
            ml_buf_addch(&sql, *f);
        }
    }
    return territory_prepare(db, &t, &sql);
}

static sqlite3_stmt *territory_prepare(ml_db *db, const territory *t, ml_buf *sql)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    /* A statement cut by its buffer's cap is never prepared. */
    int rc = ml_buf_failed(sql) ? SQLITE_TOOBIG
                                : sqlite3_prepare_v2(s->sql, ml_buf_cstr(sql), -1, &st, NULL);
    ml_buf_release(sql);
    if (rc != SQLITE_OK) return NULL;
    if (!t->country) sqlite3_bind_text(st, 1, t->code, -1, SQLITE_STATIC);
    return st;
}

ml_err sq_place(ml_db *db, ml_place *p)
{
    sq_state *s = db->impl;
    if (p->kind != ML_PLACE_COUNTRY) {
        char sql[192];
        ml_snprintf(sql, sizeof sql, "SELECT name FROM %s WHERE code = ? LIMIT 1",
                    place_tables[p->kind]);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
            return sq_fail(db, "territory");
        sqlite3_bind_text(st, 1, p->code, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) ml_snprintf(p->name, sizeof p->name, "%s", sq_col_text(st, 0));
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE) return ML_NOTFOUND;
        if (rc != SQLITE_ROW) return sq_fail(db, "territory");
    }
    return ML_OK;
}

ml_err sq_place_size(ml_db *db, ml_place *p)
{
    territory t;
    place_where(p, &t);
    /* A commune counts itself, or the arrondissement it is (Marseille 1er: 13201). */
    const char *communes = "(c.type = 'COM' OR (c.type = 'ARM' AND c.code = ?1))";
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    ml_buf_addf(&sql,
                "SELECT (SELECT count(*) FROM commune c WHERE %s AND %s),"
                " (SELECT sum(population) FROM commune c WHERE %s AND %s)",
                communes, t.where, communes, t.where);
    sqlite3_stmt *st = territory_prepare(db, &t, &sql);
    if (!st) return sq_fail(db, "territory");
    p->communes = 0;
    p->population = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        p->communes = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) p->population = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return ML_OK;
}

/* Every establishment of a place, in groups, from one pass. */
ml_err sq_place_cells(ml_db *db, const ml_place *p, ml_place_cell_fn fn, void *ud)
{
    territory t;
    place_where(p, &t);
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    ml_buf_addf(&sql,
                "SELECT f.a10, f.a38, coalesce(e.size_band, 'NN'), coalesce(c.parent, c.code),"
                " count(*), sum(e.state = 'A'), sum(e.state = 'A' AND e.diffusion <> 'O'),"
                " sum(e.state = 'A' AND e.generated), sum(e.state = 'A' AND e.geo = 3),"
                " sum(e.state = 'A' AND e.employer = 'O'), max(coalesce(ic.run, e.run)),"
                " max(e.created), max(e.size_year)"
                " FROM etab e JOIN commune c ON c.code = e.commune"
                " LEFT JOIN import_cover ic ON ic.commune = c.code"
                " LEFT JOIN naf f ON f.code = e.naf WHERE %s GROUP BY 1, 2, 3, 4",
                t.where);
    sqlite3_stmt *st = territory_prepare(db, &t, &sql);
    if (!st) return sq_fail(db, "territory");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_place_cell c = {
            .a10 = sq_col_text(st, 0),
            .a38 = sq_col_text(st, 1),
            .size_band = sq_col_text(st, 2),
            .commune = sq_col_text(st, 3),
            .total = sqlite3_column_int64(st, 4),
            .active = sqlite3_column_int64(st, 5),
            .restricted = sqlite3_column_int64(st, 6),
            .generated = sqlite3_column_int64(st, 7),
            .approximate = sqlite3_column_int64(st, 8),
            .employers = sqlite3_column_int64(st, 9),
            .run = sqlite3_column_int64(st, 10),
            .latest_created = sq_col_text(st, 11),
            .size_year = sqlite3_column_int64(st, 12),
        };
        if (fn(ud, &c)) {
            sqlite3_finalize(st);
            return ml_fail(db->ctx, ML_NOMEM, "out of memory summing up the territory");
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "territory");
}

ml_err sq_run_finished(ml_db *db, int64_t run, char *out, size_t size)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(s->sql, "SELECT finished FROM import_run WHERE id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return sq_fail(db, "import runs");
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW && sq_col_text(st, 0))
        ml_snprintf(out, size, "%s", sq_col_text(st, 0));
    sqlite3_finalize(st);
    return ML_OK;
}

ml_err sq_level_label(ml_db *db, const char *level, const char *code, char *fr, char *en,
                      size_t size)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    fr[0] = en[0] = '\0';
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT label_fr, label_en FROM naf_level WHERE level = ? AND code = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "NAF labels");
    sqlite3_bind_text(st, 1, level, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        ml_snprintf(fr, size, "%s", sq_col_text(st, 0) ? sq_col_text(st, 0) : "");
        ml_snprintf(en, size, "%s", sq_col_text(st, 1) ? sq_col_text(st, 1) : "");
    }
    sqlite3_finalize(st);
    return ML_OK;
}

/* Communes of a territory with population and centre; Paris, Lyon and
 * Marseille are given as their arrondissements, as SIRENE codes them. */
/* Communes of a place with population and centre, by code; Paris, Lyon and
 * Marseille as their arrondissements, as SIRENE codes them. */
ml_err sq_place_communes(ml_db *db, const ml_place *p, ml_commune_fn fn, void *ud)
{
    territory t;
    place_where(p, &t);
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    ml_buf_addf(&sql,
                "SELECT c.code, c.name, c.population, c.lat, c.lon, c.departement FROM commune c"
                " WHERE %s AND ((c.type = 'COM' AND NOT EXISTS (SELECT 1 FROM commune a WHERE"
                " a.parent = c.code AND a.type = 'ARM')) OR c.type = 'ARM')"
                " AND c.lat IS NOT NULL ORDER BY c.code",
                t.where);
    sqlite3_stmt *st = territory_prepare(db, &t, &sql);
    if (!st) return sq_fail(db, "territory communes");
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sq_col_text(st, 0), sq_col_text(st, 1),
                  sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 2),
                  sqlite3_column_double(st, 3), sqlite3_column_double(st, 4), sq_col_text(st, 5));
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading communes");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "territory communes");
}

/* ------------------------------------------------------------ for the web */

/* A company (legal unit) and its establishments that may be shown. */
/* Children in the territorial tree: régions (parent NULL), départements of
 * a région, EPCI of a département (by name), communes of an EPCI (by name). */
ml_err sq_place_children(ml_db *db, const ml_place *parent, ml_child_fn fn, void *ud)
{
    sq_state *s = db->impl;
    const char *sql;
    switch (parent ? parent->kind : ML_PLACE_COUNTRY) {
    case ML_PLACE_COUNTRY: sql = "SELECT code, name FROM region ORDER BY code"; break;
    case ML_PLACE_REGION:
        sql = "SELECT code, name FROM departement WHERE region = ?1 ORDER BY code";
        break;
    case ML_PLACE_DEPARTEMENT:
        sql = "SELECT DISTINCT e.code, e.name FROM epci e JOIN commune c ON c.epci = e.code"
              " WHERE c.departement = ?1 AND c.type = 'COM' ORDER BY e.name";
        break;
    case ML_PLACE_EPCI:
        sql = "SELECT code, name FROM commune WHERE epci = ?1 AND type = 'COM' ORDER BY name";
        break;
    default: return ML_OK; /* a commune has no children here */
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "territories");
    if (parent && parent->kind != ML_PLACE_COUNTRY)
        sqlite3_bind_text(st, 1, parent->code, -1, SQLITE_STATIC);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sq_col_text(st, 0), sq_col_text(st, 1));
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading territories");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "territories");
}

/* A place's active establishments that have a position, at most `limit`
 * (naf, when given, is a code of any NAF level), public ones only when the
 * caller asks (lib/map does: only they are mapped). */
ml_err sq_place_etabs(ml_db *db, const ml_place *p, const char *naf, bool public_only,
                      unsigned limit, ml_etab_view_fn fn, void *ud)
{
    territory t;
    place_where(p, &t);
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    ml_buf_addf(&sql,
                "SELECT " SQ_VIEW_COLUMNS SQ_VIEW_FROM
                " WHERE %s AND e.state = 'A'"
                " AND e.geo > 0%s%s LIMIT ?3",
                t.where, public_only ? " AND e.diffusion = 'O'" : "",
                naf ? " AND (e.naf = ?2 OR n.a615 = ?2 OR n.a88 = ?2 OR n.a38 = ?2 OR n.a21 = ?2"
                      " OR n.a10 = ?2)"
                    : "");
    sqlite3_stmt *st = territory_prepare(db, &t, &sql);
    if (!st) return sq_fail(db, "map");
    if (naf) sqlite3_bind_text(st, 2, naf, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, (int)limit);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) stop = view_row(st, fn, ud);
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading the map's establishments");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "map");
}

/* The active, public, placed establishments of a territory, one row each,
 * for the map's aggregation (lib/map). */
ml_err sq_map_rows(ml_db *db, const ml_place *p, bool public_only, ml_map_row_fn fn, void *ud)
{
    territory t;
    place_where(p, &t);
    ml_buf sql;
    ml_buf_init(&sql, 8192);
    ml_buf_addf(&sql,
                "SELECT e.siret, e.lat, e.lon, f.code, f.a88, f.a38, f.a21, f.a10, e.geo,"
                " e.generated FROM etab e JOIN commune c ON c.code = e.commune"
                " LEFT JOIN naf f ON f.code = e.naf"
                " WHERE %s AND e.state = 'A' AND e.geo > 0%s",
                t.where, public_only ? " AND e.diffusion = 'O'" : "");
    sqlite3_stmt *st = territory_prepare(db, &t, &sql);
    if (!st) return sq_fail(db, "map");
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
            return ml_fail(db->ctx, ML_NOMEM, "out of memory reading the map's establishments");
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "map");
}
