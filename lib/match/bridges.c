/* bridges.c — cross-sector bridges: two members of a network in different
 * branches that share a technology or a need (the words of their offers and
 * needs) or whose branches trade with each other ("robotics × construction"). */
#include <math.h>

#include "firm/firm.h"
#include "match/match.h"
#include "store/store.h"

#define BRIDGE_WORDS_MAX 64

typedef struct member {
    uint32_t row;
    const char *words[BRIDGE_WORDS_MAX];
    size_t lens[BRIDGE_WORDS_MAX];
    size_t nwords;
} member;

typedef struct bridge {
    uint32_t a, b;
    double score, words, link;
} bridge;

static int cmp_bridge(const void *x, const void *y)
{
    const bridge *p = x, *q = y;
    if (p->score != q->score) return p->score < q->score ? 1 : -1;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* Unique folded words of a text, pointing into it. */
static void split_words(member *m, const char *text)
{
    for (const char *p = text; p && *p && m->nwords < BRIDGE_WORDS_MAX;) {
        size_t n = strcspn(p, " ");
        bool seen = n < 3; /* short tokens carry no technology */
        for (size_t i = 0; i < m->nwords && !seen; i++)
            seen = m->lens[i] == n && memcmp(m->words[i], p, n) == 0;
        if (!seen) {
            m->words[m->nwords] = p;
            m->lens[m->nwords++] = n;
        }
        p += n + (p[n] == ' ');
    }
}

/* Shared words of two members, as a share of the smaller vocabulary. */
static double shared(const member *a, const member *b, json_t *list)
{
    size_t common = 0;
    for (size_t i = 0; i < a->nwords; i++)
        for (size_t j = 0; j < b->nwords; j++)
            if (a->lens[i] == b->lens[j] && memcmp(a->words[i], b->words[j], a->lens[i]) == 0) {
                common++;
                if (list) json_array_append_new(list, json_stringn(a->words[i], a->lens[i]));
            }
    size_t least = a->nwords < b->nwords ? a->nwords : b->nwords;
    return least ? (double)common / (double)least : 0;
}

/* The trade link between two sectors for a bridge: the larger weight of
 * either direction, inputs every firm buys left out. */
static double link_weight(const ml_snapshot *s, int a, int b)
{
    size_t ab = ml_pair(s, a, b), ba = ml_pair(s, b, a);
    double x = s->general[ab] ? 0 : s->weight[ab], y = s->general[ba] ? 0 : s->weight[ba];
    return fmax(x, y);
}

static void explain(const ml_snapshot *s, const bridge *br, json_t *words, ml_buf *b, bool fr)
{
    int sa = s->sector[br->a], sb = s->sector[br->b];
    const char *la = fr ? s->sec[sa].label_fr : s->sec[sa].label_en;
    const char *lb = fr ? s->sec[sb].label_fr : s->sec[sb].label_en;
    ml_buf_addf(b, "%s × %s", la ? la : "?", lb ? lb : "?");
    if (json_array_size(words)) {
        ml_buf_addstr(b, fr ? "\xc2\xa0: mots en commun (" : ": shared words (");
        size_t i;
        json_t *w;
        json_array_foreach(words, i, w) ml_buf_addf(b, "%s%s", i ? ", " : "", json_string_value(w));
        ml_buf_addch(b, ')');
    }
    if (br->link > 0) {
        /* The direction that trades more: the buyer's class and its supplier. */
        size_t ab = ml_pair(s, sa, sb), ba = ml_pair(s, sb, sa);
        double x = s->general[ab] ? 0 : s->weight[ab], y = s->general[ba] ? 0 : s->weight[ba];
        int seller = x >= y ? sa : sb, buyer = seller == sa ? sb : sa;
        bool listed = json_array_size(words) > 0;
        ml_buf_addstr(b, fr ? (listed ? " ; " : "\xc2\xa0: ") : (listed ? "; " : ": "));
        ml_say_link(s, seller, buyer, false, b, fr);
        ml_buf_addstr(b, " (");
        ml_say_source(s, b, fr);
        ml_buf_addch(b, ')');
    }
}

/* Bridges among `members` (SIRET strings); `kind`/`name` label the answer. */
static ml_err bridges_among(ml_db *db, const ml_snapshot *snap, const char *kind, const char *name,
                            json_t *members, json_t *texts, const ml_network_opts *o, json_t **out)
{
    *out = NULL;
    json_t *res = NULL;
    member *m = NULL;
    bridge *br = NULL;
    size_t nm = 0, nb = 0, cap = 0;
    unsigned limit = o && o->limit ? o->limit : 50;
    double scale = o && o->scale_km > 0 ? o->scale_km : ML_SCALE_KM;
    ml_err r = ML_OK;
    m = calloc(json_array_size(members) + 1, sizeof *m);
    if (!m) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    size_t i;
    json_t *v;
    json_array_foreach(members, i, v)
    {
        int64_t row = ml_snapshot_row_str(snap, json_string_value(v));
        if (row < 0 || snap->sector[row] == ML_NO_SECTOR) continue;
        m[nm].row = (uint32_t)row;
        split_words(&m[nm], json_string_value(json_object_get(
                                json_object_get(texts, json_string_value(v)), "words")));
        nm++;
    }
    for (size_t a = 0; a < nm; a++) {
        for (size_t b = a + 1; b < nm; b++) {
            int sa = snap->sector[m[a].row], sb = snap->sector[m[b].row];
            /* A bridge joins two different A38 branches. */
            if (strcmp(snap->sec[sa].a38, snap->sec[sb].a38) == 0) continue;
            double words = shared(&m[a], &m[b], NULL);
            double link = link_weight(snap, sa, sb);
            if (words <= 0 && link <= 0) continue;
            double d = ml_distance_km(snap->lat[m[a].row], snap->lon[m[a].row], snap->lat[m[b].row],
                                      snap->lon[m[b].row]);
            if (nb == cap) {
                size_t c = cap ? cap * 2 : 256;
                bridge *p = realloc(br, c * sizeof *p);
                if (!p) {
                    r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
                    goto out;
                }
                br = p;
                cap = c;
            }
            /* Shared words count as much as the strongest trade links. */
            br[nb++] =
                (bridge){m[a].row, m[b].row, (words * 0.3 + link) * exp(-d / scale), words, link};
        }
    }
    qsort(br, nb, sizeof *br, cmp_bridge);
    json_t *list = json_array();
    ml_json_build jbuild = {0};
    res = ml_json_pack(&jbuild, "{s:s, s:I, s:o}", kind, name, "members_placed", (json_int_t)nm,
                       "bridges", list);
    if (!res) {
        r = ml_json_done(db->ctx, &jbuild);
        goto out;
    }
    ml_buf fr, en;
    ml_buf_init(&fr, 4096);
    ml_buf_init(&en, 4096);
    for (size_t k = 0; k < nb && json_array_size(list) < limit && !r; k++) {
        json_t *ja = NULL, *jb = NULL;
        if ((r = ml_etab_brief(db, snap->siret[br[k].a], &ja))) break;
        if ((r = ml_etab_brief(db, snap->siret[br[k].b], &jb))) {
            json_decref(ja);
            break;
        }
        if (!ja || !jb) {
            json_decref(ja);
            json_decref(jb);
            continue;
        }
        member *ma = NULL, *mb = NULL;
        for (size_t x = 0; x < nm; x++) {
            if (m[x].row == br[k].a) ma = &m[x];
            if (m[x].row == br[k].b) mb = &m[x];
        }
        json_t *words = json_array();
        shared(ma, mb, words);
        ml_buf_reset(&fr);
        ml_buf_reset(&en);
        explain(snap, &br[k], words, &fr, true);
        explain(snap, &br[k], words, &en, false);
        if (ml_buf_failed(&fr) || ml_buf_failed(&en)) {
            json_decref(ja);
            json_decref(jb);
            json_decref(words);
            r = ml_fail(db->ctx, ML_LIMIT, "the explanation of a bridge is too long");
            break;
        }
        json_t *one = ml_json_pack(&jbuild, "{s:I, s:o, s:o, s:f, s:f, s:f, s:o, s:s, s:s}", "rank",
                                   (json_int_t)json_array_size(list) + 1, "a", ja, "b", jb, "score",
                                   br[k].score, "words_share", br[k].words, "sector_link",
                                   br[k].link, "shared_words", words, "reason_fr", ml_buf_cstr(&fr),
                                   "reason_en", ml_buf_cstr(&en));
        if (!one) break;
        json_array_append_new(list, one);
    }
    ml_buf_release(&fr);
    ml_buf_release(&en);
    if (!r) r = ml_json_done(db->ctx, &jbuild);
    if (!r) {
        *out = res;
        res = NULL;
    }
out:
    json_decref(res);
    free(m);
    free(br);
    return r;
}

ml_err ml_bridges(ml_db *db, const ml_snapshot *snap, const char *network, const ml_network_opts *o,
                  json_t **out)
{
    *out = NULL;
    json_t *net = NULL, *texts = NULL;
    ml_err r = ml_network_json(db, network, &net);
    if (!r && !(r = ml_profile_texts_json(db, &texts)))
        r = bridges_among(db, snap, "network", network, json_object_get(net, "members"), texts, o,
                          out);
    json_decref(net);
    json_decref(texts);
    return r;
}

#define TERRITORY_BRIDGE_MAX 3000 /* profiled establishments compared pairwise */

ml_err ml_bridges_territory(ml_db *db, const ml_snapshot *snap, const char *territory,
                            const ml_network_opts *o, json_t **out)
{
    *out = NULL;
    json_t *texts = NULL, *points = NULL, *members = json_array();
    ml_err r = ml_profile_texts_json(db, &texts);
    if (!r) r = ml_map_points(db, territory, NULL, 100000, &points);
    size_t i;
    json_t *v;
    /* The territory's establishments that have a profile (their words). */
    if (!r) {
        json_array_foreach(json_object_get(points, "points"), i, v)
        {
            const char *siret = json_string_value(json_object_get(v, "siret"));
            if (json_object_get(texts, siret) && json_array_size(members) < TERRITORY_BRIDGE_MAX)
                json_array_append_new(members, json_string(siret));
        }
        r = bridges_among(db, snap, "territory", territory, members, texts, o, out);
    }
    if (!r && json_object_get(points, "truncated") == json_true())
        json_object_set_new(*out, "note",
                            json_string("the territory has more than 100,000 "
                                        "establishments: only the first were read"));
    json_decref(texts);
    json_decref(points);
    json_decref(members);
    return r;
}
