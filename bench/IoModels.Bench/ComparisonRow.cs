namespace IoModels.Bench;

/// <summary>One model in one scenario, in both runs: its ratio to <c>reference</c> before and now.</summary>
internal sealed record ComparisonRow(string Scenario, string Model, double? Baseline, double? Current)
{
    /// <summary>Relative change of the ratio (−0.3 = fell by 30 %); null when either run has no ratio.</summary>
    public double? Change => Baseline is double before && Current is double now && before > 0 ? (now / before) - 1 : null;
}
