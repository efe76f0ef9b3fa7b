/* pg_profile.c — company profiles on PostgreSQL: what people declare
 * (offers, needs, labels) with the folded, stemmed words of each side
 * (ml_text_fold, as SQLite's profile_fts holds them) and a tsvector of each
 * side under a GIN index, for lib/match/texts.c's scoring: a side's words,
 * how many profiles hold a word, the profiles whose side holds any of
 * several words. */
#include <libpq-fe.h>

#include "store/pg_impl.h"

static const char *side_column(bool needs)
{
    return needs ? "needs" : "offers";
}

ml_err pg_profile_put(ml_db *db, int64_t run, const ml_profile *p, ml_put_result *res)
{
    pg_state *s = db->impl;
    char siret[24], run_s[24];
    ml_snprintf(siret, sizeof siret, "%lld", (long long)p->siret);
    ml_snprintf(run_s, sizeof run_s, "%lld", (long long)run);
    const char *key[1] = {siret};
    int64_t old_run = -1;
    *res = ML_PUT_NEW;
    ml_err r =
        pg_scalar(db, "read profile", "SELECT run FROM profile WHERE siret = $1", 1, key, &old_run);
    if (r) return r;
    if (old_run >= 0) *res = old_run == run ? ML_PUT_DUPLICATE : ML_PUT_REPLACED;
    if (*res == ML_PUT_DUPLICATE) return ML_OK;
    ml_buf folded[3];
    const char *src[3] = {p->offers, p->needs, p->labels};
    for (int i = 0; i < 3; i++) {
        ml_buf_init(&folded[i], 1 << 20);
        if (src[i]) ml_text_fold(s->text, &folded[i], src[i], strlen(src[i]), ML_FOLD_STEM);
        if (ml_buf_failed(&folded[i]) && !r)
            r = ml_fail(db->ctx, ML_LIMIT, "profile text longer than 1 MiB folded");
    }
    if (!r) {
        /* NULL for an empty text, as the SQLite backend binds it. */
#define OR_NULL(v) ((v) && *(v) ? (v) : NULL)
        const char *params[10] = {siret,
                                  OR_NULL(p->offers),
                                  OR_NULL(p->needs),
                                  OR_NULL(p->labels),
                                  OR_NULL(p->innovations),
                                  OR_NULL(p->website),
                                  run_s,
                                  OR_NULL(ml_buf_cstr(&folded[0])),
                                  OR_NULL(ml_buf_cstr(&folded[1])),
                                  OR_NULL(ml_buf_cstr(&folded[2]))};
#undef OR_NULL
        PGresult *pr;
        r = pg_query(db, "write profile",
                     "INSERT INTO profile(siret, offers, needs, labels, innovations, website, run,"
                     " offers_words, needs_words, labels_words)"
                     " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (siret) DO"
                     " UPDATE SET offers = EXCLUDED.offers, needs = EXCLUDED.needs,"
                     " labels = EXCLUDED.labels, innovations = EXCLUDED.innovations,"
                     " website = EXCLUDED.website, run = EXCLUDED.run,"
                     " offers_words = EXCLUDED.offers_words, needs_words = EXCLUDED.needs_words,"
                     " labels_words = EXCLUDED.labels_words",
                     10, params, &pr);
        PQclear(pr);
    }
    for (int i = 0; i < 3; i++)
        ml_buf_release(&folded[i]);
    return r;
}

ml_err pg_profile_words(ml_db *db, int64_t siret, bool needs, ml_buf *stems, ml_buf *raw)
{
    char id[24], sql[128];
    ml_snprintf(id, sizeof id, "%lld", (long long)siret);
    ml_snprintf(sql, sizeof sql, "SELECT %s_words, %s FROM profile WHERE siret = $1",
                side_column(needs), side_column(needs));
    const char *p[1] = {id};
    PGresult *res;
    ml_err r = pg_query(db, "profile words", sql, 1, p, &res);
    if (r) return r;
    int bad = 0;
    if (PQntuples(res)) {
        if (pg_text(res, 0)) bad |= ml_buf_addstr(stems, pg_text(res, 0));
        if (pg_text(res, 1)) bad |= ml_buf_addstr(raw, pg_text(res, 1));
    }
    PQclear(res);
    return bad ? ml_fail(db->ctx, ML_LIMIT, "profile text too long") : ML_OK;
}

