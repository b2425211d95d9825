namespace IoModels.Bench.Merge;

/// <summary>
/// Several load-generator processes' reports as one. Counts and throughputs are sums; latency percentiles come from
/// the sum of their histograms (exact: the same as one histogram fed every sample). Keys follow the load generator's
/// report where they mean the same, so a reader of one reads the other.
/// </summary>
public sealed record MergedReport
{
    public const string SchemaName = "iomodels.loadgen-merge/1";

    public const string StatusOk = "ok";

    public const string StatusTainted = "tainted";

    public string Schema { get; init; } = SchemaName;

    /// <summary><see cref="StatusOk"/>, or <see cref="StatusTainted"/> when an input failed (see <see cref="TaintedBy"/>).</summary>
    public required string Status { get; init; }

    /// <summary>One line per reason the merge is tainted, naming the input.</summary>
    public required IReadOnlyList<string> TaintedBy { get; init; }

    /// <summary>The load-generator processes behind the report: a merged input counts its own.</summary>
    public required int Processes { get; init; }

    /// <summary>The first non-zero input exit code in the load generator's precedence (2, 3, 1, 4, 5), else 0.</summary>
    public required int ExitCode { get; init; }

    public required string Label { get; init; }

    public required string Target { get; init; }

    /// <summary>From the earliest start to the latest end of the processes' measured phases.</summary>
    public required MergedPhase MeasuredPhase { get; init; }

    /// <summary>The span of <see cref="MeasuredPhase"/> in seconds.</summary>
    public required double DurationSeconds { get; init; }

    public required long Messages { get; init; }

    public required long Bytes { get; init; }

    public required MergedThroughput Throughput { get; init; }

    public required MergedLatency LatencyMicros { get; init; }

    public required MergedConnections Connections { get; init; }

    public required MergedErrors Errors { get; init; }

    /// <summary>The merged histogram, encoded as the inputs' were: a merged report can be merged again.</summary>
    public required string LatencyHistogram { get; init; }

    public required IReadOnlyList<MergedInput> Inputs { get; init; }
}

public sealed record MergedPhase
{
    public required DateTimeOffset StartUtc { get; init; }

    public required DateTimeOffset EndUtc { get; init; }
}

public sealed record MergedThroughput
{
    public required double MessagesPerSecond { get; init; }

    public required double BytesPerSecond { get; init; }
}

public sealed record MergedLatency
{
    public required long Count { get; init; }

    public required double Mean { get; init; }

    public required long P50 { get; init; }

    public required long P90 { get; init; }

    public required long P99 { get; init; }

    public required long P999 { get; init; }

    public required long P9999 { get; init; }

    public required long Max { get; init; }
}

public sealed record MergedConnections
{
    public required long Attempted { get; init; }

    public required long Established { get; init; }

    public required long Failed { get; init; }

    /// <summary>Failed connects by reason, added key by key.</summary>
    public required SortedDictionary<string, long> FailedByReason { get; init; }

    /// <summary>The sum of the processes' peaks: an upper bound, since the peaks need not coincide.</summary>
    public required long PeakOpen { get; init; }

    public required long ClosedByPeer { get; init; }

    public required long ClosedByClient { get; init; }

    public required long Idle { get; init; }

    public required long IdleClosedByPeer { get; init; }
}

public sealed record MergedErrors
{
    public required long Mismatches { get; init; }

    public required long Timeouts { get; init; }

    public required long Resets { get; init; }

    public required long Other { get; init; }

    public required long LostInFlight { get; init; }
}

/// <summary>One input as it went into the merge.</summary>
public sealed record MergedInput
{
    public required string Path { get; init; }

    public required string Label { get; init; }

    public required int ExitCode { get; init; }

    public required long Messages { get; init; }

    public required DateTimeOffset StartUtc { get; init; }

    public required DateTimeOffset EndUtc { get; init; }
}
