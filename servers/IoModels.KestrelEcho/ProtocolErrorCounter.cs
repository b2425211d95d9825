namespace IoModels.KestrelEcho;

/// <summary>How many connections were closed for a protocol violation (docs/protocol.md#oversized-messages: each is logged and counted).</summary>
internal sealed class ProtocolErrorCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
