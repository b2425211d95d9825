using System.Net;
using System.Net.Sockets;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Conformance;

/// <summary>Case 10: the model inside the real host process: SIGTERM, a port in use, descriptor exhaustion.</summary>
public abstract partial class ConformanceTests
{
    // The runtime alone holds about 110 descriptors (assemblies, pipes); this leaves room for some 90 clients.
    private const int ExhaustionFileLimit = 200;

    [Fact]
    public async Task Sigterm_closes_every_connection_and_exits_0()
    {
        using var server = await ServerProcess.StartListeningAsync(["--model", Model]);
        using var idle = await TestClient.ConnectAsync(server.Port);
        using var midMessage = await TestClient.ConnectAsync(server.Port);
        await midMessage.RoundTripAsync(new byte[100]);
        await midMessage.SendAsync(TestClient.Frame(new byte[100]).AsMemory(0, 50));

        server.Terminate();

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, await idle.ReceiveUntilClosedAsync());
        Assert.Equal(0, await midMessage.ReceiveUntilClosedAsync());
        Assert.Contains("Stopped: connections accepted=2", server.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_and_exit_2()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen();
        int port = ((IPEndPoint)occupant.LocalEndPoint!).Port;

        using var server = ServerProcess.Start(["--model", Model, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(2, await server.WaitForExitAsync(Timeouts.Operation));
        await Eventually.AssertAsync(() => server.StandardError.Length > 0, "the error line");
        string error = server.StandardError.Trim();
        Assert.Contains("address already in use", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public async Task Running_out_of_descriptors_is_survived_without_spinning()
    {
        using var server = await ServerProcess.StartListeningAsync(["--model", Model], ExhaustionFileLimit);
        var clients = new List<TestClient>();
        try
        {
            // The kernel completes handshakes into the backlog whether or not the server can accept, so every
            // connect succeeds; the ones beyond the server's descriptors wait there.
            for (int i = 0; i < ExhaustionFileLimit; i++)
            {
                clients.Add(await TestClient.ConnectAsync(server.Port));
            }

            await Eventually.AssertAsync(() => server.StandardError.Contains("out of file descriptors", StringComparison.Ordinal), "the server to log descriptor exhaustion");
            Assert.Equal(1, CountOccurrences(server.StandardError, "out of file descriptors"));

            // Existing connections are still served.
            await clients[0].RoundTripAsync(new byte[100]);

            // Out of descriptors with connections waiting in the backlog, the server must not spin: over a second
            // of wall time a busy loop burns about a second of CPU, a waiting server almost none.
            var cpuBefore = ProcFs.CpuTime(server.Pid);
            await Task.Delay(TimeSpan.FromSeconds(1));
            var cpuUsed = ProcFs.CpuTime(server.Pid) - cpuBefore;
            Assert.True(cpuUsed < TimeSpan.FromMilliseconds(500), $"the server used {cpuUsed.TotalMilliseconds} ms of CPU in 1 s while out of descriptors");

            // Free descriptors: every client but the first and the last leaves; those that waited in the backlog
            // are accepted and closed in turn, and the last one, which certainly waited, is served.
            foreach (var client in clients.Skip(1).SkipLast(1))
            {
                client.Dispose();
            }

            await clients[^1].RoundTripAsync(new byte[100]);
            Assert.False(server.HasExited);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static int CountOccurrences(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
