/* sqlite_history.c — the SQLite rows of a firm's shared history (issue 11):
 * contacts, interactions, follow-ups, documents, erasure traces, an
 * establishment's changes by import, and verdicts with their organisation.
 * Raw rows only: who may read them is decided in lib/history. */
#include "store/sqlite_impl.h"

/* The filter of ml_hist_query, one text for every history table: ?1 siret,
 * ?2 siren, ?3 id. */
#define HQ_FIRM                                                                                    \
    " WHERE (?1 = 0 OR siret = ?1 OR (siret = 0 AND siren = ?2)) AND (?2 = 0 OR siren = ?2)"       \
    " AND (?3 = 0 OR id = ?3)"

static void bind_query(sqlite3_stmt *st, const ml_hist_query *q)
{
    sqlite3_bind_int64(st, 1, q->siret);
    sqlite3_bind_int64(st, 2, q->siret ? ml_siret_siren(q->siret) : q->siren);
    sqlite3_bind_int64(st, 3, q->id);
}

static ml_err step_done(ml_db *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, what);
}

static ml_err end_rows(ml_db *db, sqlite3_stmt *st, int rc, int stop, const char *what)
{
    sqlite3_finalize(st);
    if (stop) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading %s", what);
    return rc == SQLITE_DONE ? ML_OK : sq_fail(db, what);
}

/* ------------------------------------------------------------------ contacts */

ml_err sq_contact_put(ml_db *db, ml_contact_row *c)
{
    sqlite3_stmt *st =
        c->id ? sq_prepare(db, "UPDATE hist_contact SET name = ?2, position = ?3, email = ?4,"
                               " phone = ?5, basis = ?6, source = ?7, updated_by = ?8,"
                               " updated = datetime('now') WHERE id = ?1")
              : sq_prepare(db, "INSERT INTO hist_contact(siret, siren, org, author_id, author,"
                               " name, position, email, phone, basis, source, updated_by)"
                               " VALUES(?9, ?10, ?11, ?12, ?8, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st) return sq_fail(db, "write contact");
    if (c->id) sqlite3_bind_int64(st, 1, c->id);
    sq_bind_text(st, 2, c->name);
    sq_bind_text(st, 3, c->position);
    sq_bind_text(st, 4, c->email);
    sq_bind_text(st, 5, c->phone);
    sq_bind_text(st, 6, c->basis);
    sq_bind_text(st, 7, c->source);
    sq_bind_text(st, 8, c->author);
    if (!c->id) {
        sqlite3_bind_int64(st, 9, c->siret);
        sqlite3_bind_int64(st, 10, c->siren);
        sqlite3_bind_int64(st, 11, c->org);
        sqlite3_bind_int64(st, 12, c->author_id);
    }
    sq_state *s = db->impl;
    ml_err r = step_done(db, st, "write contact");
    if (r) return r;
    if (!c->id) {
        c->id = sqlite3_last_insert_rowid(s->sql);
    } else if (sqlite3_changes(s->sql) == 0) {
        return ml_fail(db->ctx, ML_NOTFOUND, "no contact %lld", (long long)c->id);
    }
    return ML_OK;
}

ml_err sq_contact_touch(ml_db *db, int64_t id)
{
    sqlite3_stmt *st = sq_prepare(db, "UPDATE hist_contact SET updated = datetime('now')"
                                      " WHERE id = ?");
    if (!st) return sq_fail(db, "touch contact");
    sqlite3_bind_int64(st, 1, id);
    return step_done(db, st, "touch contact");
}

ml_err sq_contact_delete(ml_db *db, int64_t id)
{
    sqlite3_stmt *st = sq_prepare(db, "DELETE FROM hist_contact WHERE id = ?");
    if (!st) return sq_fail(db, "erase contact");
    sqlite3_bind_int64(st, 1, id);
    ml_err r = step_done(db, st, "erase contact");
    if (r) return r;
    st = sq_prepare(db, "UPDATE hist_interaction SET contacts = replace(contacts, ',' || ?1 || ',',"
                        " ',') WHERE contacts LIKE '%,' || ?1 || ',%'");
    if (!st) return sq_fail(db, "unlink contact");
    sqlite3_bind_int64(st, 1, id);
    return step_done(db, st, "unlink contact");
}

ml_err sq_contacts(ml_db *db, const ml_hist_query *q, ml_contact_fn fn, void *ud)
{
    sqlite3_stmt *st = sq_prepare(
        db, "SELECT id, siret, siren, org, author_id, author, name, position, email, phone, basis,"
            " source, created, updated, updated_by FROM hist_contact" HQ_FIRM
            " AND (?4 IS NULL OR email = ?4) AND (?5 IS NULL OR updated < ?5) ORDER BY id");
    if (!st) return sq_fail(db, "read contacts");
    bind_query(st, q);
    sq_bind_text(st, 4, q->email);
    sq_bind_text(st, 5, q->before);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_contact_row c = {
            .id = sqlite3_column_int64(st, 0),
            .siret = sqlite3_column_int64(st, 1),
            .siren = sqlite3_column_int64(st, 2),
            .org = sqlite3_column_int64(st, 3),
            .author_id = sqlite3_column_int64(st, 4),
            .author = sq_col_text(st, 5),
            .name = sq_col_text(st, 6),
            .position = sq_col_text(st, 7),
            .email = sq_col_text(st, 8),
            .phone = sq_col_text(st, 9),
            .basis = sq_col_text(st, 10),
            .source = sq_col_text(st, 11),
            .created = sq_col_text(st, 12),
            .updated = sq_col_text(st, 13),
            .updated_by = sq_col_text(st, 14),
        };
        stop = fn(ud, &c);
    }
    return end_rows(db, st, rc, stop, "contacts");
}

