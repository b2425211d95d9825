using System.Text.Json;
using IoModels.Bench;
using IoModels.Bench.Running;
using IoModels.Bench.Scenarios;
using IoModels.Bench.Sweep;

namespace IoModels.Tests.Bench;

/// <summary>The <c>latency-vs-load</c> rate sweep: its rate plan, its knee on synthetic points, its checks, table and chart.</summary>
public sealed class RateSweepTests : IDisposable
{
    private const double Limit = 1000;
    private const double RepositoryLimit = 10_000;

    private static readonly double[] s_repositoryFractions = [0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1.2];
    private static readonly string[] s_steps = ["20", "40"];
    private static readonly string[] s_models = ["epoll-et", "poll"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iomodels-sweep-" + Guid.NewGuid().ToString("N"));

    public RateSweepTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void Every_model_is_offered_the_same_rates_fractions_of_the_highest_capacity()
    {
        double? highest = RatePlan.HighestCapacity([120_000, 40_000, 0, double.NaN]);

        Assert.Equal(120_000, highest);
        Assert.Equal([12_000L, 30_000L, 60_000L, 90_000L, 108_000L, 120_000L, 144_000L], s_repositoryFractions.Select(fraction => RatePlan.RateFor(highest!.Value, fraction)));
        Assert.Equal(1, RatePlan.RateFor(3, 0.1));
        Assert.Null(RatePlan.HighestCapacity([0, double.NaN]));
        Assert.Null(RatePlan.HighestCapacity([]));
    }

    [Fact]
    public void The_repository_sweep_has_a_cell_per_step_named_by_its_percentage()
    {
        var sweep = RunFolder.Scenarios.Find("latency-vs-load")!;

        var steps = sweep.VariantsFor(ScenarioFile.QuickProfile);

        Assert.Equal(["latency-vs-load-10", "latency-vs-load-25", "latency-vs-load-50", "latency-vs-load-75", "latency-vs-load-90", "latency-vs-load-100", "latency-vs-load-120"], steps.Select(sweep.CellName));
        Assert.Equal(s_repositoryFractions, steps.Select(step => step!.RateFractionOfHighestCapacity!.Value));
        Assert.Equal(RepositoryLimit, sweep.RateSweep!.P99LimitMicros);
    }

    [Fact]
    public void The_knee_is_the_last_step_under_the_limit_before_the_tail_leaves_the_floor()
    {
        var knee = Knee.Find([Point(40_000, p99: 2_500), Point(10_000, p99: 300), Point(20_000, p99: 900), Point(30_000, p99: 1_000)], Limit, 0.95);

        Assert.Equal(30_000, knee.Rate);
        Assert.Equal(40_000, knee.Break!.OfferedRate);
        Assert.Contains("p99 2.5 ms above 1.0 ms", knee.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_that_echoes_less_than_the_sustained_share_breaks_however_low_its_p99()
    {
        var knee = Knee.Find([Point(10_000, p99: 300), Point(20_000, p99: 300, achieved: 18_000)], Limit, 0.95);

        Assert.Equal(10_000, knee.Rate);
        Assert.Equal("echoed 90% of the offered rate", knee.Reason);
    }

    [Fact]
    public void A_step_that_holds_again_after_a_break_does_not_move_the_knee()
    {
        var knee = Knee.Find([Point(10_000, p99: 300), Point(20_000, p99: 5_000), Point(30_000, p99: 400)], Limit, 0.95);

        Assert.Equal(10_000, knee.Rate);
        Assert.Equal(20_000, knee.Break!.OfferedRate);
    }

    [Fact]
    public void Every_step_held_leaves_no_break_and_a_failed_lowest_step_leaves_no_knee()
    {
        var held = Knee.Find([Point(10_000, p99: 300), Point(20_000, p99: 400)], Limit, 0.95);
        var failed = Knee.Find([Point(10_000, p99: 300, ran: false), Point(20_000, p99: 400)], Limit, 0.95);

        Assert.Equal(20_000, held.Rate);
        Assert.Null(held.Break);
        Assert.Null(failed.Rate);
        Assert.Equal("the cell failed", failed.Reason);
    }

    [Fact]
    public void The_summary_has_the_knee_table_and_the_chart_and_no_table_per_step()
    {
        using var run = new RunFolder();
        foreach (var (step, rate) in new[] { ("10", 10_000.0), ("50", 50_000.0), ("100", 100_000.0) })
        {
            run.AddCell($"latency-vs-load-{step}", "reference", rate, p99Micros: rate < 100_000 ? 4_000 : 40_000, family: "latency-vs-load", variant: step, rate: rate);
            run.AddCell($"latency-vs-load-{step}", "select", rate == 100_000 ? 60_000 : rate, p99Micros: rate < 50_000 ? 8_000 : 16_000, family: "latency-vs-load", variant: step, rate: rate);
        }

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("| model | knee | first step past it | 10% (10.0 k/s) | 50% (50.0 k/s) | 100% (100.0 k/s) |", summary, StringComparison.Ordinal);
        Assert.Contains("| reference | 50.0 k/s | 100.0 k/s: p99 40 ms above 10 ms | 1.0 ms / 4.0 ms | 1.0 ms / 4.0 ms | 10 ms / 40 ms |", summary, StringComparison.Ordinal);
        Assert.Contains("| select | 10.0 k/s | 50.0 k/s: p99 16 ms above 10 ms | 2.0 ms / 8.0 ms | 4.0 ms / 16 ms | 4.0 ms / 16 ms (60%) |", summary, StringComparison.Ordinal);
        Assert.Contains("](chart-latency-vs-load.png)", summary, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(run.Path, "chart-latency-vs-load.png")).Length > 0);
        Assert.DoesNotContain("### `latency-vs-load-10`", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"fractionsOfHighestCapacity\": [0.1, 0.25,", "\"fractionsOfHighestCapacity\": [0.125, 0.25,", "not a whole percentage")]
    [InlineData("\"p99LimitMicros\": 10000", "\"p99LimitMicros\": 0", "'p99LimitMicros' must be above 0")]
    [InlineData("\"sustainedFraction\": 0.95", "\"sustainedFraction\": 1.5", "'sustainedFraction' must be in (0, 1]")]
    [InlineData("\"fractionsOfHighestCapacity\": [0.1, 0.25,", "\"fractionsOfHighestCapacity\": [0.1, 0.1,", "defined twice")]
    public void A_bad_sweep_is_refused_naming_what_is_wrong(string find, string replace, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => ScenarioFileLoader.Load(WriteVariant(find, replace)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sweep_chart_without_a_sweep_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => ScenarioFileLoader.Load(WriteVariant("\"charts\": [\"throughput\", \"latency\"],\n      \"column\": \"offered-rate\"", "\"charts\": [\"latency-vs-load\"],\n      \"column\": \"offered-rate\"")));

        Assert.Contains("chart 'latency-vs-load' needs a 'rateSweep'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweep_run_alone_probes_each_model_and_offers_both_the_same_rates()
    {
        string scenarios = WriteVariant("[0.1, 0.25, 0.5, 0.75, 0.9, 1.0, 1.2]", "[0.2, 0.4]");
        string output = Path.Combine(_directory, "run");

        var result = await ToolProcess.BenchAsync(
            "run", "--no-build", "--scenario-file", scenarios, "--models", "epoll-et,poll", "--scenarios", "latency-vs-load",
            "--warmup", "200ms", "--duration", "500ms", "--placement", "none", "--out", output);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("latency-vs-load: highest capacity", result.StandardError, StringComparison.Ordinal);
        foreach (string step in s_steps)
        {
            var rates = s_models.Select(model =>
            {
                using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "cells", $"latency-vs-load-{step}", model + ".json")));
                return report.RootElement.GetProperty("config").GetProperty("rate").GetDouble();
            }).ToList();
            Assert.True(rates[0] > 0);
            Assert.Equal(rates[0], rates[1]);
        }

        Assert.True(File.Exists(Path.Combine(output, "cells", "latency-vs-load-capacity", "epoll-et.probe.json")));
        Assert.Contains("| poll |", File.ReadAllText(Path.Combine(output, "summary.md")), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static SweepPoint Point(double offered, double p99, double? achieved = null, bool ran = true) =>
        new(offered, achieved ?? offered, p99 / 4, p99, ran);

    private string WriteVariant(string find, string replace) => ScenarioFileCopy.WriteWith(_directory, find, replace);
}
