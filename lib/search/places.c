/* places.c — names in the lexicon: communes (with their postcodes), EPCI,
 * départements, régions and named trades; how a name typed in a filter
 * becomes codes, what the boxes suggest while one types, and the nearest
 * trades to words that matched nothing. */
#include <strings.h>

#include "search/lexicon_impl.h"

/* --------------------------------------------------------------- entries */

int lex_entry_add(ml_lexicon *lex, const char *shown, const char *codes, const ml_naf_set *set,
                  int source)
{
    if (lex->nentries == lex->capentries) {
        size_t cap = lex->capentries ? lex->capentries * 2 : 1024;
        lex_entry *e = realloc(lex->entries, cap * sizeof *e);
        if (!e) return -1;
        lex->entries = e;
        lex->capentries = cap;
    }
    lex_entry *e = &lex->entries[lex->nentries];
    e->shown = ml_strdup(shown);
    e->key = lex_fold(lex, shown, 0);
    e->codes = ml_strdup(codes);
    e->set = *set;
    e->source = source;
    if (!e->shown || !e->key || !e->codes) {
        free(e->shown);
        free(e->key);
        free(e->codes);
        return -1;
    }
    lex->nentries++;
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const lex_entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->source - y->source;
}

void lex_entries_sort(ml_lexicon *lex)
{
    qsort(lex->entries, lex->nentries, sizeof *lex->entries, cmp_entry);
}

void lex_entries_free(ml_lexicon *lex)
{
    for (size_t i = 0; i < lex->nentries; i++) {
        free(lex->entries[i].shown);
        free(lex->entries[i].key);
        free(lex->entries[i].codes);
    }
    free(lex->entries);
}

/* ---------------------------------------------------------------- places */

typedef struct place_load {
    ml_lexicon *lex;
    int kind;
    size_t cap[PLACE_KINDS];
    /* postcodes before the communes are sorted: (code, commune code) */
    struct {
        char code[6], commune[6];
    } * pc;
    size_t npc, cappc;
} place_load;

static lex_place *place_new(place_load *L, int kind)
{
    ml_lexicon *lex = L->lex;
    if (lex->nplaces[kind] == L->cap[kind]) {
        size_t cap = L->cap[kind] ? L->cap[kind] * 2 : 256;
        lex_place *p = realloc(lex->places[kind], cap * sizeof *p);
        if (!p) return NULL;
        lex->places[kind] = p;
        L->cap[kind] = cap;
    }
    lex_place *p = &lex->places[kind][lex->nplaces[kind]];
    memset(p, 0, sizeof *p);
    return p;
}

static int place_named(place_load *L, int kind, const char *code, const char *name, const char *dep,
                       int64_t population, bool current)
{
    if (!code || !name) return 0;
    lex_place *p = place_new(L, kind);
    if (!p) return 1;
    ml_snprintf(p->code, sizeof p->code, "%s", code);
    ml_snprintf(p->dep, sizeof p->dep, "%s", dep ? dep : "");
    p->name = ml_strdup(name);
    p->key = lex_fold(L->lex, name, ML_FOLD_KEEP_STOP);
    p->population = population;
    p->current = current;
    if (!p->name || !p->key) {
        free(p->name);
        free(p->key);
        return 1;
    }
    L->lex->nplaces[kind]++;
    return 0;
}

static int row_commune(void *ud, const char *const *f, size_t n)
{
    if (n < 8) return 0;
    int64_t pop = 0;
    if (f[7]) ml_parse_i64(f[7], strlen(f[7]), 0, INT64_MAX, &pop);
    bool current = f[2] && (strcmp(f[2], "COM") == 0 || strcmp(f[2], "ARM") == 0);
    return place_named(ud, PLACE_COMMUNE, f[0], f[1], f[3], pop, current);
}

static int row_epci(void *ud, const char *const *f, size_t n)
{
    return n >= 2 ? place_named(ud, PLACE_EPCI, f[0], f[1], NULL, 0, true) : 0;
}

static int row_departement(void *ud, const char *const *f, size_t n)
{
    return n >= 3 ? place_named(ud, PLACE_DEPARTEMENT, f[0], f[2], f[0], 0, true) : 0;
}

