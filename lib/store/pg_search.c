/* pg_search.c — search on PostgreSQL with its own full-text search: one
 * row per establishment that may be listed (etab_search: the folded words
 * of its name and commune in a tsvector under a GIN index, its rank key and
 * the columns filters and facets read), written at the end of each import;
 * a search plan (lib/search/search.h) run as SQL with tsquery; the words a
 * word being typed completes to. The words are those ml_text_fold gives, as
 * in SQLite's FTS5 index (and not those of a PostgreSQL dictionary): both
 * engines find the same establishments, in the same order, with the same
 * totals and facets. */
#include <libpq-fe.h>

#include "core/size_band.h"
#include "search/search.h"
#include "store/pg_impl.h"

#define COUNT_CAP      1000  /* "total" is exact up to this many matches */
#define FACET_CAP      5000  /* facets count the first matches in rank order */
#define PREFIX_WORDS   12    /* indexed words a word being typed stands for */
#define FETCH_ROWS     20000 /* establishments folded per round trip */
#define PARAMS_MAX     256
#define PG_SEARCH_LOCK "7235823" /* advisory lock: pg.c has 7235821 and 7235822 */

static const char search_columns[] =
    "siret,key,ix,words,commune,parent,departement,region,epci,naf,a21,size_rank,active";

/* ------------------------------------------------------------ search rows */

/* What the rows are made of: the establishment, its legal unit when public,
 * its commune (and the commune's parent, for an arrondissement) and NAF
 * sub-class when the reference data knows them. */
static const char rows_sql[] =
    "SELECT e.siret, e.ix, e.state, e.size_band, e.head_office, c.code, c.parent,"
    " c.departement, c.region, c.epci, n.code, n.a21, u.name, u.acronym, e.sign, e.usual_name,"
    " c.name, p.name FROM etab e LEFT JOIN unite u ON u.siren = e.siren AND u.diffusion = 'O'"
    " LEFT JOIN commune c ON c.code = e.commune LEFT JOIN commune p ON p.code = c.parent"
    " LEFT JOIN naf n ON n.code = e.naf WHERE e.diffusion = 'O'";

/* The words of every search row, with how many names and communes hold
 * each: a word has position 1 in a name, 2 in a commune, so its occurrences
 * (ts_stat's nentry) count it once per column, as FTS5's counts do. */
static const char words_sql[] =
    "DELETE FROM search_word;"
    "INSERT INTO search_word(word, n) SELECT word, nentry"
    " FROM ts_stat('SELECT words FROM etab_search') WHERE length(word) >= 3";

typedef struct rows_ctx {
    ml_buf name, place, words;
    char commune[8]; /* the commune whose words `place` holds */
} rows_ctx;

/* A tsvector lexeme with its position and weight: 1A for the name, 2B for
 * the commune (one position each: a word's count per column). */
static int add_lexemes(ml_buf *out, ml_buf *folded, const char *pos)
{
    int bad = 0;
    const char *w = ml_buf_cstr(folded);
    while (*w) {
        size_t n = strcspn(w, " ");
        if (n) {
            bad |= ml_buf_addstr(out, out->len ? " '" : "'");
            for (size_t i = 0; i < n; i++) {
                if (w[i] == '\'' || w[i] == '\\') bad |= ml_buf_addch(out, w[i]);
                bad |= ml_buf_addch(out, w[i]);
            }
            bad |= ml_buf_addf(out, "':%s", pos);
        }
        w += n + (w[n] == ' ');
    }
    return bad;
}

static ml_err fold_into(ml_db *db, ml_buf *b, const char *text)
{
    pg_state *s = db->impl;
    if (text && ml_text_fold(s->text, b, text, strlen(text), ML_FOLD_STEM) < 0)
        return ml_fail(db->ctx, ML_LIMIT, "search text too long");
    return ML_OK;
}

