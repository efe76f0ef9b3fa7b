/* stored.c — verdicts, networks and profiles as the matching code reads
 * them: the backend's typed rows (store.h) turned into the JSON records the
 * reports carry. */
#include "match/match.h"
#include "store/store.h"

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *siret_json(int64_t siret)
{
    char b[ML_SIRET_SIZE];
    return json_string(ml_siret_format(siret, b));
}

static int verdict_row(void *ud, const ml_verdict_row *v)
{
    return json_array_append_new(
        ud, json_pack("{s:o, s:o, s:s, s:o, s:o, s:o}", "supplier", siret_json(v->supplier),
                      "buyer", siret_json(v->buyer), "verdict", v->verdict, "note",
                      str_or_null(v->note), "author", str_or_null(v->author), "at",
                      str_or_null(v->at)));
}

ml_err ml_verdicts_json(ml_db *db, int64_t siret, json_t **out)
{
    json_t *list = json_array();
    ml_err r = list ? db->be->verdicts(db, siret, verdict_row, list)
                    : ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) json_decref(list);
    *out = r ? NULL : list;
    return r;
}

static int member_row(void *ud, int64_t siret)
{
    return json_array_append_new(ud, siret_json(siret));
}

ml_err ml_network_json(ml_db *db, const char *name, json_t **out)
{
    char created[32] = "";
    json_t *members = json_array();
    *out = NULL;
    if (!members) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r = db->be->network_get(db, name, created, sizeof created, member_row, members);
    if (r == ML_NOTFOUND)
        r = ml_fail(db->ctx, ML_NOTFOUND, "no network named '%s' (see `maillage group list`)",
                    name);
    if (!r && !(*out = json_pack("{s:s, s:o, s:o}", "name", name, "created",
                                 str_or_null(created), "members", members)))
        return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) json_decref(members);
    return r;
}

static int network_row(void *ud, const char *name, const char *created, int64_t members)
{
    return json_array_append_new(ud, json_pack("{s:s, s:o, s:I}", "name", name, "created",
                                               str_or_null(created), "members",
                                               (json_int_t)members));
}

ml_err ml_network_list(ml_db *db, json_t **out)
{
    json_t *list = json_array();
    ml_err r = list ? db->be->network_list(db, network_row, list)
                    : ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) json_decref(list);
    *out = r ? NULL : list;
    return r;
}

static int profile_row(void *ud, int64_t siret, const char *stems, const char *offers,
                       const char *needs)
{
    char key[ML_SIRET_SIZE];
    ml_siret_format(siret, key);
    return json_object_set_new(ud, key,
                               json_pack("{s:s, s:o, s:o}", "words", stems ? stems : "", "offers",
                                         str_or_null(offers), "needs", str_or_null(needs)));
}

ml_err ml_profile_texts_json(ml_db *db, json_t **out)
{
    json_t *o = json_object();
    ml_err r = o ? db->be->profile_texts(db, profile_row, o)
                 : ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) json_decref(o);
    *out = r ? NULL : o;
    return r;
}
