/* pg_interim.c — interim ports of five JSON slots the matching commands
 * cannot run without (brief, verdicts, network_get, network_list,
 * profile_matches). They copy the SQLite backend's shapes, size-band labels
 * included, so that `match`, `links`, `group` and `network` answer on
 * PostgreSQL as on SQLite today; they go when the typed per-domain
 * interfaces of issue 10 replace these slots (the rules then live above the
 * backends, once). */
#include "store/pg_impl.h"

static const char *const geo_names[] = {"none", "insee_lambert", "geocoded", "commune_centre"};

static const struct {
    const char *code, *en, *fr;
} size_labels[] = {
    {"NN", "unknown headcount", "effectif inconnu"},
    {"00", "0 employees", "0 salarié"},
    {"01", "1-2 employees", "1 ou 2 salariés"},
    {"02", "3-5 employees", "3 à 5 salariés"},
    {"03", "6-9 employees", "6 à 9 salariés"},
    {"11", "10-19 employees", "10 à 19 salariés"},
    {"12", "20-49 employees", "20 à 49 salariés"},
    {"21", "50-99 employees", "50 à 99 salariés"},
    {"22", "100-199 employees", "100 à 199 salariés"},
    {"31", "200-249 employees", "200 à 249 salariés"},
    {"32", "250-499 employees", "250 à 499 salariés"},
    {"41", "500-999 employees", "500 à 999 salariés"},
    {"42", "1,000-1,999 employees", "1 000 à 1 999 salariés"},
    {"51", "2,000-4,999 employees", "2 000 à 4 999 salariés"},
    {"52", "5,000-9,999 employees", "5 000 à 9 999 salariés"},
    {"53", "10,000 employees or more", "10 000 salariés et plus"},
};

static json_t *size_json(const char *code)
{
    if (!code) code = "NN";
    for (size_t i = 0; i < ML_ARRAY_LEN(size_labels); i++)
        if (strcmp(size_labels[i].code, code) == 0)
            return json_pack("{s:s, s:s, s:s}", "code", code, "label", size_labels[i].en,
                             "label_fr", size_labels[i].fr);
    return json_pack("{s:s, s:n, s:n}", "code", code, "label", "label_fr");
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *text_json(PGresult *res, int col)
{
    const char *v = pg_text(res, col);
    return v ? json_string(v) : json_null();
}

/* Row i's column c, NULL for SQL NULL. */
static const char *cell(PGresult *res, int i, int c)
{
    return PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
}

static json_t *siret_json(int64_t siret)
{
    char b[16];
    ml_snprintf(b, sizeof b, "%014lld", (long long)siret);
    return json_string(b);
}

ml_err pg_brief(ml_db *db, int64_t siret, json_t **out)
{
    *out = NULL;
    char id[24];
    ml_snprintf(id, sizeof id, "%lld", (long long)siret);
    const char *p = id;
    PGresult *res;
    ml_err r = pg_query(
        db, "read establishment",
        "SELECT e.siret, e.state, e.size_band, e.head_office, e.sign, e.usual_name, e.address,"
        " e.postcode, e.city, e.commune, c.name, e.naf, n.label, e.lat, e.lon, e.geo,"
        " e.generated, u.name, u.category FROM etab e LEFT JOIN unite u ON u.siren = e.siren"
        " AND u.diffusion = 'O' LEFT JOIN naf n ON n.code = e.naf"
        " LEFT JOIN commune c ON c.code = e.commune WHERE e.siret = $1 AND e.diffusion = 'O'",
        1, &p, &res);
    if (r) return r;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return ML_OK;
    }
    const char *sign = pg_text(res, 4), *usual = pg_text(res, 5), *company = pg_text(res, 17);
    const char *shown = sign ? sign : usual ? usual : company;
    const char *state = pg_text(res, 1);
    json_t *o = json_object();
    json_object_set_new(o, "siret", siret_json(pg_i64(res, 0)));
    json_object_set_new(o, "name", str_or_null(shown));
    json_object_set_new(o, "company", str_or_null(company));
    json_object_set_new(o, "active", json_boolean(state && state[0] == 'A'));
    json_object_set_new(o, "head_office", json_boolean(pg_i64(res, 3)));
    json_object_set_new(o, "size", size_json(pg_text(res, 2)));
    json_object_set_new(o, "category", str_or_null(pg_text(res, 18)));
    json_object_set_new(
        o, "activity",
        json_pack("{s:o, s:o}", "code", text_json(res, 11), "label", text_json(res, 12)));
    json_object_set_new(o, "address", str_or_null(pg_text(res, 6)));
    json_object_set_new(o, "postcode", str_or_null(pg_text(res, 7)));
    json_object_set_new(
        o, "commune",
        json_pack("{s:o, s:o}", "code", text_json(res, 9), "name", text_json(res, 10)));
    int64_t geo = pg_i64(res, 15);
    json_object_set_new(o, "position",
                        geo ? json_pack("{s:f, s:f, s:s}", "lat", pg_f64(res, 13), "lon",
                                        pg_f64(res, 14), "source", geo_names[geo & 3])
                            : json_null());
    json_object_set_new(o, "generated", json_boolean(pg_i64(res, 16)));
    PQclear(res);
    *out = o;
    return ML_OK;
}

