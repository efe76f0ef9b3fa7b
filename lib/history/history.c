/* history.c — a firm's shared history (issue 11): who may write and read
 * (the visibility rule itself is lib/privacy/actor.c), contacts, interactions and
 * follow-ups, and the settings. Documents are in documents.c, the timeline
 * in timeline.c, personal data requests in gdpr.c. */
#include <time.h>

#include "firm/firm.h"
#include "history/history.h"

/* ------------------------------------------------------------------- rules */

static const char *role_name(ml_role r)
{
    static const char *const names[] = {"none", "guest", "viewer", "officer", "admin"};
    return (unsigned)r < 5 ? names[r] : "admin";
}

static ml_err need(ml_db *db, const ml_actor *who, ml_role role, const char *what)
{
    if (who && who->role >= role) return ML_OK;
    return ml_fail(db->ctx, ML_INVALID, "%s needs the role '%s' (this account is '%s')", what,
                   role_name(role), role_name(who ? who->role : ML_ROLE_NONE));
}

ml_err hist_may_read(ml_db *db, const ml_actor *who)
{
    return need(db, who, ML_ROLE_GUEST, "reading a firm's history");
}

ml_err hist_may_write(ml_db *db, const ml_actor *who)
{
    return need(db, who, ML_ROLE_OFFICER, "writing to a firm's history");
}

ml_err hist_may_admin(ml_db *db, const ml_actor *who)
{
    return need(db, who, ML_ROLE_ADMIN, "a request on personal data");
}

ml_err hist_firm_get(ml_db *db, const char *firm, bool company, hist_firm *f)
{
    memset(f, 0, sizeof *f);
    size_t n = firm ? strlen(firm) : 0;
    json_t *j = NULL;
    ml_err r;
    if (n == ML_SIREN_DIGITS && company) {
        if (ml_siren_parse(firm, n, &f->siren) != ML_ID_OK)
            return ml_fail(db->ctx, ML_INVALID,
                           "'%s' is not a valid SIREN (9 digits with a valid checksum)", firm);
        r = ml_company(db, firm, &j);
    } else {
        if (ml_siret_parse(firm, n, &f->siret) != ML_ID_OK)
            return ml_fail(db->ctx, ML_INVALID,
                           company ? "'%.20s' is not a valid SIRET or SIREN (14 or 9 digits "
                                     "with a valid checksum)"
                                   : "'%.20s' is not a valid SIRET (14 digits with a valid "
                                     "checksum)",
                           firm ? firm : "");
        f->siren = ml_siret_siren(f->siret);
        r = ml_show(db, firm, &j);
    }
    json_decref(j);
    if (r == ML_PRIVATE)
        return ml_fail(db->ctx, ML_PRIVATE,
                       "%s %s has restricted diffusion (statut P): maillage keeps no contact, "
                       "note, follow-up or document about it and shows no history of it",
                       f->siret ? "SIRET" : "SIREN", firm);
    if (r) return r;
    ml_snprintf(f->text, sizeof f->text, "%s", firm);
    return ML_OK;
}

ml_err hist_text(ml_db *db, const char *field, const char *v, size_t max, bool multiline,
                 bool required)
{
    if (!v || !*v) {
        if (required) return ml_fail(db->ctx, ML_INVALID, "%s is required", field);
        return ML_OK;
    }
    size_t n = strlen(v);
    if (n > max)
        return ml_fail(db->ctx, ML_LIMIT, "%s: at most %zu bytes (not %zu)", field, max, n);
    if (!ml_utf8_valid(v, n)) return ml_fail(db->ctx, ML_INVALID, "%s must be UTF-8 text", field);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t' || *p == '\r'))) || *p == 0x7f)
            return ml_fail(db->ctx, ML_INVALID, "%s holds a control character (byte %zu)", field,
                           (size_t)(p - (const unsigned char *)v) + 1);
    return ML_OK;
}

