/* suggest.c — ml_match(): one establishment's suggested suppliers or
 * customers, with the parts of each score and its reasons as data and as a
 * sentence in French and English. */
#include <math.h>

#include "firm/firm.h"
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
    if (!s || ml_siret_digits(s, strlen(s), &v) != ML_ID_OK) return -1;
    return v;
}

typedef struct reason_ctx {
    const ml_snapshot *s;
    const ml_query *q;
    uint32_t row;
    const ml_score_parts *p;
    const char *activity; /* NAF label of the suggested establishment */
    const char *size_fr, *size_en;
    json_t *words;    /* matched words, or NULL */
    json_t *networks; /* shared network/label names */
} reason_ctx;

/* What is particular to this establishment: distance, size, words, network. */
/* Distance and size: "à 3 km, 20 à 49 salariés". */
static void where_and_size(const reason_ctx *r, ml_buf *b, bool fr)
{
    ml_say_distance(b, r->p->distance_km, fr);
    const char *size = fr ? r->size_fr : r->size_en;
    if (size && *size) ml_buf_addf(b, ", %s", size);
}

/* Matched words, shared network, size note, each after "; ". */
static void extras(const reason_ctx *r, ml_buf *b, bool fr)
{
    if (r->p->text > 0 && r->words) {
        ml_buf_addstr(b, fr ? (r->q->customers ? " ; ses besoins déclarés rejoignent vos offres"
                                               : " ; ses offres rejoignent vos besoins déclarés")
                            : (r->q->customers ? "; its stated needs meet your offers"
                                               : "; its offers meet your stated needs"));
        ml_buf_addstr(b, fr ? " (mots\xc2\xa0: " : " (words: ");
        size_t i;
        json_t *w;
        json_array_foreach(r->words, i, w)
            ml_buf_addf(b, "%s%s", i ? ", " : "", json_string_value(w));
        ml_buf_addch(b, ')');
    }
    if (r->p->network > 1 && json_array_size(r->networks)) {
        ml_buf_addstr(b,
                      fr ? " ; réseau ou label commun\xc2\xa0: " : "; shared network or label: ");
        size_t i;
        json_t *w;
        json_array_foreach(r->networks, i, w)
            ml_buf_addf(b, "%s%s", i ? ", " : "", json_string_value(w));
    }
    if (r->p->size < 1)
        ml_buf_addstr(b, fr ? " ; petite taille pour vos volumes (score réduit)"
                            : "; small for your volumes (score reduced)");
}

/* What is particular to this establishment: distance, size, words, network. */
static void detail(const reason_ctx *r, ml_buf *b, bool fr)
{
    where_and_size(r, b, fr);
    extras(r, b, fr);
}

/* The whole sentence: activity, distance and size, why the two classes
 * trade, then what else brings them together. */
