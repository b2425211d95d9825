using System.Text.Json;
using IoModels.Bench;
using IoModels.Bench.Scenarios;

namespace IoModels.Tests.Bench;

/// <summary>The per-interval records of a report (<c>--interval</c>), and the throughput and p99 over time the summary draws from them.</summary>
public sealed class IntervalChartTests
{
    [Fact]
    public void Each_interval_lasts_until_the_next_starts_and_the_last_until_the_measured_phase_ends()
    {
        using var report = JsonDocument.Parse("""
            { "durationSeconds": 1.0, "intervals": [
              { "start": 0.5, "messages": 300, "errors": 2, "p50": 40, "p99": 90, "max": 400, "open": 63 },
              { "start": 0, "messages": 1000, "errors": 0, "p50": 30, "p99": 80, "max": 200, "open": 64 },
              { "start": 0.25, "messages": 0, "errors": 0, "p50": 0, "p99": 0, "max": 0, "open": 64 } ] }
            """);

        var intervals = IntervalRecord.Parse(report.RootElement, 1.0);

        Assert.Equal([0, 0.25, 0.5], intervals.Select(interval => interval.Start));
        Assert.Equal([0.25, 0.25, 0.5], intervals.Select(interval => interval.Seconds));
        Assert.Equal([4000, 0, 600], intervals.Select(interval => interval.MessagesPerSecond));
        Assert.Equal(new IntervalRecord(0.5, 0.5, 300, 2, 40, 90, 400, 63), intervals[2]);
    }

    [Fact]
    public void A_report_without_intervals_has_none()
    {
        using var report = JsonDocument.Parse("""{ "durationSeconds": 1.0 }""");

        Assert.Empty(IntervalRecord.Parse(report.RootElement, 1.0));
    }

    [Fact]
    public void A_cell_with_intervals_gets_a_chart_over_time_and_one_without_does_not()
    {
        using var run = new RunFolder()
            .AddCell("throughput", "reference", 100_000)
            .AddCell("throughput", "select", 50_000)
            .AddIntervals("throughput", "select", (0, 5_000, 200), (0.1, 0, 0), (0.2, 5_000, 300))
            .AddCell("pingpong", "reference", 20_000);

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("](chart-over-time-throughput.png)", summary, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(run.Path, "chart-over-time-throughput.png")).Length > 0);
        Assert.DoesNotContain("chart-over-time-pingpong", summary, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run.Path, "chart-over-time-pingpong.png")));
    }

    [Theory]
    [InlineData("\"interval\": \"100ms\",\n      \"metric\": \"throughput\"", "\"interval\": \"soon\",\n      \"metric\": \"throughput\"", "'interval' 'soon' is not a duration")]
    [InlineData("\"interval\": \"100ms\",\n      \"metric\": \"throughput\"", "\"interval\": \"0s\",\n      \"metric\": \"throughput\"", "'interval' '0s' is not a duration above zero")]
    [InlineData("\"--connections\", \"1\", \"--payload\", \"64\"]", "\"--connections\", \"1\", \"--payload\", \"64\", \"--interval\", \"1s\"]", "'--interval' is set by the runner")]
    public void A_bad_interval_is_refused(string find, string replace, string expected)
    {
        string directory = Path.Combine(Path.GetTempPath(), "iomodels-interval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string text = File.ReadAllText(IoModels.Bench.Running.RepositoryLayout.Find().ScenarioFile);
            Assert.Contains(find, text, StringComparison.Ordinal);
            string path = Path.Combine(directory, "scenarios.json");
            File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));

            var error = Assert.Throws<InvalidDataException>(() => ScenarioFileLoader.Load(path));

            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
