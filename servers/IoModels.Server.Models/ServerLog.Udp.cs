using System.Net;
using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>The UDP models' messages (event ids 500-599).</summary>
public static partial class ServerLog
{
    [LoggerMessage(500, LogLevel.Information, "Model {Model} serving UDP on {EndPoint}, max-frame {MaxFrame}")]
    public static partial void UdpListening(ILogger logger, string model, EndPoint endPoint, int maxFrame);

    [LoggerMessage(501, LogLevel.Warning, "Dropped a datagram from {Peer} longer than max-frame {MaxFrame}; later oversize drops are only counted")]
    public static partial void UdpOversizeDropped(ILogger logger, string peer, int maxFrame);

    [LoggerMessage(502, LogLevel.Warning, "An echo could not be sent ({Reason}); later send failures are only counted")]
    public static partial void UdpSendFailed(ILogger logger, string reason);

    [LoggerMessage(503, LogLevel.Information, "Stopped: {Summary}")]
    public static partial void UdpStopped(ILogger logger, string summary);

    [LoggerMessage(504, LogLevel.Critical, "The UDP {Model} loop failed")]
    public static partial void UdpLoopFailed(ILogger logger, Exception exception, string model);
}
