using IoModels.Native;
using IoModels.Server.Models.Epoll;

namespace IoModels.Server.Models.Scan;

/// <summary>
/// A client of <c>poll</c> or <c>select-libc</c>: level-triggered readiness, like <c>epoll-lt</c>, but the interest
/// lives in the loop's own array or bitmap, which the loop refreshes from <see cref="Interest"/> after every event
/// (no system call). Moving the bytes is <see cref="EpollConnection"/>'s, shared with the epoll models.
/// </summary>
/// <remarks>
/// An error or hang-up is not handled apart: it makes the socket readable and writable, and the <c>recv</c> or
/// <c>send</c> that follows reports it (end of stream, ECONNRESET, EPIPE), which is all <c>select</c> can tell
/// anyway. A connection always wants one of the two while it is open (reading, or sending an echo over budget), so
/// such a report is always acted on and never repeats without progress.
/// </remarks>
internal sealed class ScanConnection(FileDescriptor socket, int slot, ServerContext context)
    : EpollConnection(socket, slot, context)
{
    private static readonly int s_readable = PollSet.In | PollSet.Error | PollSet.HangUp;
    private static readonly int s_writable = PollSet.Out | PollSet.Error | PollSet.HangUp;

    /// <summary>
    /// What to watch for: readable while it may read (not after the peer's FIN, not while the echo is over budget),
    /// writable only while echo is pending; an idle socket is almost always writable, so asking for more would
    /// make every call return at once and the loop spin. Bits of <see cref="PollSet"/>.
    /// </summary>
    public int Interest => (!PeerClosed && Session.WantsReceive ? PollSet.In : 0) | (Session.HasPendingOutput ? PollSet.Out : 0);

    public override int InitialInterest => PollSet.In;

    /// <summary>Handles what the loop saw (bits of <see cref="PollSet"/>). False: close the connection.</summary>
    public override bool OnEvents(int events)
    {
        if ((events & s_writable) != 0 && Session.HasPendingOutput && Flush() == WriteResult.Failed)
        {
            return false;
        }

        // Echo at once: in plain request/response the reply leaves in this same pass and never waits for writable.
        if ((events & s_readable) != 0 && !PeerClosed && Session.WantsReceive
            && (Receive() == ReadResult.Failed || Flush() == WriteResult.Failed))
        {
            return false;
        }

        if (IsComplete)
        {
            return false;
        }

        Session.ReleaseIfIdle();
        return true;
    }
}
