namespace IoModels.Bench.Scenarios;

/// <summary>One entry of <c>bench/scenarios.json</c>: what it runs, the claim it reproduces, how it is scored and drawn.</summary>
internal sealed record ScenarioDefinition(
    string Name,
    string Title,
    string Claim,
    IReadOnlyList<string> Server,
    IReadOnlyList<string> Loadgen,
    ScoreMetric Metric,
    IReadOnlyList<ChartKind> Charts)
{
    public IReadOnlyList<ScenarioVariant> Variants { get; set; } = [];

    /// <summary>What a numeric variant counts, for the line chart's axis and the table's header.</summary>
    public string? VariantAxis { get; set; }

    public ScenarioTable? Table { get; set; }

    public ScenarioColumn? Column { get; set; }

    /// <summary>This scenario's messages per second are the model's capacity, which an open loop later in the run is set from.</summary>
    public bool Capacity { get; set; }

    /// <summary>An open loop: the rate is this fraction of the model's capacity (measured in the run, else probed with <see cref="Loadgen"/>).</summary>
    public double? RateFractionOfCapacity { get; set; }

    /// <summary>The load generator's <c>--interval</c> for this scenario's cells, so the summary draws throughput and p99 over time.</summary>
    public string? Interval { get; set; }

    /// <summary>Run the cells inside a network namespace of their own whose loopback drops packets (a lossy link).</summary>
    public NetworkImpairment? Network { get; set; }

    /// <summary>A warm-up the cells need at least, whatever the profile (a burst of connects that must settle before the measured phase).</summary>
    public string? MinimumWarmup { get; set; }

    /// <summary>A measured phase the cells need at least, whatever the profile (a timeout that must expire inside it).</summary>
    public string? MinimumDuration { get; set; }

    /// <summary>
    /// The claim is a server overwhelmed (a burst against a small backlog): the load generator's "served badly" from
    /// timeouts or failed connects is the cell's finding (<c>overloaded</c>), not a failure; a mismatch or reset still fails.
    /// </summary>
    public bool Overload { get; set; }

    /// <summary>Open loops at a series of fractions of the highest capacity measured in the run, one cell each.</summary>
    public RateSweep? RateSweep { get; set; }

    /// <summary>An open loop at a multiple above 1 of each model's own capacity, probed before the scenario's cells.</summary>
    public OverloadRate? OverloadRate { get; set; }

    /// <summary>The variants a profile runs; a scenario without variants is one cell with no variant, a rate sweep one cell per step.</summary>
    public IReadOnlyList<ScenarioVariant?> VariantsFor(string profile)
    {
        if (RateSweep is { } sweep)
        {
            return sweep.Variants();
        }

        if (Variants.Count == 0)
        {
            return [null];
        }

        return Variants.Where(variant => variant.Profiles.Count == 0 || variant.Profiles.Contains(profile)).ToList();
    }

    /// <summary>The name of a cell of this scenario as the run folder and the summary know it.</summary>
    public string CellName(ScenarioVariant? variant) => variant is null ? Name : $"{Name}-{variant.Name}";
}
