using IoModels.Bench;
using IoModels.Bench.Scenarios;

namespace IoModels.Tests.Bench;

/// <summary>
/// The scenarios about the transport: <c>time-wait</c> (which side closes first, so which side keeps TIME_WAIT) and the
/// UDP ones (<c>udp-vs-tcp</c>, <c>datagram-boundaries</c>, <c>udp-overload</c>, <c>lossy-link-udp</c>), whose table
/// tells what became of the messages.
/// </summary>
public sealed class TransportScenarioTests
{
    private static readonly string[] s_udpScenarios = ["udp-vs-tcp", "datagram-boundaries", "udp-overload", "lossy-link-udp"];

    [Fact]
    public void Time_wait_is_short_conn_closed_by_the_client_or_by_the_server_after_one_echo()
    {
        var timeWait = RunFolder.Scenarios.Find("time-wait")!;
        var shortConn = RunFolder.Scenarios.Find("short-conn")!;

        Assert.Equal(shortConn.Loadgen, timeWait.Loadgen);
        Assert.Equal(["time-wait-client-closes", "time-wait-server-closes"], timeWait.VariantsFor(ScenarioFile.QuickProfile).Select(timeWait.CellName));
        Assert.Empty(timeWait.Variants[0].Server);
        Assert.Equal(["--close-after", "1"], timeWait.Variants[1].Server);
        Assert.Equal(ScenarioTable.TimeWaitBySide, timeWait.Table);
    }

    [Fact]
    public void The_udp_scenarios_give_the_server_and_the_load_generator_udp_where_they_claim_it()
    {
        var scenarios = RunFolder.Scenarios;
        foreach (string name in new[] { "udp-vs-tcp", "udp-overload" })
        {
            var scenario = scenarios.Find(name)!;
            Assert.Equal(["tcp", "udp"], scenario.Variants.Select(variant => variant.Name));
            Assert.Empty(scenario.Variants[0].Server.Concat(scenario.Variants[0].Loadgen));
            Assert.Equal(["--transport", "udp"], scenario.Variants[1].Server);
            Assert.Equal(["--transport", "udp"], scenario.Variants[1].Loadgen);
            Assert.Equal(ScenarioTable.DatagramFate, scenario.Table);
        }

        Assert.True(scenarios.Find("udp-overload")!.Overload);
        var boundaries = scenarios.Find("datagram-boundaries")!;
        Assert.Equal("8-1400", boundaries.Loadgen[boundaries.Loadgen.ToList().IndexOf("--payload") + 1]);
        Assert.Equal(["--udp-receive-buffer", "512"], boundaries.Variants[1].Loadgen);
        var lossy = scenarios.Find("lossy-link-udp")!;
        Assert.Equal(scenarios.Find("lossy-link")!.Network, lossy.Network);
        Assert.Equal(["--transport", "udp"], lossy.Server);
        Assert.Empty(lossy.Variants);
    }

