using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using IoModels.Native;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IoModels.Server.Models.Uring;

/// <summary>
/// One thread, one io_uring: accept, poll, receive and send are submissions, and their completions drive each
/// connection (<see cref="UringConnection"/>). The loop blocks in one <c>io_uring_enter</c> per batch, which both
/// submits what the previous batch queued and waits for the next completion.
/// </summary>
/// <remarks>
/// Sockets are made with libc (<see cref="NativeSocket"/>) and io_uring alone, so .NET's epoll engine never sees
/// them. Accepted sockets stay blocking: io_uring issues socket operations non-blocking itself and, when one would
/// block, waits for readiness internally (IORING_FEAT_FAST_POLL) instead of failing with EAGAIN. Steady-state echo
/// allocates nothing: completions are copied into a stack buffer, the user data is a slot number, and pinning a
/// pooled array takes a GC handle, not a heap object. When descriptors run out, no accept is left pending; a timer
/// (or the next close) ends the pause. Stopping cancels every operation in flight and waits for their completions
/// before any buffer goes back to the pool.
/// </remarks>
internal sealed class UringServer : EventLoopServer
{
    // Submissions per io_uring_enter at most; the ring is flushed early when full.
    private const uint SubmissionEntries = 4096;

    // Every connection may have one operation in flight (up to 20,000 descriptors here), so the completion ring is
    // larger than the submission ring. Beyond it the kernel queues completions internally (IORING_FEAT_NODROP).
    private const uint CompletionEntries = 32768;

    // Completions copied out per pass: 256 × 16 bytes on the stack.
    private const int CompletionBatch = 256;

    private static readonly TimeSpan s_cancelTimeout = TimeSpan.FromSeconds(2);

    private readonly ServerContext _context;
    private readonly IoUring _ring;
    private readonly IoUringProbe _probe;
    private readonly FileDescriptor _listener;
    private readonly EventFd _wake;
    private readonly AcceptThrottle _throttle;
    private readonly SlotTable<UringConnection> _connections = new();

    // Multishot accept (5.19) keeps accepting everything queued in one go, past any budget check of ours. It is used
    // only while that cannot reach the descriptor limit: below this many connections (twice the backlog short of
    // DescriptorBudget's limit); nearer the limit each accept is one-shot and checked first.
    private readonly long _multishotBelow;
    private bool _multishotAccept;
    private bool _acceptIsMultishot;
    private bool _acceptCancelled;

    // Timeouts are read by the kernel when their submission is issued; native memory, so nothing has to stay pinned.
    private readonly unsafe IoUringTimespec* _retryTimeout;
    private readonly unsafe IoUringTimespec* _deadlineTimeout;
    private readonly unsafe IoUringTimespec* _idleTimeout;
    private readonly IdleSweep _idle;

    private int _closed;
    private bool _acceptPending;
    private bool _retryPending;
    private bool _wakePending;
    private bool _deadlinePassed;
    private bool _idlePending;

    public UringServer(ServerContext context)
        : this(context, IoUring.Create)
    {
    }

    /// <summary>With a ring factory of the caller's, so tests can make io_uring unavailable.</summary>
    internal unsafe UringServer(ServerContext context, Func<uint, uint, IoUring> createRing)
        : base(context, "uring")
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(createRing);
        _context = context;
        (_ring, _probe) = OpenRing(createRing);
        var options = context.Options;
        try
        {
            _listener = NativeSocket.Listen(new IPEndPoint(options.Address, options.Port), options.Backlog, out var localEndPoint);
            LocalEndPoint = localEndPoint;
            _wake = EventFd.Create();
        }
        catch
        {
            _listener?.Dispose();
            _ring.Dispose();
            throw;
        }

