/* suggest.c — ml_match(): one establishment's suggested suppliers or
 * customers, with the parts of each score and its reasons as data and as a
 * sentence in French and English. */
#include <math.h>

#include "match/match.h"
#include "store/store.h"

static int cmp_extra(const void *a, const void *b)
{
    const ml_extra *x = a, *y = b;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    return x->text < y->text ? -1 : x->text > y->text; /* exclusions (-1) first */
}

static int64_t parse_siret(const char *s)
{
    int64_t v = -1;
    if (s && ml_parse_i64(s, strlen(s), 0, 99999999999999LL, &v)) return -1;
    return v;
}

/* A label as it reads inside a sentence: first letter in lower case. */
static void add_label(ml_buf *b, const char *label)
{
    if (!label || !*label) return;
    char c = label[0];
    if (c >= 'A' && c <= 'Z' && !(label[1] >= 'A' && label[1] <= 'Z')) c = (char)(c + 32);
    ml_buf_addch(b, c);
    ml_buf_addstr(b, label + 1);
}

/* 6 -> "6", 0.42 -> "0.4" (French: "0,4"). */
static void add_percent(ml_buf *b, double share, bool french)
{
    char tmp[32];
    double pct = share * 100;
    ml_snprintf(tmp, sizeof tmp, pct >= 1 ? "%.0f" : pct >= 0.1 ? "%.1f" : "%.2f", pct);
    if (french)
        for (char *p = tmp; *p; p++)
            if (*p == '.') *p = ',';
    ml_buf_addstr(b, tmp);
}

static void add_distance(ml_buf *b, double km, bool french)
{
    if (km < 1)
        ml_buf_addstr(b, french ? "à moins d'1 km" : "less than 1 km away");
    else
        ml_buf_addf(b, french ? "à %.0f km" : "%.0f km away", km);
}

typedef struct reason_ctx {
    const ml_snapshot *s;
    const ml_query *q;
    uint32_t row;
    const ml_score_parts *p;
    const char *activity; /* NAF label of the suggested establishment */
    json_t *words;        /* matched words, or NULL */
    json_t *networks;     /* shared network/label names */
} reason_ctx;

static void sentence(const reason_ctx *r, ml_buf *b, bool fr)
{
    const ml_snapshot *s = r->s;
    int self = s->sector[r->q->self], cand = s->sector[r->row];
    int buyer = r->q->customers ? cand : self, seller = r->q->customers ? self : cand;
    char *const *labels = fr ? s->a38_label_fr : s->a38_label_en;
    if (r->activity)
        ml_buf_addstr(b, r->activity);
    else
        ml_buf_addstr(b, fr ? "Établissement" : "Establishment");
    ml_buf_addstr(b, fr ? ", " : ", ");
    add_distance(b, r->p->distance_km, fr);
    ml_buf_addstr(b, fr ? " : " : ": ");
    bool first = true;
    if (r->p->sector > 0) {
        if (fr) {
            ml_buf_addstr(b, r->q->customers ? "sa branche, « " : "la branche « ");
            add_label(b, labels[buyer]);
            ml_buf_addstr(b, r->q->customers ? " », achète " : " » achète ");
            add_percent(b, r->p->base, true);
            ml_buf_addstr(b, " % de ses consommations intermédiaires domestiques ");
            if (s->map.def[buyer].a38_index == s->map.def[seller].a38_index) {
                ml_buf_addstr(b, "à sa propre branche");
            } else {
                ml_buf_addstr(b, "à la branche « ");
                add_label(b, labels[seller]);
                ml_buf_addstr(b, " »");
            }
            ml_buf_addf(b, " (TES Insee %d, niveau A38)", s->io_year);
            if (s->map.def[seller].nsplit > 1) {
                ml_buf_addstr(b, ", dont ");
                add_percent(b, r->p->split, true);
                ml_buf_addstr(b, " % à « ");
                add_label(b, s->wiod_label_fr[seller]);
                ml_buf_addf(b, " » (WIOD %d)", s->wiod_year);
            }
        } else {
            ml_buf_addstr(b, r->q->customers ? "its branch, “" : "the “");
            add_label(b, labels[buyer]);
            ml_buf_addstr(b, r->q->customers ? "”, buys " : "” branch buys ");
            add_percent(b, r->p->base, false);
            ml_buf_addstr(b, "% of its domestic intermediate consumption from ");
            if (s->map.def[buyer].a38_index == s->map.def[seller].a38_index) {
                ml_buf_addstr(b, "its own branch");
            } else {
                ml_buf_addstr(b, "“");
                add_label(b, labels[seller]);
                ml_buf_addstr(b, "”");
            }
            ml_buf_addf(b, " (INSEE input-output table %d, A38 level)", s->io_year);
            if (s->map.def[seller].nsplit > 1) {
                ml_buf_addstr(b, ", ");
                add_percent(b, r->p->split, false);
                ml_buf_addstr(b, "% of it from “");
                add_label(b, s->wiod_label_en[seller]);
                ml_buf_addf(b, "” (WIOD %d)", s->wiod_year);
            }
        }
        first = false;
    }
    if (r->p->text > 0 && r->words) {
        if (!first) ml_buf_addstr(b, "; ");
        ml_buf_addstr(b, fr ? (r->q->customers ? "ses besoins déclarés rejoignent vos offres"
                                               : "ses offres rejoignent vos besoins déclarés")
                            : (r->q->customers ? "its stated needs meet your offers"
                                               : "its offers meet your stated needs"));
        ml_buf_addstr(b, fr ? " (mots : " : " (words: ");
        size_t i;
        json_t *w;
        json_array_foreach(r->words, i, w)
            ml_buf_addf(b, "%s%s", i ? ", " : "", json_string_value(w));
        ml_buf_addch(b, ')');
        first = false;
    }
    if (r->p->network > 1 && json_array_size(r->networks)) {
        ml_buf_addstr(b, fr ? "; réseau ou label commun : " : "; shared network or label: ");
        size_t i;
        json_t *w;
        json_array_foreach(r->networks, i, w)
            ml_buf_addf(b, "%s%s", i ? ", " : "", json_string_value(w));
    }
    if (r->p->size < 1)
        ml_buf_addf(
            b, fr ? "; taille peu compatible (score × %.2g)" : "; size mismatch (score × %.2g)",
            r->p->size);
}

