/* timeline.c — everything about one establishment (and its company) that
 * the reader may see, newest first: interactions, contacts added,
 * follow-ups, documents, verdicts and notes on suggested pairs, and what
 * SIRENE updates changed. */
#include "firm/firm.h"
#include "history/history.h"

#define PARTNER_KEY "partner_siret" /* kept until partners_fill */

typedef struct tl {
    ml_db *db;
    const ml_actor *who;
    int64_t siret;
    const char *today;
    json_t *items;
    json_t *names; /* contact id (text) -> name, of the contacts the reader sees */
    bool failed;
} tl;

static int add(tl *t, const char *at, const char *kind, json_t *record)
{
    json_t *item = record ? json_pack("{s:s?, s:s}", "at", at, "kind", kind) : NULL;
    if (!item || json_object_update(item, record) || json_array_append_new(t->items, item)) {
        json_decref(item);
        t->failed = true;
    }
    json_decref(record);
    return t->failed;
}

static int contact_item(void *ud, const ml_contact_row *c)
{
    tl *t = ud;
    if (!ml_actor_may_read(t->who, c->org, c->author_id)) return 0;
    char key[24];
    ml_snprintf(key, sizeof key, "%lld", (long long)c->id);
    json_object_set_new(t->names, key, json_string(c->name ? c->name : ""));
    return add(t, c->created, "contact", hist_contact_json(c));
}

static int interaction_item(void *ud, const ml_interaction_row *i)
{
    tl *t = ud;
    if (!ml_actor_may_read(t->who, i->org, i->author_id)) return 0;
    json_t *j = hist_interaction_json(i);
    /* The linked contacts by name, those the reader sees. */
    json_t *named = json_array();
    size_t k;
    json_t *id;
    json_array_foreach(json_object_get(j, "contacts"), k, id)
    {
        char key[24];
        ml_snprintf(key, sizeof key, "%lld", (long long)json_integer_value(id));
        json_t *name = json_object_get(t->names, key);
        if (name) json_array_append_new(named, json_pack("{s:O, s:O}", "id", id, "name", name));
    }
    if (j) {
        json_object_set_new(j, "contacts", named);
        /* The item's kind is "interaction"; what it was becomes its type. */
        json_object_set(j, "type", json_object_get(j, "kind"));
        json_object_del(j, "kind");
    } else {
        json_decref(named);
    }
    return add(t, i->day, "interaction", j);
}

static int followup_item(void *ud, const ml_followup_row *f)
{
    tl *t = ud;
    if (!ml_actor_may_read(t->who, f->org, f->author_id)) return 0;
    return add(t, f->created, "followup", hist_followup_json(f, t->today));
}

static int document_item(void *ud, const ml_document_row *d)
{
    tl *t = ud;
    if (!ml_actor_may_read(t->who, d->org, d->author_id)) return 0;
    return add(t, d->created, "document", hist_document_json(d));
}

static int verdict_item(void *ud, const ml_verdict_by *b)
{
    tl *t = ud;
    const ml_verdict_row *v = &b->v;
    if (!ml_actor_may_read(t->who, b->org, b->author_id)) return 0;
    int64_t other = v->supplier == t->siret ? v->buyer : v->supplier;
    /* The partner is read once the rows are all read (partners_fill): a
     * backend may still be sending rows while this runs. */
    json_t *j =
        json_pack("{s:s, s:o, s:o, s:s?, s:s?, s:I, s:n, s:I}", "verdict", v->verdict, "supplier",
                  hist_siret_json(v->supplier), "buyer", hist_siret_json(v->buyer), "note", v->note,
                  "author", v->author, "org", (json_int_t)b->org, "partner", PARTNER_KEY,
                  (json_int_t)other);
    return add(t, v->at, strcmp(v->verdict, "note") == 0 ? "note" : "verdict", j);
}

/* Each verdict's and note's partner, as a brief record (null when it cannot
 * be shown). */
static void partners_fill(tl *t)
{
    size_t i;
    json_t *item;
    json_array_foreach(t->items, i, item)
    {
        json_t *other = json_object_get(item, PARTNER_KEY);
        if (!other) continue;
        json_t *partner = NULL;
        if (ml_etab_brief(t->db, json_integer_value(other), &partner) != ML_OK || !partner)
            partner = json_null();
        if (json_object_set_new(item, "partner", partner) || json_object_del(item, PARTNER_KEY))
            t->failed = true;
    }
}

static int change_item(void *ud, const char *change, const char *at, const char *insee_date)
{
    tl *t = ud;
    return add(t, at, "sirene",
               json_pack("{s:s, s:s?}", "change", change, "insee_date", insee_date));
}

static int newest_first(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    const char *ax = json_string_value(json_object_get(x, "at"));
    const char *ay = json_string_value(json_object_get(y, "at"));
    int c = strcmp(ay ? ay : "", ax ? ax : "");
    if (c) return c;
    c = strcmp(json_string_value(json_object_get(x, "kind")),
               json_string_value(json_object_get(y, "kind")));
    if (c) return c;
    json_int_t ix = json_integer_value(json_object_get(x, "id"));
    json_int_t iy = json_integer_value(json_object_get(y, "id"));
    return (iy > ix) - (iy < ix);
}

ml_err ml_timeline(ml_db *db, const ml_actor *who, const char *siret, json_t **out)
{
    *out = NULL;
    hist_firm f;
    ml_err r;
    if ((r = hist_may_read(db, who)) || (r = hist_firm_get(db, siret, false, &f))) return r;
    json_t *show = NULL;
    if ((r = ml_show(db, siret, &show))) return r;
    char today[11];
    hist_today(today);
    tl t = {.db = db,
            .who = who,
            .siret = f.siret,
            .today = today,
            .items = json_array(),
            .names = json_object()};
    ml_hist_query q = {.siret = f.siret, .siren = f.siren};
    if (!t.items || !t.names) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    /* Contacts first: interactions name them. */
    if ((r = db->be->contacts(db, &q, contact_item, &t)) ||
        (r = db->be->interactions(db, &q, interaction_item, &t)) ||
        (r = db->be->followups(db, &q, followup_item, &t)) ||
        (r = db->be->documents(db, &q, document_item, &t)) ||
        (r = db->be->verdict_rows(db, f.siret, verdict_item, &t)) ||
        (r = db->be->etab_changes(db, f.siret, change_item, &t)))
        goto out;
    partners_fill(&t);
    const char *created = json_string_value(json_object_get(show, "created"));
    if (created)
        add(&t, created, "sirene",
            json_pack("{s:s, s:s}", "change", "created", "insee_date", created));
    if (t.failed || ml_json_array_sort(t.items, newest_first)) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    *out = json_pack("{s:s, s:O, s:s, s:O}", "siret", f.text, "name",
                     json_object_get(show, "name") ? json_object_get(show, "name") : json_null(),
                     "order", "newest first", "items", t.items);
    if (!*out) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
out:
    json_decref(show);
    json_decref(t.items);
    json_decref(t.names);
    return r;
}
