/* sqlite_match.c — what the matching engine reads and writes in SQLite:
 * the snapshot scan, the input-output table, profiles and their text index,
 * networks, verdicts. */
#include <math.h>

#include "store/sqlite_impl.h"

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *siret_json(int64_t siret)
{
    char b[ML_SIRET_SIZE];
    return json_string(ml_siret_format(siret, b));
}

ml_err sq_snapshot_scan(ml_db *db, ml_snapshot_row_fn fn, void *ud)
{
    sq_state *s = db->impl;
    static const char sql[] = "SELECT e.siret, n.a615, e.size_band, e.lat, e.lon FROM etab e"
                              " LEFT JOIN naf n ON n.code = e.naf"
                              " WHERE e.state = 'A' AND e.diffusion = 'O' AND e.geo > 0";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read establishments");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(ud, sqlite3_column_int64(st, 0), sq_col_text(st, 1), sq_col_text(st, 2),
               sqlite3_column_double(st, 3), sqlite3_column_double(st, 4))) {
            sqlite3_finalize(st);
            return ml_fail(db->ctx, ML_NOMEM, "out of memory building the snapshot");
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "read establishments");
}

/* Network memberships and profile labels, as (siret, "network:NAME" or
 * "label:WORDS") pairs. Labels are separated by ';' in profiles. */
ml_err sq_memberships(ml_db *db, ml_member_fn fn, void *ud)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT m.siret, 'network:' || n.name FROM network_member m"
                           " JOIN network n ON n.id = m.network",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read networks");
    while (sqlite3_step(st) == SQLITE_ROW)
        fn(ud, sqlite3_column_int64(st, 0), sq_col_text(st, 1));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->sql, "SELECT siret, labels FROM profile WHERE labels <> ''", -1, &st,
                           NULL) != SQLITE_OK)
        return sq_fail(db, "read labels");
    ml_buf key, folded;
    ml_buf_init(&key, 4096);
    ml_buf_init(&folded, 4096);
    bool cut = false;
    while (!cut && sqlite3_step(st) == SQLITE_ROW) {
        const char *p = sq_col_text(st, 1);
        while (p && *p) {
            size_t n = strcspn(p, ";");
            /* Same label whatever the case and accents. */
            ml_buf_reset(&folded);
            ml_text_fold(s->text, &folded, p, n, ML_FOLD_KEEP_STOP);
            ml_buf_reset(&key);
            ml_buf_addf(&key, "label:%s", ml_buf_cstr(&folded));
            if ((cut = ml_buf_failed(&folded) || ml_buf_failed(&key))) break;
            if (folded.len) fn(ud, sqlite3_column_int64(st, 0), ml_buf_cstr(&key));
            p += n + (p[n] == ';');
        }
    }
    ml_buf_release(&key);
    ml_buf_release(&folded);
    sqlite3_finalize(st);
    return cut ? ml_fail(db->ctx, ML_LIMIT, "a profile label is longer than 4 KiB folded") : ML_OK;
}

/* The NAF classes with their A38 branch and labels (sorted by code), then the
 * links of the latest year of io_class, the general inputs and the goods of
 * trade classes. */
ml_err sq_io_classes(ml_db *db, const ml_io_sink *k, int *year)
{
    sq_state *s = db->impl;
    *year = 0;
    static const char *const sql[] = {
        "SELECT l.code, min(n.a38), l.label_fr, l.label_en FROM naf_level l"
        " JOIN naf n ON n.a615 = l.code WHERE l.level = 'class' GROUP BY l.code ORDER BY l.code",
        "SELECT supplier, buyer, weight, ic_share, resale_share, general, year FROM io_class"
        " WHERE year = (SELECT max(year) FROM io_class)",
        "SELECT class, group_fr, group_en FROM io_general",
        "SELECT trade_class, goods_fr, goods_en FROM io_resale",
    };
    for (int q = 0; q < 4; q++) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(s->sql, sql[q], -1, &st, NULL) != SQLITE_OK)
            return sq_fail(db, "read the inter-industry table");
        int rc = SQLITE_DONE, stop = 0;
        while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *a = sq_col_text(st, 0), *b = sq_col_text(st, 1), *c = sq_col_text(st, 2);
            if (!a) continue;
            if (q == 0) {
                stop = k->sector(k->ud, a, b, c, sq_col_text(st, 3));
            } else if (q == 1) {
                *year = sqlite3_column_int(st, 6);
                stop =
                    k->link(k->ud, a, b, sqlite3_column_double(st, 2), sqlite3_column_double(st, 3),
                            sqlite3_column_double(st, 4), sqlite3_column_int(st, 5) != 0);
            } else {
                stop = (q == 2 ? k->general : k->goods)(k->ud, a, b, c);
            }
        }
        sqlite3_finalize(st);
        if (stop)
            return ml_fail(db->ctx, ML_NOMEM, "out of memory reading the inter-industry table");
        if (rc != SQLITE_DONE) return sq_fail(db, "read the inter-industry table");
    }
    if (*year == 0)
        return ml_fail(db->ctx, ML_ERROR,
                       "%s has no inter-industry table by NAF class: run `maillage init` to load"
                       " the reference data of this version",
                       db->path);
    return ML_OK;
}

