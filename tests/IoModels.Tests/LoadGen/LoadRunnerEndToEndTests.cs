using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.Timing;
using IoModels.Protocol;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.LoadGen;

/// <summary>The load generator in-process against the server models and a corrupting test double. Short runs, loopback.</summary>
public sealed class LoadRunnerEndToEndTests
{
    [Theory]
    [InlineData("select")]
    [InlineData("blocking")]
    public async Task Closed_loop_report_parses_and_its_counts_add_up(string model)
    {
        await using var server = InProcessServer.Start(model, Framing.Framed);
        var options = Options(server.EndPoint) with { Connections = 4, Threads = 2, Payload = new PayloadSize(100, 100) };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, LoadReportJsonContext.Default.LoadReport));
        var root = json.RootElement;
        Assert.Equal("iomodels.loadgen/1", root.GetProperty("schema").GetString());
        foreach (string key in (string[])["label", "target", "config", "durationSeconds", "messages", "bytes", "environment"])
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        Assert.True(root.GetProperty("throughput").GetProperty("messagesPerSecond").GetDouble() > 0);
        foreach (string key in (string[])["mean", "p50", "p90", "p99", "p999", "max"])
        {
            Assert.True(root.GetProperty("latencyMicros").TryGetProperty(key, out _), key);
        }

        foreach (string key in (string[])["p50", "p99", "max"])
        {
            Assert.True(root.GetProperty("connectMicros").TryGetProperty(key, out _), key);
        }

        foreach (string key in (string[])["attempted", "established", "failed", "peakOpen", "closedByPeer"])
        {
            Assert.True(root.GetProperty("connections").TryGetProperty(key, out _), key);
        }

        foreach (string key in (string[])["mismatches", "timeouts", "resets", "other"])
        {
            Assert.Equal(0, root.GetProperty("errors").GetProperty(key).GetInt64());
        }

        foreach (string key in (string[])["os", "cores", "dotnet", "commit"])
        {
            Assert.True(root.GetProperty("environment").TryGetProperty(key, out _), key);
        }

        Assert.False(root.TryGetProperty("server", out _));
        Assert.False(root.TryGetProperty("mismatch", out _));

        Assert.Equal(0, report.ExitCode);
        Assert.True(report.Messages > 0);
        Assert.Equal(report.Messages, report.LatencyMicros.Count);
        Assert.Equal(report.Messages * (FrameHeader.Size + 100), report.Bytes);
        Assert.Equal(4, report.Connections.Attempted);
        Assert.Equal(4, report.Connections.Established);
        Assert.Equal(4, report.Connections.PeakOpen);
        Assert.Equal(report.Connections.Established, report.Connections.ClosedByClient + report.Connections.ClosedByPeer);
        Assert.Equal(4, report.ConnectMicros.Count);
        Assert.True(report.LatencyMicros.P50 <= report.LatencyMicros.P99 && report.LatencyMicros.P99 <= report.LatencyMicros.Max);
        // Nothing is allocated per message: the measured phase allocates far less than one small object per echo.
        Assert.True(report.Client.AllocatedBytes < (16 * report.Messages) + (256 * 1024), $"{report.Client.AllocatedBytes} bytes for {report.Messages} messages");
    }

    [Fact]
    public async Task Open_loop_reports_both_latencies_and_never_exceeds_its_timetable()
    {
        await using var server = InProcessServer.Start("select", Framing.Framed);
        var options = Options(server.EndPoint) with { Connections = 2, Rate = 500 };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        Assert.Equal(0, report.ExitCode);
        Assert.NotNull(report.UncorrectedLatencyMicros);
        Assert.Equal(500, report.Throughput.RequestedMessagesPerSecond);
        Assert.NotNull(report.Throughput.RateSustained);
        Assert.True(report.Messages > 0);
        // An open loop never writes a message before it is due, so no more echoes can finish by the end of the measured
        // phase than were due since the start of the run (one more per connection for the edges). Not a tighter bound:
        // a connection that fell behind in the warm-up catches up in the measured phase, and its late echoes count there.
        double dueSeconds = options.Warmup.TotalSeconds + report.DurationSeconds;
        Assert.True(report.Messages <= (500 * dueSeconds) + options.Connections, $"{report.Messages} messages");
        // Measured from the due time, never later than it: corrected latency is never below uncorrected.
        Assert.True(report.LatencyMicros.Mean >= report.UncorrectedLatencyMicros!.Mean);
    }

    [Fact]
    public async Task Server_sampling_and_socket_states_describe_the_server()
    {
        await using var server = InProcessServer.Start("select", Framing.Framed);
        // The model runs inside this process, so this process is the server to sample.
        var options = Options(server.EndPoint) with { ServerPid = Environment.ProcessId };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        var sampled = Assert.IsType<ServerReport>(report.Server);
        Assert.Equal(Environment.ProcessId, sampled.Pid);
        Assert.True(sampled.CpuSeconds >= 0);
        Assert.True(sampled.PeakRssBytes > 0);
        Assert.True(sampled.Threads > 0);
        Assert.Equal(server.Port, report.SocketStates.Port);
        Assert.Equal(1, report.SocketStates.Counts.GetValueOrDefault("LISTEN"));
    }

    [Fact]
    public async Task Per_request_connects_once_per_echo()
    {
        await using var server = InProcessServer.Start("blocking", Framing.Framed);
        var options = Options(server.EndPoint) with { Connections = 2, ConnectMode = ConnectMode.PerRequest };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        Assert.Equal(0, report.ExitCode);
        Assert.True(report.Messages > 0);
        Assert.Equal(0, report.Connections.Failed);
        Assert.Equal(report.Connections.Attempted, report.Connections.Established);
        // Every connection carried at most one echo, so there were at least as many connections as echoes.
        Assert.True(report.Connections.Established >= report.Messages);
        Assert.Equal(report.Connections.Established, report.ConnectMicros.Count);
        Assert.True(report.Connections.PeakOpen <= 2);
        // The client closed first, so every connection it closed left a TIME_WAIT on its side (the census counts those
        // still there, FIN_WAIT2 for one the server has not yet closed) or had it recycled by a later connect; the
        // recycle counter is the whole namespace's, so other tests' connects can only add to it; so is the overflow
        // counter, which counts the closes that got no TIME_WAIT because earlier runs had filled the namespace's table.
        var states = report.SocketStates;
        long clientSide = states.Client.GetValueOrDefault("TIME_WAIT") + states.Client.GetValueOrDefault("FIN_WAIT2")
            + (states.TimeWaitRecycled ?? 0) + (states.TimeWaitOverflowed ?? 0);
        Assert.NotNull(states.TimeWaitRecycled);
        Assert.NotNull(states.TimeWaitOverflowed);
        Assert.True(clientSide >= report.Connections.ClosedByClient, $"{clientSide} on the client's side for {report.Connections.ClosedByClient} closed");
        Assert.Equal(0, states.Server.GetValueOrDefault("TIME_WAIT"));
    }

    [Fact]
    public async Task Idle_connections_pipelines_ranges_and_split_writes_together()
    {
        await using var server = InProcessServer.Start("select", Framing.Framed);
        var options = Options(server.EndPoint) with
        {
            Connections = 3,
            IdleConnections = 5,
            Pipeline = 8,
            Payload = new PayloadSize(0, 3000),
            SplitWrites = true,
            ConnectRate = 100,
        };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        Assert.Equal(0, report.ExitCode);
        Assert.True(report.Messages > 0);
        Assert.Equal(5, report.Connections.Idle);
        Assert.Equal(8, report.Connections.Established);
        Assert.Equal(8, report.Connections.PeakOpen);
        Assert.Equal(0, report.Errors.Timeouts);
    }

    [Fact]
    public async Task Raw_framing_drives_an_rfc862_echo()
    {
        await using var server = InProcessServer.Start("select", Framing.Raw);
        var options = Options(server.EndPoint) with { Framing = Framing.Raw, Connections = 2, Pipeline = 4, Payload = new PayloadSize(1, 500) };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        Assert.Equal(0, report.ExitCode);
        Assert.True(report.Messages > 0);
        Assert.Equal(0, report.Errors.Mismatches);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 2000)]
    public async Task Line_framing_verifies_every_line_through_an_echo(int minPayload, int maxPayload)
    {
        await using var server = InProcessServer.Start("select", Framing.Line);
        var options = Options(server.EndPoint) with { Framing = Framing.Line, Connections = 2, Pipeline = 4, Payload = new PayloadSize(minPayload, maxPayload) };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        Assert.Equal(0, report.ExitCode);
        Assert.True(report.Messages > 0);
        Assert.Equal("line", report.Config.Framing);
        Assert.Equal(0, report.Errors.Mismatches);
    }

    [Fact]
    public void A_corrupting_server_is_caught_at_the_bad_byte()
    {
        using var server = new CorruptingEchoServer(corruptOffset: 1000);
        var options = Options(server.EndPoint) with { Connections = 1, Threads = 1, Payload = new PayloadSize(64, 64) };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(1, report.Errors.Mismatches);
        var mismatch = Assert.IsType<MismatchReport>(report.Mismatch);
        Assert.Equal(1000, mismatch.FirstBadOffset);
        Assert.Equal(1000 / 68, mismatch.Sequence);
        Assert.Equal(1000 % 68, mismatch.MessageOffset);
        Assert.Equal(mismatch.Expected ^ 0x01, mismatch.Actual);
    }

    [Fact]
    public async Task A_server_that_hangs_up_is_counted_and_reconnected_to()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(Timeouts.Case);
        // Accepts and closes at once, until the test ends (or its time is up). A thread of its own: a thread-pool
        // task could wait behind what earlier tests left on the pool, and a connection never accepted is never hung
        // up on (once, in a full CI run, neither of the two was within the run's 0.9 s).
        var hangUps = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (listener.Server.Poll(TimeSpan.FromMilliseconds(10), SelectMode.SelectRead))
                {
                    using var client = listener.AcceptSocket();
                }
            }
        })
        { IsBackground = true, Name = "hang-up server" };
        hangUps.Start();
        var endPoint = (IPEndPoint)listener.LocalEndpoint;

        var report = new LoadRunner(Options(endPoint), SystemClock.Instance).Run().Report;
        await stop.CancelAsync();
        Assert.True(hangUps.Join(Timeouts.Operation), "the hang-up server did not stop");

        Assert.Equal(0, report.Messages);
        Assert.Equal(ExitCodes.DidNotServe, report.ExitCode);
        Assert.True(report.Connections.ClosedByPeer + report.Errors.Resets >= 2, $"closed by peer {report.Connections.ClosedByPeer}, resets {report.Errors.Resets}");
        // Each hang-up is followed by a new connection: more were made than the two slots.
        Assert.True(report.Connections.Established > 2, $"established {report.Connections.Established}");
        Assert.Equal(0, report.Errors.Mismatches);
    }

    [Fact]
    public void An_unreachable_target_is_a_clear_error_not_a_hang()
    {
        // A port that was just free: nothing listens there.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endPoint = (IPEndPoint)probe.LocalEndPoint!;

        var e = Assert.Throws<TargetUnreachableException>(() => new LoadRunner(Options(endPoint), SystemClock.Instance).Run());

        Assert.Contains("ConnectionRefused", e.Message, StringComparison.Ordinal);
    }

    private static LoadOptions Options(IPEndPoint endPoint) => new()
    {
        Target = endPoint.ToString(),
        EndPoint = endPoint,
        Label = "test",
        Duration = TimeSpan.FromMilliseconds(700),
        Warmup = TimeSpan.FromMilliseconds(200),
        Connections = 2,
        Threads = 1,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        Timeout = TimeSpan.FromSeconds(2),
        Progress = false,
    };
}
