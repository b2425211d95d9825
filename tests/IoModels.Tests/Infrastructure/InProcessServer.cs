using System.Net;
using IoModels.Protocol;
using IoModels.Server.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoModels.Tests.Infrastructure;

/// <summary>A model started inside the test process on a free loopback port.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly IServerModel _model;

    private InProcessServer(IServerModel model, ServerMetrics metrics, ServerOptions options, SessionBufferPool pool)
    {
        _model = model;
        Metrics = metrics;
        Options = options;
        Pool = pool;
    }

    public ServerMetrics Metrics { get; }

    public ServerOptions Options { get; }

    /// <summary>The model's session buffers: the pool the test gave it (<see cref="StartWithPool"/>), or the context's own.</summary>
    public SessionBufferPool Pool { get; }

    public IPEndPoint EndPoint => _model.LocalEndPoint;

    public int Port => _model.LocalEndPoint.Port;

    public static InProcessServer Start(string model, Framing framing = Framing.Framed, int maxFrame = FrameHeader.DefaultMaxFrame) =>
        Start(new ServerOptions { Model = model, Port = 0, Framing = framing, MaxFrame = maxFrame });

    /// <summary>With options of the test's own (its <see cref="ServerOptions.Port"/> should be 0).</summary>
    public static InProcessServer Start(ServerOptions options) => Start(options, pool: null);

    /// <summary>
    /// With a <see cref="SessionBufferPool"/> the test holds, so a case can count the buffers out and kept, or give the
    /// model a pool that keeps none (every rent allocates).
    /// </summary>
    /// <param name="pool">Trimmed only when the test says so, unless the test passes one that trims itself.</param>
    public static InProcessServer StartWithPool(string model, SessionBufferPool? pool = null, Framing framing = Framing.Framed) =>
        Start(
            new ServerOptions { Model = model, Port = 0, Framing = framing, MaxFrame = FrameHeader.DefaultMaxFrame },
            pool ?? new SessionBufferPool(trimPeriodically: false));

    private static InProcessServer Start(ServerOptions options, SessionBufferPool? pool)
    {
        var metrics = new ServerMetrics();
        var context = pool is null
            ? new ServerContext(options, metrics, NullLogger.Instance)
            : new ServerContext(options, metrics, NullLogger.Instance) { BufferPool = pool };
        var server = ServerModelCatalog.Create(context);
        server.Start();
        return new InProcessServer(server, metrics, options, context.BufferPool);
    }

    public async ValueTask DisposeAsync()
    {
        await _model.StopAsync(Timeouts.After(Timeouts.Operation));
        _model.Dispose();
        Metrics.Dispose();
        Pool.Dispose();
    }
}
