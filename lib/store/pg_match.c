/* pg_match.c — what the matching engine reads and writes in PostgreSQL: the
 * snapshot scan, memberships, the inter-industry table by NAF class,
 * networks and verdicts. Rows come in the order the SQLite backend gives
 * them (its primary keys, byte order), so that both engines answer alike. */
#include "store/pg_impl.h"

typedef struct snap_ctx {
    ml_snapshot_row_fn fn;
    void *ud;
} snap_ctx;

static int snap_row(void *ud, PGresult *res)
{
    snap_ctx *c = ud;
    return c->fn(c->ud, pg_i64(res, 0), pg_text(res, 1), pg_text(res, 2), pg_f64(res, 3),
                 pg_f64(res, 4));
}

/* Active establishments with a position (public ones only when asked). */
ml_err pg_snapshot_scan(ml_db *db, bool public_only, ml_snapshot_row_fn fn, void *ud)
{
    const char *sql = public_only ? "SELECT e.siret, n.a615, e.size_band, e.lat, e.lon FROM etab e"
                                    " LEFT JOIN naf n ON n.code = e.naf"
                                    " WHERE e.state = 'A' AND e.diffusion = 'O' AND e.geo > 0"
                                    " ORDER BY e.siret"
                                  : "SELECT e.siret, n.a615, e.size_band, e.lat, e.lon FROM etab e"
                                    " LEFT JOIN naf n ON n.code = e.naf"
                                    " WHERE e.state = 'A' AND e.geo > 0 ORDER BY e.siret";
    snap_ctx c = {fn, ud};
    ml_err r = pg_each(db, "read establishments", sql, 0, NULL, snap_row, &c);
    return r == ML_INTERRUPTED ? ml_fail(db->ctx, ML_NOMEM, "out of memory building the snapshot")
                               : r;
}

typedef struct member_ctx {
    ml_db *db;
    ml_member_fn fn;
    void *ud;
    ml_buf key, folded;
} member_ctx;

static int network_row(void *ud, PGresult *res)
{
    member_ctx *c = ud;
    c->fn(c->ud, pg_i64(res, 0), pg_text(res, 1));
    return 0;
}

/* Labels are separated by ';'; the same label whatever the case and accents. */
static int label_row(void *ud, PGresult *res)
{
    member_ctx *c = ud;
    pg_state *s = c->db->impl;
    const char *p = pg_text(res, 1);
    while (p && *p) {
        size_t n = strcspn(p, ";");
        ml_buf_reset(&c->folded);
        ml_text_fold(s->text, &c->folded, p, n, ML_FOLD_KEEP_STOP);
        ml_buf_reset(&c->key);
        ml_buf_addf(&c->key, "label:%s", ml_buf_cstr(&c->folded));
        if (c->folded.len) c->fn(c->ud, pg_i64(res, 0), ml_buf_cstr(&c->key));
        p += n + (p[n] == ';');
    }
    return 0;
}

/* Network memberships and profile labels, as (siret, "network:NAME" or
 * "label:WORDS") pairs. */
ml_err pg_memberships(ml_db *db, ml_member_fn fn, void *ud)
{
    member_ctx c = {.db = db, .fn = fn, .ud = ud};
    ml_err r = pg_each(db, "read networks",
                       "SELECT m.siret, 'network:' || n.name FROM network_member m"
                       " JOIN network n ON n.id = m.network ORDER BY m.network, m.siret",
                       0, NULL, network_row, &c);
    if (r) return r;
    ml_buf_init(&c.key, 4096);
    ml_buf_init(&c.folded, 4096);
    r = pg_each(db, "read labels",
                "SELECT siret, labels FROM profile WHERE labels <> '' ORDER BY siret", 0, NULL,
                label_row, &c);
    ml_buf_release(&c.key);
    ml_buf_release(&c.folded);
    return r;
}

typedef struct io_ctx {
    const ml_io_sink *k;
    int q, *year;
} io_ctx;

