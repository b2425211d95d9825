using IoModels.LoadGen.Monitoring;

namespace IoModels.LoadGen.Reporting;

/// <summary>
/// The kernel's UDP counters when the measured phase began and after the drain, and the difference: machine-wide (or
/// network-namespace-wide), so the server's drops show as well as the client's.
/// </summary>
public sealed record UdpKernelReport
{
    public required UdpKernelCounters Before { get; init; }

    public required UdpKernelCounters After { get; init; }

    public required UdpKernelCounters Delta { get; init; }
}
