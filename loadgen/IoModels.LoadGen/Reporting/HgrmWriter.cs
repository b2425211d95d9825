using HdrHistogram;

namespace IoModels.LoadGen.Reporting;

/// <summary>
/// The latency percentile distribution in HdrHistogram's text format (.hgrm): <c>Value Percentile TotalCount
/// 1/(1-Percentile)</c> rows and a <c>#[Mean ...]</c> footer, which HdrHistogram's plotter reads unchanged. Values are
/// in microseconds, like every time in the report (docs/report.md), and run-bench's report tool reads them as such.
/// </summary>
public static class HgrmWriter
{
    private const int PercentileTicksPerHalfDistance = 5;

    // The histogram already records microseconds.
    private const double OutputScalingRatio = 1.0;

    public static void Write(string path, HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        using var writer = new StreamWriter(path);
        histogram.OutputPercentileDistribution(writer, PercentileTicksPerHalfDistance, OutputScalingRatio);
    }
}
