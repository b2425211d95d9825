using System.Net;
using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>What every model is given: its options, the shared counters, a logger and a buffer pool.</summary>
public sealed class ServerContext(ServerOptions options, ServerMetrics metrics, ILogger logger)
{
    public ServerOptions Options { get; } = options;

    public ServerMetrics Metrics { get; } = metrics;

    public ILogger Logger { get; } = logger;

    /// <summary>The sessions' buffers: see <see cref="SessionBufferPool"/>. Replaceable for tests that measure it.</summary>
    public SessionBufferPool BufferPool { get; init; } = new();

    /// <summary>Counts and logs a length above max-frame: one warning per connection, since the connection is then closed.</summary>
    public void ReportProtocolViolation(EndPoint? peer, uint declaredLength)
    {
        Metrics.ProtocolError();
        ServerLog.ProtocolViolation(Logger, peer?.ToString() ?? "unknown peer", declaredLength, Options.MaxFrame);
    }
}
