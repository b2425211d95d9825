using System.Globalization;
using IoModels.Bench.Scenarios;
using IoModels.Bench.Sweep;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace IoModels.Bench;

/// <summary>
/// Draws a run's charts with ScottPlot into PNG files next to <c>summary.md</c>. Each model keeps one
/// colour across every chart (its place in the run), so a reader can follow it from picture to picture.
/// </summary>
internal sealed class ChartRenderer
{
    private const int Width = 900;
    private const int Height = 480;

    private static readonly double[] s_percentileTicks = [50, 90, 99, 99.9, 99.99, 99.999];

    private readonly BenchRun _run;
    private readonly string _outputDirectory;
    private readonly ScottPlot.Palettes.Category20 _palette = new();

    public ChartRenderer(BenchRun run, string outputDirectory)
    {
        _run = run;
        _outputDirectory = outputDirectory;
    }

    /// <summary>Bars of throughput (or of bandwidth) per model in one cell. Returns the file name, or null when no model ran.</summary>
    public string? RenderThroughput(string scenario, bool bandwidth)
    {
        var cells = _run.InScenario(scenario).Where(cell => cell.Status.HasFigures() && cell.Report is not null).ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (int i = 0; i < cells.Count; i++)
        {
            var report = cells[i].Report!;
            double value = bandwidth ? report.BytesPerSecond / (1024 * 1024) : report.MessagesPerSecond;
            bars.Add(new Bar
            {
                Position = i,
                Value = value,
                FillColor = ColorOf(cells[i].Model),
                Label = bandwidth ? MetricFormat.Bandwidth(report.BytesPerSecond) : MetricFormat.Rate(value),
                CenterLabel = true,
            });
            ticks.Add(new Tick(i, cells[i].Model));
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"{scenario}: throughput");
        plot.YLabel(bandwidth ? "MiB/s echoed" : "messages/s echoed");
        return Save(plot, $"chart-throughput-{scenario}.png");
    }

