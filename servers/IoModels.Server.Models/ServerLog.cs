using System.Net;
using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>Every message the server models log, one event id each.</summary>
public static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Model {Model} listening on {EndPoint}, framing {Framing}, max-frame {MaxFrame}")]
    public static partial void Listening(ILogger logger, string model, EndPoint endPoint, string framing, int maxFrame);

    [LoggerMessage(2, LogLevel.Warning, "Closing {Peer}: declared length {DeclaredLength} exceeds max-frame {MaxFrame}")]
    public static partial void ProtocolViolation(ILogger logger, string peer, uint declaredLength, int maxFrame);

    [LoggerMessage(3, LogLevel.Debug, "Connection {Peer} ended: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Not accepting, out of file descriptors ({Reason}). Existing connections are still served; accepting resumes when descriptors free up")]
    public static partial void DescriptorsExhausted(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Information, "Accepting again after running out of file descriptors")]
    public static partial void AcceptResumed(ILogger logger);

    [LoggerMessage(6, LogLevel.Warning, "Accept failed: {Error}")]
    public static partial void AcceptFailed(ILogger logger, string error);

    [LoggerMessage(7, LogLevel.Information, "Stopped: {Summary}")]
    public static partial void Stopped(ILogger logger, string summary);

    [LoggerMessage(8, LogLevel.Critical, "The {Model} event loop failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string model);

    [LoggerMessage(9, LogLevel.Warning, "{Count} connection threads had not finished {Seconds} s after shutdown began")]
    public static partial void StopTimedOut(ILogger logger, int count, double seconds);

    [LoggerMessage(10, LogLevel.Information, "{Message}")]
    public static partial void ModelInfo(ILogger logger, string message);

    [LoggerMessage(11, LogLevel.Warning, "{Count} {Kind} messages were left out of the log: peers may cause at most {Burst} in a row, then one every {Seconds} s")]
    public static partial void PeerWarningsSuppressed(ILogger logger, long count, PeerWarningKind kind, int burst, double seconds);

    [LoggerMessage(12, LogLevel.Warning, "Closing {Peer}: a line of {Length} bytes or more exceeds max-frame {MaxFrame}")]
    public static partial void LineTooLong(ILogger logger, string peer, uint length, int maxFrame);
}
