/* need.c — a public buyer's innovation need (issue 14): the need, local
 * firms that could answer it (the search engine, by activity and place), the
 * innovative-purchase route checked against the threshold, the checklist of
 * evidence, the contract, and its record in the DECP format (schema 2.0.3). */
#include <time.h>

#include "event/event.h"

#define NEED_THRESHOLD                                                                             \
    100000 /* euros HT: below it, an innovative purchase may skip                                  \
              publicity and competition (Code de la commande                                       \
              publique, R2122-9-1); configurable per call */

static const struct {
    const char *key, *fr, *en;
} checklist[] = {
    {"novelty",
     "Preuve que la solution est nouvelle ou sensiblement améliorée (article L2172-3 du code "
     "de la commande publique) : brevet, label, prix d'innovation, financement public de "
     "R&D, essai",
     "Evidence that the solution is new or substantially improved (article L2172-3 of the public "
     "procurement code): patent, label, innovation award, public R&D funding, trial"},
    {"market", "Recherche de marché montrant qu'aucune solution équivalente n'est déjà vendue",
     "A market search showing that no equivalent solution is already sold"},
    {"price", "Prix jugé raisonnable au regard du besoin (bon usage des deniers publics)",
     "A price judged reasonable for the need (good use of public money)"},
    {"sourcing", "Pas de recours systématique au même fournisseur ; sourçage tracé",
     "No systematic choice of the same supplier; the sourcing is recorded"},
};
#define NCHECK (sizeof checklist / sizeof checklist[0])

typedef struct need {
    int64_t id, org, buyer_siret, budget, holder, amount, months, created;
    char *buyer, *title, *text, *cpv, *naf, *deadline, *commune, *evidence, *notified, *author;
} need;

static void need_release(need *n)
{
    free(n->buyer), free(n->title), free(n->text), free(n->cpv), free(n->naf);
    free(n->deadline), free(n->commune), free(n->evidence), free(n->notified), free(n->author);
}

static int64_t num(const char *s)
{
    int64_t v = 0;
    if (s) ml_parse_i64(s, strlen(s), INT64_MIN, INT64_MAX, &v);
    return v;
}

typedef struct reading {
    need *n;
    bool found, failed;
} reading;

static char *dup_or_null(const char *s, bool *failed)
{
    if (!s) return NULL;
    char *d = ml_strdup(s);
    if (!d) *failed = true;
    return d;
}

static int need_row(void *ud, const char *const *c, size_t nc)
{
    reading *r = ud;
    need *n = r->n;
    if (nc < 18) return 1;
    r->found = true;
    n->id = num(c[0]), n->org = num(c[1]);
    n->buyer = dup_or_null(c[2], &r->failed), n->buyer_siret = num(c[3]);
    n->title = dup_or_null(c[4], &r->failed), n->text = dup_or_null(c[5], &r->failed);
    n->cpv = dup_or_null(c[6], &r->failed), n->naf = dup_or_null(c[7], &r->failed);
    n->budget = num(c[8]), n->deadline = dup_or_null(c[9], &r->failed);
    n->commune = dup_or_null(c[10], &r->failed), n->evidence = dup_or_null(c[11], &r->failed);
    n->holder = num(c[12]), n->amount = c[13] ? num(c[13]) : -1;
    n->notified = dup_or_null(c[14], &r->failed), n->months = num(c[15]);
    n->created = num(c[16]), n->author = dup_or_null(c[17], &r->failed);
    return 0;
}

/* The need `id` that `who` may read; ML_NOTFOUND otherwise. */
static ml_err need_get(ml_db *db, const ml_actor *who, int64_t id, need *n)
{
    memset(n, 0, sizeof *n);
    reading r = {.n = n};
    ml_sql_arg a = {.type = ML_ARG_INT, .i = id};
    ml_err e = db->be->event_sql(db, ML_EV_NEED_GET, &a, 1, need_row, &r, NULL);
    if (!e && r.failed) e = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!e && (!r.found || !ev_reads_org(who, n->org)))
        e = ml_fail(db->ctx, ML_NOTFOUND, "no need %lld (that this account may read)",
                    (long long)id);
    if (e) need_release(n);
    return e;
}

