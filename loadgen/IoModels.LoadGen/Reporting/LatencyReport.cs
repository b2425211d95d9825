using HdrHistogram;

namespace IoModels.LoadGen.Reporting;

/// <summary>Percentiles of a histogram of microseconds (HdrHistogram, 3 significant digits).</summary>
public sealed record LatencyReport
{
    public required long Count { get; init; }

    public required double Mean { get; init; }

    public required long P50 { get; init; }

    public required long P90 { get; init; }

    public required long P99 { get; init; }

    public required long P999 { get; init; }

    public required long P9999 { get; init; }

    public required long Max { get; init; }

    /// <summary>Percentiles from <paramref name="histogram"/>; the mean from the exact sum when it is known.</summary>
    public static LatencyReport From(LongHistogram histogram, double sumMicros)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        long count = histogram.TotalCount;
        if (count == 0)
        {
            return new LatencyReport { Count = 0, Mean = 0, P50 = 0, P90 = 0, P99 = 0, P999 = 0, P9999 = 0, Max = 0 };
        }

        return new LatencyReport
        {
            Count = count,
            Mean = Math.Round(sumMicros / count, 1),
            P50 = histogram.GetValueAtPercentile(50),
            P90 = histogram.GetValueAtPercentile(90),
            P99 = histogram.GetValueAtPercentile(99),
            P999 = histogram.GetValueAtPercentile(99.9),
            P9999 = histogram.GetValueAtPercentile(99.99),
            Max = histogram.GetMaxValue(),
        };
    }
}
