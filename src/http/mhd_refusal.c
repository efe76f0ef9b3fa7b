/* mhd_refusal.c — turns the refusals libmicrohttpd makes by itself into
 * problem documents.
 *
 * libmicrohttpd 0.9.75 answers some requests before maillage's handler is
 * ever called: a request line longer than the connection's memory (414),
 * headers larger than it (431), a malformed request line, header or
 * Content-Length, an HTTP/1.1 request without Host (400), an unsupported HTTP
 * version (505). Its answers are fixed HTML pages compiled into the library
 * (connection.c, transmit_error_response_len) and no option replaces them:
 * the URI log, connection and completion callbacks only observe.
 *
 * Those pages are queued through the library's exported MHD_queue_response,
 * which the library itself calls through its PLT. This file defines
 * MHD_queue_response in the program: the dynamic linker binds the library's
 * calls to it (ELF symbol interposition, as malloc wrappers use), and it
 * hands every answer to the real function found with dlsym(RTLD_NEXT). The
 * program's own answers always carry a Content-Type (or are a 304) and pass
 * unchanged; an answer without one is a refusal of libmicrohttpd's, replaced by a problem
 * document with the same status and the server's headers.
 *
 * Limits:
 * - This needs libmicrohttpd as a shared library (it is on Debian); a static
 *   link would bind the calls inside the library, and the HTML pages would
 *   come back. tests/api/security.test.mjs checks each case.
 * - A Content-Length that is not a number (-1) or past 2^64: libmicrohttpd
 *   0.9.75 refuses it in parse_connection_headers, then its state machine
 *   overwrites the state and builds the reply's status line and headers a
 *   second time (connection.c, MHD_CONNECTION_HEADERS_RECEIVED), so whatever
 *   is queued reaches the client corrupt. Such a request is answered by
 *   closing the connection: no answer rather than a broken one.
 * - What libmicrohttpd does without answering at all (closing a connection
 *   past the connection limits or the timeout) stays a closed connection. */
#include <dlfcn.h>
#include <pthread.h>

#include "http.h"

typedef enum MHD_Result (*queue_fn)(struct MHD_Connection *, unsigned int, struct MHD_Response *);

static queue_fn real_queue;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void find_real_queue(void)
{
    /* POSIX allows converting dlsym's object pointer to a function pointer. */
    void *sym = dlsym(RTLD_NEXT, "MHD_queue_response");
    memcpy(&real_queue, &sym, sizeof real_queue);
}

/* The refusal of a Content-Length libmicrohttpd 0.9.75 answers corrupt. */
static bool bad_content_length(struct MHD_Connection *con, unsigned status)
{
    if (status != MHD_HTTP_BAD_REQUEST && status != MHD_HTTP_CONTENT_TOO_LARGE) return false;
    if (MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
        return false;
    const char *cl =
        MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl) return false;
    size_t n = strspn(cl, "0123456789");
    return n == 0 || cl[n] != '\0' || n > 19;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response)
{
    pthread_once(&real_once, find_real_queue);
    if (!real_queue) return MHD_NO;
    /* A 304 has no body, hence no Content-Type: it is always the program's
     * (libmicrohttpd never answers 304 by itself). */
    if (!response || status_code == MHD_HTTP_NOT_MODIFIED ||
        MHD_get_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE))
        return real_queue(connection, status_code, response);
    /* One of libmicrohttpd's own HTML pages: answer a problem document. The
     * page is released by the caller, as it would have been. */
    if (bad_content_length(connection, status_code)) {
        http_refusal(connection, status_code, false); /* noted for the log only */
        return MHD_NO;
    }
    struct MHD_Response *problem = http_refusal(connection, status_code, true);
    if (!problem) return real_queue(connection, status_code, response);
    enum MHD_Result ret = real_queue(connection, status_code, problem);
    MHD_destroy_response(problem);
    return ret;
}
