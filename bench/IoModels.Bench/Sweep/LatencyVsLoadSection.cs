using System.Globalization;
using System.Text;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Sweep;

/// <summary>
/// The summary's part of a rate sweep: per model its knee, and its p50 / p99 at every offered rate. The steps are
/// the same absolute rates for every model, so a column compares the models at one load.
/// </summary>
internal static class LatencyVsLoadSection
{
    /// <summary>One step of the sweep: its percentage of the highest capacity, and the rate that was offered.</summary>
    public sealed record Step(double Percent, double? OfferedRate);

    /// <summary>The steps of the sweep in the run, lowest first.</summary>
    public static IReadOnlyList<Step> Steps(BenchRun run, ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(scenario);
        return InSweep(run, scenario)
            .GroupBy(cell => cell.Percent)
            .OrderBy(group => group.Key)
            .Select(group => new Step(group.Key, group.Select(cell => OfferedRate(cell.Cell)).FirstOrDefault(rate => rate is not null)))
            .ToList();
    }

    /// <summary>Each model's points, in the run's model order; a failed cell is a point that did not run.</summary>
    public static IReadOnlyList<(string Model, IReadOnlyList<SweepPoint> Points)> PointsByModel(BenchRun run, ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(scenario);
        var cells = InSweep(run, scenario).ToList();
        return run.Models
            .Select(model => (model, points: (IReadOnlyList<SweepPoint>)cells
                .Where(cell => cell.Cell.Model == model && OfferedRate(cell.Cell) is not null)
                .Select(cell => ToPoint(cell.Cell))
                .OrderBy(point => point.OfferedRate)
                .ToList()))
            .Where(pair => pair.points.Count > 0)
            .ToList();
    }

    public static void Write(StringBuilder text, BenchRun run, ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sweep = scenario?.RateSweep ?? throw new ArgumentException("not a rate sweep", nameof(scenario));
        var steps = Steps(run, scenario);
        var models = PointsByModel(run, scenario);
        if (steps.Count == 0 || models.Count == 0)
        {
            return;
        }

        string limit = MetricFormat.Micros(sweep.P99LimitMicros);
        string sustained = string.Create(CultureInfo.InvariantCulture, $"{sweep.SustainedFraction * 100:0}%");
        text.Append(CultureInfo.InvariantCulture, $"The knee is the highest offered rate up to which every step kept p99 at or under {limit} while echoing at least {sustained} of the rate offered. ")
            .Append("Each step offers every model the same rate, a share of the highest closed-loop capacity in the run. A cell is p50 / p99; ")
            .Append(CultureInfo.InvariantCulture, $"a share after it is the part of the offered rate echoed, when under {sustained}.\n\n");
        text.Append("| model | knee | first step past it |");
        foreach (var step in steps)
        {
            text.Append(CultureInfo.InvariantCulture, $" {step.Percent:0}% ({(step.OfferedRate is double rate ? MetricFormat.Rate(rate) + "/s" : MetricFormat.None)}) |");
        }

        text.Append("\n|---|--:|---|").Append(string.Concat(Enumerable.Repeat("--:|", steps.Count))).Append('\n');
        foreach (var (model, points) in models)
        {
            var knee = Knee.Find(points, sweep.P99LimitMicros, sweep.SustainedFraction);
            string kneeText = (knee.Rate, knee.Break) switch
            {
                (double rate, null) => $"≥ {MetricFormat.Rate(rate)}/s",
                (double rate, _) => $"{MetricFormat.Rate(rate)}/s",
                (null, { } broken) => $"< {MetricFormat.Rate(broken.OfferedRate)}/s",
                _ => MetricFormat.None,
            };
            string breakText = knee.Break is { } first ? $"{MetricFormat.Rate(first.OfferedRate)}/s: {knee.Reason}" : "none: every step held";
            text.Append(CultureInfo.InvariantCulture, $"| {model} | {kneeText} | {breakText} |");
            foreach (var step in steps)
            {
                var point = points.FirstOrDefault(point => point.OfferedRate == step.OfferedRate);
                text.Append(' ').Append(point is null ? MetricFormat.None : Describe(point, sweep.SustainedFraction)).Append(" |");
            }

            text.Append('\n');
        }

        text.Append('\n');
    }

    private static string Describe(SweepPoint point, double sustainedFraction)
    {
        if (!point.Ran)
        {
            return "failed";
        }

        string latency = $"{MetricFormat.Micros(point.P50Micros)} / {MetricFormat.Micros(point.P99Micros)}";
        return point.AchievedRate < point.OfferedRate * sustainedFraction
            ? string.Create(CultureInfo.InvariantCulture, $"{latency} ({point.AchievedRate / point.OfferedRate * 100:0}%)")
            : latency;
    }

    private static SweepPoint ToPoint(BenchCell cell) => new(
        OfferedRate(cell)!.Value,
        cell.Report?.MessagesPerSecond ?? 0,
        cell.Report?.P50Micros,
        cell.Report?.P99Micros,
        cell.Status == CellStatus.Ok && cell.Report is not null);

    /// <summary>The rate the cell was offered: the runner's record, else the report's own configuration.</summary>
    private static double? OfferedRate(BenchCell cell) => cell.Outcome.OfferedRate is long rate ? rate : cell.Report?.Rate;

    private static IEnumerable<(BenchCell Cell, double Percent)> InSweep(BenchRun run, ScenarioDefinition scenario) => run.Cells
        .Where(cell => cell.Outcome.Family == scenario.Name && cell.Status is not (CellStatus.NotAvailable or CellStatus.Skipped))
        .Select(cell => (cell, percent: double.TryParse(cell.Outcome.Variant, NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) ? percent : double.NaN))
        .Where(pair => !double.IsNaN(pair.percent));
}