/* One row of rows_sql as a COPY row of etab_search. */
static ml_err search_row(ml_db *db, rows_ctx *c, PGresult *res, int i)
{
    pg_state *s = db->impl;
#define TEXT(k) (PQgetisnull(res, i, (k)) ? NULL : PQgetvalue(res, i, (k)))
    ml_err r = ML_OK;
    ml_buf_reset(&c->name);
    for (int k = 12; k <= 15 && !r; k++)
        r = fold_into(db, &c->name, TEXT(k));
    const char *commune = TEXT(5);
    if (!r && (!commune || strcmp(commune, c->commune) != 0)) {
        ml_buf_reset(&c->place);
        if (!(r = fold_into(db, &c->place, TEXT(16)))) r = fold_into(db, &c->place, TEXT(17));
        ml_snprintf(c->commune, sizeof c->commune, "%s", commune ? commune : "");
    }
    if (r) return r;
    ml_buf_reset(&c->words);
    if (add_lexemes(&c->words, &c->name, "1A") || add_lexemes(&c->words, &c->place, "2B"))
        return ml_fail(db->ctx, ML_LIMIT, "search text too long");
    const char *state = TEXT(2), *ho = TEXT(4);
    bool active = state && state[0] == 'A', head_office = ho && strcmp(ho, "0") != 0;
    int rank = ml_size_rank(TEXT(3));
    int key = (active ? 32 : 0) | rank << 1 | (head_office ? 1 : 0);
    ml_buf *b = &s->line;
    const char *ix = TEXT(1);
    int bad = pg_copy_field(b, TEXT(0), false) | pg_copy_i64(b, key, true, false) |
              pg_copy_field(b, ix ? ix : "0", false);
    /* An empty tsvector is an empty field, not NULL. */
    bad |= c->words.len ? pg_copy_field(b, ml_buf_cstr(&c->words), false) : ml_buf_addch(b, '\t');
    for (int k = 5; k <= 11; k++)
        bad |= pg_copy_field(b, TEXT(k), false);
    bad |= pg_copy_i64(b, rank, true, false) | pg_copy_field(b, active ? "t" : "f", true);
#undef TEXT
    return pg_copy_row_done(db, bad);
}

ml_err pg_search_refresh(ml_db *db, int64_t run, bool units)
{
    pg_state *s = db->impl;
    char which[256], sql[2048];
    /* Which establishments: every one (run 0); those of the legal units a
     * run wrote; those an update changed (compared in pg.c's change_etab);
     * those a first import copied. */
    if (run == 0)
        ml_snprintf(which, sizeof which, "%s", "");
    else if (units)
        ml_snprintf(which, sizeof which,
                    " AND e.siren IN (SELECT siren FROM unite WHERE run = %lld)", (long long)run);
    else if (s->staged[PG_STAGE_ETAB])
        ml_snprintf(which, sizeof which,
                    " AND e.siret IN (SELECT siret FROM pg_temp.change_etab WHERE NOT same)");
    else
        ml_snprintf(which, sizeof which, " AND e.run = %lld", (long long)run);
    /* One writer of search rows and words at a time (an import of units
     * and one of establishments may run together): the second waits for
     * the first to commit, then reads what it wrote. */
    ml_err r =
        pg_exec(db, "wait for another import", "SELECT pg_advisory_xact_lock(" PG_SEARCH_LOCK ")");
    if (r) return r;
    if (run == 0)
        r = pg_exec(db, "clear the search rows", "DELETE FROM etab_search");
    else {
        /* Gone too when it may no longer be listed (which below omits). */
        ml_snprintf(sql, sizeof sql,
                    "DELETE FROM etab_search WHERE siret IN (SELECT e.siret FROM etab e WHERE"
                    " true%s)",
                    which);
        r = pg_exec(db, "clear the search rows", sql);
    }
    if (r) return r;
    /* Every row is read: plan for all of them, not for the first few, with
     * the statistics of the rows just written (a first import has none:
     * the join would be planned blind, ten times slower). */
    if ((r = pg_exec(db, "read establishments to index", "SET LOCAL cursor_tuple_fraction = 1")) ||
        (!units && (r = pg_exec(db, "read establishments to index", "ANALYZE etab"))))
        return r;
    ml_snprintf(sql, sizeof sql, "DECLARE ml_search_rows NO SCROLL CURSOR FOR %s%s", rows_sql,
                which);
    if ((r = pg_exec(db, "read establishments to index", sql))) return r;
    rows_ctx c = {0};
    ml_buf_init(&c.name, 1 << 20);
    ml_buf_init(&c.place, 1 << 16);
    ml_buf_init(&c.words, 1 << 21);
    for (;;) {
        PGresult *res;
        ml_snprintf(sql, sizeof sql, "FETCH %d FROM ml_search_rows", FETCH_ROWS);
        if ((r = pg_query(db, "read establishments to index", sql, 0, NULL, &res))) break;
        int n = PQntuples(res);
        if (n && !(r = pg_copy_direct(db, "etab_search", search_columns)))
            for (int i = 0; i < n && !r; i++)
                r = search_row(db, &c, res, i);
        PQclear(res);
        if (!r) r = pg_copy_end(db);
        if (r || n < FETCH_ROWS) break;
    }
    ml_buf_release(&c.name);
    ml_buf_release(&c.place);
    ml_buf_release(&c.words);
    if (r || (r = pg_exec(db, "read establishments to index", "CLOSE ml_search_rows"))) return r;
    return pg_exec(db, "count the search words", words_sql);
}

