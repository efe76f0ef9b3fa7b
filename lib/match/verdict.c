/* verdict.c — what people say of suggested pairs: accept, reject, note, and
 * withdraw (undo the pair's accept or reject; the history stays). */
#include "firm/firm.h"
#include "match/match.h"
#include "store/store.h"

static ml_err check_siret(ml_db *db, const char *what, const char *s, int64_t *out)
{
    if (!s || ml_siret_parse(s, strlen(s), out) != ML_ID_OK)
        return ml_fail(db->ctx, ML_INVALID, "%s '%.20s%s' is not a valid SIRET", what, s ? s : "",
                       s && strlen(s) > 20 ? "…" : "");
    return ML_OK;
}

ml_err ml_verdict_add(ml_db *db, const char *supplier, const char *buyer, const char *verdict,
                      const char *note, const char *author)
{
    ml_actor local = {.role = ML_ROLE_OFFICER, .name = author};
    return ml_verdict_add_as(db, &local, supplier, buyer, verdict, note, author);
}

/* The organisation and user id are kept with the verdict (issue 11): the
 * firm's timeline shows it to those who may read that organisation's. */
ml_err ml_verdict_add_as(ml_db *db, const ml_actor *who, const char *supplier, const char *buyer,
                         const char *verdict, const char *note, const char *author)
{
    int64_t sup, buy;
    ml_err r;
    if (!who || who->role < ML_ROLE_OFFICER)
        return ml_fail(db->ctx, ML_INVALID, "a verdict needs the role 'officer'");
    if (!author) author = who->name;
    if ((r = check_siret(db, "supplier", supplier, &sup)) ||
        (r = check_siret(db, "buyer", buyer, &buy)))
        return r;
    if (sup == buy)
        return ml_fail(db->ctx, ML_INVALID, "a pair needs two different establishments");
    if (!verdict || (strcmp(verdict, "accept") && strcmp(verdict, "reject") &&
                     strcmp(verdict, "note") && strcmp(verdict, "withdraw")))
        return ml_fail(db->ctx, ML_INVALID, "verdict must be accept, reject, note or withdraw");
    if (strcmp(verdict, "note") == 0 && (!note || !*note))
        return ml_fail(db->ctx, ML_INVALID, "a note needs its text (--note TEXT)");
    if ((note && strlen(note) > 4000) || (author && strlen(author) > 200))
        return ml_fail(db->ctx, ML_LIMIT, "note (4000) or author (200 characters) too long");
    if ((note && !ml_utf8_valid(note, strlen(note))) ||
        (author && !ml_utf8_valid(author, strlen(author))))
        return ml_fail(db->ctx, ML_INVALID, "note and author must be UTF-8 text");
    /* Both must be establishments maillage may show. */
    const char *both[2] = {supplier, buyer};
    for (int i = 0; i < 2; i++) {
        json_t *o = NULL;
        r = ml_show(db, both[i], &o);
        json_decref(o);
        if (r) return r;
    }
    ml_verdict_by v = {{sup, buy, verdict, note, author, NULL}, who->org, who->user};
    return db->be->verdict_put_by(db, &v);
}

ml_err ml_links(ml_db *db, const char *siret, json_t **out)
{
    static const ml_actor local = {.role = ML_ROLE_OFFICER, .name = "local"};
    return ml_links_as(db, &local, siret, out);
}

/* Every verdict of an establishment that `who` may read, oldest first, as
 * the JSON records of ml_verdicts_json. */
typedef struct visible_verdicts {
    const ml_actor *who;
    json_t *list;
} visible_verdicts;

static int visible_row(void *ud, const ml_verdict_by *b)
{
    visible_verdicts *c = ud;
    const ml_verdict_row *v = &b->v;
    if (!ml_actor_may_read(c->who, b->org, b->author_id)) return 0;
    char sup[ML_SIRET_SIZE], buy[ML_SIRET_SIZE];
    return json_array_append_new(
        c->list, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?}", "supplier",
                           ml_siret_format(v->supplier, sup), "buyer",
                           ml_siret_format(v->buyer, buy), "verdict", v->verdict, "note",
                           v->note && *v->note ? v->note : NULL, "author",
                           v->author && *v->author ? v->author : NULL, "at", v->at));
}

/* The latest accept, reject or withdraw of each pair, and every note, among
 * the verdicts `who` may read (issue 11: another organisation's verdicts and
 * notes are not shown). */
static ml_err visible_verdicts_json(ml_db *db, const ml_actor *who, int64_t id, json_t **out)
{
    visible_verdicts c = {who, json_array()};
    json_t *latest = json_object(), *kept = json_array();
    ml_err r = c.list && latest && kept ? db->be->verdict_rows(db, id, visible_row, &c) : ML_NOMEM;
    size_t i;
    json_t *v;
    char key[40];
    /* The last non-note verdict of each pair (rows come oldest first). */
    json_array_foreach(r ? NULL : c.list, i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "verdict")), "note") == 0) continue;
        ml_snprintf(key, sizeof key, "%s>%s", json_string_value(json_object_get(v, "supplier")),
                    json_string_value(json_object_get(v, "buyer")));
        json_object_set_new(latest, key, json_integer((json_int_t)i));
    }
    json_array_foreach(r ? NULL : c.list, i, v)
    {
        ml_snprintf(key, sizeof key, "%s>%s", json_string_value(json_object_get(v, "supplier")),
                    json_string_value(json_object_get(v, "buyer")));
        bool note = strcmp(json_string_value(json_object_get(v, "verdict")), "note") == 0;
        if (note || (size_t)json_integer_value(json_object_get(latest, key)) == i)
            json_array_append(kept, v);
    }
    json_decref(latest);
    json_decref(c.list);
    if (r) {
        json_decref(kept);
        return r == ML_NOMEM ? ml_fail(db->ctx, ML_NOMEM, "out of memory") : r;
    }
    *out = kept;
    return ML_OK;
}

ml_err ml_links_as(ml_db *db, const ml_actor *who, const char *siret, json_t **out)
{
    *out = NULL;
    int64_t id;
    ml_err r = check_siret(db, "establishment", siret, &id);
    if (r) return r;
    json_t *all = NULL;
    if ((r = visible_verdicts_json(db, who, id, &all))) return r;
    ml_json_build jb = {0};
    json_t *o =
        ml_json_pack(&jb, "{s:s, s:[], s:[], s:[]}", "siret", siret, "links", "rejected", "notes");
    if (!o) {
        json_decref(all);
        return ml_json_done(db->ctx, &jb);
    }
    size_t i;
    json_t *v;
    json_array_foreach(all, i, v)
    {
        const char *verdict = json_string_value(json_object_get(v, "verdict"));
        if (strcmp(verdict, "withdraw") == 0) continue; /* the pair has no verdict any more */
        const char *key = strcmp(verdict, "accept") == 0   ? "links"
                          : strcmp(verdict, "reject") == 0 ? "rejected"
                                                           : "notes";
        /* Name the other side when it may be shown. */
        const char *other = json_string_value(json_object_get(
            v, strcmp(json_string_value(json_object_get(v, "supplier")), siret) ? "supplier"
                                                                                : "buyer"));
        int64_t oid = 0;
        ml_siret_digits(other, strlen(other), &oid);
        json_t *brief = NULL;
        if (ml_etab_brief(db, oid, &brief) == ML_OK && brief)
            json_object_set_new(v, "partner", brief);
        json_array_append(json_object_get(o, key), v);
    }
    json_decref(all);
    *out = o;
    return ML_OK;
}
