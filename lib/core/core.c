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
}

void ml_buf_release(ml_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}

void ml_buf_reset(ml_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

int ml_buf_grow(ml_buf *b, size_t extra)
{
    if (extra > b->cap || b->len > b->cap - extra) return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc) return 0;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    char *p = realloc(b->data, n);
    if (!p) return -1;
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

bool ml_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    while (s < end) {
        unsigned c = *s;
        if (c < 0x80) {
            s++;
            continue;
        }
        size_t n;
        unsigned min;
        if ((c & 0xE0) == 0xC0)
            n = 1, min = 0x80, c &= 0x1F;
        else if ((c & 0xF0) == 0xE0)
            n = 2, min = 0x800, c &= 0x0F;
        else if ((c & 0xF8) == 0xF0)
            n = 3, min = 0x10000, c &= 0x07;
        else
            return false;
        if ((size_t)(end - s) <= n) return false;
        for (size_t i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80) return false;
            c = (c << 6) | (s[i] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
        s += n + 1;
    }
    return true;
}

double ml_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
