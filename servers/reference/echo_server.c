/*
 * echo_server.c: the reference echo server of IoModels, "the physical limit on this machine".
 *
 * One thread, one epoll instance, the protocol of docs/protocol.md (framed and raw) and the server command line of docs/cli.md#server.
 *
 * Why edge-triggered: every connection is registered once, for EPOLLIN | EPOLLOUT | EPOLLRDHUP, and
 * never touched again with epoll_ctl. Level-triggered would need an epoll_ctl(MOD) each time output
 * starts or stops pending (to ask for EPOLLOUT only then, or the loop spins) and each time the
 * backpressure rule stops or resumes reading a peer. The price of edge triggering is discipline:
 * a readiness not drained to EAGAIN is not reported again, so the code keeps a per-connection
 * "readable" flag and resumes reading by itself when backpressure lifts.
 *
 * Buffers: an echoed framed message is byte-for-byte the message received, so one buffer per
 * connection serves both directions without a copy:
 *
 *   buf: [0, out_start) sent | [out_start, out_end) whole messages to echo | [out_end, in_end) partial
 *
 * The buffer holds one max-frame message plus the output budget plus a read's worth, is allocated
 * once per connection, and nothing is allocated per message. Reading stops while the pending output
 * is at the budget, so memory per connection is bounded and TCP flow control pushes back on a peer
 * that does not read.
 *
 * Build: servers/reference/build.sh (gcc -O2 -Wall -Wextra -Werror).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PROGRAM "echo_server"
#define HEADER_SIZE 4
#define OUTPUT_BUDGET (64 * 1024)   /* Backpressure (docs/protocol.md#backpressure): stop reading a peer with this much unsent echo */
#define READ_CHUNK (64 * 1024)      /* room kept free for one read, so reads are never tiny */
#define MAX_EVENTS 256
#define ACCEPT_RETRY_MS 250         /* the same pause as the managed models' AcceptThrottle */

struct options {
    char address[INET6_ADDRSTRLEN];
    int port;
    int framed;
    uint32_t max_frame;
    int no_delay;
    int backlog;
};

struct conn {
    int fd;
    int readable;      /* the last edge said readable and we have not seen EAGAIN (or a short read) since */
    int writable;      /* no short send since the last EPOLLOUT edge */
    int eof;           /* the peer half-closed: echo what is pending, then close */
    int rdhup;         /* EPOLLRDHUP seen: a short read does not mean the FIN was read, keep reading */
    size_t out_start, out_end, in_end;
    struct conn *prev, *next;
    unsigned char buf[];
};

static struct options s_options;
static size_t s_buffer_size;
static int s_epoll;
static int s_listener;
static int s_signals;
static struct conn *s_connections;
static int s_accept_paused;          /* listener interest dropped after EMFILE/ENFILE */
static int s_descriptors_exhausted;  /* an EMFILE/ENFILE episode is on: warn once, not per retry */
static struct timespec s_accept_resume_at;
static unsigned long s_accepted, s_protocol_errors;

/* Distinct, never-dereferenced tags for the two non-connection descriptors in the epoll set. */
static char s_listener_tag, s_signal_tag;

static void usage_error(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, PROGRAM ": ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    exit(2);
}

static void fatal(const char *what)
{
    fprintf(stderr, PROGRAM ": %s: %s\n", what, strerror(errno));
    exit(1);
}

static long parse_number(const char *name, const char *text, long min, long max)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        char range[64];
        snprintf(range, sizeof range, "%ld to %ld", min, max);
        fprintf(stderr, PROGRAM ": option '%s': '%s' is not a whole number from %s\n", name, text, range);
        exit(2);
    }
    return value;
}

static const char *const s_option_names = "--address, --port, --framing, --max-frame, --no-delay, --backlog";

