using IoModels.Protocol.Threading;

namespace IoModels.LoadGen.Engine;

/// <summary>Open connections across all workers and their peak: touched on connect and close only, never per message.</summary>
public sealed class ConnectionTracker
{
    private long _open;
    private long _peak;

    public long Open => Volatile.Read(ref _open);

    public long Peak => Volatile.Read(ref _peak);

    public void Opened() => InterlockedBound.RaiseTo(ref _peak, Interlocked.Increment(ref _open));

    public void Closed() => Interlocked.Decrement(ref _open);
}
