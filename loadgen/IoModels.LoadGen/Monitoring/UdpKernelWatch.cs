namespace IoModels.LoadGen.Monitoring;

/// <summary>The kernel's UDP counters read when the measured phase begins and once the drain after it has ended.</summary>
public sealed class UdpKernelWatch
{
    public UdpKernelCounters? Before { get; private set; }

    public UdpKernelCounters? After { get; private set; }

    public bool Started { get; private set; }

    public void Start()
    {
        Before = UdpKernelCounters.TryRead();
        Started = true;
    }

    /// <summary>After the workers have joined: the drain's drops count too, since they are the measured datagrams'.</summary>
    public void Finish()
    {
        if (!Started)
        {
            Start();
        }

        After = UdpKernelCounters.TryRead();
    }
}
