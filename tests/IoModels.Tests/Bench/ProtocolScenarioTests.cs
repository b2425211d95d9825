using IoModels.Bench;
using IoModels.Bench.Scenarios;

namespace IoModels.Tests.Bench;

/// <summary>
/// The scenarios about the server's protocol options: <c>framing</c> (a length prefix against a delimiter) and
/// <c>idle-timeout</c> (silent peers closed, busy ones kept), and the tables their claims are about.
/// </summary>
public sealed class ProtocolScenarioTests
{
    [Fact]
    public void Framing_gives_both_sides_the_same_framing_in_each_variant()
    {
        var framing = RunFolder.Scenarios.Find("framing")!;

        Assert.Equal(RunFolder.Scenarios.Find("throughput")!.Loadgen, framing.Loadgen);
        Assert.Equal(["framed", "line"], framing.Variants.Select(variant => variant.Name));
        Assert.All(framing.Variants, variant =>
        {
            Assert.Equal(["--framing", variant.Name], variant.Server);
            Assert.Equal(["--framing", variant.Name], variant.Loadgen);
        });
        Assert.Equal(ScenarioTable.FramingCost, framing.Table);
    }

    [Fact]
    public void Idle_timeout_holds_idle_connections_beside_active_ones_for_longer_than_the_timeout()
    {
        var idle = RunFolder.Scenarios.Find("idle-timeout")!;

        Assert.Contains("--idle-connections", idle.Loadgen);
        Assert.Equal(["--idle-timeout", "0"], idle.Variants[0].Server);
        Assert.Equal(["--idle-timeout", "1s"], idle.Variants[1].Server);
        Assert.Equal(idle.Variants[1].Server, idle.Variants[2].Server);
        Assert.Equal(["--idle-partial"], idle.Variants[2].Loadgen);
        // The quick profile's 1 s would end before the timeout could fire and be seen: the scenario asks for more.
        Assert.True(DurationText.Parse(idle.MinimumDuration!) >= 3 * TimeSpan.FromSeconds(1));
        Assert.Equal(ScenarioTable.IdleCloses, idle.Table);
    }

    [Fact]
    public void The_framing_table_gives_throughput_and_cpu_per_message_and_a_peer_without_line_is_not_available()
    {
        using var run = new RunFolder()
            .AddCell("framing-framed", "epoll-et", 400_000, family: "framing", variant: "length prefix")
            .AddCell("framing-line", "epoll-et", 350_000, family: "framing", variant: "newline")
            .AddCell("framing-framed", "reference", 500_000, family: "framing", variant: "length prefix")
            .AddEmptyCell("framing-line", "reference", "not-available", "the server refused the scenario's options (--framing line): option '--framing': 'line' is not valid; valid values: framed, raw");

        string summary = SummaryWriter.Write(run.Load());

        // RunFolder's reports: 5 CPU seconds over 10 s of echoes, so 5e6 / (10 × msg/s) CPU s per million.
        Assert.Contains("| model | length prefix: msg/s, CPU s / M msg | newline: msg/s, CPU s / M msg |", summary, StringComparison.Ordinal);
        Assert.Contains("| epoll-et | 400.0 k, 1.25 | 350.0 k, 1.43 |", summary, StringComparison.Ordinal);
        Assert.Contains("| reference | 500.0 k, 1.00 | not-available |", summary, StringComparison.Ordinal);
        Assert.Contains("- `reference` in `framing-line`: not-available (the server refused the scenario's options (--framing line)", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("failed cell(s)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_idle_table_gives_idle_and_active_connections_closed_by_the_server_and_its_memory()
    {
        using var run = new RunFolder()
            .AddCell("idle-timeout-off", "saea", 50_000, family: "idle-timeout", variant: "--idle-timeout 0")
            .SetReportKeys("idle-timeout-off", "saea", """
                {"connections": {"attempted": 516, "established": 516, "failed": 0, "peakOpen": 516, "closedByPeer": 0, "idle": 500, "idleClosedByPeer": 0},
                 "server": {"cpuSeconds": 3.0, "peakRssBytes": 83886080, "rssBytesAtEnd": 82837504, "threads": 9}}
                """)
            .AddCell("idle-timeout-1s", "saea", 52_000, family: "idle-timeout", variant: "--idle-timeout 1s")
            .SetReportKeys("idle-timeout-1s", "saea", """
                {"connections": {"attempted": 516, "established": 516, "failed": 0, "peakOpen": 516, "closedByPeer": 500, "idle": 500, "idleClosedByPeer": 500},
                 "server": {"cpuSeconds": 3.0, "peakRssBytes": 83886080, "rssBytesAtEnd": 62914560, "threads": 9}}
                """);

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("| model | --idle-timeout 0: idle closed, active closed, RSS end / peak | --idle-timeout 1s: idle closed, active closed, RSS end / peak |", summary, StringComparison.Ordinal);
        Assert.Contains("| saea | 0 of 500, 0, 79 / 80 | 500 of 500, 0, 60 / 80 |", summary, StringComparison.Ordinal);
    }
}
