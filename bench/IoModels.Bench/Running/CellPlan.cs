using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Running;

/// <summary>One model × scenario (× variant) cell to run.</summary>
internal sealed record CellPlan(string Model, ScenarioDefinition Scenario, ScenarioVariant? Variant)
{
    /// <summary>For an open loop: the model's messages per second measured earlier in the run; null makes the runner probe.</summary>
    public double? Capacity { get; init; }

    /// <summary>The open loop's rate set by the runner: a rate sweep's step (from the highest capacity of the run), or an overload rate (from the model's own).</summary>
    public long? OfferedRate { get; init; }

    /// <summary>The descriptor at and above which this model refuses connections by design (the scenario file's <c>descriptorLimits</c>).</summary>
    public int? DescriptorLimit { get; init; }

    public string CellName => Scenario.CellName(Variant);

    public IReadOnlyList<string> ServerArguments => [.. Scenario.Server, .. Variant?.Server ?? []];

    public IReadOnlyList<string> LoadGenArguments => [.. Scenario.Loadgen, .. Variant?.Loadgen ?? []];

    public CellOutcome Outcome(CellStatus status, string detail, double seconds) =>
        new(Model, CellName, Scenario.Name, Variant?.DisplayLabel, status, detail) { Seconds = seconds, OfferedRate = OfferedRate };
}
