using HdrHistogram;
using IoModels.LoadGen.Timing;

namespace IoModels.Tests.LoadGen;

/// <summary>The report's <c>latencyHistogram</c>: HdrHistogram's compressed base64 form, decoded back unchanged.</summary>
public sealed class LatencyHistogramEncodingTests
{
    [Fact]
    public void Encoded_histogram_decodes_to_the_same_counts()
    {
        var histogram = LatencyHistograms.Create();
        var random = new Random(14);
        for (int i = 0; i < 10_000; i++)
        {
            histogram.RecordValue(random.Next(1, 2_000_000));
        }

        var decoded = LatencyHistogramEncoding.Decode(LatencyHistogramEncoding.Encode(histogram));

        Assert.Equal(histogram.TotalCount, decoded.TotalCount);
        Assert.Equal(histogram.GetMaxValue(), decoded.GetMaxValue());
        foreach (double percentile in (double[])[1, 50, 90, 99, 99.9, 99.99])
        {
            Assert.Equal(histogram.GetValueAtPercentile(percentile), decoded.GetValueAtPercentile(percentile));
        }

        Assert.Equal(histogram.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)), decoded.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)));
    }

    [Fact]
    public void Encoding_is_the_one_an_interval_log_line_carries()
    {
        var histogram = LatencyHistograms.Create();
        histogram.RecordValue(42);
        histogram.RecordValue(4_200);
        histogram.StartTimeStamp = 1_000;
        histogram.EndTimeStamp = 2_000;
        using var log = new MemoryStream();
        using (var writer = new HistogramLogWriter(log))
        {
            writer.Write(DateTime.UnixEpoch, histogram);
        }

        using var reader = new StreamReader(new MemoryStream(log.ToArray()));
        string text = reader.ReadToEnd();

        Assert.Contains("," + LatencyHistogramEncoding.Encode(histogram), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_a_histogram_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => LatencyHistogramEncoding.Decode("not base64!"));
        Assert.Throws<FormatException>(() => LatencyHistogramEncoding.Decode(Convert.ToBase64String(new byte[64])));
    }
}
