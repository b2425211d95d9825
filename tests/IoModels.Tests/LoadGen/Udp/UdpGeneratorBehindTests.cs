using System.Net;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.Timing;

namespace IoModels.Tests.LoadGen.Udp;

/// <summary>
/// An open loop far beyond what one load-generator thread can send: the generator falls behind its timetable from
/// the first pass. It must still read its echoes between batches of sends. Before it did, each pass sent everything
/// that fell due during the last one, so passes grew until one lasted the whole run, and the echoes overflowed the
/// flows' sockets unread or came back too old to be matched: a server that echoed every datagram was reported as
/// having served nothing.
/// </summary>
public sealed class UdpGeneratorBehindTests
{
    [Fact]
    public void A_generator_behind_its_timetable_still_reads_what_the_server_echoes()
    {
        var report = Run(out var server);

        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        var udp = Assert.IsType<UdpReport>(report.Udp);
        // No warm-up: every datagram sent is a measured one. The server echoes each one it reads (what overflowed its
        // own socket it never saw).
        Assert.InRange(server.Received, 1, udp.Sent);
        Assert.True(udp.Late == 0, $"{udp.Late:N0} late; {udp.Received:N0} of {server.Received:N0} echoes read, {udp.Sent:N0} sent");
        // What the echo server read came back, bar what the client's own sockets could not hold.
        Assert.True(udp.Received >= server.Received / 2, $"{udp.Received:N0} of {server.Received:N0} echoes read");

        Assert.Contains("the load generator fell behind its timetable", Summary(report), StringComparison.Ordinal);
    }

    private static LoadReport Run(out UdpFaultServer done)
    {
        LoadReport report;
        var server = new UdpFaultServer(UdpFault.None);
        using (server)
        {
            report = new LoadRunner(Options(server.EndPoint), SystemClock.Instance).Run().Report;
        }

        Assert.Null(server.Failure);
        done = server;
        return report;
    }

    private static string Summary(LoadReport report)
    {
        var summary = new StringWriter();
        SummaryWriter.Write(summary, report);
        return summary.ToString();
    }

    private static LoadOptions Options(IPEndPoint endPoint) => new()
    {
        Target = endPoint.ToString(),
        EndPoint = endPoint,
        Label = "udp generator behind",
        Transport = Transport.Udp,
        // Tens of times what one thread sends: behind from the start, on any machine.
        Rate = 20_000_000,
        Pipeline = 4,
        Duration = TimeSpan.FromSeconds(1),
        Warmup = TimeSpan.Zero,
        Timeout = TimeSpan.FromMilliseconds(500),
        Connections = 16,
        Threads = 1,
        Payload = new PayloadSize(64, 64),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        Progress = false,
    };
}