static int row_region(void *ud, const char *const *f, size_t n)
{
    return n >= 2 ? place_named(ud, PLACE_REGION, f[0], f[1], NULL, 0, true) : 0;
}

static int row_postcode(void *ud, const char *const *f, size_t n)
{
    place_load *L = ud;
    if (n < 2 || !f[0] || !f[1]) return 0;
    if (L->npc == L->cappc) {
        size_t cap = L->cappc ? L->cappc * 2 : 4096;
        void *p = realloc(L->pc, cap * sizeof *L->pc);
        if (!p) return 1;
        L->pc = p;
        L->cappc = cap;
    }
    ml_snprintf(L->pc[L->npc].code, sizeof L->pc[0].code, "%s", f[0]);
    ml_snprintf(L->pc[L->npc].commune, sizeof L->pc[0].commune, "%s", f[1]);
    L->npc++;
    return 0;
}

static int cmp_place(const void *a, const void *b)
{
    return strcmp(((const lex_place *)a)->code, ((const lex_place *)b)->code);
}

static int cmp_postcode(const void *a, const void *b)
{
    const lex_postcode *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->commune > y->commune) - (x->commune < y->commune);
}

const lex_place *lex_place_find(const ml_lexicon *lex, int kind, const char *code)
{
    lex_place key;
    if (!code) return NULL;
    ml_snprintf(key.code, sizeof key.code, "%s", code);
    return bsearch(&key, lex->places[kind], lex->nplaces[kind], sizeof key, cmp_place);
}

size_t lex_postcode_find(const ml_lexicon *lex, const char *code, size_t *count)
{
    size_t lo = 0, hi = lex->npostcodes;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(lex->postcodes[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < lex->npostcodes && strcmp(lex->postcodes[end].code, code) == 0)
        end++;
    *count = end - lo;
    return lo;
}

ml_err lex_places_load(ml_db *db, ml_lexicon *lex)
{
    place_load L = {.lex = lex};
    static const struct {
        ml_ref_table table;
        int (*fn)(void *, const char *const *, size_t);
    } scans[] = {
        {ML_REF_COMMUNE, row_commune},         {ML_REF_EPCI, row_epci},
        {ML_REF_DEPARTEMENT, row_departement}, {ML_REF_REGION, row_region},
        {ML_REF_POSTCODE, row_postcode},
    };
    ml_err r = ML_OK;
    for (size_t i = 0; i < ML_ARRAY_LEN(scans) && !r; i++)
        r = db->be->ref_scan(db, scans[i].table, scans[i].fn, &L);
    if (r) goto out;
    for (int k = 0; k < PLACE_KINDS; k++)
        qsort(lex->places[k], lex->nplaces[k], sizeof(lex_place), cmp_place);
    lex->postcodes = calloc(L.npc ? L.npc : 1, sizeof *lex->postcodes);
    if (!lex->postcodes) {
        r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < L.npc; i++) {
        const lex_place *c = lex_place_find(lex, PLACE_COMMUNE, L.pc[i].commune);
        if (!c) continue;
        lex_postcode *p = &lex->postcodes[lex->npostcodes++];
        ml_snprintf(p->code, sizeof p->code, "%s", L.pc[i].code);
        p->commune = (uint32_t)(c - lex->places[PLACE_COMMUNE]);
    }
    qsort(lex->postcodes, lex->npostcodes, sizeof *lex->postcodes, cmp_postcode);
out:
    free(L.pc);
    return r;
}

void lex_places_free(ml_lexicon *lex)
{
    for (int k = 0; k < PLACE_KINDS; k++) {
        for (size_t i = 0; i < lex->nplaces[k]; i++) {
            free(lex->places[k][i].name);
            free(lex->places[k][i].key);
        }
        free(lex->places[k]);
    }
    free(lex->postcodes);
}

/* --------------------------------------------------------------- matching */

unsigned lex_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64) n = 64;
    if (m > 64) m = 64;
    unsigned row[65];
    for (size_t j = 0; j <= m; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= m; j++) {
            unsigned up = row[j];
            unsigned best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

/* How well a folded key matches folded query words: 0 same, 1 the key starts
 * with the query, 2 every query word starts a word of the key, -1 no match. */
static int key_match(const char *key, const char *q)
{
    if (!*q) return -1;
    if (strcmp(key, q) == 0) return 0;
    size_t qn = strlen(q);
    if (strncmp(key, q, qn) == 0 && (key[qn] == ' ' || key[qn] == '\0')) return 1;
    if (strncmp(key, q, qn) == 0) return 2;
    for (const char *w = q; *w;) {
        size_t n = strcspn(w, " ");
        bool found = false;
        for (const char *k = key; *k && !found;) {
            size_t kn = strcspn(k, " ");
            if (kn >= n && strncmp(k, w, n) == 0) found = true;
            k += kn + (k[kn] == ' ');
        }
        if (!found) return -1;
        w += n + (w[n] == ' ');
    }
    return 3;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, "0123456789") == n;
}