static json_t *siret_json(int64_t siret)
{
    char s[ML_SIRET_SIZE];
    return siret ? json_string(ml_siret_format(siret, s)) : json_null();
}

static bool has_key(const char *list, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == k && strncmp(p, key, k) == 0) return true;
        p += n + (p[n] == ',');
    }
    return false;
}

/* The need's CPV code with its labels, or null. */
static json_t *cpv_label(ml_db *db, const char *cpv)
{
    ev_cpv c;
    char code8[9];
    if (!cpv) return json_null();
    ml_snprintf(code8, sizeof code8, "%.8s", cpv);
    return ev_cpv_find(db, code8, &c) == ML_OK ? ev_cpv_json(&c) : json_null();
}

static json_t *need_json(ml_db *db, const need *n)
{
    json_t *contract = json_null();
    if (n->holder)
        contract = json_pack("{s:o, s:I, s:s?, s:I}", "siret", siret_json(n->holder), "amount",
                             (json_int_t)n->amount, "notified", n->notified, "months",
                             (json_int_t)n->months);
    return json_pack("{s:I, s:s, s:o, s:s, s:s?, s:s?, s:o, s:s?, s:I, s:s?, s:s?, s:o, s:s?}",
                     "id", (json_int_t)n->id, "buyer", n->buyer, "buyer_siret",
                     siret_json(n->buyer_siret), "title", n->title, "text", n->text, "cpv", n->cpv,
                     "cpv_label", cpv_label(db, n->cpv), "naf", n->naf, "budget",
                     (json_int_t)n->budget, "deadline", n->deadline, "commune", n->commune,
                     "contract", contract, "by", n->author);
}

static ml_err check_long_text(ml_db *db, const char *field, const char *v, size_t max)
{
    if (!v) return ML_OK;
    size_t n = strlen(v);
    if (n > max)
        return ml_fail(db->ctx, ML_LIMIT, "%s: at most %zu bytes (not %zu)", field, max, n);
    if (!ml_utf8_valid(v, n)) return ml_fail(db->ctx, ML_INVALID, "%s must be UTF-8 text", field);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
            return ml_fail(db->ctx, ML_INVALID, "%s holds a control character", field);
    return ML_OK;
}

static int first_id(void *ud, const char *const *c, size_t n)
{
    if (n >= 1) *(int64_t *)ud = num(c[0]);
    return 0;
}