/* -------------------------------------------------------------- interactions */

ml_err sq_interaction_put(ml_db *db, ml_interaction_row *i)
{
    sqlite3_stmt *st = sq_prepare(db, "INSERT INTO hist_interaction(siret, siren, org, author_id,"
                                      " author, kind, day, notes, contacts)"
                                      " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st) return sq_fail(db, "write interaction");
    sqlite3_bind_int64(st, 1, i->siret);
    sqlite3_bind_int64(st, 2, i->siren);
    sqlite3_bind_int64(st, 3, i->org);
    sqlite3_bind_int64(st, 4, i->author_id);
    sq_bind_text(st, 5, i->author);
    sq_bind_text(st, 6, i->kind);
    sq_bind_text(st, 7, i->day);
    sq_bind_text(st, 8, i->notes);
    sq_bind_text(st, 9, i->contacts ? i->contacts : ",");
    ml_err r = step_done(db, st, "write interaction");
    if (!r) i->id = sqlite3_last_insert_rowid(((sq_state *)db->impl)->sql);
    return r;
}

ml_err sq_interactions(ml_db *db, const ml_hist_query *q, ml_interaction_fn fn, void *ud)
{
    sqlite3_stmt *st = sq_prepare(
        db, "SELECT id, siret, siren, org, author_id, author, kind, day, notes, contacts, created"
            " FROM hist_interaction" HQ_FIRM
            " AND (?4 = 0 OR contacts LIKE '%,' || ?4 || ',%') ORDER BY id");
    if (!st) return sq_fail(db, "read interactions");
    bind_query(st, q);
    sqlite3_bind_int64(st, 4, q->contact);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_interaction_row i = {
            .id = sqlite3_column_int64(st, 0),
            .siret = sqlite3_column_int64(st, 1),
            .siren = sqlite3_column_int64(st, 2),
            .org = sqlite3_column_int64(st, 3),
            .author_id = sqlite3_column_int64(st, 4),
            .author = sq_col_text(st, 5),
            .kind = sq_col_text(st, 6),
            .day = sq_col_text(st, 7),
            .notes = sq_col_text(st, 8),
            .contacts = sq_col_text(st, 9),
            .created = sq_col_text(st, 10),
        };
        stop = fn(ud, &i);
    }
    return end_rows(db, st, rc, stop, "interactions");
}

/* ----------------------------------------------------------------- follow-ups */

