/* perimeters.c — named lists of communes (territory.h): the Territoires
 * d'industrie shipped in data/geo, and the user's own perimeters, defined
 * from a file of commune and EPCI codes. A definition is all or nothing: a
 * perimeter that silently lost a member would give wrong figures. */
#include <stdlib.h>
#include <string.h>

#include "ingest/csv.h"
#include "search/text.h"
#include "territory/territory.h"

#define MEMBERS_MAX  40000 /* more than there are communes */
#define ERRORS_SHOWN 5

/* "Vallée de l'Arve" -> "p-vallee-de-l-arve" (folded words joined by '-'). */
static ml_err code_from_name(ml_db *db, const char *name, char *out, size_t size)
{
    ml_text *t = ml_text_new();
    ml_buf b;
    ml_buf_init(&b, 256);
    if (!t || ml_text_fold(t, &b, name, strlen(name), ML_FOLD_KEEP_STOP) < 0) {
        ml_text_free(t);
        ml_buf_release(&b);
        return ml_fail(db->ctx, ML_INVALID, "perimeter name too long (at most 200 characters)");
    }
    ml_text_free(t);
    size_t n = ml_snprintf(out, size, "p-") ? 0 : 2;
    for (size_t i = 0; i < b.len && n + 1 < size && n < ML_PERIMETER_CODE_MAX; i++) {
        char c = b.data[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!ok && n > 2 && out[n - 1] == '-') continue;
        out[n++] = ok ? c : '-';
    }
    while (n > 2 && out[n - 1] == '-')
        n--;
    out[n] = '\0';
    ml_buf_release(&b);
    if (n == 2)
        return ml_fail(db->ctx, ML_INVALID,
                       "perimeter name '%.60s' has no letter or digit to make a code from: give "
                       "--code p-NAME",
                       name);
    return ML_OK;
}

typedef struct members {
    ml_db *db;
    const char *path;
    char **communes;
    size_t n, cap;
    int column;        /* the column of codes */
    size_t members;    /* codes read */
    size_t bad;        /* codes refused */
    char errors[1024]; /* the first few, for the message */
    bool nomem;
} members;

static int add_commune(members *m, const char *code)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->communes[i], code) == 0) return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        char **v = realloc(m->communes, cap * sizeof *v);
        if (!v) return m->nomem = true, 1;
        m->communes = v;
        m->cap = cap;
    }
    if (!(m->communes[m->n] = ml_strdup(code))) return m->nomem = true, 1;
    m->n++;
    return 0;
}

static int add_child(void *ud, const char *code, const char *name)
{
    (void)name;
    return add_commune(ud, code);
}

static void refuse(members *m, uint64_t line, const char *value, const char *why)
{
    if (m->bad++ >= ERRORS_SHOWN) return;
    size_t len = strlen(m->errors);
    ml_snprintf(m->errors + len, sizeof m->errors - len, "%s%s %llu: '%.20s' %s", len ? "; " : "",
                strcmp(m->path, "members") == 0 ? "member" : "line", (unsigned long long)line,
                value, why);
}

/* One member: a commune (its own code) or an EPCI (its communes). */
static int add_member(members *m, uint64_t line, const char *raw)
{
    char code[24];
    size_t n = strspn(raw, " \t");
    ml_snprintf(code, sizeof code, "%s", raw + n);
    for (size_t k = strlen(code); k && (code[k - 1] == ' ' || code[k - 1] == '\t'); k--)
        code[k - 1] = '\0';
    if (!*code) return 0;
    if (++m->members > MEMBERS_MAX) return refuse(m, line, code, "one member too many"), 1;
    ml_ctx *ctx = m->db->ctx;
    ml_place p;
    /* A perimeter is made of communes and EPCI; the resolver's message
     * (unknown code) is kept for ours. */
    if (ml_perimeter_code_shape(code) || strncmp(code, "reg:", 4) == 0 || strcmp(code, "FR") == 0 ||
        (strlen(code) <= 3 && strncmp(code, "com:", 4) != 0)) {
        refuse(m, line, code, "is not a commune or EPCI code");
        return 0;
    }
    ml_err r = ml_place_resolve(m->db, code, &p);
    if (r == ML_NOMEM) return m->nomem = true, 1;
    if (r) {
        refuse(m, line, code,
               r == ML_NOTFOUND ? "is no commune or EPCI the reference data knows"
                                : "is not a commune or EPCI code");
        (void)ctx;
        return 0;
    }
    if (p.kind == ML_PLACE_COMMUNE) return add_commune(m, p.code);
    if (p.kind == ML_PLACE_EPCI) {
        size_t before = m->n;
        if (m->db->be->place_children(m->db, &p, add_child, m)) return m->nomem = true, 1;
        if (m->n == before) refuse(m, line, code, "is an EPCI with no commune");
        return 0;
    }
    refuse(m, line, code, "is not a commune or EPCI code");
    return 0;
}