/* Names of the groups self and row share ("network:X" -> "X"). */
static json_t *shared_groups(const ml_snapshot *s, uint32_t a, uint32_t b)
{
    json_t *list = json_array();
    for (size_t g = 0; g < s->ngroups; g++) {
        bool in_a = false, in_b = false;
        for (size_t i = 0; i < s->nmember; i++) {
            uint32_t row = (uint32_t)(s->member[i] >> 32), grp = (uint32_t)s->member[i];
            if (grp != g) continue;
            in_a |= row == a;
            in_b |= row == b;
        }
        if (in_a && in_b && s->group_name[g]) {
            const char *n = strchr(s->group_name[g], ':');
            json_array_append_new(list, json_string(n ? n + 1 : s->group_name[g]));
        }
    }
    return list;
}

static json_t *parts_json(const ml_snapshot *s, const ml_query *q, uint32_t row,
                          const ml_score_parts *p)
{
    int self = s->sector[q->self], cand = s->sector[row];
    int buyer = q->customers ? cand : self, seller = q->customers ? self : cand;
    json_t *sector = json_null();
    if (buyer != ML_NO_SECTOR && seller != ML_NO_SECTOR) {
        const ml_sector_def *db = &s->map.def[buyer], *ds = &s->map.def[seller];
        sector =
            json_pack("{s:f, s:f, s:s, s:i, s:s, s:{s:s, s:s?}, s:{s:s, s:s?}}", "share", p->sector,
                      "a38_share", p->base, "source",
                      "INSEE, tableau des entrées-sorties domestiques", "year", s->io_year, "level",
                      "A38", "buyer_branch", "code", db->a38, "label", s->a38_label_fr[buyer],
                      "supplier_product", "code", ds->a38, "label", s->a38_label_fr[seller]);
        if (ds->nsplit > 1)
            json_object_set_new(
                sector, "refinement",
                json_pack("{s:f, s:s, s:i, s:s, s:{s:s, s:s?}, s:{s:s, s:s?}}", "split", p->split,
                          "source", "WIOD 2016 release, France, domestic", "year", s->wiod_year,
                          "level", "WIOD 56 industries", "buyer_industry", "code", db->wiod,
                          "label", s->wiod_label_en[buyer], "supplier_industry", "code", ds->wiod,
                          "label", s->wiod_label_en[seller]));
    }
    return json_pack("{s:o, s:f, s:f, s:f, s:f, s:f, s:f}", "sector", sector, "text", p->text,
                     "distance_km", p->distance_km, "distance_factor", p->decay, "size_factor",
                     p->size, "network_factor", p->network, "score", p->score);
}