ml_err sq_followup_put(ml_db *db, ml_followup_row *f)
{
    sqlite3_stmt *st = sq_prepare(db, "INSERT INTO hist_followup(siret, siren, org, author_id,"
                                      " author, owner_id, owner, what, due)"
                                      " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st) return sq_fail(db, "write follow-up");
    sqlite3_bind_int64(st, 1, f->siret);
    sqlite3_bind_int64(st, 2, f->siren);
    sqlite3_bind_int64(st, 3, f->org);
    sqlite3_bind_int64(st, 4, f->author_id);
    sq_bind_text(st, 5, f->author);
    sqlite3_bind_int64(st, 6, f->owner_id);
    sq_bind_text(st, 7, f->owner);
    sq_bind_text(st, 8, f->what);
    sq_bind_text(st, 9, f->due);
    ml_err r = step_done(db, st, "write follow-up");
    if (!r) f->id = sqlite3_last_insert_rowid(((sq_state *)db->impl)->sql);
    return r;
}

ml_err sq_followup_done(ml_db *db, int64_t id, bool done)
{
    sqlite3_stmt *st =
        sq_prepare(db, done ? "UPDATE hist_followup SET done = datetime('now') WHERE id = ?"
                            : "UPDATE hist_followup SET done = NULL WHERE id = ?");
    if (!st) return sq_fail(db, "write follow-up");
    sqlite3_bind_int64(st, 1, id);
    ml_err r = step_done(db, st, "write follow-up");
    if (!r && sqlite3_changes(((sq_state *)db->impl)->sql) == 0)
        return ml_fail(db->ctx, ML_NOTFOUND, "no follow-up %lld", (long long)id);
    return r;
}

ml_err sq_followups(ml_db *db, const ml_hist_query *q, ml_followup_fn fn, void *ud)
{
    sqlite3_stmt *st = sq_prepare(
        db, "SELECT id, siret, siren, org, author_id, author, owner_id, owner, what, due, done,"
            " created FROM hist_followup" HQ_FIRM
            " AND (?4 IS NULL OR (done IS NULL AND due < ?4)) ORDER BY id");
    if (!st) return sq_fail(db, "read follow-ups");
    bind_query(st, q);
    sq_bind_text(st, 4, q->before);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_followup_row f = {
            .id = sqlite3_column_int64(st, 0),
            .siret = sqlite3_column_int64(st, 1),
            .siren = sqlite3_column_int64(st, 2),
            .org = sqlite3_column_int64(st, 3),
            .author_id = sqlite3_column_int64(st, 4),
            .author = sq_col_text(st, 5),
            .owner_id = sqlite3_column_int64(st, 6),
            .owner = sq_col_text(st, 7),
            .what = sq_col_text(st, 8),
            .due = sq_col_text(st, 9),
            .done = sq_col_text(st, 10),
            .created = sq_col_text(st, 11),
        };
        stop = fn(ud, &f);
    }
    return end_rows(db, st, rc, stop, "follow-ups");
}

/* ------------------------------------------------------------------ documents */

ml_err sq_document_put(ml_db *db, const ml_document_row *d)
{
    sqlite3_stmt *st =
        sq_prepare(db, "INSERT INTO hist_document(id, siret, siren, org, author_id,"
                       " author, name, type, size) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st) return sq_fail(db, "write document");
    sq_bind_text(st, 1, d->id);
    sqlite3_bind_int64(st, 2, d->siret);
    sqlite3_bind_int64(st, 3, d->siren);
    sqlite3_bind_int64(st, 4, d->org);
    sqlite3_bind_int64(st, 5, d->author_id);
    sq_bind_text(st, 6, d->author);
    sq_bind_text(st, 7, d->name);
    sq_bind_text(st, 8, d->type);
    sqlite3_bind_int64(st, 9, d->size);
    return step_done(db, st, "write document");
}

ml_err sq_documents(ml_db *db, const ml_hist_query *q, ml_document_fn fn, void *ud)
{
    /* The id is text here: ?3 is unused (0), ?4 names one document. */
    sqlite3_stmt *st = sq_prepare(
        db, "SELECT id, siret, siren, org, author_id, author, name, type, size, created"
            " FROM hist_document WHERE (?1 = 0 OR siret = ?1 OR (siret = 0 AND siren = ?2))"
            " AND (?2 = 0 OR siren = ?2) AND (?4 IS NULL OR id = ?4) ORDER BY created, id");
    if (!st) return sq_fail(db, "read documents");
    bind_query(st, q);
    sq_bind_text(st, 4, q->doc);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_document_row d = {
            .id = sq_col_text(st, 0),
            .siret = sqlite3_column_int64(st, 1),
            .siren = sqlite3_column_int64(st, 2),
            .org = sqlite3_column_int64(st, 3),
            .author_id = sqlite3_column_int64(st, 4),
            .author = sq_col_text(st, 5),
            .name = sq_col_text(st, 6),
            .type = sq_col_text(st, 7),
            .size = sqlite3_column_int64(st, 8),
            .created = sq_col_text(st, 9),
        };
        stop = fn(ud, &d);
    }
    return end_rows(db, st, rc, stop, "documents");
}

