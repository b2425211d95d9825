using System.Net;
using System.Net.Sockets;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.Timing;

namespace IoModels.Tests.LoadGen.Udp;

/// <summary>
/// The load generator's UDP counts against fault servers that do one thing to every N-th datagram and count it: each
/// count must come out exact. Open loop at a modest rate with no warm-up, so every datagram is a measured one and the
/// sockets' buffers are never near full; a timeout no loopback echo misses, even on a busy machine, so nothing is lost
/// that the server did not drop.
/// </summary>
public sealed class UdpAccountingTests
{
    private const int PayloadBytes = 64;

    [Fact]
    public void Every_datagram_dropped_is_counted_lost_and_loss_is_not_a_failure()
    {
        var report = Run(new UdpFaultServer(UdpFault.Drop, every: 7), out var server);

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        var udp = Udp(report);
        Assert.Equal(server.Received, udp.Sent);
        Assert.True(server.Faults > 0);
        Assert.Equal(server.Faults, udp.Lost);
        Assert.Equal(udp.Sent - server.Faults, udp.Received);
        Assert.Equal(udp.Received, report.Messages);
        Assert.Equal(udp.Received, report.LatencyMicros.Count);
        Assert.Equal(Math.Round(100.0 * udp.Lost / udp.Sent, 4), udp.LossPercent);
        Assert.Equal(0, udp.Late + udp.Duplicated + udp.Reordered + udp.Truncated + udp.Corrupted + udp.ClientTruncated);
    }

    [Fact]
    public void Every_duplicate_is_counted_once_and_is_not_a_failure()
    {
        var report = Run(new UdpFaultServer(UdpFault.Duplicate, every: 5), out var server);

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        var udp = Udp(report);
        Assert.True(server.Faults > 0);
        Assert.Equal(server.Faults, udp.Duplicated);
        Assert.Equal(server.Received, udp.Sent);
        Assert.Equal(udp.Sent, udp.Received);
        Assert.Equal(0, udp.Lost + udp.Late + udp.Reordered + udp.Truncated + udp.Corrupted);
    }

    [Fact]
    public void Every_swapped_pair_is_one_reordered_echo()
    {
        var report = Run(new UdpFaultServer(UdpFault.Reorder), out var server);

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        var udp = Udp(report);
        Assert.True(server.Faults > 0);
        Assert.Equal(server.Faults, udp.Reordered);
        Assert.Equal(server.Received, udp.Sent);
        Assert.Equal(udp.Sent, udp.Received);
        Assert.Equal(0, udp.Lost + udp.Late + udp.Duplicated + udp.Truncated + udp.Corrupted);
    }

