using HdrHistogram;
using HdrHistogram.Utilities;

namespace IoModels.LoadGen.Timing;

/// <summary>
/// HdrHistogram's standard compressed encoding in base64 (the form an <c>.hlog</c> line carries): the report's
/// <c>latencyHistogram</c>, which the bench tool's <c>merge</c> decodes and adds so merged percentiles are exact.
/// </summary>
public static class LatencyHistogramEncoding
{
    public static string Encode(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        int length = HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, buffer);
        // ByteBuffer exposes no array: read the encoded bytes back one at a time (once per report, not per message).
        var bytes = new byte[length];
        buffer.Position = 0;
        for (int i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return Convert.ToBase64String(bytes);
    }

    /// <exception cref="FormatException">The text is not base64 or not a compressed histogram.</exception>
    public static HistogramBase Decode(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] bytes = Convert.FromBase64String(base64);
        try
        {
            return HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(bytes), 0);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or IOException)
        {
            throw new FormatException($"not an HdrHistogram compressed histogram: {e.Message}", e);
        }
    }
}
