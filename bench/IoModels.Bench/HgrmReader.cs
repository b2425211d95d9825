using System.Globalization;

namespace IoModels.Bench;

/// <summary>
/// Reads HdrHistogram's percentile-distribution text (<c>Value Percentile TotalCount 1/(1-Percentile)</c>
/// rows, a header and a <c>#[Mean ...]</c> footer): the full latency curve of one cell.
/// </summary>
internal static class HgrmReader
{
    public static IReadOnlyList<PercentilePoint> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var points = new List<PercentilePoint>();
        while (reader.ReadLine() is { } line)
        {
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3
                || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                || !double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double fraction))
            {
                continue; // header, blank line or footer
            }

            points.Add(new PercentilePoint(fraction * 100, value));
        }

        return points;
    }
}
