using System.Text.Json.Nodes;
using HdrHistogram;
using IoModels.LoadGen.Timing;

namespace IoModels.Tests.Bench.Merge;

/// <summary>Writes a load-generator report with the keys a merge reads, around a given histogram.</summary>
internal static class ReportFile
{
    public static string Write(string folder, string name, HistogramBase latency, int exitCode = 0, DateTimeOffset? start = null, bool withHistogram = true)
    {
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
            ["connections"] = new JsonObject { ["attempted"] = 2, ["established"] = 2, ["failed"] = 0, ["peakOpen"] = 2, ["closedByPeer"] = 0 },
            ["errors"] = new JsonObject { ["mismatches"] = 0, ["timeouts"] = 0, ["resets"] = 0, ["other"] = 0 },
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
