/* scheme.c — the catalogue of aid schemes (issue 13 part 3): imported from
 * a CSV file in the columns of Etalab's schema-dispositif-aide (all rows or
 * none), listed, and matched against a project: each eligibility condition
 * (firms targeted, project type, company size, headcount, NAF sector,
 * territory, project stage, the scheme's dates) met, unmet or unknown, with
 * why; and a project's routes to schemes. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "firm/firm.h"
#include "ingest/csv.h"
#include "programme/programme.h"

#define SCHEMES_MAX     5000 /* schemes in one file */
#define SCHEME_TEXT_MAX 5000 /* the schema's longest field (description) */

/* The catalogue's columns: the CSV header's name (Etalab's, or maillage's
 * own two extensions), required, and the order of SCHEME columns. */
enum {
    SC_ID,
    SC_TITLE,
    SC_PROMISE,
    SC_DESCRIPTION,
    SC_ELIGIBILITY,
    SC_AID_TYPES,
    SC_BEARERS,
    SC_PARENTS,
    SC_URL,
    SC_TARGETS,
    SC_GEO,
    SC_GEO_EXCL,
    SC_OPENS,
    SC_CLOSES,
    SC_UPDATED,
    SC_HEAD_MIN,
    SC_HEAD_MAX,
    SC_SIZES,
    SC_NAF,
    SC_NAF_EXCL,
    SC_SECTORS,
    SC_TYPES,
    SC_STAGES,
    SC_COUNT
};

static const struct {
    const char *csv;
    bool required;
} columns[SC_COUNT] = {
    [SC_ID] = {"id", true},
    [SC_TITLE] = {"titre", true},
    [SC_PROMISE] = {"promesse", false},
    [SC_DESCRIPTION] = {"description", true},
    [SC_ELIGIBILITY] = {"eligibilite", true},
    [SC_AID_TYPES] = {"types_aides", true},
    [SC_BEARERS] = {"porteurs", true},
    [SC_PARENTS] = {"programmes_parents", false},
    [SC_URL] = {"url_source", false},
    [SC_TARGETS] = {"cibles", true},
    [SC_GEO] = {"eligibilite_geographique", true},
    [SC_GEO_EXCL] = {"eligibilite_geographique_exclusions", false},
    [SC_OPENS] = {"date_ouverture", false},
    [SC_CLOSES] = {"date_cloture", false},
    [SC_UPDATED] = {"date_mise_a_jour", true},
    [SC_HEAD_MIN] = {"eligibilite_effectif_minimal", false},
    [SC_HEAD_MAX] = {"eligibilite_effectif_maximal", false},
    [SC_SIZES] = {"eligibilite_categorie_taille_entreprise", false},
    [SC_NAF] = {"ciblage_naf", false},
    [SC_NAF_EXCL] = {"ciblage_naf_exclusions", false},
    [SC_SECTORS] = {"ciblage_secteur_activite", true},
    [SC_TYPES] = {"maillage_types_projet", false},
    [SC_STAGES] = {"maillage_stades", false},
};

static const char *const project_types[] = {"investment",  "rd",       "industrialisation",
                                            "recruitment", "training", "export"};
static const char *const stage_names[] = {"detected",   "qualified", "routed", "applied",
                                          "instructed", "committee", "decided"};

typedef struct scheme {
    char *f[SC_COUNT];
} scheme;

static void scheme_free(scheme *s)
{
    for (int i = 0; i < SC_COUNT; i++)
        free(s->f[i]);
    memset(s, 0, sizeof *s);
}

static const char *fv(const scheme *s, int i)
{
    return s->f[i] ? s->f[i] : "";
}

/* ------------------------------------------------------- list values */

/* Calls fn on each value of a '|'-separated list (trimmed); stops when it
 * returns true and returns true then. */
typedef bool (*item_fn)(void *ud, const char *v, size_t n);
static bool each_item(const char *list, item_fn fn, void *ud)
{
    for (const char *p = list ? list : ""; *p;) {
        size_t n = strcspn(p, "|");
        const char *a = p, *b = p + n;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        if (b > a && fn(ud, a, (size_t)(b - a))) return true;
        p += n + (p[n] == '|');
    }
    return false;
}

typedef struct wanted {
    const char *v;
} wanted;

static bool item_is(void *ud, const char *v, size_t n)
{
    const wanted *w = ud;
    return strlen(w->v) == n && memcmp(v, w->v, n) == 0;
}

static bool list_has(const char *list, const char *v)
{
    wanted w = {v};
    return each_item(list, item_is, &w);
}

/* ---------------------------------------------------------- checking */

typedef struct vcheck {
    const char *bad; /* the first value that fails, or NULL */
    size_t badn;
    int kind;
} vcheck;

enum { V_TARGET, V_GEO, V_SIZE, V_NAF, V_TYPE, V_STAGE };

static bool word_in(const char *const *words, size_t n, const char *v, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(words[i]) == len && memcmp(words[i], v, len) == 0) return true;
    return false;
}

