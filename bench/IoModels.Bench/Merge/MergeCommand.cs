using System.CommandLine;
using System.Text.Json;

namespace IoModels.Bench.Merge;

/// <summary>
/// <c>merge --json OUT IN1.json IN2.json ...</c>: several load-generator processes' reports as one
/// (<see cref="ReportMerger"/>). Exit 0 merged, 1 merged but tainted by a failed input, 2 an input or option unusable.
/// </summary>
public static class MergeCommand
{
    public const int ExitMerged = 0;
    public const int ExitTainted = 1;
    public const int ExitUnusable = 2;

    public static Command Create()
    {
        var output = new Option<FileInfo>("--json")
        {
            Description = "where to write the merged report",
            Required = true,
        };
        var inputs = new Argument<FileInfo[]>("reports")
        {
            Description = "load-generator reports (--json of each process) to merge",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("merge", "merge the reports of several load-generator processes; percentiles from the merged histogram")
        {
            output,
            inputs,
        };
        command.SetAction(parseResult => Run(parseResult.GetValue(output)!, parseResult.GetValue(inputs)!, Console.Out, Console.Error));
        return command;
    }

    /// <summary>The verb's work, apart from the command line so tests call it directly.</summary>
    public static int Run(FileInfo output, IReadOnlyList<FileInfo> inputs, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        MergedReport merged;
        try
        {
            merged = ReportMerger.Merge([.. inputs.Select(f => (f.FullName, ReportMerger.Read(f.FullName)))]);
        }
        catch (MergeInputException e)
        {
            stderr.WriteLine($"merge: {e.Message}");
            return ExitUnusable;
        }

        try
        {
            File.WriteAllText(output.FullName, JsonSerializer.Serialize(merged, MergeJsonContext.Default.MergedReport));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"merge: cannot write {output.FullName}: {e.Message}");
            return ExitUnusable;
        }

        var latency = merged.LatencyMicros;
        stdout.WriteLine($"merged {merged.Processes} reports: {merged.Messages} messages, {merged.Throughput.MessagesPerSecond:0} msg/s, p50 {latency.P50} us, p99 {latency.P99} us, max {latency.Max} us; {merged.Status}");
        foreach (string taint in merged.TaintedBy)
        {
            stderr.WriteLine($"merge: tainted: {taint}");
        }

        return merged.Status == MergedReport.StatusOk ? ExitMerged : ExitTainted;
    }
}
