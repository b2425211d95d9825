namespace IoModels.Bench.Ab;

/// <summary>
/// Turns a cell's rounds into its result: both metrics compared, and the cell's verdict the worse of the two. Each metric
/// is tested at its share of the run's alpha (<see cref="AbStatisticsOptions.AlphaPerMetric"/>), given how many cells the
/// run compares.
/// </summary>
public static class AbCellComparer
{
    public static AbCellResult Compare(string model, string scenario, IReadOnlyList<AbSample> a, IReadOnlyList<AbSample> b, AbStatisticsOptions options, int comparedCells = 1)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(options);
        var rounds = Math.Min(a.Count, b.Count);
        if (b.Any(sample => !sample.Succeeded))
        {
            return new AbCellResult(model, scenario, rounds, a, b, null, null, AbVerdict.Failed);
        }

        if (a.Any(sample => !sample.Succeeded))
        {
            return new AbCellResult(model, scenario, rounds, a, b, null, null, AbVerdict.BaselineFailed);
        }

        var hasCpu = a.Concat(b).All(sample => sample.ServerCpuSecondsPerMessage is > 0);
        var alpha = options.AlphaPerMetric(comparedCells, hasCpu ? 2 : 1);
        var throughput = PairedRatioStatistics.Compare(
            [.. a.Select(s => s.MessagesPerSecond)], [.. b.Select(s => s.MessagesPerSecond)], MetricDirection.HigherIsBetter, alpha, options);
        var cpu = hasCpu
            ? PairedRatioStatistics.Compare(
                [.. a.Select(s => s.ServerCpuSecondsPerMessage!.Value)],
                [.. b.Select(s => s.ServerCpuSecondsPerMessage!.Value)],
                MetricDirection.LowerIsBetter,
                alpha,
                options)
            : null;
        return new AbCellResult(model, scenario, rounds, a, b, throughput, cpu, Combine(throughput.Verdict, cpu?.Verdict ?? AbVerdict.Same));
    }

    /// <summary>
    /// The smallest two-sided p-value an exact Mann-Whitney test of <paramref name="rounds"/> rounds against as many can
    /// give (the samples wholly apart): 2 / C(2n, n). A metric whose alpha is not above it can never be significant.
    /// </summary>
    public static double SmallestPValue(int rounds)
    {
        var combinations = 1.0;
        for (var i = 1; i <= rounds; i++)
        {
            combinations = combinations * (rounds + i) / i;
        }

        return 2 / combinations;
    }

    /// <summary>The fewest rounds with which a change can be significant when the run compares <paramref name="comparedCells"/> cells of two metrics.</summary>
    public static int FewestUsefulRounds(int comparedCells, AbStatisticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var alpha = options.AlphaPerMetric(comparedCells, 2);
        var rounds = 2;
        while (SmallestPValue(rounds) >= alpha)
        {
            rounds++;
        }

        return rounds;
    }

    public static AbCellResult OneSided(string model, string scenario, AbSide present) =>
        new(model, scenario, 0, [], [], null, null, present == AbSide.B ? AbVerdict.New : AbVerdict.Removed);

    private static AbVerdict Combine(AbVerdict throughput, AbVerdict cpu) =>
        throughput == AbVerdict.Slower || cpu == AbVerdict.Slower ? AbVerdict.Slower
        : throughput == AbVerdict.Faster || cpu == AbVerdict.Faster ? AbVerdict.Faster
        : AbVerdict.Same;
}
