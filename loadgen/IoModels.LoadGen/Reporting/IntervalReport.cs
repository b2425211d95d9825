namespace IoModels.LoadGen.Reporting;

/// <summary>One <c>--interval</c> of the measured phase (docs/report.md <c>intervals</c>): latencies in microseconds.</summary>
public sealed record IntervalReport
{
    /// <summary>Seconds from the start of the measured phase to the start of this interval.</summary>
    public required double Start { get; init; }

    /// <summary>Echoes verified in this interval (the interval histogram's count).</summary>
    public required long Messages { get; init; }

    /// <summary>Mismatches, timeouts, resets, other errors and failed connects counted in this interval.</summary>
    public required long Errors { get; init; }

    public required long P50 { get; init; }

    public required long P99 { get; init; }

    public required long Max { get; init; }

    /// <summary>Active connections open when the interval ended (the last one: as last read before the measured phase ended).</summary>
    public required long Open { get; init; }
}
