using System.Text.Json;
using HdrHistogram;
using IoModels.LoadGen.Timing;

namespace IoModels.Bench.Merge;

/// <summary>
/// Combines the reports of several load-generator processes. Percentiles are read from the sum of the decoded
/// histograms, never averaged: the p99 of two processes is not the mean of their p99s.
/// </summary>
public static class ReportMerger
{
    public const string InputSchema = "iomodels.loadgen/1";

    // The load generator's precedence when several things went wrong (README: exit codes).
    private static readonly int[] s_exitPrecedence = [2, 3, 1, 4, 5];

    /// <exception cref="MergeInputException">The file cannot be read or is not a load-generator report.</exception>
    public static InputReport Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var report = JsonSerializer.Deserialize(stream, MergeJsonContext.Default.InputReport)
                ?? throw new MergeInputException($"{path}: empty report");
            return report.Schema is InputSchema or MergedReport.SchemaName
                ? report
                : throw new MergeInputException($"{path}: schema '{report.Schema}' is not a load-generator report ({InputSchema}) or a merge of them ({MergedReport.SchemaName})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new MergeInputException($"{path}: cannot read the report: {e.Message}", e);
        }
    }

    /// <exception cref="MergeInputException">An input lacks what an exact merge needs.</exception>
    public static MergedReport Merge(IReadOnlyList<(string Path, InputReport Report)> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new MergeInputException("no reports to merge");
        }

        var histograms = new List<HistogramBase>(inputs.Count);
        var taints = new List<string>();
        var merged = new List<MergedInput>(inputs.Count);
        foreach (var (path, report) in inputs)
        {
            histograms.Add(DecodeHistogram(path, report));
            var phase = report.MeasuredPhase ?? throw new MergeInputException($"{path}: no 'measuredPhase': the report comes from a load generator without it");
            int exitCode = report.ExitCode ?? throw new MergeInputException($"{path}: no 'exitCode'");
            if (report.Schema == MergedReport.SchemaName)
            {
                // A merge of merges: the input's own taints carry over, and they already name its failed exit codes.
                taints.AddRange((report.TaintedBy ?? []).Select(taint => $"{path}: {taint}"));
            }
            else
            {
                if (exitCode != 0)
                {
                    taints.Add($"{path}: exit code {exitCode}");
                }

                if (report.Errors is { Mismatches: > 0 } errors)
                {
                    taints.Add($"{path}: {errors.Mismatches} echo mismatches");
                }
            }

            merged.Add(new MergedInput
            {
                Path = path,
                Label = report.Label ?? "",
                ExitCode = exitCode,
                Messages = report.Messages,
                StartUtc = phase.StartUtc,
                EndUtc = phase.EndUtc,
            });
        }

        var start = merged.Min(i => i.StartUtc);
        var end = merged.Max(i => i.EndUtc);
        // Processes that did not measure at the same time measured different loads: their sum is no one load.
        if (merged.Max(i => i.StartUtc) >= merged.Min(i => i.EndUtc))
        {
            taints.Add("the measured phases do not overlap (start the processes with --start-at)");
        }

        var latency = Sum(histograms);
        long count = latency.TotalCount;
        double weightedMean = inputs.Sum(i => (i.Report.LatencyMicros?.Mean ?? 0) * (i.Report.LatencyMicros?.Count ?? 0));
        return new MergedReport
        {
            Status = taints.Count == 0 ? MergedReport.StatusOk : MergedReport.StatusTainted,
            TaintedBy = taints,
            Processes = inputs.Sum(i => i.Report.Processes ?? 1),
            ExitCode = s_exitPrecedence.FirstOrDefault(code => merged.Any(i => i.ExitCode == code), merged.Select(i => i.ExitCode).FirstOrDefault(c => c != 0)),
            Label = string.Join(" + ", inputs.Select(i => i.Report.Label).Distinct(StringComparer.Ordinal)),
            Target = string.Join(" + ", inputs.Select(i => i.Report.Target).Distinct(StringComparer.Ordinal)),
            MeasuredPhase = new MergedPhase { StartUtc = start, EndUtc = end },
            DurationSeconds = Math.Round((end - start).TotalSeconds, 6),
            Messages = inputs.Sum(i => i.Report.Messages),
            Bytes = inputs.Sum(i => i.Report.Bytes),
            Throughput = new MergedThroughput
            {
                MessagesPerSecond = Math.Round(inputs.Sum(i => i.Report.Throughput?.MessagesPerSecond ?? 0), 1),
                BytesPerSecond = Math.Round(inputs.Sum(i => i.Report.Throughput?.BytesPerSecond ?? 0), 1),
            },
            LatencyMicros = new MergedLatency
            {
                Count = count,
                Mean = count > 0 ? Math.Round(weightedMean / count, 1) : 0,
                P50 = Percentile(latency, 50),
                P90 = Percentile(latency, 90),
                P99 = Percentile(latency, 99),
                P999 = Percentile(latency, 99.9),
                P9999 = Percentile(latency, 99.99),
                Max = count > 0 ? latency.GetMaxValue() : 0,
            },
            Connections = new MergedConnections
            {
                Attempted = inputs.Sum(i => i.Report.Connections?.Attempted ?? 0),
                Established = inputs.Sum(i => i.Report.Connections?.Established ?? 0),
                Failed = inputs.Sum(i => i.Report.Connections?.Failed ?? 0),
                FailedByReason = SumByKey(inputs.Select(i => i.Report.Connections?.FailedByReason)),
                PeakOpen = inputs.Sum(i => i.Report.Connections?.PeakOpen ?? 0),
                ClosedByPeer = inputs.Sum(i => i.Report.Connections?.ClosedByPeer ?? 0),
                ClosedByClient = inputs.Sum(i => i.Report.Connections?.ClosedByClient ?? 0),
                Idle = inputs.Sum(i => i.Report.Connections?.Idle ?? 0),
                IdleClosedByPeer = inputs.Sum(i => i.Report.Connections?.IdleClosedByPeer ?? 0),
            },
            Errors = new MergedErrors
            {
                Mismatches = inputs.Sum(i => i.Report.Errors?.Mismatches ?? 0),
                Timeouts = inputs.Sum(i => i.Report.Errors?.Timeouts ?? 0),
                Resets = inputs.Sum(i => i.Report.Errors?.Resets ?? 0),
                Other = inputs.Sum(i => i.Report.Errors?.Other ?? 0),
                LostInFlight = inputs.Sum(i => i.Report.Errors?.LostInFlight ?? 0),
            },
            LatencyHistogram = LatencyHistogramEncoding.Encode(latency),
            Inputs = merged,
        };
    }

    private static HistogramBase DecodeHistogram(string path, InputReport report)
    {
        string text = report.LatencyHistogram ?? throw new MergeInputException($"{path}: no 'latencyHistogram': percentiles cannot be merged exactly without it");
        try
        {
            return LatencyHistogramEncoding.Decode(text);
        }
        catch (FormatException e)
        {
            throw new MergeInputException($"{path}: 'latencyHistogram': {e.Message}", e);
        }
    }

    /// <summary>The inputs' histograms added into one wide enough for all of them, at their common precision.</summary>
    private static LongHistogram Sum(List<HistogramBase> histograms)
    {
        int digits = histograms[0].NumberOfSignificantValueDigits;
        if (histograms.Any(h => h.NumberOfSignificantValueDigits != digits))
        {
            // Adding histograms of different precision would round some samples: no longer exact.
            throw new MergeInputException("the inputs' latency histograms differ in precision; an exact merge needs one");
        }

        var sum = new LongHistogram(1, histograms.Max(h => h.HighestTrackableValue), digits);
        foreach (var histogram in histograms)
        {
            sum.Add(histogram);
        }

        return sum;
    }

    private static SortedDictionary<string, long> SumByKey(IEnumerable<IReadOnlyDictionary<string, long>?> counts)
    {
        var sum = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in counts.SelectMany(c => c ?? new Dictionary<string, long>()))
        {
            sum[key] = sum.GetValueOrDefault(key) + count;
        }

        return sum;
    }

    private static long Percentile(HistogramBase histogram, double percentile) =>
        histogram.TotalCount > 0 ? histogram.GetValueAtPercentile(percentile) : 0;
}
