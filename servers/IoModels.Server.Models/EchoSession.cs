using System.Diagnostics;
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
/// <para>
/// Close-after (<c>--close-after N</c>): the buffer decodes N messages and no more, <see cref="WantsReceive"/> turns
/// false, and once their echo is all sent <see cref="IsFinished"/> tells the model to close: the server is the
/// active closer. Idle timeout: completing a message or sending echo bytes marks progress with one store;
/// the model's periodic sweep (<see cref="IdleSweep"/>) reads and clears that mark, and closes a connection whose
/// mark stayed clear for the whole timeout. No clock is read per message.
/// </para>
/// </remarks>
public sealed class EchoSession : IDisposable
{
    private readonly FrameBuffer _buffer;
    private readonly ServerMetrics _metrics;
    private readonly int _outputBudget;
    private readonly bool _receivingIsProgress;

    // 1 when a message completed or echo bytes left since the last sweep looked; written by the connection's thread,
    // exchanged to 0 by the sweep's (another thread in the blocking and saea models).
    private int _progressed;
    private long _quietSince;
    private bool _expired;
    private bool _limitCounted;

    public EchoSession(ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        int messageLimit = options.Framing == Framing.Raw ? 0 : options.CloseAfter;
        _buffer = new FrameBuffer(options.Framing, options.MaxFrame, Math.Max(FrameBuffer.DefaultCapacity, options.OutputBudget), context.BufferPool, messageLimit);
        _metrics = context.Metrics;
        _outputBudget = options.OutputBudget;
        _receivingIsProgress = options.Framing == Framing.Raw;
        _quietSince = Stopwatch.GetTimestamp();
    }

    /// <summary>False while the pending echo is at the output budget, or once the close-after count is in: do not read this peer.</summary>
    public bool WantsReceive => _buffer.CompleteLength < _outputBudget && !_buffer.LimitReached;

    /// <summary>
    /// True once the close-after count of messages has been received and every one of their echoes sent: close the
    /// connection now (counted when the session is disposed).
    /// </summary>
    public bool IsFinished => _buffer.LimitReached && _buffer.CompleteLength == 0;

    public bool HasPendingOutput => _buffer.CompleteLength > 0;

    /// <summary>True while part of a message has arrived; dropped if the peer leaves now.</summary>
    public bool HasPartialMessage => _buffer.PartialLength > 0;

    /// <summary>True while a pooled buffer is held.</summary>
    public bool HoldsBuffer => _buffer.HoldsBuffer;

    /// <summary>The length a too-large header declared, or the length a line reached, after <c>OnReceived</c> returned false.</summary>
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
        MarkProgress(result.Messages, count);
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
        MarkProgress(result.Messages, data.Length);
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
        if (count > 0)
        {
            _progressed = 1;
        }
    }

    /// <summary>
    /// For the idle sweep: true, once, when no progress was marked since the sweep that last saw some, at least
    /// <paramref name="timeout"/> (in <see cref="Stopwatch"/> ticks) before <paramref name="now"/>. Counts the closing.
    /// </summary>
    public bool TryExpire(long now, long timeout)
    {
        if (Interlocked.Exchange(ref _progressed, 0) != 0)
        {
            _quietSince = now;
            return false;
        }

        if (_expired || now - _quietSince < timeout)
        {
            return false;
        }

        _expired = true;
        _metrics.ConnectionIdleClosed();
        return true;
    }

    /// <summary>
    /// Gives the buffer back to the pool if no echo is pending and at most a short partial message is (kept aside),
    /// so an idle connection, or one that sent a few bytes of a message and stopped, holds none.
    /// </summary>
    public void ReleaseIfIdle() => _buffer.ReleaseIfIdle();

    public void Dispose()
    {
        if (IsFinished && !_limitCounted)
        {
            _limitCounted = true;
            _metrics.ConnectionClosedAfterLimit();
        }

        _buffer.Dispose();
    }

    private void MarkProgress(int messages, int bytes)
    {
        if (messages > 0 || (_receivingIsProgress && bytes > 0))
        {
            _progressed = 1;
        }
    }
}
