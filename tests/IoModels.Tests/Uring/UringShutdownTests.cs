using System.Net.Sockets;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Uring;

/// <summary>Stopping cancels every operation in flight (poll, receive, a send stuck on a peer that does not read) and closes every connection.</summary>
public sealed class UringShutdownTests
{
    [Fact]
    public async Task Stop_cancels_operations_in_flight_and_closes_every_connection()
    {
        // Disposed twice on success (stopping an already stopped model is a no-op), once if an assertion fails first.
        await using var server = InProcessServer.Start("uring");
        using var idle = await TestClient.ConnectAsync(server.Port);
        using var partial = await TestClient.ConnectAsync(server.Port);
        using var stuck = await TestClient.ConnectAsync(server.Port);
        await idle.RoundTripAsync(new byte[10]);
        await partial.SendAsync(TestClient.Header(1000));

        // A peer that sends but never reads: the server's send stays in flight once the socket buffers fill.
        var chunk = TestClient.Frame(new byte[60_000]);
        var token = Timeouts.After(Timeouts.Operation);
        long pushed = 0;
        var push = Task.Run(async () =>
        {
            try
            {
                while (!token.IsCancellationRequested)
                {
                    await stuck.Socket.SendAsync(chunk, SocketFlags.None, token);
                    Interlocked.Add(ref pushed, chunk.Length);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                // Stopped by the flow control timing out or by the server closing: either way, done pushing.
            }
        });
        await Eventually.AssertAsync(() => Interlocked.Read(ref pushed) > 4 * chunk.Length, "the peer to push several frames");
        await Eventually.AssertAsync(() => server.Metrics.ConnectionsActive == 3, "three connections");

        await server.DisposeAsync();

        Assert.Equal(0, server.Metrics.ConnectionsActive);
        Assert.Equal(0, await idle.ReceiveUntilClosedAsync());
        Assert.Equal(0, await partial.ReceiveUntilClosedAsync());
        await push;
    }
}
