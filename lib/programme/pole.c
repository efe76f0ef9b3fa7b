/* pole.c — collaborative R&D projects of the poles de competitivite (issue
 * 13 part 7), as an extension of a programme's projects: the partners of a
 * project of type collaborative_rd besides its lead firm, the TRL
 * assessments of an R&D project over time, the parts or capabilities it
 * needs and, from TRL 6 on, local manufacturers and subcontractors the
 * search engine finds for each need, each with why. */
#include <time.h>

#include "programme/programme.h"
#include "territory/territory.h"

#define POLE_PARTNERS_MAX 50
#define POLE_TRL_MAX      200
#define POLE_NEEDS_MAX    30

static bool is_collaborative(const prog_project *pj)
{
    return strcmp(pj->type, "collaborative_rd") == 0;
}

static bool is_rd(const prog_project *pj)
{
    return is_collaborative(pj) || strcmp(pj->type, "rd") == 0 ||
           strcmp(pj->type, "industrialisation") == 0;
}

static ml_err need_rd(ml_db *db, const prog_project *pj, const char *what)
{
    if (is_rd(pj)) return ML_OK;
    return ml_fail(db->ctx, ML_REFUSED,
                   "project %lld is of type %s: %s belong to R&D projects (collaborative_rd, rd "
                   "or industrialisation)",
                   (long long)pj->id, pj->type, what);
}

/* ---------------------------------------------------------- the pole view */

typedef struct rows {
    json_t *list;
    int64_t n, trl_now;
    char trl_day[11];
    const char *today;
    int64_t *sirets; /* partners' SIRETs, for the suggestions to leave out */
    size_t nsirets, cap;
} rows;

static int partner_row(void *ud, const char *const *c, size_t n)
{
    rows *s = ud;
    int64_t siret = prog_col_int(c, n, 1);
    char siret_s[ML_SIRET_SIZE] = "";
    if (siret) ml_siret_format(siret, siret_s);
    if (siret && s->nsirets < s->cap) s->sirets[s->nsirets++] = siret;
    s->n++;
    json_array_append_new(s->list, json_pack("{sI s:s? s:s? s:s? s:s? s:s?}", "id",
                                             (json_int_t)prog_col_int(c, n, 0), "siret",
                                             siret ? siret_s : NULL, "name", n > 2 ? c[2] : NULL,
                                             "kind", n > 3 ? c[3] : NULL, "role",
                                             n > 4 ? c[4] : NULL, "author", n > 5 ? c[5] : NULL));
    return 0;
}

static int trl_row(void *ud, const char *const *c, size_t n)
{
    rows *s = ud;
    const char *day = n > 1 && c[1] ? c[1] : "";
    int64_t level = prog_col_int(c, n, 2);
    if (strcmp(day, s->today) <= 0) {
        s->trl_now = level;
        ml_snprintf(s->trl_day, sizeof s->trl_day, "%s", day);
    }
    s->n++;
    json_array_append_new(s->list, json_pack("{sI s:s sI s:s? s:s?}", "id",
                                             (json_int_t)prog_col_int(c, n, 0), "day", day, "level",
                                             (json_int_t)level, "note", n > 3 ? c[3] : NULL,
                                             "author", n > 4 ? c[4] : NULL));
    return 0;
}

static int need_row(void *ud, const char *const *c, size_t n)
{
    rows *s = ud;
    s->n++;
    json_array_append_new(s->list,
                          json_pack("{sI s:s? s:s? s:s?}", "id", (json_int_t)prog_col_int(c, n, 0),
                                    "text", n > 1 ? c[1] : NULL, "naf", n > 2 ? c[2] : NULL,
                                    "author", n > 3 ? c[3] : NULL));
    return 0;
}

