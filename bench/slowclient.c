/* slowclient.c — N connections from one loopback address that send half a
 * request header and stall, then one complete request from another address,
 * timed to its full answer (headers + Content-Length bytes).
 * Usage: slowclient PORT [N=1000] [SLOW_ADDR=127.0.0.2] [HOLD_S=3].
 * Before the slow connections, the same request is timed once from 127.0.0.1
 * (a baseline, which also fills the server's 10 s cache of /api/v1/info, so
 * the second timing measures the stalled connections, not that count).
 * Prints "baseline_ms B accepted A refused R new_client_ms T status S";
 * exits 1 if the new client did not get a full 200 answer within 1 s.
 * Loopback only, every wait bounded. Plain C, no dependencies. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A TCP connection from address `from` to 127.0.0.1:port; connect and send
 * give up after 2 s. */
static int dial(const char *from, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct timeval tv = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET};
    inet_pton(AF_INET, from, &src.sin_addr);
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    dst.sin_port = htons((unsigned short)port);
    if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0 ||
        connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One complete GET from 127.0.0.1; returns the ms to the last byte of the
 * answer (or of what came within 5 s); *status gets the HTTP status or 0. */
static double timed_get(int port, const char *path, int *status)
{
    char req[256], buf[1 << 16];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
             path);
    *status = 0;
    double t0 = now();
    int fd = dial("127.0.0.1", port);
    if (fd < 0) return (now() - t0) * 1000;
    size_t got = 0;
    long want = -1; /* header length + Content-Length, once known */
    if (send(fd, req, strlen(req), MSG_NOSIGNAL) == (ssize_t)strlen(req)) {
        while (now() - t0 < 5 && (want < 0 || (long)got < want) && got < sizeof buf - 1) {
            struct pollfd p = {fd, POLLIN, 0};
            if (poll(&p, 1, 100) < 0 && errno != EINTR) break;
            if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t k = recv(fd, buf + got, sizeof buf - 1 - got, 0);
            if (k <= 0) break;
            got += (size_t)k;
            buf[got] = '\0';
            char *end = strstr(buf, "\r\n\r\n");
            if (want < 0 && end) {
                long cl = -1;
                for (char *h = strstr(buf, "\r\n"); h && h < end; h = strstr(h + 2, "\r\n"))
                    if (strncasecmp(h + 2, "Content-Length:", 15) == 0) cl = atol(h + 17);
                if (cl >= 0) want = (long)(end + 4 - buf) + cl;
            }
        }
    }
    double ms = (now() - t0) * 1000;
    close(fd);
    if (got >= 12 && strncmp(buf, "HTTP/1.", 7) == 0 && (want < 0 || (long)got >= want))
        *status = atoi(buf + 9);
    return ms;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    int n = argc > 2 ? atoi(argv[2]) : 1000;
    const char *slow_from = argc > 3 ? argv[3] : "127.0.0.2";
    int hold = argc > 4 ? atoi(argv[4]) : 3;
    if (port <= 0 || n <= 0) {
        fprintf(stderr, "usage: slowclient PORT [N] [SLOW_ADDR] [HOLD_S]\n");
        return 2;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
        rl.rlim_cur = rl.rlim_max < (rlim_t)n + 64 ? rl.rlim_max : (rlim_t)n + 64;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    const char *path = "/api/v1/info";
    int base_status;
    double base_ms = timed_get(port, path, &base_status);

    int *fds = calloc((size_t)n, sizeof *fds);
    if (!fds) return 2;
    static const char half[] = "GET /api/v1/info HTTP/1.1\r\nHost: x\r\n";
    int accepted = 0, refused = 0;
    for (int i = 0; i < n; i++) {
        fds[i] = dial(slow_from, port);
        if (fds[i] >= 0 && send(fds[i], half, sizeof half - 1, MSG_NOSIGNAL) < 0) {
            close(fds[i]);
            fds[i] = -1;
        }
    }
    usleep(300000);
    /* The server closes a connection over its per-address limit right after
     * accepting it: that reads as end of file (or a reset). A stalled
     * connection it keeps has nothing to read. */
    for (int i = 0; i < n; i++) {
        if (fds[i] < 0) {
            refused++;
            continue;
        }
        struct pollfd p = {fds[i], POLLIN, 0};
        char c;
        if (poll(&p, 1, 0) > 0 && recv(fds[i], &c, 1, MSG_DONTWAIT) <= 0) refused++;
        else accepted++;
    }
    int status;
    double ms = timed_get(port, path, &status);
    printf("baseline_ms %.1f accepted %d refused %d new_client_ms %.1f status %d\n", base_ms,
           accepted, refused, ms, status);
    fflush(stdout);
    sleep((unsigned)hold);
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0) close(fds[i]);
    free(fds);
    (void)base_status;
    return status == 200 && ms < 1000 ? 0 : 1;
}