static void parse_options(int argc, char **argv)
{
    static const char *const names[] = {"--address", "--port", "--framing", "--max-frame", "--no-delay", "--backlog"};
    int seen[6] = {0};
    strcpy(s_options.address, "127.0.0.1");
    s_options.port = 7007;
    s_options.framed = 1;
    s_options.max_frame = 1048576;
    s_options.no_delay = 1;
    s_options.backlog = 1024;

    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            printf("usage: " PROGRAM " [--address IP] [--port N] [--framing framed|raw] [--max-frame BYTES]"
                   " [--no-delay true|false] [--backlog N]\n");
            exit(0);
        }
        if (strncmp(arg, "--", 2) != 0)
            usage_error("unexpected argument '%s'; options are %s", arg, s_option_names);

        char *value = strchr(arg, '=');
        if (value != NULL)
            *value++ = '\0';
        int which = -1;
        for (int n = 0; n < 6; n++)
            if (strcmp(arg, names[n]) == 0)
                which = n;
        if (which < 0)
            usage_error("unknown option '%s'; options are %s", arg, s_option_names);
        if (seen[which]++)
            usage_error("option '%s' is given twice%s", arg, "");
        if (value == NULL) {
            if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
                value = argv[++i];
            else if (which == 4)
                value = "true";
            else
                usage_error("option '%s' needs a value%s", arg, "");
        }

        switch (which) {
        case 0: {
            unsigned char probe[sizeof(struct in6_addr)];
            if (strlen(value) >= sizeof s_options.address
                || (inet_pton(AF_INET, value, probe) != 1 && inet_pton(AF_INET6, value, probe) != 1))
                usage_error("option '--address': '%s' is not an IP address (e.g. 127.0.0.1, ::1, 0.0.0.0)%s", value, "");
            strcpy(s_options.address, value);
            break;
        }
        case 1: s_options.port = (int)parse_number(arg, value, 0, 65535); break;
        case 2:
            if (strcmp(value, "framed") == 0)
                s_options.framed = 1;
            else if (strcmp(value, "raw") == 0)
                s_options.framed = 0;
            else
                usage_error("option '--framing': '%s' is not valid; valid values: framed, raw%s", value, "");
            break;
        case 3: s_options.max_frame = (uint32_t)parse_number(arg, value, 0, 1L << 30); break;
        case 4:
            if (strcasecmp(value, "true") == 0)
                s_options.no_delay = 1;
            else if (strcasecmp(value, "false") == 0)
                s_options.no_delay = 0;
            else
                usage_error("option '--no-delay': '%s' is not valid; valid values: true, false%s", value, "");
            break;
        default: s_options.backlog = (int)parse_number(arg, value, 1, 65535); break;
        }
    }
}

static void epoll_add(int fd, uint32_t events, void *tag)
{
    struct epoll_event ev = {.events = events, .data.ptr = tag};
    if (epoll_ctl(s_epoll, EPOLL_CTL_ADD, fd, &ev) != 0)
        fatal("epoll_ctl");
}

static void set_listener_interest(int enabled)
{
    /* Re-arming an edge-triggered descriptor reports the readiness it has now, so connections that
       queued in the backlog while paused are seen at once. */
    struct epoll_event ev = {.events = enabled ? EPOLLIN | EPOLLET : 0, .data.ptr = &s_listener_tag};
    if (epoll_ctl(s_epoll, EPOLL_CTL_MOD, s_listener, &ev) != 0)
        fatal("epoll_ctl");
}

static void resume_accepting(void)
{
    if (s_accept_paused) {
        s_accept_paused = 0;
        set_listener_interest(1);
    }
}

static void describe_peer(int fd, char *text, size_t size)
{
    struct sockaddr_storage peer;
    socklen_t length = sizeof peer;
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (getpeername(fd, (struct sockaddr *)&peer, &length) == 0) {
        if (peer.ss_family == AF_INET6) {
            struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&peer;
            inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
            port = ntohs(v6->sin6_port);
        } else {
            struct sockaddr_in *v4 = (struct sockaddr_in *)&peer;
            inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
            port = ntohs(v4->sin_port);
        }
    }
    snprintf(text, size, "%s:%d", host, port);
}

static void close_connection(struct conn *c)
{
    /* close() drops the descriptor from the epoll set; with unread input (a protocol violation) the
       kernel answers with RST, which is what a violating peer deserves. */
    close(c->fd);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        s_connections = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    free(c);
    resume_accepting();
}

