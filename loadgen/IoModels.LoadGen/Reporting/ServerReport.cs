namespace IoModels.LoadGen.Reporting;

/// <summary>The server process over the measured phase, from /proc.</summary>
public sealed record ServerReport
{
    public required int Pid { get; init; }

    public required double CpuSeconds { get; init; }

    /// <summary>CPU seconds the server spent per million echoes: its cost per message, independent of the rate reached.</summary>
    public double? CpuSecondsPerMillionMessages { get; init; }

    /// <summary>Highest VmRSS sampled (every 100 ms) in the measured phase.</summary>
    public required long PeakRssBytes { get; init; }

    /// <summary>VmRSS at the last reading, at the end of the measured phase: what the server still holds then.</summary>
    public required long RssBytesAtEnd { get; init; }

    /// <summary>VmHWM: the kernel's high-water mark over the process's whole life.</summary>
    public required long LifetimePeakRssBytes { get; init; }

    /// <summary>Most threads seen in the measured phase.</summary>
    public required int Threads { get; init; }
}