/* The pole view of a project (and the partners' SIRETs into sirets). */
static ml_err pole_json(ml_db *db, const prog_project *pj, int64_t *sirets, size_t cap,
                        size_t *nsirets, json_t **out)
{
    *out = NULL;
    char today[11], siret[ML_SIRET_SIZE], firm[200];
    prog_today(today);
    ml_sql_arg a[] = {PI(pj->id)};
    rows partners = {.list = json_array(), .today = today, .sirets = sirets, .cap = cap};
    rows trl = {.list = json_array(), .today = today};
    rows needs = {.list = json_array(), .today = today};
    ml_err r = prog_sql(db, ML_PROG_PARTNERS, a, 1, partner_row, &partners);
    if (!r) r = prog_sql(db, ML_PROG_TRLS, a, 1, trl_row, &trl);
    if (!r) r = prog_sql(db, ML_PROG_NEEDS, a, 1, need_row, &needs);
    if (nsirets) *nsirets = partners.nsirets;
    /* A partner establishment is shown under its name in the register today:
     * one that has since become of restricted diffusion is shown by neither
     * name nor SIRET. */
    size_t i;
    json_t *v;
    json_array_foreach(partners.list, i, v)
    {
        int64_t ps = 0;
        const char *s = json_string_value(json_object_get(v, "siret"));
        if (!s || ml_siret_parse(s, strlen(s), &ps) != ML_ID_OK) continue;
        char shown[200];
        prog_firm_name(db, ps, shown);
        json_object_set_new(v, "name", shown[0] ? json_string(shown) : json_null());
        if (!shown[0]) {
            json_object_set_new(v, "siret", json_null());
            json_object_set_new(v, "restricted", json_true());
        }
    }
    ml_siret_format(pj->siret, siret);
    prog_firm_name(db, pj->siret, firm);
    if (!r)
        *out = json_pack("{sI sI s:s s:s s:s s:{s:s s:s? s:s} s:o s:o s:o s:o s:b s:i s:o}", "id",
                         (json_int_t)pj->id, "programme", (json_int_t)pj->programme, "title",
                         pj->title, "type", pj->type, "stage", pj->stage, "lead", "siret", siret,
                         "name", firm[0] ? firm : NULL, "role", "lead", "partners", partners.list,
                         "trl", trl.list, "trl_now",
                         trl.trl_now ? json_integer(trl.trl_now) : json_null(), "trl_day",
                         trl.trl_day[0] ? json_string(trl.trl_day) : json_null(), "near_industrial",
                         trl.trl_now >= ML_TRL_INDUSTRIAL, "industrial_from", ML_TRL_INDUSTRIAL,
                         "needs", needs.list);
    else {
        json_decref(partners.list);
        json_decref(trl.list);
        json_decref(needs.list);
    }
    if (!r && !*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    return r;
}

ml_err ml_project_pole(ml_db *db, const ml_actor *who, int64_t project, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    ml_err r = prog_project_open(db, who, project, false, &pj, &p);
    if (r) return r;
    return pole_json(db, &pj, NULL, 0, NULL, out);
}

/* ------------------------------------------------------------- partners */

static int count_row(void *ud, const char *const *c, size_t n)
{
    (void)c;
    (void)n;
    (*(int64_t *)ud)++;
    return 0;
}

ml_err ml_project_partner_add(ml_db *db, const ml_actor *who, const ml_partner_in *in, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    ml_err r = prog_project_open(db, who, in->project, true, &pj, &p);
    if (r) return r;
    if (!is_collaborative(&pj))
        return ml_fail(db->ctx, ML_REFUSED,
                       "project %lld is of type %s: partners belong to collaborative R&D "
                       "projects (type collaborative_rd)",
                       (long long)pj.id, pj.type);
    if ((r = prog_text_ok(db, "role", in->role, PROG_TEXT_MAX, true))) return r;
    int64_t siret = 0;
    char name[200] = "";
    const char *kind = in->kind && *in->kind ? in->kind : NULL;
    if (in->siret && *in->siret) {
        if (kind && strcmp(kind, "firm") != 0)
            return ml_fail(db->ctx, ML_INVALID,
                           "a partner given by its SIRET is a firm (kind firm), not '%.20s'", kind);
        if ((r = prog_firm(db, in->siret, "partner", &siret, name, NULL))) return r;
        if (siret == pj.siret)
            return ml_fail(db->ctx, ML_INVALID, "SIRET %s is the project's lead already",
                           in->siret);
        kind = "firm";
    } else {
        if (!in->name || !*in->name)
            return ml_fail(db->ctx, ML_INVALID,
                           "a partner is an establishment (siret) or an organisation (name)");
        if ((r = prog_text_ok(db, "name", in->name, PROG_TEXT_MAX, true))) return r;
        if (!kind) kind = "lab";
        if (strcmp(kind, "lab") != 0 && strcmp(kind, "other") != 0)
            return ml_fail(db->ctx, ML_INVALID,
                           "a partner named without a SIRET is a lab or other, not '%.20s'", kind);
        ml_snprintf(name, sizeof name, "%s", in->name);
    }
    int64_t sirets[POLE_PARTNERS_MAX];
    size_t ns = 0;
    json_t *view = NULL;
    if ((r = pole_json(db, &pj, sirets, POLE_PARTNERS_MAX, &ns, &view))) return r;
    size_t total = json_array_size(json_object_get(view, "partners"));
    json_decref(view);
    if (total >= POLE_PARTNERS_MAX)
        return ml_fail(db->ctx, ML_LIMIT, "at most %d partners", POLE_PARTNERS_MAX);
    for (size_t i = 0; siret && i < ns; i++)
        if (sirets[i] == siret)
            return ml_fail(db->ctx, ML_INVALID, "SIRET %s is a partner already", in->siret);
    int64_t id = 0;
    ml_sql_arg a[] = {PI(pj.id),     siret ? PI(siret) : PT(NULL), PT(name), PT(kind), PT(in->role),
                      PT(who->name), PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_PARTNER_ADD, a, NARGS(a), prog_first_id, &id))) return r;
    return pole_json(db, &pj, NULL, 0, NULL, out);
}

