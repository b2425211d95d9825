using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace IoModels.Bench.Ab;

/// <summary>
/// Compares one metric of A and B measured in interleaved rounds. The ratio of round i is B[i] / A[i]: pairing a round's
/// two runs cancels what the machine did to both (other processes, frequency, cache state). The verdict comes from a
/// Mann-Whitney U test over the rounds (rank-based, so one disturbed round cannot carry it, as in benchstat) and the
/// effect must also exceed the threshold, so a significant but negligible change stays "~".
/// </summary>
public static class PairedRatioStatistics
{
    public static MetricComparison Compare(
        IReadOnlyList<double> a,
        IReadOnlyList<double> b,
        MetricDirection direction,
        double alpha,
        AbStatisticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(options);
        if (a.Count != b.Count || a.Count == 0)
        {
            throw new ArgumentException($"paired samples need the same, non-zero count (A {a.Count}, B {b.Count})", nameof(b));
        }

        var ratios = new double[a.Count];
        for (var i = 0; i < ratios.Length; i++)
        {
            ratios[i] = b[i] / a[i];
        }

        var median = Median(ratios);
        var (lower, upper) = BootstrapMedianInterval(ratios, options);
        var pValue = MannWhitneyPValue(a, b);
        var verdict = Decide(median, pValue, direction, alpha, options.Threshold);
        return new MetricComparison(ratios, median, lower, upper, pValue, verdict);
    }

    /// <summary>Two-sided p-value of Perfolizer's Mann-Whitney U test; identical samples give 1.</summary>
    public static double MannWhitneyPValue(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.SequenceEqual(b))
        {
            return 1;
        }

        double pValue = MannWhitneyTest.Instance.GetPValue(
            new Sample([.. a]), new Sample([.. b]), AlternativeHypothesis.TwoSides, Threshold.Zero);
        return Math.Clamp(pValue, 0, 1);
    }

    public static AbVerdict Decide(double medianRatio, double pValue, MetricDirection direction, double alpha, double threshold)
    {
        if (pValue >= alpha || Math.Abs(medianRatio - 1) < threshold)
        {
            return AbVerdict.Same;
        }

        var higher = medianRatio > 1;
        return (higher == (direction == MetricDirection.HigherIsBetter)) ? AbVerdict.Faster : AbVerdict.Slower;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("the median of nothing", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// Percentile bootstrap interval of the median of <paramref name="ratios"/>: resampled with a seeded generator, so the
    /// same rounds always give the same interval.
    /// </summary>
    public static (double Lower, double Upper) BootstrapMedianInterval(IReadOnlyList<double> ratios, AbStatisticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var medians = new double[options.BootstrapResamples];
        var resample = new double[ratios.Count];
        for (var i = 0; i < medians.Length; i++)
        {
            for (var j = 0; j < resample.Length; j++)
            {
                resample[j] = ratios[random.Next(ratios.Count)];
            }

            medians[i] = Median(resample);
        }

        Array.Sort(medians);
        var tail = (1 - options.ConfidenceLevel) / 2;
        return (Quantile(medians, tail), Quantile(medians, 1 - tail));
    }

    private static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
    }
}
