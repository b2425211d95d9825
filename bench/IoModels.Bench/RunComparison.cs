using System.Globalization;
using System.Text;

namespace IoModels.Bench;

/// <summary>
/// Joins two runs on model × scenario and compares each model's ratio to <c>reference</c>, so that a
/// faster or slower machine cancels out. A ratio that fell by more than the threshold is a regression;
/// a correctness failure in the current run fails whatever the numbers say.
/// </summary>
internal sealed class RunComparison
{
    private RunComparison(IReadOnlyList<ComparisonRow> rows, IReadOnlyList<BenchCell> failures, double threshold)
    {
        Rows = rows;
        Failures = failures;
        Threshold = threshold;
    }

    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>Cells of the current run that failed correctness (mismatch, crash, server that did not start or stop).</summary>
    public IReadOnlyList<BenchCell> Failures { get; }

    /// <summary>The largest tolerated fall of a ratio, as a fraction (0.25 = 25 %).</summary>
    public double Threshold { get; }

    public IEnumerable<ComparisonRow> Regressions => Rows.Where(row => row.Change < -Threshold);

    public bool Passed => Failures.Count == 0 && !Regressions.Any();

    public static RunComparison Compare(BenchRun baseline, BenchRun current, double threshold)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var rows = new List<ComparisonRow>();
        foreach (string scenario in current.Scenarios)
        {
            foreach (var cell in current.InScenario(scenario).Where(cell => cell.Model != BenchRun.ReferenceModel))
            {
                var before = baseline.Find(scenario, cell.Model);
                double? baseRatio = before is null ? null : baseline.RatioToReference(before);
                double? ratio = current.RatioToReference(cell);
                if (baseRatio is null && ratio is null)
                {
                    continue; // in neither run something to compare: a model not built yet, a peer skipped in both
                }

                rows.Add(new ComparisonRow(scenario, cell.Model, baseRatio, ratio));
            }
        }

        var failures = current.Cells.Where(cell => cell.Status.IsFailure()).ToList();
        return new RunComparison(rows, failures, threshold);
    }

    /// <summary>One line for the log: how many cells were joined and what failed.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"compare: {Rows.Count} cells joined, {Regressions.Count()} regression(s), {Failures.Count} correctness failure(s)");

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Comparison with the baseline (ratio to `reference`; regression below {MetricFormat.Percent(-Threshold)})\n\n");
        text.Append("| scenario | model | baseline | current | change | |\n|---|---|--:|--:|--:|---|\n");
        foreach (var row in Rows)
        {
            string verdict = row.Change switch
            {
                null => row.Current is null ? "no result now" : "new",
                double change when change < -Threshold => "**regression**",
                double change when change > Threshold => "improved",
                _ => "",
            };
            text.Append(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Model} | {MetricFormat.Ratio(row.Baseline)} | {MetricFormat.Ratio(row.Current)} | ")
                .Append(row.Change is double value ? MetricFormat.Percent(value) : MetricFormat.None)
                .Append(CultureInfo.InvariantCulture, $" | {verdict} |\n");
        }

        text.Append('\n');
        foreach (var cell in Failures)
        {
            text.Append(CultureInfo.InvariantCulture, $"- **correctness failure**: `{cell.Model}` × `{cell.Scenario}`: {cell.Status.ToName()} {cell.Outcome.Detail}\n");
        }

        int regressions = Regressions.Count();
        text.Append(Passed
            ? "\n**Passed:** no ratio fell beyond the threshold and every cell that ran was correct.\n"
            : $"\n**Failed:** {regressions} regression(s), {Failures.Count} correctness failure(s).\n");
        return text.ToString();
    }
}