/* A NAF code at any level: a section letter, 25, 25.6, 25.62, 25.62B. */
static bool naf_shape(const char *v, size_t n)
{
    if (n == 1) return v[0] >= 'A' && v[0] <= 'U';
    if (n < 2 || v[0] < '0' || v[0] > '9' || v[1] < '0' || v[1] > '9') return false;
    if (n == 2) return true;
    if (v[2] != '.' || n > 6) return false;
    for (size_t i = 3; i < n && i < 5; i++)
        if (v[i] < '0' || v[i] > '9') return false;
    return n < 6 || (v[5] >= 'A' && v[5] <= 'Z');
}

static bool bad_value(void *ud, const char *v, size_t n)
{
    vcheck *c = ud;
    static const char *const targets[] = {"professionnels", "particuliers", "associations",
                                          "secteur public"};
    static const char *const sizes[] = {"MIC", "PME", "ETI", "GE"};
    bool ok = false;
    switch (c->kind) {
    case V_TARGET:
        ok = word_in(targets, ML_ARRAY_LEN(targets), v, n);
        break;
    case V_SIZE:
        ok = word_in(sizes, ML_ARRAY_LEN(sizes), v, n);
        break;
    case V_TYPE:
        ok = word_in(project_types, ML_ARRAY_LEN(project_types), v, n);
        break;
    case V_STAGE:
        ok = word_in(stage_names, ML_ARRAY_LEN(stage_names), v, n);
        break;
    case V_NAF:
        ok = naf_shape(v, n);
        break;
    case V_GEO: {
        size_t k = 0;
        while (k < n && v[k] >= 'A' && v[k] <= 'Z')
            k++;
        ok = k > 0 && k + 1 < n && v[k] == '-';
        for (size_t i = k + 1; ok && i < n; i++)
            ok = (v[i] >= '0' && v[i] <= '9') || (v[i] >= 'A' && v[i] <= 'Z');
        break;
    }
    }
    if (ok) return false;
    c->bad = v;
    c->badn = n;
    return true;
}

/* A date of the schema (ISO 8601: YYYY-MM-DD, optionally a time after it). */
static bool date_shape(const char *v)
{
    size_t n = strlen(v);
    int64_t y, m, d;
    return n >= 10 && v[4] == '-' && v[7] == '-' && ml_parse_i64(v, 4, 1900, 2200, &y) == 0 &&
           ml_parse_i64(v + 5, 2, 1, 12, &m) == 0 && ml_parse_i64(v + 8, 2, 1, 31, &d) == 0 &&
           (n == 10 || v[10] == 'T' || v[10] == ' ');
}