static void accept_connections(void)
{
    for (;;) {
        int fd = accept4(s_listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* The connection stays in the backlog, so retrying now would spin. Drop the listener's
                   interest until one of our connections closes or the retry interval passes. */
                if (!s_descriptors_exhausted) {
                    s_descriptors_exhausted = 1;
                    fprintf(stderr, PROGRAM ": warning: accept: %s; connections are still served, accepting"
                            " resumes when descriptors free up\n", strerror(errno));
                }
                s_accept_paused = 1;
                clock_gettime(CLOCK_MONOTONIC, &s_accept_resume_at);
                s_accept_resume_at.tv_nsec += ACCEPT_RETRY_MS * 1000000L;
                s_accept_resume_at.tv_sec += s_accept_resume_at.tv_nsec / 1000000000L;
                s_accept_resume_at.tv_nsec %= 1000000000L;
                set_listener_interest(0);
                return;
            }
            fatal("accept4");
        }

        if (s_descriptors_exhausted) {
            s_descriptors_exhausted = 0;
            fprintf(stderr, PROGRAM ": accepting again after running out of file descriptors\n");
        }

        struct conn *c = malloc(sizeof *c + s_buffer_size);
        if (c == NULL) {
            close(fd);
            continue;
        }
        memset(c, 0, sizeof *c);
        c->fd = fd;
        c->writable = 1;
        if (s_options.no_delay) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        c->next = s_connections;
        if (s_connections != NULL)
            s_connections->prev = c;
        s_connections = c;
        s_accepted++;
        epoll_add(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, c);
    }
}

/* Moves the bytes not yet sent to the front of the buffer. Called when all echo is out (then only a
   partial message moves, usually nothing) or when the room left for reading is small. */
static void compact(struct conn *c)
{
    size_t live = c->in_end - c->out_start;
    if (live > 0 && c->out_start > 0)
        memmove(c->buf, c->buf + c->out_start, live);
    c->out_end -= c->out_start;
    c->in_end = live;
    c->out_start = 0;
}

/* Extends the echoable region over the whole messages received. Returns 0 on a protocol violation. */
static int scan_frames(struct conn *c)
{
    if (!s_options.framed) {
        c->out_end = c->in_end;
        return 1;
    }
    size_t at = c->out_end;
    while (c->in_end - at >= HEADER_SIZE) {
        const unsigned char *h = c->buf + at;
        uint32_t length = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        if (length > s_options.max_frame) {
            char peer[INET6_ADDRSTRLEN + 8];
            describe_peer(c->fd, peer, sizeof peer);
            fprintf(stderr, PROGRAM ": warning: %s declared a %u-byte message, over max-frame %u; closing it\n",
                    peer, length, s_options.max_frame);
            s_protocol_errors++;
            c->out_end = at;
            return 0;
        }
        if (c->in_end - at - HEADER_SIZE < length)
            break;
        at += HEADER_SIZE + length;
    }
    c->out_end = at;
    return 1;
}

/* Does all the work one readiness edge allows. Returns 0 when the connection was closed. */
static int serve(struct conn *c)
{
    for (;;) {
        size_t pending = c->out_end - c->out_start;
        if (pending > 0 && c->writable) {
            ssize_t n = send(c->fd, c->buf + c->out_start, pending, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK)
                    goto close;
                n = 0;
            }
            /* A short send filled the socket buffer; the EPOLLOUT edge says when it has room again. */
            if ((size_t)n < pending)
                c->writable = 0;
            c->out_start += (size_t)n;
            if (c->out_start == c->out_end)
                compact(c);
        }

        if (c->eof) {
            if (c->out_end == c->out_start)
                goto close; /* half-close served; a partial message left over is dropped (docs/protocol.md#closing) */
            return 1;       /* echo pending after the FIN: the next EPOLLOUT edge goes on */
        }
        if (!c->readable || c->out_end - c->out_start >= OUTPUT_BUDGET)
            return 1;

        if (s_buffer_size - c->in_end < READ_CHUNK && c->out_start > 0)
            compact(c);
        size_t room = s_buffer_size - c->in_end;
        ssize_t n = recv(c->fd, c->buf + c->in_end, room, 0);
        if (n > 0) {
            c->in_end += (size_t)n;
            /* A short read emptied the socket; any later arrival raises a new edge. Unless the FIN
               came in with that data (EPOLLRDHUP): then read again to see the end of stream. */
            if ((size_t)n < room && !c->rdhup)
                c->readable = 0;
            if (!scan_frames(c)) {
                /* The messages before the bad header were fine: one best-effort send of their echo. */
                if (c->writable && c->out_end > c->out_start)
                    (void)!send(c->fd, c->buf + c->out_start, c->out_end - c->out_start, MSG_NOSIGNAL);
                goto close;
            }
        } else if (n == 0) {
            c->eof = 1;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            c->readable = 0;
        } else if (errno != EINTR) {
            goto close; /* ECONNRESET and friends: nothing left to echo to */
        }
    }