/* ------------------------------------------------------- erasures, changes */

ml_err sq_erasure_put(ml_db *db, int64_t org, int64_t author_id, const char *author,
                      const char *what)
{
    sqlite3_stmt *st = sq_prepare(db, "INSERT INTO hist_erasure(org, author_id, author, what)"
                                      " VALUES(?, ?, ?, ?)");
    if (!st) return sq_fail(db, "write erasure");
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_int64(st, 2, author_id);
    sq_bind_text(st, 3, author);
    sq_bind_text(st, 4, what);
    return step_done(db, st, "write erasure");
}

ml_err sq_erasures(ml_db *db, ml_erasure_fn fn, void *ud)
{
    sqlite3_stmt *st =
        sq_prepare(db, "SELECT id, at, org, author_id, author, what FROM hist_erasure ORDER BY id");
    if (!st) return sq_fail(db, "read erasures");
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sqlite3_column_int64(st, 0), sq_col_text(st, 1), sqlite3_column_int64(st, 2),
                  sqlite3_column_int64(st, 3), sq_col_text(st, 4), sq_col_text(st, 5));
    return end_rows(db, st, rc, stop, "erasures");
}

ml_err sq_etab_changes(ml_db *db, int64_t siret, ml_change_fn fn, void *ud)
{
    sqlite3_stmt *st = sq_prepare(db, "SELECT change, at, insee_date FROM etab_change"
                                      " WHERE siret = ? ORDER BY run");
    if (!st) return sq_fail(db, "read changes");
    sqlite3_bind_int64(st, 1, siret);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ud, sq_col_text(st, 0), sq_col_text(st, 1), sq_col_text(st, 2));
    return end_rows(db, st, rc, stop, "changes");
}

/* ------------------------------------------------------------------ verdicts */

ml_err sq_verdict_put_by(ml_db *db, const ml_verdict_by *b)
{
    sqlite3_stmt *st = sq_prepare(db, "INSERT INTO verdict(supplier, buyer, verdict, note, author,"
                                      " org, author_id) VALUES(?, ?, ?, ?, ?, ?, ?)");
    if (!st) return sq_fail(db, "write verdict");
    const ml_verdict_row *v = &b->v;
    sqlite3_bind_int64(st, 1, v->supplier);
    sqlite3_bind_int64(st, 2, v->buyer);
    sq_bind_text(st, 3, v->verdict);
    sq_bind_text(st, 4, v->note);
    sq_bind_text(st, 5, v->author);
    sqlite3_bind_int64(st, 6, b->org);
    sqlite3_bind_int64(st, 7, b->author_id);
    return step_done(db, st, "write verdict");
}

ml_err sq_verdict_rows(ml_db *db, int64_t siret, ml_verdict_by_fn fn, void *ud)
{
    sqlite3_stmt *st = sq_prepare(db, "SELECT supplier, buyer, verdict, note, author, at, org,"
                                      " author_id FROM verdict WHERE supplier = ?1 OR buyer = ?1"
                                      " ORDER BY id");
    if (!st) return sq_fail(db, "read verdicts");
    sqlite3_bind_int64(st, 1, siret);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        ml_verdict_by v = {{sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                            sq_col_text(st, 2), sq_col_text(st, 3), sq_col_text(st, 4),
                            sq_col_text(st, 5)},
                           sqlite3_column_int64(st, 6),
                           sqlite3_column_int64(st, 7)};
        stop = fn(ud, &v);
    }
    return end_rows(db, st, rc, stop, "verdicts");
}
