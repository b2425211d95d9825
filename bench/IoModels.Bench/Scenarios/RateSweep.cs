namespace IoModels.Bench.Scenarios;

/// <summary>
/// A scenario's series of open-loop rates (<c>rateSweep</c>): one cell per fraction of the highest capacity
/// measured in the run, so every model is offered the same absolute rates, and the limits that define its knee.
/// </summary>
internal sealed record RateSweep(IReadOnlyList<double> FractionsOfHighestCapacity, double P99LimitMicros)
{
    /// <summary>The share of the offered rate a cell must reach to count as sustaining it.</summary>
    public double SustainedFraction { get; set; } = 0.95;

    /// <summary>The cell of one step is named by its percentage of the highest capacity (<c>latency-vs-load-50</c>).</summary>
    public IReadOnlyList<ScenarioVariant> Variants() => FractionsOfHighestCapacity
        .Select(fraction =>
        {
            string percent = Math.Round(fraction * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new ScenarioVariant(percent) { RateFractionOfHighestCapacity = fraction };
        })
        .ToList();
}