/* Removes a project's partner or need (`what`, by statement `drop`): the
 * pole view after, or ML_NOTFOUND naming it. */
static ml_err pole_remove(ml_db *db, const ml_actor *who, int64_t project, ml_prog_sql drop,
                          const char *what, int64_t id, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    ml_err r = prog_project_open(db, who, project, true, &pj, &p);
    if (r) return r;
    int64_t changed = 0;
    ml_sql_arg a[] = {PI(pj.id), PI(id)};
    if ((r = db->be->programme_sql(db, drop, a, NARGS(a), NULL, NULL, &changed))) return r;
    if (!changed)
        return ml_fail(db->ctx, ML_NOTFOUND, "project %lld has no %s %lld", (long long)pj.id, what,
                       (long long)id);
    return pole_json(db, &pj, NULL, 0, NULL, out);
}

ml_err ml_project_partner_remove(ml_db *db, const ml_actor *who, int64_t project, int64_t partner,
                                 json_t **out)
{
    return pole_remove(db, who, project, ML_PROG_PARTNER_DROP, "partner", partner, out);
}

/* ------------------------------------------------------------------ TRL */

ml_err ml_project_trl_add(ml_db *db, const ml_actor *who, int64_t project, const char *date,
                          int level, const char *note, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    char day[11];
    ml_err r = prog_project_open(db, who, project, true, &pj, &p);
    if (r || (r = need_rd(db, &pj, "TRL assessments")) || (r = prog_day(db, "date", date, day)))
        return r;
    if (level < 1 || level > 9)
        return ml_fail(db->ctx, ML_INVALID,
                       "a TRL is a level from 1 (basic principles) to 9 (proven in operation), "
                       "not %d",
                       level);
    if ((r = prog_text_ok(db, "note", note, PROG_TEXT_MAX, false))) return r;
    int64_t n = 0;
    ml_sql_arg q[] = {PI(pj.id)};
    if ((r = prog_sql(db, ML_PROG_TRLS, q, 1, count_row, &n))) return r;
    if (n >= POLE_TRL_MAX)
        return ml_fail(db->ctx, ML_LIMIT, "at most %d TRL assessments", POLE_TRL_MAX);
    int64_t id = 0;
    ml_sql_arg a[] = {PI(pj.id),     PI(level),
                      PT(day),       PT(note && *note ? note : NULL),
                      PT(who->name), PI((int64_t)time(NULL))};
    /* the statement takes project, day, level, note, author, created */
    ml_sql_arg b[] = {a[0], a[2], a[1], a[3], a[4], a[5]};
    if ((r = prog_sql(db, ML_PROG_TRL_ADD, b, NARGS(b), prog_first_id, &id))) return r;
    return pole_json(db, &pj, NULL, 0, NULL, out);
}

/* ---------------------------------------------------------------- needs */