ml_err hist_date(ml_db *db, const char *field, const char *v)
{
    int64_t y, m, d;
    if (v && strlen(v) == 10 && v[4] == '-' && v[7] == '-' &&
        ml_parse_i64(v, 4, 1900, 2200, &y) == 0 && ml_parse_i64(v + 5, 2, 1, 12, &m) == 0 &&
        ml_parse_i64(v + 8, 2, 1, 31, &d) == 0) {
        static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (d <= days[m - 1] && !(m == 2 && d == 29 && !leap)) return ML_OK;
    }
    return ml_fail(db->ctx, ML_INVALID, "%s: '%.20s' is not a date (YYYY-MM-DD)", field,
                   v ? v : "");
}

static void day_of(time_t t, char out[11])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void hist_today(char out[11])
{
    day_of(time(NULL), out);
}

void hist_months_ago(int months, char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    tm.tm_mon -= months; /* timegm normalises the month and year */
    tm.tm_isdst = 0;
    day_of(timegm(&tm), out);
}

/* ----------------------------------------------------------------- JSON */

json_t *hist_siret_json(int64_t siret)
{
    char s[ML_SIRET_SIZE];
    return siret ? json_string(ml_siret_format(siret, s)) : json_null();
}

static json_t *siren_json(int64_t siren)
{
    char s[ML_SIREN_SIZE];
    return json_string(ml_siren_format(siren, s));
}

json_t *hist_contact_json(const ml_contact_row *c)
{
    ml_json_build jb = {0};
    return ml_json_pack(&jb,
                        "{s:I, s:o, s:o, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:s?, s:s?, "
                        "s:s?, s:s?}",
                        "id", (json_int_t)c->id, "siret", hist_siret_json(c->siret), "siren",
                        siren_json(c->siren), "name", c->name, "position", c->position, "email",
                        c->email, "phone", c->phone, "basis", c->basis, "source", c->source, "org",
                        (json_int_t)c->org, "author", c->author, "created", c->created, "updated",
                        c->updated, "updated_by", c->updated_by);
}

json_t *hist_interaction_json(const ml_interaction_row *i)
{
    ml_json_build jb = {0};
    json_t *ids = json_array();
    for (const char *p = i->contacts ? i->contacts : ""; ids && *p;) {
        int64_t id = 0;
        size_t n = strspn(p, "0123456789");
        if (n && ml_parse_i64(p, n, 1, INT64_MAX, &id) == 0)
            json_array_append_new(ids, json_integer((json_int_t)id));
        p += n ? n : 1;
    }
    return ml_json_pack(&jb, "{s:I, s:o, s:s?, s:s?, s:s?, s:o, s:I, s:s?, s:s?}", "id",
                        (json_int_t)i->id, "siret", hist_siret_json(i->siret), "kind", i->kind,
                        "date", i->day, "notes", i->notes, "contacts", ids, "org",
                        (json_int_t)i->org, "author", i->author, "created", i->created);
}

json_t *hist_followup_json(const ml_followup_row *f, const char *today)
{
    ml_json_build jb = {0};
    bool overdue = !f->done && f->due && strcmp(f->due, today) < 0;
    return ml_json_pack(&jb, "{s:I, s:o, s:s?, s:s?, s:s?, s:I, s:s?, s:b, s:I, s:s?, s:s?}", "id",
                        (json_int_t)f->id, "siret", hist_siret_json(f->siret), "what", f->what,
                        "due", f->due, "owner", f->owner, "owner_id", (json_int_t)f->owner_id,
                        "done", f->done, "overdue", overdue, "org", (json_int_t)f->org, "author",
                        f->author, "created", f->created);
}

json_t *hist_document_json(const ml_document_row *d)
{
    ml_json_build jb = {0};
    return ml_json_pack(&jb, "{s:s?, s:o, s:s?, s:s?, s:I, s:I, s:s?, s:s?}", "id", d->id, "siret",
                        hist_siret_json(d->siret), "name", d->name, "type", d->type, "size",
                        (json_int_t)d->size, "org", (json_int_t)d->org, "author", d->author,
                        "created", d->created);
}