close:
    close_connection(c);
    return 0;
}

static void on_connection_event(struct conn *c, uint32_t events)
{
    if (events & EPOLLERR) {
        close_connection(c); /* reset by the peer: nothing can be echoed */
        return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
        c->readable = 1;
    if (events & (EPOLLRDHUP | EPOLLHUP))
        c->rdhup = 1;
    if (events & EPOLLOUT)
        c->writable = 1;
    serve(c);
}

static int accept_pause_timeout_ms(void)
{
    if (!s_accept_paused)
        return -1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (s_accept_resume_at.tv_sec - now.tv_sec) * 1000L + (s_accept_resume_at.tv_nsec - now.tv_nsec) / 1000000L;
    return ms > 0 ? (int)ms + 1 : 0;
}

static void open_listener(void)
{
    struct sockaddr_storage address;
    socklen_t length;
    memset(&address, 0, sizeof address);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&address;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&address;
    if (inet_pton(AF_INET, s_options.address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)s_options.port);
        length = sizeof *v4;
    } else {
        inet_pton(AF_INET6, s_options.address, &v6->sin6_addr);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)s_options.port);
        length = sizeof *v6;
    }

    s_listener = socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s_listener < 0)
        fatal("socket");
    /* Restarting must not wait for the previous run's TIME_WAIT sockets; a live listener still conflicts. */
    int one = 1;
    setsockopt(s_listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(s_listener, (struct sockaddr *)&address, length) != 0 || listen(s_listener, s_options.backlog) != 0) {
        const char *reason = errno == EADDRINUSE ? "address already in use (pick another --port, or 0 for a free one)"
                                                 : strerror(errno);
        fprintf(stderr, PROGRAM ": cannot listen on %s:%d: %s\n", s_options.address, s_options.port, reason);
        exit(2);
    }

    length = sizeof address;
    if (getsockname(s_listener, (struct sockaddr *)&address, &length) != 0)
        fatal("getsockname");
    int port = ntohs(address.ss_family == AF_INET6 ? v6->sin6_port : v4->sin_port);
    printf("listening on %s:%d model=reference framing=%s pid=%d\n", s_options.address, port,
           s_options.framed ? "framed" : "raw", (int)getpid());
    fflush(stdout);
}

int main(int argc, char **argv)
{
    parse_options(argc, argv);
    /* Framed: one whole max-frame message may sit partial behind a full budget of echo, and a read
       needs room. Raw: no messages, just the budget and a read. */
    s_buffer_size = (s_options.framed ? HEADER_SIZE + (size_t)s_options.max_frame : 0) + OUTPUT_BUDGET + READ_CHUNK;

    /* SIGINT/SIGTERM arrive as readable events on a signalfd, so shutdown is an ordinary event in
       the loop and no system call is ever interrupted mid-flight by a handler. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stop_signals, NULL) != 0)
        fatal("sigprocmask");
    s_signals = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
    if (s_signals < 0)
        fatal("signalfd");
    signal(SIGPIPE, SIG_IGN);

    s_epoll = epoll_create1(EPOLL_CLOEXEC);
    if (s_epoll < 0)
        fatal("epoll_create1");
    open_listener();
    epoll_add(s_signals, EPOLLIN, &s_signal_tag);
    epoll_add(s_listener, EPOLLIN | EPOLLET, &s_listener_tag);

    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int count = epoll_wait(s_epoll, events, MAX_EVENTS, accept_pause_timeout_ms());
        if (count < 0) {
            if (errno == EINTR)
                continue;
            fatal("epoll_wait");
        }
        if (s_accept_paused && accept_pause_timeout_ms() == 0)
            resume_accepting();
        for (int i = 0; i < count; i++) {
            void *tag = events[i].data.ptr;
            if (tag == &s_listener_tag)
                accept_connections();
            else if (tag == &s_signal_tag)
                goto stop;
            else
                on_connection_event(tag, events[i].events);
        }
    }

stop:
    s_accept_paused = 0; /* the listener goes first; closing connections must not re-arm it */
    close(s_listener);
    while (s_connections != NULL)
        close_connection(s_connections);
    fprintf(stderr, PROGRAM ": stopped; connections=%lu protocol-errors=%lu\n", s_accepted, s_protocol_errors);
    return 0;
}
