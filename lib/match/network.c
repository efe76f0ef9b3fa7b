/* network.c — networks (a list of SIRET: laureates, cluster members) and
 * their report: the best supplier/customer pairs inside the network, and
 * the best outside partners for the network as a whole. */
#include <math.h>

#include "export/csv.h"
#include "ingest/csv.h"
#include "firm/firm.h"
#include "match/match.h"
#include "store/store.h"

#define NAME_MAX_LEN 120

typedef struct member_file {
    ml_db *db;
    const char *path;
    int column; /* field holding the SIRET */
    FILE *rejects;
    ml_csv_writer rejects_csv;
    int64_t *sirets;
    size_t n, cap;
    ml_import_stats *st;
} member_file;

static void reject(member_file *m, const ml_csv_row *row, const char *value, const char *why)
{
    m->st->rejected++;
    if (m->st->first_reject[0] == '\0')
        ml_snprintf(m->st->first_reject, sizeof m->st->first_reject, "%s:%llu: %s", m->path,
                    (unsigned long long)row->line, why);
    if (m->rejects) {
        ml_csvw_text_max(&m->rejects_csv, m->path, 4096);
        ml_csvw_uint(&m->rejects_csv, row->line);
        ml_csvw_text(&m->rejects_csv, "siret");
        ml_csvw_text_max(&m->rejects_csv, value, 20);
        ml_csvw_text(&m->rejects_csv, why);
        ml_csvw_end_row(&m->rejects_csv);
    }
}

static int member_row(void *ud, const ml_csv_row *row)
{
    member_file *m = ud;
    if (row->index == 0) {
        /* A header with a "siret" column, or no header at all. */
        m->column = -1;
        for (size_t i = 0; i < row->nfields; i++)
            if (strcasecmp(row->fields[i], "siret") == 0) m->column = (int)i;
        if (m->column >= 0) return 0;
        m->column = 0;
    }
    m->st->rows++;
    if (row->broken) {
        reject(m, row, "", "an unbalanced quote: this line is not read");
        return 0;
    }
    if ((size_t)m->column >= row->nfields || row->lens[m->column] == 0) {
        reject(m, row, "", "no SIRET on this line");
        return 0;
    }
    const char *v = row->fields[m->column];
    size_t len = row->lens[m->column];
    /* Spaces inside SIRETs are common in spreadsheets: 123 456 789 00012. */
    char digits[32];
    size_t k = 0;
    for (size_t i = 0; i < len && k < sizeof digits - 1; i++)
        if (v[i] != ' ') digits[k++] = v[i];
    digits[k] = '\0';
    int64_t id = 0;
    ml_id_check idc = ml_siret_parse(digits, k, &id);
    if (idc != ML_ID_OK) {
        reject(m, row, digits, idc == ML_ID_CHECKSUM ? "checksum (Luhn) fails" : "not 14 digits");
        return 0;
    }
    json_t *brief = NULL;
    if (ml_etab_brief(m->db, id, &brief)) return 1;
    if (!brief) {
        reject(m, row, digits, "not in the database, or restricted diffusion (statut P)");
        return 0;
    }
    json_decref(brief);
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        int64_t *p = realloc(m->sirets, cap * sizeof *p);
        if (!p) return 1;
        m->sirets = p;
        m->cap = cap;
    }
    m->sirets[m->n++] = id;
    m->st->imported++;
    return 0;
}

