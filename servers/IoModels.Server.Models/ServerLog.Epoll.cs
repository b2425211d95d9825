using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>The epoll models' messages: event ids 100-199.</summary>
public static partial class ServerLog
{
    [LoggerMessage(100, LogLevel.Debug, "The {Model} event loop started, taking up to {MaxEvents} events per epoll_wait")]
    public static partial void EpollLoopStarted(ILogger logger, string model, int maxEvents);

    [LoggerMessage(101, LogLevel.Debug, "Connection {Peer} ended: epoll reported error or hang-up (events 0x{Events:x})")]
    public static partial void EpollConnectionBroken(ILogger logger, string peer, int events);

    [LoggerMessage(102, LogLevel.Debug, "Setting {Option} on an accepted socket failed: {Error}")]
    public static partial void EpollSocketOptionFailed(ILogger logger, string option, string error);

    [LoggerMessage(103, LogLevel.Warning, "Closing a connection: {Error}")]
    public static partial void EpollRegistrationFailed(ILogger logger, string error);
}
