using IoModels.Server.Models;
using IoModels.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoModels.Tests.Host;

/// <summary>
/// A model whose loop fails says so through <see cref="IServerModel.Completion"/>, and still stops cleanly. The
/// failure is injected through <see cref="ServerContext.ConnectionOpenedHook"/>, the models' own test seam.
/// </summary>
public sealed class ModelFailureTests
{
    public static TheoryData<string> Models => [.. ServerModelCatalog.Names];

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_failed_loop_faults_Completion_and_stop_still_closes_everything(string model)
    {
        var injected = new InvalidOperationException("injected loop failure");
        using var metrics = new ServerMetrics();
        using var context = new ServerContext(new ServerOptions { Model = model, Port = 0 }, metrics, NullLogger.Instance)
        {
            ConnectionOpenedHook = () => throw injected,
        };
        using var server = ServerModelCatalog.Create(context);
        server.Start();
        Assert.False(server.Completion.IsCompleted);

        using var client = await TestClient.ConnectAsync(server.LocalEndPoint.Port);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => server.Completion.WaitAsync(Timeouts.Operation));
        Assert.Same(injected, failure);

        await server.StopAsync(Timeouts.After(Timeouts.Operation));
        Assert.Equal(0, metrics.ConnectionsActive);
        Assert.Equal(0, await client.ReceiveUntilClosedAsync());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public async Task A_stopped_model_completes_successfully(string model)
    {
        using var metrics = new ServerMetrics();
        using var context = new ServerContext(new ServerOptions { Model = model, Port = 0 }, metrics, NullLogger.Instance);
        using var server = ServerModelCatalog.Create(context);
        server.Start();
        using (var client = await TestClient.ConnectAsync(server.LocalEndPoint.Port))
        {
            await client.RoundTripAsync(new byte[16]);
        }

        await server.StopAsync(Timeouts.After(Timeouts.Operation));
        await server.Completion.WaitAsync(Timeouts.Operation);
        Assert.True(server.Completion.IsCompletedSuccessfully);
    }
}