/* {"year": Y, "branches": [{"code","label_fr","label_en"}...],
 *  "use": {"product": {"branch": M€}}}: INSEE's A38 table of the latest year. */
ml_err sq_io_table(ml_db *db, json_t **out)
{
    sq_state *s = db->impl;
    int64_t year = -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, "SELECT max(year) FROM io_use", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read input-output table");
    if (sqlite3_step(st) == SQLITE_ROW) year = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (year <= 0)
        return ml_fail(db->ctx, ML_ERROR, "%s has no input-output table: run `maillage init` first",
                       db->path);
    json_t *branches = json_array(), *use = json_object();
    ml_json_build jb = {0};
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT code, label_fr, label_en FROM naf_level WHERE level = 'A38'"
                           " ORDER BY code",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(branches,
                              ml_json_pack(&jb, "{s:s, s:o, s:o}", "code", sq_col_text(st, 0),
                                           "label_fr", str_or_null(sq_col_text(st, 1)), "label_en",
                                           str_or_null(sq_col_text(st, 2))));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(s->sql, "SELECT product, branch, value FROM io_use WHERE year = ?", -1,
                           &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, year);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *p = sq_col_text(st, 0);
        json_t *row = json_object_get(use, p);
        if (!row) json_object_set_new(use, p, row = json_object());
        json_object_set_new(row, sq_col_text(st, 1), json_real(sqlite3_column_double(st, 2)));
    }
    sqlite3_finalize(st);
    *out = ml_json_pack(&jb, "{s:I, s:o, s:o}", "year", (json_int_t)year, "branches", branches,
                        "use", use);
    if (jb.failed) {
        json_decref(*out);
        *out = NULL;
    }
    return ml_json_done(db->ctx, &jb);
fail:
    json_decref(branches);
    json_decref(use);
    return sq_fail(db, "read input-output table");
}

/* ------------------------------------------------------------------ profiles */

