using HdrHistogram;

namespace IoModels.LoadGen.Reporting;

/// <summary>
/// The latency percentile distribution in HdrHistogram's text format (.hgrm), values in milliseconds as wrk2 writes
/// them, so HdrHistogram's plotter and the usual scripts read it unchanged.
/// </summary>
public static class HgrmWriter
{
    private const int PercentileTicksPerHalfDistance = 5;
    private const double MicrosPerMillisecond = 1000.0;

    public static void Write(string path, HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        using var writer = new StreamWriter(path);
        histogram.OutputPercentileDistribution(writer, PercentileTicksPerHalfDistance, MicrosPerMillisecond);
    }
}
