/* slowclient.c — N connections from one loopback address that send half a
 * request header and stall, then one complete request from another address,
 * timed to its full answer. Usage: slowclient PORT [N] [SLOW_ADDR]. Prints
 * "accepted A refused R new_client_ms T"; exits 1 if the new client waited
 * 1 s or more. Only loopback addresses, bounded in time. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(const char *from, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
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

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 8080;
    int n = argc > 2 ? atoi(argv[2]) : 1000;
    const char *slow_from = argc > 3 ? argv[3] : "127.0.0.2";
    int *fds = calloc((size_t)n, sizeof *fds);
    static const char half[] = "GET /api/v1/info HTTP/1.1\r\nHost: slow\r\n";
    int accepted = 0, refused = 0;
    for (int i = 0; i < n; i++) {
        fds[i] = dial(slow_from, port);
        if (fds[i] < 0 || send(fds[i], half, sizeof half - 1, MSG_NOSIGNAL) < 0) refused++;
    }
    usleep(200000);
    /* A connection the server closed at once (over its per-address limit)
     * reads as end of file; a stalled one has nothing to read. */
    for (int i = 0; i < n; i++) {
        if (fds[i] < 0) continue;
        struct pollfd p = {fds[i], POLLIN, 0};
        char c;
        if (poll(&p, 1, 0) > 0 && recv(fds[i], &c, 1, MSG_DONTWAIT) <= 0) refused++;
        else accepted++;
    }
    double t0 = now();
    int fd = dial("127.0.0.1", port);
    static const char full[] = "GET /api/v1/info HTTP/1.1\r\nHost: new\r\nConnection: close\r\n\r\n";
    char buf[65536];
    size_t got = 0;
    if (fd >= 0 && send(fd, full, sizeof full - 1, MSG_NOSIGNAL) > 0) {
        struct pollfd p = {fd, POLLIN, 0};
        while (now() - t0 < 5 && poll(&p, 1, 100) >= 0) {
            if (!(p.revents & POLLIN)) continue;
            ssize_t k = recv(fd, buf + got, sizeof buf - 1 - got, 0);
            if (k <= 0) break;
            got += (size_t)k;
        }
    }
    double ms = (now() - t0) * 1000;
    buf[got] = '\0';
    bool ok = got > 0 && strncmp(buf, "HTTP/1.1 200", 12) == 0;
    printf("accepted %d refused %d new_client_ms %.1f status %s\n", accepted, refused, ms,
           ok ? "200" : "none");
    sleep(3);
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0) close(fds[i]);
    if (fd >= 0) close(fd);
    free(fds);
    return ok && ms < 1000 ? 0 : 1;
}
