namespace IoModels.LoadGen.Reporting;

/// <summary>The load generator's own cost over the measured phase, so a reader can check it was not the bottleneck.</summary>
public sealed record ClientReport
{
    /// <summary>CPU seconds (user + system) this process used in the measured phase.</summary>
    public required double CpuSeconds { get; init; }

    public double? CpuSecondsPerMillionMessages { get; init; }

    /// <summary>Bytes allocated on the managed heap in the measured phase: near zero, since nothing is allocated per message.</summary>
    public required long AllocatedBytes { get; init; }

    public required int Gen0Collections { get; init; }
}
