using System.Net;
using IoModels.Protocol;
using IoModels.Server.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoModels.Tests.Infrastructure;

/// <summary>A model started inside the test process on a free loopback port.</summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly IServerModel _model;

    private InProcessServer(IServerModel model, ServerMetrics metrics, ServerOptions options)
    {
        _model = model;
        Metrics = metrics;
        Options = options;
    }

    public ServerMetrics Metrics { get; }

    public ServerOptions Options { get; }

    public IPEndPoint EndPoint => _model.LocalEndPoint;

    public int Port => _model.LocalEndPoint.Port;

    public static InProcessServer Start(string model, Framing framing = Framing.Framed, int maxFrame = FrameHeader.DefaultMaxFrame) =>
        Start(new ServerOptions { Model = model, Port = 0, Framing = framing, MaxFrame = maxFrame });

    /// <summary>With options of the test's own (its <see cref="ServerOptions.Port"/> should be 0).</summary>
    public static InProcessServer Start(ServerOptions options)
    {
        var metrics = new ServerMetrics();
        var server = ServerModelCatalog.Create(new ServerContext(options, metrics, NullLogger.Instance));
        server.Start();
        return new InProcessServer(server, metrics, options);
    }

    public async ValueTask DisposeAsync()
    {
        await _model.StopAsync(Timeouts.After(Timeouts.Operation));
        _model.Dispose();
        Metrics.Dispose();
    }
}
