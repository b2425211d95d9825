using System.Globalization;
using System.Text;
using System.Text.Json;
using IoModels.Bench.Scenarios;
using IoModels.Bench.Sweep;

namespace IoModels.Bench;

/// <summary>Writes <c>summary.md</c> and its charts for one run: per scenario, one table of models and the pictures of it.</summary>
internal static class SummaryWriter
{
    public const string SummaryFile = "summary.md";

    /// <summary>Writes the summary and charts into the run's folder and returns the summary's text.</summary>
    public static string Write(BenchRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var charts = new ChartRenderer(run, run.Directory);
        var text = new StringBuilder();
        WriteHeader(text, run);
        WriteCorrectness(text, run);
        if (charts.RenderRatios() is { } ratioChart)
        {
            text.Append(CultureInfo.InvariantCulture, $"![ratio to reference per scenario]({ratioChart})\n\n");
        }

        foreach (var family in run.Scenarios.GroupBy(scenario => run.InScenario(scenario).First().Outcome.Family))
        {
            // A family the scenario file no longer has (an older run) is still shown, with its name for a title.
            var info = run.Catalog.Find(family.Key) ?? new ScenarioDefinition(family.Key, family.Key, "", [], [], ScoreMetric.Throughput, [ChartKind.Throughput, ChartKind.Latency]);
            text.Append(CultureInfo.InvariantCulture, $"## {info.Title} (`{family.Key}`)\n\n");
            if (info.Claim.Length > 0)
            {
                text.Append(info.Claim).Append("\n\n");
            }

            if (info.Charts.Contains(ChartKind.VariantLines) && charts.RenderVariantLines(info) is { } linesChart)
            {
                text.Append(CultureInfo.InvariantCulture, $"![{family.Key} lines]({linesChart})\n\n");
            }

            ScenarioFindings.Write(text, run, info);
            if (info.Charts.Contains(ChartKind.Loss) && charts.RenderLoss(info) is { } lossChart)
            {
                text.Append(CultureInfo.InvariantCulture, $"![{family.Key} loss]({lossChart})\n\n");
            }

            if (info.RateSweep is not null)
            {
                // The sweep's own table compares the steps side by side; a table per step would repeat it seven times.
                if (info.Charts.Contains(ChartKind.LatencyVsLoad) && charts.RenderLatencyVsLoad(info) is { } sweepChart)
                {
                    text.Append(CultureInfo.InvariantCulture, $"![{family.Key} latency against load]({sweepChart})\n\n");
                }

                LatencyVsLoadSection.Write(text, run, info);
                continue;
            }

            foreach (string scenario in family)
            {
                WriteScenario(text, run, scenario, info, charts);
            }
        }

        string summary = text.ToString();
        File.WriteAllText(Path.Combine(run.Directory, SummaryFile), summary);
        return summary;
    }

    /// <summary>The one figure a scenario adds to the common columns: the offered rate of an open loop, the TIME_WAIT short connections leave.</summary>
    private static (string? Header, Func<LoadReport, string> Value) ExtraColumn(ScenarioDefinition info) => info.Column switch
    {
        ScenarioColumn.OfferedRate => ("offered msg/s", report => report.Rate is double rate ? MetricFormat.Rate(rate) : MetricFormat.None),
        ScenarioColumn.TimeWait => ("TIME_WAIT at end", report => MetricFormat.Count(report.TimeWait)),
        _ => (null, _ => ""),
    };

    private static void WriteHeader(StringBuilder text, BenchRun run)
    {
        var manifest = run.Manifest;
        text.Append(CultureInfo.InvariantCulture, $"# IoModels bench run `{Path.GetFileName(Path.TrimEndingDirectorySeparator(run.Directory))}`\n\n");
        text.Append("| | |\n|---|---|\n");
        Row("started / finished", $"{Field("startedAt")} / {Field("finishedAt")}");
        Row("commit", Field("commit") + (JsonPath.GetString(manifest, "dirty") == "true" ? " (with uncommitted changes)" : ""));
        Row("kernel", Field("host.kernel"));
        Row("CPU", $"{Field("host.cpuModel")}, {Field("host.cores")} cores");
        Row(".NET SDK", Field("dotnetSdk"));
        Row("placement", Field("placement.description"));
        if (JsonPath.Find(manifest, "options") is { ValueKind: JsonValueKind.Object } options)
        {
            Row("options", string.Join(", ", options.EnumerateObject().Select(option => $"{option.Name}={(option.Value.ValueKind == JsonValueKind.String ? option.Value.GetString() : option.Value.GetRawText())}")));
        }

        text.Append('\n');

        string Field(string path) => manifest.ValueKind == JsonValueKind.Object ? JsonPath.GetString(manifest, path) ?? MetricFormat.None : MetricFormat.None;

        void Row(string name, string value) => text.Append(CultureInfo.InvariantCulture, $"| {name} | {value} |\n");
    }