ml_err sq_profile_put(ml_db *db, int64_t run, const ml_profile *p, ml_put_result *res)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    *res = ML_PUT_NEW;
    if (sqlite3_prepare_v2(s->sql, "SELECT run FROM profile WHERE siret = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return sq_fail(db, "read profile");
    sqlite3_bind_int64(st, 1, p->siret);
    if (sqlite3_step(st) == SQLITE_ROW)
        *res = sqlite3_column_int64(st, 0) == run ? ML_PUT_DUPLICATE : ML_PUT_REPLACED;
    sqlite3_finalize(st);
    if (*res == ML_PUT_DUPLICATE) return ML_OK;
    ml_buf folded[3];
    const char *src[3] = {p->offers, p->needs, p->labels};
    for (int i = 0; i < 3; i++) {
        ml_buf_init(&folded[i], 1 << 20);
        if (src[i]) ml_text_fold(s->text, &folded[i], src[i], strlen(src[i]), ML_FOLD_STEM);
    }
    ml_err r = ML_OK;
    for (int i = 0; i < 3 && !r; i++)
        if (ml_buf_failed(&folded[i]))
            r = ml_fail(db->ctx, ML_LIMIT, "profile text longer than 1 MiB folded");
    static const char *const sql[] = {
        "INSERT OR REPLACE INTO profile(siret, offers, needs, labels, innovations, website, run)"
        " VALUES(?,?,?,?,?,?,?)",
        "DELETE FROM profile_fts WHERE rowid = ?",
        "INSERT INTO profile_fts(rowid, offers, needs, labels) VALUES(?,?,?,?)",
    };
    for (int k = 0; k < 3 && !r; k++) {
        if (sqlite3_prepare_v2(s->sql, sql[k], -1, &st, NULL) != SQLITE_OK) {
            r = sq_fail(db, "write profile");
            break;
        }
        sqlite3_bind_int64(st, 1, p->siret);
        if (k == 0) {
            sq_bind_text(st, 2, p->offers);
            sq_bind_text(st, 3, p->needs);
            sq_bind_text(st, 4, p->labels);
            sq_bind_text(st, 5, p->innovations);
            sq_bind_text(st, 6, p->website);
            sqlite3_bind_int64(st, 7, run);
        } else if (k == 2) {
            for (int i = 0; i < 3; i++)
                sq_bind_text(st, 2 + i, ml_buf_cstr(&folded[i]));
        }
        if (sqlite3_step(st) != SQLITE_DONE) r = sq_fail(db, "write profile");
        sqlite3_finalize(st);
    }
    for (int i = 0; i < 3; i++)
        ml_buf_release(&folded[i]);
    return r;
}

/* The folded words of one profile column of `siret` (empty if none). */
static int profile_words(ml_db *db, int64_t siret, const char *column, ml_buf *out)
{
    sq_state *s = db->impl;
    char sql[96];
    ml_snprintf(sql, sizeof sql, "SELECT %s FROM profile_fts WHERE rowid = ?", column);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    sqlite3_bind_int64(st, 1, siret);
    if (sqlite3_step(st) == SQLITE_ROW && sq_col_text(st, 0))
        ml_buf_addstr(out, sq_col_text(st, 0));
    sqlite3_finalize(st);
    return ml_buf_failed(out) ? -1 : 0;
}

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
            json_t *w = json_stringn(p, k);
            ml_buf_release(&b);
            return w;
        }
        p += k + (p[k] == ' ');
    }
    ml_buf_release(&b);
    return json_stringn(stem, n);
}

/* Establishments whose offers (suppliers) or needs (customers) contain words
 * of self's needs (or offers), with the idf-weighted share of self's words
 * they contain: [{"siret", "similarity", "words": [...]}]. */