    /// <summary>Latency percentile curves of every model in one scenario, both axes logarithmic.</summary>
    public string? RenderLatency(string scenario)
    {
        var cells = _run.InScenario(scenario).Where(cell => cell.Status.HasFigures() && cell.Latency.Count > 0).ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        foreach (var cell in cells)
        {
            // 100% has no place on a 1/(1-p) axis; the curve ends at the highest finite percentile.
            var points = cell.Latency.Where(point => point.Percentile < 100 && point.Micros > 0).ToList();
            var line = plot.Add.ScatterLine(
                points.Select(point => PercentileAxis(point.Percentile)).ToArray(),
                points.Select(point => Math.Log10(point.Micros)).ToArray());
            line.LegendText = cell.Model;
            line.Color = ColorOf(cell.Model);
            line.LineWidth = 2;
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(
            s_percentileTicks.Select(p => new Tick(PercentileAxis(p), p.ToString("0.###", CultureInfo.InvariantCulture) + "%")).ToArray());
        plot.Axes.Left.TickGenerator = LogTicks(MetricFormat.Micros);
        plot.Title($"{scenario}: latency by percentile");
        plot.XLabel("percentile");
        plot.YLabel("round trip");
        plot.ShowLegend(Alignment.UpperLeft);
        return Save(plot, $"chart-latency-{scenario}.png");
    }

    /// <summary>Throughput against a scenario's numeric variant (idle connections beside the active ones), one line per model.</summary>
    public string? RenderVariantLines(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var cells = _run.Cells
            .Where(cell => cell.Outcome.Family == scenario.Name && cell.Status.HasFigures() && cell.Report is not null)
            .Select(cell => (cell, idle: double.TryParse(cell.Outcome.Variant, NumberStyles.Float, CultureInfo.InvariantCulture, out double idle) ? idle : double.NaN))
            .Where(pair => !double.IsNaN(pair.idle))
            .ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        foreach (var group in cells.GroupBy(pair => pair.cell.Model).OrderBy(group => ModelIndex(group.Key)))
        {
            var ordered = group.OrderBy(pair => pair.idle).ToList();
            var line = plot.Add.Scatter(
                ordered.Select(pair => pair.idle).ToArray(),
                ordered.Select(pair => pair.cell.Report!.MessagesPerSecond).ToArray());
            line.LegendText = group.Key;
            line.Color = ColorOf(group.Key);
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(
            cells.Select(pair => pair.idle).Distinct().Order().Select(idle => new Tick(idle, idle.ToString("N0", CultureInfo.InvariantCulture))).ToArray());
        // Throughput falling towards zero is the finding: keep zero on the axis so the fall reads true.
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top);
        plot.Title($"{scenario.Name}: {scenario.Title}");
        plot.XLabel(scenario.VariantAxis ?? "variant");
        plot.YLabel("messages/s echoed");
        plot.ShowLegend(Edge.Right);
        return Save(plot, $"chart-{scenario.Name}.png");
    }

    /// <summary>
    /// UDP loss percent of every model in each cell of a scenario (its variants side by side), one bar per model in the
    /// model's colour, labelled with the percentage. TCP cells lose nothing by design and have no bar; null when no cell
    /// of the scenario ran over UDP.
    /// </summary>
    public string? RenderLoss(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var cellNames = (scenario.Variants.Count == 0 ? [scenario.Name] : scenario.Variants.Select(scenario.CellName))
            .Where(name => _run.InScenario(name).Any(cell => cell.Status.HasFigures() && cell.Report?.Udp is not null))
            .ToList();
        if (cellNames.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        var bars = new List<Bar>();
        var drawn = new SortedSet<int>();
        double groupWidth = _run.Models.Count + 1;
        for (int c = 0; c < cellNames.Count; c++)
        {
            for (int m = 0; m < _run.Models.Count; m++)
            {
                if (_run.Find(cellNames[c], _run.Models[m]) is { Report.Udp: { } udp } cell && cell.Status.HasFigures())
                {
                    bars.Add(new Bar
                    {
                        Position = (c * groupWidth) + m,
                        Value = udp.LossPercent,
                        FillColor = ColorOf(cell.Model),
                        Label = udp.LossPercent.ToString("0.##", CultureInfo.InvariantCulture) + "%",
                    });
                    drawn.Add(m);
                }
            }
        }

        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new NumericManual(
            cellNames.Select((name, c) => new Tick((c * groupWidth) + ((_run.Models.Count - 1) / 2.0), name)).ToArray());
        // Loss near zero is the common case: keep zero at the bottom, and some room above so a 0% bar still reads as one.
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, Math.Max(1, bars.Max(bar => bar.Value) * 1.2));
        plot.Legend.ManualItems.AddRange(drawn.Select(m => new LegendItem { LabelText = _run.Models[m], FillColor = ColorOf(_run.Models[m]) }));
        plot.ShowLegend(Edge.Right);
        plot.Title($"{scenario.Name}: datagrams lost (no echo within the load generator's --timeout)");
        plot.YLabel("loss % of datagrams sent");
        return Save(plot, $"chart-loss-{scenario.Name}.png", width: Math.Max(Width, 220 * cellNames.Count));
    }

    /// <summary>
    /// Throughput (top) and p99 (bottom, logarithmic) per interval of the measured phase, one line per model, for
    /// the cells of a scenario whose reports carry <c>intervals</c>: a stall or a warm-up shows as a dip or a spike
    /// that the whole-run figures average away. Null when no cell has intervals.
    /// </summary>
    public string? RenderOverTime(string scenario)
    {
        var cells = _run.InScenario(scenario)
            .Where(cell => cell.Report is { Intervals.Count: > 0 } && cell.Status is not (CellStatus.NotAvailable or CellStatus.Skipped))
            .ToList();
        if (cells.Count == 0)
        {
            return null;
        }

        var throughput = new Plot();
        var tail = new Plot();
        foreach (var cell in cells)
        {
            var intervals = cell.Report!.Intervals;
            double[] starts = intervals.Select(interval => interval.Start).ToArray();
            var rate = throughput.Add.Scatter(starts, intervals.Select(interval => interval.MessagesPerSecond).ToArray());
            rate.LegendText = cell.Model;
            rate.Color = ColorOf(cell.Model);
            rate.LineWidth = 2;
            rate.MarkerSize = 4;

            // An interval with no echo has no latency: it is a gap in the p99 line, and the zero above says why.
            var measured = intervals.Where(interval => interval.Messages > 0 && interval.P99Micros > 0).ToList();
            if (measured.Count > 0)
            {
                var p99 = tail.Add.Scatter(measured.Select(interval => interval.Start).ToArray(), measured.Select(interval => Math.Log10(interval.P99Micros)).ToArray());
                p99.Color = ColorOf(cell.Model);
                p99.LineWidth = 2;
                p99.MarkerSize = 4;
            }
        }

        throughput.Title($"{scenario}: throughput and p99 per interval of the measured phase");
        throughput.YLabel("messages/s echoed");
        throughput.Axes.AutoScale();
        throughput.Axes.SetLimitsY(0, throughput.Axes.GetLimits().Top);
        throughput.ShowLegend(Edge.Right);
        tail.YLabel("p99 round trip");
        tail.XLabel("seconds into the measured phase (each point starts an interval)");
        tail.Axes.Left.TickGenerator = LogTicks(MetricFormat.Micros);

        // The same right margin in both panels keeps their time axes aligned under the top panel's legend.
        tail.Layout.Fixed(new PixelPadding(90, 150, 50, 10));
        throughput.Layout.Fixed(new PixelPadding(90, 150, 50, 40));
        var both = new Multiplot();
        both.Reset(throughput);
        both.AddPlot(tail);
        string fileName = $"chart-over-time-{scenario}.png";
        both.SavePng(Path.Combine(_outputDirectory, fileName), Width + 150, Height + 240);
        return fileName;
    }

    /// <summary>
    /// A rate sweep: p99 (solid) and p50 (dashed) against the offered rate, one colour per model, the latency axis
    /// logarithmic so the floor and the climb past the knee both read; the knee's p99 limit is a grey line.
    /// </summary>
    public string? RenderLatencyVsLoad(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var models = LatencyVsLoadSection.PointsByModel(_run, scenario)
            .Select(pair => (pair.Model, Points: pair.Points.Where(point => point.Ran).ToList()))
            .Where(pair => pair.Points.Count > 0)
            .ToList();
        if (models.Count == 0 || scenario.RateSweep is not { } sweep)
        {
            return null;
        }

        var plot = new Plot();
        foreach (var (model, points) in models)
        {
            AddLine(points.Where(point => point.P99Micros > 0).ToList(), point => point.P99Micros!.Value, LinePattern.Solid, model);
            AddLine(points.Where(point => point.P50Micros > 0).ToList(), point => point.P50Micros!.Value, LinePattern.Dashed, "");

            void AddLine(List<SweepPoint> line, Func<SweepPoint, double> micros, LinePattern pattern, string legend)
            {
                if (line.Count == 0)
                {
                    return;
                }

                var scatter = plot.Add.Scatter(line.Select(point => point.OfferedRate).ToArray(), line.Select(point => Math.Log10(micros(point))).ToArray());
                scatter.Color = ColorOf(model);
                scatter.LineWidth = 2;
                scatter.MarkerSize = 6;
                scatter.LinePattern = pattern;
                scatter.LegendText = legend;
            }
        }

        var limit = plot.Add.HorizontalLine(Math.Log10(sweep.P99LimitMicros));
        limit.Color = Colors.Gray;
        limit.LinePattern = LinePattern.Dotted;
        limit.LegendText = $"p99 limit {MetricFormat.Micros(sweep.P99LimitMicros)}";
        plot.Axes.Left.TickGenerator = LogTicks(MetricFormat.Micros);
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { LabelFormatter = rate => rate < 0 ? "" : MetricFormat.Rate(rate) };
        plot.Title($"{scenario.Name}: p99 (solid) and p50 (dashed) against offered rate");
        plot.XLabel("offered messages/s (the same for every model)");
        plot.YLabel("round trip");
        plot.ShowLegend(Edge.Right);
        return Save(plot, $"chart-{scenario.Name}.png", Width + 200);
    }

    /// <summary>Every model's ratio to <c>reference</c>, grouped by scenario: the whole run in one picture.</summary>
    public string? RenderRatios()
    {
        // A rate sweep's steps have a chart and a table of their own; seven more groups of bars here would bury the rest.
        var scenarios = _run.Scenarios
            .Where(scenario => _run.InScenario(scenario).First().Outcome.Family is var family && _run.Catalog.Find(family)?.RateSweep is null)
            .ToList();
        var models = _run.Models.Where(model => model != BenchRun.ReferenceModel).ToList();
        var plot = new Plot();
        var bars = new List<Bar>();
        double groupWidth = models.Count + 1;
        for (int s = 0; s < scenarios.Count; s++)
        {
            for (int m = 0; m < models.Count; m++)
            {
                if (_run.Find(scenarios[s], models[m]) is { } cell && _run.RatioToReference(cell) is double ratio)
                {
                    bars.Add(new Bar { Position = (s * groupWidth) + m, Value = ratio, FillColor = ColorOf(models[m]) });
                }
            }
        }

        if (bars.Count == 0)
        {
            return null;
        }

        plot.Add.Bars(bars);
        var reference = plot.Add.HorizontalLine(1);
        reference.LinePattern = LinePattern.Dashed;
        reference.Color = Colors.Black;
        plot.Axes.Bottom.TickGenerator = new NumericManual(
            scenarios.Select((scenario, s) => new Tick((s * groupWidth) + ((models.Count - 1) / 2.0), scenario)).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Legend.ManualItems.AddRange(models.Select(model => new LegendItem { LabelText = model, FillColor = ColorOf(model) }));
        plot.ShowLegend(Edge.Right);
        plot.Title("each model's score ÷ reference's in the same run (dashed line: reference)");
        plot.YLabel("ratio to reference (higher is better)");
        return Save(plot, "chart-ratio-to-reference.png", width: Math.Max(Width, 160 * scenarios.Count));
    }

    private static double PercentileAxis(double percentile) => Math.Log10(100 / (100 - percentile));

    /// <summary>Ticks for an axis that plots log10 of the values: one major tick per decade, labelled in the value's unit.</summary>
    private static NumericAutomatic LogTicks(Func<double?, string> format) => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = exponent => format(Math.Pow(10, exponent)),
    };

    private int ModelIndex(string model)
    {
        int index = 0;
        while (index < _run.Models.Count && _run.Models[index] != model)
        {
            index++;
        }

        return index;
    }

    private Color ColorOf(string model) => _palette.GetColor(ModelIndex(model));

    private string Save(Plot plot, string fileName, int width = Width)
    {
        plot.SavePng(Path.Combine(_outputDirectory, fileName), width, Height);
        return fileName;
    }
}
