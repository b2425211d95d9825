using System.Text.Json.Serialization;

namespace IoModels.Bench;

/// <summary>What the runner wrote about one cell next to the load generator's report (<c>MODEL.outcome.json</c>).</summary>
internal sealed record CellOutcome(string Model, string Scenario, string Family, string? Variant, CellStatus Status, string Detail)
{
    /// <summary>Wall-clock seconds the cell took, start-up and stop included.</summary>
    public double Seconds { get; init; }

    /// <summary>The open loop's rate when the runner set it (a rate sweep's step), also for a cell that wrote no report.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OfferedRate { get; init; }

    /// <summary>Connections the server refused over its descriptor limit, from its shutdown summary (a refusal finding).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Refused { get; init; }
}
