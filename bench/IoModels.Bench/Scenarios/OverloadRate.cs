namespace IoModels.Bench.Scenarios;

/// <summary>
/// A scenario's <c>overloadRate</c>: an open loop above each model's own capacity. Before the scenario's first cell
/// each model is probed in a closed loop with the scenario's options plus <see cref="ProbeServer"/> and
/// <see cref="ProbeLoadgen"/> (the transport whose capacity matters), and every cell of that model, whatever its
/// variant, is offered <see cref="FactorOfCapacity"/> times the probe's messages per second: the same absolute rate
/// over TCP and over UDP, above what the model echoes on any host.
/// </summary>
internal sealed record OverloadRate(double FactorOfCapacity)
{
    /// <summary>Server options the probe adds to the scenario's (<c>--transport udp</c>).</summary>
    public IReadOnlyList<string> ProbeServer { get; set; } = [];

    /// <summary>Load generator options the probe adds to the scenario's; never <c>--rate</c>, the probe is a closed loop.</summary>
    public IReadOnlyList<string> ProbeLoadgen { get; set; } = [];

    /// <summary>The probe as a variant of its scenario, so it runs as any cell's server and load generator would.</summary>
    public ScenarioVariant ProbeVariant() => new("capacity") { Server = ProbeServer, Loadgen = ProbeLoadgen };
}
