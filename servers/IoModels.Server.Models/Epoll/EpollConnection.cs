using IoModels.Native;
using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models.Epoll;

/// <summary>
/// One client of the epoll loop: its descriptor, its slot in the loop's table and its <see cref="EchoSession"/>.
/// Subclasses decide what to do with an event; this class only moves bytes. Everything runs on the loop thread.
/// </summary>
internal abstract class EpollConnection : ISlotted, IDisposable
{
    private readonly FileDescriptor _socket;
    private readonly ServerContext _context;

    protected EpollConnection(FileDescriptor socket, int slot, ServerContext context)
    {
        _socket = socket;
        _context = context;
        Fd = socket.Number;
        Slot = slot;
        Session = new EchoSession(context);
    }

    protected enum ReadResult
    {
        /// <summary>Bytes arrived and were taken into the session; they filled the receive space, so more may be queued.</summary>
        Data,

        /// <summary>
        /// Bytes arrived and were taken into the session, fewer than the space offered: for a TCP socket that means
        /// the receive queue was empty when the call returned (bytes arriving later raise a new event).
        /// </summary>
        ShortData,

        /// <summary>Nothing queued (EAGAIN).</summary>
        WouldBlock,

        /// <summary>The peer half-closed (FIN); <see cref="PeerClosed"/> is now true.</summary>
        EndOfStream,

        /// <summary>An error or a protocol violation, already reported: close the connection.</summary>
        Failed,
    }

    protected enum WriteResult
    {
        /// <summary>Nothing left to send.</summary>
        Drained,

        /// <summary>The send buffer is full (EAGAIN); the rest waits for EPOLLOUT.</summary>
        WouldBlock,

        /// <summary>An error, already reported: close the connection.</summary>
        Failed,
    }

    /// <summary>The registration's token in <c>epoll_event.data.u64</c>.</summary>
    public int Slot { get; }

    /// <summary>The descriptor number; valid until <see cref="Dispose"/>, which only the loop thread calls.</summary>
    public int Fd { get; }

    /// <summary>The events to register with at accept.</summary>
    public abstract int InitialInterest { get; }

    protected EchoSession Session { get; }

    protected ILogger Logger => _context.Logger;

    protected bool PeerClosed { get; private set; }

    /// <summary>
    /// True once the connection is finished and every echo went out: the peer half-closed, or the close-after count
    /// is in (the server then closes first).
    /// </summary>
    protected bool IsComplete => (PeerClosed || Session.IsFinished) && !Session.HasPendingOutput;

    /// <summary>For the loop's idle sweep: see <see cref="EchoSession.TryExpire"/>.</summary>
    public bool TryExpire(long now, long timeout) => Session.TryExpire(now, timeout);

    /// <summary>Handles one epoll event. False: close the connection.</summary>
    public abstract bool OnEvents(int events);

    public void Dispose()
    {
        // close() also removes the descriptor from the epoll set: it was never duplicated.
        _socket.Dispose();
        Session.Dispose();
    }

    /// <summary>One recv straight into the session's receive space (rented from the pool only while needed).</summary>
    protected ReadResult Receive()
    {
        var space = Session.GetReceiveSpan();
        long received = NativeSocket.Receive(Fd, space, out int error);
        if (received > 0)
        {
            if (!Session.OnReceived((int)received))
            {
                // The rare path: only now is the peer's address looked up and formatted.
                _context.ReportProtocolViolation(Fd, Session.ViolatingLength);
                return ReadResult.Failed;
            }

            return received < space.Length ? ReadResult.ShortData : ReadResult.Data;
        }

        if (received == 0)
        {
            PeerClosed = true;
            return ReadResult.EndOfStream;
        }

        if (Errno.IsWouldBlock(error))
        {
            return ReadResult.WouldBlock;
        }

        LogFailure("recv", error);
        return ReadResult.Failed;
    }

    /// <summary>Sends pending echo until it is all gone or the socket would block.</summary>
    protected WriteResult Flush()
    {
        while (Session.HasPendingOutput)
        {
            long sent = NativeSocket.Send(Fd, Session.PendingOutput, out int error);
            if (sent < 0)
            {
                if (Errno.IsWouldBlock(error))
                {
                    return WriteResult.WouldBlock;
                }

                LogFailure("send", error);
                return WriteResult.Failed;
            }

            Session.OnSent((int)sent);
        }

        return WriteResult.Drained;
    }

    /// <summary>A reset or an error reported by epoll itself (EPOLLERR/EPOLLHUP): nothing more can be delivered.</summary>
    protected bool IsBroken(int events)
    {
        if ((events & (EpollEvents.Error | EpollEvents.HangUp)) == 0)
        {
            return false;
        }

        _context.ReportConnectionBroken(Fd, events);
        return true;
    }

    private void LogFailure(string operation, int error) => _context.ReportConnectionEnded(Fd, operation, error);
}
