namespace IoModels.Bench;

/// <summary>What a scenario's ratio to <c>reference</c> is made of.</summary>
internal enum ScoreMetric
{
    /// <summary>Closed loop: messages per second (higher is better).</summary>
    Throughput,

    /// <summary>Open loop at a fixed rate: throughput is set by the rate, so the p99 latency is what differs (lower is better).</summary>
    P99Latency,
}
