using System.Globalization;
using System.Text;

namespace IoModels.BenchReport;

/// <summary>
/// The one comparison inside a scenario family that its claim is about, as a small table: how much
/// throughput each model keeps as idle connections are added, and what Nagle costs each model.
/// </summary>
internal static class ScenarioFindings
{
    public static void Write(StringBuilder text, BenchRun run, string family)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(run);
        switch (family)
        {
            case "idle-scale":
                WriteIdleScale(text, run);
                break;
            case "nagle":
                WriteNagle(text, run);
                break;
        }
    }

    private static void WriteIdleScale(StringBuilder text, BenchRun run)
    {
        var steps = run.Cells
            .Where(cell => cell.Outcome.Family == "idle-scale")
            .Select(cell => (cell.Scenario, Idle: double.TryParse(cell.Outcome.Variant, NumberStyles.Float, CultureInfo.InvariantCulture, out double idle) ? idle : double.NaN))
            .Where(step => !double.IsNaN(step.Idle))
            .Distinct()
            .OrderBy(step => step.Idle)
            .ToList();
        if (steps.Count < 2)
        {
            return;
        }

        var (fewest, most) = (steps[0], steps[^1]);
        text.Append(CultureInfo.InvariantCulture, $"| model | msg/s beside {fewest.Idle:N0} idle | beside {most.Idle:N0} idle | kept |\n|---|--:|--:|--:|\n");
        foreach (string model in run.Models)
        {
            if (Throughput(run, fewest.Scenario, model) is double before && Throughput(run, most.Scenario, model) is double after)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {model} | {MetricFormat.Rate(before)} | {MetricFormat.Rate(after)} | {after / before * 100:0}% |\n");
            }
        }

        text.Append('\n');
    }

    private static void WriteNagle(StringBuilder text, BenchRun run)
    {
        const string Off = "nagle-nodelay-off";
        const string On = "nagle-nodelay-on";
        var rows = run.Models
            .Select(model => (model, off: Ok(run.Find(Off, model)), on: Ok(run.Find(On, model))))
            .Where(row => row.off is not null && row.on is not null)
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        text.Append("| model | p50 with Nagle (no-delay off) | p50 with no-delay on | msg/s off | msg/s on |\n|---|--:|--:|--:|--:|\n");
        foreach (var (model, off, on) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {model} | {MetricFormat.Micros(off!.P50Micros)} | {MetricFormat.Micros(on!.P50Micros)} | {MetricFormat.Rate(off.MessagesPerSecond)} | {MetricFormat.Rate(on.MessagesPerSecond)} |\n");
        }

        text.Append('\n');
    }

    private static double? Throughput(BenchRun run, string scenario, string model) =>
        Ok(run.Find(scenario, model)) is { MessagesPerSecond: > 0 } report ? report.MessagesPerSecond : null;

    private static LoadReport? Ok(BenchCell? cell) => cell is { Status: CellStatus.Ok } ? cell.Report : null;
}
