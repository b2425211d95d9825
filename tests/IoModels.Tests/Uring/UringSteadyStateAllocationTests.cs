using System.Net.Sockets;
using IoModels.Protocol;
using IoModels.Tests.Epoll;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Uring;

/// <summary>The io_uring model must echo without allocating per message once warmed up (issue 7).</summary>
public sealed class UringSteadyStateAllocationTests
{
    private const int WarmUpRoundTrips = 2_000;
    private const int MeasuredRoundTrips = 10_000;
    private const int MaxWindows = 5;

    // Process-wide count, so a little noise is allowed (the runner's threads, JIT tiering): far less than one
    // allocation per message (24 bytes at least: 240 KB per window). Steady state is the quietest of a few windows.
    private const long AllowedBytes = 64 * 1024;

    [Theory]
    [InlineData(64)]
    [InlineData(100_000)]
    public async Task Echo_allocates_nothing_per_message_in_steady_state(int payload)
    {
        await using var server = InProcessServer.Start("uring");
        using var client = BlockingClient.Connect(server.Port);
        byte[] frame = new byte[FrameHeader.Size + payload];
        FrameHeader.Write(frame, (uint)payload);
        frame.AsSpan(FrameHeader.Size).Fill(0x5a);
        byte[] echo = new byte[frame.Length];
        int measured = payload > 1000 ? MeasuredRoundTrips / 10 : MeasuredRoundTrips;

        // Blocking span-based client calls allocate nothing, so whatever is counted is the server's.
        RoundTrips(client, frame, echo, WarmUpRoundTrips / 4);
        var windows = new List<long>();
        while (windows.Count < MaxWindows && (windows.Count == 0 || windows[^1] >= AllowedBytes))
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            RoundTrips(client, frame, echo, measured);
            windows.Add(GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        Assert.True(windows[^1] < AllowedBytes, $"uring allocated {string.Join(", ", windows)} bytes in successive windows of {measured} round trips of {payload} bytes");
    }

    private static void RoundTrips(Socket client, byte[] frame, byte[] echo, int count)
    {
        for (int i = 0; i < count; i++)
        {
            client.Send(frame);
            Assert.True(BlockingClient.ReceiveExactly(client, echo), "the server closed the connection");
            Assert.True(echo.AsSpan().SequenceEqual(frame));
        }
    }
}