ml_err pg_search_check(ml_db *db)
{
    pg_state *s = db->impl;
    char flag[16] = "", fold[16] = "";
    PGresult *res;
    ml_err r = pg_query(db, "read search state",
                        "SELECT (SELECT value FROM meta WHERE key = 'search_index'),"
                        " (SELECT value FROM meta WHERE key = 'search_fold')",
                        0, NULL, &res);
    if (r) return r;
    if (pg_text(res, 0)) ml_snprintf(flag, sizeof flag, "%s", pg_text(res, 0));
    if (pg_text(res, 1)) ml_snprintf(fold, sizeof fold, "%s", pg_text(res, 1));
    PQclear(res);
    if (strcmp(flag, "rebuild") != 0 && !(*fold && strcmp(fold, ML_FOLD_VERSION) != 0))
        return ML_OK;
    double t0 = ml_now();
    ml_log(db->ctx, ML_LOG_INFO, "%s: filling the search rows again (once, after an upgrade)",
           s->where);
    const char *fold_version = ML_FOLD_VERSION;
    if ((r = pg_exec(db, "fill the search rows", "BEGIN")) ||
        (r = pg_exec(db, "fill the search rows",
                     "LOCK TABLE etab_search IN SHARE ROW EXCLUSIVE MODE")) ||
        (r = pg_query(db, "fill the search rows",
                      "SELECT value FROM meta WHERE key = 'search_index' AND value = 'rebuild'"
                      " UNION ALL SELECT value FROM meta WHERE key = 'search_fold' AND value <> $1",
                      1, &fold_version, &res)))
        goto fail;
    bool todo = PQntuples(res) > 0;
    PQclear(res);
    /* Another process may have done it while this one waited for the lock. */
    if (todo && ((r = pg_search_refresh(db, 0, false)) ||
                 (r = pg_exec(db, "fill the search rows",
                              "DELETE FROM meta WHERE key = 'search_index';"
                              "INSERT INTO meta(key, value) VALUES('search_fold', '" ML_FOLD_VERSION
                              "') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"))))
        goto fail;
    if ((r = pg_exec(db, "fill the search rows", "COMMIT"))) goto fail;
    ml_log(db->ctx, ML_LOG_INFO, "%s: search rows filled in %.1f s", s->where, ml_now() - t0);
    return ML_OK;
fail:
    pg_exec(db, "fill the search rows", "ROLLBACK");
    return r;
}

/* ------------------------------------------------------------ completion */

ml_err pg_word_complete(ml_db *db, const char *prefix, unsigned max, ml_word_fn fn, void *ud)
{
    size_t n = strlen(prefix);
    if (n == 0 || n > 60) return ML_OK;
    char limit[16];
    ml_snprintf(limit, sizeof limit, "%u", max);
    const char *p[2] = {prefix, limit};
    PGresult *res;
    /* Byte order (the column's collation is C), as SQLite compares. */
    ml_err r = pg_query(db, "complete a word",
                        "SELECT word FROM search_word WHERE word >= $1 AND starts_with(word, $1)"
                        " ORDER BY n DESC, word LIMIT $2::int",
                        2, p, &res);
    if (r) return r;
    for (int i = 0; i < PQntuples(res); i++)
        if (fn(ud, PQgetvalue(res, i, 0))) break;
    PQclear(res);
    return ML_OK;
}

/* ---------------------------------------------------------------- queries */