/* A NAF code's shape: 2 digits, then optionally ".", 1-2 digits, a letter. */
static bool naf_shape(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 6) return false;
    if (n == 1) return s[0] >= 'A' && s[0] <= 'U'; /* a section */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = i < 2 || (i > 3 && i < 5) ? c >= '0' && c <= '9'
                  : i == 2                  ? c == '.'
                  : i == 3                  ? c >= '0' && c <= '9'
                                            : c >= 'A' && c <= 'Z';
        if (!ok) return false;
    }
    return n != 3;
}

ml_err ml_project_need_add(ml_db *db, const ml_actor *who, int64_t project, const char *text,
                           const char *naf, json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    ml_err r = prog_project_open(db, who, project, true, &pj, &p);
    if (r || (r = need_rd(db, &pj, "needs for industrialisation"))) return r;
    if ((!text || !*text) && (!naf || !*naf))
        return ml_fail(db->ctx, ML_INVALID,
                       "a need is words (the part or capability: \"usinage de précision\") "
                       "and/or a NAF code (25.62A)");
    if ((r = prog_text_ok(db, "text", text, PROG_TEXT_MAX, false))) return r;
    if (naf && *naf) {
        if (!naf_shape(naf))
            return ml_fail(db->ctx, ML_INVALID,
                           "'%.20s' is not a NAF code (25.62A, 25.62, 25 or a section letter)",
                           naf);
        /* The search engine knows the code (the one that will use it). */
        ml_search_query q = {.naf = naf, .limit = 1};
        json_t *res = NULL;
        r = ml_search(db, &q, &res);
        json_decref(res);
        if (r) return r;
    }
    int64_t n = 0;
    ml_sql_arg q[] = {PI(pj.id)};
    if ((r = prog_sql(db, ML_PROG_NEEDS, q, 1, count_row, &n))) return r;
    if (n >= POLE_NEEDS_MAX) return ml_fail(db->ctx, ML_LIMIT, "at most %d needs", POLE_NEEDS_MAX);
    int64_t id = 0;
    ml_sql_arg a[] = {PI(pj.id), PT(text && *text ? text : NULL), PT(naf && *naf ? naf : NULL),
                      PT(who->name), PI((int64_t)time(NULL))};
    if ((r = prog_sql(db, ML_PROG_NEED_ADD, a, NARGS(a), prog_first_id, &id))) return r;
    return pole_json(db, &pj, NULL, 0, NULL, out);
}

ml_err ml_project_need_remove(ml_db *db, const ml_actor *who, int64_t project, int64_t need,
                              json_t **out)
{
    return pole_remove(db, who, project, ML_PROG_NEED_DROP, "need", need, out);
}

/* ---------------------------------------------------------- suggestions */

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The search filter of the programme's territory: *field names which of
 * the query's place filters takes the code (NULL: none, said in *note). */
static void territory_filter(ml_db *db, const prog *p, ml_search_query *q, const char **note)
{
    *note = NULL;
    ml_place place = {0};
    if (!p->territory[0] || ml_place_resolve(db, p->territory, &place) != ML_OK) {
        *note = "the programme has no territory: the suggestions come from the whole register";
        return;
    }
    switch (place.kind) {
    case ML_PLACE_COMMUNE:
        q->commune = p->territory;
        break;
    case ML_PLACE_EPCI:
        q->epci = p->territory;
        break;
    case ML_PLACE_DEPARTEMENT:
        q->departement = p->territory;
        break;
    case ML_PLACE_REGION:
        q->region = p->territory;
        break;
    default:
        *note = "the programme's territory is a perimeter the search cannot filter on: the "
                "suggestions come from the whole register";
    }
}

