/* sqlite_match.c — what the matching engine reads and writes in SQLite:
 * the snapshot scan, the input-output table, profiles and their text index,
 * networks, verdicts. */
#include "store/sqlite_impl.h"

/* Active establishments with a position (public ones only when asked: the
 * matching engine asks, lib/match/build.c). */
ml_err sq_snapshot_scan(ml_db *db, bool public_only, ml_snapshot_row_fn fn, void *ud)
{
    sq_state *s = db->impl;
    const char *sql = public_only ? "SELECT e.siret, n.a615, e.size_band, e.lat, e.lon FROM etab e"
                                    " LEFT JOIN naf n ON n.code = e.naf"
                                    " WHERE e.state = 'A' AND e.diffusion = 'O' AND e.geo > 0"
                                  : "SELECT e.siret, n.a615, e.size_band, e.lat, e.lon FROM etab e"
                                    " LEFT JOIN naf n ON n.code = e.naf"
                                    " WHERE e.state = 'A' AND e.geo > 0";
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

/* INSEE's A38 table of the latest year: fn(product, branch, M€) per cell. */
ml_err sq_io_a38(ml_db *db, int *year, ml_io_cell_fn fn, void *ud)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    *year = -1;
    if (sqlite3_prepare_v2(s->sql, "SELECT max(year) FROM io_use", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read input-output table");
    if (sqlite3_step(st) == SQLITE_ROW) *year = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (*year <= 0)
        return ml_fail(db->ctx, ML_ERROR, "%s has no input-output table: run `maillage init` first",
                       db->path);
    if (sqlite3_prepare_v2(s->sql, "SELECT product, branch, value FROM io_use WHERE year = ?", -1,
                           &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read input-output table");
    sqlite3_bind_int(st, 1, *year);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sq_col_text(st, 0), sq_col_text(st, 1), sqlite3_column_double(st, 2));
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading the input-output table");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "read input-output table");
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

/* The two sides of a profile as the text index holds them. */
static const char *side_column(bool needs)
{
    return needs ? "needs" : "offers";
}

ml_err sq_profile_words(ml_db *db, int64_t siret, bool needs, ml_buf *stems, ml_buf *raw)
{
    sq_state *s = db->impl;
    char sql[160];
    sqlite3_stmt *st = NULL;
    ml_snprintf(sql, sizeof sql,
                "SELECT x.%s, p.%s FROM profile_fts x LEFT JOIN profile p ON p.siret = x.rowid"
                " WHERE x.rowid = ?",
                side_column(needs), side_column(needs));
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "profile words");
    sqlite3_bind_int64(st, 1, siret);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (sq_col_text(st, 0)) rc |= ml_buf_addstr(stems, sq_col_text(st, 0));
        if (sq_col_text(st, 1)) rc |= ml_buf_addstr(raw, sq_col_text(st, 1));
    }
    sqlite3_finalize(st);
    return rc ? ml_fail(db->ctx, ML_LIMIT, "profile text too long") : ML_OK;
}

ml_err sq_profile_df(ml_db *db, bool needs, const char *word, size_t n, int64_t *count)
{
    sq_state *s = db->impl;
    char sql[160], expr[160];
    sqlite3_stmt *st = NULL;
    *count = 0;
    if (word)
        ml_snprintf(sql, sizeof sql, "SELECT count(*) FROM profile_fts WHERE profile_fts MATCH ?");
    else
        ml_snprintf(sql, sizeof sql, "SELECT count(*) FROM profile_fts WHERE %s <> ''",
                    side_column(needs));
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "profile words");
    if (word) {
        /* Folded words are letters and digits: quoted, they are never an operator. */
        ml_snprintf(expr, sizeof expr, "{%s} : \"%.*s\"", side_column(needs),
                    (int)(n < 120 ? n : 120), word);
        sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    }
    if (sqlite3_step(st) == SQLITE_ROW) *count = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ML_OK;
}

ml_err sq_profile_candidates(ml_db *db, bool needs, const char *words, int64_t exclude,
                             unsigned max, ml_profile_text_fn fn, void *ud)
{
    sq_state *s = db->impl;
    ml_buf expr;
    ml_buf_init(&expr, 1 << 20);
    ml_buf_addf(&expr, "{%s} : (", side_column(needs));
    for (const char *p = words; *p;) {
        size_t n = strcspn(p, " ");
        if (n) ml_buf_addf(&expr, "%s\"%.*s\"", p == words ? "" : " OR ", (int)n, p);
        p += n + (p[n] == ' ');
    }
    ml_buf_addch(&expr, ')');
    if (ml_buf_failed(&expr)) {
        ml_buf_release(&expr);
        return ml_fail(db->ctx, ML_LIMIT, "profile words too long for a query");
    }
    char sql[256];
    ml_snprintf(sql, sizeof sql,
                "SELECT rowid, %s FROM profile_fts WHERE profile_fts MATCH ? AND rowid <> ?"
                " ORDER BY bm25(profile_fts) LIMIT ?",
                side_column(needs));
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql, sql, -1, &st, NULL) != SQLITE_OK) {
        ml_buf_release(&expr);
        return sq_fail(db, "profile similarity");
    }
    sqlite3_bind_text(st, 1, ml_buf_cstr(&expr), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, exclude);
    sqlite3_bind_int(st, 3, (int)max);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sqlite3_column_int64(st, 0), sq_col_text(st, 1) ? sq_col_text(st, 1) : "");
    sqlite3_finalize(st);
    ml_buf_release(&expr);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory comparing profiles");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "profile similarity");
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