/* The checks of one row's fields; 0, or -1 with the message on ctx. */
static int row_check(ml_ctx *ctx, const char *file, uint64_t line, const scheme *s)
{
    for (int i = 0; i < SC_COUNT; i++) {
        const char *v = fv(s, i);
        size_t n = strlen(v);
        if (columns[i].required && !n)
            return ml_fail(ctx, ML_FORMAT, "%s line %llu, column %s: required, empty", file,
                           (unsigned long long)line, columns[i].csv),
                   -1;
        if (n > SCHEME_TEXT_MAX)
            return ml_fail(ctx, ML_FORMAT, "%s line %llu, column %s: at most %d bytes (not %zu)",
                           file, (unsigned long long)line, columns[i].csv, SCHEME_TEXT_MAX, n),
                   -1;
        if (!ml_utf8_valid(v, n))
            return ml_fail(ctx, ML_FORMAT, "%s line %llu, column %s: not UTF-8 text", file,
                           (unsigned long long)line, columns[i].csv),
                   -1;
        for (size_t k = 0; k < n; k++)
            if (((unsigned char)v[k] < 0x20 && v[k] != '\n' && v[k] != '\t') || v[k] == 0x7f)
                return ml_fail(ctx, ML_FORMAT, "%s line %llu, column %s: a control character", file,
                               (unsigned long long)line, columns[i].csv),
                       -1;
    }
    if (strlen(fv(s, SC_ID)) > 100)
        return ml_fail(ctx, ML_FORMAT, "%s line %llu, column id: at most 100 bytes", file,
                       (unsigned long long)line),
               -1;
    const char *url = fv(s, SC_URL);
    if (*url && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        return ml_fail(ctx, ML_FORMAT,
                       "%s line %llu, column url_source: a web address (http:// or https://), "
                       "not '%.60s'",
                       file, (unsigned long long)line, url),
               -1;
    static const struct {
        int col, kind;
        const char *what;
    } lists[] = {
        {SC_TARGETS, V_TARGET, "professionnels, particuliers, associations or secteur public"},
        {SC_GEO, V_GEO, "COG codes such as PAYS-99100, REG-76, DEP-30, EPCI-200066918, COM-30007"},
        {SC_GEO_EXCL, V_GEO, "COG codes such as REG-76, DEP-30, COM-30007"},
        {SC_SIZES, V_SIZE, "MIC, PME, ETI or GE"},
        {SC_NAF, V_NAF, "NAF codes at any level: C, 25, 25.6, 25.62, 25.62B"},
        {SC_NAF_EXCL, V_NAF, "NAF codes at any level: C, 25, 25.6, 25.62, 25.62B"},
        {SC_TYPES, V_TYPE, "investment, rd, industrialisation, recruitment, training, export"},
        {SC_STAGES, V_STAGE,
         "detected, qualified, routed, applied, instructed, committee, decided"},
    };
    for (size_t i = 0; i < ML_ARRAY_LEN(lists); i++) {
        vcheck c = {.kind = lists[i].kind};
        if (each_item(fv(s, lists[i].col), bad_value, &c))
            return ml_fail(ctx, ML_FORMAT,
                           "%s line %llu, column %s: '%.*s' is not one of %s (values separated "
                           "by '|')",
                           file, (unsigned long long)line, columns[lists[i].col].csv,
                           (int)(c.badn > 60 ? 60 : c.badn), c.bad, lists[i].what),
                   -1;
    }
    int dates[] = {SC_OPENS, SC_CLOSES, SC_UPDATED};
    for (size_t i = 0; i < ML_ARRAY_LEN(dates); i++) {
        const char *v = fv(s, dates[i]);
        if (*v && !date_shape(v))
            return ml_fail(ctx, ML_FORMAT,
                           "%s line %llu, column %s: '%.30s' is not an ISO 8601 date "
                           "(2026-01-31 or 2026-01-31T00:00:00Z)",
                           file, (unsigned long long)line, columns[dates[i]].csv, v),
                   -1;
    }
    int heads[] = {SC_HEAD_MIN, SC_HEAD_MAX};
    int64_t h[2] = {0, 0};
    for (size_t i = 0; i < 2; i++) {
        const char *v = fv(s, heads[i]);
        if (*v && ml_parse_i64(v, strlen(v), 0, 10000000, &h[i]) != 0)
            return ml_fail(ctx, ML_FORMAT,
                           "%s line %llu, column %s: a whole number of employees, not '%.30s'",
                           file, (unsigned long long)line, columns[heads[i]].csv, v),
                   -1;
    }
    if (*fv(s, SC_HEAD_MIN) && *fv(s, SC_HEAD_MAX) && h[1] < h[0])
        return ml_fail(ctx, ML_FORMAT,
                       "%s line %llu: eligibilite_effectif_maximal (%lld) is below "
                       "eligibilite_effectif_minimal (%lld)",
                       file, (unsigned long long)line, (long long)h[1], (long long)h[0]),
               -1;
    return 0;
}

/* ------------------------------------------------------------ import */

typedef struct import_state {
    ml_ctx *ctx;
    const char *file;
    int col[SC_COUNT]; /* the CSV column of each field, -1 absent */
    scheme *v;
    size_t n, cap;
    json_t *ignored;
    int failed;
} import_state;

static int import_row(void *ud, const ml_csv_row *row)
{
    import_state *s = ud;
    if (row->index == 0) {
        for (int i = 0; i < SC_COUNT; i++)
            s->col[i] = -1;
        for (size_t k = 0; k < row->nfields; k++) {
            bool known = false;
            for (int i = 0; i < SC_COUNT; i++)
                if (strcmp(row->fields[k], columns[i].csv) == 0) {
                    if (s->col[i] >= 0) {
                        ml_fail(s->ctx, ML_FORMAT, "%s line %llu: column %s is given twice",
                                s->file, (unsigned long long)row->line, columns[i].csv);
                        return s->failed = 1;
                    }
                    s->col[i] = (int)k;
                    known = true;
                }
            if (!known) json_array_append_new(s->ignored, json_string(row->fields[k]));
        }
        for (int i = 0; i < SC_COUNT; i++)
            if (columns[i].required && s->col[i] < 0) {
                ml_fail(s->ctx, ML_FORMAT,
                        "%s line 1: the header lacks column %s (the columns of Etalab's "
                        "schema-dispositif-aide: docs/import.md)",
                        s->file, columns[i].csv);
                return s->failed = 1;
            }
        return 0;
    }
    if (row->nfields == 1 && row->lens[0] == 0) return 0;
    if (s->n == SCHEMES_MAX) {
        ml_fail(s->ctx, ML_LIMIT, "%s line %llu: at most %d schemes in one file", s->file,
                (unsigned long long)row->line, SCHEMES_MAX);
        return s->failed = 1;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        scheme *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            ml_fail(s->ctx, ML_NOMEM, "out of memory");
            return s->failed = 1;
        }
        s->v = v;
        s->cap = cap;
    }
    scheme *sc = &s->v[s->n++];
    memset(sc, 0, sizeof *sc);
    for (int i = 0; i < SC_COUNT; i++) {
        const char *v =
            s->col[i] >= 0 && (size_t)s->col[i] < row->nfields ? row->fields[s->col[i]] : "";
        sc->f[i] = strdup(v);
        if (!sc->f[i]) {
            ml_fail(s->ctx, ML_NOMEM, "out of memory");
            return s->failed = 1;
        }
    }
    if (row_check(s->ctx, s->file, row->line, sc)) return s->failed = 1;
    for (size_t k = 0; k + 1 < s->n; k++)
        if (strcmp(fv(&s->v[k], SC_ID), fv(sc, SC_ID)) == 0) {
            ml_fail(s->ctx, ML_FORMAT, "%s line %llu, column id: '%.100s' is given twice", s->file,
                    (unsigned long long)row->line, fv(sc, SC_ID));
            return s->failed = 1;
        }
    return 0;
}

