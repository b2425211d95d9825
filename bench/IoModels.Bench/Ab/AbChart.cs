using ScottPlot;
using ScottPlot.TickGenerators;

namespace IoModels.Bench.Ab;

/// <summary>Draws each compared cell's median ratio B/A with its interval, for msg/s and CPU/msg, around the line of 1.</summary>
public static class AbChart
{
    private const double Offset = 0.15;

    /// <summary>Saves the chart; false (and no file) when no cell was compared on both sides.</summary>
    public static bool Save(IReadOnlyList<AbCellResult> results, string path)
    {
        ArgumentNullException.ThrowIfNull(results);
        var compared = results.Where(r => r.Throughput is not null).ToList();
        if (compared.Count == 0)
        {
            return false;
        }

        var plot = new Plot();
        AddSeries(plot, compared.Select(r => r.Throughput).ToList(), -Offset, "msg/s", Colors.SteelBlue);
        AddSeries(plot, compared.Select(r => r.CpuPerMessage).ToList(), Offset, "CPU/msg", Colors.DarkOrange);
        plot.Add.HorizontalLine(1, color: Colors.Gray);
        plot.Axes.Bottom.TickGenerator = new NumericManual([.. compared.Select((r, i) => new Tick(i, $"{r.Model}\n{r.Scenario}"))]);
        plot.YLabel("median ratio B/A with interval");
        plot.ShowLegend();
        plot.Axes.SetLimitsX(-0.5, compared.Count - 0.5);
        plot.SavePng(path, Math.Max(640, 160 * compared.Count), 520);
        return true;
    }

    private static void AddSeries(Plot plot, List<MetricComparison?> metrics, double offset, string label, Color color)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        var below = new List<double>();
        var above = new List<double>();
        for (var i = 0; i < metrics.Count; i++)
        {
            if (metrics[i] is { } metric)
            {
                xs.Add(i + offset);
                ys.Add(metric.MedianRatio);
                below.Add(metric.MedianRatio - metric.LowerRatio);
                above.Add(metric.UpperRatio - metric.MedianRatio);
            }
        }

        if (xs.Count == 0)
        {
            return;
        }

        var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray(), color: color);
        markers.LegendText = label;
        var bars = plot.Add.ErrorBar(xs, ys, above);
        bars.YErrorPositive = above;
        bars.YErrorNegative = below;
        bars.Color = color;
    }
}
