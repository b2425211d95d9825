using System.Text.Json;

namespace IoModels.Bench;

/// <summary>The figures the summary shows from a report's <c>udp</c> object (docs/report.md#udp).</summary>
internal sealed record UdpFigures(long Sent, long Lost, double LossPercent, long ClientTruncated, long? RcvbufErrors)
{
    public long Received { get; init; }

    /// <summary>The kernel's <c>InDatagrams</c> over the run: every datagram a UDP socket of the machine received, the server's and the client's.</summary>
    public long? InDatagrams { get; init; }

    /// <summary>The kernel's <c>OutDatagrams</c> over the run: every datagram a UDP socket of the machine sent, the client's and the server's echoes.</summary>
    public long? OutDatagrams { get; init; }

    /// <summary>
    /// Datagrams the load generator sent that the server's socket did not receive: sent, less what the kernel delivered
    /// to any socket beyond the client's echoes. An estimate (the counters see every UDP socket of the machine, and the
    /// warm-up's last datagrams), at least 0; null without the kernel counters.
    /// </summary>
    public long? DroppedBeforeServer => InDatagrams is long received ? Math.Max(0, Sent - (received - Received)) : null;

    /// <summary>Echoes the server sent that the load generator's sockets did not receive: every datagram sent beyond the client's, less the client's echoes; an estimate as <see cref="DroppedBeforeServer"/>.</summary>
    public long? DroppedBeforeClient => OutDatagrams is long sent ? Math.Max(0, sent - Sent - Received) : null;

    /// <summary>The report's <c>udp</c> object, or null for a TCP run (the object is absent).</summary>
    public static UdpFigures? Parse(JsonElement root) => JsonPath.Find(root, "udp") is { ValueKind: JsonValueKind.Object } udp
        ? new UdpFigures(
            JsonPath.GetInt64(udp, "sent") ?? 0,
            JsonPath.GetInt64(udp, "lost") ?? 0,
            JsonPath.GetDouble(udp, "lossPercent") ?? 0,
            JsonPath.GetInt64(udp, "clientTruncated") ?? 0,
            JsonPath.GetInt64(udp, "kernel.delta.rcvbufErrors"))
        {
            Received = JsonPath.GetInt64(udp, "received") ?? 0,
            InDatagrams = JsonPath.GetInt64(udp, "kernel.delta.inDatagrams"),
            OutDatagrams = JsonPath.GetInt64(udp, "kernel.delta.outDatagrams"),
        }
        : null;
}
