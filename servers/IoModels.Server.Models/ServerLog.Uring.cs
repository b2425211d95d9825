using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>The io_uring model's messages: event ids 300-399.</summary>
public static partial class ServerLog
{
    [LoggerMessage(300, LogLevel.Information, "io_uring ring: {SubmissionEntries} submission and {CompletionEntries} completion entries, features 0x{Features:x}, kernel ops up to {LastOp}, {IssuerMode}; accept {AcceptMode}, receive {ReceiveMode}")]
    public static partial void UringStarted(ILogger logger, uint submissionEntries, uint completionEntries, uint features, int lastOp, string issuerMode, string acceptMode, string receiveMode);

    [LoggerMessage(302, LogLevel.Warning, "{Count} io_uring operations had not completed {Seconds} s after they were cancelled; their buffers stay pinned until the process exits")]
    public static partial void UringCancelTimedOut(ILogger logger, int count, double seconds);

    [LoggerMessage(303, LogLevel.Debug, "Setting {Option} on an accepted socket failed: {Error}")]
    public static partial void UringSocketOptionFailed(ILogger logger, string option, string error);

    [LoggerMessage(304, LogLevel.Information, "The kernel refused multishot accept (EINVAL): accepting one connection per submission instead")]
    public static partial void UringMultishotAcceptRefused(ILogger logger);
}