ml_err ml_project_suggest(ml_db *db, const ml_actor *who, int64_t project, unsigned per_need,
                          json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog p;
    ml_err r = prog_project_open(db, who, project, false, &pj, &p);
    if (r || (r = need_rd(db, &pj, "suggestions of manufacturers"))) return r;
    if (per_need > 20) return ml_fail(db->ctx, ML_INVALID, "at most 20 suggestions per need");
    if (!per_need) per_need = 5;
    int64_t sirets[POLE_PARTNERS_MAX + 1];
    size_t ns = 0;
    json_t *view = NULL;
    if ((r = pole_json(db, &pj, sirets, POLE_PARTNERS_MAX, &ns, &view))) return r;
    sirets[ns++] = pj.siret;
    json_t *trl_now = json_object_get(view, "trl_now");
    json_t *needs = json_object_get(view, "needs");
    if (!json_is_integer(trl_now) || json_integer_value(trl_now) < ML_TRL_INDUSTRIAL) {
        if (json_is_integer(trl_now))
            r = ml_fail(db->ctx, ML_REFUSED,
                        "project %lld is at TRL %lld: manufacturers are suggested once it nears "
                        "industrialisation (TRL %d or more)",
                        (long long)pj.id, (long long)json_integer_value(trl_now),
                        ML_TRL_INDUSTRIAL);
        else
            r = ml_fail(db->ctx, ML_REFUSED,
                        "project %lld has no TRL assessment yet: manufacturers are suggested "
                        "once it nears industrialisation (TRL %d or more)",
                        (long long)pj.id, ML_TRL_INDUSTRIAL);
        json_decref(view);
        return r;
    }
    if (!json_array_size(needs)) {
        json_decref(view);
        return ml_fail(db->ctx, ML_REFUSED,
                       "project %lld lists no parts or capabilities it needs: add them first "
                       "(words and/or a NAF code)",
                       (long long)pj.id);
    }
    ml_search_query base = {.active_only = true, .limit = per_need + (unsigned)ns};
    const char *note = NULL;
    territory_filter(db, &p, &base, &note);
    const char *where = p.territory_name[0] ? p.territory_name : "the register";
    json_t *list = json_array(), *per = json_array();
    size_t i;
    json_t *need;
    json_array_foreach(needs, i, need)
    {
        ml_search_query q = base;
        const char *text = str(need, "text"), *naf = str(need, "naf");
        q.text = *text ? text : NULL;
        q.naf = *naf ? naf : NULL;
        json_t *res = NULL;
        if ((r = ml_search_relaxed(db, &q, &res))) break;
        /* Words no establishment matched all together: the search widened (said). */
        json_t *relaxed = json_object_get(res, "relaxed");
        char wider[400] = "";
        if (relaxed)
            ml_snprintf(wider, sizeof wider,
                        "; no establishment matched every word of «%s»: searched «%s» instead",
                        str(relaxed, "from"), str(relaxed, "to"));
        size_t k, kept = 0;
        json_t *hit;
        json_t *found = json_array();
        json_array_foreach(json_object_get(res, "results"), k, hit)
        {
            if (kept == per_need) break;
            int64_t siret = 0;
            char name[200];
            const char *s = str(hit, "siret");
            /* never the project's own, never restricted diffusion (checked again) */
            if (prog_firm(db, s, "suggestion", &siret, name, NULL) != ML_OK) continue;
            bool own = false;
            for (size_t m = 0; m < ns; m++)
                own = own || sirets[m] == siret;
            if (own) continue;
            json_t *act = json_object_get(hit, "activity"), *com = json_object_get(hit, "commune");
            json_t *size = json_object_get(hit, "size");
            char why[600];
            ml_snprintf(why, sizeof why,
                        "answers need %lld (%s%s%s%s): %s (NAF %s) at %s, %s; found by the search "
                        "engine in %s%s",
                        (long long)json_integer_value(json_object_get(need, "id")),
                        *text ? "«" : "", text, *text ? "»" : "",
                        *naf ? (*text ? ", NAF filter" : "NAF filter") : "", str(act, "label"),
                        str(act, "code"), str(com, "name"), str(size, "label"), where, wider);
            json_t *j = json_pack("{s:s s:s s:O? s:O? s:O? s:O s:s}", "siret", s, "name", name,
                                  "activity", act, "commune", com, "size", size, "need",
                                  json_object_get(need, "id"), "why", why);
            if (j) {
                json_array_append(found, j);
                json_array_append_new(list, j);
            }
            kept++;
        }
        json_array_append_new(per, json_pack("{s:O s:o}", "need", need, "suggestions", found));
        json_decref(res);
    }
    if (r) {
        json_decref(list);
        json_decref(per);
        json_decref(view);
        return r;
    }
    *out = json_pack("{sI s:s s:O s:s s:s? s:o s:o s:s}", "project", (json_int_t)pj.id, "title",
                     pj.title, "trl_now", trl_now, "territory", where, "note", note, "needs", per,
                     "suggestions", list, "method",
                     "for each need, open establishments of the programme's territory that the "
                     "search engine finds for its words and NAF code, best first; the project's "
                     "lead and partners left out; restricted-diffusion establishments never "
                     "shown");
    json_decref(view);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}