ml_err ml_network_add(ml_db *db, const char *name, const char *path, const ml_import_opts *opts,
                      ml_import_stats *stats)
{
    ml_import_stats local;
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    if (!name || !*name || strlen(name) > NAME_MAX_LEN || !ml_utf8_valid(name, strlen(name)) ||
        strchr(name, '/'))
        return ml_fail(db->ctx, ML_INVALID,
                       "a network name is 1 to %d characters of text, without '/'", NAME_MAX_LEN);
    member_file m = {.db = db, .path = path, .st = stats};
    if (opts && opts->rejects_path) {
        m.rejects = fopen(opts->rejects_path, "w");
        if (!m.rejects)
            return ml_fail(db->ctx, ML_IO, "%s: cannot write rejects file", opts->rejects_path);
        ml_csvw_init(&m.rejects_csv, m.rejects, ML_CSVW_ONE_LINE);
        static const char *const header[] = {"file", "line", "column", "value", "reason"};
        for (size_t i = 0; i < ML_ARRAY_LEN(header); i++)
            ml_csvw_name(&m.rejects_csv, header[i]);
        ml_csvw_end_row(&m.rejects_csv);
    }
    double t0 = ml_now();
    /* A stray quote loses one line, not the lines after it. */
    const ml_csv_limits limits = {.recover = true};
    ml_err r = ml_csv_parse_file(db->ctx, path, &limits, member_row, &m);
    if (r == ML_INTERRUPTED) r = ml_fail(db->ctx, ML_DB, "%s: cannot read the database", path);
    if (!r && m.n == 0) r = ml_fail(db->ctx, ML_FORMAT, "%s: no valid SIRET of the database", path);
    if (!r && !(r = db->be->begin(db))) {
        r = db->be->network_put(db, name, m.sirets, m.n);
        if (!r)
            r = db->be->commit(db);
        else
            db->be->rollback(db);
    }
    stats->files = 1;
    stats->seconds = ml_now() - t0;
    if (m.rejects) {
        bool bad = ml_csvw_finish(&m.rejects_csv) != 0;
        bad |= fclose(m.rejects) != 0;
        if (bad && !r)
            r = ml_fail(db->ctx, ML_IO, "%s: cannot write rejects file", opts->rejects_path);
    }
    free(m.sirets);
    return r;
}

ml_err ml_network_members(ml_db *db, const char *name, json_t **out)
{
    *out = NULL;
    json_t *net = NULL;
    ml_err r = ml_network_json(db, name, &net);
    if (r) return r;
    json_t *list = json_array();
    size_t i, hidden = 0;
    json_t *v;
    json_array_foreach(json_object_get(net, "members"), i, v)
    {
        int64_t id = 0;
        const char *sv = json_string_value(v);
        ml_siret_digits(sv, sv ? strlen(sv) : 0, &id);
        json_t *b = NULL;
        if ((r = ml_etab_brief(db, id, &b))) break;
        if (b)
            json_array_append_new(list, b);
        else
            hidden++;
    }
    if (r) {
        json_decref(list);
        json_decref(net);
        return r;
    }
    ml_json_build jb = {0};
    *out =
        ml_json_pack(&jb, "{s:s, s:O, s:I, s:o}", "name", name, "created",
                     json_object_get(net, "created"), "members_total",
                     (json_int_t)json_array_size(json_object_get(net, "members")), "members", list);
    json_decref(net);
    return ml_json_done(db->ctx, &jb);
}

/* ------------------------------------------------------------------- report */

/* A pair of members, each once: a < b (rows); ab = score of a supplying b. */
typedef struct pair {
    uint32_t a, b;
    double ab, ba, score; /* score = the larger of the two directions */
} pair;

