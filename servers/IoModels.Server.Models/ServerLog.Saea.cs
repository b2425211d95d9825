using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>The SocketAsyncEventArgs model's messages (event ids 200-299).</summary>
public static partial class ServerLog
{
    [LoggerMessage(200, LogLevel.Information, "SocketAsyncEventArgs completions are {Dispatch}")]
    public static partial void SaeaDispatch(ILogger logger, string dispatch);

    [LoggerMessage(201, LogLevel.Debug, "Stopping: aborting the pending operations of {Count} open connections")]
    public static partial void SaeaAborting(ILogger logger, int count);

    [LoggerMessage(202, LogLevel.Error, "Connection {Peer} failed unexpectedly and was closed; other connections go on")]
    public static partial void SaeaConnectionFailed(ILogger logger, Exception exception, string peer);
}