ml_err ml_need_add(ml_db *db, const ml_actor *who, const ml_need_in *in, json_t **out)
{
    *out = NULL;
    int64_t buyer_siret = 0;
    ml_err r = ev_may_write(db, who, who ? who->org : 0);
    if (!r) r = ev_check_text(db, "buyer", in->buyer, EV_NAME_MAX, true);
    if (!r) r = ev_check_text(db, "title", in->title, EV_NAME_MAX, true);
    if (!r) r = check_long_text(db, "text", in->text, 4000);
    if (!r && in->buyer_siret && *in->buyer_siret &&
        (strlen(in->buyer_siret) != ML_SIRET_DIGITS ||
         ml_siret_parse(in->buyer_siret, ML_SIRET_DIGITS, &buyer_siret) != ML_ID_OK))
        r = ml_fail(db->ctx, ML_INVALID,
                    "buyer SIRET: '%.20s' is not a valid SIRET (14 digits with a valid checksum)",
                    in->buyer_siret);
    ev_cpv cpv = {0};
    if (!r && in->cpv && *in->cpv) r = ev_cpv_check(db, in->cpv, &cpv);
    if (!r && in->naf && *in->naf) r = ml_store_check_naf(db, in->naf);
    if (!r && (in->budget < 1 || in->budget > 1000000000000LL))
        r = ml_fail(db->ctx, ML_INVALID, "budget: euros HT, from 1 to 10^12 (not %lld)",
                    (long long)in->budget);
    if (!r && in->deadline && *in->deadline) r = ev_check_date(db, "deadline", in->deadline);
    if (!r && in->commune && *in->commune) r = ml_store_check_territory(db, in->commune);
    if (r) return r;
#define OPT(v) ((v) && *(v) ? (ml_sql_arg){.type = ML_ARG_TEXT, .s = (v)} : (ml_sql_arg){0})
    ml_sql_arg args[] = {{.type = ML_ARG_INT, .i = who->org},
                         OPT(in->buyer),
                         buyer_siret ? (ml_sql_arg){.type = ML_ARG_INT, .i = buyer_siret}
                                     : (ml_sql_arg){0},
                         OPT(in->title),
                         OPT(in->text),
                         OPT(*cpv.code8 ? cpv.code8 : NULL), /* kept without its check digit */
                         OPT(in->naf),
                         {.type = ML_ARG_INT, .i = in->budget},
                         OPT(in->deadline),
                         OPT(in->commune),
                         {.type = ML_ARG_INT, .i = (int64_t)time(NULL)},
                         OPT(who->name)};
#undef OPT
    int64_t id = 0;
    r = db->be->event_sql(db, ML_EV_NEED_ADD, args, ML_ARRAY_LEN(args), first_id, &id, NULL);
    if (r) return r;
    need n;
    if ((r = need_get(db, who, id, &n))) return r;
    *out = json_pack("{s:o}", "need", need_json(db, &n));
    need_release(&n);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

typedef struct listing {
    const ml_actor *who;
    json_t *list;
} listing;

static int list_row(void *ud, const char *const *c, size_t n)
{
    listing *l = ud;
    if (n < 7 || !ev_reads_org(l->who, num(c[1]))) return 0;
    json_array_append_new(
        l->list, json_pack("{s:I, s:s, s:s, s:I, s:s?, s:b}", "id", (json_int_t)num(c[0]), "buyer",
                           c[2] ? c[2] : "", "title", c[3] ? c[3] : "", "budget",
                           (json_int_t)num(c[4]), "deadline", c[5], "contract", c[6] != NULL));
    return 0;
}

ml_err ml_need_list(ml_db *db, const ml_actor *who, json_t **out)
{
    *out = NULL;
    listing l = {.who = who, .list = json_array()};
    ml_err r = db->be->event_sql(db, ML_EV_NEED_LIST, NULL, 0, list_row, &l, NULL);
    if (r) {
        json_decref(l.list);
        return r;
    }
    *out = json_pack("{s:o}", "needs", l.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* One search's open establishments appended to `list` (up to `cap`, none
 * twice), each with its reason: `how` says what the search was (the need's
 * NAF code, its title's words, or the words of a CPV label, `cpv`). The
 * number appended, or -1 when the search could not run (the context says
 * why). */
enum { BY_NAF, BY_TITLE, BY_CPV };
static int search_into(ml_db *db, const ml_search_query *q, int how, bool widen,
                       const ev_cpv *cpv, json_t *list, size_t cap)
{
    json_t *res = NULL;
    /* A need's words are the buyer's: when no establishment matches them all,
     * the search widens (ml_search_relaxed), and each reason says so. */
    if ((widen ? ml_search_relaxed(db, q, &res) : ml_search(db, q, &res)) != ML_OK) {
        json_decref(res);
        return -1;
    }
    json_t *relaxed = json_object_get(res, "relaxed");
    char wider_fr[300] = "", wider_en[300] = "";
    if (relaxed) {
        const char *from = json_string_value(json_object_get(relaxed, "from"));
        const char *to = json_string_value(json_object_get(relaxed, "to"));
        ml_snprintf(wider_fr, sizeof wider_fr,
                    " (aucun établissement ne répond à tous les mots de « %s » : recherche "
                    "élargie à « %s »)",
                    from ? from : "", to ? to : "");
        ml_snprintf(wider_en, sizeof wider_en,
                    " (no establishment matches every word of \"%s\": search widened to \"%s\")",
                    from ? from : "", to ? to : "");
    }
    int added = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(res, "results"), i, e)
    {
        if (json_array_size(list) >= cap) break;
        const char *siret = json_string_value(json_object_get(e, "siret"));
        bool seen = false;
        size_t k;
        json_t *o;
        json_array_foreach(list, k, o) seen =
            seen || (siret && json_equal(json_object_get(o, "siret"), json_object_get(e, "siret")));
        if (seen) continue;
        json_t *act = json_object_get(e, "activity"), *com = json_object_get(e, "commune");
        const char *code = json_string_value(json_object_get(act, "code"));
        const char *label = json_string_value(json_object_get(act, "label"));
        const char *cname = json_string_value(json_object_get(com, "name"));
        char fr[900], en[900];
        if (how == BY_NAF) {
            ml_snprintf(fr, sizeof fr, "activité %s (%s) comme le besoin, à %s", code ? code : "",
                        label ? label : "", cname ? cname : "?");
            ml_snprintf(en, sizeof en, "activity %s (%s) as the need's, in %s", code ? code : "",
                        label ? label : "", cname ? cname : "?");
        } else if (how == BY_TITLE) {
            ml_snprintf(fr, sizeof fr, "ses mots répondent au titre du besoin%s ; %s, à %s",
                        wider_fr, label ? label : "", cname ? cname : "?");
            ml_snprintf(en, sizeof en, "its words match the need's title%s; %s, in %s", wider_en,
                        label ? label : "", cname ? cname : "?");
        } else {
            ml_snprintf(fr, sizeof fr, "ses mots répondent au libellé CPV %s « %s »%s ; %s, à %s",
                        cpv->code8, cpv->label_fr, wider_fr, label ? label : "",
                        cname ? cname : "?");
            ml_snprintf(en, sizeof en, "its words match the CPV label %s \"%s\"%s; %s, in %s",
                        cpv->code8, *cpv->label_en ? cpv->label_en : cpv->label_fr, wider_en,
                        label ? label : "", cname ? cname : "?");
        }
        json_t *item = json_pack("{s:O?, s:O?, s:O?, s:O?, s:s, s:s, s:s}", "siret",
                                 json_object_get(e, "siret"), "name", json_object_get(e, "name"),
                                 "commune", com, "activity", act, "by",
                                 how == BY_NAF     ? "naf"
                                 : how == BY_TITLE ? "title"
                                                   : "cpv",
                                 "reason_fr", fr, "reason_en", en);
        if (item && how == BY_CPV) json_object_set_new(item, "cpv", json_string(cpv->code8));
        if (item && !json_array_append_new(list, item)) added++;
    }
    json_decref(res);
    return added;
}

/* Local firms that could answer: open establishments of the need's activity
 * (its NAF code) or, without one, of its title's words, in its département
 * (the place's); then, when the need has a CPV code, the establishments
 * whose words match the code's French label, or its parent's when none does
 * (up to the division): at most `cap`, none twice. docs/methods.md. */
static json_t *suggestions(ml_db *db, const need *n, size_t cap, json_t **why_none)
{
    char dep[4] = "";
    if (n->commune && strlen(n->commune) == 5)
        ml_snprintf(dep, sizeof dep, "%.*s", n->commune[0] == '9' && n->commune[1] == '7' ? 3 : 2,
                    n->commune);
    unsigned limit = cap > 200 ? 200 : (unsigned)cap;
    ml_search_query q = {.naf = n->naf,
                         .text = n->naf ? NULL : n->title,
                         .departement = *dep ? dep : NULL,
                         .active_only = true,
                         .limit = limit};
    json_t *list = json_array();
    if (search_into(db, &q, n->naf ? BY_NAF : BY_TITLE, !n->naf, NULL, list, cap) < 0) {
        /* not an error of the need: said beside it */
        *why_none = json_string(ml_ctx_message(db->ctx));
        return list;
    }
    ev_cpv cpv;
    char code8[9];
    if (!n->cpv || json_array_size(list) >= cap) return list;
    /* The code's label, then its parents' word for word; only when none
     * finds a firm, the code's own label widened. */
    for (int pass = 0; pass < 2; pass++) {
        ml_snprintf(code8, sizeof code8, "%.8s", n->cpv);
        for (int up = 0; up < 6; up++) {
            if (ev_cpv_find(db, code8, &cpv) == ML_OK) {
                ml_search_query c = {.text = cpv.label_fr,
                                     .departement = *dep ? dep : NULL,
                                     .active_only = true,
                                     .limit = limit};
                if (search_into(db, &c, BY_CPV, pass == 1, &cpv, list, cap) > 0) return list;
            }
            if (pass == 1 || !ev_cpv_parent(code8)) break;
        }
    }
    return list;
}

ml_err ml_need_show(ml_db *db, const ml_actor *who, int64_t id, int64_t threshold, json_t **out)
{
    *out = NULL;
    if (threshold < 0 || threshold > 1000000000000LL)
        return ml_fail(db->ctx, ML_INVALID, "threshold: euros HT, from 1 to 10^12");
    if (!threshold) threshold = NEED_THRESHOLD;
    need n;
    ml_err r = need_get(db, who, id, &n);
    if (r) return r;
    bool open = n.budget <= threshold;
    char fr[400], en[400];
    if (open) {
        ml_snprintf(fr, sizeof fr,
                    "Budget de %lld € HT, sous le seuil de %lld € HT : l'achat innovant peut se "
                    "passer de publicité et de mise en concurrence (R2122-9-1), si la "
                    "solution est innovante (la liste ci-dessous).",
                    (long long)n.budget, (long long)threshold);
        ml_snprintf(en, sizeof en,
                    "A budget of %lld euros HT, under the threshold of %lld euros HT: the "
                    "innovative purchase may skip publicity and competition (R2122-9-1), if the "
                    "solution is innovative (the checklist below).",
                    (long long)n.budget, (long long)threshold);
    } else {
        ml_snprintf(fr, sizeof fr,
                    "Budget de %lld € HT, au-dessus du seuil de %lld € HT : une procédure avec "
                    "publicité et mise en concurrence est nécessaire (l'innovation peut y "
                    "rester un critère).",
                    (long long)n.budget, (long long)threshold);
        ml_snprintf(en, sizeof en,
                    "A budget of %lld euros HT, above the threshold of %lld euros HT: a "
                    "procedure with publicity and competition is needed (innovation may remain "
                    "a criterion).",
                    (long long)n.budget, (long long)threshold);
    }
    json_t *items = json_array();
    bool ready = open;
    for (size_t i = 0; i < NCHECK; i++) {
        bool done = has_key(n.evidence, checklist[i].key);
        ready = ready && done;
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b}", "key", checklist[i].key,
                                               "label_fr", checklist[i].fr, "label_en",
                                               checklist[i].en, "done", done));
    }
    json_t *why_none = NULL, *sug = suggestions(db, &n, 20, &why_none);
    *out = json_pack("{s:o, s:{s:I, s:I, s:b, s:s, s:s}, s:o, s:b, s:o, s:o}", "need",
                     need_json(db, &n), "threshold", "euros", (json_int_t)threshold, "budget",
                     (json_int_t)n.budget, "route_open", open, "why_fr", fr, "why_en", en,
                     "checklist", items, "ready", ready, "suggestions", sug,
                     "suggestions_unavailable", why_none ? why_none : json_null());
    need_release(&n);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_need_evidence(ml_db *db, const ml_actor *who, int64_t id, const char *key, bool done,
                        json_t **out)
{
    *out = NULL;
    size_t k = 0;
    while (k < NCHECK && (!key || strcmp(checklist[k].key, key)))
        k++;
    if (k == NCHECK)
        return ml_fail(db->ctx, ML_INVALID,
                       "checklist item: novelty, market, price or sourcing (not '%.20s')",
                       key ? key : "");
    need n;
    ml_err r = need_get(db, who, id, &n);
    if (r) return r;
    if ((r = ev_may_write(db, who, n.org))) goto out;
    char list[128] = "";
    for (size_t i = 0; i < NCHECK; i++) {
        size_t len = strlen(list);
        if (i == k ? done : has_key(n.evidence, checklist[i].key))
            ml_snprintf(list + len, sizeof list - len, "%s%s", len ? "," : "", checklist[i].key);
    }
    ml_sql_arg args[] = {{.type = ML_ARG_INT, .i = id}, {.type = ML_ARG_TEXT, .s = list}};
    if ((r = db->be->event_sql(db, ML_EV_NEED_EVIDENCE, args, 2, NULL, NULL, NULL))) goto out;
    r = ml_need_show(db, who, id, 0, out);
out:
    need_release(&n);
    return r;
}

