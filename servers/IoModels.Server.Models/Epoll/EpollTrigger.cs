namespace IoModels.Server.Models.Epoll;

/// <summary>How the event loop registers client sockets: the one difference between <c>epoll-lt</c> and <c>epoll-et</c>.</summary>
public enum EpollTrigger
{
    /// <summary><c>epoll-lt</c>: reported for as long as the socket is ready; interest changes with the connection's state.</summary>
    Level,

    /// <summary><c>epoll-et</c>: registered once, reported when readiness changes; every event is drained to EAGAIN.</summary>
    Edge,
}
