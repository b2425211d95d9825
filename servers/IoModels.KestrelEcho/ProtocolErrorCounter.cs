namespace IoModels.KestrelEcho;

/// <summary>How many connections were closed for a protocol violation (SPEC §1: "logs ... and counts it").</summary>
internal sealed class ProtocolErrorCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
