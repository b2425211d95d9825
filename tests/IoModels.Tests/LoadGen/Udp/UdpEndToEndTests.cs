using System.Text.Json;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.Timing;
using IoModels.Server.Models;
using IoModels.Server.Models.Udp;
using IoModels.Tests.Bench;
using IoModels.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoModels.Tests.LoadGen.Udp;

/// <summary>
/// The load generator against the repository's own UDP models: a healthy run exits 0 and its counts add up. Loopback
/// may still drop a datagram now and then, which is loss, not a failure, so loss is not asserted to be zero.
/// </summary>
public sealed class UdpEndToEndTests
{
    [Theory]
    [InlineData("epoll-et")]
    [InlineData("blocking")]
    public async Task A_udp_model_serves_every_flow_and_the_counts_add_up(string model)
    {
        await using var running = UdpModelServer.Start(model);
        var server = running.Model;
        var options = new LoadOptions
        {
            Target = server.LocalEndPoint.ToString(),
            EndPoint = server.LocalEndPoint,
            Label = model,
            Transport = Transport.Udp,
            Duration = TimeSpan.FromMilliseconds(700),
            Warmup = TimeSpan.FromMilliseconds(200),
            Connections = 4,
            Pipeline = 2,
            Threads = 1,
            Payload = new PayloadSize(8, 1500),
            Timeout = TimeSpan.FromSeconds(2),
            Progress = false,
        };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        var udp = Assert.IsType<UdpReport>(report.Udp);
        Assert.True(udp.Received > 0);
        Assert.Equal(udp.Sent, udp.Received + udp.Lost);
        Assert.Equal(udp.Received, report.Messages);
        Assert.Equal(udp.Received, report.LatencyMicros.Count);
        Assert.Equal(0, udp.Corrupted + udp.Truncated + udp.Duplicated + udp.ClientTruncated + udp.Refused);
        Assert.Equal(4, report.Connections.Established);
        Assert.Equal(4, report.Connections.ClosedByClient);
        Assert.NotNull(udp.Kernel);
        Assert.True(udp.Kernel.Delta.OutDatagrams >= udp.Sent);
    }

    [Fact]
    public async Task The_process_writes_the_udp_report_and_refuses_tcp_options_in_one_line()
    {
        await using var running = UdpModelServer.Start("epoll-et");
        var server = running.Model;
        string json = Path.Combine(Path.GetTempPath(), $"loadgen-udp-{Guid.NewGuid():N}.json");
        try
        {
            string loadGen = Path.Combine(AppContext.BaseDirectory, "IoModels.LoadGen.dll");
            var run = await ToolProcess.RunAsync("dotnet",
            [
                loadGen, "--target", server.LocalEndPoint.ToString(), "--transport", "udp", "--connections", "2",
                "--warmup", "0", "--duration", "500ms", "--payload", "300", "--udp-receive-buffer", "100",
                "--timeout", "2s", "--progress", "false", "--json", json,
            ]);
            var refused = await ToolProcess.RunAsync("dotnet", [loadGen, "--target", server.LocalEndPoint.ToString(), "--transport", "udp", "--framing", "line"]);

            Assert.True(run.ExitCode == ExitCodes.Ok, $"exit {run.ExitCode}: {run.StandardError}{run.StandardOutput}");
            Assert.Contains("cut by the client's 100-byte buffer", run.StandardOutput, StringComparison.Ordinal);
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var udp = report.RootElement.GetProperty("udp");
            Assert.Equal("udp", report.RootElement.GetProperty("config").GetProperty("transport").GetString());
            // Every echo is longer than the buffer: each one read was cut, whatever else it was.
            long echoes = udp.GetProperty("received").GetInt64() + udp.GetProperty("late").GetInt64() + udp.GetProperty("duplicated").GetInt64();
            Assert.True(echoes > 0);
            Assert.Equal(echoes, udp.GetProperty("clientTruncated").GetInt64());
            foreach (string key in new[] { "sent", "lost", "late", "duplicated", "reordered", "truncated", "corrupted", "refused", "lossPercent", "jitterMicros", "receiveBufferBytes" })
            {
                Assert.True(udp.TryGetProperty(key, out _), $"udp.{key} missing");
            }

            Assert.True(udp.GetProperty("kernel").GetProperty("delta").TryGetProperty("rcvbufErrors", out _));
            Assert.Equal(ExitCodes.BadOption, refused.ExitCode);
            Assert.Single(refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(json);
        }
    }

    /// <summary>A UDP model of the server, in this process, on a loopback port of its own.</summary>
    private sealed class UdpModelServer : IAsyncDisposable
    {
        private readonly ServerMetrics _metrics;

        private UdpModelServer(IUdpServerModel model, ServerMetrics metrics)
        {
            Model = model;
            _metrics = metrics;
        }

        public IUdpServerModel Model { get; }

        public static UdpModelServer Start(string model)
        {
            var metrics = new ServerMetrics();
            var server = UdpModelCatalog.Create(new ServerContext(new ServerOptions { Model = model, Port = 0, Transport = "udp" }, metrics, NullLogger.Instance));
            server.Start();
            return new UdpModelServer(server, metrics);
        }

        public async ValueTask DisposeAsync()
        {
            await Model.StopAsync(Timeouts.After(Timeouts.Operation));
            Model.Dispose();
            _metrics.Dispose();
        }
    }
}