ml_err ml_need_set_cpv(ml_db *db, const ml_actor *who, int64_t id, const char *code, json_t **out)
{
    *out = NULL;
    need n;
    ml_err r = need_get(db, who, id, &n);
    if (r) return r;
    ev_cpv cpv = {0};
    if (!(r = ev_may_write(db, who, n.org)) && code && *code) r = ev_cpv_check(db, code, &cpv);
    if (!r) {
        ml_sql_arg args[] = {{.type = ML_ARG_INT, .i = id},
                             *cpv.code8 ? (ml_sql_arg){.type = ML_ARG_TEXT, .s = cpv.code8}
                                        : (ml_sql_arg){.type = ML_ARG_NULL}};
        r = db->be->event_sql(db, ML_EV_NEED_CPV, args, 2, NULL, NULL, NULL);
    }
    if (!r) r = ml_need_show(db, who, id, 0, out);
    need_release(&n);
    return r;
}

ml_err ml_need_award(ml_db *db, const ml_actor *who, int64_t id, const char *siret, int64_t amount,
                     const char *date, unsigned months, json_t **out)
{
    *out = NULL;
    need n;
    ml_err r = need_get(db, who, id, &n);
    if (r) return r;
    int64_t holder = 0;
    if ((r = ev_may_write(db, who, n.org))) goto out;
    if (!siret || strlen(siret) != ML_SIRET_DIGITS ||
        ml_siret_parse(siret, ML_SIRET_DIGITS, &holder) != ML_ID_OK) {
        r = ml_fail(db->ctx, ML_INVALID,
                    "holder: '%.20s' is not a valid SIRET (14 digits with a valid checksum)",
                    siret ? siret : "");
        goto out;
    }
    json_t *j = NULL;
    r = ml_show(db, siret, &j);
    json_decref(j);
    if (r == ML_PRIVATE)
        r = ml_fail(db->ctx, ML_PRIVATE,
                    "SIRET %s has restricted diffusion (statut P): maillage names no contract "
                    "with it",
                    siret);
    if (r) goto out;
    if (amount < 1 || amount > 1000000000000LL) {
        r = ml_fail(db->ctx, ML_INVALID, "amount: euros HT, from 1 to 10^12");
        goto out;
    }
    if ((r = ev_check_date(db, "date", date))) goto out;
    if (months < 1 || months > 600) {
        r = ml_fail(db->ctx, ML_INVALID, "months: from 1 to 600");
        goto out;
    }
    ml_sql_arg args[] = {{.type = ML_ARG_INT, .i = id},
                         {.type = ML_ARG_INT, .i = holder},
                         {.type = ML_ARG_INT, .i = amount},
                         {.type = ML_ARG_TEXT, .s = date},
                         {.type = ML_ARG_INT, .i = months}};
    if ((r = db->be->event_sql(db, ML_EV_NEED_AWARD, args, 5, NULL, NULL, NULL))) goto out;
    r = ml_need_show(db, who, id, 0, out);
out:
    need_release(&n);
    return r;
}

