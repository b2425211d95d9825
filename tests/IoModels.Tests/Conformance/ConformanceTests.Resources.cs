using System.Net.Sockets;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Conformance;

/// <summary>The cases about what a server holds: memory under a peer that does not read, descriptors, CLOSE_WAIT.</summary>
public abstract partial class ConformanceTests
{
    private const long NonReadingPeerBytes = 256L * 1024 * 1024;

    // Far below the 256 MiB the peer pushes: a server that buffered it would blow through this.
    private const long NonReadingPeerRssBudget = 48L * 1024 * 1024;

    // 5. A peer that sends 256 MiB without reading: memory stays bounded, and once it reads every echo arrives intact.
    [Fact]
    public async Task A_peer_that_does_not_read_is_pushed_back_and_loses_nothing()
    {
        using var server = await ServerProcess.StartListeningAsync(["--model", Model]);
        using var client = await TestClient.ConnectAsync(server.Port);
        await client.RoundTripAsync(new byte[64]);
        long rssBefore = ProcFs.Status(server.Pid, "VmRSS");

        var stream = new FrameStream(64 * 1024);
        long sent = 0;
        var send = Task.Run(async () =>
        {
            var chunk = new byte[256 * 1024];
            var token = Timeouts.After(Timeouts.Case);
            while (sent < NonReadingPeerBytes)
            {
                int length = (int)Math.Min(chunk.Length, NonReadingPeerBytes - sent);
                stream.Fill(chunk.AsSpan(0, length), sent);
                for (int offset = 0; offset < length;)
                {
                    offset += await client.Socket.SendAsync(chunk.AsMemory(offset, length - offset), SocketFlags.None, token);
                }

                Interlocked.Add(ref sent, length);
            }
        });

        // The sender must come to a stop: the server stopped reading, and TCP flow control holds the peer back.
        long stalledAt = await WaitForStallAsync(() => Interlocked.Read(ref sent));
        Assert.True(stalledAt < NonReadingPeerBytes / 4, $"the sender pushed {stalledAt:N0} bytes into a peer that does not read");
        long rssStalled = ProcFs.Status(server.Pid, "VmRSS");

        // Now read: every byte must come back, in order.
        var received = new byte[256 * 1024];
        var expected = new byte[received.Length];
        var token = Timeouts.After(Timeouts.Case);
        for (long total = 0; total < NonReadingPeerBytes;)
        {
            int n = await client.Socket.ReceiveAsync(received, SocketFlags.None, token);
            Assert.NotEqual(0, n);
            Assert.True(stream.Matches(received.AsSpan(0, n), total, expected), $"echo differs in the {n} bytes at offset {total}");
            total += n;
        }

        await send;
        long peak = ProcFs.Status(server.Pid, "VmHWM");
        Output?.WriteLine($"{Model}: RSS before {rssBefore / 1024} KiB, while the peer stalled at {stalledAt / 1024} KiB sent {rssStalled / 1024} KiB, peak {peak / 1024} KiB over {NonReadingPeerBytes / (1024 * 1024)} MiB echoed");
        Assert.True(peak - rssBefore < NonReadingPeerRssBudget, $"the server's peak RSS grew by {(peak - rssBefore) / 1024} KiB (budget {NonReadingPeerRssBudget / 1024} KiB)");
    }

    // 8. After hundreds of connections closed every way: no descriptor leaked, no socket left in CLOSE_WAIT.
    [Fact]
    public async Task Connections_closed_every_way_leak_no_descriptor_and_leave_no_close_wait()
    {
        await using var server = InProcessServer.Start(Model, maxFrame: 4096);
        using (var warmUp = await TestClient.ConnectAsync(server.Port))
        {
            await warmUp.RoundTripAsync(new byte[10]);
        }

        await Eventually.AssertAsync(() => server.Metrics.ConnectionsActive == 0, "the warm-up connection to close");
        int descriptorsBefore = ProcFs.OpenDescriptors(Environment.ProcessId);

        Func<TestClient, Task>[] ways =
        [
            async c => { await c.RoundTripAsync(new byte[100]); c.Dispose(); },
            async c => { await c.RoundTripAsync(new byte[100]); c.Socket.Shutdown(SocketShutdown.Send); await c.ReceiveUntilClosedAsync(); c.Dispose(); },
            async c => { await c.SendAsync(TestClient.Frame(new byte[1000]).AsMemory(0, 500)); c.Reset(); },
            async c => { await c.SendAsync(TestClient.Frame(new byte[1000]).AsMemory(0, 2)); c.Dispose(); },
            async c => { await c.SendAsync(TestClient.Header(5000)); await c.ReceiveUntilClosedAsync(); c.Dispose(); },
            c => { c.Dispose(); return Task.CompletedTask; },
            async c => { await c.SendAsync(new byte[200_000]); c.Reset(); },
        ];

        const int Rounds = 40;
        Assert.Equal(7, ways.Length);
        for (int round = 0; round < Rounds; round++)
        {
            await Task.WhenAll(ways.Select(async way => await way(await TestClient.ConnectAsync(server.Port))));
        }

        // Active can touch 0 while connections still wait in the backlog, so wait for every accept too.
        const int Expected = (Rounds * 7) + 1;
        await Eventually.AssertAsync(() => server.Metrics.ConnectionsAccepted == Expected && server.Metrics.ConnectionsActive == 0, $"the server to accept {Expected} connections and close every one");
        await Eventually.AssertAsync(() => ProcFs.SocketsInState(server.Port, ProcFs.CloseWait) == 0, "no socket in CLOSE_WAIT");
        await Eventually.AssertAsync(() => ProcFs.OpenDescriptors(Environment.ProcessId) <= descriptorsBefore, $"descriptors to return to {descriptorsBefore}");
    }

    /// <summary>Waits until a growing counter stops growing for a while, and returns where it stopped.</summary>
    private static async Task<long> WaitForStallAsync(Func<long> progress)
    {
        long last = -1;
        int unchanged = 0;
        var deadline = DateTime.UtcNow + Timeouts.Operation;
        while (unchanged < 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            long now = progress();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }

        Assert.True(unchanged >= 5, "the sender never stalled");
        return last;
    }
}