typedef struct candidate {
    const lex_place *place;
    const lex_entry *entry;
    int score;
    const char *why; /* "postcode", "code" or NULL */
} candidate;

static int cmp_candidate(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->score != y->score) return x->score - y->score;
    if (x->place && y->place) {
        if (x->place->current != y->place->current) return y->place->current - x->place->current;
        if (x->place->population != y->place->population)
            return x->place->population > y->place->population ? -1 : 1;
        return strcmp(x->place->code, y->place->code);
    }
    if (x->entry && y->entry) {
        if (x->entry->source != y->entry->source) return y->entry->source - x->entry->source;
        size_t lx = strlen(x->entry->key), ly = strlen(y->entry->key);
        if (lx != ly) return lx < ly ? -1 : 1;
        return strcmp(x->entry->codes, y->entry->codes);
    }
    return 0;
}

/* Candidate places of `kind` for a value typed by a person, best first. */
static size_t place_candidates(ml_lexicon *lex, int kind, const char *text, bool suggest,
                               candidate *out, size_t max)
{
    size_t n = 0;
    const char *t = text;
    while (*t == ' ')
        t++;
    char code[16];
    ml_snprintf(code, sizeof code, "%s", t);
    /* "Aix-en-Provence (13001)", as the boxes suggest it: the code decides. */
    size_t tl = strlen(t);
    const char *open = strrchr(t, '(');
    if (tl > 2 && t[tl - 1] == ')' && open && (size_t)(t + tl - 1 - open - 1) < sizeof code) {
        ml_snprintf(code, sizeof code, "%.*s", (int)(t + tl - 1 - open - 1), open + 1);
        for (char *p = code; *p; p++)
            if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
        const lex_place *p = lex_place_find(lex, kind, code);
        if (p && max > 0) {
            out[0] = (candidate){p, NULL, 0, "code"};
            return 1;
        }
        ml_snprintf(code, sizeof code, "%s", t);
    }
    for (char *p = code; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
    if (strncmp(code, "REG:", 4) == 0 && kind == PLACE_REGION) memmove(code, code + 4, 12);
    /* Codes: exact, then (digits) a code prefix, and postcodes for communes. */
    /* The communes of a postcode first (what people type), then the place
     * whose code it is (what programs send; a filter takes it first). */
    const lex_place *exact = lex_place_find(lex, kind, code);
    if (kind == PLACE_COMMUNE && all_digits(code, 5, 5)) {
        size_t cnt, first = lex_postcode_find(lex, code, &cnt);
        for (size_t i = 0; i < cnt && n < max; i++) {
            const lex_place *c = &lex->places[PLACE_COMMUNE][lex->postcodes[first + i].commune];
            out[n++] = (candidate){c, NULL, 0, "postcode"};
        }
        qsort(out, n, sizeof *out, cmp_candidate);
    }
    if (exact && n < max) out[n++] = (candidate){exact, NULL, 1, "code"};
    if (all_digits(code, 1, 8) || (strlen(code) <= 3 && code[0] == '2' && code[1] == 'A') ||
        (strlen(code) <= 3 && code[0] == '2' && code[1] == 'B')) {
        size_t len = strlen(code), start = n;
        for (size_t i = 0; i < lex->nplaces[kind] && n < max; i++) {
            const lex_place *p = &lex->places[kind][i];
            if (p != exact && strncmp(p->code, code, len) == 0 && p->current)
                out[n++] = (candidate){p, NULL, 2, "code"};
        }
        qsort(out + start, n - start, sizeof *out, cmp_candidate);
        if (n > 0 || all_digits(code, 1, 8)) return n;
    }
    char *q = lex_fold(lex, t, ML_FOLD_KEEP_STOP);
    if (!q) return n;
    size_t start = n;
    for (size_t i = 0; i < lex->nplaces[kind]; i++) {
        const lex_place *p = &lex->places[kind][i];
        int s = key_match(p->key, q);
        /* While one types, "aix" is as much Aix-en-Provence as Aix: the
         * biggest first. A filter takes the exact name first. */
        if (suggest && s == 0) s = 1;
        if (s < 0 || p == exact) continue;
        if (n < max) {
            out[n++] = (candidate){p, NULL, s, NULL};
        } else {
            /* Keep the best `max`: replace the worst if this one is better. */
            size_t worst = start;
            for (size_t k = start + 1; k < n; k++)
                if (cmp_candidate(&out[k], &out[worst]) > 0) worst = k;
            candidate c = {p, NULL, s, NULL};
            if (cmp_candidate(&c, &out[worst]) < 0) out[worst] = c;
        }
    }
    free(q);
    qsort(out + start, n - start, sizeof *out, cmp_candidate);
    return n;
}

static bool naf_code_shape(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 6) return false;
    if (s[0] >= '0' && s[0] <= '9')
        return strspn(s, "0123456789.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == n;
    return n <= 4 &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == n &&
           (n == 1 || strspn(s + 1, "0123456789") > 0 || n == 2);
}

/* Candidate trades for a NAF field: codes of any level by prefix, then
 * vocabulary entries and labels by their words. */
static int cmp_code_candidate(const void *a, const void *b)
{
    return strcmp(((const candidate *)a)->entry->codes, ((const candidate *)b)->entry->codes);
}

static size_t naf_candidates(ml_lexicon *lex, const char *text, candidate *out, size_t max)
{
    size_t n = 0;
    /* A code being typed ("25.6"): the codes it starts, in code order. */
    size_t tl = strlen(text);
    if (tl && text[0] >= '0' && text[0] <= '9' && naf_code_shape(text)) {
        for (size_t i = 0; i < lex->nentries && n < max; i++) {
            const lex_entry *e = &lex->entries[i];
            if (e->source == LEX_SOURCE_NAF && !strchr(e->codes, ' ') &&
                strncasecmp(e->codes, text, tl) == 0)
                out[n++] = (candidate){NULL, e, strlen(e->codes) == tl ? 0 : 2, "code"};
        }
        qsort(out, n, sizeof *out, cmp_code_candidate);
        return n;
    }
    char *q = lex_fold(lex, text, 0);
    if (!q) return 0;
    size_t start = n;
    for (size_t i = 0; i < lex->nentries; i++) {
        const lex_entry *e = &lex->entries[i];
        int s = key_match(e->key, q);
        /* A section or an aggregate code typed ("C", "CH", "C25D"). */
        if (s < 0 && e->source == LEX_SOURCE_NAF && strcasecmp(e->codes, text) == 0) s = 0;
        if (s < 0) continue;
        candidate c = {NULL, e, s, NULL};
        if (n < max) {
            out[n++] = c;
        } else {
            size_t worst = start;
            for (size_t k = start + 1; k < n; k++)
                if (cmp_candidate(&out[k], &out[worst]) > 0) worst = k;
            if (cmp_candidate(&c, &out[worst]) < 0) out[worst] = c;
        }
    }
    free(q);
    qsort(out + start, n - start, sizeof *out, cmp_candidate);
    return n;
}

static const char *kind_names[] = {"commune", "epci", "departement", "region"};
static const char *kind_shown[] = {"commune", "EPCI", "département", "région"};
static const char *kind_expected[] = {
    "5 characters, like 13055 or 2A004, a postcode like 13100, or a name",
    "a SIREN of 9 digits, like 200054807, or a name",
    "2 characters like 13 or 2A, or 3 digits like 971, or a name",
    "2 digits, like 93, or a name",
};

int ml_place_kind(const char *name)
{
    for (int k = 0; k < PLACE_KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0) return k;
    if (strcmp(name, "dep") == 0) return PLACE_DEPARTEMENT;
    if (strcmp(name, "naf") == 0) return ML_KIND_NAF;
    return -1;
}

/* A commune's département (and whether it is a former commune). */
static void place_detail(const ml_lexicon *lex, int kind, const candidate *c, char *out,
                         size_t size)
{
    const lex_place *p = c->place;
    const lex_place *dep =
        kind == PLACE_COMMUNE ? lex_place_find(lex, PLACE_DEPARTEMENT, p->dep) : NULL;
    if (kind == PLACE_COMMUNE)
        ml_snprintf(out, size, "%s%s", dep ? dep->name : p->dep,
                    p->current ? "" : ", former commune");
    else
        ml_snprintf(out, size, "%s", "");
}

/* The level a NAF code is at, from its shape. */
static const char *naf_level_name(const char *code)
{
    size_t n = strlen(code);
    if (code[0] >= '0' && code[0] <= '9')
        return n == 2 ? "division" : n == 4 ? "group" : n == 5 ? "class" : "subclass";
    return n == 1 ? "section" : "aggregate";
}

json_t *ml_lexicon_suggest(ml_lexicon *lex, int kind, const char *text, unsigned limit)
{
    json_t *list = json_array();
    ml_json_build jb = {0};
    candidate c[50];
    if (limit > ML_ARRAY_LEN(c)) limit = ML_ARRAY_LEN(c);
    size_t n = kind == ML_KIND_NAF ? naf_candidates(lex, text, c, limit)
                                   : place_candidates(lex, kind, text, true, c, limit);
    for (size_t i = 0; i < n; i++) {
        if (c[i].entry) {
            /* A NAF label's value is its code; a vocabulary word's is the
             * word itself (the NAF filter takes it), its codes the detail. */
            const lex_entry *e = c[i].entry;
            bool vocab = e->source != LEX_SOURCE_NAF;
            json_array_append_new(
                list,
                ml_json_pack(&jb, "{s:s, s:s, s:s, s:s, s:s}", "code", vocab ? e->shown : e->codes,
                             "label", e->shown, "detail", vocab ? e->codes : "", "level",
                             vocab ? "vocabulary" : naf_level_name(e->codes), "source",
                             e->source == LEX_SOURCE_USER ? "user"
                             : vocab                      ? "vocabulary"
                                                          : "naf"));
            continue;
        }
        char detail[160];
        place_detail(lex, kind, &c[i], detail, sizeof detail);
        json_t *o =
            ml_json_pack(&jb, "{s:s, s:s, s:s, s:s}", "code", c[i].place->code, "label",
                         c[i].place->name, "detail", detail, "match", c[i].why ? c[i].why : "name");
        if (o && kind == PLACE_COMMUNE && c[i].why && strcmp(c[i].why, "postcode") == 0)
            json_object_set_new(o, "postcode", json_string(text));
        json_array_append_new(list, o);
    }
    if (jb.failed) {
        json_decref(list);
        return NULL; /* the caller's pack fails on it */
    }
    return list;
}

/* Writes "Name (code, département), Name (code)…" of the first candidates. */
static void list_names(const ml_lexicon *lex, const candidate *c, size_t n, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && i < 8 && o + 1 < size; i++) {
        const char *name = c[i].place ? c[i].place->name : c[i].entry->shown;
        const char *code = c[i].place ? c[i].place->code : c[i].entry->codes;
        const lex_place *dep =
            c[i].place && *c[i].place->dep && strcmp(c[i].place->dep, c[i].place->code) != 0
                ? lex_place_find(lex, PLACE_DEPARTEMENT, c[i].place->dep)
                : NULL;
        int w = snprintf(out + o, size - o, "%s%s (%s%s%s)", i ? ", " : "", name, code,
                         dep ? ", " : "", dep ? dep->name : "");
        if (w < 0) break;
        o += (size_t)w;
    }
    if (n > 8 && o + 8 < size) snprintf(out + o, size - o, ", …");
}

