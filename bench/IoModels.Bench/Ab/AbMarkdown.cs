using System.Globalization;
using System.Text;

namespace IoModels.Bench.Ab;

/// <summary>Writes the comparison as ab.md: what was compared, how verdicts are reached, one table row per cell, the chart.</summary>
public static class AbMarkdown
{
    public const string ChartFile = "ab.png";

    public static string Table(IReadOnlyList<AbCellResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine("| cell | rounds | msg/s B/A [CI] | p | CPU/msg B/A [CI] | p | verdict |");
        text.AppendLine("|---|---:|---|---:|---|---:|---|");
        foreach (var result in results)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {result.Cell} | {result.Rounds} | {Ratio(result.Throughput)} | {PValue(result.Throughput)} ")
                .Append(CultureInfo.InvariantCulture, $"| {Ratio(result.CpuPerMessage)} | {PValue(result.CpuPerMessage)} | {AbVerdictNames.Name(result.Verdict)} |")
                .AppendLine();
        }

        return text.ToString();
    }

    public static string Document(AbBuilds builds, AbStatisticsOptions options, IReadOnlyList<AbCellResult> results, bool hasChart)
    {
        ArgumentNullException.ThrowIfNull(builds);
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# A/B: {builds.Ref} (A) against this tree (B)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Ratios are B/A per round (A and B interleaved), the median over the rounds, and its {options.ConfidenceLevel * 100:0.#}% bootstrap interval.");
        var compared = results.Count(result => result.Verdict is not (AbVerdict.New or AbVerdict.Removed));
        text.AppendLine(CultureInfo.InvariantCulture, $"A verdict other than ~ needs a two-sided Mann-Whitney p below {options.AlphaPerMetric(compared, 2):0.#####} ({options.Alpha:0.###} for the whole run, split over its {compared} compared cells and their two metrics; a cell without CPU figures gives throughput both shares) and a median ratio beyond {options.Threshold * 100:0.#}%.");
        text.AppendLine("msg/s: higher is better; CPU/msg (server CPU per message): lower is better.");
        text.AppendLine();
        text.Append(Table(results));
        var failures = Failures(results).ToList();
        if (failures.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Runs that did not complete:");
            text.AppendLine();
            failures.ForEach(failure => text.AppendLine(failure));
        }

        if (hasChart)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"![median ratio B/A per cell with its interval]({ChartFile})");
        }

        text.AppendLine();
        text.Append(Rounds(results));
        return text.ToString();
    }

    /// <summary>Every round's figures, in the order they ran, so that a verdict can be checked and the noise of a machine read.</summary>
    public static string Rounds(IEnumerable<AbCellResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine("## Rounds");
        text.AppendLine();
        text.AppendLine("| cell | round | A msg/s | B msg/s | A CPU µs/msg | B CPU µs/msg |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            for (var round = 0; round < result.Rounds; round++)
            {
                var (a, b) = (result.A[round], result.B[round]);
                text.AppendLine(CultureInfo.InvariantCulture, $"| {result.Cell} | {round + 1} | {Rate(a)} | {Rate(b)} | {Cpu(a)} | {Cpu(b)} |");
            }
        }

        return text.ToString();
    }

    private static string Rate(AbSample sample) => sample.Succeeded ? sample.MessagesPerSecond.ToString("0", CultureInfo.InvariantCulture) : "failed";

    private static string Cpu(AbSample sample) => sample is { Succeeded: true, ServerCpuSecondsPerMessage: { } seconds }
        ? (seconds * 1e6).ToString("0.000", CultureInfo.InvariantCulture)
        : "-";

    /// <summary>One line per failed run, naming its cell, round and side, so a failed verdict says what broke.</summary>
    public static IEnumerable<string> Failures(IEnumerable<AbCellResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var result in results)
        {
            foreach (var (side, samples) in new[] { (AbSide.A, result.A), (AbSide.B, result.B) })
            {
                for (var round = 0; round < samples.Count; round++)
                {
                    if (samples[round].Failure is { } failure)
                    {
                        yield return string.Create(CultureInfo.InvariantCulture, $"- {result.Cell}, round {round + 1}, {side}: {failure}");
                    }
                }
            }
        }
    }

    private static string Ratio(MetricComparison? metric) => metric is null
        ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{metric.MedianRatio:0.000} [{metric.LowerRatio:0.000}, {metric.UpperRatio:0.000}]");

    private static string PValue(MetricComparison? metric) => metric is null
        ? "-"
        : metric.PValue < 0.001 ? "<0.001" : metric.PValue.ToString("0.000", CultureInfo.InvariantCulture);
}
