using System.Globalization;
using System.Text.Json;
using IoModels.Bench;
using IoModels.Bench.Running;
using IoModels.Bench.Scenarios;

namespace IoModels.Tests.Bench;

/// <summary>
/// A doctored <c>bench-results</c> run in a temporary folder: outcome files as the runner writes
/// them and load generator reports with the keys of docs/report.md, with whatever figures a test needs.
/// </summary>
internal sealed class RunFolder : IDisposable
{
    public RunFolder()
    {
        Directory.CreateDirectory(Path);
        File.WriteAllText(System.IO.Path.Combine(Path, BenchRun.ManifestFile), """
            {
              "schema": "iomodels.bench/1",
              "startedAt": "2026-11-24T12:00:00Z",
              "finishedAt": "2026-11-24T12:02:00Z",
              "host": { "kernel": "6.18.0-test", "cpuModel": "Test CPU", "cores": 2 },
              "dotnetSdk": "10.0.100",
              "commit": "0123456789abcdef",
              "dirty": false,
              "placement": { "mode": "split", "server": "0", "loadgen": "1", "description": "server on CPU 0, load generator on CPU 1 (taskset)" },
              "options": { "quick": true, "duration": "1s" }
            }
            """);
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "iomodels-bench-" + Guid.NewGuid().ToString("N"));

    /// <summary>Adds a cell that ran, with a report whose figures scale with <paramref name="messagesPerSecond"/>.</summary>
    public RunFolder AddCell(string scenario, string model, double messagesPerSecond, double p99Micros = 100, long mismatches = 0, string? family = null, string? variant = null, string status = "ok", double? rate = null)
    {
        WriteOutcome(scenario, model, status, family, variant, "");
        var report = new Dictionary<string, object?>
        {
            ["schema"] = "iomodels.loadgen/1",
            ["label"] = $"{model}/{scenario}",
            ["target"] = "127.0.0.1:1",
            ["config"] = new Dictionary<string, object?> { ["connections"] = 64, ["rate"] = rate ?? (family == "open-loop" ? 1000 : null) },
            ["durationSeconds"] = 10.0,
            ["messages"] = (long)(messagesPerSecond * 10),
            ["bytes"] = (long)(messagesPerSecond * 10 * 68),
            ["throughput"] = new { messagesPerSecond, bytesPerSecond = messagesPerSecond * 68 },
            ["latencyMicros"] = new { mean = p99Micros / 3, p50 = p99Micros / 4, p90 = p99Micros / 2, p99 = p99Micros, p999 = p99Micros * 2, max = p99Micros * 10 },
            ["connectMicros"] = new { p50 = 50, p99 = 90, max = 200 },
            ["connections"] = new { attempted = 64, established = 64, failed = 0, peakOpen = 64, closedByPeer = 0 },
            ["errors"] = new { mismatches, timeouts = 0, resets = 0, other = 0 },
            ["server"] = new { cpuSeconds = 5.0, peakRssBytes = 50L * 1024 * 1024, threads = 7 },
        };
        File.WriteAllText(CellPath(scenario, model, ".json"), JsonSerializer.Serialize(report));
        return this;
    }

    /// <summary>Adds <c>intervals</c> (docs/report.md) to a cell's report, as <c>--interval</c> makes the load generator write them.</summary>
    public RunFolder AddIntervals(string scenario, string model, params (double Start, long Messages, long P99Micros)[] intervals)
    {
        string path = CellPath(scenario, model, ".json");
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var records = new System.Text.Json.Nodes.JsonArray();
        foreach (var (start, messages, p99) in intervals)
        {
            records.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["start"] = start,
                ["messages"] = messages,
                ["errors"] = 0,
                ["p50"] = p99 / 2,
                ["p99"] = p99,
                ["max"] = p99 * 2,
                ["open"] = 64,
            });
        }

        report["intervals"] = records;
        File.WriteAllText(path, report.ToJsonString());
        return this;
    }

    /// <summary>Sets top-level keys of a cell's report (<c>udp</c>, <c>socketStates</c>), given as JSON, as the load generator writes them.</summary>
    public RunFolder SetReportKeys(string scenario, string model, string keysJson)
    {
        string path = CellPath(scenario, model, ".json");
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(keysJson)!.AsObject().ToList())
        {
            report[key] = value?.DeepClone();
        }

        File.WriteAllText(path, report.ToJsonString());
        return this;
    }

    /// <summary>Adds a cell with no report: a server that did not start, a model not built yet.</summary>
    public RunFolder AddEmptyCell(string scenario, string model, string status, string detail)
    {
        WriteOutcome(scenario, model, status, null, null, detail);
        return this;
    }

    /// <summary>Writes an HdrHistogram percentile distribution for a cell, as the load generator's <c>--hgrm</c> does.</summary>
    public void AddHistogram(string scenario, string model, params (double Micros, double Percentile)[] rows)
    {
        using var writer = File.CreateText(CellPath(scenario, model, ".hgrm"));
        writer.WriteLine("       Value     Percentile TotalCount 1/(1-Percentile)");
        writer.WriteLine();
        foreach (var (micros, percentile) in rows)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{micros,12:F3} {percentile,14:F12} {100,10} {(percentile < 1 ? 1 / (1 - percentile) : double.PositiveInfinity),14:F2}"));
        }

        writer.WriteLine("#[Mean    =       40.000, StdDeviation   =        5.000]");
    }

    /// <summary>The repository's own scenario file, which names, orders and scores the scenarios.</summary>
    public static ScenarioFile Scenarios { get; } = ScenarioFileLoader.Load(RepositoryLayout.Find().ScenarioFile);

    public BenchRun Load() => BenchRun.Load(Path, Scenarios);

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private void WriteOutcome(string scenario, string model, string status, string? family, string? variant, string detail)
    {
        var outcome = new Dictionary<string, object?>
        {
            ["model"] = model,
            ["scenario"] = scenario,
            ["family"] = family ?? scenario,
            ["variant"] = variant ?? "",
            ["status"] = status,
            ["detail"] = detail,
        };
        File.WriteAllText(CellPath(scenario, model, BenchRun.OutcomeSuffix), JsonSerializer.Serialize(outcome));
    }

    private string CellPath(string scenario, string model, string suffix)
    {
        string directory = System.IO.Path.Combine(Path, BenchRun.CellsFolder, scenario);
        Directory.CreateDirectory(directory);
        return System.IO.Path.Combine(directory, model + suffix);
    }
}
