using System.Text.Json.Serialization;

namespace IoModels.Bench.Scenarios;

/// <summary>
/// One cell of a scenario with several (an idle step, no-delay on or off): its options are added to the
/// scenario's. The cell is named <c>SCENARIO-NAME</c>; <see cref="Label"/> is what tables show, and a
/// numeric label puts the cell on a line chart's x axis.
/// </summary>
internal sealed record ScenarioVariant(string Name)
{
    public string? Label { get; set; }

    public IReadOnlyList<string> Server { get; set; } = [];

    public IReadOnlyList<string> Loadgen { get; set; } = [];

    /// <summary>The profiles (<c>full</c>, <c>quick</c>) that run this variant; empty means every profile.</summary>
    public IReadOnlyList<string> Profiles { get; set; } = [];

    /// <summary>A step of a <see cref="RateSweep"/>: the open loop's rate is this fraction of the highest capacity measured in the run.</summary>
    [JsonIgnore]
    public double? RateFractionOfHighestCapacity { get; init; }

    public string DisplayLabel => Label ?? Name;
}
