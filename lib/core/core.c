/* core.c — context, error messages, buffers, number parsing, UTF-8 checks. */
#include <errno.h>
#include <math.h>
#include <time.h>

#include "core/core.h"

static const char *const err_names[] = {
    [ML_OK] = "ML_OK",
    [ML_ERROR] = "ML_ERROR",
    [ML_NOMEM] = "ML_NOMEM",
    [ML_IO] = "ML_IO",
    [ML_FORMAT] = "ML_FORMAT",
    [ML_NOTFOUND] = "ML_NOTFOUND",
    [ML_INVALID] = "ML_INVALID",
    [ML_DB] = "ML_DB",
    [ML_LIMIT] = "ML_LIMIT",
    [ML_PRIVATE] = "ML_PRIVATE",
    [ML_INTERRUPTED] = "ML_INTERRUPTED",
    [ML_AMBIGUOUS] = "ML_AMBIGUOUS",
    [ML_BUSY] = "ML_BUSY",
    [ML_REFUSED] = "ML_REFUSED",
};

const char *ml_err_name(ml_err err)
{
    if ((size_t)err < ML_ARRAY_LEN(err_names) && err_names[err]) return err_names[err];
    return "ML_UNKNOWN";
}

ml_ctx *ml_ctx_new(void)
{
    ml_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    const char *dir = getenv("MAILLAGE_DATA");
    if (ml_ctx_set_datadir(ctx, dir && *dir ? dir : ML_DATADIR) != ML_OK) {
        free(ctx);
        return NULL;
    }
    return ctx;
}

void ml_ctx_free(ml_ctx *ctx)
{
    if (!ctx) return;
    free(ctx->datadir);
    free(ctx);
}

const char *ml_ctx_message(const ml_ctx *ctx)
{
    return ctx ? ctx->message : "";
}

void ml_ctx_set_log(ml_ctx *ctx, ml_log_fn fn, void *ud)
{
    ctx->log = fn;
    ctx->log_ud = ud;
}

ml_err ml_ctx_set_datadir(ml_ctx *ctx, const char *dir)
{
    char *copy = ml_strdup(dir);
    if (!copy) return ml_fail(ctx, ML_NOMEM, "out of memory");
    free(ctx->datadir);
    ctx->datadir = copy;
    return ML_OK;
}

const char *ml_ctx_datadir(const ml_ctx *ctx)
{
    return ctx->datadir;
}

ml_err ml_fail(ml_ctx *ctx, ml_err err, const char *fmt, ...)
{
    if (!ctx) return err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
    va_end(ap);
    ctx->last = err;
    return err;
}

void ml_log(ml_ctx *ctx, int level, const char *fmt, ...)
{
    if (!ctx || !ctx->log) return;
    char msg[ML_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_ud, level, msg);
}

/* ------------------------------------------------------------------ buffers */

void ml_buf_init(ml_buf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap ? cap : SIZE_MAX / 2;
    b->failed = false;
}

void ml_buf_release(ml_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
    b->failed = false;
}

void ml_buf_reset(ml_buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data) b->data[0] = '\0';
}

int ml_buf_grow(ml_buf *b, size_t extra)
{
    if (b->failed) return -1;
    if (extra > b->cap || b->len > b->cap - extra) {
        b->failed = true;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->alloc) return 0;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    char *p = realloc(b->data, n);
    if (!p) {
        b->failed = true;
        return -1;
    }
    b->data = p;
    b->alloc = n;
    return 0;
}

