using System.Globalization;

namespace IoModels.LoadGen.Reporting;

/// <summary>The human summary: one table of throughput, latency, connections and errors.</summary>
public static class SummaryWriter
{
    // A UDP open loop whose datagrams leave this much later than due, on average, is said to have fallen behind.
    private const double GeneratorLagWarningMicros = 1_000;

    public static void Write(TextWriter writer, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        var c = report.Config;
        var inv = CultureInfo.InvariantCulture;
        string shape = report.Udp is null
            ? $"{c.Connections} connections x pipeline {c.Pipeline}, {c.ConnectMode}, payload {c.Payload} B {c.Framing}"
            : $"udp, {c.Connections} flows x pipeline {c.Pipeline}, payload {c.Payload} B datagrams";
        writer.WriteLine(string.Create(inv, $"{report.Label}: {report.Target}, {c.LoadShape}{(c.Rate is double r ? $" at {r:N0} msg/s" : "")}, {shape}, {c.Threads} threads"));
        writer.WriteLine(string.Create(inv, $"measured {report.DurationSeconds:0.00} s after {c.WarmupSeconds:0.##} s warm-up"));
        writer.WriteLine();
        writer.WriteLine(string.Create(inv, $"  throughput     {report.Throughput.MessagesPerSecond,14:N0} msg/s  {report.Throughput.BytesPerSecond / 1e6,10:N2} MB/s   ({report.Messages:N0} echoes verified, {report.Bytes:N0} bytes)"));
        if (report.Throughput.RateSustained == false)
        {
            writer.WriteLine(string.Create(inv, $"  WARNING        the target did not keep up: {report.Throughput.MessagesPerSecond:N0} of {report.Throughput.RequestedMessagesPerSecond:N0} msg/s requested"));
        }

        // The two means differ by how late, on average, each datagram went out after it was due. A UDP receiver never
        // holds its sender back (a full receive buffer drops instead), so that lag is the load generator's own.
        double lagMicros = report.LatencyMicros.Mean - (report.UncorrectedLatencyMicros?.Mean ?? report.LatencyMicros.Mean);
        if (report.Udp is not null && c.Rate is not null && lagMicros > GeneratorLagWarningMicros)
        {
            writer.WriteLine(string.Create(inv, $"  WARNING        the load generator fell behind its timetable: its datagrams went out {lagMicros / 1_000:N1} ms after they were due on average, and the corrected latency holds that lag"));
        }

        writer.WriteLine();
        writer.WriteLine("  latency (us)       mean      p50      p90      p99    p99.9   p99.99      max    count");
        WriteLatency(writer, report.UncorrectedLatencyMicros is null ? "echo" : "echo (corrected)", report.LatencyMicros);
        if (report.UncorrectedLatencyMicros is { } uncorrected)
        {
            WriteLatency(writer, "echo (uncorrected)", uncorrected);
        }

        WriteLatency(writer, "connect", report.ConnectMicros);
        writer.WriteLine();
        var k = report.Connections;
        string idleClosed = k.Idle > 0 ? string.Create(inv, $" ({k.IdleClosedByPeer:N0} closed by peer)") : "";
        writer.WriteLine(string.Create(inv, $"  connections    attempted {k.Attempted:N0}  established {k.Established:N0}  failed {k.Failed:N0}{FailedReasons(k)}  peak open {k.PeakOpen:N0}  closed by peer {k.ClosedByPeer:N0}  by client {k.ClosedByClient:N0}  idle {k.Idle:N0}{idleClosed}"));
        var e = report.Errors;
        writer.WriteLine(string.Create(inv, $"  errors         mismatches {e.Mismatches:N0}  timeouts {e.Timeouts:N0}  resets {e.Resets:N0}  other {e.Other:N0}  lost in flight {e.LostInFlight:N0}"));
        if (report.Udp is { } u)
        {
            WriteUdp(writer, u);
        }

        if (report.Mismatch is { } m)
        {
            writer.WriteLine(string.Create(inv, $"  MISMATCH       connection {m.ConnectionId} message {m.Sequence}: first bad byte at stream offset {m.FirstBadOffset} (message offset {m.MessageOffset}): expected {(m.Expected is int x ? $"0x{x:X2}" : "nothing")}, got 0x{m.Actual:X2}; {m.Reason}"));
        }

        if (report.Server is { } s)
        {
            writer.WriteLine(string.Create(inv, $"  server {s.Pid,-7} cpu {s.CpuSeconds:0.00} s ({(s.CpuSecondsPerMillionMessages is double p ? p.ToString("0.000", inv) : "-")} s per million echoes)  peak rss {s.PeakRssBytes / 1048576.0:0.0} MiB (at end {s.RssBytesAtEnd / 1048576.0:0.0})  threads {s.Threads}"));
        }

        var client = report.Client;
        writer.WriteLine(string.Create(inv, $"  loadgen        cpu {client.CpuSeconds:0.00} s ({(client.CpuSecondsPerMillionMessages is double q ? q.ToString("0.000", inv) : "-")} s per million echoes)  allocated {client.AllocatedBytes:N0} bytes  gen0 collections {client.Gen0Collections}"));
        var states = report.SocketStates;
        string recycled = states.TimeWaitRecycled is long n ? string.Create(inv, $" ({n:N0} TIME_WAIT recycled by new connects)") : "";
        string overflowed = states.TimeWaitOverflowed is long lost and > 0 ? string.Create(inv, $" ({lost:N0} closes got no TIME_WAIT: the table was full)") : "";
        writer.WriteLine(string.Create(inv, $"  sockets :{states.Port,-6} server side {States(states.Server)};  client side {States(states.Client)}{recycled}{overflowed}"));
        writer.WriteLine(string.Create(inv, $"  verdict        {report.Verdict} (exit {report.ExitCode})"));
    }

    private static void WriteUdp(TextWriter writer, UdpReport u)
    {
        var inv = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(inv, $"  udp            sent {u.Sent:N0}  received {u.Received:N0}  lost {u.Lost:N0} ({u.LossPercent:0.###} %)  late {u.Late:N0}  duplicated {u.Duplicated:N0}  reordered {u.Reordered:N0}  jitter {u.JitterMicros:0.0} us"));
        writer.WriteLine(string.Create(inv, $"                 truncated {u.Truncated:N0}  corrupted {u.Corrupted:N0}  cut by the client's {u.ReceiveBufferBytes:N0}-byte buffer {u.ClientTruncated:N0}  port unreachable {u.Refused:N0}"));
        if (u.Kernel is { Delta: var d })
        {
            writer.WriteLine(string.Create(inv, $"  kernel udp     RcvbufErrors +{d.RcvbufErrors:N0}  SndbufErrors +{d.SndbufErrors:N0}  InErrors +{d.InErrors:N0}  NoPorts +{d.NoPorts:N0}  (InDatagrams +{d.InDatagrams:N0}  OutDatagrams +{d.OutDatagrams:N0}, every socket of the machine)"));
        }
    }

    private static void WriteLatency(TextWriter writer, string name, LatencyReport l) =>
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-18} {l.Mean,6:0.0} {l.P50,8} {l.P90,8} {l.P99,8} {l.P999,8} {l.P9999,8} {l.Max,8} {l.Count,8}"));

    private static string States(SortedDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join("  ", counts.Select(p => $"{p.Key} {p.Value}"));

    private static string FailedReasons(ConnectionsReport k) =>
        k.FailedByReason.Count == 0 ? "" : $" ({string.Join(", ", k.FailedByReason.Select(p => $"{p.Key} {p.Value}"))})";
}