ml_err ml_lexicon_resolve_place(ml_db *db, ml_lexicon *lex, int kind, const char *value,
                                char codes[][10], size_t max, size_t *ncodes)
{
    *ncodes = 0;
    candidate c[64];
    size_t n = place_candidates(lex, kind, value, false, c, ML_ARRAY_LEN(c));
    bool letters = false;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        letters |= (*p | 0x20) >= 'a' && (*p | 0x20) <= 'z' &&
                   !(p == (const unsigned char *)value + 1 && value[0] == '2');
    if (n == 0 && kind == PLACE_COMMUNE && all_digits(value, 5, 5))
        return ml_fail(db->ctx, ML_INVALID, "no commune has the code or the postcode '%s'", value);
    if (n == 0 && !letters)
        return ml_fail(db->ctx, ML_INVALID, "invalid %s code '%.40s' (expected %s)",
                       kind_shown[kind], value, kind_expected[kind]);
    if (n == 0)
        return ml_fail(db->ctx, ML_INVALID, "no %s has the name or code '%.60s'", kind_shown[kind],
                       value);
    /* A code first (a commune code that is also a postcode is that
     * commune), then a postcode's communes. */
    for (size_t i = 0; i < n; i++) {
        if (!c[i].why || strcmp(c[i].why, "code") != 0 || c[i].score > 1) continue;
        const char *t = value;
        while (*t == ' ')
            t++;
        if (strcasecmp(c[i].place->code, t) != 0 && !strchr(t, '(')) continue;
        ml_snprintf(codes[0], 10, "%s", c[i].place->code);
        *ncodes = 1;
        return ML_OK;
    }
    if (c[0].why && strcmp(c[0].why, "postcode") == 0) {
        for (size_t i = 0; i < n && *ncodes < max && c[i].why && strcmp(c[i].why, "postcode") == 0;
             i++)
            ml_snprintf(codes[(*ncodes)++], 10, "%s", c[i].place->code);
        return ML_OK;
    }
    if (c[0].why)
        return ml_fail(db->ctx, ML_INVALID, "no %s has the code '%.60s'", kind_shown[kind], value);
    /* A name: the only exact one (current places first), or the only match. */
    size_t exact = 0, exact_current = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].score == 0) exact++, exact_current += c[i].place->current;
    if (exact == 1 || (exact > 1 && exact_current == 1) || n == 1) {
        ml_snprintf(codes[0], 10, "%s", c[0].place->code);
        *ncodes = 1;
        return ML_OK;
    }
    char names[1024];
    list_names(lex, c, exact ? exact : n, names, sizeof names);
    return ml_fail(db->ctx, ML_AMBIGUOUS, "'%.60s' names several %s%s: %s; give one of these codes",
                   value, kind == PLACE_COMMUNE ? "communes" : kind_shown[kind],
                   kind == PLACE_COMMUNE ? "" : "s", names);
}