static void sentence(const reason_ctx *r, ml_buf *b, bool fr)
{
    const ml_snapshot *s = r->s;
    int self = s->sector[r->q->self], cand = s->sector[r->row];
    ml_buf_addstr(b, r->activity ? r->activity : fr ? "Établissement" : "Establishment");
    ml_buf_addstr(b, ", ");
    where_and_size(r, b, fr);
    if (r->p->sector > 0) {
        ml_buf_addstr(b, fr ? "\xc2\xa0: " : ": ");
        if (r->q->customers)
            ml_say_link(s, self, cand, true, b, fr);
        else
            ml_say_link(s, cand, self, false, b, fr);
        ml_buf_addstr(b, " (");
        ml_say_source(s, b, fr);
        ml_buf_addch(b, ')');
    }
    extras(r, b, fr);
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

static json_t *class_json(ml_json_build *jb, const ml_snapshot *s, int k)
{
    return ml_json_pack(jb, "{s:s, s:s?, s:s?}", "code", s->sec[k].code, "label_fr",
                        s->sec[k].label_fr, "label_en", s->sec[k].label_en);
}

static json_t *parts_json(ml_json_build *jb, const ml_snapshot *s, const ml_query *q, uint32_t row,
                          const ml_score_parts *p)
{
    int self = s->sector[q->self], cand = s->sector[row];
    int buyer = q->customers ? cand : self, seller = q->customers ? self : cand;
    json_t *sector = json_null();
    if (p->sector > 0 && buyer != ML_NO_SECTOR && seller != ML_NO_SECTOR) {
        ml_buf src;
        ml_buf_init(&src, 1024);
        ml_say_source(s, &src, false);
        sector = ml_json_pack(jb, "{s:f, s:f, s:f, s:s, s:o, s:o, s:s, s:i}", "share", p->sector,
                              "ic_share", p->ic_share, "resale_share", p->resale_share, "link",
                              ml_link_is_resale(s, seller, buyer) ? "resale" : "intermediate",
                              "supplier_class", class_json(jb, s, seller), "buyer_class",
                              class_json(jb, s, buyer), "source",
                              ml_buf_failed(&src) ? NULL : ml_buf_cstr(&src), "year", s->io_year);
        ml_buf_release(&src);
    }
    return ml_json_pack(jb, "{s:o, s:f, s:f, s:f, s:f, s:f, s:f}", "sector", sector, "text",
                        p->text, "distance_km", p->distance_km, "distance_factor", p->decay,
                        "size_factor", p->size, "network_factor", p->network, "score", p->score);
}

ml_err ml_partners_load(ml_db *db, const ml_snapshot *snap, int64_t id, bool customers,
                        ml_partners *pc)
{
    memset(pc, 0, sizeof *pc);
    ml_err r = ml_profile_matches(db, id, customers, &pc->texts);
    if (r || (r = ml_verdicts_json(db, id, &pc->verdicts))) goto fail;
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
        if (strcmp(verdict, "accept") == 0) json_array_append(pc->links, v);
        /* A rejected pair is never proposed again, in either direction: the
         * two firms are not put together, whoever would sell to whom. */
        if (strcmp(verdict, "reject") != 0) continue;
        const char *other = parse_siret(sup) == id ? buy : parse_siret(buy) == id ? sup : NULL;
        if (!other) continue;
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
    ml_err r = ml_etab_brief(db, snap->siret[row], &item);
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
    json_t *size = json_object_get(item, "size");
    reason_ctx rc = {snap,
                     q,
                     row,
                     &p,
                     json_string_value(json_object_get(json_object_get(item, "activity"), "label")),
                     json_string_value(json_object_get(size, "label_fr")),
                     json_string_value(json_object_get(size, "label")),
                     words,
                     nets};
    ml_buf fr, en, dfr, den;
    ml_buf_init(&fr, 8192);
    ml_buf_init(&en, 8192);
    ml_buf_init(&dfr, 4096);
    ml_buf_init(&den, 4096);
    sentence(&rc, &fr, true);
    sentence(&rc, &en, false);
    detail(&rc, &dfr, true);
    detail(&rc, &den, false);
    int cand = snap->sector[row];
    ml_json_build jb = {0};
    json_object_set_new(item, "input",
                        cand != ML_NO_SECTOR ? class_json(&jb, snap, cand) : json_null());
    json_object_set_new(item, "score", json_real(p.score));
    json_object_set_new(item, "distance_km", json_real(round(p.distance_km * 10) / 10));
    json_object_set_new(item, "parts", parts_json(&jb, snap, q, row, &p));
    json_object_set_new(item, "matched_words", words ? json_incref(words) : json_array());
    json_object_set_new(item, "shared_networks", nets);
    json_object_set_new(item, "reason_fr", json_string(ml_buf_cstr(&fr)));
    json_object_set_new(item, "reason_en", json_string(ml_buf_cstr(&en)));
    json_object_set_new(item, "detail_fr", json_string(ml_buf_cstr(&dfr)));
    json_object_set_new(item, "detail_en", json_string(ml_buf_cstr(&den)));
    bool cut =
        ml_buf_failed(&fr) || ml_buf_failed(&en) || ml_buf_failed(&dfr) || ml_buf_failed(&den);
    ml_buf_release(&fr);
    ml_buf_release(&en);
    ml_buf_release(&dfr);
    ml_buf_release(&den);
    if (cut) r = ml_fail(db->ctx, ML_LIMIT, "the explanation of a suggestion is too long");
    if (!r) r = ml_json_done(db->ctx, &jb);
    if (r) {
        json_decref(item);
        return r;
    }
    *out = item;
    return ML_OK;
}

/* The inputs every firm buys that suppliers mode leaves out, by group, with
 * the share of the class's intermediate consumption they stand for. */
static json_t *left_out(ml_json_build *jb, const ml_snapshot *s, const ml_query *q)
{
    json_t *groups = json_array();
    int self = s->sector[q->self];
    if (self == ML_NO_SECTOR || q->all_inputs || q->customers) return groups;
    for (int k = 0; k < s->nsec; k++) {
        size_t idx = ml_pair(s, k, self);
        if (!s->general[idx] || !s->sec[k].general_fr) continue;
        double share = s->ic_share[idx];
        size_t i;
        json_t *g, *found = NULL;
        json_array_foreach(groups, i, g)
        {
            if (strcmp(json_string_value(json_object_get(g, "label_fr")), s->sec[k].general_fr) ==
                0)
                found = g;
        }
        if (!found) {
            found = ml_json_pack(jb, "{s:s, s:s?, s:f, s:[]}", "label_fr", s->sec[k].general_fr,
                                 "label_en", s->sec[k].general_en, "ic_share", 0.0, "classes");
            if (!found) break;
            json_array_append_new(groups, found);
        }
        json_object_set_new(found, "ic_share",
                            json_real(json_real_value(json_object_get(found, "ic_share")) + share));
        json_array_append_new(json_object_get(found, "classes"), json_string(s->sec[k].code));
    }
    /* Biggest first. */
    size_t n = json_array_size(groups);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            json_t *a = json_array_get(groups, j - 1), *b = json_array_get(groups, j);
            if (json_real_value(json_object_get(a, "ic_share")) >=
                json_real_value(json_object_get(b, "ic_share")))
                break;
            json_incref(a);
            json_array_set(groups, j - 1, b);
            json_array_set_new(groups, j, a);
        }
    return groups;
}