/* Collects the rows a reader may see as JSON, into a list. */
typedef struct collect {
    const ml_actor *who;
    json_t *list;
    const char *today;
    const ml_followup_filter *filter;
    bool failed;
} collect;

static int add_or_fail(collect *c, json_t *j)
{
    if (!j || json_array_append_new(c->list, j)) {
        c->failed = true;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ contacts */

static ml_err contact_check(ml_db *db, const ml_contact_in *in, bool create)
{
    ml_err r;
    if ((r = hist_text(db, "name", in->name, 200, false, create)) ||
        (r = hist_text(db, "position", in->position, 200, false, false)) ||
        (r = hist_text(db, "email", in->email, 254, false, false)) ||
        (r = hist_text(db, "phone", in->phone, 40, false, false)) ||
        (r = hist_text(db, "basis", in->basis, 1000, true, create)) ||
        (r = hist_text(db, "source", in->source, 200, false, false)))
        return r;
    if (in->email && *in->email) {
        const char *at = strchr(in->email, '@');
        if (!at || at == in->email || !at[1] || strchr(at + 1, '@') ||
            strpbrk(in->email, " ,;<>\""))
            return ml_fail(db->ctx, ML_INVALID, "email: '%.60s' is not an email address",
                           in->email);
    }
    if (in->phone && *in->phone && strspn(in->phone, "0123456789+-.() ") != strlen(in->phone))
        return ml_fail(db->ctx, ML_INVALID,
                       "phone: '%.40s' holds something else than digits, spaces and + - . ( )",
                       in->phone);
    return ML_OK;
}

/* The email as stored: ASCII letters in lower case (what export and erase
 * look it up by). */
static char *email_folded(const char *email)
{
    if (!email || !*email) return NULL;
    char *e = ml_strdup(email);
    for (char *p = e; p && *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return e;
}

typedef struct one_contact {
    const ml_actor *who;
    json_t *json;
    bool found, hidden, failed;
} one_contact;

static int one_contact_row(void *ud, const ml_contact_row *c)
{
    one_contact *o = ud;
    o->found = true;
    if (!ml_actor_may_read(o->who, c->org, c->author_id)) {
        o->hidden = true;
        return 0;
    }
    o->json = hist_contact_json(c);
    o->failed = !o->json;
    return o->failed;
}

/* Contact `id` as the actor may see it: ML_NOTFOUND otherwise (a contact of
 * another organisation is not said to exist). */
static ml_err contact_get(ml_db *db, const ml_actor *who, int64_t id, json_t **out)
{
    ml_hist_query q = {.id = id};
    one_contact o = {.who = who};
    ml_err r = db->be->contacts(db, &q, one_contact_row, &o);
    if (o.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r && (!o.found || o.hidden))
        r = ml_fail(db->ctx, ML_NOTFOUND, "no contact %lld", (long long)id);
    if (r) {
        json_decref(o.json);
        return r;
    }
    *out = o.json;
    return ML_OK;
}

ml_err ml_contact_add(ml_db *db, const ml_actor *who, const ml_contact_in *in, json_t **out)
{
    *out = NULL;
    hist_firm f;
    ml_err r;
    if ((r = hist_may_write(db, who)) || (r = contact_check(db, in, true)) ||
        (r = hist_firm_get(db, in->firm, true, &f)))
        return r;
    char *email = email_folded(in->email);
    ml_contact_row c = {.siret = f.siret,
                        .siren = f.siren,
                        .org = who->org,
                        .author_id = who->user,
                        .author = who->name,
                        .name = in->name,
                        .position = in->position,
                        .email = email,
                        .phone = in->phone,
                        .basis = in->basis,
                        .source = in->source};
    r = db->be->contact_put(db, &c);
    free(email);
    if (r) return r;
    return contact_get(db, who, c.id, out);
}

ml_err ml_contact_update(ml_db *db, const ml_actor *who, int64_t id, const ml_contact_in *in,
                         json_t **out)
{
    *out = NULL;
    json_t *old = NULL;
    ml_err r;
    if ((r = hist_may_write(db, who)) || (r = contact_check(db, in, false)) ||
        (r = contact_get(db, who, id, &old)))
        return r;
    const char *basis = in->basis && *in->basis ? in->basis : NULL;
    if (!basis) basis = json_string_value(json_object_get(old, "basis"));
#define KEEP(field) (in->field ? in->field : json_string_value(json_object_get(old, #field)))
    char *email = email_folded(KEEP(email));
    ml_contact_row c = {.id = id,
                        .author = who->name,
                        .name = in->name && *in->name ? in->name : KEEP(name),
                        .position = KEEP(position),
                        .email = email,
                        .phone = KEEP(phone),
                        .basis = basis,
                        .source = KEEP(source)};
#undef KEEP
    r = db->be->contact_put(db, &c);
    free(email);
    json_decref(old);
    if (r) return r;
    return contact_get(db, who, id, out);
}

static int contact_row(void *ud, const ml_contact_row *c)
{
    collect *k = ud;
    if (!ml_actor_may_read(k->who, c->org, c->author_id)) return 0;
    return add_or_fail(k, hist_contact_json(c));
}

ml_err ml_contact_list(ml_db *db, const ml_actor *who, const char *firm, json_t **out)
{
    *out = NULL;
    hist_firm f;
    ml_err r;
    if ((r = hist_may_read(db, who)) || (r = hist_firm_get(db, firm, true, &f))) return r;
    collect k = {.who = who, .list = json_array()};
    if (!k.list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_hist_query q = {.siret = f.siret, .siren = f.siren};
    r = db->be->contacts(db, &q, contact_row, &k);
    if (!r && k.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        json_decref(k.list);
        return r;
    }
    *out = json_pack("{s:s, s:o}", "firm", f.text, "contacts", k.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* -------------------------------------------------------------- interactions */

static const char *const interaction_kinds = "visit|call|meeting|email|event";

static bool among(const char *choices, const char *v)
{
    size_t len = strlen(v);
    for (const char *c = choices; *c;) {
        size_t n = strcspn(c, "|");
        if (n == len && strncmp(c, v, n) == 0) return true;
        c += n + (c[n] == '|');
    }
    return false;
}

typedef struct id_check {
    const ml_actor *who;
    bool found, visible;
} id_check;

static int id_check_row(void *ud, const ml_contact_row *c)
{
    id_check *k = ud;
    k->found = true;
    k->visible = ml_actor_may_read(k->who, c->org, c->author_id);
    return 0;
}

static int interaction_row(void *ud, const ml_interaction_row *i)
{
    collect *k = ud;
    if (!ml_actor_may_read(k->who, i->org, i->author_id)) return 0;
    return add_or_fail(k, hist_interaction_json(i));
}

ml_err ml_interaction_add(ml_db *db, const ml_actor *who, const ml_interaction_in *in, json_t **out)
{
    *out = NULL;
    hist_firm f;
    ml_err r;
    char today[11];
    hist_today(today);
    const char *day = in->date && *in->date ? in->date : today;
    if ((r = hist_may_write(db, who))) return r;
    if (!in->kind || !among(interaction_kinds, in->kind))
        return ml_fail(db->ctx, ML_INVALID, "kind must be visit, call, meeting, email or event");
    if ((r = hist_date(db, "date", day)) ||
        (r = hist_text(db, "notes", in->notes, 8000, true, false)) ||
        (r = hist_firm_get(db, in->siret, false, &f)))
        return r;
    if (in->ncontacts > 20) return ml_fail(db->ctx, ML_LIMIT, "at most 20 linked contacts");
    ml_buf ids;
    ml_buf_init(&ids, 512);
    ml_buf_addch(&ids, ',');
    for (size_t i = 0; i < in->ncontacts; i++) {
        /* Each linked contact: of this firm (or its company), visible. */
        ml_hist_query q = {.siret = f.siret, .siren = f.siren, .id = in->contacts[i]};
        id_check k = {.who = who};
        if ((r = db->be->contacts(db, &q, id_check_row, &k))) goto out;
        if (!k.found || !k.visible) {
            r = ml_fail(db->ctx, ML_INVALID, "contact %lld is not a contact of %s",
                        (long long)in->contacts[i], f.text);
            goto out;
        }
        ml_buf_addf(&ids, "%lld,", (long long)in->contacts[i]);
    }
    if (ml_buf_failed(&ids)) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    ml_interaction_row row = {.siret = f.siret,
                              .siren = f.siren,
                              .org = who->org,
                              .author_id = who->user,
                              .author = who->name,
                              .kind = in->kind,
                              .day = day,
                              .notes = in->notes,
                              .contacts = ml_buf_cstr(&ids)};
    if ((r = db->be->interaction_put(db, &row))) goto out;
    /* Meeting a contact again keeps its details current (the retention
     * period runs from the last time they were used). */
    for (size_t i = 0; i < in->ncontacts && !r; i++)
        r = db->be->contact_touch(db, in->contacts[i]);
    if (r) goto out;
    /* Answer the row as stored. */
    collect k = {.who = who, .list = json_array()};
    ml_hist_query one = {.id = row.id};
    if (!k.list || (r = db->be->interactions(db, &one, interaction_row, &k)) || k.failed ||
        !json_array_size(k.list)) {
        json_decref(k.list);
        r = r ? r : ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    *out = json_incref(json_array_get(k.list, 0));
    json_decref(k.list);
out:
    ml_buf_release(&ids);
    return r;
}

/* Newest first: by date, then by id. */
static int newest_first(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    const char *dx = json_string_value(json_object_get(x, "date"));
    const char *dy = json_string_value(json_object_get(y, "date"));
    int c = strcmp(dy ? dy : "", dx ? dx : "");
    if (c) return c;
    json_int_t ix = json_integer_value(json_object_get(x, "id"));
    json_int_t iy = json_integer_value(json_object_get(y, "id"));
    return (iy > ix) - (iy < ix);
}

ml_err ml_interaction_list(ml_db *db, const ml_actor *who, const char *siret, json_t **out)
{
    *out = NULL;
    hist_firm f;
    ml_err r;
    if ((r = hist_may_read(db, who)) || (r = hist_firm_get(db, siret, false, &f))) return r;
    collect k = {.who = who, .list = json_array()};
    if (!k.list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_hist_query q = {.siret = f.siret, .siren = f.siren};
    r = db->be->interactions(db, &q, interaction_row, &k);
    if (!r && (k.failed || ml_json_array_sort(k.list, newest_first)))
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        json_decref(k.list);
        return r;
    }
    *out = json_pack("{s:s, s:o}", "siret", f.text, "interactions", k.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ---------------------------------------------------------------- follow-ups */

static ml_err followup_get(ml_db *db, const ml_actor *who, int64_t id, json_t **out);

ml_err ml_followup_add(ml_db *db, const ml_actor *who, const ml_followup_in *in, json_t **out)
{
    *out = NULL;
    hist_firm f;
    ml_err r;
    if ((r = hist_may_write(db, who)) || (r = hist_text(db, "what", in->what, 1000, true, true)) ||
        (r = hist_date(db, "due", in->due)) ||
        (r = hist_text(db, "owner", in->owner, 200, false, false)) ||
        (r = hist_firm_get(db, in->siret, false, &f)))
        return r;
    bool self = !in->owner || !*in->owner;
    ml_followup_row row = {.siret = f.siret,
                           .siren = f.siren,
                           .org = who->org,
                           .author_id = who->user,
                           .author = who->name,
                           .owner_id = self ? who->user : 0,
                           .owner = self ? who->name : in->owner,
                           .what = in->what,
                           .due = in->due};
    if ((r = db->be->followup_put(db, &row))) return r;
    return followup_get(db, who, row.id, out);
}

static int followup_row(void *ud, const ml_followup_row *f)
{
    collect *k = ud;
    const ml_followup_filter *flt = k->filter;
    if (!ml_actor_may_read(k->who, f->org, f->author_id)) return 0;
    if (flt && flt->mine && !(f->owner_id == k->who->user && f->owner_id != 0) &&
        !(k->who->user == 0 && f->owner_id == 0 && f->owner && k->who->name &&
          strcmp(f->owner, k->who->name) == 0))
        return 0;
    if (flt && flt->own_org && f->org != k->who->org) return 0;
    return add_or_fail(k, hist_followup_json(f, k->today));
}

static int by_due(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    const char *dx = json_string_value(json_object_get(x, "due"));
    const char *dy = json_string_value(json_object_get(y, "due"));
    int c = strcmp(dx ? dx : "", dy ? dy : "");
    if (c) return c;
    json_int_t ix = json_integer_value(json_object_get(x, "id"));
    json_int_t iy = json_integer_value(json_object_get(y, "id"));
    return (ix > iy) - (ix < iy);
}

ml_err ml_followup_list(ml_db *db, const ml_actor *who, const ml_followup_filter *flt, json_t **out)
{
    *out = NULL;
    hist_firm f = {0};
    ml_err r;
    if ((r = hist_may_read(db, who))) return r;
    if (flt->siret && (r = hist_firm_get(db, flt->siret, false, &f))) return r;
    char today[11];
    hist_today(today);
    collect k = {.who = who, .list = json_array(), .today = today, .filter = flt};
    if (!k.list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_hist_query q = {.siret = f.siret, .siren = f.siren, .before = flt->overdue ? today : NULL};
    r = db->be->followups(db, &q, followup_row, &k);
    if (!r && (k.failed || ml_json_array_sort(k.list, by_due)))
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        json_decref(k.list);
        return r;
    }
    *out = json_pack("{s:s, s:b, s:o}", "today", today, "overdue_only", flt->overdue, "followups",
                     k.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

typedef struct one_followup {
    const ml_actor *who;
    const char *today;
    json_t *json;
    bool found, failed;
} one_followup;

static int one_followup_row(void *ud, const ml_followup_row *f)
{
    one_followup *o = ud;
    if (!ml_actor_may_read(o->who, f->org, f->author_id)) return 0;
    o->found = true;
    json_decref(o->json);
    o->json = hist_followup_json(f, o->today);
    o->failed = !o->json;
    return o->failed;
}

ml_err ml_followup_done(ml_db *db, const ml_actor *who, int64_t id, bool done, json_t **out)
{
    *out = NULL;
    ml_err r;
    if ((r = hist_may_write(db, who))) return r;
    char today[11];
    hist_today(today);
    ml_hist_query q = {.id = id};
    one_followup o = {.who = who, .today = today};
    if ((r = db->be->followups(db, &q, one_followup_row, &o))) return r;
    json_decref(o.json);
    o.json = NULL;
    if (o.failed) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!o.found) return ml_fail(db->ctx, ML_NOTFOUND, "no follow-up %lld", (long long)id);
    if ((r = db->be->followup_done(db, id, done))) return r;
    return followup_get(db, who, id, out);
}

/* Follow-up `id` as stored, when the actor may read it. */
static ml_err followup_get(ml_db *db, const ml_actor *who, int64_t id, json_t **out)
{
    char today[11];
    hist_today(today);
    ml_hist_query q = {.id = id};
    one_followup o = {.who = who, .today = today};
    ml_err r = db->be->followups(db, &q, one_followup_row, &o);
    if (!r && o.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r && !o.found) r = ml_fail(db->ctx, ML_NOTFOUND, "no follow-up %lld", (long long)id);
    if (r) {
        json_decref(o.json);
        return r;
    }
    *out = o.json;
    return ML_OK;
}

/* ------------------------------------------------------------------ settings */

ml_err hist_setting_int(ml_db *db, const char *key, int64_t fallback, int64_t *out)
{
    char v[64] = "";
    ml_err r = db->be->meta_get(db, key, v, sizeof v);
    if (r) return r;
    *out = fallback;
    if (*v && ml_parse_i64(v, strlen(v), 0, INT64_MAX, out) != 0) *out = fallback;
    return ML_OK;
}

ml_err hist_documents_folder(ml_db *db, char *out, size_t size)
{
    char v[1024] = "";
    ml_err r = db->be->meta_get(db, "history_documents_folder", v, sizeof v);
    if (r) return r;
    if (*v)
        return ml_snprintf(out, size, "%s", v) ? ml_fail(db->ctx, ML_LIMIT, "path too long")
                                               : ML_OK;
    const char *p = db->path ? db->path : "";
    if (db->be == &ml_sqlite_backend && *p && strcmp(p, ":memory:") != 0 &&
        strncmp(p, "file:", 5) != 0)
        return ml_snprintf(out, size, "%s.documents", p)
                   ? ml_fail(db->ctx, ML_LIMIT, "path too long")
                   : ML_OK;
    return ml_fail(db->ctx, ML_INVALID,
                   "this database keeps no documents until a folder is set: maillage doc "
                   "settings --folder DIR (an absolute path)");
}

ml_err ml_history_settings(ml_db *db, json_t **out)
{
    *out = NULL;
    int64_t months, max;
    char folder[1024];
    ml_err r;
    if ((r = hist_setting_int(db, "history_retention_months", HIST_RETENTION_MONTHS, &months)) ||
        (r = hist_setting_int(db, "history_document_max", HIST_DOCUMENT_MAX, &max)))
        return r;
    bool has_folder = hist_documents_folder(db, folder, sizeof folder) == ML_OK;
    *out =
        json_pack("{s:I, s:I, s:s?}", "retention_months", (json_int_t)months, "document_max_bytes",
                  (json_int_t)max, "documents_folder", has_folder ? folder : NULL);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_history_set(ml_db *db, const ml_actor *who, const char *key, const char *value)
{
    ml_err r = need(db, who, ML_ROLE_ADMIN, "changing a setting");
    if (r) return r;
    if (!key || !value) return ml_fail(db->ctx, ML_INVALID, "a setting needs a name and a value");
    int64_t n = 0;
    char v[32];
    if (strcmp(key, "retention_months") == 0) {
        if (ml_parse_i64(value, strlen(value), 1, 120, &n) != 0)
            return ml_fail(db->ctx, ML_INVALID,
                           "retention_months: a whole number of months, 1 to 120");
        ml_snprintf(v, sizeof v, "%lld", (long long)n);
        return db->be->set_meta(db, "history_retention_months", v);
    }
    if (strcmp(key, "document_max_mb") == 0) {
        if (ml_parse_i64(value, strlen(value), 1, HIST_DOCUMENT_HARD / 1000000, &n) != 0)
            return ml_fail(db->ctx, ML_INVALID, "document_max_mb: a whole number of MB, 1 to %d",
                           HIST_DOCUMENT_HARD / 1000000);
        ml_snprintf(v, sizeof v, "%lld", (long long)n * 1000000);
        return db->be->set_meta(db, "history_document_max", v);
    }
    if (strcmp(key, "documents_folder") == 0) {
        if (*value &&
            (value[0] != '/' || strlen(value) > 900 || !ml_utf8_valid(value, strlen(value))))
            return ml_fail(db->ctx, ML_INVALID,
                           "documents_folder: an absolute path (at most 900 bytes), or \"\" "
                           "for the default");
        return db->be->set_meta(db, "history_documents_folder", value);
    }
    return ml_fail(db->ctx, ML_INVALID,
                   "unknown setting '%.40s' (retention_months, document_max_mb, documents_folder)",
                   key);
}
