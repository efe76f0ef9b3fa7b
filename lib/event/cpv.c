/* cpv.c — the CPV 2008 codes of public procurement (reference data,
 * data/cpv/): a need's code checked against them, its French and English
 * labels, and the search of a code by the words of its label (folded and
 * stemmed as the search engine folds French, so accents, case and plurals
 * do not matter). */
#include "event/event.h"
#include "search/text.h"

#define CPV_WORDS_MAX 4 /* words of a query the search uses */

typedef struct cpv_rows {
    ev_cpv *one;   /* ML_EV_CPV_GET */
    json_t *list;  /* ML_EV_CPV_SEARCH */
    int64_t count; /* ML_EV_CPV_COUNT */
} cpv_rows;

static const char *cpv_level(const char *code8)
{
    size_t zeros = 0;
    for (size_t i = 8; i > 2 && code8[i - 1] == '0'; i--)
        zeros++;
    return zeros >= 6   ? "division"
           : zeros == 5 ? "group"
           : zeros == 4 ? "class"
           : zeros == 3 ? "category"
                        : "subcategory";
}

json_t *ev_cpv_json(const ev_cpv *c)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:s}", "code8", c->code8, "code", c->code, "label_fr",
                     c->label_fr, "label_en", *c->label_en ? c->label_en : NULL, "level",
                     cpv_level(c->code8));
}

static int cpv_row(void *ud, const char *const *c, size_t n)
{
    cpv_rows *r = ud;
    if (r->list) {
        if (n < 4 || !c[0] || !c[1] || !c[2]) return 0;
        ev_cpv v = {0};
        ml_snprintf(v.code8, sizeof v.code8, "%s", c[0]);
        ml_snprintf(v.code, sizeof v.code, "%s", c[1]);
        ml_snprintf(v.label_fr, sizeof v.label_fr, "%s", c[2]);
        ml_snprintf(v.label_en, sizeof v.label_en, "%s", c[3] ? c[3] : "");
        json_t *o = ev_cpv_json(&v);
        return o ? json_array_append_new(r->list, o) : 1;
    }
    if (r->one) {
        if (n < 4 || !c[0] || !c[1] || !c[2]) return 0;
        ml_snprintf(r->one->code8, sizeof r->one->code8, "%s", c[0]);
        ml_snprintf(r->one->code, sizeof r->one->code, "%s", c[1]);
        ml_snprintf(r->one->label_fr, sizeof r->one->label_fr, "%s", c[2]);
        ml_snprintf(r->one->label_en, sizeof r->one->label_en, "%s", c[3] ? c[3] : "");
        return 1;
    }
    if (n >= 1 && c[0]) ml_parse_i64(c[0], strlen(c[0]), 0, INT64_MAX, &r->count);
    return 1;
}

/* ML_INVALID, said why, when the table is empty (a database made before the
 * CPV list was shipped). */
static ml_err cpv_loaded(ml_db *db)
{
    cpv_rows r = {0};
    ml_err e = db->be->event_sql(db, ML_EV_CPV_COUNT, NULL, 0, cpv_row, &r, NULL);
    if (!e && r.count == 0)
        e = ml_fail(db->ctx, ML_INVALID,
                    "the CPV 2008 codes are not loaded in this database: run `maillage init` "
                    "once (it loads data/cpv/)");
    return e;
}

ml_err ev_cpv_find(ml_db *db, const char *code8, ev_cpv *out)
{
    memset(out, 0, sizeof *out);
    cpv_rows r = {.one = out};
    ml_sql_arg a = {.type = ML_ARG_TEXT, .s = code8};
    ml_err e = db->be->event_sql(db, ML_EV_CPV_GET, &a, 1, cpv_row, &r, NULL);
    if (e) return e;
    return *out->code8 ? ML_OK : ML_NOTFOUND;
}

