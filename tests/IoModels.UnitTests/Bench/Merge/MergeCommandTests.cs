using System.Text.Json;
using HdrHistogram;
using IoModels.Bench.Merge;
using IoModels.LoadGen.Timing;

namespace IoModels.Tests.Bench.Merge;

/// <summary>The merge verb on reports written here: exact percentiles, sums, and a taint for every failed input.</summary>
public sealed class MergeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("iomodels-merge-").FullName;

    [Fact]
    public void Merged_percentiles_equal_those_of_one_histogram_fed_every_sample()
    {
        var all = new LongHistogram(3_600_000_000, 3);
        var parts = new[] { new LongHistogram(3_600_000_000, 3), new LongHistogram(3_600_000_000, 3), new LongHistogram(3_600_000_000, 3) };
        var random = new Random(14);
        for (int i = 0; i < 30_000; i++)
        {
            // Each process sees a different latency distribution, so an average of their percentiles would be wrong.
            int part = i % parts.Length;
            long value = random.Next(1, 1000) * (part + 1) * (part + 1);
            parts[part].RecordValue(value);
            all.RecordValue(value);
        }

        var inputs = parts.Select((h, i) => new FileInfo(ReportFile.Write(_folder, $"p{i}", h))).ToArray();
        var (exit, merged) = Merge(inputs);

        Assert.Equal(MergeCommand.ExitMerged, exit);
        Assert.Equal(MergedReport.StatusOk, merged.Status);
        Assert.Equal(all.TotalCount, merged.LatencyMicros.Count);
        Assert.Equal(all.TotalCount, merged.Messages);
        Assert.Equal(all.GetValueAtPercentile(50), merged.LatencyMicros.P50);
        Assert.Equal(all.GetValueAtPercentile(90), merged.LatencyMicros.P90);
        Assert.Equal(all.GetValueAtPercentile(99), merged.LatencyMicros.P99);
        Assert.Equal(all.GetValueAtPercentile(99.9), merged.LatencyMicros.P999);
        Assert.Equal(all.GetMaxValue(), merged.LatencyMicros.Max);
        double averageOfP99s = parts.Average(h => h.GetValueAtPercentile(99));
        Assert.NotEqual(averageOfP99s, merged.LatencyMicros.P99);
        Assert.Equal(6, merged.Connections.Established);
        Assert.Equal(Math.Round(all.TotalCount / 10.0, 1), merged.Throughput.MessagesPerSecond);
        Assert.Equal(all.TotalCount, LatencyHistogramEncoding.Decode(merged.LatencyHistogram).TotalCount);
    }

    [Fact]
    public void Every_count_is_added_and_failed_connects_by_reason_key_by_key()
    {
        var histogram = new LongHistogram(3_600_000_000, 3);
        histogram.RecordValue(100);

        var (exit, merged) = Merge(
            new FileInfo(ReportFile.Write(_folder, "a", histogram, failedReason: "ConnectionRefused")),
            new FileInfo(ReportFile.Write(_folder, "b", histogram, failedReason: "TimedOut")),
            new FileInfo(ReportFile.Write(_folder, "c", histogram, failedReason: "ConnectionRefused")));

        Assert.Equal(MergeCommand.ExitMerged, exit);
        var connections = merged.Connections;
        Assert.Equal((9, 6, 3, 6), (connections.Attempted, connections.Established, connections.Failed, connections.PeakOpen));
        Assert.Equal(["ConnectionRefused=2", "TimedOut=1"], connections.FailedByReason.Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal((9, 12, 15, 3), (connections.ClosedByPeer, connections.ClosedByClient, connections.Idle, connections.IdleClosedByPeer));
        var errors = merged.Errors;
        Assert.Equal((0, 18, 21, 24, 27), (errors.Mismatches, errors.Timeouts, errors.Resets, errors.Other, errors.LostInFlight));
    }

    [Fact]
    public void A_merged_report_merges_again_as_its_inputs_would()
    {
        var random = new Random(15);
        var files = Enumerable.Range(0, 3).Select(i =>
        {
            var histogram = new LongHistogram(3_600_000_000, 3);
            for (int n = 0; n < 1000; n++)
            {
                histogram.RecordValue(random.Next(1, 1000) * (i + 1));
            }

            return new FileInfo(ReportFile.Write(_folder, $"p{i}", histogram, failedReason: i == 1 ? "TimedOut" : null));
        }).ToArray();

        var firstTwoFile = new FileInfo(Path.Combine(_folder, "first-two.json"));
        MergeInto(firstTwoFile, files[0], files[1]);
        var (exit, again) = Merge(firstTwoFile, files[2]);
        var (_, atOnce) = Merge(files);

        Assert.Equal(MergeCommand.ExitMerged, exit);
        Assert.Equal(MergedReport.StatusOk, again.Status);
        Assert.Equal(3, again.Processes);
        Assert.Equal(atOnce.LatencyHistogram, again.LatencyHistogram);
        // Means and rates are written rounded to a tenth, so the merge of a merge may differ from one merge in that digit.
        Assert.Equal(atOnce.LatencyMicros with { Mean = again.LatencyMicros.Mean }, again.LatencyMicros);
        Assert.Equal(atOnce.LatencyMicros.Mean, again.LatencyMicros.Mean, 0.1);
        Assert.Equal(atOnce.Throughput.MessagesPerSecond, again.Throughput.MessagesPerSecond, 0.1);
        Assert.Equal((atOnce.Messages, atOnce.Bytes), (again.Messages, again.Bytes));
        Assert.Equal(atOnce.Errors, again.Errors);
        Assert.Equal(atOnce.Connections.FailedByReason, again.Connections.FailedByReason);
        Assert.Equal(atOnce.Connections with { FailedByReason = again.Connections.FailedByReason }, again.Connections);
    }

    [Fact]
    public void A_tainted_merge_taints_the_merge_it_goes_into_naming_both()
    {
        var histogram = new LongHistogram(3_600_000_000, 3);
        histogram.RecordValue(100);
        string failed = ReportFile.Write(_folder, "failed", histogram, exitCode: 5);
        string taintedPath = Path.Combine(_folder, "tainted.json");
        MergeInto(new FileInfo(taintedPath), new FileInfo(ReportFile.Write(_folder, "good", histogram)), new FileInfo(failed));

        var (exit, merged) = Merge(new FileInfo(taintedPath), new FileInfo(ReportFile.Write(_folder, "other", histogram)));

        Assert.Equal(MergeCommand.ExitTainted, exit);
        Assert.Equal(MergedReport.StatusTainted, merged.Status);
        Assert.Equal(5, merged.ExitCode);
        var taint = Assert.Single(merged.TaintedBy);
        Assert.StartsWith($"{taintedPath}: {failed}: exit code 5", taint, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_and_end_span_the_processes_and_disjoint_phases_taint_the_merge()
    {
        var histogram = new LongHistogram(3_600_000_000, 3);
        histogram.RecordValue(100);
        var t0 = new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);

        var (exit, merged) = Merge(
            new FileInfo(ReportFile.Write(_folder, "a", histogram, start: t0)),
            new FileInfo(ReportFile.Write(_folder, "b", histogram, start: t0.AddSeconds(4))));
        Assert.Equal(MergeCommand.ExitMerged, exit);
        Assert.Equal(t0, merged.MeasuredPhase.StartUtc);
        Assert.Equal(t0.AddSeconds(14), merged.MeasuredPhase.EndUtc);
        Assert.Equal(14, merged.DurationSeconds);

        (exit, merged) = Merge(
            new FileInfo(ReportFile.Write(_folder, "c", histogram, start: t0)),
            new FileInfo(ReportFile.Write(_folder, "d", histogram, start: t0.AddSeconds(20))));
        Assert.Equal(MergeCommand.ExitTainted, exit);
        Assert.Equal(MergedReport.StatusTainted, merged.Status);
        Assert.Contains(merged.TaintedBy, t => t.Contains("do not overlap", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_process_taints_the_merge_and_names_itself()
    {
        var histogram = new LongHistogram(3_600_000_000, 3);
        histogram.RecordValue(100);
        string failed = ReportFile.Write(_folder, "failed", histogram, exitCode: 5);

        var (exit, merged) = Merge(new FileInfo(ReportFile.Write(_folder, "good", histogram)), new FileInfo(failed));

        Assert.Equal(MergeCommand.ExitTainted, exit);
        Assert.Equal(MergedReport.StatusTainted, merged.Status);
        Assert.Equal(5, merged.ExitCode);
        Assert.Contains(merged.TaintedBy, t => t.Contains(failed, StringComparison.Ordinal) && t.Contains("exit code 5", StringComparison.Ordinal));
    }

    [Fact]
    public void An_input_without_a_histogram_or_not_a_report_is_exit_2_in_one_line()
    {
        var histogram = new LongHistogram(3_600_000_000, 3);
        histogram.RecordValue(100);
        string bare = ReportFile.Write(_folder, "bare", histogram, withHistogram: false);
        string junk = Path.Combine(_folder, "junk.json");
        File.WriteAllText(junk, "{ not json");
        string output = Path.Combine(_folder, "merged.json");

        foreach (string input in (string[])[bare, junk, Path.Combine(_folder, "missing.json")])
        {
            var stderr = new StringWriter();
            int exit = MergeCommand.Run(new FileInfo(output), [new FileInfo(input)], TextWriter.Null, stderr);

            Assert.Equal(MergeCommand.ExitUnusable, exit);
            Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
            Assert.Contains(input, stderr.ToString(), StringComparison.Ordinal);
            Assert.False(File.Exists(output));
        }
    }

    [Fact]
    public void The_command_line_parses_its_output_and_inputs()
    {
        var histogram = new LongHistogram(3_600_000_000, 3);
        histogram.RecordValue(100);
        string a = ReportFile.Write(_folder, "a", histogram);
        string output = Path.Combine(_folder, "merged.json");

        int exit = MergeCommand.Create().Parse(["--json", output, a]).Invoke();

        Assert.Equal(MergeCommand.ExitMerged, exit);
        Assert.True(File.Exists(output));
        Assert.NotEqual(0, MergeCommand.Create().Parse(["--json", output]).Invoke());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int Exit, MergedReport Merged) Merge(params FileInfo[] inputs) =>
        MergeInto(new FileInfo(Path.Combine(_folder, $"merged-{Guid.NewGuid():N}.json")), inputs);

    /// <summary>Runs the verb writing to <paramref name="output"/>, which a later merge may then take as an input.</summary>
    private static (int Exit, MergedReport Merged) MergeInto(FileInfo output, params FileInfo[] inputs)
    {
        int exit = MergeCommand.Run(output, inputs, TextWriter.Null, TextWriter.Null);
        var merged = JsonSerializer.Deserialize(File.ReadAllText(output.FullName), MergeJsonContext.Default.MergedReport)!;
        return (exit, merged);
    }
}
