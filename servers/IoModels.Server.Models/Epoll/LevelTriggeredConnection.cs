using IoModels.Native;

namespace IoModels.Server.Models.Epoll;

/// <summary>
/// A client of <c>epoll-lt</c>. Level-triggered epoll reports a socket for as long as it is ready, so one read
/// per event is enough (whatever is left is reported again), but the interest must follow the connection's state:
/// EPOLLIN only while it may read (not after the peer's FIN, not while the echo is over budget), EPOLLOUT only
/// while echo is pending. An idle socket is almost always writable, so asking for EPOLLOUT without pending output
/// would make every <c>epoll_wait</c> return at once and the loop spin.
/// </summary>
internal sealed class LevelTriggeredConnection : EpollConnection
{
    private readonly EpollInstance _epoll;
    private int _interest;

    public LevelTriggeredConnection(FileDescriptor socket, int slot, ServerContext context, EpollInstance epoll)
        : base(socket, slot, context)
    {
        _epoll = epoll;
        _interest = EpollEvents.In;
    }

    public override int InitialInterest => EpollEvents.In;

    public override bool OnEvents(int events)
    {
        if (IsBroken(events))
        {
            return false;
        }

        if ((events & EpollEvents.Out) != 0 && Flush() == WriteResult.Failed)
        {
            return false;
        }

        if ((events & EpollEvents.In) != 0 && !PeerClosed && Session.WantsReceive)
        {
            // Echo at once: in the usual request/response case the reply leaves in this same event and no EPOLLOUT
            // registration (an epoll_ctl call) is ever needed.
            if (Receive() == ReadResult.Failed || Flush() == WriteResult.Failed)
            {
                return false;
            }
        }

        if (IsComplete)
        {
            return false;
        }

        int interest = (!PeerClosed && Session.WantsReceive ? EpollEvents.In : 0) | (Session.HasPendingOutput ? EpollEvents.Out : 0);
        if (interest != _interest)
        {
            try
            {
                _epoll.Modify(Fd, interest, (ulong)Slot);
            }
            catch (ErrnoException e)
            {
                // Only out of kernel memory: this connection cannot be served correctly any more; the others can.
                ServerLog.EpollRegistrationFailed(Logger, e.Message);
                return false;
            }

            _interest = interest;
        }

        Session.ReleaseIfIdle();
        return true;
    }
}