ml_err sq_profile_matches(ml_db *db, int64_t self, bool customers, json_t **out)
{
    sq_state *s = db->impl;
    const char *mine = customers ? "offers" : "needs", *theirs = customers ? "needs" : "offers";
    ml_buf words, query, raw;
    char sql_raw[96];
    sqlite3_stmt *st0 = NULL;
    ml_buf_init(&raw, 1 << 20);
    ml_buf_init(&words, 1 << 20);
    ml_buf_init(&query, 1 << 20);
    json_t *list = json_array();
    *out = list;
    ml_json_build jb = {0};
    if (profile_words(db, self, mine, &words)) goto fail;
    if (words.len == 0) goto done; /* no profile: nothing to compare */
    /* The words as self wrote them, to show instead of their stems. */
    ml_snprintf(sql_raw, sizeof sql_raw, "SELECT %s FROM profile WHERE siret = ?", mine);
    if (sqlite3_prepare_v2(s->sql, sql_raw, -1, &st0, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st0, 1, self);
        if (sqlite3_step(st0) == SQLITE_ROW && sq_col_text(st0, 0))
            ml_text_fold(s->text, &raw, sq_col_text(st0, 0), strlen(sq_col_text(st0, 0)), 0);
        sqlite3_finalize(st0);
    }
    /* Unique words of self, each with its idf among the other side's texts. */
    int64_t ndocs = -1;
    char sql[256];
    ml_snprintf(sql, sizeof sql, "SELECT count(*) FROM profile_fts WHERE %s <> ''", theirs);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK) goto fail;
    if (sqlite3_step(st) == SQLITE_ROW) ndocs = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (ndocs <= 0 || words.len == 0) goto done;
    typedef struct {
        const char *w;
        size_t n;
        double idf;
    } term;
    term terms[64];
    size_t nterms = 0;
    double idf_sum = 0;
    ml_snprintf(sql, sizeof sql, "SELECT count(*) FROM profile_fts WHERE profile_fts MATCH ?");
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK) goto fail;
    for (const char *p = ml_buf_cstr(&words); *p && nterms < ML_ARRAY_LEN(terms);) {
        size_t n = strcspn(p, " ");
        bool seen = false;
        for (size_t i = 0; i < nterms; i++)
            if (terms[i].n == n && memcmp(terms[i].w, p, n) == 0) seen = true;
        if (!seen) {
            char expr[160];
            ml_snprintf(expr, sizeof expr, "{%s} : \"%.*s\"", theirs, (int)(n < 120 ? n : 120), p);
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, expr, -1, SQLITE_TRANSIENT);
            int64_t df = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
            /* BM25's idf (the variant that stays positive). */
            double idf = log(((double)ndocs - (double)df + 0.5) / ((double)df + 0.5) + 1.0);
            terms[nterms++] = (term){p, n, idf};
            idf_sum += idf;
            if (df > 0) {
                ml_buf_addf(&query, "%s\"%.*s\"", query.len ? " OR " : "", (int)n, p);
            }
        }
        p += n + (p[n] == ' ');
    }
    sqlite3_finalize(st);
    if (ml_buf_failed(&raw) || ml_buf_failed(&query)) goto fail;
    if (query.len == 0 || idf_sum <= 0) goto done;
    ml_buf expr;
    ml_buf_init(&expr, 1 << 20);
    ml_buf_addf(&expr, "{%s} : (%s)", theirs, ml_buf_cstr(&query));
    if (ml_buf_failed(&expr)) {
        ml_buf_release(&expr);
        goto fail;
    }
    ml_snprintf(sql, sizeof sql,
                "SELECT rowid, %s FROM profile_fts WHERE profile_fts MATCH ? AND rowid <> ?"
                " ORDER BY bm25(profile_fts) LIMIT 1000",
                theirs);
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK) {
        ml_buf_release(&expr);
        goto fail;
    }
    sqlite3_bind_text(st, 1, ml_buf_cstr(&expr), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, self);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *text = sq_col_text(st, 1);
        json_t *matched = json_array();
        double got = 0;
        for (size_t i = 0; i < nterms; i++) {
            if (!text || !has_word(text, terms[i].w, terms[i].n)) continue;
            got += terms[i].idf;
            json_array_append_new(matched,
                                  display_word(s->text, ml_buf_cstr(&raw), terms[i].w, terms[i].n));
        }
        json_array_append_new(list, ml_json_pack(&jb, "{s:o, s:f, s:o}", "siret",
                                                 siret_json(sqlite3_column_int64(st, 0)),
                                                 "similarity", got / idf_sum, "words", matched));
    }
    sqlite3_finalize(st);
    ml_buf_release(&expr);
done:
    ml_buf_release(&raw);
    ml_buf_release(&words);
    ml_buf_release(&query);
    if (jb.failed) {
        json_decref(*out);
        *out = NULL;
    }
    return ml_json_done(db->ctx, &jb);
fail:
    ml_buf_release(&raw);
    ml_buf_release(&words);
    ml_buf_release(&query);
    json_decref(list);
    *out = NULL;
    return sq_fail(db, "profile similarity");
}

/* ------------------------------------------------------------------ verdicts */

ml_err sq_verdict_put(ml_db *db, int64_t supplier, int64_t buyer, const char *verdict,
                      const char *note, const char *author)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "INSERT INTO verdict(supplier, buyer, verdict, note, author)"
                           " VALUES(?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "write verdict");
    sqlite3_bind_int64(st, 1, supplier);
    sqlite3_bind_int64(st, 2, buyer);
    sqlite3_bind_text(st, 3, verdict, -1, SQLITE_STATIC);
    sq_bind_text(st, 4, note);
    sq_bind_text(st, 5, author);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "write verdict");
}

/* The latest accept/reject of each pair involving `siret` on the given side,
 * plus every note: [{"supplier","buyer","verdict","note","author","at"}]. */
ml_err sq_verdicts(ml_db *db, int64_t siret, json_t **out)
{
    sq_state *s = db->impl;
    static const char sql[] =
        "SELECT v.supplier, v.buyer, v.verdict, v.note, v.author, v.at FROM verdict v"
        " WHERE (v.supplier = ?1 OR v.buyer = ?1) AND (v.verdict = 'note' OR v.id ="
        " (SELECT max(w.id) FROM verdict w WHERE w.supplier = v.supplier AND w.buyer = v.buyer"
        " AND w.verdict <> 'note')) ORDER BY v.id";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read verdicts");
    sqlite3_bind_int64(st, 1, siret);
    json_t *list = json_array();
    ml_json_build jb = {0};
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(list, ml_json_pack(&jb, "{s:o, s:o, s:s, s:o, s:o, s:o}", "supplier",
                                                 siret_json(sqlite3_column_int64(st, 0)), "buyer",
                                                 siret_json(sqlite3_column_int64(st, 1)), "verdict",
                                                 sq_col_text(st, 2), "note",
                                                 str_or_null(sq_col_text(st, 3)), "author",
                                                 str_or_null(sq_col_text(st, 4)), "at",
                                                 str_or_null(sq_col_text(st, 5))));
    sqlite3_finalize(st);
    if (jb.failed) {
        json_decref(list);
        return ml_json_done(db->ctx, &jb);
    }
    *out = list;
    return ML_OK;
}

