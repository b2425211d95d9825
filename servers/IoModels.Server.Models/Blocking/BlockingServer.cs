using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IoModels.Server.Models.Blocking;

/// <summary>
/// Thread per client: one dedicated thread blocks in <c>accept</c>, and each client gets a thread of its own that
/// blocks in <c>recv</c> and <c>send</c>. Simple and fast for a few clients; a thread (stack, scheduling) per
/// connection for many.
/// </summary>
/// <remarks>
/// Only synchronous socket calls touch a client socket: in .NET, a socket that ever ran an async operation stays
/// non-blocking and its "synchronous" calls are emulated on the runtime's epoll thread, which is not this model.
/// Backpressure needs no code here: a blocked <c>send</c> stops this thread from reading.
/// </remarks>
internal sealed class BlockingServer : IServerModel
{
    // Client threads need little stack: one frame of echo logic. The default (8 MiB reserved) is wasteful at thousands.
    private const int ClientThreadStackSize = 256 * 1024;

    private readonly ServerContext _context;
    private readonly Socket _listener;
    private readonly AcceptThrottle _throttle;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly HashSet<BlockingConnection> _connections = [];
    private readonly CountdownEvent _running = new(1);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IdleTimer? _idleTimer;
    private Thread? _acceptThread;

    public BlockingServer(ServerContext context)
    {
        _context = context;
        _throttle = context.AcceptThrottle;
        _listener = ManagedListener.Create(context.Options);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _idleTimer = IdleTimer.Start(context.Options.IdleTimeout, CloseIdle);
    }

    public IPEndPoint LocalEndPoint { get; }

    public Task Completion => _completion.Task;

    public void Start()
    {
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "blocking accept" };
        _acceptThread.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _idleTimer?.Dispose();

        // Closing the listener wakes the thread blocked in accept; shutting a client down wakes its thread in recv or send.
        _listener.Dispose();
        BlockingConnection[] open;
        lock (_gate)
        {
            open = [.. _connections];
        }

        foreach (var connection in open)
        {
            connection.Abort();
        }

        _running.Signal();
        if (await WaitForThreadsAsync(cancellationToken).ConfigureAwait(false))
        {
            _completion.TrySetResult();
        }

        _context.LogStopped();
    }

    public void Dispose()
    {
        _idleTimer?.Dispose();
        _listener.Dispose();
        _stopping.Dispose();
        _running.Dispose();
    }

    /// <summary>False when the threads had not all ended by the time <paramref name="cancellationToken"/> fired.</summary>
    private async Task<bool> WaitForThreadsAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var wait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = ThreadPool.RegisterWaitForSingleObject(_running.WaitHandle, (state, _) => ((TaskCompletionSource)state!).TrySetResult(), wait, Timeout.Infinite, executeOnlyOnce: true);
        try
        {
            await wait.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            ServerLog.StopTimedOut(_context.Logger, _running.CurrentCount, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return false;
        }
        finally
        {
            registration.Unregister(null);
        }
    }

    /// <summary>The idle sweep, on a timer thread: wakes every connection thread whose peer made no progress for the timeout.</summary>
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

    /// <summary>The accept thread: a failure of its own (not of one accept) ends the model, through <see cref="Completion"/>.</summary>
    private void AcceptLoop()
    {
        try
        {
            Accept();
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
        }
    }

    private void Accept()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            if (!_throttle.CanAccept())
            {
                _throttle.WaitWhilePaused(token);
                continue;
            }

            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e) when (!token.IsCancellationRequested)
            {
                if (AcceptThrottle.IsDescriptorExhaustion(e.SocketErrorCode))
                {
                    _throttle.OnExhausted(e.SocketErrorCode);
                    _throttle.WaitWhilePaused(token);
                }
                else
                {
                    ServerLog.AcceptFailed(_context.Logger, e.SocketErrorCode.ToString());
                }

                continue;
            }
            catch (SocketException)
            {
                break;
            }

            StartClient(client);
        }
    }

    private void StartClient(Socket client)
    {
        if (!ManagedListener.TryConfigure(client, _context.Options))
        {
            client.Dispose();
            return;
        }

        var connection = new BlockingConnection(client, _context);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                client.Dispose();
                return;
            }

            _connections.Add(connection);
            _running.AddCount();
        }

        var thread = new Thread(Serve, ClientThreadStackSize) { IsBackground = true, Name = "blocking client" };
        try
        {
            _context.ConnectionOpened();
        }
        finally
        {
            // Registered and counted in _running: its thread must run (and close it), whatever the bookkeeping threw.
            thread.Start(connection);
        }
    }

    private void Serve(object? state)
    {
        var connection = (BlockingConnection)state!;
        try
        {
            connection.Run();
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(connection);
            }

            connection.Dispose();
            _context.ConnectionClosed();
            _running.Signal();
        }
    }
}