/* A query being written: its SQL, its parameters (text, owned), and the
 * number of each term's text parameter once given. */
typedef struct sqlq {
    ml_buf sql;
    char *params[PARAMS_MAX];
    int n;
    int text[ML_TERMS_MAX]; /* 0 = not given yet */
    bool failed;
} sqlq;

static void q_init(sqlq *q)
{
    memset(q, 0, sizeof *q);
    ml_buf_init(&q->sql, 1 << 20);
}

static void q_release(sqlq *q)
{
    ml_buf_release(&q->sql);
    for (int i = 0; i < q->n; i++)
        free(q->params[i]);
    q->n = 0;
}

/* Adds a parameter; returns its number (0 when there is no room). */
static int q_param(sqlq *q, const char *value)
{
    if (q->n == PARAMS_MAX || !(q->params[q->n] = ml_strdup(value))) {
        q->failed = true;
        return 0;
    }
    return ++q->n;
}

/* A set of sub-classes as an array literal ("{10.71C,10.71D}"). */
static void set_literal(ml_buf *b, const ml_lexicon *lex, const ml_naf_set *set)
{
    ml_buf_addch(b, '{');
    size_t k = 0;
    for (size_t i = 0; i < ml_lexicon_naf_count(lex); i++)
        if (ml_naf_set_has(set, (unsigned)i))
            ml_buf_addf(b, "%s%s", k++ ? "," : "", ml_lexicon_naf_code(lex, (unsigned)i));
    ml_buf_addch(b, '}');
}

/* "naf = ANY($n)": the establishment's sub-class is in the set. */
static void add_trades(sqlq *q, ml_buf *out, const ml_lexicon *lex, const ml_naf_set *set)
{
    ml_buf lit;
    ml_buf_init(&lit, 1 << 16);
    set_literal(&lit, lex, set);
    if (ml_buf_failed(&lit)) q->failed = true;
    ml_buf_addf(out, "naf = ANY($%d::text[])", q_param(q, ml_buf_cstr(&lit)));
    ml_buf_release(&lit);
}

/* A lexeme of a tsquery, quoted. */
static void add_lexeme(ml_buf *b, const char *w, size_t n)
{
    ml_buf_addch(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '\'' || w[i] == '\\') ml_buf_addch(b, w[i]);
        ml_buf_addch(b, w[i]);
    }
    ml_buf_addch(b, '\'');
}

typedef struct completion_ctx {
    char words[PREFIX_WORDS + 1][64];
    int n;
} completion_ctx;

static int add_completion(void *ud, const char *word)
{
    completion_ctx *c = ud;
    if (c->n > PREFIX_WORDS) return 1;
    ml_snprintf(c->words[c->n++], sizeof c->words[0], "%s", word);
    return 0;
}

/* A term's tsquery: all its words; or, for a word being typed, its stem or
 * an indexed word it starts: `prefix:*` when the words it starts are few
 * enough to be all of them, else the PREFIX_WORDS most frequent, as SQLite
 * does (both engines then find the same rows). */
static ml_err term_query(ml_db *db, const ml_term *t, ml_buf *b)
{
    if (*t->prefix) {
        add_lexeme(b, t->folded, strlen(t->folded));
        completion_ctx c = {.n = 0};
        ml_err r = pg_word_complete(db, t->prefix, PREFIX_WORDS + 1, add_completion, &c);
        if (r) return r;
        if (c.n > PREFIX_WORDS) {
            for (int i = 0; i < PREFIX_WORDS; i++) {
                ml_buf_addstr(b, " | ");
                add_lexeme(b, c.words[i], strlen(c.words[i]));
            }
        } else if (c.n > 0) {
            ml_buf_addstr(b, " | ");
            add_lexeme(b, t->prefix, strlen(t->prefix));
            ml_buf_addstr(b, ":*");
        }
        return ML_OK;
    }
    size_t k = 0;
    for (const char *w = t->folded; *w; k++) {
        size_t n = strcspn(w, " ");
        if (k) ml_buf_addstr(b, " & ");
        add_lexeme(b, w, n);
        w += n + (w[n] == ' ');
    }
    return ML_OK;
}

