/* needs.c — the needs grid of a territory or a firm (issue 12 part 6): what
 * a programme team judges it needs, need by need (skills and recruitment,
 * land and premises, ...), as a level and a note, dated and signed by its
 * author for an organisation. Every level set is kept (the history); a need's
 * level is the latest one its reader may read: the writer's organisation and
 * those sharing a workspace with it (ml_actor_may_read, lib/privacy/actor.c). */
#include <stdlib.h>
#include <string.h>

#include "territory/territory.h"

/* The needs, in the grid's order. */
static const struct {
    const char *code, *fr, *en;
} needs[] = {
    {"skills", "Compétences et recrutement", "Skills and recruitment"},
    {"land", "Foncier et immobilier", "Land and premises"},
    {"accessibility", "Accessibilité", "Accessibility"},
    {"ecosystem", "Écosystème et fournisseurs", "Ecosystem and suppliers"},
    {"innovation", "Innovation", "Innovation"},
    {"digital", "Transition numérique", "Digital transition"},
    {"ecological", "Transition écologique et énergétique", "Ecological and energy transition"},
    {"finance", "Financement", "Finance"},
    {"export", "Export", "Export"},
};
static const char *const levels[] = {"none", "low", "medium", "high", "critical"};

#define NOTE_MAX 4000 /* bytes of a note */

static int need_index(const char *code)
{
    for (size_t i = 0; code && i < ML_ARRAY_LEN(needs); i++)
        if (strcmp(needs[i].code, code) == 0) return (int)i;
    return -1;
}

static bool level_ok(const char *level)
{
    for (size_t i = 0; level && i < ML_ARRAY_LEN(levels); i++)
        if (strcmp(levels[i], level) == 0) return true;
    return false;
}

/* What a subject names: a firm (an establishment's SIRET) or a territory
 * code; key is what the store files it under ("firm:SIRET", "epci:CODE"). */
typedef struct subject {
    char key[64];
    json_t *json; /* {kind, code, name} */
} subject;

static ml_err subject_resolve(ml_db *db, const char *text, subject *s)
{
    memset(s, 0, sizeof *s);
    size_t n = text ? strlen(text) : 0;
    if (n == ML_SIRET_DIGITS && strspn(text, "0123456789") == n) {
        int64_t siret;
        if (ml_siret_parse(text, n, &siret) != ML_ID_OK)
            return ml_fail(ml_db_ctx(db), ML_INVALID,
                           "'%s' is not a valid SIRET (14 digits with a valid checksum)", text);
        json_t *j = NULL;
        ml_err r = ml_show(db, text, &j);
        if (r == ML_PRIVATE)
            return ml_fail(ml_db_ctx(db), ML_PRIVATE,
                           "%s has restricted diffusion (statut P): maillage records nothing "
                           "about it",
                           text);
        if (r) return r;
        const char *name = json_string_value(json_object_get(j, "name"));
        s->json = json_pack("{s:s, s:s, s:s?}", "kind", "firm", "code", text, "name", name);
        json_decref(j);
        ml_snprintf(s->key, sizeof s->key, "firm:%s", text);
    } else {
        ml_place p;
        ml_err r = ml_place_resolve(db, text ? text : "", &p);
        if (r) return r;
        s->json = ml_place_json(&p);
        ml_snprintf(s->key, sizeof s->key, "%s:%s",
                    json_string_value(json_object_get(s->json, "kind")), p.code);
    }
    return s->json ? ML_OK : ml_fail(ml_db_ctx(db), ML_NOMEM, "out of memory");
}

static ml_err need_role(ml_db *db, const ml_actor *who, ml_role role, const char *what)
{
    if (who && who->role >= role) return ML_OK;
    return ml_fail(ml_db_ctx(db), ML_INVALID, "%s needs the role '%s' (this account is '%s')",
                   what, ml_role_name(role), ml_role_name(who ? who->role : ML_ROLE_NONE));
}

typedef struct collect {
    const ml_actor *who;
    json_t *history; /* visible rows, oldest first */
    json_t *latest[ML_ARRAY_LEN(needs)];
    bool failed;
} collect;

static int need_row(void *ud, const ml_need_row *n)
{
    collect *c = ud;
    if (!ml_actor_may_read(c->who, n->org, n->author_id)) return 0;
    int k = need_index(n->need);
    if (k < 0) return 0; /* a need this version does not know */
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:I, s:s?}", "id",
                          (json_int_t)n->id, "need", n->need, "label_fr", needs[k].fr, "label_en",
                          needs[k].en, "level", n->level, "note", n->note, "author", n->author,
                          "org", (json_int_t)n->org, "created", n->created);
    if (!o || json_array_append(c->history, o)) {
        json_decref(o);
        return c->failed = true, 1;
    }
    json_decref(c->latest[k]);
    c->latest[k] = o; /* the history's reference is kept too */
    return 0;
}