    [Fact]
    public void The_time_wait_table_gives_each_sides_count_per_variant()
    {
        using var run = new RunFolder()
            .AddCell("time-wait-client-closes", "saea", 4000, family: "time-wait", variant: "client closes")
            .SetReportKeys("time-wait-client-closes", "saea", """{"socketStates": {"port": 1, "counts": {"TIME_WAIT": 5000, "LISTEN": 1}, "server": {"LISTEN": 1}, "client": {"TIME_WAIT": 5000}, "timeWaitRecycled": 1200}}""")
            .AddCell("time-wait-server-closes", "saea", 4500, family: "time-wait", variant: "server closes")
            .SetReportKeys("time-wait-server-closes", "saea", """{"socketStates": {"port": 1, "counts": {"TIME_WAIT": 5300}, "server": {"TIME_WAIT": 5200}, "client": {"TIME_WAIT": 100}, "timeWaitRecycled": 0}}""")
            .AddCell("time-wait-client-closes", "uring", 4000, family: "time-wait", variant: "client closes")
            .SetReportKeys("time-wait-client-closes", "uring", """{"socketStates": {"port": 2, "counts": {"TIME_WAIT": 900}, "server": {}, "client": {"TIME_WAIT": 900}, "timeWaitRecycled": 10, "timeWaitOverflowed": 16791}}""")
            .AddCell("time-wait-client-closes", "reference", 3000, family: "time-wait", variant: "client closes")
            .AddEmptyCell("time-wait-server-closes", "reference", "not-available", "the server refused the scenario's options (--close-after 1): unknown option");

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("the side that closes first sits in TIME_WAIT", summary, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("| model | client closes: server / client, recycled | server closes: server / client, recycled |", summary, StringComparison.Ordinal);
        Assert.Contains("| saea | 0 / 5,000, 1,200 | 5,200 / 100, 0 |", summary, StringComparison.Ordinal);
        Assert.Contains("| uring | 0 / 900, 10 (16,791 got no TIME_WAIT: table full) |", summary, StringComparison.Ordinal);
        Assert.Contains("- `reference` in `time-wait-server-closes`: not-available (the server refused", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("failed cell(s)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_udp_scenario_draws_a_loss_chart_linked_from_the_summary_with_a_bar_per_udp_cell_only()
    {
        Assert.All(s_udpScenarios, name => Assert.Contains(ChartKind.Loss, RunFolder.Scenarios.Find(name)!.Charts));
        using var run = new RunFolder()
            .AddCell("udp-overload-tcp", "epoll-et", 90_000, family: "udp-overload", variant: "tcp")
            .AddCell("udp-overload-udp", "epoll-et", 70_000, family: "udp-overload", variant: "udp")
            .SetReportKeys("udp-overload-udp", "epoll-et", """{"udp": {"sent": 2000000, "received": 1400000, "lost": 600000, "lossPercent": 30, "clientTruncated": 0}}""")
            .AddCell("udp-overload-udp", "saea", 60_000, family: "udp-overload", variant: "udp")
            .SetReportKeys("udp-overload-udp", "saea", """{"udp": {"sent": 2000000, "received": 1900000, "lost": 100000, "lossPercent": 5, "clientTruncated": 0}}""")
            .AddCell("pingpong", "epoll-et", 20_000);

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("![udp-overload loss](chart-loss-udp-overload.png)", summary, StringComparison.Ordinal);
        string chart = Path.Combine(run.Path, "chart-loss-udp-overload.png");
        Assert.True(File.Exists(chart));
        Assert.True(new FileInfo(chart).Length > 1000);
        Assert.False(File.Exists(Path.Combine(run.Path, "chart-loss-pingpong.png")));
    }

    [Fact]
    public void A_udp_scenario_with_no_cell_over_udp_draws_no_loss_chart()
    {
        using var run = new RunFolder()
            .AddCell("udp-vs-tcp-tcp", "select", 2_000, family: "udp-vs-tcp", variant: "tcp")
            .AddEmptyCell("udp-vs-tcp-udp", "select", "not-available", "the server refused the scenario's options (--transport udp): no UDP");

        string summary = SummaryWriter.Write(run.Load());

        Assert.DoesNotContain("chart-loss-", summary, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run.Path, "chart-loss-udp-vs-tcp.png")));
    }

    [Fact]
    public void The_datagram_table_gives_the_offered_and_sent_rates_loss_cuts_and_where_the_kernel_dropped_over_udp_and_timeouts_over_tcp()
    {
        using var run = new RunFolder()
            .AddCell("udp-overload-tcp", "epoll-et", 90_000, p99Micros: 80_000, family: "udp-overload", variant: "tcp", rate: 300_000)
            .AddCell("udp-overload-udp", "epoll-et", 70_000, p99Micros: 400, family: "udp-overload", variant: "udp", rate: 300_000)
            .SetReportKeys("udp-overload-udp", "epoll-et", """
                {"udp": {"sent": 2000000, "received": 1400000, "lost": 600000, "late": 0, "clientTruncated": 3, "lossPercent": 30,
                         "receiveBufferBytes": 65536, "kernel": {"delta": {"inDatagrams": 3000000, "outDatagrams": 3600000, "rcvbufErrors": 599000, "sndbufErrors": 0}}}}
                """);

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("| model | cell | transport | offered | sent/s | msg/s | loss % | lost | cut | rcvbuf drops | at server | at client | p50 | p99 |", summary, StringComparison.Ordinal);
        Assert.Contains("| epoll-et | udp-overload-udp | udp | 300.0 k | 200.0 k | 70.0 k | 30 | 600,000 | 3 | 599,000 | 400,000 | 200,000 | 100 µs | 400 µs |", summary, StringComparison.Ordinal);
        Assert.Contains("| epoll-et | udp-overload-tcp | tcp | 300.0 k | – | 90.0 k | – | 0 | – | – | – | – |", summary, StringComparison.Ordinal);
    }
}