ml_err ml_scheme_import(ml_db *db, const ml_actor *who, const char *path, json_t **out)
{
    *out = NULL;
    if (!who || who->role < ML_ROLE_OFFICER)
        return ml_fail(db->ctx, ML_INVALID, "importing aid schemes needs the officer role");
    if (!path || !*path) return ml_fail(db->ctx, ML_INVALID, "give the CSV file of the schemes");
    const char *base = strrchr(path, '/');
    import_state s = {.ctx = db->ctx, .file = base ? base + 1 : path, .ignored = json_array()};
    if (!s.ignored) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    ml_csv_limits lim = {.max_field = SCHEME_TEXT_MAX + 1024};
    ml_err r = ml_csv_parse_file(db->ctx, path, &lim, import_row, &s);
    if (r == ML_INTERRUPTED || s.failed) r = ML_FORMAT;
    if (!r && !s.n) r = ml_fail(db->ctx, ML_FORMAT, "%s: no scheme after the header", s.file);
    bool begun = !r && (r = db->be->begin(db)) == ML_OK;
    for (size_t i = 0; !r && i < s.n; i++) {
        ml_sql_arg a[SC_COUNT + 2];
        for (int k = 0; k < SC_COUNT; k++) {
            const char *v = fv(&s.v[i], k);
            int64_t h = 0;
            if ((k == SC_HEAD_MIN || k == SC_HEAD_MAX) && *v &&
                ml_parse_i64(v, strlen(v), 0, 10000000, &h) == 0)
                a[k] = PI(h);
            else
                a[k] = PT(*v ? v : (columns[k].required ? v : NULL));
        }
        a[SC_COUNT] = PI((int64_t)time(NULL));
        a[SC_COUNT + 1] = PT(who->name);
        r = prog_sql(db, ML_PROG_SCHEME_PUT, a, NARGS(a), NULL, NULL);
    }
    if (begun && !r) r = db->be->commit(db);
    if (begun && r) db->be->rollback(db);
    size_t n = s.n;
    for (size_t i = 0; i < s.n; i++)
        scheme_free(&s.v[i]);
    free(s.v);
    if (r) {
        json_decref(s.ignored);
        return r;
    }
    *out = json_pack("{s:s sI s:o}", "file", s.file, "imported", (json_int_t)n, "ignored_columns",
                     s.ignored);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* --------------------------------------------------------------- list */

typedef struct scheme_list {
    scheme *v;
    size_t n, cap;
    int failed;
} scheme_list;

static int scheme_row(void *ud, const char *const *c, size_t n)
{
    scheme_list *l = ud;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        scheme *v = realloc(l->v, cap * sizeof *v);
        if (!v) return l->failed = 1;
        l->v = v;
        l->cap = cap;
    }
    scheme *s = &l->v[l->n++];
    memset(s, 0, sizeof *s);
    for (int i = 0; i < SC_COUNT; i++)
        if (!(s->f[i] = strdup((size_t)i < n && c[i] ? c[i] : ""))) return l->failed = 1;
    return 0;
}