        _throttle = context.AcceptThrottle;
        // The probe reports operations, not flags: IORING_OP_SOCKET came in the same release as multishot accept.
        // Should the kernel still refuse the flag, the first accept fails with EINVAL and one-shot takes over.
        _multishotAccept = _probe.Supports(IoUringConstants.OpSocket);
        _multishotBelow = DescriptorBudget.MaxConnections() - (2L * options.Backlog);
        _retryTimeout = (IoUringTimespec*)NativeMemory.AllocZeroed((nuint)(3 * sizeof(IoUringTimespec)));
        _deadlineTimeout = _retryTimeout + 1;
        _idleTimeout = _retryTimeout + 2;
        _idle = new IdleSweep(options.IdleTimeout);
    }

    public override IPEndPoint LocalEndPoint { get; }

    /// <summary>Creates the ring and checks the kernel has every operation the model submits.</summary>
    private static (IoUring Ring, IoUringProbe Probe) OpenRing(Func<uint, uint, IoUring> createRing)
    {
        IoUring ring;
        try
        {
            ring = createRing(SubmissionEntries, CompletionEntries);
        }
        catch (ErrnoException e)
        {
            throw new ModelUnavailableException(UnavailableReason(e), e);
        }

        try
        {
            var probe = ring.Probe();
            (byte Op, string Name, string Since)[] required =
            [
                (IORING_OP_ACCEPT, "IORING_OP_ACCEPT", "5.5"),
                (IORING_OP_ASYNC_CANCEL, "IORING_OP_ASYNC_CANCEL", "5.5"),
                (IORING_OP_TIMEOUT, "IORING_OP_TIMEOUT", "5.4"),
                (IORING_OP_POLL_ADD, "IORING_OP_POLL_ADD", "5.1"),
                (IORING_OP_RECV, "IORING_OP_RECV", "5.6"),
                (IORING_OP_SEND, "IORING_OP_SEND", "5.6"),
            ];
            foreach (var (op, name, since) in required)
            {
                if (!probe.Supports(op))
                {
                    throw new ModelUnavailableException($"io_uring is unavailable: the kernel does not support {name} (Linux {since} or later)");
                }
            }

            return (ring, probe);
        }
        catch (ErrnoException e) when (e.Error == EINVAL)
        {
            ring.Dispose();
            throw new ModelUnavailableException("io_uring is unavailable: the kernel has no IORING_REGISTER_PROBE (Linux 5.6 or later)", e);
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    private static string UnavailableReason(ErrnoException e)
    {
        if (e.Error == ENOSYS)
        {
            return "io_uring is unavailable: io_uring_setup is not implemented (ENOSYS): a kernel older than 5.1, built without io_uring, or a seccomp filter that hides it";
        }

        if (e.Error == EPERM)
        {
            return "io_uring is unavailable: io_uring_setup was refused (EPERM): disabled by the kernel.io_uring_disabled sysctl or blocked by a seccomp filter";
        }

        if (e.Error == ENOMEM)
        {
            return "io_uring is unavailable: no memory for the rings (ENOMEM): raise the locked-memory limit (ulimit -l)";
        }

        return $"io_uring is unavailable: {e.Message}";
    }

    protected override void WakeLoop() => _wake.Signal();

    protected override void RunLoop()
    {
        string acceptMode = _multishotAccept
            ? $"multishot below {_multishotBelow} connections, one-shot above"
            : "one-shot (no multishot accept before Linux 5.19)";
        ServerLog.UringStarted(_context.Logger, _ring.SubmissionEntries, _ring.CompletionEntries, _ring.Features, _probe.LastOp, _ring.SingleIssuer ? "single issuer, deferred task run" : "shared", acceptMode, "poll for readability, then one-shot recv into the connection's pinned buffer");
        Span<io_uring_cqe> completions = stackalloc io_uring_cqe[CompletionBatch];
        _ring.EnableOnThisThread();
        ArmWake();
        TryArmAccept();
        ArmIdleSweep();
        while (!Stopping)
        {
            _ring.Submit(1);
            DispatchReady(completions);
        }

        CancelEverything(completions);
    }

    private void DispatchReady(Span<io_uring_cqe> completions)
    {
        int count;
        while ((count = _ring.TakeCompletions(completions)) > 0)
        {
            for (int i = 0; i < count; i++)
            {
                Dispatch(completions[i].user_data, completions[i].res, completions[i].flags);
            }

            _connections.EndBatch();
        }
    }

    private void Dispatch(ulong userData, int result, uint flags)
    {
        var operation = UserData.Operation(userData);
        switch (operation)
        {
            case UringOperation.Accept:
                OnAccept(result, (flags & IoUringConstants.CompletionMore) != 0);
                break;
            case UringOperation.Wake:
                _wakePending = false;
                _wake.Reset();
                if (!Stopping)
                {
                    ArmWake();
                }

                break;
            case UringOperation.AcceptRetry:
                _retryPending = false;
                TryArmAccept();
                break;
            case UringOperation.IdleSweep:
                _idlePending = false;
                if (!Stopping)
                {
                    CloseIdle();
                    ArmIdleSweep();
                }

                break;
            case UringOperation.ShutdownDeadline:
                _deadlinePassed = true;
                break;
            case UringOperation.Cancel:
                // Its target completes on its own (with -ECANCELED, or normally if it won the race).
                break;
            default:
                if (_connections[UserData.Slot(userData)] is { } connection)
                {
                    OnConnectionCompleted(connection, operation, result);
                }

                break;
        }
    }

    private void OnConnectionCompleted(UringConnection connection, UringOperation operation, int result)
    {
        if (Stopping)
        {
            // Cancelled (or finished just before): start nothing new, the connection closes now.
            connection.OnCompletedWhileStopping();
            Close(connection);
            return;
        }

        if (!connection.OnCompleted(operation, result))
        {
            Close(connection);
        }
    }

    /// <param name="result">The new socket, or the negated errno.</param>
    /// <param name="more">A multishot accept that stays armed (IORING_CQE_F_MORE); without it, no accept is pending.</param>
    private void OnAccept(int result, bool more)
    {
        _acceptPending = more;
        if (result >= 0)
        {
            var socket = new FileDescriptor(result);
            if (Stopping)
            {
                socket.Dispose();
                return;
            }

            Add(socket);
            if (more && _context.Metrics.ConnectionsActive >= _multishotBelow && !_acceptCancelled)
            {
                // Near the descriptor limit: end the multishot accept; the next accept is one-shot and checked first.
                _ring.PrepareCancel(UserData.For(UringOperation.Accept), UserData.For(UringOperation.Cancel));
                _acceptCancelled = true;
            }
        }
        else if (_acceptIsMultishot && -result == EINVAL)
        {
            _multishotAccept = false;
            ServerLog.UringMultishotAcceptRefused(_context.Logger);
        }
        else if (Errno.IsDescriptorExhaustion(-result))
        {
            _throttle.OnExhausted(Errno.ToSocketError(-result));
        }
        else if (-result != ECANCELED)
        {
            // ECONNABORTED and the like: that one connection is gone, the next may be fine.
            ServerLog.AcceptFailed(_context.Logger, Errno.Describe(-result));
        }

        if (!_acceptPending)
        {
            _acceptCancelled = false;
        }

        TryArmAccept();
    }

    /// <summary>Submits an accept unless one is pending; out of descriptors, a timer to try again instead.</summary>
    private void TryArmAccept()
    {
        if (_acceptPending || Stopping)
        {
            return;
        }

        if (!_throttle.CanAccept())
        {
            ArmRetry();
            return;
        }

        _acceptIsMultishot = _multishotAccept && _context.Metrics.ConnectionsActive < _multishotBelow;
        _ring.PrepareAccept(_listener.Number, _acceptIsMultishot, UserData.For(UringOperation.Accept));
        _acceptPending = true;
    }

    private unsafe void ArmRetry()
    {
        if (_retryPending)
        {
            return;
        }

        var pause = _throttle.RemainingPause;
        *_retryTimeout = IoUringTimespec.From(pause > TimeSpan.Zero ? pause : TimeSpan.FromMilliseconds(1));
        _ring.PrepareTimeout(_retryTimeout, UserData.For(UringOperation.AcceptRetry));
        _retryPending = true;
    }

    private unsafe void ArmIdleSweep()
    {
        if (!_idle.Enabled)
        {
            return;
        }

        *_idleTimeout = IoUringTimespec.From(_idle.Interval);
        _ring.PrepareTimeout(_idleTimeout, UserData.For(UringOperation.IdleSweep));
        _idlePending = true;
    }

    /// <summary>
    /// The idle sweep: a connection always has one operation in flight, so it cannot be closed here; shutting its socket
    /// down completes that operation (a poll reports the hang-up, a send fails), and its completion closes it.
    /// </summary>
    private void CloseIdle()
    {
        long now = Stopwatch.GetTimestamp();
        for (int slot = 0; slot < _connections.Extent; slot++)
        {
            if (_connections[slot] is { } connection && connection.TryExpire(now, _idle.TimeoutTicks))
            {
                NativeSocket.Shutdown(connection.Fd);
            }
        }
    }

    private void ArmWake()
    {
        _ring.PreparePoll(_wake.Number, POLLIN, UserData.For(UringOperation.Wake));
        _wakePending = true;
    }

    private void Add(FileDescriptor socket)
    {
        int noDelayError = NativeSocket.SetNoDelay(socket.Number, _context.Options.NoDelay);
        if (noDelayError != 0)
        {
            // Only fails if the peer is already gone; the first receive will say so.
            ServerLog.UringSocketOptionFailed(_context.Logger, "TCP_NODELAY", Errno.Describe(noDelayError));
        }

        var connection = new UringConnection(socket, _connections.Reserve(), _context, _ring);
        _connections.Set(connection);
        connection.Start();
        _context.ConnectionOpened();
    }

    private void Close(UringConnection connection)
    {
        _connections.Remove(connection);
        connection.Dispose();
        _context.ConnectionClosed();
        TryArmAccept();
    }

    /// <summary>
    /// Cancels every operation in flight and waits (at most <see cref="s_cancelTimeout"/>) for their completions:
    /// until then the kernel may still write into a connection's buffer.
    /// </summary>
    private unsafe void CancelEverything(Span<io_uring_cqe> completions)
    {
        var cancel = UserData.For(UringOperation.Cancel);
        foreach (var connection in _connections.Snapshot())
        {
            if (connection.InFlight != 0)
            {
                _ring.PrepareCancel(connection.InFlight, cancel);
            }
        }

        if (_acceptPending)
        {
            _ring.PrepareCancel(UserData.For(UringOperation.Accept), cancel);
        }

        if (_retryPending)
        {
            _ring.PrepareCancel(UserData.For(UringOperation.AcceptRetry), cancel);
        }

        if (_wakePending)
        {
            _ring.PrepareCancel(UserData.For(UringOperation.Wake), cancel);
        }

        if (_idlePending)
        {
            _ring.PrepareCancel(UserData.For(UringOperation.IdleSweep), cancel);
        }

        *_deadlineTimeout = IoUringTimespec.From(s_cancelTimeout);
        _ring.PrepareTimeout(_deadlineTimeout, UserData.For(UringOperation.ShutdownDeadline));
        while (InFlightCount() > 0 && !_deadlinePassed)
        {
            _ring.Submit(1);
            DispatchReady(completions);
        }

        int left = InFlightCount();
        if (left > 0)
        {
            ServerLog.UringCancelTimedOut(_context.Logger, left, s_cancelTimeout.TotalSeconds);
        }
    }

    private int InFlightCount()
    {
        int count = (_acceptPending ? 1 : 0) + (_retryPending ? 1 : 0) + (_wakePending ? 1 : 0) + (_idlePending ? 1 : 0);
        foreach (var connection in _connections.Snapshot())
        {
            if (connection.InFlight != 0)
            {
                count++;
            }
        }

        return count;
    }

    protected override unsafe void CloseAll()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _listener.Dispose();
        foreach (var connection in _connections.Snapshot())
        {
            connection.Dispose();
            _context.ConnectionClosed();
        }

        // After the connections: closing the ring cancels anything still in flight, whose buffers stay pinned.
        _ring.Dispose();
        _wake.Dispose();
        NativeMemory.Free(_retryTimeout);
    }
}
