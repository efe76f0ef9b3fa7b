/* documents.c — files attached to an establishment: checked on size and
 * type (by their first bytes, which must agree with the name's extension:
 * an HTML page named .pdf is refused), names sanitised, kept in the
 * documents folder under a random id (never under the name given), read
 * back whole. The faces answer them as attachments, never inline. */
#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history/history.h"

#define NAME_MAX_BYTES 120

/* The types accepted: the extensions a name may have, the content type the
 * file is answered with, and how its first bytes are recognised. */
typedef enum magic { M_PDF, M_PNG, M_JPEG, M_ODF, M_OOXML, M_TEXT } magic;
static const struct doc_type {
    const char *ext; /* lower case, with its dot */
    magic magic;
    const char *type;
    const char *label;
} doc_types[] = {
    {".pdf", M_PDF, "application/pdf", "PDF"},
    {".png", M_PNG, "image/png", "PNG"},
    {".jpg", M_JPEG, "image/jpeg", "JPEG"},
    {".jpeg", M_JPEG, "image/jpeg", "JPEG"},
    {".odt", M_ODF, "application/vnd.oasis.opendocument.text", "ODT"},
    {".ods", M_ODF, "application/vnd.oasis.opendocument.spreadsheet", "ODS"},
    {".odp", M_ODF, "application/vnd.oasis.opendocument.presentation", "ODP"},
    {".docx", M_OOXML, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "DOCX"},
    {".xlsx", M_OOXML, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"},
    {".pptx", M_OOXML, "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     "PPTX"},
    {".csv", M_TEXT, "text/csv; charset=utf-8", "CSV"},
    {".txt", M_TEXT, "text/plain; charset=utf-8", "text"},
};

static const char accepted[] = "PDF, PNG, JPEG, ODT/ODS/ODP, DOCX/XLSX/PPTX, CSV or TXT";

/* Does the content look like what its type says? */
static bool content_is(magic m, const unsigned char *d, size_t n)
{
    switch (m) {
    case M_PDF:
        return n >= 5 && memcmp(d, "%PDF-", 5) == 0;
    case M_PNG:
        return n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0;
    case M_JPEG:
        return n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff;
    case M_ODF:
        /* A zip whose first entry is "mimetype", stored, naming an ODF type. */
        return n >= 38 + 39 && memcmp(d, "PK\x03\x04", 4) == 0 &&
               memcmp(d + 30, "mimetype", 8) == 0 &&
               memcmp(d + 38, "application/vnd.oasis.opendocument.", 35) == 0;
    case M_OOXML:
        return n >= 30 && memcmp(d, "PK\x03\x04", 4) == 0 &&
               memmem(d, n, "[Content_Types].xml", 19) != NULL;
    case M_TEXT: {
        size_t i = n >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
        if (!ml_utf8_valid((const char *)d + i, n - i)) return false;
        for (size_t k = i; k < n; k++)
            if ((d[k] < 0x20 && d[k] != '\n' && d[k] != '\r' && d[k] != '\t') || d[k] == 0x7f)
                return false;
        /* Markup is not text: a page saved as .txt is refused. */
        while (i < n && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t'))
            i++;
        return i == n || d[i] != '<';
    }
    }
    return false;
}

/* What the first bytes say the content is, for the message. */
static const char *content_label(const unsigned char *d, size_t n)
{
    static const magic order[] = {M_PDF, M_PNG, M_JPEG, M_ODF, M_OOXML};
    static const char *const labels[] = {"a PDF", "a PNG image", "a JPEG image",
                                         "an OpenDocument file", "an Office file"};
    for (size_t i = 0; i < ML_ARRAY_LEN(order); i++)
        if (content_is(order[i], d, n)) return labels[i];
    if (n >= 4 && memcmp(d, "PK\x03\x04", 4) == 0) return "a zip archive of another kind";
    size_t i = 0;
    while (i < n && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t'))
        i++;
    if (i < n && d[i] == '<') return "markup (HTML or XML)";
    if (content_is(M_TEXT, d, n)) return "text";
    return "of an unknown kind";
}

/* The name kept: its last path component, each character that is not a
 * letter, digit, space or one of . - _ ( ) replaced by '_', no leading dot,
 * at most NAME_MAX_BYTES bytes (cut between characters, extension kept). */
static ml_err sanitise(ml_db *db, const char *given, char *out, size_t size)
{
    const char *base = given ? given : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    size_t n = strlen(base);
    if (!n || !ml_utf8_valid(base, n))
        return ml_fail(db->ctx, ML_INVALID, "a document needs a file name (UTF-8)");
    ml_buf b;
    ml_buf_init(&b, 4 * NAME_MAX_BYTES);
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t k = ml_utf8_decode(base + i, n - i, &cp);
        if (!k) k = 1;
        bool ok = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                  (cp >= '0' && cp <= '9') || cp == ' ' || cp == '.' || cp == '-' || cp == '_' ||
                  cp == '(' || cp == ')' || (cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7);
        if (ok)
            ml_buf_add(&b, base + i, k);
        else
            ml_buf_addch(&b, '_');
        i += k;
    }
    const char *s = ml_buf_cstr(&b);
    while (*s == '.' || *s == ' ')
        s++;
    size_t len = strlen(s);
    const char *dot = strrchr(s, '.');
    size_t ext = dot ? strlen(dot) : 0;
    if (ext > 6) ext = 0;
    ml_err r = ML_OK;
    if (!len || ml_buf_failed(&b)) {
        r = ml_fail(db->ctx, ML_INVALID, "the document's name '%.60s' holds no usable character",
                    given);
    } else if (len > NAME_MAX_BYTES) {
        /* Keep the head (whole characters) and the extension. */
        size_t keep = NAME_MAX_BYTES - ext;
        while (keep > 0 && ((unsigned char)s[keep] & 0xc0) == 0x80)
            keep--;
        ml_snprintf(out, size, "%.*s%s", (int)keep, s, ext ? s + len - ext : "");
    } else {
        ml_snprintf(out, size, "%s", s);
    }
    ml_buf_release(&b);
    return r;
}

static const struct doc_type *type_of_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return NULL;
    char ext[8];
    size_t n = strlen(dot);
    if (n >= sizeof ext) return NULL;
    for (size_t i = 0; i <= n; i++)
        ext[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] - 'A' + 'a' : dot[i]);
    for (size_t i = 0; i < ML_ARRAY_LEN(doc_types); i++)
        if (strcmp(doc_types[i].ext, ext) == 0) return &doc_types[i];
    return NULL;
}

static bool valid_id(const char *id)
{
    return id && strlen(id) == 32 && strspn(id, "0123456789abcdef") == 32;
}

static ml_err write_file(ml_db *db, const char *dir, const char *id, const void *data, size_t len)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return ml_fail(db->ctx, ML_IO, "cannot create the documents folder %s: %s", dir,
                       strerror(errno));
    char tmp[1200], path[1200];
    if (ml_snprintf(tmp, sizeof tmp, "%s/.%s.part", dir, id) ||
        ml_snprintf(path, sizeof path, "%s/%s", dir, id))
        return ml_fail(db->ctx, ML_LIMIT, "the documents folder's path is too long");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ml_fail(db->ctx, ML_IO, "cannot write in the documents folder %s: %s", dir,
                       strerror(errno));
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        p += w;
        left -= (size_t)w;
    }
    bool ok = left == 0 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return ml_fail(db->ctx, ML_IO, "cannot write the document in %s: %s", dir, strerror(e));
    }
    return ML_OK;
}