ml_err ml_partners_load(ml_db *db, const ml_snapshot *snap, int64_t id, bool customers,
                        ml_partners *pc)
{
    memset(pc, 0, sizeof *pc);
    ml_err r = db->be->profile_matches(db, id, customers, &pc->texts);
    if (r || (r = db->be->verdicts(db, id, &pc->verdicts))) goto fail;
    size_t cap = json_array_size(pc->texts) + json_array_size(pc->verdicts);
    pc->extra = calloc(cap ? cap : 1, sizeof *pc->extra);
    pc->links = json_array();
    if (!pc->extra) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto fail;
    }
    size_t i, n = 0;
    json_t *v;
    json_array_foreach(pc->texts, i, v)
    {
        int64_t rr = ml_snapshot_row_str(snap, json_string_value(json_object_get(v, "siret")));
        double t = json_number_value(json_object_get(v, "similarity"));
        if (rr >= 0 && t > 0) pc->extra[n++] = (ml_extra){(uint32_t)rr, t};
    }
    json_array_foreach(pc->verdicts, i, v)
    {
        const char *verdict = json_string_value(json_object_get(v, "verdict"));
        const char *sup = json_string_value(json_object_get(v, "supplier"));
        const char *buy = json_string_value(json_object_get(v, "buyer"));
        const char *other = customers ? buy : sup, *me = customers ? sup : buy;
        if (strcmp(verdict, "accept") == 0) json_array_append(pc->links, v);
        /* A rejected pair is never proposed again, in either direction. */
        if (strcmp(verdict, "reject") != 0 || parse_siret(me) != id) continue;
        int64_t rr = ml_snapshot_row_str(snap, other);
        if (rr >= 0) pc->extra[n++] = (ml_extra){(uint32_t)rr, -1.0};
    }
    /* One entry per row, exclusions winning. */
    qsort(pc->extra, n, sizeof *pc->extra, cmp_extra);
    size_t k = 0;
    for (size_t j = 0; j < n; j++)
        if (k == 0 || pc->extra[k - 1].row != pc->extra[j].row) pc->extra[k++] = pc->extra[j];
    pc->nextra = k;
    return ML_OK;
fail:
    ml_partners_release(pc);
    return r;
}

void ml_partners_release(ml_partners *pc)
{
    json_decref(pc->texts);
    json_decref(pc->verdicts);
    json_decref(pc->links);
    free(pc->extra);
    memset(pc, 0, sizeof *pc);
}

ml_err ml_suggestion_json(ml_db *db, const ml_snapshot *snap, const ml_query *q, uint32_t row,
                          json_t *texts, json_t **out)
{
    *out = NULL;
    ml_score_parts p;
    ml_score(snap, q, row, &p);
    json_t *item = NULL;
    ml_err r = db->be->brief(db, snap->siret[row], &item);
    if (r || !item) return r;
    json_t *words = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(texts, i, v)
    {
        if (parse_siret(json_string_value(json_object_get(v, "siret"))) == snap->siret[row])
            words = json_object_get(v, "words");
    }
    json_t *nets = p.network > 1 ? shared_groups(snap, q->self, row) : json_array();
    reason_ctx rc = {snap,
                     q,
                     row,
                     &p,
                     json_string_value(json_object_get(json_object_get(item, "activity"), "label")),
                     words,
                     nets};
    ml_buf fr, en;
    ml_buf_init(&fr, 8192);
    ml_buf_init(&en, 8192);
    sentence(&rc, &fr, true);
    sentence(&rc, &en, false);
    json_object_set_new(item, "score", json_real(p.score));
    json_object_set_new(item, "distance_km", json_real(round(p.distance_km * 10) / 10));
    json_object_set_new(item, "parts", parts_json(snap, q, row, &p));
    json_object_set_new(item, "matched_words", words ? json_incref(words) : json_array());
    json_object_set_new(item, "shared_networks", nets);
    json_object_set_new(item, "reason_fr", json_string(ml_buf_cstr(&fr)));
    json_object_set_new(item, "reason_en", json_string(ml_buf_cstr(&en)));
    ml_buf_release(&fr);
    ml_buf_release(&en);
    *out = item;
    return ML_OK;
}

