using IoModels.Server.Models;
using IoModels.Server.Models.Scan;
using IoModels.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoModels.Tests.Scan;

/// <summary><c>poll</c> keeps its <c>pollfd</c> array across calls: echoes change entries in place, only connections coming and going refill it.</summary>
public sealed class PollArrayTests
{
    [Fact]
    public async Task Echoes_never_refill_the_array_and_each_arrival_or_departure_does()
    {
        using var metrics = new ServerMetrics();
        using var server = new PollServer(new ServerContext(new ServerOptions { Model = "poll", Port = 0 }, metrics, NullLogger.Instance));
        server.Start();
        try
        {
            var clients = new List<TestClient>();
            for (int i = 0; i < 3; i++)
            {
                clients.Add(await TestClient.ConnectAsync(server.LocalEndPoint.Port));

                // One round trip: the connection is in the array (the echo came back through poll).
                await clients[^1].RoundTripAsync(new byte[10]);
            }

            long afterArrivals = server.Refills;

            // Request/response turns each entry's interest from readable to writable and back when the echo does
            // not leave at once; either way the entry changes in place.
            for (int i = 0; i < 200; i++)
            {
                await clients[i % clients.Count].RoundTripAsync(new byte[i % 50]);
            }

            Assert.Equal(afterArrivals, server.Refills);

            clients[0].Dispose();
            await Eventually.AssertAsync(() => metrics.ConnectionsActive == 2, "the server to close the departed client");
            await clients[1].RoundTripAsync(new byte[10]);
            Assert.Equal(afterArrivals + 1, server.Refills);

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
        finally
        {
            await server.StopAsync(Timeouts.After(Timeouts.Operation));
        }
    }
}
