namespace IoModels.LoadGen.Monitoring;

/// <summary>One reading of a process from /proc.</summary>
/// <param name="CpuTicks">utime + stime, in clock ticks (USER_HZ).</param>
/// <param name="RssBytes">Resident set size now (VmRSS).</param>
/// <param name="PeakRssBytes">The kernel's high-water mark over the process's life (VmHWM).</param>
/// <param name="Threads">Threads now.</param>
public readonly record struct ProcessSample(long CpuTicks, long RssBytes, long PeakRssBytes, int Threads);
