using IoModels.Bench;
using IoModels.Bench.Running;
using IoModels.Bench.Scenarios;

namespace IoModels.Tests.Bench;

/// <summary>
/// <c>backlog-burst</c>: a burst of connects against a small and a large listen backlog. Its warm-up lets the burst
/// settle, its timeouts are the finding (<c>overloaded</c>) while a reset still fails, and its table gives each
/// model's connect percentiles per backlog.
/// </summary>
public sealed class BacklogBurstTests : IDisposable
{
    private const string ListeningServer = "trap 'exit 0' TERM; echo 'listening on 127.0.0.1:9 model=stand-in'; while :; do sleep 0.1; done";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iomodels-backlog-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_repository_scenario_bursts_2000_connects_at_backlogs_8_and_1024_after_a_warm_up_of_4_s_at_least()
    {
        var burst = RunFolder.Scenarios.Find("backlog-burst")!;

        Assert.Equal(["backlog-burst-8", "backlog-burst-1024"], burst.VariantsFor(ScenarioFile.QuickProfile).Select(burst.CellName));
        Assert.Equal(["--backlog", "8"], burst.Variants[0].Server);
        Assert.Equal("2000", burst.Loadgen[burst.Loadgen.ToList().IndexOf("--connections") + 1]);
        Assert.True(burst.Overload);
        Assert.Equal("4s", new CellTimings("300ms", "1s", "1s").WarmupFor(burst));
        Assert.Equal("10s", new CellTimings("10s", "1s", "1s").WarmupFor(burst));
        Assert.Equal("300ms", new CellTimings("300ms", "1s", "1s").WarmupFor(RunFolder.Scenarios.Find("pingpong")!));
    }

    [Fact]
    public async Task Timeouts_in_an_overload_scenario_are_the_finding_and_in_another_scenario_a_failure()
    {
        string timeouts = Report(timeouts: 300, resets: 0);

        var burst = await RunAsync("backlog-burst", timeouts);
        var pingpong = await RunAsync("pingpong", timeouts);

        Assert.Equal(CellStatus.Overloaded, burst.Outcome.Status);
        Assert.False(burst.Outcome.Status.IsFailure());
        Assert.Contains("300 timeouts", burst.Outcome.Detail, StringComparison.Ordinal);
        Assert.NotNull(burst.Report);
        Assert.Equal(CellStatus.ServerError, pingpong.Outcome.Status);
    }

    [Fact]
    public async Task A_reset_in_an_overload_scenario_still_fails()
    {
        var result = await RunAsync("backlog-burst", Report(timeouts: 300, resets: 1));

        Assert.Equal(CellStatus.ServerError, result.Outcome.Status);
    }

    [Fact]
    public void The_summary_gives_connect_percentiles_and_failed_connects_per_backlog()
    {
        using var run = new RunFolder()
            .AddCell("backlog-burst-8", "reference", 10_000, family: "backlog-burst", variant: "8", status: "overloaded")
            .AddCell("backlog-burst-1024", "reference", 20_000, family: "backlog-burst", variant: "1024");

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("| model | backlog 8 | backlog 1024 |", summary, StringComparison.Ordinal);
        Assert.Contains("| reference | 50 µs / 90 µs / 200 µs, 0 failed | 50 µs / 90 µs / 200 µs, 0 failed |", summary, StringComparison.Ordinal);
        Assert.Contains("- `reference` × `backlog-burst-8`: overloaded", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("failed cell(s)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_manifest_records_the_kernel_cap_on_every_backlog()
    {
        var host = HostFacts.Host();

        Assert.Equal(long.Parse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), System.Globalization.CultureInfo.InvariantCulture), host.Somaxconn);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Report(long timeouts, long resets) =>
        "while [ $# -gt 0 ]; do if [ \"$1\" = --json ]; then printf '{\"messages\": 5000, \"throughput\": {\"messagesPerSecond\": 5000}, \"errors\": {\"mismatches\": 0, \"timeouts\": "
        + timeouts + ", \"resets\": " + resets + ", \"other\": 0}}' > \"$2\"; fi; shift; done; echo 'IoModels.LoadGen: the server served badly: "
        + timeouts + " timeouts' >&2; exit 5";

    private async Task<CellResult> RunAsync(string scenarioName, string loadgenScript)
    {
        var runner = new CellRunner(["sh", "-c", loadgenScript, "stand-in-loadgen"], new CellTimings("0s", "1s", "1s")
        {
            ListenTimeout = TimeSpan.FromSeconds(5),
            StopTimeout = TimeSpan.FromSeconds(5),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await runner.RunAsync(
            new CellPlan("stand-in", RunFolder.Scenarios.Find(scenarioName)!, null),
            new ServerLaunch("stand-in", ["sh", "-c", ListeningServer, "stand-in-server"], new Dictionary<string, string>()),
            Placement.Choose(PlacementMode.None, Environment.ProcessorCount, hasTaskset: false),
            Path.Combine(_directory, "cells", scenarioName, "stand-in"),
            timeout.Token);
    }
}
