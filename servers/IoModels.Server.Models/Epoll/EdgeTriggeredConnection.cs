using IoModels.Native;

namespace IoModels.Server.Models.Epoll;

// Why edge-triggered code must drain, and where it must not forget to resume.
//
// With EPOLLET the kernel reports a socket when its readiness changes (new data arrived, send space freed),
// not for as long as it stays ready. The socket is registered once, for EPOLLIN|EPOLLOUT|EPOLLRDHUP, and never
// modified again: no epoll_ctl per state change, which is the model's advantage over level-triggered. The price:
//
// 1. Every event must be drained: read until recv says EAGAIN (or end of stream), write until send says EAGAIN
//    or nothing is left. Bytes still queued after an event that stopped early are never announced again; the
//    connection stalls until the peer happens to send more, and a request/response peer never will.
// 2. Backpressure is exactly such an early stop: once the pending echo reaches the output budget we stop reading
//    with bytes still queued (that is the point: TCP flow control then slows the peer). Nothing new will announce
//    those bytes, so whatever drains the output must go straight back to reading them: the EPOLLOUT edge that
//    follows a full send buffer or, when the peer reads fast enough that send never says EAGAIN, the very same
//    event, since then no later event comes at all. Hence the read loop below flushes and re-reads until EAGAIN,
//    and _readPending remembers across events that reading stopped before EAGAIN.
// 3. EPOLLRDHUP marks the peer's FIN; it is read like data (recv returns 0 after the last byte).
// 4. "Until EAGAIN" costs one more recv per event, just to hear EAGAIN. A read that returns less than it was
//    offered already says the queue was empty (bytes that arrive afterwards raise a new edge), so it ends the
//    drain too, as in nginx and the C reference server, with one exception: if the event carried EPOLLRDHUP the
//    FIN is already here and no edge will announce it again, so reading goes on until recv returns 0.
//
// dotnet/runtime's SocketAsyncContext.Unix.cs explains the same hazard for .NET's own edge-triggered engine.
// tests/IoModels.Tests/Epoll/EdgeTriggeredPitfallTests.cs shows the stall with a reader that does not drain, and
// fails if the model stops re-reading after a drain.

/// <summary>A client of <c>epoll-et</c>: registered once, edge-triggered, every event drained (to EAGAIN or a short read).</summary>
internal sealed class EdgeTriggeredConnection(FileDescriptor socket, int slot, ServerContext context)
    : EpollConnection(socket, slot, context)
{
    // True from an EPOLLIN/EPOLLRDHUP edge until the queue is known empty: there may be bytes no edge will announce.
    private bool _readPending;

    public override int InitialInterest => EpollEvents.In | EpollEvents.Out | EpollEvents.ReadHangUp | EpollEvents.EdgeTriggered;

    public override bool OnEvents(int events)
    {
        if (IsBroken(events))
        {
            return false;
        }

        if ((events & (EpollEvents.In | EpollEvents.ReadHangUp)) != 0)
        {
            _readPending = true;
        }

        // Output first: this may be the EPOLLOUT edge that brings the echo back under budget.
        if (Session.HasPendingOutput && Flush() == WriteResult.Failed)
        {
            return false;
        }

        while (_readPending && !PeerClosed && Session.WantsReceive)
        {
            switch (Receive())
            {
                case ReadResult.Failed:
                    return false;
                case ReadResult.WouldBlock:
                case ReadResult.EndOfStream:
                    _readPending = false;
                    break;
                case ReadResult.ShortData:
                    _readPending = (events & EpollEvents.ReadHangUp) != 0;
                    break;
                default:
                    break;
            }

            if (Flush() == WriteResult.Failed)
            {
                return false;
            }
        }

        if (IsComplete)
        {
            return false;
        }

        Session.ReleaseIfIdle();
        return true;
    }
}
