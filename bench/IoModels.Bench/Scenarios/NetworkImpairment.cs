namespace IoModels.Bench.Scenarios;

/// <summary>
/// A scenario's <c>network</c>: its cells run server and load generator inside a network namespace the bench makes,
/// whose loopback drops <see cref="DropPercent"/> percent of packets at random (nftables), as a lossy link would. With 0
/// the namespace only isolates the cell: its own socket tables and kernel counters (TIME_WAIT among them), empty at the start.
/// </summary>
internal sealed record NetworkImpairment(int DropPercent);
