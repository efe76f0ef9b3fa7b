/* pg_history.c — the PostgreSQL rows of a firm's shared history (issue 11):
 * the same slots as sqlite_history.c, in the same order (ids), so that both
 * engines answer alike. Raw rows only: who may read them is lib/history's. */
#include "store/pg_impl.h"

/* SQLite's datetime('now'), as text in the same shape (pg_schema.h's PG_NOW). */
#define PG_NOW_TEXT "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"

/* ml_hist_query's filter: $1 siret, $2 siren, $3 id. */
#define HQ_FIRM                                                                                    \
    " WHERE ($1::bigint = 0 OR siret = $1::bigint OR (siret = 0 AND siren = $2::bigint))"          \
    " AND ($2::bigint = 0 OR siren = $2::bigint) AND ($3::bigint = 0 OR id = $3::bigint)"

typedef struct num {
    char s[24];
} num;

static num n64(int64_t v)
{
    num n;
    ml_snprintf(n.s, sizeof n.s, "%lld", (long long)v);
    return n;
}

static const char *text_or_null(const char *s)
{
    return s && *s ? s : NULL;
}

typedef struct query_params {
    num siret, siren, id;
} query_params;

static query_params params_of(const ml_hist_query *q)
{
    query_params p = {n64(q->siret), n64(q->siret ? ml_siret_siren(q->siret) : q->siren),
                      n64(q->id)};
    return p;
}

static ml_err command(ml_db *db, const char *what, const char *sql, int n,
                      const char *const *params, int64_t *rows)
{
    PGresult *res;
    ml_err r = pg_query(db, what, sql, n, params, &res);
    if (r) return r;
    if (rows) {
        const char *t = PQcmdTuples(res);
        *rows = t && *t ? strtoll(t, NULL, 10) : 0;
    }
    PQclear(res);
    return ML_OK;
}

/* Runs an INSERT … RETURNING id and reads the id. */
static ml_err insert_id(ml_db *db, const char *what, const char *sql, int n,
                        const char *const *params, int64_t *id)
{
    PGresult *res;
    ml_err r = pg_query(db, what, sql, n, params, &res);
    if (r) return r;
    *id = PQntuples(res) == 1 ? pg_i64(res, 0) : 0;
    PQclear(res);
    return ML_OK;
}

/* ------------------------------------------------------------------ contacts */

ml_err pg_contact_put(ml_db *db, ml_contact_row *c)
{
    num id = n64(c->id), siret = n64(c->siret), siren = n64(c->siren), org = n64(c->org),
        author_id = n64(c->author_id);
    /* $1..$8: the id, the fields, who writes; $9..$12 where a new one goes. */
    const char *p[12] = {id.s,
                         text_or_null(c->name),
                         text_or_null(c->position),
                         text_or_null(c->email),
                         text_or_null(c->phone),
                         text_or_null(c->basis),
                         text_or_null(c->source),
                         text_or_null(c->author),
                         siret.s,
                         siren.s,
                         org.s,
                         author_id.s};
    if (!c->id)
        return insert_id(db, "write contact",
                         "INSERT INTO hist_contact(siret, siren, org, author_id, author, name,"
                         " position, email, phone, basis, source, updated_by)"
                         " SELECT $9::bigint, $10::bigint, $11::bigint, $12::bigint, $8::text,"
                         " $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text"
                         " WHERE $1::bigint = 0 RETURNING id",
                         12, p, &c->id);
    int64_t rows = 0;
    ml_err r = command(db, "write contact",
                       "UPDATE hist_contact SET name = $2, position = $3, email = $4, phone = $5,"
                       " basis = $6, source = $7, updated_by = $8, updated = " PG_NOW_TEXT
                       " WHERE id = $1::bigint",
                       8, p, &rows);
    if (!r && rows == 0) return ml_fail(db->ctx, ML_NOTFOUND, "no contact %lld", (long long)c->id);
    return r;
}

ml_err pg_contact_touch(ml_db *db, int64_t id)
{
    num n = n64(id);
    const char *p[1] = {n.s};
    return command(db, "touch contact",
                   "UPDATE hist_contact SET updated = " PG_NOW_TEXT " WHERE id = $1::bigint", 1, p,
                   NULL);
}

