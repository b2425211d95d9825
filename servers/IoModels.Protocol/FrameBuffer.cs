using System.Buffers;
using System.Diagnostics;

namespace IoModels.Protocol;

/// <summary>
/// The incremental decoder: receive whatever bytes arrived into it, and it tells how many whole
/// messages it now holds and keeps the partial one. Its memory comes from the pool it is given (a server's
/// <c>SessionBufferPool</c>, the load generator's <see cref="ArrayPool{T}.Shared"/>) only while a receive or an
/// echo needs it (<see cref="ReleaseIfIdle"/>), so an idle connection holds none.
/// </summary>
/// <remarks>
/// <para>
/// Layout of the pooled buffer: <c>[consumed | complete messages | partial message | free]</c>.
/// An echo server sends the complete region straight back (no copy from input to output); a
/// client reads messages out of it. In raw mode every byte counts as complete. Framed messages are found by
/// <see cref="FrameDecoder"/>, lines by <see cref="LineDecoder"/>, which looks only at the bytes each receive brought.
/// </para>
/// <para>
/// A partial message of at most <see cref="InlineCapacity"/> bytes with nothing to send does not keep the pooled
/// buffer: <see cref="ReleaseIfIdle"/> moves it into a small array of the buffer's own and returns the pooled one,
/// and the next receive rents again and copies it back. Otherwise a peer that sends two bytes of a header and
/// then nothing would hold a whole pooled buffer for as long as it likes, and thousands of such peers cost the
/// server thousands of buffers for almost no bytes of theirs.
/// </para>
/// </remarks>
public sealed class FrameBuffer : IDisposable
{
    public const int DefaultCapacity = 64 * 1024;

    /// <summary>The longest partial message kept out of the pool while the connection waits for the rest.</summary>
    public const int InlineCapacity = 256;

    private readonly Framing _framing;
    private readonly FrameDecoder _decoder;
    private readonly LineDecoder _lineDecoder;
    private readonly bool _limited;
    private int _messagesLeft;
    private readonly int _initialCapacity;
    private byte[]? _buffer;

    // Made the first time a partial message is set aside, then kept: at most one small array per connection.
    private byte[]? _inline;

    // While _buffer is null: _start and _completeEnd are 0 and _end counts the partial bytes held in _inline.
    private int _start;
    private int _completeEnd;
    private int _end;
    private int _pendingFrameSize;
    private readonly ArrayPool<byte> _pool;

    /// <param name="pool">Where the buffer comes from and goes back to; <see cref="ArrayPool{T}.Shared"/> when null.</param>
    /// <param name="messageLimit">Decode at most this many messages in all, then leave what follows undecoded
    /// (<see cref="LimitReached"/>); 0 for no limit. Not for raw mode, which has no messages.</param>
    public FrameBuffer(Framing framing, int maxFrame, int initialCapacity = DefaultCapacity, ArrayPool<byte>? pool = null, int messageLimit = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, FrameHeader.Size);
        ArgumentOutOfRangeException.ThrowIfNegative(messageLimit);
        if (messageLimit > 0 && framing == Framing.Raw)
        {
            throw new ArgumentException("Raw echo has no messages to count.", nameof(messageLimit));
        }

