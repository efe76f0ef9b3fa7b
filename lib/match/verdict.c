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
    *out = NULL;
    int64_t id;
    ml_err r = check_siret(db, "establishment", siret, &id);
    if (r) return r;
    json_t *all = NULL;
    if ((r = ml_verdicts_json(db, id, &all))) return r;
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
