using Microsoft.Extensions.Logging;

namespace IoModels.KestrelEcho;

/// <summary>Every message the Kestrel peer logs, one event id each.</summary>
internal static partial class KestrelEchoLog
{
    [LoggerMessage(1, LogLevel.Warning, "Closing {Peer}: declared length {DeclaredLength} exceeds max-frame {MaxFrame}")]
    public static partial void ProtocolViolation(ILogger logger, string peer, uint declaredLength, int maxFrame);

    [LoggerMessage(2, LogLevel.Debug, "Connection {Peer} ended: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string peer, string reason);
}