/* ------------------------------------------------------------------ networks */

ml_err sq_network_put(ml_db *db, const char *name, const int64_t *sirets, size_t n)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    ml_err r = ML_OK;
    if (sqlite3_prepare_v2(s->sql, "INSERT OR IGNORE INTO network(name) VALUES(?)", -1, &st,
                           NULL) != SQLITE_OK)
        return sq_fail(db, "write network");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sq_fail(db, "write network");
    if (sqlite3_prepare_v2(s->sql,
                           "INSERT OR IGNORE INTO network_member(network, siret)"
                           " SELECT id, ? FROM network WHERE name = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "write network");
    for (size_t i = 0; i < n && !r; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, sirets[i]);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) r = sq_fail(db, "write network member");
    }
    sqlite3_finalize(st);
    return r;
}

/* {"name", "created", "members": ["siret"...]} or ML_NOTFOUND. */
ml_err sq_network_get(ml_db *db, const char *name, json_t **out)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT n.created, m.siret FROM network n LEFT JOIN network_member m"
                           " ON m.network = n.id WHERE n.name = ? ORDER BY m.siret",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read network");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    json_t *members = json_array(), *o = NULL;
    ml_json_build jb = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (!o && !jb.failed)
            o = ml_json_pack(&jb, "{s:s, s:o}", "name", name, "created",
                             str_or_null(sq_col_text(st, 0)));
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            json_array_append_new(members, siret_json(sqlite3_column_int64(st, 1)));
    }
    sqlite3_finalize(st);
    if (jb.failed) {
        json_decref(members);
        return ml_json_done(db->ctx, &jb);
    }
    if (!o) {
        json_decref(members);
        return ml_fail(db->ctx, ML_NOTFOUND, "no network named '%s' (see `maillage group list`)",
                       name);
    }
    json_object_set_new(o, "members", members);
    *out = o;
    return ML_OK;
}

ml_err sq_network_list(ml_db *db, json_t **out)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT n.name, n.created, count(m.siret) FROM network n"
                           " LEFT JOIN network_member m ON m.network = n.id GROUP BY n.id"
                           " ORDER BY n.name",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read networks");
    json_t *list = json_array();
    ml_json_build jb = {0};
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(list,
                              ml_json_pack(&jb, "{s:s, s:o, s:I}", "name", sq_col_text(st, 0),
                                           "created", str_or_null(sq_col_text(st, 1)), "members",
                                           (json_int_t)sqlite3_column_int64(st, 2)));
    sqlite3_finalize(st);
    if (jb.failed) {
        json_decref(list);
        return ml_json_done(db->ctx, &jb);
    }
    *out = list;
    return ML_OK;
}

/* Every profile's folded words (offers and needs), with its unfolded text:
 * {"siret": {"words": "...", "offers": "...", "needs": "..."}}. */
ml_err sq_profile_texts(ml_db *db, json_t **out)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT f.rowid, coalesce(f.offers, '') || ' ' ||"
                           " coalesce(f.needs, ''), p.offers, p.needs"
                           " FROM profile_fts f JOIN profile p ON p.siret = f.rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read profiles");
    json_t *o = json_object();
    ml_json_build jb = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        char key[ML_SIRET_SIZE];
        ml_siret_format(sqlite3_column_int64(st, 0), key);
        json_object_set_new(o, key,
                            ml_json_pack(&jb, "{s:s, s:o, s:o}", "words", sq_col_text(st, 1),
                                         "offers", str_or_null(sq_col_text(st, 2)), "needs",
                                         str_or_null(sq_col_text(st, 3))));
    }
    sqlite3_finalize(st);
    if (jb.failed) {
        json_decref(o);
        return ml_json_done(db->ctx, &jb);
    }
    *out = o;
    return ML_OK;
}
