using System.Diagnostics;

namespace IoModels.LoadGen.Timing;

/// <summary><see cref="Stopwatch"/> time: CLOCK_MONOTONIC in nanoseconds on Linux, read through the vDSO (no system call).</summary>
public sealed class SystemClock : IClock
{
    public static SystemClock Instance { get; } = new();

    public long Frequency => Stopwatch.Frequency;

    public long GetTimestamp() => Stopwatch.GetTimestamp();
}