/* The latest accept/reject of each pair involving `siret`, plus every note,
 * oldest first. */
ml_err sq_verdicts(ml_db *db, int64_t siret, ml_verdict_fn fn, void *ud)
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
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_verdict_row v = {sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                            sq_col_text(st, 2),          sq_col_text(st, 3),
                            sq_col_text(st, 4),          sq_col_text(st, 5)};
        stop = fn(ud, &v);
    }
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading verdicts");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "read verdicts");
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

/* A network's creation date and members (SIRET order); ML_NOTFOUND, with
 * no message, when there is no network of that name. */
ml_err sq_network_get(ml_db *db, const char *name, char *created, size_t size, ml_siret_fn fn,
                      void *ud)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT n.created, m.siret FROM network n LEFT JOIN network_member m"
                           " ON m.network = n.id WHERE n.name = ? ORDER BY m.siret",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read network");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    bool found = false;
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!found) ml_snprintf(created, size, "%s", sq_col_text(st, 0) ? sq_col_text(st, 0) : "");
        found = true;
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) stop = fn(ud, sqlite3_column_int64(st, 1));
    }
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading a network");
    if (rc != SQLITE_DONE) return sq_fail(db, "read network");
    return found ? ML_OK : ML_NOTFOUND;
}

ml_err sq_network_list(ml_db *db, ml_network_fn fn, void *ud)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT n.name, n.created, count(m.siret) FROM network n"
                           " LEFT JOIN network_member m ON m.network = n.id GROUP BY n.id"
                           " ORDER BY n.name",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read networks");
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sq_col_text(st, 0), sq_col_text(st, 1), sqlite3_column_int64(st, 2));
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading networks");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "read networks");
}

/* Every profile's indexed words (offers and needs) with its texts as written. */
ml_err sq_profile_texts(ml_db *db, ml_profile_row_fn fn, void *ud)
{
    sq_state *s = db->impl;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->sql,
                           "SELECT f.rowid, coalesce(f.offers, '') || ' ' ||"
                           " coalesce(f.needs, ''), p.offers, p.needs"
                           " FROM profile_fts f JOIN profile p ON p.siret = f.rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(db, "read profiles");
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sqlite3_column_int64(st, 0), sq_col_text(st, 1), sq_col_text(st, 2),
                  sq_col_text(st, 3));
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading profiles");
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, "read profiles");
}