ml_err ev_cpv_check(ml_db *db, const char *code, ev_cpv *out)
{
    memset(out, 0, sizeof *out);
    size_t n = code ? strlen(code) : 0;
    bool shape = n == 8 || (n == 10 && code[8] == '-' && code[9] >= '0' && code[9] <= '9');
    for (size_t i = 0; shape && i < 8; i++)
        shape = code[i] >= '0' && code[i] <= '9';
    if (!shape)
        return ml_fail(db->ctx, ML_INVALID,
                       "CPV: '%.20s' is not a CPV code (8 digits, as 45112500, or with its check "
                       "digit, 45112500-9)",
                       code ? code : "");
    char code8[9];
    ml_snprintf(code8, sizeof code8, "%.8s", code);
    ml_err e = cpv_loaded(db);
    if (!e) e = ev_cpv_find(db, code8, out);
    if (e == ML_NOTFOUND)
        return ml_fail(db->ctx, ML_INVALID,
                       "CPV: %s is not a code of the CPV 2008 (find one by words: maillage cpv "
                       "search WORDS)",
                       code8);
    if (e) return e;
    if (n == 10 && code[9] != out->code[9])
        return ml_fail(db->ctx, ML_INVALID,
                       "CPV: the check digit of %s is %c, not %c (write %s, or the 8 digits alone)",
                       code8, out->code[9], code[9], out->code);
    return ML_OK;
}

ml_err ml_cpv_get(ml_db *db, const char *code, json_t **out)
{
    *out = NULL;
    ev_cpv c;
    ml_err e = ev_cpv_check(db, code, &c);
    if (e) return e;
    *out = json_pack("{s:o}", "cpv", ev_cpv_json(&c));
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return n > 0;
}

ml_err ml_cpv_search(ml_db *db, const char *text, unsigned limit, json_t **out)
{
    *out = NULL;
    if (!limit) limit = 20;
    if (limit > 100) return ml_fail(db->ctx, ML_INVALID, "limit: from 1 to 100 (not %u)", limit);
    size_t len = text ? strlen(text) : 0;
    if (!len || len > 200 || !ml_utf8_valid(text, len))
        return ml_fail(db->ctx, ML_INVALID,
                       "give words of what is bought (at most 200 bytes of text), as « véhicules "
                       "électriques », or the first digits of a code");
    ml_err e = cpv_loaded(db);
    if (e) return e;
    /* digits (a dash and the check digit allowed): a code's beginning */
    char code_like[12] = "%", pat[CPV_WORDS_MAX][64];
    size_t nd = strcspn(text, "-");
    json_t *words = json_array();
    for (int i = 0; i < CPV_WORDS_MAX; i++)
        ml_snprintf(pat[i], sizeof pat[i], "%%");
    if (all_digits(text, nd) && nd <= 8) {
        ml_snprintf(code_like, sizeof code_like, "%.*s%%", (int)nd, text);
    } else {
        ml_text *t = ml_text_new();
        ml_buf folded;
        ml_buf_init(&folded, 1024);
        int nw = t ? ml_text_fold(t, &folded, text, len, ML_FOLD_STEM) : -1;
        ml_text_free(t);
        if (nw < 0 || ml_buf_failed(&folded)) {
            ml_buf_release(&folded);
            json_decref(words);
            return ml_fail(db->ctx, ML_NOMEM, "out of memory");
        }
        int k = 0;
        for (const char *p = ml_buf_cstr(&folded); *p && k < CPV_WORDS_MAX;) {
            while (*p == ' ')
                p++;
            size_t w = strcspn(p, " ");
            if (w && w < 60) {
                ml_snprintf(pat[k++], sizeof pat[0], "%% %.*s%%", (int)w, p);
                json_array_append_new(words, json_stringn(p, w));
            }
            p += w;
        }
        ml_buf_release(&folded);
        if (!k) {
            json_decref(words);
            return ml_fail(db->ctx, ML_INVALID,
                           "'%.60s': no word to look for (only short or common words)", text);
        }
    }
    cpv_rows r = {.list = json_array()};
    ml_sql_arg args[6];
    for (int i = 0; i < CPV_WORDS_MAX; i++)
        args[i] = (ml_sql_arg){.type = ML_ARG_TEXT, .s = pat[i]};
    args[4] = (ml_sql_arg){.type = ML_ARG_TEXT, .s = code_like};
    args[5] = (ml_sql_arg){.type = ML_ARG_INT, .i = limit};
    e = db->be->event_sql(db, ML_EV_CPV_SEARCH, args, 6, cpv_row, &r, NULL);
    if (e) {
        json_decref(r.list), json_decref(words);
        return e;
    }
    *out = json_pack("{s:s, s:o, s:o}", "query", text, "words", words, "results", r.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

bool ev_cpv_parent(char code8[9])
{
    for (int i = 7; i >= 2; i--)
        if (code8[i] != '0') {
            code8[i] = '0';
            return true;
        }
    return false;
}
