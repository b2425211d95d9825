namespace IoModels.Bench.Merge;

/// <summary>
/// The keys of a load-generator report (docs/report.md, <c>iomodels.loadgen/1</c>) that a merge reads, or of a merged
/// report (<c>iomodels.loadgen-merge/1</c>), which has them too; the rest is ignored. Every property is optional here so
/// a missing key is named by <see cref="ReportMerger"/> rather than thrown on.
/// </summary>
public sealed record InputReport
{
    public string? Schema { get; init; }

    /// <summary>A merged report's process count; a load generator's report is one process.</summary>
    public int? Processes { get; init; }

    /// <summary>A merged report's reasons it is tainted; none in a load generator's report.</summary>
    public IReadOnlyList<string>? TaintedBy { get; init; }

    public string? Label { get; init; }

    public string? Target { get; init; }

    public double DurationSeconds { get; init; }

    public long Messages { get; init; }

    public long Bytes { get; init; }

    public InputThroughput? Throughput { get; init; }

    public InputLatency? LatencyMicros { get; init; }

    public InputConnections? Connections { get; init; }

    public InputErrors? Errors { get; init; }

    public int? ExitCode { get; init; }

    public InputMeasuredPhase? MeasuredPhase { get; init; }

    public string? LatencyHistogram { get; init; }
}

public sealed record InputThroughput
{
    public double MessagesPerSecond { get; init; }

    public double BytesPerSecond { get; init; }
}

public sealed record InputLatency
{
    public long Count { get; init; }

    public double Mean { get; init; }
}

public sealed record InputConnections
{
    public long Attempted { get; init; }

    public long Established { get; init; }

    public long Failed { get; init; }

    public IReadOnlyDictionary<string, long>? FailedByReason { get; init; }

    public long PeakOpen { get; init; }

    public long ClosedByPeer { get; init; }

    public long ClosedByClient { get; init; }

    public long Idle { get; init; }

    public long IdleClosedByPeer { get; init; }
}

public sealed record InputErrors
{
    public long Mismatches { get; init; }

    public long Timeouts { get; init; }

    public long Resets { get; init; }

    public long Other { get; init; }

    public long LostInFlight { get; init; }
}

public sealed record InputMeasuredPhase
{
    public DateTimeOffset StartUtc { get; init; }

    public DateTimeOffset EndUtc { get; init; }
}