ml_err ml_lexicon_resolve_naf(ml_db *db, ml_lexicon *lex, const char *value, ml_naf_set *out,
                              char *shown, size_t size)
{
    if (ml_lexicon_naf_code_set(lex, value, out)) {
        ml_snprintf(shown, size, "%s", value);
        return ML_OK;
    }
    if (naf_code_shape(value) && (value[0] >= '0' && value[0] <= '9'))
        return ml_fail(db->ctx, ML_INVALID,
                       "unknown NAF code '%.40s' (expected a sub-class like 25.62A, a class 25.62, "
                       "a group 25.6, a division 25, a section C, or an A10/A38/A64/A129 code)",
                       value);
    candidate c[64];
    size_t n = naf_candidates(lex, value, c, ML_ARRAY_LEN(c));
    size_t exact = 0;
    while (exact < n && c[exact].score == 0)
        exact++;
    /* A NAF label typed exactly is that activity; else the exact vocabulary
     * entries of that key (the user's and the shipped one) together. */
    if (exact >= 1 || n == 1) {
        memset(out, 0, sizeof *out);
        size_t take = exact ? exact : 1;
        bool label = false;
        for (size_t i = 0; i < take; i++)
            label |= c[i].entry->source == LEX_SOURCE_NAF;
        const lex_entry *first = NULL;
        for (size_t i = 0; i < take; i++) {
            if (label && c[i].entry->source != LEX_SOURCE_NAF) continue;
            ml_naf_set_or(out, &c[i].entry->set);
            if (!first) first = c[i].entry;
        }
        ml_snprintf(shown, size, "%s (%s)", first->shown, first->codes);
        return ML_OK;
    }
    if (n == 0) {
        if (naf_code_shape(value))
            return ml_fail(
                db->ctx, ML_INVALID,
                "unknown NAF code '%.40s' (expected a sub-class like 25.62A, a class "
                "25.62, a group 25.6, a division 25, a section C, or an A10/A38/A64/A129 "
                "code)",
                value);
        return ml_fail(db->ctx, ML_INVALID,
                       "no NAF code, label or trade word matches '%.60s' (try `maillage suggest "
                       "naf WORD`)",
                       value);
    }
    char names[1024];
    list_names(lex, c, n, names, sizeof names);
    return ml_fail(db->ctx, ML_INVALID, "'%.60s' matches several activities: %s; give one of these",
                   value, names);
}

