using System.Text.Json.Nodes;
using HdrHistogram;
using IoModels.LoadGen.Timing;

namespace IoModels.Tests.Bench.Merge;

/// <summary>Writes a load-generator report with the keys a merge reads, around a given histogram.</summary>
internal static class ReportFile
{
    /// <param name="failedReason">When given, one connect failed, for that reason.</param>
    public static string Write(string folder, string name, HistogramBase latency, int exitCode = 0, DateTimeOffset? start = null, bool withHistogram = true, string? failedReason = null)
    {
        int failed = failedReason is null ? 0 : 1;
        var failedByReason = new JsonObject();
        if (failedReason is not null)
        {
            failedByReason[failedReason] = 1;
        }

        var from = start ?? new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);
        var report = new JsonObject
        {
            ["schema"] = "iomodels.loadgen/1",
            ["label"] = name,
            ["target"] = "127.0.0.1:7007",
            ["durationSeconds"] = 10.0,
            ["messages"] = latency.TotalCount,
            ["bytes"] = latency.TotalCount * 68,
            ["throughput"] = new JsonObject { ["messagesPerSecond"] = latency.TotalCount / 10.0, ["bytesPerSecond"] = latency.TotalCount * 6.8 },
            ["latencyMicros"] = new JsonObject { ["count"] = latency.TotalCount, ["mean"] = latency.GetMean() },
            // The counts from closedByPeer on each a number of their own, so a merge that read one key for another shows.
            ["connections"] = new JsonObject
            {
                ["attempted"] = 2 + failed,
                ["established"] = 2,
                ["failed"] = failed,
                ["failedByReason"] = failedByReason,
                ["peakOpen"] = 2,
                ["closedByPeer"] = 3,
                ["closedByClient"] = 4,
                ["idle"] = 5,
                ["idleClosedByPeer"] = 1,
            },
            ["errors"] = new JsonObject { ["mismatches"] = 0, ["timeouts"] = 6, ["resets"] = 7, ["other"] = 8, ["lostInFlight"] = 9 },
            ["exitCode"] = exitCode,
            ["measuredPhase"] = new JsonObject { ["startUtc"] = from.ToString("O"), ["endUtc"] = from.AddSeconds(10).ToString("O") },
        };
        if (withHistogram)
        {
            report["latencyHistogram"] = LatencyHistogramEncoding.Encode(latency);
        }

        string path = Path.Combine(folder, name + ".json");
        File.WriteAllText(path, report.ToJsonString());
        return path;
    }
}