static bool is_header_name(const char *s)
{
    static const char *const names[] = {"code", "codgeo", "insee",        "code_insee", "commune",
                                        "epci", "siren",  "code_commune", "depcom"};
    for (size_t i = 0; i < ML_ARRAY_LEN(names); i++)
        if (strcasecmp(s, names[i]) == 0) return true;
    return false;
}

static int on_row(void *ud, const ml_csv_row *row)
{
    members *m = ud;
    if (row->nfields == 0) return 0;
    for (size_t i = 0; i < row->nfields; i++)
        if (!ml_utf8_valid(row->fields[i], row->lens[i])) {
            refuse(m, row->line, "?", "is not UTF-8 text");
            return 0;
        }
    if (row->index == 0) {
        /* A header names the column of codes ("code", "insee", "siren"...);
         * without one, codes are in the first column from the first line. */
        for (size_t i = 0; i < row->nfields; i++)
            if (is_header_name(row->fields[i])) {
                m->column = (int)i;
                return 0;
            }
    }
    const char *v = (size_t)m->column < row->nfields ? row->fields[m->column] : "";
    /* A spreadsheet's "13001;Aix" in one field: the code comes first. */
    char first[64];
    ml_snprintf(first, sizeof first, "%s", v);
    char *semi = strchr(first, ';');
    if (semi) *semi = '\0';
    return add_member(m, row->line, first);
}

static void members_free(members *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->communes[i]);
    free(m->communes);
}

/* Checks the name and makes or checks the code. */
static ml_err name_and_code(ml_db *db, const char *name, const char *code, char *made, size_t size)
{
    if (!name || !*name || strlen(name) > 200 || !ml_utf8_valid(name, strlen(name)))
        return ml_fail(db->ctx, ML_INVALID,
                       "a perimeter needs a name (1 to 200 characters of UTF-8 text)");
    if (code && *code) {
        if (strncmp(code, "p-", 2) != 0 || !ml_perimeter_code_shape(code))
            return ml_fail(db->ctx, ML_INVALID,
                           "invalid perimeter code '%.60s': p- then lower-case letters, digits "
                           "and dashes, at most %d characters",
                           code, ML_PERIMETER_CODE_MAX);
        ml_snprintf(made, size, "%s", code);
        return ML_OK;
    }
    return code_from_name(db, name, made, size);
}

