using System.Buffers;
using IoModels.Native;
using static Tmds.Linux.LibC;

namespace IoModels.Server.Models.Uring;

/// <summary>
/// One client of the io_uring loop. Its operations run one at a time: poll for readability, receive, send until
/// the echo is out, poll again. Everything runs on the loop thread.
/// </summary>
/// <remarks>
/// <para>
/// One operation at a time because receive and send share the session's buffer: a completed send may move or
/// return the buffer (<see cref="EchoSession.OnSent"/>, <see cref="EchoSession.ReleaseIfIdle"/>) while the kernel
/// would still be writing a receive into it. Serialising also gives backpressure for free (a send the peer does
/// not read stays in flight and nothing more is read) and makes closing simple: when a completion decides to
/// close, the connection has nothing else in flight.
/// </para>
/// <para>
/// Idle connections hold no buffer: between messages the connection waits in an <c>IORING_OP_POLL_ADD</c>, which
/// needs no memory, and only once the socket is readable is a buffer rented, pinned and handed to a receive that
/// then completes at once. A plain pending receive would pin 64 KiB per idle connection; provided buffers would
/// avoid that too, at the cost of a copy and a buffer ring to manage.
/// </para>
/// <para>
/// Memory handed to the kernel is pinned (<see cref="MemoryHandle"/>) from submission until its completion has been
/// reaped; a connection whose operation never completes (shutdown timed out) keeps it pinned for good rather than
/// return to the pool an array the kernel might still write.
/// </para>
/// </remarks>
internal sealed unsafe class UringConnection : ISlotted, IDisposable
{
    private readonly FileDescriptor _socket;
    private readonly ServerContext _context;
    private readonly IoUring _ring;
    private MemoryHandle _pinned;
    private int _receiveLength;

    public UringConnection(FileDescriptor socket, int slot, ServerContext context, IoUring ring)
    {
        _socket = socket;
        _context = context;
        _ring = ring;
        Fd = socket.Number;
        Slot = slot;
        Session = new EchoSession(context);
    }

    public int Slot { get; }

    public int Fd { get; }

    /// <summary>The user data of the operation in flight, or 0 when none is: what a shutdown cancels.</summary>
    public ulong InFlight { get; private set; }

    private EchoSession Session { get; }

    private bool PeerClosed { get; set; }

    /// <summary>
    /// For the loop's idle sweep: true when the connection made no progress for the timeout. The caller then shuts the
    /// socket down (<see cref="NativeSocket.Shutdown"/>) and the operation in flight completes, which closes it as usual.
    /// </summary>
    public bool TryExpire(long now, long timeout) => Session.TryExpire(now, timeout);

    /// <summary>Starts serving: waits for the first bytes.</summary>
    public void Start() => SubmitPoll();

    /// <summary>Handles the completion of this connection's operation. False: close the connection.</summary>
    public bool OnCompleted(UringOperation operation, int result)
    {
        InFlight = 0;
        // The kernel is done with the memory: unpin before anything can move or return the buffer.
        _pinned.Dispose();
        _pinned = default;
        return operation switch
        {
            UringOperation.Poll => OnPolled(result),
            UringOperation.Receive => OnReceived(result),
            UringOperation.Send => OnSent(result),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a connection operation."),
        };
    }

    /// <summary>At shutdown: the operation completed (most likely cancelled); nothing new is started.</summary>
    public void OnCompletedWhileStopping()
    {
        InFlight = 0;
        _pinned.Dispose();
        _pinned = default;
    }

    public void Dispose()
    {
        _socket.Dispose();
        // With an operation still in flight the kernel may yet write into the buffer: keep it pinned, never pooled.
        if (InFlight == 0)
        {
            Session.Dispose();
        }
    }

    private bool OnPolled(int result)
    {
        if (result < 0)
        {
            return Failed("poll", result);
        }

        // Readable, end of stream or an error: the receive tells which.
        SubmitReceive();
        return true;
    }

    private bool OnReceived(int result)
    {
        if (result > 0)
        {
            if (!Session.OnReceived(result))
            {
                // The rare path: only now is the peer's address looked up and formatted.
                _context.ReportProtocolViolation(Fd, Session.ViolatingLength);
                return false;
            }

            if (Session.HasPendingOutput)
            {
                SubmitSend();
            }
            else if (result == _receiveLength)
            {
                // The space was filled: more is probably queued, so receive again without polling first.
                SubmitReceive();
            }
            else
            {
                // Part of a message: a short one is set aside, so waiting for the rest holds no buffer.
                Session.ReleaseIfIdle();
                SubmitPoll();
            }

            return true;
        }

        if (result == 0)
        {
            // The peer half-closed: send back what is complete (a partial message is dropped), then close.
            PeerClosed = true;
            if (Session.HasPendingOutput)
            {
                SubmitSend();
                return true;
            }

            return false;
        }

        if (-result == EAGAIN)
        {
            SubmitPoll();
            return true;
        }

        return Failed("recv", result);
    }

    private bool OnSent(int result)
    {
        if (result < 0)
        {
            if (-result == EAGAIN)
            {
                SubmitSend();
                return true;
            }

            return Failed("send", result);
        }

        Session.OnSent(result);
        if (Session.HasPendingOutput)
        {
            SubmitSend();
            return true;
        }

        if (PeerClosed || Session.IsFinished)
        {
            // Every echo is out: after the peer's FIN, or once the close-after count is in (the server closes first).
            return false;
        }

        Session.ReleaseIfIdle();
        SubmitPoll();
        return true;
    }

    private void SubmitPoll()
    {
        InFlight = UserData.For(UringOperation.Poll, Slot);
        _ring.PreparePoll(Fd, POLLIN | POLLRDHUP, InFlight);
    }

    private void SubmitReceive()
    {
        var space = Session.GetReceiveMemory();
        _pinned = space.Pin();
        _receiveLength = space.Length;
        InFlight = UserData.For(UringOperation.Receive, Slot);
        _ring.PrepareReceive(Fd, (byte*)_pinned.Pointer, space.Length, InFlight);
    }

    private void SubmitSend()
    {
        var output = Session.PendingOutputMemory;
        _pinned = output.Pin();
        InFlight = UserData.For(UringOperation.Send, Slot);
        _ring.PrepareSend(Fd, (byte*)_pinned.Pointer, output.Length, InFlight);
    }

    private bool Failed(string operation, int result)
    {
        _context.ReportConnectionEnded(Fd, operation, -result);
        return false;
    }
}