ml_err ml_need_decp(ml_db *db, const ml_actor *who, int64_t id, json_t **out)
{
    *out = NULL;
    need n;
    ml_err r = need_get(db, who, id, &n);
    if (r) return r;
    const char *missing = !n.buyer_siret ? "the buyer's SIRET (need add --buyer-siret)"
                          : !n.cpv       ? "a CPV code (need add --cpv)"
                          : !n.holder    ? "the contract (need award)"
                                         : NULL;
    if (missing) {
        r = ml_fail(db->ctx, ML_INVALID, "need %lld: a DECP record needs %s", (long long)id,
                    missing);
        goto out;
    }
    char mid[17], buyer[ML_SIRET_SIZE], holder[ML_SIRET_SIZE], today[11], cpv[9];
    ml_snprintf(mid, sizeof mid, "ML%.4s-%lld", n.notified ? n.notified : "0000", (long long)n.id);
    ml_snprintf(cpv, sizeof cpv, "%.8s", n.cpv);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    json_t *place = n.commune
                        ? json_pack("{s:s, s:s}", "code", n.commune, "typeCode", "Code commune")
                        : json_pack("{s:s, s:s}", "code", "FR", "typeCode", "Code pays");
    json_t *m = json_pack(
        "{s:s, s:{s:s}, s:s, s:s, s:s, s:{s:[s]}, s:{s:[s]}, s:b, s:s, s:i, s:b, s:s, s:s, "
        "s:o, s:I, s:s, s:s, s:I, s:{s:[s]}, s:s, s:b, s:[{s:{s:s, s:s}}], s:{s:[s]}, "
        "s:{s:[s]}}",
        "id", mid, "acheteur", "id", ml_siret_format(n.buyer_siret, buyer), "nature", "Marché",
        "objet", n.title, "codeCPV", cpv, "techniques", "technique", "Sans objet",
        "modalitesExecution", "modaliteExecution", "Sans objet", "marcheInnovant", true, "ccag",
        "Pas de CCAG", "offresRecues", 1, "attributionAvance", false, "typeGroupementOperateurs",
        "Pas de groupement", "procedure",
        "Marché passé sans publicité ni mise en concurrence préalable", "lieuExecution", place,
        "dureeMois", (json_int_t)n.months, "dateNotification", n.notified, "datePublicationDonnees",
        today, "montant", (json_int_t)n.amount, "typesPrix", "typePrix", "Définitif ferme",
        "formePrix", "Forfaitaire", "sousTraitanceDeclaree", false, "titulaires", "titulaire",
        "typeIdentifiant", "SIRET", "id", ml_siret_format(n.holder, holder),
        "considerationsSociales", "considerationSociale", "Pas de considération sociale",
        "considerationsEnvironnementales", "considerationEnvironnementale",
        "Pas de considération environnementale");
    /* the record as the schema has it; beside it (the schema allows it at
     * the top), the code's labels for a person reading the file */
    *out = m ? json_pack("{s:{s:[o]}, s:o}", "marches", "marche", m, "cpv", cpv_label(db, n.cpv))
             : NULL;
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    need_release(&n);
    return r;
}