/* The suggestions grouped by NAF class (what is bought), in the order of
 * each group's best suggestion, with the sentence of the class link. */
static json_t *group_by_input(ml_json_build *jb, const ml_snapshot *s, const ml_query *q,
                              const ml_hit *hits, size_t n, json_t *list)
{
    json_t *groups = json_array();
    int self = s->sector[q->self];
    for (size_t h = 0; h < n; h++) {
        int cand = s->sector[hits[h].row];
        size_t i;
        json_t *g, *found = NULL;
        const char *code = cand == ML_NO_SECTOR ? "" : s->sec[cand].code;
        json_array_foreach(groups, i, g)
        {
            if (strcmp(json_string_value(json_object_get(g, "class")), code) == 0) found = g;
        }
        json_t *item = json_array_get(list, h);
        if (!found) {
            int sup = q->customers ? self : cand, buy = q->customers ? cand : self;
            ml_buf fr, en;
            ml_buf_init(&fr, 4096);
            ml_buf_init(&en, 4096);
            double share = 0, ic = 0, rs = 0;
            if (cand != ML_NO_SECTOR && self != ML_NO_SECTOR) {
                size_t k = ml_pair(s, sup, buy);
                share = s->weight[k];
                ic = s->ic_share[k];
                rs = s->resale_share[k];
                if (share > 0) {
                    ml_say_link(s, sup, buy, q->customers, &fr, true);
                    ml_say_link(s, sup, buy, q->customers, &en, false);
                }
            }
            if (share <= 0) {
                ml_buf_addstr(&fr, "proposé pour ses mots en commun avec vos besoins ou offres");
                ml_buf_addstr(&en, "suggested for words shared with your needs or offers");
            }
            found =
                ml_json_pack(jb, "{s:s, s:s?, s:s?, s:f, s:f, s:f, s:s, s:s, s:s, s:[]}", "class",
                             code, "label_fr", cand == ML_NO_SECTOR ? NULL : s->sec[cand].label_fr,
                             "label_en", cand == ML_NO_SECTOR ? NULL : s->sec[cand].label_en,
                             "share", share, "ic_share", ic, "resale_share", rs, "link",
                             share <= 0                       ? "words"
                             : ml_link_is_resale(s, sup, buy) ? "resale"
                                                              : "intermediate",
                             "reason_fr", ml_buf_failed(&fr) ? NULL : ml_buf_cstr(&fr), "reason_en",
                             ml_buf_failed(&en) ? NULL : ml_buf_cstr(&en), "items");
            ml_buf_release(&fr);
            ml_buf_release(&en);
            if (!found) break;
            json_array_append_new(groups, found);
        }
        if (item) json_array_append(json_object_get(found, "items"), json_object_get(item, "rank"));
    }
    return groups;
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
    unsigned per_input = o->per_input ? o->per_input : ML_PER_SECTOR;
    if (per_input > 500)
        return ml_fail(ctx, ML_INVALID, "per-input limit %u is above 500", per_input);
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

    /* Local means within 5 distance scales (150 km by default) unless the
     * caller says otherwise: beyond, a partner counts less than 1/150th of
     * one next door. */
    double radius = o->radius_km > 0 ? o->radius_km : 5 * scale;
    ml_query q = {.self = (uint32_t)row,
                  .customers = customers,
                  .all_inputs = o->all_inputs,
                  .per_sector = per_input,
                  .scale_km = scale,
                  .radius_km = radius,
                  .limit = limit,
                  .extra = pc.extra,
                  .nextra = pc.nextra};
    double t0 = ml_now();
    size_t n = o->brute_force ? ml_match_brute(snap, &q, hits) : ml_match_topk(snap, &q, hits);
    double elapsed = ml_now() - t0;

    json_t *self = NULL;
    if ((r = ml_etab_brief(db, id, &self))) {
        json_decref(links);
        goto out;
    }
    int sec = snap->sector[row];
    ml_json_build jb = {0};
    json_t *input = sec == ML_NO_SECTOR ? json_null() : class_json(&jb, snap, sec);
    if (sec != ML_NO_SECTOR && snap->sec[sec].general_fr) {
        ml_buf fr, en;
        ml_buf_init(&fr, 1024);
        ml_buf_init(&en, 1024);
        ml_say_general(snap, sec, &fr, true);
        ml_say_general(snap, sec, &en, false);
        json_object_set_new(input, "general_fr", json_string(ml_buf_cstr(&fr)));
        json_object_set_new(input, "general_en", json_string(ml_buf_cstr(&en)));
        if (ml_buf_failed(&fr) || ml_buf_failed(&en)) ml_json_check(&jb, NULL, "general inputs");
        ml_buf_release(&fr);
        ml_buf_release(&en);
    }
    ml_buf src, src_fr;
    ml_buf_init(&src, 1024);
    ml_buf_init(&src_fr, 1024);
    ml_say_source(snap, &src, false);
    ml_say_source(snap, &src_fr, true);
    json_t *list = json_array();
    res = ml_json_pack(
        &jb,
        "{s:o, s:o, s:s, s:{s:f, s:f, s:f, s:f, s:i, s:i, s:b, s:i, s:s, s:s}, s:o, s:o, "
        "s:{s:s, s:I, s:f}}",
        "establishment", self ? self : json_null(), "class", input, "direction",
        customers ? "customers" : "suppliers", "model", "distance_scale_km", scale, "radius_km",
        radius, "text_weight", ML_TEXT_WEIGHT, "network_bonus", ML_NETWORK_BONUS, "per_input",
        (int)per_input, "limit", (int)limit, "all_inputs", o->all_inputs, "io_year", snap->io_year,
        "io_source", ml_buf_failed(&src) ? NULL : ml_buf_cstr(&src), "io_source_fr",
        ml_buf_failed(&src_fr) ? NULL : ml_buf_cstr(&src_fr), "suggestions", list,
        "known_links", links, "engine", "method", o->brute_force ? "brute_force" : "exact_top_k",
        "candidates", (json_int_t)snap->n, "milliseconds", elapsed * 1000);
    ml_buf_release(&src);
    ml_buf_release(&src_fr);
    links = NULL; /* taken by the pack, even when it failed */
    if (!res) {
        r = ml_json_done(ctx, &jb);
        goto out;
    }
    ml_hit *kept = calloc(n ? n : 1, sizeof *kept);
    size_t nkept = 0;
    for (size_t h = 0; h < n && !r && kept; h++) {
        json_t *item = NULL;
        r = ml_suggestion_json(db, snap, &q, hits[h].row, pc.texts, &item);
        if (!item) continue; /* gone since the snapshot was built */
        json_object_set_new(item, "rank", json_integer((json_int_t)json_array_size(list) + 1));
        json_array_append_new(list, item);
        kept[nkept++] = hits[h];
    }
    if (!kept) r = ml_fail(ctx, ML_NOMEM, "out of memory");
    if (!r) {
        json_object_set_new(res, "groups", group_by_input(&jb, snap, &q, kept, nkept, list));
        json_object_set_new(res, "left_out", left_out(&jb, snap, &q));
        r = ml_json_done(ctx, &jb);
    }
    free(kept);
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
