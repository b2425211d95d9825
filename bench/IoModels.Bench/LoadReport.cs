using System.Text.Json;

namespace IoModels.Bench;

/// <summary>The figures the summary and the comparison use from one load generator report (docs/report.md).</summary>
internal sealed record LoadReport
{
    public double DurationSeconds { get; init; }

    public long Messages { get; init; }

    public double MessagesPerSecond { get; init; }

    public double BytesPerSecond { get; init; }

    public double? MeanMicros { get; init; }

    public double? P50Micros { get; init; }

    public double? P90Micros { get; init; }

    public double? P99Micros { get; init; }

    public double? P999Micros { get; init; }

    public double? P9999Micros { get; init; }

    public double? MaxMicros { get; init; }

    public double? ConnectP99Micros { get; init; }

    public long Mismatches { get; init; }

    public long Timeouts { get; init; }

    public long Resets { get; init; }

    public long OtherErrors { get; init; }

    public long FailedConnections { get; init; }

    /// <summary>Connections the server closed (a read saw the end of the stream).</summary>
    public long ClosedByPeer { get; init; }

    /// <summary>The <c>--idle-connections</c> the load generator opened; null when the report does not say.</summary>
    public long? IdleConnections { get; init; }

    /// <summary>Of those, the connections the server closed (its idle timeout); null from a load generator that did not count them.</summary>
    public long? IdleClosedByPeer { get; init; }

    /// <summary>Active connections the server closed: every close by the peer that was not one of the idle connections.</summary>
    public long? ActiveClosedByPeer => IdleClosedByPeer is long idle ? ClosedByPeer - idle : null;

    public long? AttemptedConnections { get; init; }

    public long? EstablishedConnections { get; init; }

    public double? ConnectP50Micros { get; init; }

    public double? ConnectMaxMicros { get; init; }

    /// <summary>Messages per second the load generator was asked for (open loop); null for a closed loop.</summary>
    public double? Rate { get; init; }

    public double? ServerCpuSeconds { get; init; }

    public long? ServerPeakRssBytes { get; init; }

    /// <summary>The server's VmRSS at the last reading, at the end of the measured phase.</summary>
    public long? ServerRssAtEndBytes { get; init; }

    public long? ServerThreads { get; init; }

    /// <summary>Sockets to the server's port in TIME_WAIT when the run ended, when the load generator counts socket states.</summary>
    public long? TimeWait { get; init; }

    /// <summary>TIME_WAIT sockets on the server's side (local port the target's): the server closed those connections first.</summary>
    public long? ServerTimeWait { get; init; }

    /// <summary>TIME_WAIT sockets on the client's side (remote port the target's): the client closed those connections first.</summary>
    public long? ClientTimeWait { get; init; }

    /// <summary>
    /// TIME_WAIT sockets a new connect took over during the run (the kernel's TcpExt TWRecycled rise, over the whole network
    /// namespace): the client's side of a per-request run that ran out of ports ends with fewer TIME_WAIT than it closed.
    /// </summary>
    public long? TimeWaitRecycled { get; init; }

    /// <summary>Closes that got no TIME_WAIT during the run because the namespace's table was full (TcpExt TCPTimeWaitOverflow).</summary>
    public long? TimeWaitOverflowed { get; init; }

    /// <summary>What became of the datagrams of a <c>--transport udp</c> run; null over TCP.</summary>
    public UdpFigures? Udp { get; init; }

    private double? ReportedCpuPerMillion { get; init; }

    /// <summary>The per-interval records of a run made with <c>--interval</c>; empty without.</summary>
    public IReadOnlyList<IntervalRecord> Intervals { get; init; } = [];

    /// <summary>Server CPU seconds per million echoed messages: the report's own figure, else derived from CPU seconds and messages.</summary>
    public double? CpuSecondsPerMillionMessages =>
        ReportedCpuPerMillion ?? (ServerCpuSeconds is double cpu && Messages > 0 ? cpu / Messages * 1e6 : null);

