using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>The poll and select-libc models' messages: event ids 400-499.</summary>
public static partial class ServerLog
{
    [LoggerMessage(400, LogLevel.Warning, "Closing a new connection at once: its descriptor {Descriptor} is at or above FD_SETSIZE ({Limit}), the most a glibc fd_set can name. Connections below the limit are still served; more such connections are closed and counted without a warning until none comes for {QuietSeconds} s")]
    public static partial void DescriptorOverLimit(ILogger logger, int descriptor, int limit, double quietSeconds);
}
