using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>The event bits of <c>epoll_event.events</c>, for code outside this folder.</summary>
internal static class EpollEvents
{
    /// <summary>Readable, or a connection waiting on a listener.</summary>
    public static int In => EPOLLIN;

    /// <summary>Writable.</summary>
    public static int Out => EPOLLOUT;

    /// <summary>The peer shut down its sending side (FIN).</summary>
    public static int ReadHangUp => EPOLLRDHUP;

    /// <summary>Both directions are shut (e.g. the peer reset); always reported, never asked for.</summary>
    public static int HangUp => EPOLLHUP;

    /// <summary>An error is pending on the socket; always reported, never asked for.</summary>
    public static int Error => EPOLLERR;

    /// <summary>Edge-triggered: report a change once, not a state for as long as it lasts.</summary>
    public static int EdgeTriggered => EPOLLET;
}
