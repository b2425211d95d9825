using IoModels.Server.Models;
using Microsoft.Extensions.Hosting;

namespace IoModels.Server;

/// <summary>Runs the chosen model for the host's lifetime: starts it, announces it, stops it on SIGINT/SIGTERM.</summary>
internal sealed class EchoServerService(IServerModel model, ServerOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        model.Start();

        // The line scripts wait for (SPEC §2); logs go to stderr so stdout holds only this.
        var endPoint = model.LocalEndPoint;
        Console.Out.WriteLine($"listening on {endPoint.Address}:{endPoint.Port} model={options.Model} framing={options.Framing.ToString().ToLowerInvariant()} pid={Environment.ProcessId}");
        Console.Out.Flush();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => model.StopAsync(cancellationToken);
}