    [Fact]
    public void Every_truncated_echo_is_counted_and_is_a_mismatch()
    {
        var report = Run(new UdpFaultServer(UdpFault.Truncate, every: 6), out var server);

        Assert.Equal(ExitCodes.Mismatch, report.ExitCode);
        var udp = Udp(report);
        Assert.True(server.Faults > 0);
        Assert.Equal(server.Faults, udp.Truncated);
        Assert.Equal(server.Faults, report.Errors.Mismatches);
        Assert.Equal(udp.Sent - server.Faults, udp.Received);
        Assert.Equal(0, udp.Lost + udp.Corrupted + udp.ClientTruncated);
        var first = Assert.IsType<MismatchReport>(report.Mismatch);
        Assert.Equal(PayloadBytes / 2, first.FirstBadOffset);
        Assert.Contains($"{PayloadBytes / 2} bytes of the {PayloadBytes} sent", first.Reason, StringComparison.Ordinal);
        Assert.StartsWith("the server echoed ", report.VerdictReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_corrupted_echo_is_counted_and_is_a_mismatch()
    {
        var report = Run(new UdpFaultServer(UdpFault.Corrupt, every: 4), out var server);

        Assert.Equal(ExitCodes.Mismatch, report.ExitCode);
        var udp = Udp(report);
        Assert.True(server.Faults > 0);
        Assert.Equal(server.Faults, udp.Corrupted);
        Assert.Equal(server.Faults, report.Errors.Mismatches);
        Assert.Equal(udp.Sent - server.Faults, udp.Received);
        Assert.Equal(0, udp.Lost + udp.Truncated);
        var first = Assert.IsType<MismatchReport>(report.Mismatch);
        Assert.Equal(PayloadBytes - 1, first.MessageOffset);
        Assert.Equal(first.Expected ^ 0x01, first.Actual);
    }

    [Fact]
    public void Echoes_longer_than_the_clients_buffer_are_cut_counted_and_not_a_mismatch()
    {
        // Datagrams of 8 to 400 bytes read into 100: the longer ones lose their tail in the client (MSG_TRUNC).
        var report = Run(new UdpFaultServer(UdpFault.None, countAbove: 100), out var server, payload: new PayloadSize(8, 400), receiveBuffer: 100);

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        var udp = Udp(report);
        Assert.True(server.LongerThanThreshold > 0);
        Assert.Equal(server.LongerThanThreshold, udp.ClientTruncated);
        Assert.Equal(100, udp.ReceiveBufferBytes);
        Assert.Equal(udp.Sent, udp.Received);
        Assert.Equal(0, udp.Truncated + udp.Corrupted + udp.Lost);
        Assert.Equal(0, report.Errors.Mismatches);
    }

    [Fact]
    public void A_server_that_answers_nothing_did_not_serve()
    {
        var report = Run(new UdpFaultServer(UdpFault.Drop, every: 1), out var server, timeout: TimeSpan.FromMilliseconds(200));

        Assert.Equal(ExitCodes.DidNotServe, report.ExitCode);
        var udp = Udp(report);
        Assert.Equal(server.Received, udp.Sent);
        Assert.Equal(udp.Sent, udp.Lost);
        Assert.Equal(100, udp.LossPercent);
        Assert.StartsWith("the server did not serve: 0 echoes verified in ", report.VerdictReason, StringComparison.Ordinal);
        Assert.Contains($"{udp.Sent:N0} datagrams sent, {udp.Lost:N0} lost", report.VerdictReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_nothing_listens_on_is_unreachable()
    {
        // A port that was just free: the kernel answers ICMP port unreachable.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endPoint = (IPEndPoint)probe.LocalEndPoint!;
        probe.Dispose();

        var e = Assert.Throws<TargetUnreachableException>(() => new LoadRunner(Options(endPoint), SystemClock.Instance).Run());

        Assert.Contains("ICMP port unreachable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_closed_loop_flow_goes_on_after_each_loss()
    {
        // One datagram in flight per flow: each drop holds the flow for the timeout, then the next datagram goes.
        var report = Run(new UdpFaultServer(UdpFault.Drop, every: 3), out var server, openLoop: false, timeout: TimeSpan.FromMilliseconds(500), duration: TimeSpan.FromSeconds(2));

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        var udp = Udp(report);
        Assert.True(server.Faults >= 2, $"{server.Faults} dropped");
        Assert.Equal(server.Faults, udp.Lost);
        Assert.Equal(server.Received, udp.Sent);
        Assert.Equal(udp.Sent - udp.Lost, udp.Received);
        Assert.Equal(0, udp.Late);
    }

    private static LoadReport Run(UdpFaultServer server, out UdpFaultServer done, bool openLoop = true, PayloadSize? payload = null, int receiveBuffer = UdpDatagram.MaxReceiveBuffer, TimeSpan? timeout = null, TimeSpan? duration = null)
    {
        LoadReport report;
        using (server)
        {
            var options = Options(server.EndPoint) with
            {
                Rate = openLoop ? 2_000 : null,
                Pipeline = openLoop ? 4 : 1,
                Duration = duration ?? TimeSpan.FromSeconds(1),
                Payload = payload ?? new PayloadSize(PayloadBytes, PayloadBytes),
                UdpReceiveBuffer = receiveBuffer,
                Timeout = timeout ?? TimeSpan.FromSeconds(2),
            };
            report = new LoadRunner(options, SystemClock.Instance).Run().Report;
        }

        Assert.Null(server.Failure);
        done = server;
        return report;
    }

    private static UdpReport Udp(LoadReport report)
    {
        Assert.Equal("udp", report.Config.Transport);
        return Assert.IsType<UdpReport>(report.Udp);
    }

    private static LoadOptions Options(IPEndPoint endPoint) => new()
    {
        Target = endPoint.ToString(),
        EndPoint = endPoint,
        Label = "udp accounting",
        Transport = Transport.Udp,
        Duration = TimeSpan.FromSeconds(1),
        Warmup = TimeSpan.Zero,
        Connections = 2,
        Threads = 1,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        Progress = false,
    };
}
