using System.Text.Json;

namespace IoModels.Bench;

/// <summary>The figures the summary shows from a report's <c>udp</c> object (docs/report.md#udp).</summary>
internal sealed record UdpFigures(long Sent, long Lost, double LossPercent, long ClientTruncated, long? RcvbufErrors)
{
    /// <summary>The report's <c>udp</c> object, or null for a TCP run (the object is absent).</summary>
    public static UdpFigures? Parse(JsonElement root) => JsonPath.Find(root, "udp") is { ValueKind: JsonValueKind.Object } udp
        ? new UdpFigures(
            JsonPath.GetInt64(udp, "sent") ?? 0,
            JsonPath.GetInt64(udp, "lost") ?? 0,
            JsonPath.GetDouble(udp, "lossPercent") ?? 0,
            JsonPath.GetInt64(udp, "clientTruncated") ?? 0,
            JsonPath.GetInt64(udp, "kernel.delta.rcvbufErrors"))
        : null;
}