typedef struct buyer_needs {
    const ml_actor *who;
    const ev_part *p;
    int64_t *ids;
    size_t n, cap;
    bool failed;
} buyer_needs;

static int buyer_need_row(void *ud, const char *const *c, size_t nc)
{
    buyer_needs *b = ud;
    if (nc < 4 || !ev_reads_org(b->who, num(c[1]))) return 0;
    bool same = (b->p->siret && c[3] && num(c[3]) == b->p->siret) ||
                (c[2] && strcmp(c[2], b->p->name) == 0);
    if (!same) return 0;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 8;
        int64_t *ids = realloc(b->ids, cap * sizeof *ids);
        if (!ids) return b->failed = true, 1;
        b->ids = ids, b->cap = cap;
    }
    b->ids[b->n++] = num(c[0]);
    return 0;
}

ml_err ev_buyer_needs(ml_db *db, const ml_actor *who, const ev_part *p, size_t cap, json_t **out)
{
    *out = json_array();
    if (!*out) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    buyer_needs b = {.who = who, .p = p};
    ml_err r = db->be->event_sql(db, ML_EV_NEED_BUYERS, NULL, 0, buyer_need_row, &b, NULL);
    if (!r && b.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    for (size_t i = 0; !r && i < b.n; i++) {
        need n;
        if (need_get(db, who, b.ids[i], &n)) continue;
        json_t *why = NULL, *firms = suggestions(db, &n, cap, &why);
        json_decref(why);
        json_t *o =
            json_pack("{s:I, s:s, s:o}", "id", (json_int_t)n.id, "title", n.title, "firms", firms);
        need_release(&n);
        if (!o || json_array_append_new(*out, o)) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    free(b.ids);
    if (r) json_decref(*out), *out = NULL;
    return r;
}

/* The participant of `show` (an ml_event_show answer) named `name` or of
 * SIRET `siret`: its id, 0 if none. */
static int64_t participant_in(json_t *show, const char *name, const char *siret)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(show, "participants"), i, p)
    {
        const char *pn = json_string_value(json_object_get(p, "name"));
        const char *ps = json_string_value(json_object_get(p, "siret"));
        if ((siret && ps && strcmp(ps, siret) == 0) || (!siret && name && pn && !strcmp(pn, name)))
            return json_integer_value(json_object_get(p, "id"));
    }
    return 0;
}