static int cmp_pair(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    if (p->score != q->score) return p->score < q->score ? 1 : -1;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

typedef struct outside {
    uint32_t row;
    double total;
    unsigned members;
    uint32_t best_member; /* the member it serves best */
    double best;
} outside;

static int cmp_outside(const void *a, const void *b)
{
    const outside *x = a, *y = b;
    if (x->total != y->total) return x->total < y->total ? 1 : -1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static bool is_member(const uint32_t *rows, size_t n, uint32_t row)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (rows[mid] < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && rows[lo] == row;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Adds the best outside suppliers (or customers) of one member. */
static ml_err outside_of(const ml_snapshot *s, ml_query *q, const uint32_t *rows, size_t nrows,
                         outside **acc, size_t *nacc, size_t *cap)
{
    ml_hit hits[ML_NETWORK_OUTSIDE_PER_MEMBER * 4];
    q->limit = ML_ARRAY_LEN(hits);
    q->per_sector = ML_PER_SECTOR;
    q->radius_km = 5 * q->scale_km; /* local partners, as ml_match's default */
    size_t n = ml_match_topk(s, q, hits), used = 0;
    for (size_t i = 0; i < n && used < ML_NETWORK_OUTSIDE_PER_MEMBER; i++) {
        if (is_member(rows, nrows, hits[i].row)) continue;
        used++;
        size_t k = 0;
        while (k < *nacc && (*acc)[k].row != hits[i].row)
            k++;
        if (k == *nacc) {
            if (*nacc == *cap) {
                size_t c = *cap ? *cap * 2 : 256;
                outside *p = realloc(*acc, c * sizeof *p);
                if (!p) return ML_NOMEM;
                *acc = p;
                *cap = c;
            }
            (*acc)[(*nacc)++] = (outside){hits[i].row, 0, 0, q->self, 0};
        }
        outside *o = &(*acc)[k];
        o->total += hits[i].score;
        o->members++;
        if (hits[i].score > o->best) {
            o->best = hits[i].score;
            o->best_member = q->self;
        }
    }
    return ML_OK;
}

/* The reason-bearing part of a suggestion, for one direction of a pair. */
static json_t *link_json(json_t *sugg)
{
    if (!sugg) return json_null();
    json_t *o = json_object();
    static const char *const keys[] = {"score",         "input",           "parts",
                                       "matched_words", "shared_networks", "reason_fr",
                                       "reason_en",     "detail_fr",       "detail_en"};
    for (size_t i = 0; i < ML_ARRAY_LEN(keys); i++) {
        json_t *v = json_object_get(sugg, keys[i]);
        if (v) json_object_set(o, keys[i], v);
    }
    return o;
}

/* One direction of a pair (supplier row -> buyer row) as JSON, or null. */
static ml_err direction_json(ml_db *db, const ml_snapshot *snap, const ml_partners *buyer_pc,
                             uint32_t supplier, uint32_t buyer, double score, double scale,
                             json_t **out)
{
    *out = json_null();
    if (score <= 0) return ML_OK;
    ml_query q = {
        .self = buyer, .scale_km = scale, .extra = buyer_pc->extra, .nextra = buyer_pc->nextra};
    json_t *sj = NULL;
    ml_err r = ml_suggestion_json(db, snap, &q, supplier, buyer_pc->texts, &sj);
    if (!r && sj) {
        json_decref(*out);
        *out = link_json(sj);
    }
    json_decref(sj);
    return r;
}

/* Outside partners as JSON: at most `limit`, at most ML_PER_SECTOR of one
 * NAF class, each with the sentence of its best link with a member. */
static ml_err outside_json(ml_db *db, const ml_snapshot *snap, const outside *list, size_t n,
                           bool customers, unsigned limit, double scale, json_t *into)
{
    unsigned *taken = calloc((size_t)snap->nsec + 1, sizeof *taken);
    if (!taken) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r = ML_OK;
    ml_json_build jb = {0};
    for (size_t k = 0; k < n && json_array_size(into) < limit && !r; k++) {
        int sec = snap->sector[list[k].row];
        unsigned *t = &taken[sec == ML_NO_SECTOR ? snap->nsec : sec];
        if (*t >= ML_PER_SECTOR) continue;
        json_t *bj = NULL, *member = NULL, *sj = NULL;
        if ((r = ml_etab_brief(db, snap->siret[list[k].row], &bj))) break;
        if (!bj) continue;
        (*t)++;
        ml_partners pc;
        r = ml_partners_load(db, snap, snap->siret[list[k].best_member], customers, &pc);
        if (!r) {
            ml_query q = {.self = list[k].best_member,
                          .customers = customers,
                          .scale_km = scale,
                          .extra = pc.extra,
                          .nextra = pc.nextra};
            r = ml_suggestion_json(db, snap, &q, list[k].row, pc.texts, &sj);
            ml_partners_release(&pc);
        }
        if (!r) r = ml_etab_brief(db, snap->siret[list[k].best_member], &member);
        json_object_set_new(bj, "total_score", json_real(list[k].total));
        json_object_set_new(bj, "members_served", json_integer(list[k].members));
        json_object_set_new(bj, "best_member",
                            member ? ml_json_pack(&jb, "{s:O, s:O}", "siret",
                                                  json_object_get(member, "siret"), "name",
                                                  json_object_get(member, "name"))
                                   : json_null());
        json_t *lj = link_json(sj);
        const char *keys[] = {"input", "reason_fr", "reason_en", "detail_fr", "detail_en"};
        for (size_t i = 0; i < ML_ARRAY_LEN(keys); i++) {
            json_t *v = json_object_get(lj, keys[i]);
            if (v) json_object_set(bj, keys[i], v);
        }
        json_decref(lj);
        json_decref(sj);
        json_decref(member);
        json_object_set_new(bj, "rank", json_integer((json_int_t)json_array_size(into) + 1));
        json_array_append_new(into, bj);
    }
    free(taken);
    return r ? r : ml_json_done(db->ctx, &jb);
}

ml_err ml_network_report(ml_db *db, const ml_snapshot *snap, const char *name,
                         const ml_network_opts *o, json_t **out)
{
    *out = NULL;
    json_t *net = NULL;
    ml_err r = ml_network_json(db, name, &net);
    if (r) return r;
    unsigned limit = o && o->limit ? o->limit : 50;
    double scale = o && o->scale_km > 0 ? o->scale_km : ML_SCALE_KM;
    json_t *members = json_object_get(net, "members");
    size_t nm = json_array_size(members), nrows = 0, npairs = 0, pcap = 0;
    uint32_t *rows = calloc(nm ? nm : 1, sizeof *rows);
    ml_partners *pcs = calloc(nm ? nm : 1, sizeof *pcs);
    pair *pairs = NULL;
    outside *sup = NULL, *cus = NULL;
    size_t nsup = 0, ncus = 0, csup = 0, ccus = 0, loaded = 0;
    json_t *res = NULL, *missing = json_array();
    if (!rows || !pcs) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    size_t i;
    json_t *v;
    json_array_foreach(members, i, v)
    {
        int64_t row = ml_snapshot_row_str(snap, json_string_value(v));
        if (row >= 0)
            rows[nrows++] = (uint32_t)row;
        else
            json_array_append(missing, v);
    }
    qsort(rows, nrows, sizeof *rows, cmp_u32);
    double t0 = ml_now();
    /* What each member said (as a buyer): text matches and rejected pairs. */
    for (; loaded < nrows && !r; loaded++)
        r = ml_partners_load(db, snap, snap->siret[rows[loaded]], false, &pcs[loaded]);
    if (r) goto out;
    /* Every pair of members once, scored both ways; the best `limit` kept
     * (a pair whose bounds cannot enter is not scored). */
    pcap = limit;
    pairs = malloc(pcap * sizeof *pairs);
    if (!pairs) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    for (size_t a = 0; a < nrows; a++) {
        ml_query qa = {
            .self = rows[a], .scale_km = scale, .extra = pcs[a].extra, .nextra = pcs[a].nextra};
        for (size_t b = a + 1; b < nrows; b++) {
            ml_query qb = {
                .self = rows[b], .scale_km = scale, .extra = pcs[b].extra, .nextra = pcs[b].nextra};
            double floor = npairs == pcap ? pairs[npairs - 1].score : 0;
            if (npairs == pcap && ml_score_bound(snap, &qb, rows[a]) < floor &&
                ml_score_bound(snap, &qa, rows[b]) < floor)
                continue;
            pair x = {rows[a], rows[b], ml_score(snap, &qb, rows[a], NULL),
                      ml_score(snap, &qa, rows[b], NULL), 0};
            x.score = fmax(x.ab, x.ba);
            if (x.score <= 0) continue;
            if (npairs == pcap && cmp_pair(&x, &pairs[npairs - 1]) >= 0) continue;
            /* Insert in order (the list holds at most `limit` pairs). */
            size_t k = npairs < pcap ? npairs++ : npairs - 1;
            while (k > 0 && cmp_pair(&x, &pairs[k - 1]) < 0) {
                pairs[k] = pairs[k - 1];
                k--;
            }
            pairs[k] = x;
        }
        /* The best partners outside the network, both ways. */
        if (outside_of(snap, &qa, rows, nrows, &sup, &nsup, &csup)) {
            r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
            break;
        }
        ml_partners pc;
        if ((r = ml_partners_load(db, snap, snap->siret[rows[a]], true, &pc))) break;
        ml_query qc = {.self = rows[a],
                       .customers = true,
                       .scale_km = scale,
                       .extra = pc.extra,
                       .nextra = pc.nextra};
        if (outside_of(snap, &qc, rows, nrows, &cus, &ncus, &ccus))
            r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        ml_partners_release(&pc);
        if (r) break;
    }
    if (r) goto out;
    qsort(sup, nsup, sizeof *sup, cmp_outside);
    qsort(cus, ncus, sizeof *cus, cmp_outside);

    json_t *jp = json_array(), *js = json_array(), *jc = json_array();
    ml_json_build jb = {0};
    res = ml_json_pack(&jb, "{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:{s:f, s:i, s:f}}", "network",
                       name, (const char *)"members", (json_int_t)nm, "members_placed",
                       (json_int_t)nrows, "members_not_suggestible", missing, "pairs", jp,
                       "outside_suppliers", js, "outside_customers", jc, "model",
                       "distance_scale_km", scale, "io_year", snap->io_year, "milliseconds", 0.0);
    missing = NULL; /* taken by the pack, even when it failed */
    if (!res) {
        r = ml_json_done(db->ctx, &jb);
        goto out;
    }
    for (size_t k = 0; k < npairs && json_array_size(jp) < limit && !r; k++) {
        size_t ia = 0, ib = 0;
        while (ia < nrows && rows[ia] != pairs[k].a)
            ia++;
        while (ib < nrows && rows[ib] != pairs[k].b)
            ib++;
        json_t *aj = NULL, *bj = NULL, *ab = NULL, *ba = NULL;
        r = ml_etab_brief(db, snap->siret[pairs[k].a], &aj);
        if (!r) r = ml_etab_brief(db, snap->siret[pairs[k].b], &bj);
        if (!r)
            r = direction_json(db, snap, &pcs[ib], pairs[k].a, pairs[k].b, pairs[k].ab, scale, &ab);
        if (!r)
            r = direction_json(db, snap, &pcs[ia], pairs[k].b, pairs[k].a, pairs[k].ba, scale, &ba);
        if (r || !aj || !bj) {
            json_decref(aj);
            json_decref(bj);
            json_decref(ab);
            json_decref(ba);
            continue;
        }
        json_t *one = ml_json_pack(&jb, "{s:I, s:f, s:o, s:o, s:o, s:o}", "rank",
                                   (json_int_t)json_array_size(jp) + 1, "score", pairs[k].score,
                                   "a", aj, "b", bj, "a_to_b", ab, "b_to_a", ba);
        if (!one) break;
        json_array_append_new(jp, one);
    }
    if (!r) r = ml_json_done(db->ctx, &jb);
    if (!r) r = outside_json(db, snap, sup, nsup, false, limit, scale, js);
    if (!r) r = outside_json(db, snap, cus, ncus, true, limit, scale, jc);
    json_object_set_new(json_object_get(res, "model"), "milliseconds",
                        json_real((ml_now() - t0) * 1000));
    if (!r) {
        *out = res;
        res = NULL;
    }
out:
    json_decref(res);
    json_decref(missing);
    json_decref(net);
    for (size_t k = 0; k < loaded; k++)
        ml_partners_release(&pcs[k]);
    free(pcs);
    free(rows);
    free(pairs);
    free(sup);
    free(cus);
    return r;
}
