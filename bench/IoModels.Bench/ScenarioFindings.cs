using System.Globalization;
using System.Text;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench;

/// <summary>
/// The one comparison inside a scenario that its claim is about, as a small table (the scenario file's
/// <c>table</c>): how much throughput each model keeps from the lowest to the highest variant, or two
/// variants side by side.
/// </summary>
internal static class ScenarioFindings
{
    public static void Write(StringBuilder text, BenchRun run, ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(scenario);
        switch (scenario.Table)
        {
            case ScenarioTable.KeptAcrossVariants:
                WriteKept(text, run, scenario);
                break;
            case ScenarioTable.VariantsSideBySide:
                WriteSideBySide(text, run, scenario);
                break;
            case ScenarioTable.ConnectLatency:
                WriteConnectLatency(text, run, scenario);
                break;
            case ScenarioTable.TimeWaitBySide:
                WriteTimeWaitBySide(text, run, scenario);
                break;
            case ScenarioTable.FramingCost:
                WriteFramingCost(text, run, scenario);
                break;
            case ScenarioTable.IdleCloses:
                WriteIdleCloses(text, run, scenario);
                break;
            case ScenarioTable.DatagramFate:
                WriteDatagramFate(text, run, scenario);
                break;
        }
    }

    /// <summary>The cells of a scenario whose variant is a number, ordered by it.</summary>
    public static List<(string Scenario, double Value)> NumericSteps(BenchRun run, string family)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Cells
            .Where(cell => cell.Outcome.Family == family)
            .Select(cell => (cell.Scenario, Value: double.TryParse(cell.Outcome.Variant, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN))
            .Where(step => !double.IsNaN(step.Value))
            .Distinct()
            .OrderBy(step => step.Value)
            .ToList();
    }

    private static void WriteKept(StringBuilder text, BenchRun run, ScenarioDefinition scenario)
    {
        var steps = NumericSteps(run, scenario.Name);
        if (steps.Count < 2)
        {
            return;
        }

        string axis = scenario.VariantAxis ?? "variant";
        var (fewest, most) = (steps[0], steps[^1]);
        text.Append(CultureInfo.InvariantCulture, $"| model | msg/s at {fewest.Value:N0} {axis} | at {most.Value:N0} {axis} | kept |\n|---|--:|--:|--:|\n");
        foreach (string model in run.Models)
        {
            if (Throughput(run, fewest.Scenario, model) is double before && Throughput(run, most.Scenario, model) is double after)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {model} | {MetricFormat.Rate(before)} | {MetricFormat.Rate(after)} | {after / before * 100:0}% |\n");
            }
        }

