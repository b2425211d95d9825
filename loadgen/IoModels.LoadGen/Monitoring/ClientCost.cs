namespace IoModels.LoadGen.Monitoring;

/// <summary>Readings of this process at the start and end of the measured phase: CPU time, managed allocations, collections.</summary>
public sealed class ClientCost
{
    private long _startCpuTicks;
    private long _startAllocated;
    private int _startGen0;

    public double CpuSeconds { get; private set; }

    public long AllocatedBytes { get; private set; }

    public int Gen0Collections { get; private set; }

    public bool Started { get; private set; }

    public bool Finished { get; private set; }

    public void Start()
    {
        _startCpuTicks = ProcFs.TryRead(Environment.ProcessId)?.CpuTicks ?? 0;
        _startAllocated = GC.GetTotalAllocatedBytes(precise: true);
        _startGen0 = GC.CollectionCount(0);
        Started = true;
    }

    public void Finish()
    {
        if (!Started || Finished)
        {
            return;
        }

        long cpuTicks = ProcFs.TryRead(Environment.ProcessId)?.CpuTicks ?? _startCpuTicks;
        CpuSeconds = (cpuTicks - _startCpuTicks) / (double)ProcFs.ClockTicksPerSecond;
        AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - _startAllocated;
        Gen0Collections = GC.CollectionCount(0) - _startGen0;
        Finished = true;
    }
}
