using System.Net;
using IoModels.Protocol;
using IoModels.Server.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoModels.Tests.Allocation;

/// <summary>
/// A model started in the test process with a <see cref="SessionBufferPool"/> the test holds, so a case can count
/// the buffers out and kept, or give the model a pool that keeps none (every rent allocates).
/// </summary>
internal sealed class PoolWatchedServer : IAsyncDisposable
{
    private readonly IServerModel _model;

    private PoolWatchedServer(IServerModel model, ServerMetrics metrics, SessionBufferPool pool)
    {
        _model = model;
        Metrics = metrics;
        Pool = pool;
    }

    public ServerMetrics Metrics { get; }

    public SessionBufferPool Pool { get; }

    public IPEndPoint EndPoint => _model.LocalEndPoint;

    public int Port => _model.LocalEndPoint.Port;

    /// <param name="pool">Trimmed only when the test says so, unless the test passes one that trims itself.</param>
    public static PoolWatchedServer Start(string model, SessionBufferPool? pool = null, Framing framing = Framing.Framed)
    {
        var options = new ServerOptions { Model = model, Port = 0, Framing = framing, MaxFrame = FrameHeader.DefaultMaxFrame };
        var metrics = new ServerMetrics();
        pool ??= new SessionBufferPool(trimPeriodically: false);
        var server = ServerModelCatalog.Create(new ServerContext(options, metrics, NullLogger.Instance) { BufferPool = pool });
        server.Start();
        return new PoolWatchedServer(server, metrics, pool);
    }

    public async ValueTask DisposeAsync()
    {
        await _model.StopAsync(Infrastructure.Timeouts.After(Infrastructure.Timeouts.Operation));
        _model.Dispose();
        Metrics.Dispose();
        Pool.Dispose();
    }
}