/* Saves the members read (all or nothing) and describes the perimeter. */
static ml_err save(ml_db *db, const ml_actor *who, const char *name, const char *code,
                   const char *source, members *m, json_t **out)
{
    ml_err r = ML_OK;
    if (m->nomem) r = ml_fail(db->ctx, ML_NOMEM, "out of memory reading %s", source);
    if (!r && m->bad)
        r = ml_fail(db->ctx, ML_FORMAT,
                    "%s: %zu member%s refused, nothing was saved (%s%s); a perimeter lists "
                    "commune codes (13055) and EPCI SIREN (200054807)",
                    source, m->bad, m->bad == 1 ? "" : "s", m->errors,
                    m->bad > ERRORS_SHOWN ? "; ..." : "");
    if (!r && m->n == 0)
        r = ml_fail(db->ctx, ML_FORMAT, "%s: no commune or EPCI code in it; nothing was saved",
                    source);
    if (r) return r;
    ml_perimeter p = {.code = code,
                      .name = name,
                      .kind = "custom",
                      .org = who ? who->org : 0,
                      .author = who && who->name ? who->name : NULL,
                      .source = source};
    if ((r = db->be->begin(db))) return r;
    r = db->be->perimeter_put(db, &p, (const char *const *)m->communes, m->n);
    if ((r = r ? (db->be->rollback(db), r) : db->be->commit(db))) return r;
    ml_place pl = {.kind = ML_PLACE_PERIMETER};
    ml_snprintf(pl.code, sizeof pl.code, "%s", code);
    if ((r = db->be->place(db, &pl)) || (r = db->be->place_size(db, &pl))) return r;
    json_t *t = ml_place_json(&pl);
    if (t) {
        json_object_set_new(t, "communes", json_integer(pl.communes));
        json_object_set_new(t, "population",
                            pl.population >= 0 ? json_integer(pl.population) : json_null());
    }
    *out = json_pack("{s:o, s:I}", "territory", t, "members", (json_int_t)m->members);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_perimeter_define(ml_db *db, const ml_actor *who, const char *name, const char *code,
                           const char *path, json_t **out)
{
    *out = NULL;
    char made[ML_PERIMETER_CODE_MAX + 1];
    ml_err r = name_and_code(db, name, code, made, sizeof made);
    if (r) return r;
    members m = {.db = db, .path = path};
    r = ml_csv_parse_file(db->ctx, path, NULL, on_row, &m);
    if (r == ML_INTERRUPTED) r = ML_OK; /* stopped by us: m says why */
    const char *base = strrchr(path, '/');
    if (!r) r = save(db, who, name, made, base ? base + 1 : path, &m, out);
    members_free(&m);
    return r;
}

ml_err ml_perimeter_define_text(ml_db *db, const ml_actor *who, const char *name, const char *code,
                                const char *text, json_t **out)
{
    *out = NULL;
    char made[ML_PERIMETER_CODE_MAX + 1];
    ml_err r = name_and_code(db, name, code, made, sizeof made);
    if (r) return r;
    if (!text || !ml_utf8_valid(text, strlen(text)))
        return ml_fail(db->ctx, ML_INVALID, "members: expected UTF-8 text");
    members m = {.db = db, .path = "members"};
    /* Codes separated by spaces, commas, semicolons or line ends; "line" is
     * the member's rank in the list. */
    uint64_t k = 0;
    for (const char *p = text; *p && !m.nomem && m.members <= MEMBERS_MAX;) {
        p += strspn(p, " \t\r\n,;");
        size_t n = strcspn(p, " \t\r\n,;");
        if (!n) break;
        char one[24];
        ml_snprintf(one, sizeof one, "%.*s", (int)(n < 23 ? n : 23), p);
        if (add_member(&m, ++k, one)) break;
        p += n;
    }
    r = save(db, who, name, made, "members", &m, out);
    members_free(&m);
    return r;
}

static int list_row(void *ud, const ml_perimeter *p)
{
    return json_array_append_new(ud, json_pack("{s:s?, s:s?, s:s?, s:I, s:s?, s:s?, s:s?, s:I}",
                                               "code", p->code, "name", p->name, "kind", p->kind,
                                               "org", (json_int_t)p->org, "author", p->author,
                                               "created", p->created, "source", p->source,
                                               "communes", (json_int_t)p->communes));
}

ml_err ml_perimeter_list(ml_db *db, json_t **out)
{
    *out = NULL;
    json_t *list = json_array();
    if (!list) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_err r = db->be->perimeter_list(db, list_row, list);
    if (r) {
        json_decref(list);
        return r;
    }
    *out = json_pack("{s:o}", "perimeters", list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_perimeter_delete(ml_db *db, const ml_actor *who, const char *code)
{
    (void)who; /* issue 11: only its organisation's members may */
    if (!code || strncmp(code, "p-", 2) != 0 || !ml_perimeter_code_shape(code))
        return ml_fail(db->ctx, ML_INVALID,
                       "'%.60s' is not a perimeter of yours (p-NAME); the Territoires "
                       "d'industrie are reference data",
                       code ? code : "");
    ml_err r = db->be->begin(db);
    if (r) return r;
    r = db->be->perimeter_delete(db, code);
    if (r) {
        db->be->rollback(db);
        return r == ML_NOTFOUND ? ml_fail(db->ctx, ML_NOTFOUND, "no perimeter with code '%s'", code)
                                : r;
    }
    return db->be->commit(db);
}