/* "words @@ $n" for term i (its parameter given once per query). */
static void add_text(sqlq *q, ml_buf *out, ml_buf *tsq, size_t i)
{
    if (!q->text[i]) q->text[i] = q_param(q, ml_buf_cstr(&tsq[i]));
    ml_buf_addf(out, "words @@ $%d::tsquery", q->text[i]);
}

/* The filters every tier shares, as "AND ..." predicates. */
static ml_err add_filters(ml_db *db, sqlq *q, const ml_plan *plan)
{
    ml_buf *b = &q->sql;
    if (plan->ncommunes) {
        ml_buf lit;
        ml_buf_init(&lit, 4096);
        ml_buf_addch(&lit, '{');
        for (size_t i = 0; i < plan->ncommunes; i++)
            ml_buf_addf(&lit, "%s%s", i ? "," : "", plan->communes[i]);
        ml_buf_addch(&lit, '}');
        int k = q_param(q, ml_buf_cstr(&lit));
        ml_buf_release(&lit);
        /* A commune also covers its arrondissements. */
        ml_buf_addf(b, " AND (commune = ANY($%d::text[]) OR parent = ANY($%d::text[]))", k, k);
    }
    static const struct {
        size_t offset;
        const char *column;
    } codes[] = {{offsetof(ml_plan, epci), "epci"},
                 {offsetof(ml_plan, departement), "departement"},
                 {offsetof(ml_plan, region), "region"}};
    for (size_t i = 0; i < ML_ARRAY_LEN(codes); i++) {
        const char *code = (const char *)plan + codes[i].offset;
        if (*code) ml_buf_addf(b, " AND %s = $%d", codes[i].column, q_param(q, code));
    }
    if (plan->size_min) {
        int rank = ml_size_rank(plan->size_min);
        if (rank == 0)
            return ml_fail(db->ctx, ML_INVALID,
                           "invalid size band '%.20s' (expected a trancheEffectifs code: 00 01 02 "
                           "03 11 12 21 22 31 32 41 42 51 52 53)",
                           plan->size_min);
        ml_buf_addf(b, " AND size_rank >= %d", rank);
    }
    if (plan->active_only) ml_buf_addstr(b, " AND active");
    return ML_OK;
}

/* Which clauses an expression takes. */
enum { CLAUSES_ALL, CLAUSES_BY_TRADE, CLAUSES_BY_TEXT };

typedef struct tier_ctx {
    const ml_plan *plan;
    sqlq *q;
    ml_buf *out;
    ml_buf *tsq;
    int tier, only;
    size_t n;
} tier_ctx;

/* One clause: its text terms in names and communes, the others by trade. */
static int add_clause(void *ud, const ml_clause *c)
{
    tier_ctx *t = ud;
    ml_buf *b = t->out;
    const ml_plan *plan = t->plan;
    if ((t->only == CLAUSES_BY_TRADE && c->by_trade == 0) ||
        (t->only == CLAUSES_BY_TEXT && c->by_trade != 0))
        return 0;
    ml_buf_addstr(b, t->n++ ? " OR (" : "(");
    size_t parts = 0;
    for (size_t i = 0; i < plan->nterms; i++) {
        const ml_term *term = &plan->terms[i];
        const ml_naf_set *set = t->tier == ML_TIER_STRONG ? &term->strong : &term->all;
        if (c->by_trade == ~0u) {
            ml_buf_addstr(b, parts++ ? " AND (" : "(");
            add_text(t->q, b, t->tsq, i);
            if (!ml_naf_set_empty(set)) {
                ml_buf_addstr(b, " OR ");
                add_trades(t->q, b, plan->lex, set);
            }
            ml_buf_addch(b, ')');
        } else if (!(c->by_trade & (1u << i))) {
            if (parts++) ml_buf_addstr(b, " AND ");
            add_text(t->q, b, t->tsq, i);
        }
    }
    /* A clause's activity shortcut (SQLite's activity column) stands for
     * the same sub-classes as its trades: the set is used as it is. */
    const ml_naf_set *trades = c->by_trade == ~0u ? (plan->has_naf ? &plan->naf : NULL)
                               : c->has_trades    ? &c->trades
                                                  : NULL;
    if (trades) {
        if (parts++) ml_buf_addstr(b, " AND ");
        add_trades(t->q, b, plan->lex, trades);
    }
    if (!parts) ml_buf_addstr(b, "true");
    ml_buf_addch(b, ')');
    return 0;
}

