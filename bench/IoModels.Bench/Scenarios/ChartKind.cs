namespace IoModels.Bench.Scenarios;

/// <summary>A picture the summary draws for a scenario.</summary>
internal enum ChartKind
{
    /// <summary>Bars of messages per second, one per model, for each cell.</summary>
    Throughput,

    /// <summary>Bars of MiB per second, for scenarios whose messages are large.</summary>
    Bandwidth,

    /// <summary>Latency percentile curves, one per model, for each cell.</summary>
    Latency,

    /// <summary>Messages per second against the numeric variant (e.g. idle connections), one line per model.</summary>
    VariantLines,

    /// <summary>Bars of UDP loss percent per model, grouped by cell, for the scenarios over UDP.</summary>
    Loss,

    /// <summary>A rate sweep: p50 and p99 against the offered rate, one line per model, log latency axis.</summary>
    LatencyVsLoad,
}
