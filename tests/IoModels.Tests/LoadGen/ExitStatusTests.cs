using System.Net;
using System.Text.Json;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.Timing;
using IoModels.Protocol;
using IoModels.Tests.Bench;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.LoadGen;

/// <summary>The exit status tells a dead or misbehaving server from a healthy one. Short runs against loopback test doubles.</summary>
public sealed class ExitStatusTests
{
    private const int PayloadBytes = 64;

    [Fact]
    public void A_server_that_accepts_and_never_reads_did_not_serve()
    {
        using var server = StallingServer.NeverReads();

        var report = new LoadRunner(Options(server.EndPoint), SystemClock.Instance).Run().Report;

        Assert.Equal(ExitCodes.DidNotServe, report.ExitCode);
        Assert.Equal(RunVerdict.DidNotServeKeyword, report.Verdict);
        Assert.Equal(0, report.Messages);
        Assert.True(report.Errors.Timeouts > 0);
        Assert.StartsWith("the server did not serve: 0 echoes verified in ", report.VerdictReason, StringComparison.Ordinal);
        Assert.Contains("timeout", report.VerdictReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Connections_dropped_on_timeout_are_closed_by_the_client()
    {
        using var server = StallingServer.NeverReads();

        var report = new LoadRunner(Options(server.EndPoint), SystemClock.Instance).Run().Report;

        // Each connection times out at least once in the run, is dropped and reopened: more were made than the slots.
        Assert.True(report.Connections.Established > 2, $"established {report.Connections.Established}");
        Assert.Equal(0, report.Connections.ClosedByPeer);
        Assert.Equal(0, report.Errors.Resets);
        // Every established connection was closed by the load generator: the timed-out ones and those left at the end.
        Assert.Equal(report.Connections.Established, report.Connections.ClosedByClient);
    }

    [Fact]
    public void A_server_that_closes_every_connection_did_not_serve()
    {
        using var server = StallingServer.ClosesEveryConnection();

        var report = new LoadRunner(Options(server.EndPoint), SystemClock.Instance).Run().Report;

        Assert.Equal(ExitCodes.DidNotServe, report.ExitCode);
        Assert.Equal(0, report.Messages);
        Assert.True(report.Connections.ClosedByPeer + report.Errors.Resets > 0, $"closed by peer {report.Connections.ClosedByPeer}, resets {report.Errors.Resets}");
        Assert.StartsWith("the server did not serve: ", report.VerdictReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_serves_some_then_stalls_served_badly()
    {
        // Ten echoes per connection, then silence: each connection verifies some, then times out and reconnects.
        using var server = StallingServer.EchoesThenStalls(10 * (FrameHeader.Size + PayloadBytes));

        var report = new LoadRunner(Options(server.EndPoint), SystemClock.Instance).Run().Report;

        Assert.Equal(ExitCodes.ServedBadly, report.ExitCode);
        Assert.Equal(RunVerdict.ServedBadlyKeyword, report.Verdict);
        Assert.True(report.Messages > 0);
        Assert.True(report.Errors.Timeouts > 0);
        Assert.Equal(0, report.Errors.Mismatches);
        Assert.StartsWith("the server served badly: ", report.VerdictReason, StringComparison.Ordinal);
        Assert.Contains("timeout", report.VerdictReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConnectMode.Persistent, 0)]
    [InlineData(ConnectMode.PerRequest, 0)]
    [InlineData(ConnectMode.Persistent, 4)]
    public async Task A_healthy_server_gives_zero(ConnectMode mode, int idle)
    {
        await using var server = InProcessServer.Start("select", Framing.Framed);
        // A timeout a healthy server on a busy machine cannot miss: this case is about the verdict, not speed.
        var options = Options(server.EndPoint) with { ConnectMode = mode, IdleConnections = idle, Timeout = Timeouts.Operation };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        Assert.Equal(RunVerdict.OkKeyword, report.Verdict);
        Assert.Null(report.VerdictReason);
        Assert.True(report.Messages > 0);
        Assert.Equal(report.Connections.Established, report.Connections.ClosedByClient + report.Connections.ClosedByPeer);
    }

    [Fact]
    public async Task The_process_exits_with_the_code_one_line_says_why_and_the_report_holds_both()
    {
        using var server = StallingServer.NeverReads();
        string json = Path.Combine(Path.GetTempPath(), $"loadgen-exit-{Guid.NewGuid():N}.json");
        try
        {
            var result = await ToolProcess.RunAsync("dotnet",
            [
                Path.Combine(AppContext.BaseDirectory, "IoModels.LoadGen.dll"), "--target", server.EndPoint.ToString(),
                "--connections", "2", "--threads", "1", "--warmup", "0", "--duration", "1s", "--timeout", "200ms",
                "--progress", "false", "--json", json,
            ]);

            Assert.Equal(ExitCodes.DidNotServe, result.ExitCode);
            string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("IoModels.LoadGen: the server did not serve: 0 echoes verified in ", line, StringComparison.Ordinal);
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            Assert.Equal(ExitCodes.DidNotServe, report.RootElement.GetProperty("exitCode").GetInt32());
            Assert.Equal("did-not-serve", report.RootElement.GetProperty("verdict").GetString());
            Assert.Equal(line, $"IoModels.LoadGen: {report.RootElement.GetProperty("verdictReason").GetString()}");
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static LoadOptions Options(IPEndPoint endPoint) => new()
    {
        Target = endPoint.ToString(),
        EndPoint = endPoint,
        Label = "test",
        Duration = TimeSpan.FromSeconds(1),
        Warmup = TimeSpan.Zero,
        Connections = 2,
        Threads = 1,
        Payload = new PayloadSize(PayloadBytes, PayloadBytes),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        Timeout = TimeSpan.FromMilliseconds(200),
        Progress = false,
    };
}