    public static LoadReport Parse(JsonElement root) => new()
    {
        Intervals = IntervalRecord.Parse(root, JsonPath.GetDouble(root, "durationSeconds") ?? 0),
        DurationSeconds = JsonPath.GetDouble(root, "durationSeconds") ?? 0,
        Messages = JsonPath.GetInt64(root, "messages") ?? 0,
        MessagesPerSecond = JsonPath.GetDouble(root, "throughput.messagesPerSecond") ?? 0,
        BytesPerSecond = JsonPath.GetDouble(root, "throughput.bytesPerSecond") ?? 0,
        MeanMicros = JsonPath.GetDouble(root, "latencyMicros.mean"),
        P50Micros = JsonPath.GetDouble(root, "latencyMicros.p50"),
        P90Micros = JsonPath.GetDouble(root, "latencyMicros.p90"),
        P99Micros = JsonPath.GetDouble(root, "latencyMicros.p99"),
        P999Micros = JsonPath.GetDouble(root, "latencyMicros.p999"),
        P9999Micros = JsonPath.GetDouble(root, "latencyMicros.p9999"),
        MaxMicros = JsonPath.GetDouble(root, "latencyMicros.max"),
        ConnectP99Micros = JsonPath.GetDouble(root, "connectMicros.p99"),
        Mismatches = JsonPath.GetInt64(root, "errors.mismatches") ?? 0,
        Timeouts = JsonPath.GetInt64(root, "errors.timeouts") ?? 0,
        Resets = JsonPath.GetInt64(root, "errors.resets") ?? 0,
        OtherErrors = JsonPath.GetInt64(root, "errors.other") ?? 0,
        FailedConnections = JsonPath.GetInt64(root, "connections.failed") ?? 0,
        ClosedByPeer = JsonPath.GetInt64(root, "connections.closedByPeer") ?? 0,
        IdleConnections = JsonPath.GetInt64(root, "connections.idle"),
        IdleClosedByPeer = JsonPath.GetInt64(root, "connections.idleClosedByPeer"),
        AttemptedConnections = JsonPath.GetInt64(root, "connections.attempted"),
        EstablishedConnections = JsonPath.GetInt64(root, "connections.established"),
        ConnectP50Micros = JsonPath.GetDouble(root, "connectMicros.p50"),
        ConnectMaxMicros = JsonPath.GetDouble(root, "connectMicros.max"),
        Rate = JsonPath.GetDouble(root, "config.rate"),
        ServerCpuSeconds = JsonPath.GetDouble(root, "server.cpuSeconds"),
        ServerPeakRssBytes = JsonPath.GetInt64(root, "server.peakRssBytes"),
        ServerRssAtEndBytes = JsonPath.GetInt64(root, "server.rssBytesAtEnd"),
        ServerThreads = JsonPath.GetInt64(root, "server.threads"),
        TimeWait = JsonPath.GetInt64(root, "socketStates.counts.TIME_WAIT"),
        ServerTimeWait = TimeWaitOn(root, "server"),
        ClientTimeWait = TimeWaitOn(root, "client"),
        TimeWaitRecycled = JsonPath.GetInt64(root, "socketStates.timeWaitRecycled"),
        TimeWaitOverflowed = JsonPath.GetInt64(root, "socketStates.timeWaitOverflowed"),
        Udp = UdpFigures.Parse(root),
        ReportedCpuPerMillion = JsonPath.GetDouble(root, "server.cpuSecondsPerMillionMessages"),
    };

    /// <summary>The latency percentiles the report itself lists, for a curve when no <c>.hgrm</c> file exists.</summary>
    public IReadOnlyList<PercentilePoint> ReportedPercentiles()
    {
        var points = new List<PercentilePoint>();
        Add(50, P50Micros);
        Add(90, P90Micros);
        Add(99, P99Micros);
        Add(99.9, P999Micros);
        Add(99.99, P9999Micros);
        return points;

        void Add(double percentile, double? micros)
        {
            if (micros is double value)
            {
                points.Add(new PercentilePoint(percentile, value));
            }
        }
    }

    /// <summary>
    /// The TIME_WAIT count of one side of the census: a side that was counted but lists no TIME_WAIT had none (0); null
    /// when the report has no census of that side.
    /// </summary>
    private static long? TimeWaitOn(JsonElement root, string side) =>
        JsonPath.GetInt64(root, $"socketStates.{side}.TIME_WAIT") ?? (JsonPath.Find(root, $"socketStates.{side}") is null ? null : 0);
}
