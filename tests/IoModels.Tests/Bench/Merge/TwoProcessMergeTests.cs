using System.Globalization;
using System.Text.Json;
using HdrHistogram;
using IoModels.Bench.Merge;
using IoModels.LoadGen.Timing;
using IoModels.Protocol;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Bench.Merge;

/// <summary>Two real load-generator processes on loopback, started together with --start-at, then merged.</summary>
public sealed class TwoProcessMergeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("iomodels-merge2-").FullName;

    [Fact]
    public async Task Two_processes_against_one_server_merge_into_one_exact_report()
    {
        await using var server = InProcessServer.Start("select", Framing.Framed);
        // Far enough ahead for both processes to start on a busy machine; a late one would exit 2 and fail the test.
        var startAt = DateTimeOffset.UtcNow.AddSeconds(5);
        string at = startAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        string[] paths = [Path.Combine(_folder, "a.json"), Path.Combine(_folder, "b.json")];
        var runs = paths.Select(path => ToolProcess.RunAsync("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "IoModels.LoadGen.dll"), "--target", server.EndPoint.ToString(),
            "--connections", "2", "--threads", "1", "--duration", "1s", "--warmup", "200ms", "--start-at", at,
            "--interval", "250ms", "--progress", "false", "--json", path,
        ])).ToArray();
        foreach (var run in await Task.WhenAll(runs))
        {
            Assert.True(run.ExitCode == 0, run.StandardError);
        }

        var inputs = paths.Select(p => ReportMerger.Read(p)).ToArray();
        string output = Path.Combine(_folder, "merged.json");
        int exit = MergeCommand.Run(new FileInfo(output), [.. paths.Select(p => new FileInfo(p))], TextWriter.Null, TextWriter.Null);
        var merged = JsonSerializer.Deserialize(await File.ReadAllTextAsync(output), MergeJsonContext.Default.MergedReport)!;

        Assert.Equal(MergeCommand.ExitMerged, exit);
        Assert.Equal(MergedReport.StatusOk, merged.Status);
        Assert.Equal(2, merged.Processes);
        Assert.Equal(inputs.Sum(r => r.Messages), merged.Messages);
        Assert.True(merged.Messages > 0);

        // One histogram fed every sample of both processes: their decoded histograms added.
        var all = new LongHistogram(3_600_000_000, 3);
        foreach (var report in inputs)
        {
            all.Add(LatencyHistogramEncoding.Decode(report.LatencyHistogram!));
        }

        Assert.Equal(merged.Messages, all.TotalCount);
        Assert.Equal(all.GetValueAtPercentile(50), merged.LatencyMicros.P50);
        Assert.Equal(all.GetValueAtPercentile(99), merged.LatencyMicros.P99);
        Assert.Equal(all.GetMaxValue(), merged.LatencyMicros.Max);

        // Both measured from the agreed time.
        Assert.All(inputs, r => Assert.True(r.MeasuredPhase!.StartUtc >= startAt - TimeSpan.FromMilliseconds(1), $"{r.MeasuredPhase.StartUtc:O}"));
        Assert.Equal(inputs.Min(r => r.MeasuredPhase!.StartUtc), merged.MeasuredPhase.StartUtc);
        Assert.Equal(inputs.Max(r => r.MeasuredPhase!.EndUtc), merged.MeasuredPhase.EndUtc);
        Assert.All(paths, p => Assert.True(File.Exists(Path.ChangeExtension(p, ".hlog"))));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