ml_err ml_match(ml_db *db, const ml_snapshot *snap, const char *siret, const ml_match_opts *o,
                json_t **out)
{
    *out = NULL;
    ml_ctx *ctx = db->ctx;
    if (!siret || !ml_siret_valid(siret, strlen(siret)))
        return ml_fail(ctx, ML_INVALID,
                       "'%s' is not a valid SIRET (14 digits with a valid checksum)",
                       siret ? siret : "");
    unsigned limit = o->limit ? o->limit : 20;
    if (limit > 500) return ml_fail(ctx, ML_INVALID, "limit %u is above 500", limit);
    double scale = o->scale_km > 0 ? o->scale_km : ML_SCALE_KM;
    if (!(scale <= 1000) || o->radius_km < 0 || !(o->radius_km <= 20000))
        return ml_fail(ctx, ML_INVALID, "distance scale must be 0-1000 km and radius 0-20000 km");
    int64_t id = parse_siret(siret);
    int64_t row = ml_snapshot_row(snap, id);
    if (row < 0) {
        json_t *shown = NULL;
        ml_err r = ml_show(db, siret, &shown);
        bool active = shown && json_is_true(json_object_get(shown, "active"));
        json_decref(shown);
        if (r) return r;
        return ml_fail(
            ctx, ML_NOTFOUND,
            "SIRET %s is %s: maillage suggests partners for active, placed establishments", siret,
            active ? "not placed on the map" : "closed");
    }
    bool customers = o->direction == ML_CUSTOMERS;

    ml_partners pc = {0};
    json_t *res = NULL;
    ml_hit *hits = calloc(limit, sizeof *hits);
    ml_err r = hits ? ml_partners_load(db, snap, id, customers, &pc)
                    : ml_fail(ctx, ML_NOMEM, "out of memory");
    if (r) goto out;
    json_t *links = pc.links;
    pc.links = NULL;

    ml_query q = {.self = (uint32_t)row,
                  .customers = customers,
                  .scale_km = scale,
                  .radius_km = o->radius_km,
                  .limit = limit,
                  .extra = pc.extra,
                  .nextra = pc.nextra};
    double t0 = ml_now();
    size_t n = o->brute_force ? ml_match_brute(snap, &q, hits) : ml_match_topk(snap, &q, hits);
    double elapsed = ml_now() - t0;

    json_t *self = NULL;
    if ((r = db->be->brief(db, id, &self))) {
        json_decref(links);
        goto out;
    }
    json_t *list = json_array();
    res = json_pack("{s:o, s:s, s:{s:f, s:f, s:f, s:f, s:i, s:s}, s:o, s:o, s:{s:s, s:I, s:f}}",
                    "establishment", self ? self : json_null(), "direction",
                    customers ? "customers" : "suppliers", "model", "distance_scale_km", scale,
                    "radius_km", o->radius_km, "text_weight", ML_TEXT_WEIGHT, "network_bonus",
                    ML_NETWORK_BONUS, "io_year", snap->io_year, "io_source",
                    "INSEE, tableau des entrées-sorties domestiques, niveau A38", "suggestions",
                    list, "known_links", links, "engine", "method",
                    o->brute_force ? "brute_force" : "exact_top_k", "candidates",
                    (json_int_t)snap->n, "milliseconds", elapsed * 1000);
    links = NULL;
    for (size_t h = 0; h < n && !r; h++) {
        json_t *item = NULL;
        r = ml_suggestion_json(db, snap, &q, hits[h].row, pc.texts, &item);
        if (!item) continue; /* gone since the snapshot was built */
        json_object_set_new(item, "rank", json_integer((json_int_t)json_array_size(list) + 1));
        json_array_append_new(list, item);
    }
    if (!r) {
        *out = res;
        res = NULL;
    }
out:
    json_decref(res);
    ml_partners_release(&pc);
    free(hits);
    return r;
}
