using IoModels.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IoModels.Tests.Uring;

/// <summary>
/// Messages larger than one receive: each takes several receives and sends, each pinning and unpinning the
/// session's buffer. None of that may allocate (the 64-byte case is in the shared allocation test).
/// </summary>
public sealed class UringSteadyStateAllocationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Echo_of_messages_larger_than_a_receive_allocates_nothing_per_message()
    {
        await using var server = InProcessServer.Start("uring");

        var result = EchoAllocationMeter.Measure(server.EndPoint, payloadSize: 100_000, warmupRoundTrips: 500, roundTripsPerWindow: 1_000, windows: 5, Timeouts.Operation);
        output.WriteLine($"uring: {result}");

        // As in the shared test: a per-message allocation puts at least 24 bytes per round trip into every window.
        Assert.True(result.QuietestWindowBytes < 2L * result.RoundTripsPerWindow, $"uring: {result}");
    }
}
