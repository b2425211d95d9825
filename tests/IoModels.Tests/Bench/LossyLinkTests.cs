using IoModels.Bench;
using IoModels.Bench.Running;
using IoModels.Bench.Scenarios;

namespace IoModels.Tests.Bench;

/// <summary>
/// The lossy link's plumbing: server and load generator inside a network namespace the bench makes, its loopback
/// dropping a share of the packets (nftables). Where it cannot be made (not root, a tool missing), the cell is
/// <c>skipped</c> with the reason; where it can, a real TCP cell runs inside it, and a rule dropping everything
/// stops even the first connect, so both processes are in the namespace and the rule is in force.
/// </summary>
public sealed class LossyLinkTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iomodels-lossy-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Without_root_or_a_tool_the_reason_names_what_is_missing_and_its_package()
    {
        Assert.Contains("needs root", NetworkNamespace.WhyUnavailable(isRoot: false, _ => true), StringComparison.Ordinal);
        Assert.Equal("a network namespace of its own needs nft (Debian: apt-get install nftables)", NetworkNamespace.WhyUnavailable(isRoot: true, tool => tool != "nft"));
        Assert.Null(NetworkNamespace.WhyUnavailable(isRoot: true, _ => true));
    }

    [Fact]
    public void The_rule_drops_the_given_share_of_packets_at_random()
    {
        Assert.Contains("numgen random mod 100 < 1 drop", NetworkNamespace.Ruleset(1), StringComparison.Ordinal);
        Assert.Contains("type filter hook input priority 0; policy accept;", NetworkNamespace.Ruleset(1), StringComparison.Ordinal);
        Assert.DoesNotContain("numgen", NetworkNamespace.Ruleset(100), StringComparison.Ordinal);
        Assert.Contains("    drop", NetworkNamespace.Ruleset(100), StringComparison.Ordinal);
        Assert.DoesNotContain("drop", NetworkNamespace.Ruleset(0), StringComparison.Ordinal);
    }

    [Fact]
    public void The_repository_scenario_drops_1_percent()
    {
        Assert.Equal(1, RunFolder.Scenarios.Find("lossy-link")!.Network!.DropPercent);
    }

    [Fact]
    public async Task A_tcp_cell_runs_inside_the_namespace_and_a_rule_that_drops_everything_stops_its_first_connect()
    {
        string? unavailable = NetworkNamespace.WhyUnavailable(Environment.UserName == "root", tool => CommandOutput.FindOnPath(tool) is not null);

        var clear = await RunAsync(dropPercent: 0);
        var blocked = await RunAsync(dropPercent: 100);

        if (unavailable is not null)
        {
            Assert.Equal(CellStatus.Skipped, clear.Outcome.Status);
            Assert.Equal(unavailable, clear.Outcome.Detail);
            Assert.Equal(CellStatus.Skipped, blocked.Outcome.Status);
            return;
        }

        Assert.True(clear.Outcome.Status == CellStatus.Ok, clear.Outcome.Detail);
        Assert.True(clear.Report!.Messages > 0);
        Assert.Equal(CellStatus.FailedToStart, blocked.Outcome.Status);
        Assert.Contains("refused the first connect", blocked.Outcome.Detail, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task<CellResult> RunAsync(int dropPercent)
    {
        var layout = RepositoryLayout.Find();
        var scenario = new ScenarioDefinition("lossy-test", "Lossy test", "", [], ["--connections", "2", "--payload", "64", "--connect-timeout", "1s"], ScoreMetric.Throughput, [ChartKind.Throughput])
        {
            Network = new NetworkImpairment(dropPercent),
        };
        var runner = new CellRunner(["dotnet", layout.LoadGenDll], new CellTimings("0s", "500ms", "500ms"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await runner.RunAsync(
            new CellPlan("epoll-et", scenario, null),
            new ServerLaunch("epoll-et", ["dotnet", layout.ServerDll, "--model", "epoll-et"], new Dictionary<string, string>()),
            Placement.Choose(PlacementMode.None, Environment.ProcessorCount, hasTaskset: false),
            Path.Combine(_directory, "cells", $"lossy-test-{dropPercent}", "epoll-et"),
            timeout.Token);
    }
}
