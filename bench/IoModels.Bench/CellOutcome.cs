namespace IoModels.Bench;

/// <summary>What the runner wrote about one cell next to the load generator's report (<c>MODEL.outcome.json</c>).</summary>
internal sealed record CellOutcome(string Model, string Scenario, string Family, string? Variant, CellStatus Status, string Detail)
{
    /// <summary>Wall-clock seconds the cell took, start-up and stop included.</summary>
    public double Seconds { get; init; }
}
