namespace IoModels.Bench.Ab;

/// <summary>Turns a cell's rounds into its result: both metrics compared, and the cell's verdict the worse of the two.</summary>
public static class AbCellComparer
{
    public static AbCellResult Compare(string model, string scenario, IReadOnlyList<AbSample> a, IReadOnlyList<AbSample> b, AbStatisticsOptions options)
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
        // Bonferroni: each metric gets its share of the cell's false-alarm rate.
        var alpha = hasCpu ? options.Alpha / 2 : options.Alpha;
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

    public static AbCellResult OneSided(string model, string scenario, AbSide present) =>
        new(model, scenario, 0, [], [], null, null, present == AbSide.B ? AbVerdict.New : AbVerdict.Removed);

    private static AbVerdict Combine(AbVerdict throughput, AbVerdict cpu) =>
        throughput == AbVerdict.Slower || cpu == AbVerdict.Slower ? AbVerdict.Slower
        : throughput == AbVerdict.Faster || cpu == AbVerdict.Faster ? AbVerdict.Faster
        : AbVerdict.Same;
}
