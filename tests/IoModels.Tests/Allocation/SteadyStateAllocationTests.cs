using IoModels.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IoModels.Tests.Allocation;

/// <summary>The event-driven models echo without allocating per message once warmed up (issues 4, 5 and 7).</summary>
public sealed class SteadyStateAllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("epoll-lt")]
    [InlineData("epoll-et")]
    [InlineData("saea")]
    [InlineData("uring")]
    public async Task Echo_allocates_nothing_per_message_in_steady_state(string model)
    {
        await using var server = InProcessServer.Start(model);

        var result = EchoAllocationMeter.Measure(server.EndPoint, payloadSize: 64, warmupRoundTrips: 2_000, roundTripsPerWindow: 10_000, windows: 5, Timeouts.Operation);
        output.WriteLine($"{model}: {result}");

        // One allocation per message puts at least 24 bytes per round trip into every window; the quietest window
        // under 2 bytes per round trip leaves room only for background noise (thread-pool growth, JIT tiering).
        Assert.True(result.QuietestWindowBytes < 2L * result.RoundTripsPerWindow, $"{model}: {result}");
    }
}