typedef struct one_doc {
    const ml_actor *who;
    json_t *json;
    bool found, failed;
} one_doc;

static int one_doc_row(void *ud, const ml_document_row *d)
{
    one_doc *o = ud;
    if (!ml_actor_may_read(o->who, d->org, d->author_id)) return 0;
    o->found = true;
    json_decref(o->json);
    o->json = hist_document_json(d);
    o->failed = !o->json;
    return o->failed;
}

static ml_err doc_get(ml_db *db, const ml_actor *who, const char *id, json_t **out)
{
    ml_hist_query q = {.doc = id};
    one_doc o = {.who = who};
    ml_err r = db->be->documents(db, &q, one_doc_row, &o);
    if (!r && o.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (!r && !o.found) r = ml_fail(db->ctx, ML_NOTFOUND, "no document %.40s", id);
    if (r) {
        json_decref(o.json);
        return r;
    }
    *out = o.json;
    return ML_OK;
}

ml_err ml_document_add(ml_db *db, const ml_actor *who, const char *siret, const char *filename,
                       const void *data, size_t len, json_t **out)
{
    *out = NULL;
    hist_firm f;
    ml_err r;
    char name[4 * NAME_MAX_BYTES + 8], dir[1024];
    int64_t max;
    if ((r = hist_may_write(db, who)) || (r = hist_firm_get(db, siret, false, &f)) ||
        (r = sanitise(db, filename, name, sizeof name)) ||
        (r = hist_setting_int(db, "history_document_max", HIST_DOCUMENT_MAX, &max)))
        return r;
    if (max > HIST_DOCUMENT_HARD) max = HIST_DOCUMENT_HARD;
    if (len > (uint64_t)max)
        return ml_fail(db->ctx, ML_LIMIT, "document '%s': %zu bytes, more than the %lld allowed",
                       name, len, (long long)max);
    if (len == 0) return ml_fail(db->ctx, ML_FORMAT, "document '%s' is empty", name);
    const struct doc_type *t = type_of_name(name);
    if (!t)
        return ml_fail(db->ctx, ML_FORMAT, "document '%s': its name has no accepted extension (%s)",
                       name, accepted);
    if (!content_is(t->magic, data, len))
        return ml_fail(db->ctx, ML_FORMAT,
                       "document '%s': named as %s but its content is %s (the first bytes decide; "
                       "accepted: %s)",
                       name, t->label, content_label(data, len), accepted);
    if ((r = hist_documents_folder(db, dir, sizeof dir))) return r;
    unsigned char raw[16];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return ml_fail(db->ctx, ML_IO, "no random bytes for the document's id");
    char id[33];
    for (size_t i = 0; i < sizeof raw; i++)
        ml_snprintf(id + 2 * i, 3, "%02x", raw[i]);
    if ((r = write_file(db, dir, id, data, len))) return r;
    ml_document_row d = {.id = id,
                         .siret = f.siret,
                         .siren = f.siren,
                         .org = who->org,
                         .author_id = who->user,
                         .size = (int64_t)len,
                         .author = who->name,
                         .name = name,
                         .type = t->type};
    if ((r = db->be->document_put(db, &d))) {
        char path[1200];
        if (ml_snprintf(path, sizeof path, "%s/%s", dir, id) == 0) unlink(path);
        return r;
    }
    return doc_get(db, who, id, out);
}

typedef struct doc_list {
    const ml_actor *who;
    json_t *list;
    bool failed;
} doc_list;

static int doc_row(void *ud, const ml_document_row *d)
{
    doc_list *l = ud;
    if (!ml_actor_may_read(l->who, d->org, d->author_id)) return 0;
    json_t *j = hist_document_json(d);
    if (!j || json_array_append_new(l->list, j)) l->failed = true;
    return l->failed;
}

ml_err ml_document_list(ml_db *db, const ml_actor *who, const char *siret, json_t **out)
{
    *out = NULL;
    hist_firm f;
    ml_err r;
    if ((r = hist_may_read(db, who)) || (r = hist_firm_get(db, siret, false, &f))) return r;
    doc_list l = {.who = who, .list = json_array()};
    ml_hist_query q = {.siret = f.siret, .siren = f.siren};
    r = l.list ? db->be->documents(db, &q, doc_row, &l) : ML_NOMEM;
    if (r == ML_NOMEM || l.failed) r = ml_fail(db->ctx, ML_NOMEM, "out of memory");
    if (r) {
        json_decref(l.list);
        return r;
    }
    *out = json_pack("{s:s, s:o}", "siret", f.text, "documents", l.list);
    return *out ? ML_OK : ml_fail(db->ctx, ML_NOMEM, "out of memory");
}

ml_err ml_document_get(ml_db *db, const ml_actor *who, const char *id, json_t **meta, void **data,
                       size_t *len)
{
    *meta = NULL;
    *data = NULL;
    *len = 0;
    ml_err r;
    if ((r = hist_may_read(db, who))) return r;
    if (!valid_id(id))
        return ml_fail(db->ctx, ML_INVALID, "'%.40s' is not a document id (32 hex digits)",
                       id ? id : "");
    json_t *m = NULL;
    char dir[1024], path[1200];
    if ((r = doc_get(db, who, id, &m))) return r;
    /* Not shown when its establishment may no longer be shown. */
    hist_firm f;
    const char *siret = json_string_value(json_object_get(m, "siret"));
    if ((r = hist_firm_get(db, siret, false, &f)) ||
        (r = hist_documents_folder(db, dir, sizeof dir)))
        goto fail;
    if (ml_snprintf(path, sizeof path, "%s/%s", dir, id)) {
        r = ml_fail(db->ctx, ML_LIMIT, "the documents folder's path is too long");
        goto fail;
    }
    size_t size = (size_t)json_integer_value(json_object_get(m, "size"));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || (size_t)st.st_size != size) {
        if (fd >= 0) close(fd);
        r = ml_fail(db->ctx, ML_IO, "document %s: its file is missing or changed in %s", id, dir);
        goto fail;
    }
    char *buf = malloc(size ? size : 1);
    size_t got = 0;
    while (buf && got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd);
    if (!buf || got != size) {
        free(buf);
        r = buf ? ml_fail(db->ctx, ML_IO, "document %s: cannot read its file", id)
                : ml_fail(db->ctx, ML_NOMEM, "out of memory");
        goto fail;
    }
    *meta = m;
    *data = buf;
    *len = size;
    return ML_OK;
fail:
    json_decref(m);
    return r;
}
