using System.Net.Sockets;
using IoModels.Protocol;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Epoll;

/// <summary>The epoll models must echo without allocating per message once warmed up (issue 4).</summary>
public sealed class SteadyStateAllocationTests
{
    private const int WarmUpRoundTrips = 2_000;
    private const int MeasuredRoundTrips = 10_000;
    private const int MaxWindows = 5;

    // The count is process-wide: the test runner's threads and the JIT's tiering (which goes on for a while after
    // warm-up, the first test in a process most of all) allocate now and then. So it allows a little noise, far
    // less than one allocation per message (the smallest object is 24 bytes: 240 KB per window), and steady state
    // is the quietest of a few windows. A per-message allocation fails every window.
    private const long AllowedBytes = 64 * 1024;

    [Theory]
    [InlineData("epoll-lt")]
    [InlineData("epoll-et")]
    public async Task Echo_allocates_nothing_per_message_in_steady_state(string model)
    {
        await using var server = InProcessServer.Start(model);
        using var client = BlockingClient.Connect(server.Port);
        byte[] frame = new byte[FrameHeader.Size + 64];
        FrameHeader.Write(frame, 64);
        frame.AsSpan(FrameHeader.Size).Fill(0x5a);
        byte[] echo = new byte[frame.Length];

        // The client uses blocking span-based calls, which allocate nothing, so whatever is counted is the server's.
        RoundTrips(client, frame, echo, WarmUpRoundTrips);
        var windows = new List<long>();
        while (windows.Count < MaxWindows && (windows.Count == 0 || windows[^1] >= AllowedBytes))
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            RoundTrips(client, frame, echo, MeasuredRoundTrips);
            windows.Add(GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        Assert.True(
            windows[^1] < AllowedBytes,
            $"{model} allocated {string.Join(", ", windows)} bytes in successive windows of {MeasuredRoundTrips} round trips");
        // The server counts a send just after it returns, possibly after the client already has the bytes.
        long expected = (long)(WarmUpRoundTrips + (windows.Count * MeasuredRoundTrips)) * frame.Length;
        Assert.True(await Eventually.TrueAsync(() => server.Metrics.BytesSent == expected), $"sent {server.Metrics.BytesSent} of {expected} bytes");
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
