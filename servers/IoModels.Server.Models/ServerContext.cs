using System.Net.Sockets;
using IoModels.Native;
using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>
/// What every model is given: its options, the shared counters, a logger and a buffer pool; and the plumbing every
/// model shares, written once here: a connection's opened/closed bookkeeping, the accept throttle, and the messages a
/// peer can cause, rate-limited (<see cref="PeerWarnings"/>).
/// </summary>
public sealed class ServerContext(ServerOptions options, ServerMetrics metrics, ILogger logger) : IDisposable
{
    public ServerOptions Options { get; } = options;

    public ServerMetrics Metrics { get; } = metrics;

    public ILogger Logger { get; } = logger;

    /// <summary>The sessions' buffers: see <see cref="SessionBufferPool"/>. Replaceable for tests that measure it.</summary>
    public SessionBufferPool BufferPool { get; init; } = new();

    /// <summary>One per server: every accept loop of a model pauses on the same descriptor count.</summary>
    public AcceptThrottle AcceptThrottle { get; } = new(metrics, logger);

    /// <summary>One per server, shared by every connection and thread of the model.</summary>
    public PeerWarnings PeerWarnings { get; } = new(logger);

    /// <summary>
    /// Tests only (the test assembly sees internals; no option reaches it): runs on the model's accepting thread at
    /// the end of <see cref="ConnectionOpened"/>, once the connection is fully registered. An exception thrown from it
    /// is a failure of the model's own loop, which is how the tests make every model's loop fail.
    /// </summary>
    internal Action? ConnectionOpenedHook { get; set; }

    /// <summary>
    /// Called by the accepting loop once an accepted connection is registered with the model, as the last step: counts
    /// it, and ends an out-of-descriptors episode that has been quiet long enough.
    /// </summary>
    public void ConnectionOpened()
    {
        AcceptThrottle.OnAccepted();
        Metrics.ConnectionOpened();
        ConnectionOpenedHook?.Invoke();
    }

    /// <summary>Called from any thread once a connection's descriptor is closed.</summary>
    public void ConnectionClosed()
    {
        Metrics.ConnectionClosed();
        AcceptThrottle.OnDescriptorFreed();
    }

    /// <summary>
    /// Counts and logs (rate-limited) a length above max-frame, declared by a framed header or reached by a line with no
    /// newline yet; the caller closes the connection.
    /// </summary>
    public void ReportProtocolViolation(Socket socket, uint declaredLength)
    {
        Metrics.ProtocolError();
        if (PeerWarnings.TryLog(PeerWarningKind.ProtocolViolation, LogLevel.Warning))
        {
            LogProtocolViolation(PeerOf(socket), declaredLength);
        }
    }

    /// <inheritdoc cref="ReportProtocolViolation(Socket, uint)"/>
    public void ReportProtocolViolation(int fd, uint declaredLength)
    {
        Metrics.ProtocolError();
        if (PeerWarnings.TryLog(PeerWarningKind.ProtocolViolation, LogLevel.Warning))
        {
            LogProtocolViolation(PeerOf(fd), declaredLength);
        }
    }

    /// <summary>"Connection ended" by an error (a reset, a broken pipe), rate-limited; only then is the peer looked up.</summary>
    public void ReportConnectionEnded(Socket socket, SocketError error)
    {
        if (PeerWarnings.TryLog(PeerWarningKind.ConnectionEnded, LogLevel.Debug))
        {
            ServerLog.ConnectionFailed(Logger, PeerOf(socket), error.ToString());
        }
    }

    /// <inheritdoc cref="ReportConnectionEnded(Socket, SocketError)"/>
    public void ReportConnectionEnded(int fd, string operation, int errno)
    {
        if (PeerWarnings.TryLog(PeerWarningKind.ConnectionEnded, LogLevel.Debug))
        {
            ServerLog.ConnectionFailed(Logger, PeerOf(fd), $"{operation}: {Errno.Describe(errno)}");
        }
    }

    /// <summary>A reset or hang-up reported by epoll itself (EPOLLERR/EPOLLHUP), rate-limited.</summary>
    public void ReportConnectionBroken(int fd, int events)
    {
        if (PeerWarnings.TryLog(PeerWarningKind.ConnectionEnded, LogLevel.Debug))
        {
            ServerLog.EpollConnectionBroken(Logger, PeerOf(fd), events);
        }
    }

    /// <summary>The one line a model logs once it has stopped: what was left out of the log, then the counters.</summary>
    public void LogStopped()
    {
        PeerWarnings.Flush();
        ServerLog.Stopped(Logger, Metrics.Summary());
    }

    public void Dispose()
    {
        PeerWarnings.Dispose();
        AcceptThrottle.Dispose();
    }

    private void LogProtocolViolation(string peer, uint length)
    {
        if (Options.Framing == Protocol.Framing.Line)
        {
            ServerLog.LineTooLong(Logger, peer, length, Options.MaxFrame);
        }
        else
        {
            ServerLog.ProtocolViolation(Logger, peer, length, Options.MaxFrame);
        }
    }

    private static string PeerOf(int fd) => NativeSocket.GetPeerEndPoint(fd)?.ToString() ?? "unknown peer";

    private static string PeerOf(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "unknown peer";
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // Closed by shutdown, or reset before we asked.
            return "unknown peer";
        }
    }
}
