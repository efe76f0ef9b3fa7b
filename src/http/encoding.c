/* encoding.c — what makes a large answer cheap to send again: an entity tag
 * from its bytes (If-None-Match then answers 304 with no body) and gzip when
 * the client accepts it (RFC 9110 sections 8.8.3, 12.5.3 and 13.1.2). */
#include <strings.h>
#include <zlib.h>

#include "http.h"

void http_etag(const char *data, size_t len, char *dst, size_t size)
{
    /* FNV-1a, 64 bits, and the length: a change of the bytes changes the
     * tag. Weak, because the gzip and identity encodings share it. */
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)data[i];
        h *= 1099511628211ULL;
    }
    ml_snprintf(dst, size, "W/\"%016llx-%zx\"", (unsigned long long)h, len);
}

/* The opaque part of an entity tag: what follows W/, quotes included. */
static const char *opaque(const char *tag, size_t *len)
{
    if (*len >= 2 && tag[0] == 'W' && tag[1] == '/') {
        tag += 2;
        *len -= 2;
    }
    return tag;
}

bool http_etag_matches(const char *if_none_match, const char *etag)
{
    if (!if_none_match || !etag) return false;
    size_t elen = strlen(etag);
    const char *e = opaque(etag, &elen);
    const char *p = if_none_match;
    while (*p) {
        p += strspn(p, " \t,");
        if (!*p) break;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        if (m == 1 && p[0] == '*') return true;
        size_t tlen = m;
        const char *t = opaque(p, &tlen);
        if (tlen == elen && memcmp(t, e, tlen) == 0) return true; /* weak comparison */
        p += n;
    }
    return false;
}

bool http_accepts_gzip(const char *accept_encoding)
{
    if (!accept_encoding) return false;
    const char *p = accept_encoding;
    bool any = false, gzip = false, gzip_named = false;
    while (*p) {
        p += strspn(p, " \t,");
        if (!*p) break;
        size_t n = strcspn(p, ",");
        size_t name = strcspn(p, ";, \t");
        if (name > n) name = n;
        /* q=0 refuses the coding; any other weight (or none) accepts it. */
        bool refused = false;
        const char *q = p + name;
        while (q < p + n) {
            q += strspn(q, " \t;");
            if (q < p + n && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
                double w = strtod(q + 2, NULL);
                refused = w <= 0.0;
            }
            q += strcspn(q, ";,");
            if (*q == ',') break;
        }
        if ((name == 4 && strncasecmp(p, "gzip", 4) == 0) ||
            (name == 6 && strncasecmp(p, "x-gzip", 6) == 0)) {
            gzip_named = true;
            gzip = !refused;
        } else if (name == 1 && p[0] == '*') {
            any = !refused;
        }
        p += n;
    }
    return gzip_named ? gzip : any;
}

bool http_compressible(const char *content_type)
{
    static const char *const types[] = {"text/", "application/json", "application/javascript",
                                        "image/svg+xml"};
    for (size_t i = 0; content_type && i < ML_ARRAY_LEN(types); i++)
        if (strncmp(content_type, types[i], strlen(types[i])) == 0) return true;
    return false;
}

char *http_gzip(const char *data, size_t len, size_t *out_len)
{
    z_stream z = {0};
    /* windowBits 15 + 16: a gzip header and trailer; level 6, zlib's default. */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return NULL;
    uLong cap = deflateBound(&z, (uLong)len);
    char *out = malloc(cap ? cap : 1);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)data; /* zlib does not write its input */
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}