    private static void WriteCorrectness(StringBuilder text, BenchRun run)
    {
        var failures = run.Cells.Where(cell => cell.Status.IsFailure()).ToList();
        var absent = run.Cells.Where(cell => cell.Status is CellStatus.NotAvailable or CellStatus.Skipped).ToList();
        text.Append(failures.Count == 0
            ? $"**Correctness:** every echo of the {run.Cells.Count(cell => cell.Status == CellStatus.Ok)} cells that ran was verified; no server crashed.\n\n"
            : $"**Correctness: {failures.Count} failed cell(s).**\n\n");
        foreach (var cell in failures)
        {
            text.Append(CultureInfo.InvariantCulture, $"- `{cell.Model}` × `{cell.Scenario}`: **{cell.Status.ToName()}** {cell.Outcome.Detail}\n");
        }

        foreach (var model in absent.GroupBy(cell => (cell.Model, cell.Status, cell.Outcome.Detail)))
        {
            // A model absent from some cells only (a scenario option it does not offer) names those cells.
            string where = model.Count() == run.Cells.Count(cell => cell.Model == model.Key.Model)
                ? ""
                : " in " + string.Join(", ", model.Select(cell => $"`{cell.Scenario}`"));
            text.Append(CultureInfo.InvariantCulture, $"- `{model.Key.Model}`{where}: {model.Key.Status.ToName()} ({model.Key.Detail})\n");
        }

        if (failures.Count + absent.Count > 0)
        {
            text.Append('\n');
        }

        var findings = run.Cells.Where(cell => cell.Status is CellStatus.Refused or CellStatus.Overloaded).ToList();
        if (findings.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"**Findings, not failures:** {findings.Count} cell(s) where a model refused, as designed, the connections whose descriptor it cannot watch (`refused`), ")
                .Append("or a server was overwhelmed as the scenario's claim says (`overloaded`: echoes timed out or connects failed, every echo that came back verified).\n\n");
            foreach (var cell in findings)
            {
                text.Append(CultureInfo.InvariantCulture, $"- `{cell.Model}` × `{cell.Scenario}`: {cell.Status.ToName()}: {cell.Outcome.Detail}\n");
            }

            text.Append('\n');
        }

        text.Append("Ratios divide each model's score by `reference`'s (the C epoll server) in the same scenario of the same run: ")
            .Append("messages per second for closed loops, the inverse of p99 latency for the open loop. Above 1 beats the C server.\n\n");
    }

    private static void WriteScenario(StringBuilder text, BenchRun run, string scenario, ScenarioDefinition info, ChartRenderer charts)
    {
        // Models that did not run here (not built yet, tool missing) are listed once at the top, not in every table.
        var cells = run.InScenario(scenario).Where(cell => cell.Status is not (CellStatus.NotAvailable or CellStatus.Skipped)).ToList();
        if (cells.Count == 0)
        {
            return;
        }

        if (cells[0].Outcome.Variant is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"### `{scenario}`\n\n");
        }

        var (extraHeader, extraValue) = ExtraColumn(info);
        text.Append("| model | status | msg/s | MiB/s | p50 | p99 | p99.9 | max | CPU s / M msg | RSS MiB | threads |")
            .Append(extraHeader is null ? "" : $" {extraHeader} |")
            .Append(" × reference |\n");
        text.Append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|").Append(extraHeader is null ? "" : "--:|").Append("--:|\n");
        foreach (var cell in cells)
        {
            var report = cell.Report;
            string status = cell.Status switch
            {
                CellStatus.Ok => "ok",
                CellStatus.Refused => $"refused {MetricFormat.Thousands(cell.Outcome.Refused)}",
                CellStatus.Overloaded => "overloaded",
                _ => $"**{cell.Status.ToName()}**",
            };
            if (report is null)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {cell.Model} | {status} |").Append(string.Concat(Enumerable.Repeat(" – |", extraHeader is null ? 10 : 11))).Append('\n');
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"| {cell.Model} | {status} | {MetricFormat.Rate(report.MessagesPerSecond)} | {MetricFormat.Bandwidth(report.BytesPerSecond)} ")
                .Append(CultureInfo.InvariantCulture, $"| {MetricFormat.Micros(report.P50Micros)} | {MetricFormat.Micros(report.P99Micros)} | {MetricFormat.Micros(report.P999Micros)} | {MetricFormat.Micros(report.MaxMicros)} ")
                .Append(CultureInfo.InvariantCulture, $"| {MetricFormat.Seconds(report.CpuSecondsPerMillionMessages)} | {MetricFormat.Mebibytes(report.ServerPeakRssBytes)} | {MetricFormat.Count(report.ServerThreads)} |")
                .Append(extraHeader is null ? "" : $" {extraValue(report)} |")
                .Append(CultureInfo.InvariantCulture, $" {MetricFormat.Ratio(run.RatioToReference(cell))} |\n");
        }

        text.Append('\n');
        var pictures = info.Charts
            .Select(chart => chart switch
            {
                ChartKind.Throughput => charts.RenderThroughput(scenario, bandwidth: false),
                ChartKind.Bandwidth => charts.RenderThroughput(scenario, bandwidth: true),
                ChartKind.Latency => charts.RenderLatency(scenario),
                _ => null,
            })
            .Append(charts.RenderOverTime(scenario))
            .OfType<string>()
            .ToList();
        foreach (string picture in pictures)
        {
            text.Append(CultureInfo.InvariantCulture, $"![{picture}]({picture}) ");
        }

        if (pictures.Count > 0)
        {
            text.Append("\n\n");
        }
    }
}
