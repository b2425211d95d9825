/*
 * Minimal closed-loop echo client: the yardstick for the load generator's own overhead.
 *
 *   echo_client HOST PORT CONNECTIONS PAYLOAD_BYTES SECONDS [raw]
 *
 * One thread, one level-triggered epoll set, non-blocking sockets, TCP_NODELAY. Each connection keeps one
 * framed message (4-byte big-endian length + payload) in flight and sends the next when the whole echo is back.
 * Echoes are counted, not verified byte by byte (only their length). Prints one line: "messages/s N".
 * Deliberately does less than the load generator (no histogram, no verification): it measures the
 * cheapest client a C programmer would write.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
  int fd;
  size_t received; /* bytes of the current echo received so far */
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void send_all(int fd, const char *buf, size_t len) {
  /* A message is far smaller than the socket buffer and only one is in flight: a short write is not expected. */
  ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
  if (n != (ssize_t)len) die("send");
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: %s HOST PORT CONNECTIONS PAYLOAD_BYTES SECONDS [raw]\n", argv[0]);
    return 2;
  }
  const char *host = argv[1];
  int port = atoi(argv[2]);
  int nconn = atoi(argv[3]);
  size_t payload = (size_t)atol(argv[4]);
  double seconds = atof(argv[5]);
  int raw = argc > 6 && strcmp(argv[6], "raw") == 0;
  size_t header = raw ? 0 : 4;
  size_t msglen = header + payload;

  char *msg = calloc(1, msglen + 1);
  char *buf = malloc(65536);
  if (!msg || !buf) die("malloc");
  if (!raw) {
    uint32_t be = htonl((uint32_t)payload);
    memcpy(msg, &be, 4);
  }
  for (size_t i = header; i < msglen; i++) msg[i] = (char)i;

  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) die("inet_pton");

  int ep = epoll_create1(0);
  if (ep < 0) die("epoll_create1");
  struct conn *conns = calloc((size_t)nconn, sizeof *conns);
  if (!conns) die("calloc");
  for (int i = 0; i < nconn; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) die("connect");
    conns[i].fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[i]};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll_ctl");
  }

  for (int i = 0; i < nconn; i++) send_all(conns[i].fd, msg, msglen);

  long long messages = 0;
  double start = now_seconds();
  double end = start + seconds;
  struct epoll_event events[256];
  for (;;) {
    int n = epoll_wait(ep, events, 256, 100);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    for (int i = 0; i < n; i++) {
      struct conn *c = events[i].data.ptr;
      ssize_t got = recv(c->fd, buf, 65536, 0);
      if (got <= 0) {
        if (got < 0 && errno == EAGAIN) continue;
        fprintf(stderr, "connection closed or failed\n");
        return 1;
      }
      c->received += (size_t)got;
      while (c->received >= msglen) {
        c->received -= msglen;
        messages++;
        send_all(c->fd, msg, msglen);
      }
    }
    if (now_seconds() >= end) break;
  }
  double elapsed = now_seconds() - start;
  printf("messages/s %.0f\n", messages / elapsed);
  return 0;
}