        text.Append('\n');
    }

    private static void WriteSideBySide(StringBuilder text, BenchRun run, ScenarioDefinition scenario)
    {
        var (first, second) = (scenario.Variants[0], scenario.Variants[1]);
        string firstCell = scenario.CellName(first);
        string secondCell = scenario.CellName(second);
        var rows = run.Models
            .Select(model => (model, a: Ok(run.Find(firstCell, model)), b: Ok(run.Find(secondCell, model))))
            .Where(row => row.a is not null && row.b is not null)
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"| model | p50 with {first.DisplayLabel} | p50 with {second.DisplayLabel} | msg/s with {first.DisplayLabel} | msg/s with {second.DisplayLabel} |\n|---|--:|--:|--:|--:|\n");
        foreach (var (model, a, b) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {model} | {MetricFormat.Micros(a!.P50Micros)} | {MetricFormat.Micros(b!.P50Micros)} | {MetricFormat.Rate(a.MessagesPerSecond)} | {MetricFormat.Rate(b.MessagesPerSecond)} |\n");
        }

        text.Append('\n');
    }

    private static void WriteConnectLatency(StringBuilder text, BenchRun run, ScenarioDefinition scenario)
    {
        string axis = scenario.VariantAxis ?? "variant";
        string cap = run.Manifest.ValueKind == System.Text.Json.JsonValueKind.Object && JsonPath.GetString(run.Manifest, "host.somaxconn") is { } somaxconn
            ? $"net.core.somaxconn on this host is {somaxconn}: the kernel caps every backlog at it. "
            : "";
        WriteVariantTable(
            text,
            run,
            scenario,
            cap + "A connect is timed from the SYN to the completed handshake; a SYN that met a full accept queue is dropped and sent again about 1 s later, "
                + "so a p99 or max near 1 s (or 3 s, 7 s: the next retransmissions) is the queue overflowing. Each cell is connect p50 / p99 / max, then the connects that failed.",
            variant => $"{axis} {variant.DisplayLabel}",
            report => $"{MetricFormat.Micros(report.ConnectP50Micros)} / {MetricFormat.Micros(report.ConnectP99Micros)} / {MetricFormat.Micros(report.ConnectMaxMicros)}, {MetricFormat.Thousands(report.FailedConnections)} failed");
    }

    private static void WriteTimeWaitBySide(StringBuilder text, BenchRun run, ScenarioDefinition scenario) =>
        WriteVariantTable(
            text,
            run,
            scenario,
            "The side that closes first sits in TIME_WAIT (60 s on Linux). Each cell is the TIME_WAIT sockets counted when the run ended "
                + "on the server's side (local port the server's) / on the client's side (remote port the server's), then the TIME_WAIT "
                + "sockets new connects took over during the run (the kernel's TcpExt TWRecycled; with `net.ipv4.tcp_tw_reuse`, a client that "
                + "has used up its ports takes over its own TIME_WAIT older than a second, so those are the client's closes the census no longer sees). "
                + "A cell whose closes found the TIME_WAIT table full (`net.ipv4.tcp_max_tw_buckets`) says how many got none.",
            variant => $"{variant.DisplayLabel}: server / client, recycled",
            report => $"{MetricFormat.Thousands(report.ServerTimeWait)} / {MetricFormat.Thousands(report.ClientTimeWait)}, {MetricFormat.Thousands(report.TimeWaitRecycled)}"
                + (report.TimeWaitOverflowed is > 0 ? $" ({MetricFormat.Thousands(report.TimeWaitOverflowed)} got no TIME_WAIT: table full)" : ""));

    private static void WriteFramingCost(StringBuilder text, BenchRun run, ScenarioDefinition scenario) =>
        WriteVariantTable(
            text,
            run,
            scenario,
            "TCP delivers bytes, not messages, so the protocol marks where each one ends. A length prefix says so before the payload "
                + "arrives; a delimiter is found only by looking at every byte received (and must never occur inside a message: the load "
                + "generator's line payloads hold no `\\n`). Each cell is msg/s, then the server's CPU seconds per million echoes.",
            variant => $"{variant.DisplayLabel}: msg/s, CPU s / M msg",
            report => $"{MetricFormat.Rate(report.MessagesPerSecond)}, {MetricFormat.Seconds(report.CpuSecondsPerMillionMessages)}");

    private static void WriteIdleCloses(StringBuilder text, BenchRun run, ScenarioDefinition scenario) =>
        WriteVariantTable(
            text,
            run,
            scenario,
            "The idle connections connect and then send nothing (with `--idle-partial`, half a message first). Each cell is the idle connections the server closed of those opened, the "
                + "active ones it closed, then the server's RSS at the end of the measured phase and its peak in it (MiB). "
                + "A close of an idle connection is no error to the load generator (exit 0): a server may close a peer that says nothing.",
            variant => $"{variant.DisplayLabel}: idle closed, active closed, RSS end / peak",
            report => $"{MetricFormat.Thousands(report.IdleClosedByPeer)} of {MetricFormat.Thousands(report.IdleConnections)}, "
                + $"{MetricFormat.Thousands(report.ActiveClosedByPeer)}, {MetricFormat.Mebibytes(report.ServerRssAtEndBytes)} / {MetricFormat.Mebibytes(report.ServerPeakRssBytes)}");

    /// <summary>
    /// A table of a model per row and a variant per column, each cell the <paramref name="figures"/> of its report (with
    /// its status when that is not a plain ok), after the <paramref name="intro"/>; nothing when no cell has a report.
    /// </summary>
    private static void WriteVariantTable(
        StringBuilder text,
        BenchRun run,
        ScenarioDefinition scenario,
        string intro,
        Func<ScenarioVariant, string> columnHeader,
        Func<LoadReport, string> figures)
    {
        var variants = scenario.Variants.Where(variant => run.InScenario(scenario.CellName(variant)).Any()).ToList();
        var rows = run.Models
            .Select(model => (model, cells: variants.Select(variant => run.Find(scenario.CellName(variant), model)).ToList()))
            .Where(row => row.cells.Any(cell => cell?.Report is not null))
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        text.Append(intro).Append("\n\n");
        text.Append("| model |").Append(string.Concat(variants.Select(variant => $" {columnHeader(variant)} |"))).Append('\n');
        text.Append("|---|").Append(string.Concat(variants.Select(_ => "--:|"))).Append('\n');
        foreach (var (model, cells) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {model} |");
            foreach (var cell in cells)
            {
                text.Append(' ').Append(cell?.Report is { } report
                    ? figures(report) + (cell.Status.HasFigures() ? "" : $" ({cell.Status.ToName()})")
                    : cell is null ? MetricFormat.None : cell.Status.ToName()).Append(" |");
            }

            text.Append('\n');
        }

        text.Append('\n');
    }

    private static void WriteDatagramFate(StringBuilder text, BenchRun run, ScenarioDefinition scenario)
    {
        var cellNames = (scenario.Variants.Count == 0 ? [scenario.Name] : scenario.Variants.Select(scenario.CellName))
            .Where(name => run.InScenario(name).Any())
            .ToList();
        var rows = run.Models
            .SelectMany(model => cellNames.Select(name => (model, name, cell: run.Find(name, model))))
            .Where(row => row.cell?.Report is not null)
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        text.Append("What became of the messages. `offered` is the open loop's rate and `sent/s` the datagrams the load generator sent per second of the measured phase, ")
            .Append("short of `offered` when the load generator itself could not keep up. ")
            .Append("Over UDP a datagram with no echo within the load generator's `--timeout` is lost (a finding, exit 0), ")
            .Append("`cut` counts echoes longer than the client's `--udp-receive-buffer`, and `rcvbuf drops` is the kernel's `RcvbufErrors` over the run ")
            .Append("(every UDP socket of the machine or namespace: a full receive buffer dropped the datagram). `at server` and `at client` say where: ")
            .Append("datagrams sent that the server's socket never received, and echoes the server sent that the load generator's sockets never received, ")
            .Append("from the kernel's `InDatagrams` and `OutDatagrams` less the load generator's own counts (an estimate: those counters see every UDP socket). Over TCP nothing is lost: ")
            .Append("an echo that is late counts as a timeout (`lost` there), and the cost shows in the latency instead.\n\n");
        text.Append("| model | cell | transport | offered | sent/s | msg/s | loss % | lost | cut | rcvbuf drops | at server | at client | p50 | p99 |\n|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var (model, name, cell) in rows)
        {
            var report = cell!.Report!;
            string status = cell.Status.HasFigures() ? "" : $" ({cell.Status.ToName()})";
            string offered = report.Rate is double rate ? MetricFormat.Rate(rate) : MetricFormat.None;
            string fate = report.Udp is { } udp
                ? $"udp | {offered} | {(report.DurationSeconds > 0 ? MetricFormat.Rate(udp.Sent / report.DurationSeconds) : MetricFormat.None)} | {MetricFormat.Rate(report.MessagesPerSecond)} | {udp.LossPercent.ToString("0.###", CultureInfo.InvariantCulture)} | {MetricFormat.Thousands(udp.Lost)} | {MetricFormat.Thousands(udp.ClientTruncated)} | {MetricFormat.Thousands(udp.RcvbufErrors)} | {MetricFormat.Thousands(udp.DroppedBeforeServer)} | {MetricFormat.Thousands(udp.DroppedBeforeClient)}"
                : $"tcp | {offered} | {MetricFormat.None} | {MetricFormat.Rate(report.MessagesPerSecond)} | {MetricFormat.None} | {MetricFormat.Thousands(report.Timeouts)} | {MetricFormat.None} | {MetricFormat.None} | {MetricFormat.None} | {MetricFormat.None}";
            text.Append(CultureInfo.InvariantCulture, $"| {model} | {name}{status} | {fate} | {MetricFormat.Micros(report.P50Micros)} | {MetricFormat.Micros(report.P99Micros)} |\n");
        }

        text.Append('\n');
    }

    private static double? Throughput(BenchRun run, string scenario, string model) =>
        Ok(run.Find(scenario, model)) is { MessagesPerSecond: > 0 } report ? report.MessagesPerSecond : null;

    private static LoadReport? Ok(BenchCell? cell) => cell is { Status: CellStatus.Ok } ? cell.Report : null;
}