ml_err pg_contact_delete(ml_db *db, int64_t id)
{
    num n = n64(id);
    const char *p[1] = {n.s};
    ml_err r =
        command(db, "erase contact", "DELETE FROM hist_contact WHERE id = $1::bigint", 1, p, NULL);
    if (r) return r;
    return command(db, "unlink contact",
                   "UPDATE hist_interaction SET contacts = replace(contacts, ',' || $1 || ',', ',')"
                   " WHERE contacts LIKE '%,' || $1 || ',%'",
                   1, p, NULL);
}

typedef struct rows_ctx {
    void *fn;
    void *ud;
} rows_ctx;

static int contact_row(void *ud, PGresult *res)
{
    rows_ctx *c = ud;
    ml_contact_row r = {
        .id = pg_i64(res, 0),
        .siret = pg_i64(res, 1),
        .siren = pg_i64(res, 2),
        .org = pg_i64(res, 3),
        .author_id = pg_i64(res, 4),
        .author = pg_text(res, 5),
        .name = pg_text(res, 6),
        .position = pg_text(res, 7),
        .email = pg_text(res, 8),
        .phone = pg_text(res, 9),
        .basis = pg_text(res, 10),
        .source = pg_text(res, 11),
        .created = pg_text(res, 12),
        .updated = pg_text(res, 13),
        .updated_by = pg_text(res, 14),
    };
    return ((ml_contact_fn)c->fn)(c->ud, &r);
}

/* pg_each's ML_INTERRUPTED: a callback stopped (out of memory). */
static ml_err each_end(ml_db *db, ml_err r, const char *what)
{
    if (r == ML_INTERRUPTED) return ml_fail(db->ctx, ML_NOMEM, "out of memory reading %s", what);
    return r;
}

ml_err pg_contacts(ml_db *db, const ml_hist_query *q, ml_contact_fn fn, void *ud)
{
    query_params qp = params_of(q);
    const char *p[5] = {qp.siret.s, qp.siren.s, qp.id.s, text_or_null(q->email),
                        text_or_null(q->before)};
    rows_ctx c = {(void *)fn, ud};
    return each_end(
        db,
        pg_each(db, "read contacts",
                "SELECT id, siret, siren, org, author_id, author, name, position, email, phone,"
                " basis, source, created, updated, updated_by FROM hist_contact" HQ_FIRM
                " AND ($4::text IS NULL OR email = $4::text)"
                " AND ($5::text IS NULL OR updated < $5::text) ORDER BY id",
                5, p, contact_row, &c),
        "contacts");
}

/* -------------------------------------------------------------- interactions */