/* The latest accept/reject of each pair involving `siret`, plus every note. */
ml_err pg_verdicts(ml_db *db, int64_t siret, json_t **out)
{
    *out = NULL;
    char id[24];
    ml_snprintf(id, sizeof id, "%lld", (long long)siret);
    const char *p = id;
    PGresult *res;
    ml_err r = pg_query(
        db, "read verdicts",
        "SELECT v.supplier, v.buyer, v.verdict, v.note, v.author, v.at FROM verdict v"
        " WHERE (v.supplier = $1 OR v.buyer = $1) AND (v.verdict = 'note' OR v.id ="
        " (SELECT max(w.id) FROM verdict w WHERE w.supplier = v.supplier AND w.buyer = v.buyer"
        " AND w.verdict <> 'note')) ORDER BY v.id",
        1, &p, &res);
    if (r) return r;
    json_t *list = json_array();
    for (int i = 0; i < PQntuples(res); i++) {
        json_array_append_new(
            list, json_pack("{s:o, s:o, s:s, s:o, s:o, s:o}", "supplier",
                            siret_json(strtoll(PQgetvalue(res, i, 0), NULL, 10)), "buyer",
                            siret_json(strtoll(PQgetvalue(res, i, 1), NULL, 10)), "verdict",
                            PQgetvalue(res, i, 2), "note", str_or_null(cell(res, i, 3)), "author",
                            str_or_null(cell(res, i, 4)), "at", str_or_null(cell(res, i, 5))));
    }
    PQclear(res);
    *out = list;
    return ML_OK;
}

/* {"name", "created", "members": ["siret"...]} or ML_NOTFOUND. */
ml_err pg_network_get(ml_db *db, const char *name, json_t **out)
{
    *out = NULL;
    PGresult *res;
    ml_err r = pg_query(db, "read network",
                        "SELECT n.created, m.siret FROM network n LEFT JOIN network_member m"
                        " ON m.network = n.id WHERE n.name = $1 ORDER BY m.siret",
                        1, &name, &res);
    if (r) return r;
    int n = PQntuples(res);
    if (n == 0) {
        PQclear(res);
        return ml_fail(db->ctx, ML_NOTFOUND, "no network named '%s' (see `maillage group list`)",
                       name);
    }
    json_t *members = json_array();
    for (int i = 0; i < n; i++)
        if (!PQgetisnull(res, i, 1))
            json_array_append_new(members, siret_json(strtoll(PQgetvalue(res, i, 1), NULL, 10)));
    json_t *o = json_pack("{s:s, s:o, s:o}", "name", name, "created", str_or_null(cell(res, 0, 0)),
                          "members", members);
    PQclear(res);
    *out = o;
    return ML_OK;
}

ml_err pg_network_list(ml_db *db, json_t **out)
{
    *out = NULL;
    PGresult *res;
    ml_err r = pg_query(db, "read networks",
                        "SELECT n.name, n.created, count(m.siret) FROM network n"
                        " LEFT JOIN network_member m ON m.network = n.id GROUP BY n.id"
                        " ORDER BY n.name COLLATE \"C\"",
                        0, NULL, &res);
    if (r) return r;
    json_t *list = json_array();
    for (int i = 0; i < PQntuples(res); i++)
        json_array_append_new(list,
                              json_pack("{s:s, s:o, s:I}", "name", PQgetvalue(res, i, 0), "created",
                                        str_or_null(cell(res, i, 1)), "members",
                                        (json_int_t)strtoll(PQgetvalue(res, i, 2), NULL, 10)));
    PQclear(res);
    *out = list;
    return ML_OK;
}

/* Profiles cannot be imported on PostgreSQL yet: with none in the database
 * the true answer is an empty list; with some (written by a later version,
 * or by hand) the similarity is not computed here, and that is said. */
ml_err pg_profile_matches(ml_db *db, int64_t siret, bool customers, json_t **out)
{
    (void)siret, (void)customers;
    *out = NULL;
    PGresult *res;
    ml_err r =
        pg_query(db, "read profiles", "SELECT EXISTS (SELECT 1 FROM profile)", 0, NULL, &res);
    if (r) return r;
    bool any = PQntuples(res) && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (any) return pg_unavailable(db, "profile similarity");
    *out = json_array();
    return ML_OK;
}
