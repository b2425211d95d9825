using System.Net;
using System.Text.Json;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.Timing;
using IoModels.Protocol;
using IoModels.Server.Models;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.LoadGen;

/// <summary>
/// <c>connections.idleClosedByPeer</c>: the idle connections a server closed (its idle timeout) are counted apart from the
/// active ones, and are no failure of the run.
/// </summary>
public sealed class IdleClosedByServerTests
{
    private const int IdleConnections = 5;

    [Fact]
    public async Task Idle_connections_the_server_times_out_are_counted_apart_and_the_run_is_ok()
    {
        // Closed 0.5 to 0.75 s after they connect, well inside the 2 s run; the active connections echo all the time.
        await using var server = InProcessServer.Start(new ServerOptions { Model = "epoll-lt", Port = 0, IdleTimeout = TimeSpan.FromMilliseconds(500) });

        var report = new LoadRunner(Options(server.EndPoint), SystemClock.Instance).Run().Report;

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        Assert.Equal(IdleConnections, report.Connections.Idle);
        Assert.Equal(IdleConnections, report.Connections.IdleClosedByPeer);
        Assert.Equal(IdleConnections, report.Connections.ClosedByPeer);
        Assert.Equal(IdleConnections, server.Metrics.ConnectionsClosedIdle);
        Assert.True(report.Messages > 0);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, LoadReportJsonContext.Default.LoadReport));
        Assert.Equal(IdleConnections, json.RootElement.GetProperty("connections").GetProperty("idleClosedByPeer").GetInt64());
    }

    [Theory]
    [InlineData(Framing.Framed)]
    [InlineData(Framing.Line)]
    public async Task Idle_connections_holding_half_a_message_are_closed_as_well(Framing framing)
    {
        // A slowloris: the bytes of a message that never completes are no progress (docs/server.md#idle-timeout).
        await using var server = InProcessServer.Start(new ServerOptions { Model = "epoll-et", Port = 0, Framing = framing, IdleTimeout = TimeSpan.FromMilliseconds(500) });

        var report = new LoadRunner(Options(server.EndPoint) with { Framing = framing, IdlePartial = true }, SystemClock.Instance).Run().Report;

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        Assert.True(report.Config.IdlePartial);
        Assert.Equal(IdleConnections, report.Connections.IdleClosedByPeer);
        Assert.Equal(IdleConnections, report.Connections.ClosedByPeer);
        Assert.Equal(IdleConnections, server.Metrics.ConnectionsClosedIdle);
        Assert.Equal(0, server.Metrics.ProtocolErrors);
        // Every active echo came back whole, so what the server took and never echoed is the idle connections' halves.
        Assert.Equal(IdleConnections * (framing == Framing.Line ? 1 : 2), server.Metrics.BytesReceived - server.Metrics.BytesSent);
        Assert.Equal(0, report.Errors.Other);
    }

    [Fact]
    public async Task Without_an_idle_timeout_no_idle_connection_is_closed_by_the_server()
    {
        await using var server = InProcessServer.Start(new ServerOptions { Model = "epoll-lt", Port = 0, IdleTimeout = TimeSpan.Zero });

        var report = new LoadRunner(Options(server.EndPoint), SystemClock.Instance).Run().Report;

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        Assert.Equal(IdleConnections, report.Connections.Idle);
        Assert.Equal(0, report.Connections.IdleClosedByPeer);
        Assert.Equal(0, report.Connections.ClosedByPeer);
    }

    private static LoadOptions Options(IPEndPoint endPoint) => new()
    {
        Target = endPoint.ToString(),
        EndPoint = endPoint,
        Label = "test",
        Duration = TimeSpan.FromSeconds(2),
        Warmup = TimeSpan.Zero,
        Connections = 2,
        IdleConnections = IdleConnections,
        Threads = 1,
        Payload = new PayloadSize(64, 64),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        Timeout = Timeouts.Operation,
        Progress = false,
    };
}
