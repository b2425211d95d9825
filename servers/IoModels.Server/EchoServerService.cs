using IoModels.Server.Models;
using Microsoft.Extensions.Hosting;

namespace IoModels.Server;

/// <summary>
/// Runs the chosen model for the host's lifetime: starts it, announces it, stops it on SIGINT/SIGTERM, and stops the
/// whole host when the model's loop fails (<see cref="IServerModel.Completion"/>), so a dead model never leaves a
/// process up that serves nothing.
/// </summary>
internal sealed class EchoServerService(
    IServerModel model,
    ServerOptions options,
    ServerContext context,
    ModelOutcome outcome,
    IHostApplicationLifetime lifetime) : IHostedService
{
    private Task _watch = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        model.Start();
        _watch = WatchAsync();

        // The line scripts wait for (docs/server.md#what-the-server-prints); logs go to stderr so stdout holds only this.
        var endPoint = model.LocalEndPoint;
        Console.Out.WriteLine($"listening on {endPoint.Address}:{endPoint.Port} model={options.Model} framing={options.Framing.ToString().ToLowerInvariant()} pid={Environment.ProcessId}");
        Console.Out.Flush();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await model.StopAsync(cancellationToken).ConfigureAwait(false);
        await _watch.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchAsync()
    {
        try
        {
            await model.Completion.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The one place the failure is logged: the models hand it over instead of logging it themselves.
            ServerLog.LoopFailed(context.Logger, e, options.Model);
            outcome.Failed();
            lifetime.StopApplication();
        }
    }
}
