using IoModels.Protocol;

namespace IoModels.Server.Models;

/// <summary>
/// One connection's echo state, the same for every model: received bytes go into a <see cref="FrameBuffer"/>,
/// whole messages are sent straight back out of it, the partial one waits. The model only moves bytes.
/// </summary>
/// <remarks>
/// Backpressure (docs/protocol.md#backpressure): while the echo waiting to be sent reaches the output budget, <see cref="WantsReceive"/>
/// is false and the model stops reading that peer, so TCP flow control pushes back on it. A connection's memory
/// is therefore bounded by the budget plus one max-frame message plus one read.
/// </remarks>
public sealed class EchoSession : IDisposable
{
    private readonly FrameBuffer _buffer;
    private readonly ServerMetrics _metrics;
    private readonly int _outputBudget;

    public EchoSession(ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        _buffer = new FrameBuffer(options.Framing, options.MaxFrame, Math.Max(FrameBuffer.DefaultCapacity, options.OutputBudget), context.BufferPool);
        _metrics = context.Metrics;
        _outputBudget = options.OutputBudget;
    }

    /// <summary>False while the pending echo is at the output budget: do not read this peer.</summary>
    public bool WantsReceive => _buffer.CompleteLength < _outputBudget;

    public bool HasPendingOutput => _buffer.CompleteLength > 0;

    /// <summary>True while part of a message has arrived; dropped if the peer leaves now.</summary>
    public bool HasPartialMessage => _buffer.PartialLength > 0;

    /// <summary>True while a pooled buffer is held.</summary>
    public bool HoldsBuffer => _buffer.HoldsBuffer;

    /// <summary>The length a too-large header declared, after <c>OnReceived</c> returned false.</summary>
    public uint ViolatingLength { get; private set; }

    public ReadOnlySpan<byte> PendingOutput => _buffer.Complete;

    public ReadOnlyMemory<byte> PendingOutputMemory => _buffer.CompleteMemory;

    public Span<byte> GetReceiveSpan() => _buffer.GetReceiveSpan();

    public Memory<byte> GetReceiveMemory() => _buffer.GetReceiveMemory();

    /// <summary>Takes <paramref name="count"/> bytes written into the receive space. False on a protocol violation: close the connection.</summary>
    public bool OnReceived(int count)
    {
        var result = _buffer.Commit(count);
        _metrics.Received(count, result.Messages);
        if (result.Status == DecodeStatus.TooLarge)
        {
            ViolatingLength = result.DeclaredLength;
            return false;
        }

        return true;
    }

    /// <summary>Copies bytes that arrived elsewhere (a loop-wide scratch buffer) in; false on a protocol violation.</summary>
    public bool OnReceived(ReadOnlySpan<byte> data)
    {
        var result = _buffer.Append(data);
        _metrics.Received(data.Length, result.Messages);
        if (result.Status == DecodeStatus.TooLarge)
        {
            ViolatingLength = result.DeclaredLength;
            return false;
        }

        return true;
    }

    public void OnSent(int count)
    {
        _buffer.Consume(count);
        _metrics.Sent(count);
    }

    /// <summary>
    /// Gives the buffer back to the pool if no echo is pending and at most a short partial message is (kept aside),
    /// so an idle connection, or one that sent a few bytes of a message and stopped, holds none.
    /// </summary>
    public void ReleaseIfIdle() => _buffer.ReleaseIfIdle();

    public void Dispose() => _buffer.Dispose();
}
