namespace IoModels.Bench.Ab;

/// <summary>
/// One metric of one cell compared over the rounds: the paired ratios B/A, their median with a bootstrap interval,
/// the two-sided Mann-Whitney p-value of A's values against B's, and the verdict.
/// </summary>
public sealed record MetricComparison(
    IReadOnlyList<double> Ratios,
    double MedianRatio,
    double LowerRatio,
    double UpperRatio,
    double PValue,
    AbVerdict Verdict);