/* The expression of a tier's clauses into out ("" when it has none). */
static void tier_expr(sqlq *q, ml_buf *out, const ml_plan *plan, ml_buf *tsq, int tier, int only)
{
    tier_ctx t = {plan, q, out, tsq, tier, only, 0};
    ml_plan_clauses(plan, tier, add_clause, &t);
}

/* Runs q; each row's first column (a SIRET) to the sink. */
static ml_err q_hits(ml_db *db, sqlq *q, const ml_hit_sink *k, unsigned *got)
{
    if (q->failed || ml_buf_failed(&q->sql)) return ml_fail(db->ctx, ML_LIMIT, "query too long");
    PGresult *res;
    ml_err r =
        pg_query(db, "search", ml_buf_cstr(&q->sql), q->n, (const char *const *)q->params, &res);
    if (r) return r;
    for (int i = 0; i < PQntuples(res) && !r; i++) {
        if (k->hit(k->ud, strtoll(PQgetvalue(res, i, 0), NULL, 10)))
            r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        (*got)++;
    }
    PQclear(res);
    return r;
}

/* The number of matches of WHERE `where` (q's SQL so far), up to cap. */
static ml_err q_count(ml_db *db, sqlq *q, const char *where, int64_t cap, int64_t *n)
{
    ml_buf_reset(&q->sql);
    ml_buf_addf(&q->sql, "SELECT count(*) FROM (SELECT 1 FROM etab_search WHERE %s LIMIT %lld) x",
                where, (long long)cap);
    if (q->failed || ml_buf_failed(&q->sql)) return ml_fail(db->ctx, ML_LIMIT, "query too long");
    return pg_scalar(db, "count search results", ml_buf_cstr(&q->sql), q->n,
                     (const char *const *)q->params, n);
}

/* The facets' raw counts over the first `cap` matches in rank order (lib/search
 * applies the secrecy rule and the labels); *counted gets how many. */