/* ----------------------------------------------------------- nearest trades */

json_t *ml_lexicon_nearest(ml_lexicon *lex, const char *text, unsigned limit)
{
    json_t *list = json_array();
    char *q = lex_fold(lex, text, 0);
    if (!q) return list;
    struct best {
        const lex_entry *e;
        unsigned d;
    } best[8] = {{0}};
    size_t nb = 0;
    if (limit > ML_ARRAY_LEN(best)) limit = ML_ARRAY_LEN(best);
    for (size_t i = 0; i < lex->nentries; i++) {
        const lex_entry *e = &lex->entries[i];
        if (e->source == LEX_SOURCE_NAF || strcmp(e->key, q) == 0) continue;
        /* The whole query against the entry, and each word against it. */
        unsigned d = lex_distance(q, e->key);
        size_t ql = strlen(q);
        for (const char *w = q; *w;) {
            size_t n = strcspn(w, " ");
            char word[65];
            ml_snprintf(word, sizeof word, "%.*s", (int)(n < 64 ? n : 64), w);
            if (n >= 3) {
                unsigned dw = lex_distance(word, e->key);
                if (dw < d) d = dw, ql = n;
                /* A word that starts the entry ("chaudron" for "chaudronnerie"). */
                if (n >= 4 && strncmp(e->key, word, n) == 0 && 1 < d) d = 1, ql = n;
            }
            w += n + (w[n] == ' ');
        }
        unsigned allowed = ql >= 9 ? 3 : ql >= 5 ? 2 : 1;
        if (d > allowed) continue;
        /* Insert into the best list (sorted by distance, then shorter key). */
        size_t pos = nb;
        while (pos > 0 && (best[pos - 1].d > d ||
                           (best[pos - 1].d == d && strlen(best[pos - 1].e->key) > strlen(e->key))))
            pos--;
        if (pos >= limit) continue;
        bool dup = false;
        for (size_t k = 0; k < nb; k++)
            dup |= strcmp(best[k].e->key, e->key) == 0;
        if (dup) continue;
        if (nb < limit) nb++;
        memmove(&best[pos + 1], &best[pos], (nb - 1 - pos) * sizeof best[0]);
        best[pos] = (struct best){e, d};
    }
    free(q);
    ml_json_build jb = {0};
    for (size_t i = 0; i < nb; i++)
        json_array_append_new(list,
                              ml_json_pack(&jb, "{s:s, s:s, s:i}", "term", best[i].e->shown, "naf",
                                           best[i].e->codes, "distance", (int)best[i].d));
    if (jb.failed) {
        json_decref(list);
        return NULL;
    }
    return list;
}