static void schemes_free(scheme_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        scheme_free(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static ml_err schemes_load(ml_db *db, scheme_list *l)
{
    memset(l, 0, sizeof *l);
    ml_err r = prog_sql(db, ML_PROG_SCHEMES, NULL, 0, scheme_row, l);
    if (!r && l->failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) schemes_free(l);
    return r;
}

static json_t *split_list(const char *list)
{
    json_t *a = json_array();
    for (const char *p = list ? list : ""; a && *p;) {
        size_t n = strcspn(p, "|");
        const char *x = p, *y = p + n;
        while (x < y && *x == ' ')
            x++;
        while (y > x && y[-1] == ' ')
            y--;
        if (y > x) json_array_append_new(a, json_stringn(x, (size_t)(y - x)));
        p += n + (p[n] == '|');
    }
    return a;
}

#define SCHEME_NOTE                                                                                \
    "a catalogue of aid schemes as imported; the starting catalogue shipped with maillage "        \
    "(data/schemes) is written by the maillage team: check each scheme against its official "      \
    "page (url) before use"

static json_t *scheme_json(const scheme *s)
{
    const char *nul[SC_COUNT];
    for (int i = 0; i < SC_COUNT; i++)
        nul[i] = *fv(s, i) ? fv(s, i) : NULL;
    json_t *j = json_pack(
        "{s:s s:s s:s? s:s s:s s:o s:s s:s? s:s? s:o s:o s:o s:s? s:s? s:s}", "id", fv(s, SC_ID),
        "title", fv(s, SC_TITLE), "promise", nul[SC_PROMISE], "description", fv(s, SC_DESCRIPTION),
        "eligibility", fv(s, SC_ELIGIBILITY), "aid_types", split_list(fv(s, SC_AID_TYPES)),
        "bearers", fv(s, SC_BEARERS), "parents", nul[SC_PARENTS], "url", nul[SC_URL], "targets",
        split_list(fv(s, SC_TARGETS)), "territories", split_list(fv(s, SC_GEO)),
        "territories_excluded", split_list(fv(s, SC_GEO_EXCL)), "opens", nul[SC_OPENS], "closes",
        nul[SC_CLOSES], "updated", fv(s, SC_UPDATED));
    if (j)
        json_object_update_new(
            j,
            json_pack(
                "{s:o s:o s:o s:o s:o s:o s:s s:o s:o}", "company_sizes",
                split_list(fv(s, SC_SIZES)), "naf", split_list(fv(s, SC_NAF)), "naf_excluded",
                split_list(fv(s, SC_NAF_EXCL)), "headcount_min",
                nul[SC_HEAD_MIN] ? json_integer(strtoll(nul[SC_HEAD_MIN], NULL, 10)) : json_null(),
                "headcount_max",
                nul[SC_HEAD_MAX] ? json_integer(strtoll(nul[SC_HEAD_MAX], NULL, 10)) : json_null(),
                "sectors", split_list(fv(s, SC_SECTORS)), "sectors_text", fv(s, SC_SECTORS),
                "project_types", split_list(fv(s, SC_TYPES)), "stages",
                split_list(fv(s, SC_STAGES))));
    return j;
}

ml_err ml_scheme_list(ml_db *db, const ml_actor *who, json_t **out)
{
    *out = NULL;
    if (!who || who->role < ML_ROLE_VIEWER)
        return ml_fail(db->ctx, ML_INVALID, "reading aid schemes needs the viewer role");
    scheme_list l;
    ml_err r = schemes_load(db, &l);
    if (r) return r;
    json_t *a = json_array();
    for (size_t i = 0; a && i < l.n; i++)
        json_array_append_new(a, scheme_json(&l.v[i]));
    schemes_free(&l);
    *out = json_pack("{s:o s:s}", "schemes", a, "note", SCHEME_NOTE);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* --------------------------------------------------------- the firm */

typedef struct view_state {
    prog_firm_view *v;
} view_state;

static int view_row(void *ud, const ml_etab_view *e)
{
    prog_firm_view *v = ud;
    v->found = true;
    v->siret = e->e.siret;
    v->siren = e->e.siren;
    v->restricted = e->e.diffusion == 'P' || (e->has_unit && e->u.diffusion == 'P');
    if (!v->restricted) {
        ml_snprintf(v->name, sizeof v->name, "%s", ml_etab_display_name(e));
        ml_snprintf(v->commune, sizeof v->commune, "%s", e->e.commune ? e->e.commune : "");
        ml_snprintf(v->commune_name, sizeof v->commune_name, "%s",
                    e->commune_name ? e->commune_name : "");
    }
    ml_snprintf(v->naf, sizeof v->naf, "%s", e->e.naf ? e->e.naf : "");
    ml_snprintf(v->naf_label, sizeof v->naf_label, "%s", e->naf_label ? e->naf_label : "");
    ml_snprintf(v->band, sizeof v->band, "%s", e->e.size_band ? e->e.size_band : "");
    ml_snprintf(v->category, sizeof v->category, "%s",
                e->has_unit && e->u.category ? e->u.category : "");
    return 0;
}

ml_err prog_firm_view_get(ml_db *db, int64_t siret, prog_firm_view *out)
{
    memset(out, 0, sizeof *out);
    out->siret = siret;
    return db->be->etab_get(db, siret, view_row, out);
}

/* ------------------------------------------------------ eligibility */

/* The NAF section of a division (NAF rév. 2). */
static char naf_section(const char *naf)
{
    static const struct {
        int to;
        char section;
    } t[] = {{3, 'A'},  {9, 'B'},  {33, 'C'}, {35, 'D'}, {39, 'E'}, {43, 'F'}, {47, 'G'},
             {53, 'H'}, {56, 'I'}, {63, 'J'}, {66, 'K'}, {68, 'L'}, {75, 'M'}, {82, 'N'},
             {84, 'O'}, {85, 'P'}, {88, 'Q'}, {93, 'R'}, {96, 'S'}, {98, 'T'}, {99, 'U'}};
    int64_t d = 0;
    if (!naf || ml_parse_i64(naf, 2, 1, 99, &d) != 0) return 0;
    for (size_t i = 0; i < ML_ARRAY_LEN(t); i++)
        if (d <= t[i].to) return t[i].section;
    return 0;
}

typedef struct naf_match {
    const char *naf;
    char section;
    char hit[8];
} naf_match;

/* A code of a scheme's list that covers the firm's NAF code (a prefix at a
 * level boundary, or its section's letter). */
static bool naf_covers(void *ud, const char *v, size_t n)
{
    naf_match *m = ud;
    bool hit = (n == 1 && v[0] == m->section) ||
               (n > 1 && n <= strlen(m->naf) && memcmp(v, m->naf, n) == 0);
    if (hit) ml_snprintf(m->hit, sizeof m->hit, "%.*s", (int)n, v);
    return hit;
}

/* The headcount bands' bounds (SIRENE's trancheEffectifs). */
static bool band_bounds(const char *band, int64_t *lo, int64_t *hi)
{
    static const struct {
        const char *code;
        int64_t lo, hi;
    } t[] = {{"00", 0, 0},       {"01", 1, 2},       {"02", 3, 5},
             {"03", 6, 9},       {"11", 10, 19},     {"12", 20, 49},
             {"21", 50, 99},     {"22", 100, 199},   {"31", 200, 249},
             {"32", 250, 499},   {"41", 500, 999},   {"42", 1000, 1999},
             {"51", 2000, 4999}, {"52", 5000, 9999}, {"53", 10000, INT64_MAX}};
    for (size_t i = 0; band && i < ML_ARRAY_LEN(t); i++)
        if (strcmp(band, t[i].code) == 0) {
            *lo = t[i].lo;
            *hi = t[i].hi;
            return true;
        }
    return false;
}

typedef struct geo_match {
    const char *codes[5]; /* PAYS-99100, REG-.., DEP-.., EPCI-.., COM-.. */
    char hit[48];
} geo_match;

static bool geo_covers(void *ud, const char *v, size_t n)
{
    geo_match *g = ud;
    for (size_t i = 0; i < 5; i++)
        if (g->codes[i] && strlen(g->codes[i]) == n && memcmp(g->codes[i], v, n) == 0) {
            ml_snprintf(g->hit, sizeof g->hit, "%.*s", (int)n, v);
            return true;
        }
    return false;
}

typedef struct chain_state {
    char reg[24], dep[24], epci[24];
} chain_state;

static int chain_row(void *ud, const char *kind, const char *code, const char *name,
                     const char *type)
{
    (void)name;
    (void)type;
    chain_state *c = ud;
    if (!code) return 0;
    if (strcmp(kind, "region") == 0) ml_snprintf(c->reg, sizeof c->reg, "REG-%s", code);
    if (strcmp(kind, "departement") == 0) ml_snprintf(c->dep, sizeof c->dep, "DEP-%s", code);
    if (strcmp(kind, "epci") == 0) ml_snprintf(c->epci, sizeof c->epci, "EPCI-%s", code);
    return 0;
}

/* A condition: "met", "unmet" or "unknown", and why. */
static void cond(json_t *a, const char *name, const char *state, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void cond(json_t *a, const char *name, const char *state, const char *fmt, ...)
{
    char why[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    json_array_append_new(
        a, json_pack("{s:s s:s s:s}", "condition", name, "state", state, "explain", why));
}

/* The conditions of scheme s for project pj of firm f on day `at`. */
static json_t *conditions(const scheme *s, const prog_project *pj, const prog_firm_view *f,
                          const chain_state *ch, const char *at)
{
    json_t *a = json_array();
    if (!a) return NULL;
    if (list_has(fv(s, SC_TARGETS), "professionnels"))
        cond(a, "target", "met", "the scheme is for firms (cibles: %s)", fv(s, SC_TARGETS));
    else
        cond(a, "target", "unmet", "the scheme is not for firms (cibles: %s)", fv(s, SC_TARGETS));
    const char *types = fv(s, SC_TYPES);
    if (!*types)
        cond(a, "project_type", "unknown",
             "the catalogue does not say which project types it funds: check its conditions");
    else if (list_has(types, pj->type))
        cond(a, "project_type", "met", "a project of type %s: among the types it funds (%s)",
             pj->type, types);
    else
        cond(a, "project_type", "unmet", "it funds %s projects, not %s", types, pj->type);
    /* company size: SIRENE's category (PME, ETI, GE), a PME under 10 employees a micro one */
    const char *sizes = fv(s, SC_SIZES);
    int64_t lo = 0, hi = 0;
    bool bounds = band_bounds(f->band, &lo, &hi);
    if (*sizes) {
        const char *cat = f->category;
        bool micro = strcmp(cat, "PME") == 0 && bounds && hi < 10;
        if (!*cat)
            cond(a, "size", "unknown",
                 "it is for %s companies; the register gives no category for this company", sizes);
        else if (list_has(sizes, cat) || (micro && list_has(sizes, "MIC")))
            cond(a, "size", "met", "a %s company%s; it is for %s", cat,
                 micro ? " (a micro one: fewer than 10 employees)" : "", sizes);
        else
            cond(a, "size", "unmet", "it is for %s companies; this one is %s%s", sizes, cat,
                 micro ? " (micro)" : "");
    }
    const char *hmin = fv(s, SC_HEAD_MIN), *hmax = fv(s, SC_HEAD_MAX);
    if (*hmin || *hmax) {
        int64_t mn = *hmin ? strtoll(hmin, NULL, 10) : 0;
        int64_t mx = *hmax ? strtoll(hmax, NULL, 10) : INT64_MAX;
        if (!bounds)
            cond(a, "headcount", "unknown",
                 "it asks %s to %s employees; the register gives no "
                 "headcount band",
                 *hmin ? hmin : "0", *hmax ? hmax : "any");
        else if (lo >= mn && hi <= mx)
            cond(a, "headcount", "met", "band %s (%lld to %lld employees) is within %s to %s",
                 f->band, (long long)lo, (long long)(hi == INT64_MAX ? lo : hi), *hmin ? hmin : "0",
                 *hmax ? hmax : "any");
        else if (hi < mn || lo > mx)
            cond(a, "headcount", "unmet", "band %s (%lld to %lld employees) is outside %s to %s",
                 f->band, (long long)lo, (long long)(hi == INT64_MAX ? lo : hi), *hmin ? hmin : "0",
                 *hmax ? hmax : "any");
        else
            cond(a, "headcount", "unknown",
                 "band %s (%lld to %lld employees) straddles the limit %s to %s: check the "
                 "headcount",
                 f->band, (long long)lo, (long long)(hi == INT64_MAX ? lo : hi), *hmin ? hmin : "0",
                 *hmax ? hmax : "any");
    }
    /* NAF sector: the exclusions first */
    naf_match m = {.naf = f->naf, .section = naf_section(f->naf)};
    if (*fv(s, SC_NAF) || *fv(s, SC_NAF_EXCL)) {
        if (!*f->naf)
            cond(a, "naf", "unknown", "the register gives no NAF code for this establishment");
        else if (each_item(fv(s, SC_NAF_EXCL), naf_covers, &m))
            cond(a, "naf", "unmet", "NAF %s is excluded (%s)", f->naf, m.hit);
        else if (!*fv(s, SC_NAF))
            cond(a, "naf", "met", "NAF %s is not among the exclusions", f->naf);
        else if (each_item(fv(s, SC_NAF), naf_covers, &m))
            cond(a, "naf", "met", "NAF %s is targeted (%s)", f->naf, m.hit);
        else
            cond(a, "naf", "unmet", "NAF %s is not among the codes targeted (%s)", f->naf,
                 fv(s, SC_NAF));
    }
    /* territory: the establishment's commune, its EPCI, département, région, France */
    char com[24] = "";
    if (*f->commune) ml_snprintf(com, sizeof com, "COM-%s", f->commune);
    geo_match g = {.codes = {"PAYS-99100", ch->reg[0] ? ch->reg : NULL, ch->dep[0] ? ch->dep : NULL,
                             ch->epci[0] ? ch->epci : NULL, com[0] ? com : NULL}};
    if (f->restricted || !*f->commune)
        cond(a, "territory", "unknown", "the establishment's commune is not known");
    else if (each_item(fv(s, SC_GEO_EXCL), geo_covers, &g))
        cond(a, "territory", "unmet", "the establishment's territory is excluded (%s)", g.hit);
    else if (each_item(fv(s, SC_GEO), geo_covers, &g))
        cond(a, "territory", "met", "the establishment (commune %s) is covered (%s)", f->commune,
             g.hit);
    else
        cond(a, "territory", "unmet", "the establishment (commune %s) is outside %s", f->commune,
             fv(s, SC_GEO));
    const char *stages = fv(s, SC_STAGES);
    if (*stages) {
        if (list_has(stages, pj->stage))
            cond(a, "stage", "met", "a project at the %s stage may apply (%s)", pj->stage, stages);
        else
            cond(a, "stage", "unmet", "it takes projects at the %s stages, this one is %s", stages,
                 pj->stage);
    }
    const char *opens = fv(s, SC_OPENS), *closes = fv(s, SC_CLOSES);
    if (*closes && strncmp(closes, at, 10) < 0)
        cond(a, "dates", "unmet", "it closed on %.10s", closes);
    else if (*opens && strncmp(opens, at, 10) > 0)
        cond(a, "dates", "unmet", "it opens on %.10s", opens);
    else if (*opens || *closes)
        cond(a, "dates", "met", "open on %s%s%.10s", at, *closes ? ", until " : "", closes);
    return a;
}

static const char *verdict(json_t *conds)
{
    bool unknown = false;
    size_t i;
    json_t *c;
    json_array_foreach(conds, i, c)
    {
        const char *st = json_string_value(json_object_get(c, "state"));
        if (st && strcmp(st, "unmet") == 0) return "not_eligible";
        if (st && strcmp(st, "unknown") == 0) unknown = true;
    }
    return unknown ? "to_check" : "eligible";
}

/* A project and its programme, as who may read (or change) it. */
static ml_err project_of(ml_db *db, const ml_actor *who, int64_t id, bool write, prog_project *pj)
{
    prog p;
    char role[16];
    ml_err r = prog_project_get(db, id, pj);
    if (!r) r = prog_open_id(db, who, pj->programme, write, &p, role);
    if (r == ML_NOTFOUND)
        return ml_fail(db->ctx, ML_NOTFOUND, "no project %lld in the programmes you run",
                       (long long)id);
    return r;
}

ml_err ml_project_schemes(ml_db *db, const ml_actor *who, int64_t project, const char *at,
                          json_t **out)
{
    *out = NULL;
    prog_project pj;
    prog_firm_view f;
    char day[11];
    chain_state ch;
    memset(&ch, 0, sizeof ch);
    ml_err r = project_of(db, who, project, false, &pj);
    if (r || (r = prog_day(db, "at", at, day)) || (r = prog_firm_view_get(db, pj.siret, &f)))
        return r;
    if (f.found && !f.restricted && f.commune[0] &&
        (r = db->be->commune_chain(db, f.commune, chain_row, &ch)))
        return r;
    scheme_list l;
    if ((r = schemes_load(db, &l))) return r;
    json_t *lists[3] = {json_array(), json_array(), json_array()};
    static const char *const order[] = {"eligible", "to_check", "not_eligible"};
    for (size_t i = 0; i < l.n; i++) {
        json_t *conds = conditions(&l.v[i], &pj, &f, &ch, day);
        const char *v = verdict(conds);
        json_t *j = json_pack("{s:s s:s s:s? s:s s:o}", "id", fv(&l.v[i], SC_ID), "title",
                              fv(&l.v[i], SC_TITLE), "url",
                              *fv(&l.v[i], SC_URL) ? fv(&l.v[i], SC_URL) : NULL, "verdict", v,
                              "conditions", conds);
        for (size_t k = 0; k < 3; k++)
            if (strcmp(v, order[k]) == 0) json_array_append_new(lists[k], j);
    }
    schemes_free(&l);
    json_array_extend(lists[0], lists[1]);
    json_array_extend(lists[0], lists[2]);
    json_decref(lists[1]);
    json_decref(lists[2]);
    *out = json_pack("{sI s:s s:s s:s s:o s:s}", "project", (json_int_t)pj.id, "title", pj.title,
                     "stage", pj.stage, "at", day, "schemes", lists[0], "note", SCHEME_NOTE);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

/* ------------------------------------------------------------ routes */

static int route_row(void *ud, const char *const *c, size_t n)
{
    json_array_append_new(
        ud, json_pack("{sI s:s s:s? s:s s:s? s:s? s:s?}", "id", (json_int_t)prog_col_int(c, n, 0),
                      "scheme", n > 1 && c[1] ? c[1] : "", "title", n > 2 ? c[2] : NULL, "day",
                      n > 3 && c[3] ? c[3] : "", "note", n > 4 ? c[4] : NULL, "author",
                      n > 5 ? c[5] : NULL, "url", n > 6 ? c[6] : NULL));
    return 0;
}

ml_err ml_project_routes(ml_db *db, const ml_actor *who, int64_t project, json_t **out)
{
    *out = NULL;
    prog_project pj;
    ml_err r = project_of(db, who, project, false, &pj);
    if (r) return r;
    json_t *a = json_array();
    ml_sql_arg q[] = {PI(pj.id)};
    if (!a) return ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if ((r = prog_sql(db, ML_PROG_ROUTES, q, 1, route_row, a))) {
        json_decref(a);
        return r;
    }
    *out = json_pack("{sI s:s s:o}", "project", (json_int_t)pj.id, "stage", pj.stage, "routes", a);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_project_route(ml_db *db, const ml_actor *who, int64_t project, const char *scheme_id,
                        const char *date, const char *note, json_t **out)
{
    *out = NULL;
    prog_project pj;
    char day[11];
    ml_err r = project_of(db, who, project, true, &pj);
    if (r || (r = prog_day(db, "date", date, day))) return r;
    if (!scheme_id || !*scheme_id) return ml_fail(db->ctx, ML_INVALID, "give the scheme's id");
    if (note && (strlen(note) > PROG_TEXT_MAX || !ml_utf8_valid(note, strlen(note))))
        return ml_fail(db->ctx, ML_INVALID, "note: UTF-8 text of at most %d bytes", PROG_TEXT_MAX);
    scheme_list l = {0};
    ml_sql_arg a[] = {PT(scheme_id)};
    if ((r = prog_sql(db, ML_PROG_SCHEME_BY_ID, a, 1, scheme_row, &l))) return r;
    bool found = l.n > 0 && !l.failed;
    schemes_free(&l);
    if (!found)
        return ml_fail(db->ctx, ML_NOTFOUND,
                       "no aid scheme '%.100s' in the catalogue (maillage scheme list)", scheme_id);
    if (strcmp(pj.stage, "rejected") == 0 || strcmp(pj.stage, "abandoned") == 0)
        return ml_fail(db->ctx, ML_REFUSED, "project %lld is %s: it is routed nowhere",
                       (long long)pj.id, pj.stage);
    /* Before `routed` the project moves there; later it keeps its stage
     * (a decided project may still be sent to other schemes). */
    bool move = strcmp(pj.stage, "detected") == 0 || strcmp(pj.stage, "qualified") == 0;
    if ((r = db->be->begin(db))) return r;
    int64_t id = 0, now = (int64_t)time(NULL);
    ml_sql_arg b[] = {PI(pj.id),     PT(scheme_id), PT(day), PT(note && *note ? note : NULL),
                      PT(who->name), PI(now)};
    r = prog_sql(db, ML_PROG_ROUTE_ADD, b, NARGS(b), prog_first_id, &id);
    if (!r && move) {
        ml_sql_arg s[] = {PI(pj.id), PT("routed"), PI(now)};
        r = prog_sql(db, ML_PROG_PROJ_STAGE, s, NARGS(s), NULL, NULL);
    }
    if (!r) r = db->be->commit(db);
    if (r) {
        db->be->rollback(db);
        return r;
    }
    return ml_project_routes(db, who, pj.id, out);
}