/* A folded word as a tsquery of one lexeme, quoted. */
static void add_lexeme(ml_buf *b, const char *w, size_t n)
{
    ml_buf_addch(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '\'' || w[i] == '\\') ml_buf_addch(b, w[i]);
        ml_buf_addch(b, w[i]);
    }
    ml_buf_addch(b, '\'');
}

ml_err pg_profile_df(ml_db *db, bool needs, const char *word, size_t n, int64_t *count)
{
    char sql[128];
    *count = 0;
    if (!word) {
        ml_snprintf(sql, sizeof sql, "SELECT count(*) FROM profile WHERE %s_words <> ''",
                    side_column(needs));
        return pg_scalar(db, "profile words", sql, 0, NULL, count);
    }
    ml_buf q;
    ml_buf_init(&q, 1024);
    add_lexeme(&q, word, n < 120 ? n : 120);
    ml_snprintf(sql, sizeof sql, "SELECT count(*) FROM profile WHERE %s_tsv @@ $1::tsquery",
                side_column(needs));
    const char *p[1] = {ml_buf_cstr(&q)};
    ml_err r = ml_buf_failed(&q) ? ml_fail(db->ctx, ML_LIMIT, "profile word too long")
                                 : pg_scalar(db, "profile words", sql, 1, p, count);
    ml_buf_release(&q);
    if (*count < 0) *count = 0;
    return r;
}

ml_err pg_profile_candidates(ml_db *db, bool needs, const char *words, int64_t exclude,
                             unsigned max, ml_profile_text_fn fn, void *ud)
{
    ml_buf q;
    ml_buf_init(&q, 1 << 20);
    for (const char *p = words; *p;) {
        size_t n = strcspn(p, " ");
        if (n) {
            if (q.len) ml_buf_addstr(&q, " | ");
            add_lexeme(&q, p, n);
        }
        p += n + (p[n] == ' ');
    }
    if (ml_buf_failed(&q) || !q.len) {
        bool failed = ml_buf_failed(&q);
        ml_buf_release(&q);
        return failed ? ml_fail(db->ctx, ML_LIMIT, "profile words too long for a query") : ML_OK;
    }
    char sql[320], id[24], limit[16];
    ml_snprintf(id, sizeof id, "%lld", (long long)exclude);
    ml_snprintf(limit, sizeof limit, "%u", max);
    /* Best first by PostgreSQL's own relevance (SQLite ranks with BM25):
     * lib/match/texts.c scores every candidate itself. */
    ml_snprintf(sql, sizeof sql,
                "SELECT siret, coalesce(%s_words, '') FROM profile WHERE %s_tsv @@ $1::tsquery"
                " AND siret <> $2 ORDER BY ts_rank(%s_tsv, $1::tsquery) DESC, siret LIMIT $3::int",
                side_column(needs), side_column(needs), side_column(needs));
    const char *p[3] = {ml_buf_cstr(&q), id, limit};
    PGresult *res;
    ml_err r = pg_query(db, "profile similarity", sql, 3, p, &res);
    ml_buf_release(&q);
    if (r) return r;
    int stop = 0;
    for (int i = 0; i < PQntuples(res) && !stop; i++)
        stop = fn(ud, strtoll(PQgetvalue(res, i, 0), NULL, 10), PQgetvalue(res, i, 1));
    PQclear(res);
    return stop ? ml_fail(db->ctx, ML_NOMEM, "out of memory comparing profiles") : ML_OK;
}

typedef struct texts_ctx {
    ml_profile_row_fn fn;
    void *ud;
} texts_ctx;

static int texts_row(void *ud, PGresult *res)
{
    texts_ctx *c = ud;
    return c->fn(c->ud, pg_i64(res, 0), pg_text(res, 1), pg_text(res, 2), pg_text(res, 3));
}

ml_err pg_profile_texts(ml_db *db, ml_profile_row_fn fn, void *ud)
{
    texts_ctx c = {fn, ud};
    ml_err r =
        pg_each(db, "read profiles",
                "SELECT siret, coalesce(offers_words, '') || ' ' || coalesce(needs_words, ''),"
                " offers, needs FROM profile ORDER BY siret",
                0, NULL, texts_row, &c);
    return r == ML_INTERRUPTED ? ml_fail(db->ctx, ML_NOMEM, "out of memory reading profiles") : r;
}
