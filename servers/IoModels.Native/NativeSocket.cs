using System.Net;
using System.Net.Sockets;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>
/// TCP sockets made and driven with libc alone, so .NET's own socket engine (and its epoll thread) never sees
/// them. Every socket is non-blocking and close-on-exec. Calls that fail return -1 and hand back the errno they
/// read straight after the call; EINTR is retried here, so callers never see it.
/// </summary>
internal static unsafe class NativeSocket
{
    /// <summary>
    /// A bound, listening socket. Failures surface as <see cref="SocketException"/> with the matching
    /// <see cref="SocketError"/> (EADDRINUSE: AddressAlreadyInUse), as they do for <see cref="Socket"/>.
    /// </summary>
    public static FileDescriptor Listen(IPEndPoint endPoint, int backlog, out IPEndPoint localEndPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        int family = endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;
        int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd == -1)
        {
            int error = errno;
            throw Errno.ToSocketException("socket", error);
        }

        var listener = new FileDescriptor(fd);
        try
        {
            // Restarting a server must not wait for the previous run's TIME_WAIT sockets; a live listener still conflicts.
            int on = 1;
            if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(int)) == -1)
            {
                int error = errno;
                throw Errno.ToSocketException("setsockopt(SO_REUSEADDR)", error);
            }

            sockaddr_storage address;
            socklen_t length = SocketAddresses.Write(endPoint, &address);
            if (bind(fd, (sockaddr*)&address, length) == -1)
            {
                int error = errno;
                throw Errno.ToSocketException("bind", error);
            }

            if (listen(fd, backlog) == -1)
            {
                int error = errno;
                throw Errno.ToSocketException("listen", error);
            }

            length = SizeOf.sockaddr_storage;
            if (getsockname(fd, (sockaddr*)&address, &length) == -1)
            {
                int error = errno;
                throw Errno.ToSocketException("getsockname", error);
            }

            localEndPoint = SocketAddresses.Read(&address) ?? endPoint;
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new unconnected TCP socket for <paramref name="family"/>. Failures (EMFILE: out of descriptors) surface as
    /// <see cref="SocketException"/>, as they do for <see cref="Socket"/>.
    /// </summary>
    public static FileDescriptor Create(AddressFamily family)
    {
        int fd = socket(family == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd == -1)
        {
            int error = errno;
            throw Errno.ToSocketException("socket", error);
        }

        return new FileDescriptor(fd);
    }

    /// <summary>
    /// Starts a connect: 0 when connected at once, EINPROGRESS while the handshake runs (the socket turns writable
    /// when it ends; <see cref="PendingError"/> then tells how), or the errno of the failure.
    /// </summary>
    public static int Connect(int fd, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        sockaddr_storage address;
        socklen_t length = SocketAddresses.Write(endPoint, &address);
        if (connect(fd, (sockaddr*)&address, length) == 0)
        {
            return 0;
        }

        int error = errno;
        // Not retried on EINTR: the connect carries on in the background (a retry would see EALREADY), as if EINPROGRESS.
        return Errno.IsInterrupted(error) ? EINPROGRESS : error;
    }

    /// <summary>The socket's pending error (SO_ERROR), which also clears it: after a connect, 0 means connected.</summary>
    public static int PendingError(int fd)
    {
        int value = 0;
        socklen_t length = sizeof(int);
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) == -1 ? errno : value;
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> (0: just look) for <paramref name="fd"/> to become readable
    /// (<paramref name="forWrite"/> false: data or end of stream) or writable (true: also a connect that ended).
    /// True when it is, or when an error or hang-up is pending, which the next call on it will report.
    /// </summary>
    public static bool Poll(int fd, bool forWrite, int timeoutMilliseconds)
    {
        pollfd entry = default;
        entry.fd = fd;
        entry.events = (short)(forWrite ? POLLOUT : POLLIN);
        int ready;
        do
        {
            ready = poll(&entry, 1, timeoutMilliseconds);
        }
        while (ready == -1 && Errno.IsInterrupted(errno));

        return ready > 0;
    }

    /// <summary>Accepts one pending connection as a non-blocking socket, or returns -1 with the errno (EAGAIN: none pending).</summary>
    public static int Accept(int listener, out int error)
    {
        int fd;
        do
        {
            fd = accept4(listener, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
            error = fd == -1 ? errno : 0;
        }
        while (fd == -1 && Errno.IsInterrupted(error));

        return fd;
    }

    /// <summary>Reads into <paramref name="buffer"/>: the count, 0 at end of stream, or -1 with the errno (EAGAIN: nothing queued).</summary>
    public static long Receive(int fd, Span<byte> buffer, out int error)
    {
        long received;
        fixed (byte* data = buffer)
        {
            do
            {
                received = (long)recv(fd, data, buffer.Length, 0);
                error = received == -1 ? errno : 0;
            }
            while (received == -1 && Errno.IsInterrupted(error));
        }

        return received;
    }

    /// <summary>Writes from <paramref name="buffer"/>: the count taken, or -1 with the errno (EAGAIN: send buffer full).</summary>
    public static long Send(int fd, ReadOnlySpan<byte> buffer, out int error)
    {
        long sent;
        fixed (byte* data = buffer)
        {
            do
            {
                // MSG_NOSIGNAL: a peer that reset must give EPIPE here, not SIGPIPE to the whole process.
                sent = (long)send(fd, data, buffer.Length, MSG_NOSIGNAL);
                error = sent == -1 ? errno : 0;
            }
            while (sent == -1 && Errno.IsInterrupted(error));
        }

        return sent;
    }

    /// <summary>
    /// <c>shutdown(SHUT_RDWR)</c>: ends both directions now, without closing the descriptor, so an operation in flight
    /// on it (an io_uring poll or send) completes and its owner closes it. Returns 0 or the errno (ENOTCONN: already gone).
    /// </summary>
    public static int Shutdown(int fd) => shutdown(fd, SHUT_RDWR) == -1 ? errno : 0;

    /// <summary>Sets TCP_NODELAY (Nagle off); returns 0 or the errno.</summary>
    public static int SetNoDelay(int fd, bool noDelay)
    {
        int value = noDelay ? 1 : 0;
        return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &value, sizeof(int)) == -1 ? errno : 0;
    }

    /// <summary>The peer's address, for the rare paths that name it (protocol violations, debug logs); null once it is gone.</summary>
    public static IPEndPoint? GetPeerEndPoint(int fd)
    {
        sockaddr_storage address;
        socklen_t length = SizeOf.sockaddr_storage;
        return getpeername(fd, (sockaddr*)&address, &length) == -1 ? null : SocketAddresses.Read(&address);
    }
}