ml_err ml_need_invite(ml_db *db, const ml_actor *who, int64_t id, const char *event, json_t **out)
{
    *out = NULL;
    json_t *view = NULL, *show = NULL, *skipped = json_array();
    ml_err r = ml_need_show(db, who, id, 0, &view);
    if (!r) r = ml_event_show(db, who, event, &show);
    if (r) goto out;
    json_t *e = json_object_get(show, "event"), *n = json_object_get(view, "need");
    bool two = json_is_true(json_object_get(e, "two_sided"));
    char ev[24], buyer_id[24];
    ml_snprintf(ev, sizeof ev, "%lld", (long long)json_integer_value(json_object_get(e, "id")));
    const char *buyer = json_string_value(json_object_get(n, "buyer"));
    int64_t b = participant_in(show, buyer, NULL);
    size_t firms = 0, requests = 0;
    if (!b) {
        ml_event_participant_in in = {.guest = buyer, .buyer = true, .side = two ? "A" : NULL};
        json_t *j = NULL;
        if ((r = ml_event_participant_add(db, who, ev, &in, &j))) goto out;
        b = json_integer_value(json_object_get(json_object_get(j, "participant"), "id"));
        json_decref(j);
    }
    ml_snprintf(buyer_id, sizeof buyer_id, "%lld", (long long)b);
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(view, "suggestions"), i, s)
    {
        const char *siret = json_string_value(json_object_get(s, "siret"));
        int64_t f = participant_in(show, NULL, siret);
        json_t *j = NULL;
        if (!f) {
            ml_event_participant_in in = {.siret = siret, .side = two ? "B" : NULL};
            if (ml_event_participant_add(db, who, ev, &in, &j) == ML_OK) {
                f = json_integer_value(json_object_get(json_object_get(j, "participant"), "id"));
                firms++;
            } else {
                json_array_append_new(skipped, json_pack("{s:s?, s:s}", "siret", siret, "why",
                                                         ml_ctx_message(db->ctx)));
            }
            json_decref(j);
            j = NULL;
        }
        if (!f) continue;
        char fid[24];
        ml_snprintf(fid, sizeof fid, "%lld", (long long)f);
        if (ml_event_request_add(db, who, ev, buyer_id, fid, "wish", "a", false,
                                 json_string_value(json_object_get(s, "reason_fr")), &j) == ML_OK)
            requests++;
        else
            json_array_append_new(
                skipped, json_pack("{s:s?, s:s}", "siret", siret, "why", ml_ctx_message(db->ctx)));
        json_decref(j);
    }
    *out =
        json_pack("{s:s, s:I, s:I, s:I, s:O}", "event", ev, "buyer", (json_int_t)b, "firms_added",
                  (json_int_t)firms, "requests_added", (json_int_t)requests, "skipped", skipped);
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    json_decref(view), json_decref(show), json_decref(skipped);
    return r;
}
