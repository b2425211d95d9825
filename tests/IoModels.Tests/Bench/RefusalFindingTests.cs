using IoModels.Bench;
using IoModels.Bench.Running;

namespace IoModels.Tests.Bench;

/// <summary>
/// select-libc's refusals as a finding: the server's shutdown count read back, the rule that every failure the load
/// generator saw must be one of those refusals, and the status, outcome and summary that follow.
/// </summary>
public sealed class RefusalFindingTests : IDisposable
{
    private const string StoppedLine = "01:01:29.066 info: IoModels.Server.select-libc[7] Stopped: connections accepted=912 active=0 peak=911; bytes in=3015800 out=3015800; messages=44350; protocol errors=0; refused over the descriptor limit=1601";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iomodels-refusal-" + Guid.NewGuid().ToString("N"));

    public RefusalFindingTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void The_last_shutdown_summary_of_the_server_log_gives_the_refusals_and_the_peak()
    {
        string log = Path.Combine(_directory, "server.log");
        File.WriteAllLines(log, ["01:01:27.609 warn: IoModels.Server.select-libc[400] Closing a new connection at once: its descriptor 1024 is at or above FD_SETSIZE (1024)", StoppedLine]);

        Assert.Equal(new ServerShutdownSummary(1601, 911), ServerShutdownSummary.Read(log));
        Assert.Null(ServerShutdownSummary.Read(Path.Combine(_directory, "missing.log")));
    }

    [Fact]
    public void Resets_and_closes_that_the_refusals_account_for_are_the_finding()
    {
        var report = new LoadReport { Messages = 37_654, Resets = 1_249, ClosedByPeer = 352 };

        string? finding = RefusalFinding.Explain(report, new ServerShutdownSummary(1_601, 911), 1024);

        Assert.Equal("refused 1,601 connections at descriptors from 1,024 up (FD_SETSIZE), served at most 911 at once below it; 37,654 echoes verified", finding);
    }

    [Theory]
    [InlineData(1_250, 352, 0, 0, 0)]
    [InlineData(100, 0, 1, 0, 0)]
    [InlineData(100, 0, 0, 1, 0)]
    [InlineData(100, 0, 0, 0, 1)]
    public void Any_failure_the_refusals_do_not_account_for_leaves_the_cell_failed(long resets, long closedByPeer, long timeouts, long mismatches, long failedConnects)
    {
        var report = new LoadReport { Messages = 10, Resets = resets, ClosedByPeer = closedByPeer, Timeouts = timeouts, Mismatches = mismatches, FailedConnections = failedConnects };

        Assert.Null(RefusalFinding.Explain(report, new ServerShutdownSummary(1_601, 911), 1024));
    }

    [Fact]
    public void In_an_overload_scenario_its_timeouts_and_failed_connects_do_not_hide_the_refusals_but_a_reset_beyond_them_does()
    {
        // select-libc in backlog-burst-8: the full accept queue timed echoes out, the refusals reset the rest.
        var report = new LoadReport { Messages = 108_287, Resets = 3_705, ClosedByPeer = 519, Timeouts = 1_075, FailedConnections = 3 };
        var summary = new ServerShutdownSummary(4_224, 911);

        Assert.Null(RefusalFinding.Explain(report, summary, 1024));
        Assert.StartsWith("refused 4,224 connections", RefusalFinding.Explain(report, summary, 1024, overload: true), StringComparison.Ordinal);
        Assert.Null(RefusalFinding.Explain(report with { Resets = 3_706 }, summary, 1024, overload: true));
        Assert.Null(RefusalFinding.Explain(report with { Mismatches = 1 }, summary, 1024, overload: true));
    }

    [Fact]
    public void No_refusal_counted_by_the_server_is_no_finding()
    {
        var report = new LoadReport { Messages = 10, Resets = 3 };

        Assert.Null(RefusalFinding.Explain(report, new ServerShutdownSummary(0, 911), 1024));
        Assert.Null(RefusalFinding.Explain(report, null, 1024));
    }

    [Fact]
    public void The_scenario_file_gives_select_libc_its_fd_setsize_and_no_other_model_a_limit()
    {
        Assert.Equal(1024, RunFolder.Scenarios.DescriptorLimitOf("select-libc"));
        Assert.Null(RunFolder.Scenarios.DescriptorLimitOf("select"));
        Assert.Null(RunFolder.Scenarios.DescriptorLimitOf("saea-inline"));
        Assert.Contains("select-libc", RunFolder.Scenarios.Ci["correctness"].Models);
    }

    [Fact]
    public async Task A_cell_failed_only_by_refusals_of_a_model_with_a_limit_is_refused_and_without_the_limit_a_server_error()
    {
        var finding = await RunAsync(descriptorLimit: 1024);
        var failure = await RunAsync(descriptorLimit: null);

        Assert.Equal(CellStatus.Refused, finding.Outcome.Status);
        Assert.Equal(1601, finding.Outcome.Refused);
        Assert.NotNull(finding.Report);
        Assert.False(finding.Outcome.Status.IsFailure());
        Assert.Equal(CellStatus.ServerError, failure.Outcome.Status);
        Assert.Null(failure.Outcome.Refused);
    }

    [Fact]
    public void The_summary_lists_a_refused_cell_as_a_finding_with_its_count_and_not_as_a_failure()
    {
        using var run = new RunFolder()
            .AddCell("many-conns", "reference", 100_000)
            .AddCell("many-conns", "select-libc", 90_000, status: "refused");

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("**Correctness:** every echo", summary, StringComparison.Ordinal);
        Assert.Contains("**Findings, not failures:** 1 cell(s)", summary, StringComparison.Ordinal);
        Assert.Contains("- `select-libc` × `many-conns`: ", summary, StringComparison.Ordinal);
        Assert.Contains("| select-libc | refused ", summary, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A stand-in server that logs select-libc's shutdown summary on SIGTERM, and a load generator that saw resets and closes (exit 5).</summary>
    private async Task<IoModels.Bench.Running.CellResult> RunAsync(int? descriptorLimit)
    {
        string server = $"trap 'echo \"{StoppedLine}\" >&2; exit 0' TERM; echo 'listening on 127.0.0.1:9 model=stand-in'; while :; do sleep 0.1; done";
        string loadgen = "while [ $# -gt 0 ]; do if [ \"$1\" = --json ]; then printf '{\"messages\": 37654, \"throughput\": {\"messagesPerSecond\": 37654}, \"errors\": {\"mismatches\": 0, \"timeouts\": 0, \"resets\": 1249, \"other\": 0}, \"connections\": {\"failed\": 0, \"closedByPeer\": 352}}' > \"$2\"; fi; shift; done; exit 5";
        var runner = new CellRunner(["sh", "-c", loadgen, "stand-in-loadgen"], new CellTimings("0s", "1s", "1s")
        {
            ListenTimeout = TimeSpan.FromSeconds(5),
            StopTimeout = TimeSpan.FromSeconds(5),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await runner.RunAsync(
            new CellPlan("select-libc", RunFolder.Scenarios.Find("many-conns")!, null) { DescriptorLimit = descriptorLimit },
            new ServerLaunch("select-libc", ["sh", "-c", server, "stand-in-server"], new Dictionary<string, string>()),
            Placement.Choose(PlacementMode.None, Environment.ProcessorCount, hasTaskset: false),
            Path.Combine(_directory, "cells", "many-conns", descriptorLimit is null ? "no-limit" : "limit"),
            timeout.Token);
    }
}
