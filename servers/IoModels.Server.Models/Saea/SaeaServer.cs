using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IoModels.Server.Models.Saea;

/// <summary>
/// The SocketAsyncEventArgs model, the one most .NET servers stand on (Kestrel's socket transport is built on it):
/// no thread of our own. The runtime's epoll thread notices readiness and completes our operations on the thread
/// pool (or inline on the epoll thread with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>).
/// </summary>
/// <remarks>
/// Shutdown: stop the accept loop, close the listener and every client socket, which completes every pending
/// operation with an error; each connection's loop then closes itself. <see cref="_outstanding"/> counts what has
/// yet to finish (the accept loop, each connection, and one reference held until <see cref="StopAsync"/>), and
/// whoever brings it to zero completes <see cref="_finished"/>.
/// </remarks>
internal sealed class SaeaServer : IServerModel
{
    private readonly ServerContext _context;
    private readonly Socket _listener;
    private readonly AcceptThrottle _throttle;
    private readonly SaeaAcceptor _acceptor;
    private readonly Lock _gate = new();
    private readonly HashSet<SaeaConnection> _connections = [];
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IdleTimer? _idleTimer;
    private int _outstanding = 1;
    private bool _started;
    private bool _stopping;

    public SaeaServer(ServerContext context)
    {
        _context = context;
        _throttle = context.AcceptThrottle;
        _listener = ManagedListener.Create(context.Options);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptor = new SaeaAcceptor(_listener, _throttle, context, OnAccepted, Release, e => _completion.TrySetException(e));
        _idleTimer = IdleTimer.Start(context.Options.IdleTimeout, CloseIdle);
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Faults as soon as the accept loop fails; otherwise completes once stopping has finished.</summary>
    public Task Completion => _completion.Task;

    public void Start()
    {
        lock (_gate)
        {
            if (_started || _stopping)
            {
                return;
            }

            _started = true;
            Interlocked.Increment(ref _outstanding);
        }

        ServerLog.SaeaDispatch(_context.Logger, InlineCompletionsSetting());
        _acceptor.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        SaeaConnection[] open;
        bool first;
        lock (_gate)
        {
            first = !_stopping;
            _stopping = true;
            open = first ? [.. _connections] : [];
        }

        if (first)
        {
            _idleTimer?.Dispose();
            _acceptor.Stop();
            _listener.Dispose();
            ServerLog.SaeaAborting(_context.Logger, open.Length);
            foreach (var connection in open)
            {
                connection.Abort();
            }

            Release();
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await _finished.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ServerLog.StopTimedOut(_context.Logger, Volatile.Read(ref _outstanding), Stopwatch.GetElapsedTime(started).TotalSeconds);
            return;
        }

        _completion.TrySetResult();
        if (first)
        {
            _context.LogStopped();
        }
    }

    public void Dispose()
    {
        _idleTimer?.Dispose();
        _listener.Dispose();
        lock (_gate)
        {
            if (!_started)
            {
                // Never started: the accept loop never ran, so it will not dispose its own event args.
                _acceptor.Dispose();
            }
        }
    }

    /// <summary>Called by a connection once it has closed and released everything.</summary>
    public void OnConnectionClosed(SaeaConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }

        _context.ConnectionClosed();
        _acceptor.OnDescriptorFreed();
        Release();
    }

    /// <summary>The idle sweep, on a timer thread: closes the socket of every connection whose peer made no progress for the timeout.</summary>
    private void CloseIdle(long now, long timeout)
    {
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                if (connection.TryExpire(now, timeout))
                {
                    connection.Abort();
                }
            }
        }
    }

    private static string InlineCompletionsSetting() =>
        Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is "1" or "true"
            ? "inline on the runtime's epoll thread (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1)"
            : "dispatched to the thread pool (default)";

    private void OnAccepted(Socket client)
    {
        if (!ManagedListener.TryConfigure(client, _context.Options))
        {
            client.Dispose();
            return;
        }

        var connection = new SaeaConnection(client, _context, this);
        lock (_gate)
        {
            if (_stopping)
            {
                client.Dispose();
                connection.Dispose();
                return;
            }

            _connections.Add(connection);
            Interlocked.Increment(ref _outstanding);
        }

        try
        {
            _context.ConnectionOpened();
        }
        finally
        {
            // Registered and counted as outstanding: it must run (and close itself), whatever the bookkeeping threw.
            connection.Start();
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _finished.TrySetResult();
        }
    }
}