        _pool = pool ?? ArrayPool<byte>.Shared;
        _framing = framing;
        _decoder = new FrameDecoder(maxFrame);
        _lineDecoder = new LineDecoder(maxFrame);
        _initialCapacity = initialCapacity;
        _limited = messageLimit > 0;
        _messagesLeft = _limited ? messageLimit : int.MaxValue;
    }

    public Framing Framing => _framing;

    /// <summary>Bytes of whole messages not yet consumed.</summary>
    public int CompleteLength => _completeEnd - _start;

    /// <summary>Bytes of the trailing message that is not whole yet.</summary>
    public int PartialLength => _end - _completeEnd;

    /// <summary>True when nothing is buffered.</summary>
    public bool IsEmpty => _end == _start;

    /// <summary>True while a pooled array is held.</summary>
    public bool HoldsBuffer => _buffer is not null;

    /// <summary>True once the message limit given at construction has been decoded: nothing more will be.</summary>
    public bool LimitReached => _limited && _messagesLeft == 0;

    /// <summary>The whole messages not yet consumed, back to back, headers included.</summary>
    public ReadOnlySpan<byte> Complete => _buffer.AsSpan(_start, CompleteLength);

    /// <summary>The same bytes as <see cref="Complete"/>, for APIs that take memory.</summary>
    public ReadOnlyMemory<byte> CompleteMemory => _buffer.AsMemory(_start, CompleteLength);

    /// <summary>Free space to receive into; never empty. Rents, compacts or grows as needed so the pending message fits.</summary>
    public Span<byte> GetReceiveSpan() => GetReceiveMemory().Span;

    /// <inheritdoc cref="GetReceiveSpan"/>
    public Memory<byte> GetReceiveMemory()
    {
        EnsureReceiveSpace();
        return _buffer.AsMemory(_end);
    }

    /// <summary>Accounts for <paramref name="count"/> bytes written at the start of the receive space and decodes them.</summary>
    public CommitResult Commit(int count)
    {
        Debug.Assert(_buffer is not null && count >= 0 && _end + count <= _buffer.Length);
        int arrived = _end;
        _end += count;
        if (_framing == Framing.Raw)
        {
            _completeEnd = _end;
            return new CommitResult(DecodeStatus.Complete, 0, 0);
        }

        DecodeStatus status;
        int messages;
        uint declaredLength;
        if (_framing == Framing.Line)
        {
            // Only the new bytes: the partial line before them has no delimiter, or it would not be partial.
            status = _lineDecoder.Scan(_buffer.AsSpan(arrived, count), arrived - _completeEnd, _messagesLeft, out int lineBytes, out messages, out declaredLength);
            if (messages > 0)
            {
                _completeEnd = arrived + lineBytes;
            }
        }
        else
        {
            status = _decoder.Scan(_buffer.AsSpan(_completeEnd, _end - _completeEnd), _messagesLeft, out int completeBytes, out messages, out _pendingFrameSize, out declaredLength);
            _completeEnd += completeBytes;
        }

        if (_limited)
        {
            _messagesLeft -= messages;
        }

        return new CommitResult(status, messages, declaredLength);
    }

    /// <summary>Copies bytes in and decodes them: for bytes that arrived somewhere else. Stops at a violation.</summary>
    public CommitResult Append(ReadOnlySpan<byte> data)
    {
        int messages = 0;
        var last = new CommitResult(IsEmpty || PartialLength == 0 ? DecodeStatus.Complete : DecodeStatus.Incomplete, 0, 0);
        while (!data.IsEmpty)
        {
            var space = GetReceiveSpan();
            int n = Math.Min(space.Length, data.Length);
            data[..n].CopyTo(space);
            data = data[n..];
            last = Commit(n);
            messages += last.Messages;
            if (last.Status == DecodeStatus.TooLarge)
            {
                break;
            }
        }

        return last with { Messages = messages };
    }

    /// <summary>Marks <paramref name="count"/> bytes at the start of <see cref="Complete"/> as done (sent, verified).</summary>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, CompleteLength);
        _start += count;
        if (_start == _end)
        {
            _start = _completeEnd = _end = 0;
        }
    }

    /// <summary>
    /// Takes the next whole message out of a framed or line buffer: a framed message's payload (no header), or a
    /// line without its delimiter. The span is valid until the next call.
    /// </summary>
    public bool TryReadMessage(out ReadOnlySpan<byte> payload)
    {
        if (_framing == Framing.Raw)
        {
            throw new InvalidOperationException("Raw echo has no message boundaries.");
        }

        if (CompleteLength == 0)
        {
            payload = default;
            return false;
        }

        var complete = Complete;
        if (_framing == Framing.Line)
        {
            int newline = complete.IndexOf(LineDecoder.Delimiter);
            payload = complete[..newline];
            Consume(newline + 1);
            return true;
        }

        int length = (int)FrameHeader.Read(complete);
        payload = complete.Slice(FrameHeader.Size, length);
        Consume(FrameHeader.Size + length);
        return true;
    }

    /// <summary>Drops whatever is buffered (a peer that left mid-message).</summary>
    public void Clear() => _start = _completeEnd = _end = _pendingFrameSize = 0;

    /// <summary>
    /// Returns the pooled array when no whole message waits and the partial one, if any, is at most
    /// <see cref="InlineCapacity"/> bytes (kept aside until the next receive), so an idle connection costs no buffer.
    /// </summary>
    public void ReleaseIfIdle()
    {
        if (_buffer is null || CompleteLength > 0)
        {
            return;
        }

        int partial = PartialLength;
        if (partial > InlineCapacity)
        {
            return;
        }

        if (partial > 0)
        {
            _inline ??= new byte[InlineCapacity];
            _buffer.AsSpan(_completeEnd, partial).CopyTo(_inline);
        }

        _pool.Return(_buffer);
        _buffer = null;
        _start = _completeEnd = 0;
        _end = partial;
    }

    public void Dispose()
    {
        Clear();
        ReleaseIfIdle();
    }

    private void EnsureReceiveSpace()
    {
        if (_buffer is null)
        {
            _buffer = _pool.Rent(Math.Max(_initialCapacity, _pendingFrameSize));
            if (_end > 0)
            {
                _inline.AsSpan(0, _end).CopyTo(_buffer);
            }

            return;
        }

        // Room the trailing message still needs beyond what has arrived (at least one byte).
        int needed = Math.Max(1, _pendingFrameSize - PartialLength);
        int free = _buffer.Length - _end;
        if (free >= needed && free >= _buffer.Length / 4)
        {
            return;
        }

        // Move what is buffered to the front before deciding to grow: most of the time that is enough.
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _completeEnd -= _start;
            _end -= _start;
            _start = 0;
            free = _buffer.Length - _end;
        }

        if (free >= needed)
        {
            return;
        }

        int capacity = Math.Max(_buffer.Length * 2, _end + needed);
        var larger = _pool.Rent(capacity);
        _buffer.AsSpan(0, _end).CopyTo(larger);
        _pool.Return(_buffer);
        _buffer = larger;
    }
}
