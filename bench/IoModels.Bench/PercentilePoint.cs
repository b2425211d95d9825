namespace IoModels.Bench;

/// <summary>One point of a latency distribution: <paramref name="Percentile"/> (0-100) of messages took at most <paramref name="Micros"/>.</summary>
internal readonly record struct PercentilePoint(double Percentile, double Micros);
