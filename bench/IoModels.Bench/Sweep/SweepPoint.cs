namespace IoModels.Bench.Sweep;

/// <summary>One model at one step of a rate sweep: what it was offered, what it echoed, and its latency; <see cref="Ran"/> is false for a cell that failed.</summary>
internal sealed record SweepPoint(double OfferedRate, double AchievedRate, double? P50Micros, double? P99Micros, bool Ran);
