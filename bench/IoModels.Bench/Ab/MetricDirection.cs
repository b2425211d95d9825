namespace IoModels.Bench.Ab;

/// <summary>Whether a larger value of a metric is an improvement (messages/s) or a cost (CPU per message).</summary>
public enum MetricDirection
{
    HigherIsBetter,
    LowerIsBetter,
}
