namespace IoModels.Bench.Ab;

/// <summary>
/// How a difference becomes a verdict. <see cref="Threshold"/> is the smallest relative change reported (0.05: a median
/// ratio beyond 5%); <see cref="Alpha"/> is the false-alarm rate of the whole run, split evenly (Bonferroni) over the
/// cells compared and the metrics of each, so a gate over eight models is not eight times as likely to fail for nothing
/// as a gate over one.
/// </summary>
public sealed record AbStatisticsOptions(double Threshold = 0.05, double Alpha = 0.05, double ConfidenceLevel = 0.95, int BootstrapResamples = 2000, int Seed = 11)
{
    /// <summary>The alpha one metric of one cell gets when <paramref name="comparedCells"/> cells of <paramref name="metrics"/> metrics each are compared.</summary>
    public double AlphaPerMetric(int comparedCells, int metrics) => Alpha / Math.Max(1, comparedCells) / Math.Max(1, metrics);
}
