/* gdpr.c — a person's rights over the contacts maillage holds (docs/
 * privacy.md): export everything held on one person, erase it (leaving an
 * anonymised trace that something was erased, when and by whom), and list
 * the contacts kept past the retention period for review. An admin acts
 * over the records its organisations may read. */
#include <time.h>

#include "history/history.h"

typedef struct person {
    const ml_actor *who;
    json_t *contacts;
    bool failed;
} person;

static int person_row(void *ud, const ml_contact_row *c)
{
    person *p = ud;
    if (!ml_actor_may_read(p->who, c->org, c->author_id)) return 0;
    json_t *j = hist_contact_json(c);
    if (!j || json_array_append_new(p->contacts, j)) p->failed = true;
    return p->failed;
}

/* The contacts `who` may read that stand for `key`: an email address (any
 * case) or a contact id. */
static ml_err find_person(ml_db *db, const ml_actor *who, const char *key, json_t **out)
{
    *out = NULL;
    ml_err r = hist_text(db, "person", key, 254, false, true);
    if (r) return r;
    ml_hist_query q = {0};
    char email[256];
    size_t n = strlen(key);
    if (strspn(key, "0123456789") == n) {
        if (ml_parse_i64(key, n, 1, INT64_MAX, &q.id) != 0)
            return ml_fail(db->ctx, ML_INVALID, "'%.40s' is not a contact id", key);
    } else if (strchr(key, '@')) {
        ml_snprintf(email, sizeof email, "%s", key);
        for (char *c = email; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        q.email = email;
    } else {
        return ml_fail(db->ctx, ML_INVALID,
                       "'%.60s': give the person's email address or a contact id", key);
    }
    person p = {.who = who, .contacts = json_array()};
    r = p.contacts ? db->be->contacts(db, &q, person_row, &p) : ML_NOMEM;
    if (r == ML_NOMEM || p.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r && json_array_size(p.contacts) == 0)
        r = ml_fail(db->ctx, ML_NOTFOUND, "no contact held for '%.60s'", key);
    if (r) {
        json_decref(p.contacts);
        return r;
    }
    *out = p.contacts;
    return ML_OK;
}

static int linked_row(void *ud, const ml_interaction_row *i)
{
    person *p = ud;
    if (!ml_actor_may_read(p->who, i->org, i->author_id)) return 0;
    json_t *j = hist_interaction_json(i);
    if (!j || json_array_append_new(p->contacts, j)) p->failed = true;
    return p->failed;
}

static void now_utc(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

ml_err ml_gdpr_export(ml_db *db, const ml_actor *who, const char *key, json_t **out)
{
    *out = NULL;
    json_t *contacts = NULL;
    ml_err r;
    if ((r = hist_may_admin(db, who)) || (r = find_person(db, who, key, &contacts))) return r;
    person linked = {.who = who, .contacts = json_array()};
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c)
    {
        ml_hist_query q = {.contact = json_integer_value(json_object_get(c, "id"))};
        if (!r) r = db->be->interactions(db, &q, linked_row, &linked);
    }
    if (!r && (linked.failed || !linked.contacts)) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        json_decref(contacts);
        json_decref(linked.contacts);
        return r;
    }
    char now[21];
    now_utc(now);
    *out = json_pack(
        "{s:s, s:s, s:s, s:o, s:o, s:s}", "person", key, "exported_at", now, "purpose",
        "following up firms of the territory (docs/privacy.md, register of processing)", "contacts",
        contacts, "interactions", linked.contacts, "note",
        "Everything maillage holds on this person in the records of the organisations this "
        "account may read: the contact details, and the interactions they are linked to "
        "(their notes may mention the person).");
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

typedef struct count {
    int64_t n;
} count;

static int count_row(void *ud, const ml_interaction_row *i)
{
    (void)i;
    ((count *)ud)->n++;
    return 0;
}

ml_err ml_gdpr_erase(ml_db *db, const ml_actor *who, const char *key, json_t **out)
{
    *out = NULL;
    json_t *contacts = NULL;
    ml_err r;
    if ((r = hist_may_admin(db, who)) || (r = find_person(db, who, key, &contacts))) return r;
    json_t *ids = json_array();
    int64_t links = 0;
    if (!ids || (r = db->be->begin(db))) {
        json_decref(contacts);
        json_decref(ids);
        return r ? r : ml_fail(db->ctx, ML_NOMEM, "out of memory");
    }
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c)
    {
        int64_t id = json_integer_value(json_object_get(c, "id"));
        const char *firm = json_string_value(json_object_get(c, "siret"));
        if (!firm) firm = json_string_value(json_object_get(c, "siren"));
        ml_hist_query q = {.contact = id};
        count k = {0};
        char what[200];
        if ((r = db->be->interactions(db, &q, count_row, &k))) break;
        links += k.n;
        /* The trace names no person: which record, of which firm, what was done. */
        ml_snprintf(what, sizeof what,
                    "contact %lld of %s erased on request (%lld interaction link%s removed)",
                    (long long)id, firm ? firm : "?", (long long)k.n, k.n == 1 ? "" : "s");
        if ((r = db->be->contact_delete(db, id)) ||
            (r = db->be->erasure_put(db, who->org, who->user, who->name, what)))
            break;
        json_array_append_new(ids, json_integer((json_int_t)id));
    }
    json_decref(contacts);
    if (!r) r = db->be->commit(db);
    if (r) {
        db->be->rollback(db);
        json_decref(ids);
        return r;
    }
    char now[21];
    now_utc(now);
    *out = json_pack("{s:s, s:I, s:o, s:I, s:s}", "erased_at", now, "erased",
                     (json_int_t)json_array_size(ids), "contacts", ids, "links_removed",
                     (json_int_t)links, "trace",
                     "an anonymised trace of each erasure is kept (which record, when, by whom)");
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_gdpr_review(ml_db *db, const ml_actor *who, json_t **out)
{
    *out = NULL;
    ml_err r;
    int64_t months;
    if ((r = hist_may_admin(db, who)) ||
        (r = hist_setting_int(db, "history_retention_months", HIST_RETENTION_MONTHS, &months)))
        return r;
    char before[11];
    hist_months_ago((int)months, before);
    person p = {.who = who, .contacts = json_array()};
    ml_hist_query q = {.before = before};
    r = p.contacts ? db->be->contacts(db, &q, person_row, &p) : ML_NOMEM;
    if (r == ML_NOMEM || p.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        json_decref(p.contacts);
        return r;
    }
    *out = json_pack("{s:I, s:s, s:o}", "retention_months", (json_int_t)months, "not_updated_since",
                     before, "contacts", p.contacts);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

typedef struct trace_list {
    const ml_actor *who;
    json_t *list;
    bool failed;
} trace_list;

static int trace_row(void *ud, int64_t id, const char *at, int64_t org, int64_t author_id,
                     const char *author, const char *what)
{
    trace_list *t = ud;
    /* An organisation's admins see the erasures it made. */
    if (!ml_actor_may_read(t->who, org, author_id)) return 0;
    json_t *j = json_pack("{s:I, s:s?, s:I, s:s?, s:s?}", "id", (json_int_t)id, "at", at, "org",
                          (json_int_t)org, "by", author, "what", what);
    if (!j || json_array_append_new(t->list, j)) t->failed = true;
    return t->failed;
}

ml_err ml_gdpr_erasures(ml_db *db, const ml_actor *who, json_t **out)
{
    *out = NULL;
    ml_err r = hist_may_admin(db, who);
    if (r) return r;
    trace_list t = {.who = who, .list = json_array()};
    r = t.list ? db->be->erasures(db, trace_row, &t) : ML_NOMEM;
    if (r == ML_NOMEM || t.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        json_decref(t.list);
        return r;
    }
    *out = json_pack("{s:o}", "erasures", t.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}