int ml_buf_add(ml_buf *b, const void *data, size_t len)
{
    if (ml_buf_grow(b, len) != 0) return -1;
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int ml_buf_addstr(ml_buf *b, const char *s)
{
    return ml_buf_add(b, s, strlen(s));
}

int ml_buf_addch(ml_buf *b, char c)
{
    return ml_buf_add(b, &c, 1);
}

int ml_buf_addf(ml_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) b->failed = true;
    if (n < 0 || ml_buf_grow(b, (size_t)n) != 0) return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

const char *ml_buf_cstr(ml_buf *b)
{
    if (!b->data) return "";
    return b->data;
}

char *ml_strdup(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

int ml_snprintf(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(dst, size, fmt, ap);
    va_end(ap);
    return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

/* -------------------------------------------------------------- JSON builds */

static void json_failed(ml_json_build *jb, bool nomem, const char *why)
{
    if (jb->failed) return;
    jb->failed = true;
    jb->nomem = nomem;
    snprintf(jb->why, sizeof jb->why, "%s", why);
}

json_t *ml_json_pack(ml_json_build *jb, const char *fmt, ...)
{
    json_error_t e;
    va_list ap;
    va_start(ap, fmt);
    json_t *v = json_vpack_ex(&e, 0, fmt, ap);
    va_end(ap);
    if (!v) json_failed(jb, json_error_code(&e) == json_error_out_of_memory, e.text);
    return v;
}

json_t *ml_json_check(ml_json_build *jb, json_t *v, const char *what)
{
    if (!v) {
        char why[sizeof jb->why];
        snprintf(why, sizeof why, "no value for %s", what);
        json_failed(jb, false, why);
    }
    return v;
}

ml_err ml_json_done(ml_ctx *ctx, const ml_json_build *jb)
{
    if (!jb->failed) return ML_OK;
    if (jb->nomem) return ml_fail(ctx, ML_NOMEM, "out of memory");
    return ml_fail(ctx, ML_ERROR, "cannot build a JSON answer: %s", jb->why);
}

/* ------------------------------------------------------------------ numbers */

int ml_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
    char tmp[32];
    if (len == 0 || len >= sizeof tmp) return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *end = NULL;
    errno = 0;
    long long v = strtoll(tmp, &end, 10);
    if (errno || end != tmp + len || v < min || v > max) return -1;
    *out = v;
    return 0;
}

int ml_parse_double(const char *s, size_t len, double *out)
{
    char tmp[64];
    if (len == 0 || len >= sizeof tmp) return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod(tmp, &end);
    if (errno || end != tmp + len || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

size_t ml_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0) return 0;
    uint32_t c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t k;
    uint32_t min;
    if ((c & 0xE0) == 0xC0)
        k = 1, min = 0x80, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0)
        k = 2, min = 0x800, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0)
        k = 3, min = 0x10000, c &= 0x07;
    else
        return 0;
    if (n <= k) return 0;
    for (size_t i = 1; i <= k; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return k + 1;
}

bool ml_utf8_valid(const char *str, size_t len)
{
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        size_t k = ml_utf8_decode(str + i, len - i, &cp);
        if (!k) return false;
        i += k;
    }
    return true;
}

static const char ellipsis[] = "…";

int ml_buf_add_utf8(ml_buf *b, const char *s, size_t len, size_t max)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = ml_utf8_decode(s + i, len - i, &cp);
        const char *piece = k ? s + i : replacement;
        size_t plen = k ? k : sizeof replacement - 1;
        if (out + plen > max) return ml_buf_add(b, ellipsis, sizeof ellipsis - 1);
        if (ml_buf_add(b, piece, plen)) return -1;
        out += plen;
        i += k ? k : 1;
    }
    return 0;
}

/* Characters a terminal or a log reader could take for something else. */
static bool unsafe_codepoint(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

int ml_buf_add_escaped(ml_buf *b, const char *s, size_t len, size_t max, unsigned flags)
{
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        char tmp[16];
        const char *piece = tmp;
        size_t plen;
        uint32_t cp = 0;
        size_t k = ml_utf8_decode(s + i, len - i, &cp);
        unsigned char c = (unsigned char)s[i];
        if (!k) {
            plen = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", c);
            k = 1;
        } else if (cp == '\\' || (cp == '"' && (flags & ML_ESCAPE_QUOTES))) {
            plen = (size_t)snprintf(tmp, sizeof tmp, "\\%c", (char)cp);
        } else if ((cp == '\n' || cp == '\t') && (flags & ML_ESCAPE_KEEP_LINES)) {
            piece = s + i;
            plen = 1;
        } else if (cp < 0x20 || cp == 0x7F) {
            const char *named = cp == '\n'   ? "\\n"
                                : cp == '\r' ? "\\r"
                                : cp == '\t' ? "\\t"
                                : cp == 0x1B ? "\\e"
                                             : NULL;
            plen = named ? (size_t)snprintf(tmp, sizeof tmp, "%s", named)
                         : (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", c);
        } else if (unsafe_codepoint(cp)) {
            plen = (size_t)snprintf(tmp, sizeof tmp, "\\u{%x}", (unsigned)cp);
        } else {
            piece = s + i;
            plen = k;
        }
        if (out + plen > max) return ml_buf_add(b, ellipsis, sizeof ellipsis - 1);
        if (ml_buf_add(b, piece, plen)) return -1;
        out += plen;
        i += k;
    }
    return 0;
}

double ml_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ml_json_array_sort(json_t *list, int (*cmp)(const void *, const void *))
{
    size_t n = json_array_size(list);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return -1;
    for (size_t i = 0; i < n; i++) v[i] = json_incref(json_array_get(list, i));
    qsort(v, n, sizeof *v, cmp);
    json_array_clear(list);
    int rc = 0;
    for (size_t i = 0; i < n; i++) rc |= json_array_append_new(list, v[i]);
    free(v);
    return rc;
}
