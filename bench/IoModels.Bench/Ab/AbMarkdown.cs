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
        text.AppendLine(CultureInfo.InvariantCulture, $"A verdict other than ~ needs a two-sided Mann-Whitney p below {options.Alpha:0.###} (split over the metrics a cell has) and a median ratio beyond {options.Threshold * 100:0.#}%.");
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

        return text.ToString();
    }

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
