using System.Net;
using IoModels.Server.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoModels.Tests.Saea;

/// <summary>A model from the catalog, listening on 127.0.0.1 port 0 in this process; disposing it stops it.</summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(5);

    private readonly IServerModel _model;
    private bool _stopped;

    public InProcessServer(string model, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var options = new ServerOptions { Model = model, Address = IPAddress.Loopback, Port = 0 };
        Options = configure is null ? options : configure(options);
        Metrics = new ServerMetrics();
        _model = ServerModelCatalog.Create(new ServerContext(Options, Metrics, NullLogger.Instance));
        _model.Start();
    }

    public ServerOptions Options { get; }

    public ServerMetrics Metrics { get; }

    public IPEndPoint EndPoint => _model.LocalEndPoint;

    /// <summary>Stops the model; throws if it does not finish within five seconds.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        using var timeout = new CancellationTokenSource(s_stopTimeout);
        var stop = _model.StopAsync(timeout.Token);
        await stop.WaitAsync(s_stopTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        _model.Dispose();
        Metrics.Dispose();
    }
}