static json_t *or_null(json_t *v)
{
    return v ? v : json_null();
}

/* The grid as `who` may read it. Takes s->json. */
static ml_err grid(ml_db *db, const ml_actor *who, subject *s, json_t **out)
{
    collect c = {.who = who, .history = json_array()};
    ml_err r = c.history ? db->be->needs(db, s->key, need_row, &c)
                         : ml_fail(ml_db_ctx(db), ML_NOMEM, "out of memory");
    if (!r && c.failed) r = ml_fail(ml_db_ctx(db), ML_NOMEM, "out of memory");
    json_t *list = r ? NULL : json_array();
    for (size_t k = 0; !r && k < ML_ARRAY_LEN(needs); k++) {
        json_t *o = c.latest[k]
                        ? json_pack("{s:s, s:s, s:s, s:O, s:O, s:O, s:O, s:O, s:O}", "need",
                                    needs[k].code, "label_fr", needs[k].fr, "label_en",
                                    needs[k].en, "level", json_object_get(c.latest[k], "level"),
                                    "note", or_null(json_object_get(c.latest[k], "note")),
                                    "author", or_null(json_object_get(c.latest[k], "author")),
                                    "org", json_object_get(c.latest[k], "org"), "created",
                                    or_null(json_object_get(c.latest[k], "created")), "id",
                                    json_object_get(c.latest[k], "id"))
                        : json_pack("{s:s, s:s, s:s, s:n}", "need", needs[k].code, "label_fr",
                                    needs[k].fr, "label_en", needs[k].en, "level");
        if (!o || json_array_append_new(list, o)) r = ml_fail(ml_db_ctx(db), ML_NOMEM, "out of memory");
    }
    for (size_t k = 0; k < ML_ARRAY_LEN(needs); k++) json_decref(c.latest[k]);
    if (!r) {
        /* The history newest first. */
        json_t *newest = json_array();
        for (size_t i = json_array_size(c.history); newest && i > 0; i--)
            json_array_append(newest, json_array_get(c.history, i - 1));
        *out = newest ? json_pack("{s:o, s:o, s:o, s:[sssss]}", "subject", s->json, "needs", list,
                                  "history", newest, "levels", "none", "low", "medium", "high",
                                  "critical")
                      : NULL;
        s->json = NULL;
        if (!*out) r = ml_fail(ml_db_ctx(db), ML_NOMEM, "out of memory");
    } else {
        json_decref(list);
    }
    json_decref(c.history);
    return r;
}

ml_err ml_needs_set(ml_db *db, const ml_actor *who, const char *subject_text, const char *need,
                   const char *level, const char *note, json_t **out)
{
    *out = NULL;
    ml_ctx *ctx = ml_db_ctx(db);
    ml_err r = need_role(db, who, ML_ROLE_OFFICER, "setting a need");
    if (r) return r;
    if (need_index(need) < 0)
        return ml_fail(ctx, ML_INVALID,
                       "need '%.40s': expected skills, land, accessibility, ecosystem, "
                       "innovation, digital, ecological, finance or export",
                       need ? need : "");
    if (!level_ok(level))
        return ml_fail(ctx, ML_INVALID,
                       "level '%.40s': expected none, low, medium, high or critical",
                       level ? level : "");
    if (note && *note) {
        size_t n = strlen(note);
        if (n > NOTE_MAX)
            return ml_fail(ctx, ML_LIMIT, "note: at most %d bytes (not %zu)", NOTE_MAX, n);
        if (!ml_utf8_valid(note, n)) return ml_fail(ctx, ML_INVALID, "note must be UTF-8 text");
        for (const unsigned char *p = (const unsigned char *)note; *p; p++)
            if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
                return ml_fail(ctx, ML_INVALID, "note holds a control character (byte %zu)",
                               (size_t)(p - (const unsigned char *)note) + 1);
    }
    subject s;
    if ((r = subject_resolve(db, subject_text, &s))) return r;
    ml_need_row row = {.subject = s.key,
                       .need = need,
                       .level = level,
                       .note = note,
                       .org = who->org,
                       .author_id = who->user,
                       .author = who->name};
    r = db->be->need_put(db, &row);
    if (!r) r = grid(db, who, &s, out);
    json_decref(s.json);
    return r;
}

ml_err ml_needs_show(ml_db *db, const ml_actor *who, const char *subject_text, json_t **out)
{
    *out = NULL;
    ml_err r = need_role(db, who, ML_ROLE_GUEST, "reading needs");
    if (r) return r;
    subject s;
    if ((r = subject_resolve(db, subject_text, &s))) return r;
    r = grid(db, who, &s, out);
    json_decref(s.json);
    return r;
}
