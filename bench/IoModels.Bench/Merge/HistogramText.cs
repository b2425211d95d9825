using HdrHistogram;
using HdrHistogram.Utilities;

namespace IoModels.Bench.Merge;

/// <summary>
/// HdrHistogram's compressed base64 encoding, as the load generator writes <c>latencyHistogram</c>
/// (loadgen's <c>LatencyHistogramEncoding</c>; the bench tool does not reference the load generator's assembly).
/// </summary>
public static class HistogramText
{
    public static string Encode(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var buffer = ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
        int length = HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, buffer);
        // ByteBuffer exposes no array: read the encoded bytes back one at a time.
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