static int io_row(void *ud, PGresult *res)
{
    io_ctx *c = ud;
    const ml_io_sink *k = c->k;
    const char *a = pg_text(res, 0), *b = pg_text(res, 1), *t = pg_text(res, 2);
    if (!a) return 0;
    switch (c->q) {
    case 0:
        return k->sector(k->ud, a, b, t, pg_text(res, 3));
    case 1:
        *c->year = (int)pg_i64(res, 6);
        return k->link(k->ud, a, b, pg_f64(res, 2), pg_f64(res, 3), pg_f64(res, 4),
                       pg_i64(res, 5) != 0);
    case 2:
        return k->general(k->ud, a, b, t);
    default:
        return k->goods(k->ud, a, b, t);
    }
}

/* The NAF classes with their A38 branch and labels (sorted by code), then the
 * links of the latest year of io_class, the general inputs and the goods of
 * trade classes. */
ml_err pg_io_classes(ml_db *db, const ml_io_sink *k, int *year)
{
    pg_state *s = db->impl;
    *year = 0;
    static const char *const sql[] = {
        "SELECT l.code, min(n.a38 COLLATE \"C\"), l.label_fr, l.label_en FROM naf_level l"
        " JOIN naf n ON n.a615 = l.code WHERE l.level = 'class'"
        " GROUP BY l.code, l.label_fr, l.label_en ORDER BY l.code COLLATE \"C\"",
        "SELECT supplier, buyer, weight, ic_share, resale_share, general, year FROM io_class"
        " WHERE year = (SELECT max(year) FROM io_class)"
        " ORDER BY supplier COLLATE \"C\", buyer COLLATE \"C\"",
        "SELECT class, group_fr, group_en FROM io_general ORDER BY class COLLATE \"C\"",
        "SELECT trade_class, goods_fr, goods_en FROM io_resale ORDER BY trade_class COLLATE \"C\"",
    };
    for (int q = 0; q < 4; q++) {
        io_ctx c = {k, q, year};
        ml_err r = pg_each(db, "read the inter-industry table", sql[q], 0, NULL, io_row, &c);
        if (r == ML_INTERRUPTED)
            return ml_fail(db->ctx, ML_NOMEM, "out of memory reading the inter-industry table");
        if (r) return r;
    }
    if (*year == 0)
        return ml_fail(db->ctx, ML_ERROR,
                       "%s has no inter-industry table by NAF class: run `maillage init` to load"
                       " the reference data of this version",
                       s->where);
    return ML_OK;
}

ml_err pg_verdict_put(ml_db *db, int64_t supplier, int64_t buyer, const char *verdict,
                      const char *note, const char *author)
{
    char sup[24], buy[24];
    ml_snprintf(sup, sizeof sup, "%lld", (long long)supplier);
    ml_snprintf(buy, sizeof buy, "%lld", (long long)buyer);
    const char *p[5] = {sup, buy, verdict, note && *note ? note : NULL,
                        author && *author ? author : NULL};
    PGresult *res;
    ml_err r = pg_query(db, "write verdict",
                        "INSERT INTO verdict(supplier, buyer, verdict, note, author)"
                        " VALUES($1, $2, $3, $4, $5)",
                        5, p, &res);
    PQclear(res);
    return r;
}

/* The members go as one array: one round trip whatever their number. */
ml_err pg_network_put(ml_db *db, const char *name, const int64_t *sirets, size_t n)
{
    ml_buf list;
    ml_buf_init(&list, 0);
    int bad = ml_buf_addch(&list, '{');
    for (size_t i = 0; i < n; i++)
        bad |= ml_buf_addf(&list, "%s%lld", i ? "," : "", (long long)sirets[i]);
    bad |= ml_buf_addch(&list, '}');
    if (bad) {
        ml_buf_release(&list);
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    const char *p[2] = {name, ml_buf_cstr(&list)};
    PGresult *res;
    ml_err r =
        pg_query(db, "write network",
                 "INSERT INTO network(name) VALUES($1) ON CONFLICT (name) DO NOTHING", 1, p, &res);
    PQclear(res);
    if (!r) {
        r = pg_query(db, "write network member",
                     "INSERT INTO network_member(network, siret) SELECT n.id, m.siret"
                     " FROM network n, unnest($2::bigint[]) AS m(siret) WHERE n.name = $1"
                     " ON CONFLICT DO NOTHING",
                     2, p, &res);
        PQclear(res);
    }
    ml_buf_release(&list);
    return r;
}
