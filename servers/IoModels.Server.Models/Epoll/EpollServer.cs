using System.Net;
using IoModels.Native;
using Tmds.Linux;

namespace IoModels.Server.Models.Epoll;

/// <summary>
/// One thread, one epoll instance, every socket made with libc (<see cref="NativeSocket"/>) so .NET's own epoll
/// engine never touches them. <see cref="EpollTrigger"/> picks how client sockets are registered
/// (<see cref="LevelTriggeredConnection"/> or <see cref="EdgeTriggeredConnection"/>); the loop is otherwise the same.
/// </summary>
/// <remarks>
/// Each registration carries a token in <c>epoll_event.data.u64</c>: a client's slot in the
/// <see cref="SlotTable{T}"/>, or one of the two tokens below. The event buffer is on the stack, so steady-state
/// echo allocates nothing: receive space comes from the pool only during an event (see <see cref="EchoSession"/>).
/// The listener stays level-triggered in both models (the trigger mode under study is the clients'); when the
/// process runs out of descriptors the loop drops the listener's interest until <see cref="AcceptThrottle"/> says
/// to try again, instead of being woken for the same pending connection over and over.
/// </remarks>
internal sealed class EpollServer : EventLoopServer
{
    private const ulong ListenerToken = ulong.MaxValue;
    private const ulong WakeToken = ulong.MaxValue - 1;

    // Events taken per epoll_wait: 256 × 12 bytes on the stack. More ready sockets are simply reported next time.
    private const int MaxEvents = 256;

    private readonly ServerContext _context;
    private readonly EpollTrigger _trigger;
    private readonly FileDescriptor _listener;
    private readonly EpollInstance _epoll;
    private readonly EventFd _wake;
    private readonly AcceptThrottle _throttle;
    private readonly SlotTable<EpollConnection> _connections = new();
    private readonly IdleSweep _idle;
    private bool _acceptPaused;

    public EpollServer(ServerContext context, EpollTrigger trigger)
        : base(context, trigger == EpollTrigger.Edge ? "epoll-et" : "epoll-lt")
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _trigger = trigger;
        var options = context.Options;
        _listener = NativeSocket.Listen(new IPEndPoint(options.Address, options.Port), options.Backlog, out var localEndPoint);
        LocalEndPoint = localEndPoint;
        try
        {
            _epoll = EpollInstance.Create();
            _wake = EventFd.Create();
            _epoll.Add(_listener.Number, EpollEvents.In, ListenerToken);
            _epoll.Add(_wake.Number, EpollEvents.In, WakeToken);
        }
        catch
        {
            _wake?.Dispose();
            _epoll?.Dispose();
            _listener.Dispose();
            throw;
        }

        _throttle = context.AcceptThrottle;
        _idle = new IdleSweep(options.IdleTimeout);
    }

    public override IPEndPoint LocalEndPoint { get; }

    protected override void WakeLoop() => _wake.Signal();

    protected override void RunLoop()
    {
        ServerLog.EpollLoopStarted(_context.Logger, ModelName, MaxEvents);
        Span<epoll_event> events = stackalloc epoll_event[MaxEvents];
        while (!Stopping)
        {
            int count = _epoll.Wait(events, IdleSweep.Earlier(_acceptPaused ? PauseTimeoutMilliseconds() : -1, _idle.MillisecondsUntilDue()));
            for (int i = 0; i < count && !Stopping; i++)
            {
                // Copied out: epoll_event is packed, so no reference into it.
                ulong token = events[i].data.u64;
                int flags = events[i].events;
                if (token == ListenerToken)
                {
                    AcceptPending();
                }
                else if (token == WakeToken)
                {
                    _wake.Reset();
                }
                else if (_connections[(int)token] is { } connection && !connection.OnEvents(flags))
                {
                    Close(connection);
                }
            }

            if (_idle.TryBegin(out long now))
            {
                CloseIdle(now);
            }

            _connections.EndBatch();
            if (_acceptPaused && !_throttle.IsPaused)
            {
                _epoll.Modify(_listener.Number, EpollEvents.In, ListenerToken);
                _acceptPaused = false;
            }
        }
    }

    /// <summary>Accepts until EAGAIN, or until descriptors run out (see <see cref="DescriptorBudget"/>).</summary>
    private void AcceptPending()
    {
        while (true)
        {
            if (!_throttle.CanAccept())
            {
                PauseAccepting();
                return;
            }

            int fd = NativeSocket.Accept(_listener.Number, out int error);
            if (fd == -1)
            {
                if (Errno.IsWouldBlock(error))
                {
                    return;
                }

                if (Errno.IsDescriptorExhaustion(error))
                {
                    _throttle.OnExhausted(Errno.ToSocketError(error));
                    PauseAccepting();
                    return;
                }

                // ECONNABORTED and the like: that one connection is gone. Back to epoll_wait rather than retrying here,
                // so an error that persists cannot hold the loop; the level-triggered listener reports what is left.
                ServerLog.AcceptFailed(_context.Logger, Errno.Describe(error));
                return;
            }

            Add(new FileDescriptor(fd));
        }
    }

    /// <summary>
    /// The pending connection stays in the backlog, and the level-triggered listener would report it again at once:
    /// drop the listener's interest until the throttle's pause ends (the throttle logs once per episode).
    /// </summary>
    private void PauseAccepting()
    {
        _epoll.Modify(_listener.Number, 0, ListenerToken);
        _acceptPaused = true;
    }

    private void Add(FileDescriptor socket)
    {
        int noDelayError = NativeSocket.SetNoDelay(socket.Number, _context.Options.NoDelay);
        if (noDelayError != 0)
        {
            // Only fails if the peer is already gone; the first recv will say so.
            ServerLog.EpollSocketOptionFailed(_context.Logger, "TCP_NODELAY", Errno.Describe(noDelayError));
        }

        int slot = _connections.Reserve();
        EpollConnection connection = _trigger == EpollTrigger.Edge
            ? new EdgeTriggeredConnection(socket, slot, _context)
            : new LevelTriggeredConnection(socket, slot, _context, _epoll);
        try
        {
            _epoll.Add(connection.Fd, connection.InitialInterest, (ulong)slot);
        }
        catch (ErrnoException e)
        {
            // Out of kernel memory or epoll watches (ENOMEM, ENOSPC): turn this one client away, keep serving the rest.
            ServerLog.EpollRegistrationFailed(_context.Logger, e.Message);
            _connections.Unreserve(slot);
            connection.Dispose();
            _throttle.OnDescriptorFreed();
            return;
        }

        _connections.Set(connection);
        _context.ConnectionOpened();
    }

    private void Close(EpollConnection connection)
    {
        _connections.Remove(connection);
        connection.Dispose();
        _context.ConnectionClosed();
    }

    /// <summary>The idle sweep: one pass over the slots, closing every connection without progress for the timeout.</summary>
    private void CloseIdle(long now)
    {
        for (int slot = 0; slot < _connections.Extent; slot++)
        {
            if (_connections[slot] is { } connection && connection.TryExpire(now, _idle.TimeoutTicks))
            {
                Close(connection);
            }
        }
    }

    private int PauseTimeoutMilliseconds() => Math.Max(1, (int)Math.Ceiling(_throttle.RemainingPause.TotalMilliseconds));

    protected override void CloseAll()
    {
        _listener.Dispose();
        foreach (var connection in _connections.Snapshot())
        {
            _connections.Remove(connection);
            connection.Dispose();
            _context.ConnectionClosed();
        }

        _epoll.Dispose();
        _wake.Dispose();
    }
}
