using System.Text.Json;

namespace IoModels.Bench;

/// <summary>
/// One record of a report's <c>intervals</c> (docs/report.md): what the load generator saw in one slice of the
/// measured phase. <see cref="Seconds"/> is the slice's length, from the next record's start (the last one's from the
/// end of the measured phase).
/// </summary>
internal sealed record IntervalRecord(double Start, double Seconds, long Messages, long Errors, double P50Micros, double P99Micros, double MaxMicros, long Open)
{
    public double MessagesPerSecond => Seconds > 0 ? Messages / Seconds : 0;

    /// <summary>The report's intervals in order; empty when it has none.</summary>
    public static IReadOnlyList<IntervalRecord> Parse(JsonElement report, double durationSeconds)
    {
        if (JsonPath.Find(report, "intervals") is not { ValueKind: JsonValueKind.Array } array)
        {
            return [];
        }

        var starts = array.EnumerateArray()
            .Where(item => item.ValueKind == JsonValueKind.Object)
            .Select(item => (item, start: JsonPath.GetDouble(item, "start") ?? double.NaN))
            .Where(pair => double.IsFinite(pair.start))
            .OrderBy(pair => pair.start)
            .ToList();
        var records = new List<IntervalRecord>(starts.Count);
        for (int i = 0; i < starts.Count; i++)
        {
            var (item, start) = starts[i];
            double end = i + 1 < starts.Count ? starts[i + 1].start : Math.Max(durationSeconds, start);
            records.Add(new IntervalRecord(
                start,
                end - start,
                JsonPath.GetInt64(item, "messages") ?? 0,
                JsonPath.GetInt64(item, "errors") ?? 0,
                JsonPath.GetDouble(item, "p50") ?? 0,
                JsonPath.GetDouble(item, "p99") ?? 0,
                JsonPath.GetDouble(item, "max") ?? 0,
                JsonPath.GetInt64(item, "open") ?? 0));
        }

        return records;
    }
}