static ml_err q_facets(ml_db *db, sqlq *q, const char *where, int64_t cap, const ml_hit_sink *k,
                       int64_t *counted)
{
    ml_buf_reset(&q->sql);
    ml_buf_addf(&q->sql,
                "WITH x AS (SELECT departement d, a21 s, size_rank z FROM etab_search WHERE %s"
                " ORDER BY key DESC, ix LIMIT %lld)"
                " SELECT 0, coalesce(nullif(d, ''), '?') c, count(*) FROM x GROUP BY c"
                " UNION ALL SELECT 1, coalesce(nullif(s, ''), '?') c, count(*) FROM x GROUP BY c"
                " UNION ALL SELECT 2, z::text, count(*) FROM x GROUP BY z ORDER BY 1, 2",
                where, (long long)cap);
    if (q->failed || ml_buf_failed(&q->sql)) return ml_fail(db->ctx, ML_LIMIT, "query too long");
    PGresult *res;
    ml_err r = pg_query(db, "search facets", ml_buf_cstr(&q->sql), q->n,
                        (const char *const *)q->params, &res);
    if (r) return r;
    static const char *const dims[] = {"departement", "section", "size"};
    *counted = 0;
    for (int i = 0; i < PQntuples(res) && !r; i++) {
        int dim = (int)strtol(PQgetvalue(res, i, 0), NULL, 10);
        const char *code = PQgetvalue(res, i, 1);
        int64_t n = strtoll(PQgetvalue(res, i, 2), NULL, 10);
        if (dim == 2) {
            int rank = (int)strtol(code, NULL, 10);
            code = rank > 0 && rank <= ML_SIZE_BANDS ? ml_size_bands[rank - 1].code : "NN";
            *counted += n;
        }
        if (dim >= 0 && dim <= 2 && k->facet(k->ud, dims[dim], code, n))
            r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    PQclear(res);
    return r;
}

/* A SIRET or a SIREN typed in the box: that establishment, or the
 * company's establishments that may be shown (open first, head office first). */
static ml_err by_identifier(ml_db *db, const ml_plan *plan, const ml_hit_sink *k, int64_t *total)
{
    *total = 0;
    if (plan->siret) {
        /* lib/search drops it when it may not be shown. */
        if (plan->offset == 0 && k->hit(k->ud, plan->siret))
            return ml_fail(db->ctx, ML_NOMEM, "out of memory");
        *total = 1;
        return ML_OK;
    }
    char siren[24], limit[16], offset[16];
    ml_snprintf(siren, sizeof siren, "%lld", (long long)plan->siren);
    ml_snprintf(limit, sizeof limit, "%u", plan->limit);
    ml_snprintf(offset, sizeof offset, "%u", plan->offset);
    const char *p[3] = {siren, limit, offset};
    PGresult *res;
    ml_err r = pg_query(db, "search",
                        "SELECT siret FROM etab WHERE siren = $1 AND diffusion = 'O' ORDER BY"
                        " state = 'A' DESC, head_office DESC, siret LIMIT $2::int OFFSET $3::int",
                        3, p, &res);
    if (r) return r;
    for (int i = 0; i < PQntuples(res) && !r; i++)
        if (k->hit(k->ud, strtoll(PQgetvalue(res, i, 0), NULL, 10)))
            r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    PQclear(res);
    if (r) return r;
    return pg_scalar(db, "search", "SELECT count(*) FROM etab WHERE siren = $1 AND diffusion = 'O'",
                     1, p, total);
}

/* The order of results: open before closed, bigger before smaller, head
 * office first, then in import order (SQLite's rowid, in columns). */
#define RANK_ORDER "key DESC, ix"

ml_err pg_search(ml_db *db, const struct ml_plan *plan, const ml_hit_sink *sink, ml_hit_totals *out)
{
    memset(out, 0, sizeof *out);
    char flag[16] = "", fold[16] = "";
    PGresult *res;
    ml_err r = pg_query(db, "read search state",
                        "SELECT (SELECT value FROM meta WHERE key = 'search_index'),"
                        " (SELECT value FROM meta WHERE key = 'search_fold')",
                        0, NULL, &res);
    if (r) return r;
    if (pg_text(res, 0)) ml_snprintf(flag, sizeof flag, "%s", pg_text(res, 0));
    if (pg_text(res, 1)) ml_snprintf(fold, sizeof fold, "%s", pg_text(res, 1));
    PQclear(res);
    if (strcmp(flag, "rebuild") == 0 || (*fold && strcmp(fold, ML_FOLD_VERSION) != 0))
        return ml_fail(db->ctx, ML_DB,
                       "%s: the search rows must be filled again after an upgrade: run "
                       "`maillage init` once",
                       ((pg_state *)db->impl)->where);
    int64_t total = 0;
    bool wider = false;
    if (plan->siret || plan->siren) {
        if ((r = by_identifier(db, plan, sink, &total))) return r;
        out->total = total > COUNT_CAP ? COUNT_CAP : total;
        out->total_exact = total <= COUNT_CAP;
        return ML_OK;
    }
    sqlq q;
    q_init(&q);
    ml_buf tsq[ML_TERMS_MAX], where, own_a, own_b, all;
    for (size_t i = 0; i < ML_TERMS_MAX; i++)
        ml_buf_init(&tsq[i], 1 << 16);
    ml_buf_init(&where, 1 << 20);
    ml_buf_init(&own_a, 1 << 20);
    ml_buf_init(&own_b, 1 << 20);
    ml_buf_init(&all, 1 << 20);
    for (size_t i = 0; i < plan->nterms && !r; i++)
        if (!(r = term_query(db, &plan->terms[i], &tsq[i])) && ml_buf_failed(&tsq[i]))
            r = ml_fail(db->ctx, ML_LIMIT, "query too long");
    if (r || (r = add_filters(db, &q, plan))) goto out;
    /* The filters, then (with words) the tiers: own trades (A), then text
     * alone (B, less what A found), read as one query; wider trades only
     * when A and B found nothing at all. */
    ml_buf_addf(&where, "true%s", ml_buf_cstr(&q.sql));
    unsigned got = 0;
    bool tier_tally = false; /* the results were read from the expression of every match */
    if (plan->nterms == 0) {
        if (plan->has_naf) {
            ml_buf_addstr(&where, " AND ");
            add_trades(&q, &where, plan->lex, &plan->naf);
        }
        tier_tally = true;
    } else {
        tier_expr(&q, &own_a, plan, tsq, ML_TIER_STRONG, CLAUSES_BY_TRADE);
        tier_expr(&q, &own_b, plan, tsq, ML_TIER_STRONG, CLAUSES_BY_TEXT);
        if (!own_a.len && !own_b.len) {
            ml_buf_reset(&where); /* no clause: nothing matches */
        } else {
            ml_buf_addf(&where, " AND (%s%s%s)", ml_buf_cstr(&own_a),
                        own_a.len && own_b.len ? " OR " : "", ml_buf_cstr(&own_b));
        }
    }
    if (where.len) {
        ml_buf_reset(&q.sql);
        ml_buf_addf(&q.sql, "SELECT siret FROM etab_search WHERE %s ORDER BY ",
                    ml_buf_cstr(&where));
        if (own_a.len && own_b.len)
            ml_buf_addf(&q.sql, "CASE WHEN %s THEN 0 ELSE 1 END, ", ml_buf_cstr(&own_a));
        ml_buf_addf(&q.sql, RANK_ORDER " LIMIT %u OFFSET %u", plan->limit, plan->offset);
        ml_log(db->ctx, ML_LOG_DEBUG, "search: %.900s", ml_buf_cstr(&q.sql));
        if ((r = q_hits(db, &q, sink, &got))) goto out;
    }
    int64_t n = 0;
    if (where.len && (r = q_count(db, &q, ml_buf_cstr(&where), COUNT_CAP + 1, &n))) goto out;
    if (plan->nterms && n == 0 && ml_plan_has_wider(plan)) {
        /* Neighbouring trades: a query of its own (its own parameters). */
        sqlq w;
        q_init(&w);
        ml_buf_reset(&all);
        if (!(r = add_filters(db, &w, plan))) {
            ml_buf_addf(&all, "true%s AND (", ml_buf_cstr(&w.sql));
            size_t before = all.len;
            tier_expr(&w, &all, plan, tsq, ML_TIER_ALL, CLAUSES_ALL);
            if (all.len == before) {
                ml_buf_reset(&all);
            } else {
                ml_buf_addch(&all, ')');
                wider = true;
                tier_tally = true;
                ml_buf_reset(&w.sql);
                ml_buf_addf(&w.sql,
                            "SELECT siret FROM etab_search WHERE %s ORDER BY " RANK_ORDER
                            " LIMIT %u OFFSET %u",
                            ml_buf_cstr(&all), plan->limit, plan->offset);
                ml_log(db->ctx, ML_LOG_DEBUG, "search wider: %.900s", ml_buf_cstr(&w.sql));
                if (!(r = q_hits(db, &w, sink, &got)))
                    r = q_count(db, &w, ml_buf_cstr(&all), COUNT_CAP + 1, &n);
                /* SQLite proves some wider expressions empty before it
                 * reads them, and then says nothing of neighbours. */
                if (!r && plan->facets) {
                    int64_t cap = FACET_CAP;
                    if (tier_tally && (int64_t)plan->offset + plan->limit > cap)
                        cap = (int64_t)plan->offset + plan->limit;
                    r = q_facets(db, &w, ml_buf_cstr(&all), cap, sink, &out->counted);
                }
            }
        }
        q_release(&w);
        if (r) goto out;
        if (wider) goto done;
    }
    if (plan->facets && where.len) {
        /* As SQLite counts them: over the first matches in rank order, more
         * of them when the page itself was read past the cap. */
        int64_t cap = FACET_CAP;
        if (tier_tally && (int64_t)plan->offset + plan->limit > cap)
            cap = (int64_t)plan->offset + plan->limit;
        if ((r = q_facets(db, &q, ml_buf_cstr(&where), cap, sink, &out->counted))) goto out;
    }
done:
    total = n;
    out->facets = plan->facets;
    out->complete = out->counted < FACET_CAP;
    out->total = total > COUNT_CAP ? COUNT_CAP : total;
    out->total_exact = total <= COUNT_CAP;
    out->wider = wider;
out:
    q_release(&q);
    for (size_t i = 0; i < ML_TERMS_MAX; i++)
        ml_buf_release(&tsq[i]);
    ml_buf_release(&where);
    ml_buf_release(&own_a);
    ml_buf_release(&own_b);
    ml_buf_release(&all);
    return r;
}