ml_err pg_interaction_put(ml_db *db, ml_interaction_row *i)
{
    num siret = n64(i->siret), siren = n64(i->siren), org = n64(i->org),
        author_id = n64(i->author_id);
    const char *p[9] = {siret.s,
                        siren.s,
                        org.s,
                        author_id.s,
                        text_or_null(i->author),
                        i->kind,
                        i->day,
                        text_or_null(i->notes),
                        i->contacts && *i->contacts ? i->contacts : ","};
    return insert_id(db, "write interaction",
                     "INSERT INTO hist_interaction(siret, siren, org, author_id, author, kind, day,"
                     " notes, contacts) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                     9, p, &i->id);
}

static int interaction_row(void *ud, PGresult *res)
{
    rows_ctx *c = ud;
    ml_interaction_row r = {
        .id = pg_i64(res, 0),
        .siret = pg_i64(res, 1),
        .siren = pg_i64(res, 2),
        .org = pg_i64(res, 3),
        .author_id = pg_i64(res, 4),
        .author = pg_text(res, 5),
        .kind = pg_text(res, 6),
        .day = pg_text(res, 7),
        .notes = pg_text(res, 8),
        .contacts = pg_text(res, 9),
        .created = pg_text(res, 10),
    };
    return ((ml_interaction_fn)c->fn)(c->ud, &r);
}

ml_err pg_interactions(ml_db *db, const ml_hist_query *q, ml_interaction_fn fn, void *ud)
{
    query_params qp = params_of(q);
    num contact = n64(q->contact);
    const char *p[4] = {qp.siret.s, qp.siren.s, qp.id.s, contact.s};
    rows_ctx c = {(void *)fn, ud};
    return each_end(
        db,
        pg_each(
            db, "read interactions",
            "SELECT id, siret, siren, org, author_id, author, kind, day, notes, contacts,"
            " created FROM hist_interaction" HQ_FIRM
            " AND ($4::bigint = 0 OR contacts LIKE '%,' || $4::bigint::text || ',%') ORDER BY id",
            4, p, interaction_row, &c),
        "interactions");
}

/* ----------------------------------------------------------------- follow-ups */

ml_err pg_followup_put(ml_db *db, ml_followup_row *f)
{
    num siret = n64(f->siret), siren = n64(f->siren), org = n64(f->org),
        author_id = n64(f->author_id), owner_id = n64(f->owner_id);
    const char *p[9] = {siret.s,
                        siren.s,
                        org.s,
                        author_id.s,
                        text_or_null(f->author),
                        owner_id.s,
                        text_or_null(f->owner),
                        f->what,
                        f->due};
    return insert_id(db, "write follow-up",
                     "INSERT INTO hist_followup(siret, siren, org, author_id, author, owner_id,"
                     " owner, what, due) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                     9, p, &f->id);
}

ml_err pg_followup_done(ml_db *db, int64_t id, bool done)
{
    num n = n64(id);
    const char *p[1] = {n.s};
    int64_t rows = 0;
    ml_err r =
        command(db, "write follow-up",
                done ? "UPDATE hist_followup SET done = " PG_NOW_TEXT " WHERE id = $1::bigint"
                     : "UPDATE hist_followup SET done = NULL WHERE id = $1::bigint",
                1, p, &rows);
    if (!r && rows == 0) return ml_fail(db->ctx, ML_NOTFOUND, "no follow-up %lld", (long long)id);
    return r;
}

static int followup_row(void *ud, PGresult *res)
{
    rows_ctx *c = ud;
    ml_followup_row r = {
        .id = pg_i64(res, 0),
        .siret = pg_i64(res, 1),
        .siren = pg_i64(res, 2),
        .org = pg_i64(res, 3),
        .author_id = pg_i64(res, 4),
        .author = pg_text(res, 5),
        .owner_id = pg_i64(res, 6),
        .owner = pg_text(res, 7),
        .what = pg_text(res, 8),
        .due = pg_text(res, 9),
        .done = pg_text(res, 10),
        .created = pg_text(res, 11),
    };
    return ((ml_followup_fn)c->fn)(c->ud, &r);
}

ml_err pg_followups(ml_db *db, const ml_hist_query *q, ml_followup_fn fn, void *ud)
{
    query_params qp = params_of(q);
    const char *p[4] = {qp.siret.s, qp.siren.s, qp.id.s, text_or_null(q->before)};
    rows_ctx c = {(void *)fn, ud};
    return each_end(db,
                    pg_each(db, "read follow-ups",
                            "SELECT id, siret, siren, org, author_id, author, owner_id, owner,"
                            " what, due, done, created FROM hist_followup" HQ_FIRM
                            " AND ($4::text IS NULL OR (done IS NULL AND due < $4::text))"
                            " ORDER BY id",
                            4, p, followup_row, &c),
                    "follow-ups");
}

/* ------------------------------------------------------------------ documents */

ml_err pg_document_put(ml_db *db, const ml_document_row *d)
{
    num siret = n64(d->siret), siren = n64(d->siren), org = n64(d->org),
        author_id = n64(d->author_id), size = n64(d->size);
    const char *p[9] = {d->id,   siret.s, siren.s, org.s, author_id.s, text_or_null(d->author),
                        d->name, d->type, size.s};
    return command(db, "write document",
                   "INSERT INTO hist_document(id, siret, siren, org, author_id, author, name, type,"
                   " size) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   9, p, NULL);
}

static int document_row(void *ud, PGresult *res)
{
    rows_ctx *c = ud;
    ml_document_row r = {
        .id = pg_text(res, 0),
        .siret = pg_i64(res, 1),
        .siren = pg_i64(res, 2),
        .org = pg_i64(res, 3),
        .author_id = pg_i64(res, 4),
        .author = pg_text(res, 5),
        .name = pg_text(res, 6),
        .type = pg_text(res, 7),
        .size = pg_i64(res, 8),
        .created = pg_text(res, 9),
    };
    return ((ml_document_fn)c->fn)(c->ud, &r);
}

ml_err pg_documents(ml_db *db, const ml_hist_query *q, ml_document_fn fn, void *ud)
{
    query_params qp = params_of(q);
    const char *p[3] = {qp.siret.s, qp.siren.s, text_or_null(q->doc)};
    rows_ctx c = {(void *)fn, ud};
    return each_end(
        db,
        pg_each(db, "read documents",
                "SELECT id, siret, siren, org, author_id, author, name, type, size, created"
                " FROM hist_document WHERE ($1::bigint = 0 OR siret = $1::bigint OR"
                " (siret = 0 AND siren = $2::bigint)) AND ($2::bigint = 0 OR siren = $2::bigint)"
                " AND ($3::text IS NULL OR id = $3::text) ORDER BY created, id COLLATE \"C\"",
                3, p, document_row, &c),
        "documents");
}

/* ------------------------------------------------------- erasures, changes */

ml_err pg_erasure_put(ml_db *db, int64_t org, int64_t author_id, const char *author,
                      const char *what)
{
    num o = n64(org), a = n64(author_id);
    const char *p[4] = {o.s, a.s, text_or_null(author), what};
    return command(db, "write erasure",
                   "INSERT INTO hist_erasure(org, author_id, author, what) VALUES($1, $2, $3, $4)",
                   4, p, NULL);
}

static int erasure_row(void *ud, PGresult *res)
{
    rows_ctx *c = ud;
    return ((ml_erasure_fn)c->fn)(c->ud, pg_i64(res, 0), pg_text(res, 1), pg_i64(res, 2),
                                  pg_i64(res, 3), pg_text(res, 4), pg_text(res, 5));
}

ml_err pg_erasures(ml_db *db, ml_erasure_fn fn, void *ud)
{
    rows_ctx c = {(void *)fn, ud};
    return each_end(db,
                    pg_each(db, "read erasures",
                            "SELECT id, at, org, author_id, author, what FROM hist_erasure"
                            " ORDER BY id",
                            0, NULL, erasure_row, &c),
                    "erasures");
}

static int change_row(void *ud, PGresult *res)
{
    rows_ctx *c = ud;
    return ((ml_change_fn)c->fn)(c->ud, pg_text(res, 0), pg_text(res, 1), pg_text(res, 2));
}

ml_err pg_etab_changes(ml_db *db, int64_t siret, ml_change_fn fn, void *ud)
{
    num n = n64(siret);
    const char *p[1] = {n.s};
    rows_ctx c = {(void *)fn, ud};
    return each_end(
        db,
        pg_each(db, "read changes",
                "SELECT change, at, insee_date FROM etab_change WHERE siret = $1::bigint"
                " ORDER BY run",
                1, p, change_row, &c),
        "changes");
}

/* ------------------------------------------------------------------ verdicts */

ml_err pg_verdict_put_by(ml_db *db, const ml_verdict_by *b)
{
    const ml_verdict_row *v = &b->v;
    num sup = n64(v->supplier), buy = n64(v->buyer), org = n64(b->org),
        author_id = n64(b->author_id);
    const char *p[7] = {
        sup.s, buy.s,      v->verdict, text_or_null(v->note), text_or_null(v->author),
        org.s, author_id.s};
    return command(db, "write verdict",
                   "INSERT INTO verdict(supplier, buyer, verdict, note, author, org, author_id)"
                   " VALUES($1, $2, $3, $4, $5, $6, $7)",
                   7, p, NULL);
}

static int verdict_row(void *ud, PGresult *res)
{
    rows_ctx *c = ud;
    ml_verdict_by v = {{pg_i64(res, 0), pg_i64(res, 1), pg_text(res, 2), pg_text(res, 3),
                        pg_text(res, 4), pg_text(res, 5)},
                       pg_i64(res, 6),
                       pg_i64(res, 7)};
    return ((ml_verdict_by_fn)c->fn)(c->ud, &v);
}

ml_err pg_verdict_rows(ml_db *db, int64_t siret, ml_verdict_by_fn fn, void *ud)
{
    num n = n64(siret);
    const char *p[1] = {n.s};
    rows_ctx c = {(void *)fn, ud};
    return each_end(db,
                    pg_each(db, "read verdicts",
                            "SELECT supplier, buyer, verdict, note, author, at, org, author_id"
                            " FROM verdict WHERE supplier = $1::bigint OR buyer = $1::bigint"
                            " ORDER BY id",
                            1, p, verdict_row, &c),
                    "verdicts");
}
