using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>What every model is given: its options, the shared counters, a logger and a buffer pool.</summary>
public sealed class ServerContext(ServerOptions options, ServerMetrics metrics, ILogger logger)
{
    public ServerOptions Options { get; } = options;

    public ServerMetrics Metrics { get; } = metrics;

    public ILogger Logger { get; } = logger;

    /// <summary>
    /// The sessions' buffers. Not the shared pool: that keeps 32 arrays of a size per core, and a model that holds a
    /// connection's buffer across operations (io_uring from poll to sent echo, SocketAsyncEventArgs from receive to
    /// send) has hundreds out at once with 1,000 busy connections, so most returns were dropped and most rents
    /// allocated: 2.5 KB per message for uring, measured. This pool keeps up to <see cref="PooledBuffersPerSize"/>
    /// arrays of each size up to 1 MiB, only ever as many as were out at the same time.
    /// </summary>
    public ArrayPool<byte> BufferPool { get; } = ArrayPool<byte>.Create(maxArrayLength: 1024 * 1024, maxArraysPerBucket: PooledBuffersPerSize);

    /// <summary>Buffers of one size the pool keeps; beyond this many connections mid-echo at once, buffers are allocated.</summary>
    public const int PooledBuffersPerSize = 4096;

    /// <summary>Counts and logs a length above max-frame: one warning per connection, since the connection is then closed.</summary>
    public void ReportProtocolViolation(EndPoint? peer, uint declaredLength)
    {
        Metrics.ProtocolError();
        ServerLog.ProtocolViolation(Logger, peer?.ToString() ?? "unknown peer", declaredLength, Options.MaxFrame);
    }
}
