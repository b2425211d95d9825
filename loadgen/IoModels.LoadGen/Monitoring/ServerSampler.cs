namespace IoModels.LoadGen.Monitoring;

/// <summary>
/// Follows the server process through the measured phase: CPU seconds between the first and last reading, the
/// highest resident set and thread count seen in between.
/// </summary>
public sealed class ServerSampler(int pid)
{
    private ProcessSample? _first;
    private ProcessSample? _last;

    public int Pid { get; } = pid;

    public long PeakRssBytes { get; private set; }

    public int PeakThreads { get; private set; }

    /// <summary>False when the process could not be read at all.</summary>
    public bool HasReadings => _first is not null && _last is not null;

    public double CpuSeconds => HasReadings ? (_last!.Value.CpuTicks - _first!.Value.CpuTicks) / (double)ProcFs.ClockTicksPerSecond : 0;

    /// <summary>VmRSS at the last reading (the end of the measured phase).</summary>
    public long LastRssBytes => _last?.RssBytes ?? 0;

    /// <summary>The kernel's lifetime high-water mark at the last reading (includes anything before the measured phase).</summary>
    public long LifetimePeakRssBytes => _last?.PeakRssBytes ?? 0;

    public void Sample()
    {
        if (ProcFs.TryRead(Pid) is not { } sample)
        {
            return;
        }

        _first ??= sample;
        _last = sample;
        PeakRssBytes = Math.Max(PeakRssBytes, sample.RssBytes);
        PeakThreads = Math.Max(PeakThreads, sample.Threads);
    }
}
