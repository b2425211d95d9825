namespace IoModels.KestrelEcho;

/// <summary>What the peer counts and prints when it stops: the closes it decided on (docs/protocol.md, docs/server.md).</summary>
internal sealed class KestrelEchoCounters
{
    private long _protocolErrors;
    private long _idleClosed;
    private long _closedAfterLimit;

    /// <summary>Connections closed for a protocol violation (each is logged and counted).</summary>
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>Connections closed by <c>--idle-timeout</c>.</summary>
    public long IdleClosed => Interlocked.Read(ref _idleClosed);

    /// <summary>Connections closed after <c>--close-after</c> echoes.</summary>
    public long ClosedAfterLimit => Interlocked.Read(ref _closedAfterLimit);

    public void ProtocolError() => Interlocked.Increment(ref _protocolErrors);

    public void ConnectionIdleClosed() => Interlocked.Increment(ref _idleClosed);

    public void ConnectionClosedAfterLimit() => Interlocked.Increment(ref _closedAfterLimit);
}
