/* audit.c — the audit log: one entry per write (who, when, what, from which
 * address), appended and never changed (the store's triggers refuse UPDATE
 * and DELETE), read by administrators, exported as CSV. */
#include <time.h>

#include "account/account.h"
#include "export/csv.h"

#define AUDIT_TEXT_MAX 500 /* bytes of a target or detail kept */

/* Text cut to at most max bytes, between characters. */
static const char *bounded(ml_buf *b, const char *s, size_t max)
{
    if (!s) return NULL;
    ml_buf_init(b, max + 8);
    if (ml_buf_add_utf8(b, s, strlen(s), max) != 0) return "";
    return ml_buf_cstr(b);
}

ml_err ml_audit_write_at(ml_db *db, const ml_actor *actor, int64_t now, const char *action,
                         const char *target, const char *detail)
{
    static const ml_actor nobody = {.name = "anonymous"};
    const ml_actor *a = actor ? actor : &nobody;
    if (!action || !*action) return ml_fail(db->ctx, ML_INVALID, "an audit entry needs an action");
    ml_buf t, d;
    const char *tt = bounded(&t, target, AUDIT_TEXT_MAX), *dd = bounded(&d, detail, AUDIT_TEXT_MAX);
    ml_err e =
        ML_RUN(db, ML_ACCT_AUDIT_ADD, NULL, NULL, NULL, ML_INT(now),
               a->user ? ML_INT(a->user) : (ml_sql_arg){0},
               ML_TEXT(a->name && *a->name ? a->name : "anonymous"),
               a->org ? ML_INT(a->org) : (ml_sql_arg){0},
               a->address && *a->address ? ML_TEXT(a->address) : (ml_sql_arg){0}, ML_TEXT(action),
               tt ? ML_TEXT(tt) : (ml_sql_arg){0}, dd ? ML_TEXT(dd) : (ml_sql_arg){0});
    if (target) ml_buf_release(&t);
    if (detail) ml_buf_release(&d);
    return e;
}

ml_err ml_audit_write(ml_db *db, const ml_actor *actor, const char *action, const char *target,
                      const char *detail)
{
    return ml_audit_write_at(db, actor, (int64_t)time(NULL), action, target, detail);
}

/* Who reads what: a site administrator everything, an organisation's
 * administrator its organisation's entries, nobody else anything. */
static ml_err reader_scope(ml_db *db, const ml_actor *reader, int64_t *org)
{
    if (reader && reader->site_admin) {
        *org = 0;
        return ML_OK;
    }
    if (reader && reader->role == ML_ROLE_ADMIN && reader->org) {
        *org = reader->org;
        return ML_OK;
    }
    return ml_fail(db->ctx, ML_PRIVATE, "only an administrator may read the audit log");
}

typedef struct audit_rows {
    json_t *list;
    ml_json_build *jb;
    ml_csv_writer *csv;
} audit_rows;

/* id, at, account, actor, org, org name, address, action, target, detail */
static int audit_fn(void *ud, const char *const *c, size_t n)
{
    audit_rows *l = ud;
    if (n < 10) return 0;
    char when[32];
    ml_time_iso(strtoll(c[1] ? c[1] : "0", NULL, 10), when);
    if (l->csv) {
        ml_csvw_number(l->csv, c[0]);
        ml_csvw_text(l->csv, when);
        ml_csvw_text(l->csv, c[3]);
        ml_csvw_number(l->csv, c[2]);
        ml_csvw_text(l->csv, c[5]);
        ml_csvw_text(l->csv, c[6]);
        ml_csvw_text(l->csv, c[7]);
        ml_csvw_text(l->csv, c[8]);
        ml_csvw_text(l->csv, c[9]);
        ml_csvw_end_row(l->csv);
        return l->csv->failed;
    }
    json_t *o =
        ml_json_pack(l->jb, "{s:I, s:s, s:s?, s:I, s:s?, s:s?, s:s?, s:s?, s:s?}", "id",
                     (json_int_t)strtoll(c[0] ? c[0] : "0", NULL, 10), "at", when, "actor", c[3],
                     "account", (json_int_t)strtoll(c[2] ? c[2] : "0", NULL, 10), "organisation",
                     c[5], "address", c[6], "action", c[7], "target", c[8], "detail", c[9]);
    if (!o) return 1;
    json_array_append_new(l->list, o);
    return 0;
}

ml_err ml_audit_list(ml_db *db, const ml_actor *reader, int64_t since, unsigned limit, json_t **out)
{
    *out = NULL;
    int64_t org = 0;
    ml_err e = reader_scope(db, reader, &org);
    if (e) return e;
    ml_json_build jb = {0};
    audit_rows l = {ml_json_check(&jb, json_array(), "list"), &jb, NULL};
    if (l.list)
        e = ML_RUN(db, ML_ACCT_AUDIT_LIST, audit_fn, &l, NULL, ML_INT(since), ML_INT(org),
                   ML_INT(limit ? limit : 1000));
    if (!e) e = ml_json_done(db->ctx, &jb);
    if (e) {
        json_decref(l.list);
        return e;
    }
    *out = l.list;
    return ML_OK;
}

ml_err ml_audit_export(ml_db *db, const ml_actor *reader, int64_t since, bool plain,
                       const char *path)
{
    int64_t org = 0;
    ml_err e = reader_scope(db, reader, &org);
    if (e) return e;
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!f) return ml_fail(db->ctx, ML_IO, "%s: cannot write", path);
    ml_csv_writer w;
    ml_csvw_init(&w, f, plain ? 0 : ML_CSVW_FRENCH);
    static const char *const head[] = {"id",      "at",     "actor",  "account", "organisation",
                                       "address", "action", "target", "detail"};
    for (size_t i = 0; i < ML_ARRAY_LEN(head); i++)
        ml_csvw_name(&w, head[i]);
    ml_csvw_end_row(&w);
    audit_rows l = {NULL, NULL, &w};
    e = ML_RUN(db, ML_ACCT_AUDIT_LIST, audit_fn, &l, NULL, ML_INT(since), ML_INT(org),
               ML_INT(INT64_MAX));
    int bad = ml_csvw_finish(&w);
    if (f != stdout && fclose(f) != 0) bad = -1;
    if (!e && bad) e = ml_fail(db->ctx, ML_IO, "%s: write failed", path);
    return e;
}
