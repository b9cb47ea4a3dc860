/* SPDX-License-Identifier: MIT
 * bench/coldstart.c - time from exec to the first "200" answer on GET /api/health.
 *
 *   coldstart PORT TIMEOUT_MS LOGFILE -- COMMAND [ARGS...]
 *
 * Starts COMMAND (stdout and stderr appended to LOGFILE), polls 127.0.0.1:PORT
 * with a plain HTTP/1.0 request every 0.2 ms until it answers 200, prints the
 * elapsed milliseconds (3 decimals), then stops COMMAND with SIGTERM and waits
 * for it. Exits 1 (printing nothing on stdout) if COMMAND exits or TIMEOUT_MS
 * passes first. Built by bench/run.sh; not part of the server.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* 1 when the server answered 200 to GET /api/health, 0 otherwise. */
static int probe(int port)
{
    static const char req[] = "GET /api/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    char resp[64];
    size_t got = 0;
    int ok = 0, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        write(fd, req, sizeof(req) - 1) == (ssize_t)(sizeof(req) - 1)) {
        while (got < 12) {
            ssize_t n = read(fd, resp + got, sizeof(resp) - 1 - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        resp[got] = 0;
        ok = got >= 12 && !strncmp(resp, "HTTP/1.", 7) && !strncmp(resp + 9, "200", 3);
    }
    close(fd);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 6 || strcmp(argv[4], "--")) {
        fprintf(stderr, "usage: coldstart PORT TIMEOUT_MS LOGFILE -- COMMAND [ARGS...]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    double timeout = atof(argv[2]);
    int log = open(argv[3], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) {
        perror(argv[3]);
        return 2;
    }
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        dup2(log, 1);
        dup2(log, 2);
        execvp(argv[5], argv + 5);
        perror(argv[5]);
        _exit(127);
    }
    int rc = 1, status;
    for (;;) {
        if (probe(port)) {
            printf("%.3f\n", now_ms() - t0);
            rc = 0;
            break;
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "coldstart: %s exited before answering\n", argv[5]);
            return 1;
        }
        if (now_ms() - t0 > timeout) {
            fprintf(stderr, "coldstart: no answer within %.0f ms\n", timeout);
            break;
        }
        nanosleep(&(struct timespec){0, 200000}, NULL);
    }
    kill(pid, SIGTERM);
    for (int i = 0; i < 500; i++) { /* up to 5 s for a clean stop, then SIGKILL */
        if (waitpid(pid, &status, WNOHANG) == pid)
            return rc;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return rc;
}
