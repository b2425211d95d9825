namespace IoModels.LoadGen.Reporting;

/// <summary>The report of docs/report.md. Property names become the camelCase JSON keys the bench runner reads: do not rename.</summary>
public sealed record LoadReport
{
    public const string SchemaName = "iomodels.loadgen/1";

    public string Schema { get; init; } = SchemaName;

    public required string Label { get; init; }

    public required string Target { get; init; }

    public required RunConfig Config { get; init; }

    /// <summary>Measured phase only, warm-up excluded.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Echoes completed and verified in the measured phase.</summary>
    public required long Messages { get; init; }

    /// <summary>Echoed bytes in the measured phase, as on the wire (length headers included when framed).</summary>
    public required long Bytes { get; init; }

    public required ThroughputReport Throughput { get; init; }

    /// <summary>Echo latency; in an open loop measured from when each message was due (coordinated omission corrected).</summary>
    public required LatencyReport LatencyMicros { get; init; }

    /// <summary>Open loop only: latency from the actual write, as a tool without the correction would report it.</summary>
    public LatencyReport? UncorrectedLatencyMicros { get; init; }

    public required LatencyReport ConnectMicros { get; init; }

    public required ConnectionsReport Connections { get; init; }

    public required ErrorsReport Errors { get; init; }

    /// <summary>The first echoed byte that differed from what was sent; absent when every byte matched.</summary>
    public MismatchReport? Mismatch { get; init; }

    /// <summary>Present with <c>--server-pid</c>.</summary>
    public ServerReport? Server { get; init; }

    /// <summary>The load generator's own CPU and memory cost in the measured phase.</summary>
    public required ClientReport Client { get; init; }

    public required SocketStatesReport SocketStates { get; init; }

    /// <summary>With <c>--transport udp</c>: the datagram counts, loss, jitter and the kernel's drop counters.</summary>
    public UdpReport? Udp { get; init; }

    public required EnvironmentReport Environment { get; init; }

    /// <summary>The process exit code this report implies (<see cref="ExitCodes"/>; 2 and 3 end the run before any report).</summary>
    public required int ExitCode { get; init; }

    /// <summary>The exit code as a keyword: <c>ok</c>, <c>mismatch</c>, <c>did-not-serve</c> or <c>served-badly</c>.</summary>
    public required string Verdict { get; init; }

    /// <summary>One line saying why the run failed, as printed on stderr; absent when it did not.</summary>
    public string? VerdictReason { get; init; }

    /// <summary>When the measured phase ran, on the wall clock (several processes started with <c>--start-at</c> agree).</summary>
    public MeasuredPhaseReport? MeasuredPhase { get; init; }

    /// <summary>The corrected latency histogram (µs) in HdrHistogram's compressed base64 encoding, for exact merges.</summary>
    public string? LatencyHistogram { get; init; }

    /// <summary>With <c>--interval</c>: one record per interval of the measured phase.</summary>
    public IReadOnlyList<IntervalReport>? Intervals { get; init; }
}
