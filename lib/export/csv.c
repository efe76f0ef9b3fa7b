/* csv.c — the one CSV writer: quoting, valid UTF-8, formula neutralisation,
 * BOM, sticky write errors. */
#include "export/csv.h"

static void put(ml_csv_writer *w, const void *p, size_t n)
{
    if (w->failed || n == 0) return;
    if (fwrite(p, 1, n, w->f) != n) w->failed = true;
}

void ml_csvw_init(ml_csv_writer *w, FILE *f, unsigned flags)
{
    w->f = f;
    w->flags = flags;
    w->row_begun = false;
    w->failed = false;
    ml_buf_init(&w->cell, ML_CSVW_CELL_MAX + 16);
    if (flags & ML_CSVW_BOM) put(w, "\xEF\xBB\xBF", 3);
}

static void separate(ml_csv_writer *w)
{
    if (w->row_begun) put(w, (w->flags & ML_CSVW_SEMICOLON) ? ";" : ",", 1);
    w->row_begun = true;
}

/* A spreadsheet runs a cell starting with one of these as a formula. */
static bool formula_like(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

void ml_csvw_text_max(ml_csv_writer *w, const char *s, size_t max)
{
    separate(w);
    if (!s) s = "";
    if (max > ML_CSVW_CELL_MAX) max = ML_CSVW_CELL_MAX;
    ml_buf_reset(&w->cell);
    if ((formula_like(s) && ml_buf_addch(&w->cell, '\'')) ||
        ml_buf_add_utf8(&w->cell, s, strlen(s), max)) {
        w->failed = true;
        return;
    }
    put(w, "\"", 1);
    const char *p = ml_buf_cstr(&w->cell), *end = p + w->cell.len;
    while (p < end) {
        /* Runs without a quote or a line end go out in one write. */
        size_t n = strcspn(p, "\"\r\n");
        if (n > (size_t)(end - p)) n = (size_t)(end - p);
        put(w, p, n);
        p += n;
        if (p == end) break;
        if (*p == '"')
            put(w, "\"\"", 2);
        else
            put(w, (w->flags & ML_CSVW_ONE_LINE) ? " " : p, 1);
        p++;
    }
    put(w, "\"", 1);
}

void ml_csvw_text(ml_csv_writer *w, const char *s)
{
    ml_csvw_text_max(w, s, ML_CSVW_CELL_MAX);
}

/* A plain decimal number: optional minus, digits, optional fraction. */
static bool plain_number(const char *s)
{
    const char *p = s + (*s == '-');
    size_t n = strspn(p, "0123456789");
    if (n == 0) return false;
    p += n;
    if (*p == '.') {
        n = strspn(++p, "0123456789");
        if (n == 0) return false;
        p += n;
    }
    return *p == '\0';
}

void ml_csvw_number(ml_csv_writer *w, const char *s)
{
    if (!s || !plain_number(s)) {
        ml_csvw_text(w, s);
        return;
    }
    separate(w);
    const char *dot = (w->flags & ML_CSVW_DECIMAL_COMMA) ? strchr(s, '.') : NULL;
    if (!dot) {
        put(w, s, strlen(s));
        return;
    }
    put(w, s, (size_t)(dot - s));
    put(w, ",", 1);
    put(w, dot + 1, strlen(dot + 1));
}

void ml_csvw_uint(ml_csv_writer *w, uint64_t v)
{
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    ml_csvw_number(w, tmp);
}

void ml_csvw_name(ml_csv_writer *w, const char *s)
{
    static const char word[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    if (!s || !*s || strspn(s, word) != strlen(s)) {
        ml_csvw_text(w, s);
        return;
    }
    separate(w);
    put(w, s, strlen(s));
}

void ml_csvw_end_row(ml_csv_writer *w)
{
    put(w, "\n", 1);
    w->row_begun = false;
}

int ml_csv_add_field(ml_buf *b, const char *s)
{
    if (!s) return ml_buf_failed(b) ? -1 : 0;
    if (!strpbrk(s, ",\"\r\n")) return ml_buf_addstr(b, s);
    ml_buf_addch(b, '"');
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\"");
        ml_buf_add(b, p, n);
        p += n;
        if (*p == '"') ml_buf_add(b, "\"\"", 2), p++;
    }
    return ml_buf_addch(b, '"');
}

int ml_csvw_finish(ml_csv_writer *w)
{
    if (fflush(w->f) != 0 || ferror(w->f)) w->failed = true;
    ml_buf_release(&w->cell);
    return w->failed ? -1 : 0;
}
