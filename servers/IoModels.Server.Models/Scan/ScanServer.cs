using System.Net;
using IoModels.Native;

namespace IoModels.Server.Models.Scan;

/// <summary>
/// The single-thread loop of the models whose system call takes the whole watched set on every call and scans it
/// (<see cref="PollServer"/>, <see cref="SelectLibcServer"/>): libc sockets (<see cref="NativeSocket"/>), a
/// <see cref="SlotTable{T}"/> of <see cref="ScanConnection"/>s, an eventfd that stop writes to wake the call, and
/// accepting under the <see cref="AcceptThrottle"/>. A subclass owns only its kernel call and the structure it
/// hands that call.
/// </summary>
internal abstract class ScanServer : EventLoopServer
{
    // Accepts per pass, so a connection storm cannot starve the clients already served; the listener is
    // level-triggered, so what is left is reported again next pass.
    private const int MaxAcceptsPerPass = 64;

    private readonly ServerContext _context;
    private readonly FileDescriptor _listener;
    private readonly EventFd _wake;
    private readonly AcceptThrottle _throttle;
    private readonly IdleSweep _idle;

    protected ScanServer(ServerContext context, string modelName)
        : base(context, modelName)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        var options = context.Options;
        _listener = NativeSocket.Listen(new IPEndPoint(options.Address, options.Port), options.Backlog, out var localEndPoint);
        LocalEndPoint = localEndPoint;
        try
        {
            _wake = EventFd.Create();
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        _throttle = context.AcceptThrottle;
        _idle = new IdleSweep(options.IdleTimeout);
    }

    public override IPEndPoint LocalEndPoint { get; }

    protected ServerContext Context => _context;

    protected int ListenerFd => _listener.Number;

    protected int WakeFd => _wake.Number;

    protected SlotTable<ScanConnection> Connections { get; } = new();

    protected sealed override void WakeLoop() => _wake.Signal();

    protected sealed override void RunLoop()
    {
        while (!Stopping)
        {
            // Out of descriptors the listener is left out of the call until the throttle's pause ends, instead of
            // being reported for the same pending connection over and over.
            bool accepting = !_throttle.IsPaused;
            int timeout = accepting ? -1 : Math.Max(1, (int)Math.Ceiling(_throttle.RemainingPause.TotalMilliseconds));
            WaitAndDispatch(accepting, IdleSweep.Earlier(timeout, _idle.MillisecondsUntilDue()));
            if (_idle.TryBegin(out long now))
            {
                CloseIdle(now);
            }

            Connections.EndBatch();
        }
    }

    /// <summary>
    /// One call of the model's system call over the wake descriptor, the listener (when <paramref name="accepting"/>)
    /// and every connection's <see cref="ScanConnection.Interest"/>, then <see cref="OnWake"/>,
    /// <see cref="AcceptPending"/> or <see cref="Dispatch"/> for what it reported.
    /// </summary>
    protected abstract void WaitAndDispatch(bool accepting, int timeoutMilliseconds);

    /// <summary>A new connection is in <see cref="Connections"/>: watch it from the next call on.</summary>
    protected abstract void Watch(ScanConnection connection);

    /// <summary>A connection is about to close: stop watching it (its descriptor number may be reused at once).</summary>
    protected abstract void Unwatch(ScanConnection connection);

    /// <summary>
    /// Whether a just-accepted descriptor can be watched. When not, the subclass has accounted for it and the
    /// descriptor is closed at once, never served.
    /// </summary>
    protected virtual bool CanWatch(int fd) => true;

    protected void OnWake() => _wake.Reset();

    /// <summary>Hands one report to its connection; false when that closed it.</summary>
    protected bool Dispatch(ScanConnection connection, int events)
    {
        if (connection.OnEvents(events))
        {
            return true;
        }

        Close(connection);
        return false;
    }

    /// <summary>Accepts up to a pass's worth, until EAGAIN, or until descriptors run out (see <see cref="DescriptorBudget"/>).</summary>
    protected void AcceptPending()
    {
        for (int i = 0; i < MaxAcceptsPerPass && _throttle.CanAccept(); i++)
        {
            int fd = NativeSocket.Accept(_listener.Number, out int error);
            if (fd == -1)
            {
                if (Errno.IsDescriptorExhaustion(error))
                {
                    _throttle.OnExhausted(Errno.ToSocketError(error));
                }
                else if (!Errno.IsWouldBlock(error))
                {
                    // ECONNABORTED and the like: that one connection is gone; the listener reports what is left.
                    ServerLog.AcceptFailed(_context.Logger, Errno.Describe(error));
                }

                return;
            }

            var socket = new FileDescriptor(fd);
            if (!CanWatch(fd))
            {
                socket.Dispose();
                continue;
            }

            Add(socket);
        }
    }

    protected override void CloseAll()
    {
        _listener.Dispose();
        foreach (var connection in Connections.Snapshot())
        {
            Connections.Remove(connection);
            connection.Dispose();
            _context.ConnectionClosed();
        }

        _wake.Dispose();
    }

    private void Add(FileDescriptor socket)
    {
        int noDelayError = NativeSocket.SetNoDelay(socket.Number, _context.Options.NoDelay);
        if (noDelayError != 0)
        {
            // Only fails if the peer is already gone; the first recv will say so.
            ServerLog.EpollSocketOptionFailed(_context.Logger, "TCP_NODELAY", Errno.Describe(noDelayError));
        }

        var connection = new ScanConnection(socket, Connections.Reserve(), _context);
        Connections.Set(connection);
        Watch(connection);
        _context.ConnectionOpened();
    }

    /// <summary>The idle sweep: one pass over the slots, closing every connection without progress for the timeout.</summary>
    private void CloseIdle(long now)
    {
        for (int slot = 0; slot < Connections.Extent; slot++)
        {
            if (Connections[slot] is { } connection && connection.TryExpire(now, _idle.TimeoutTicks))
            {
                Close(connection);
            }
        }
    }

    private void Close(ScanConnection connection)
    {
        Unwatch(connection);
        Connections.Remove(connection);
        connection.Dispose();
        _context.ConnectionClosed();
    }
}
