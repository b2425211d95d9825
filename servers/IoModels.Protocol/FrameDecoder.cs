using System.Buffers;

namespace IoModels.Protocol;

/// <summary>
/// Finds message boundaries in bytes that start at a message boundary. Stateless: the caller keeps
/// the bytes it has not consumed (see <see cref="FrameBuffer"/> for a decoder that keeps them itself).
/// </summary>
public readonly struct FrameDecoder
{
    public FrameDecoder(int maxFrame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrame);
        MaxFrame = maxFrame;
    }

    /// <summary>The largest payload accepted; a larger declared length is <see cref="DecodeStatus.TooLarge"/>.</summary>
    public int MaxFrame { get; }

    /// <summary>Looks at one message at the start of <paramref name="input"/>.</summary>
    /// <param name="frameSize">On <see cref="DecodeStatus.Complete"/>, header plus payload; on
    /// <see cref="DecodeStatus.Incomplete"/> with a whole header, the size the message will need; else 0.</param>
    /// <param name="declaredLength">The payload length the header declares, once the header is there.</param>
    public DecodeStatus TryDecode(ReadOnlySpan<byte> input, out int frameSize, out uint declaredLength)
    {
        if (input.Length < FrameHeader.Size)
        {
            frameSize = 0;
            declaredLength = 0;
            return DecodeStatus.Incomplete;
        }

        declaredLength = FrameHeader.Read(input);
        if (declaredLength > (uint)MaxFrame)
        {
            frameSize = 0;
            return DecodeStatus.TooLarge;
        }

        frameSize = FrameHeader.Size + (int)declaredLength;
        return input.Length >= frameSize ? DecodeStatus.Complete : DecodeStatus.Incomplete;
    }

    /// <summary>The <see cref="ReadOnlySequence{T}"/> flavour, for pipe-based readers.</summary>
    /// <param name="frame">On <see cref="DecodeStatus.Complete"/>, the whole message (header and payload).</param>
    public DecodeStatus TryDecode(in ReadOnlySequence<byte> input, out ReadOnlySequence<byte> frame, out uint declaredLength)
    {
        frame = default;
        declaredLength = 0;
        if (input.Length < FrameHeader.Size)
        {
            return DecodeStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[FrameHeader.Size];
        input.Slice(0, FrameHeader.Size).CopyTo(header);
        declaredLength = FrameHeader.Read(header);
        if (declaredLength > (uint)MaxFrame)
        {
            return DecodeStatus.TooLarge;
        }

        long frameSize = FrameHeader.Size + (long)declaredLength;
        if (input.Length < frameSize)
        {
            return DecodeStatus.Incomplete;
        }

        frame = input.Slice(0, frameSize);
        return DecodeStatus.Complete;
    }

    /// <summary>Walks as many whole messages as <paramref name="input"/> holds.</summary>
    /// <param name="completeBytes">Bytes taken by the whole messages found.</param>
    /// <param name="messages">How many whole messages were found.</param>
    /// <param name="pendingFrameSize">The size the trailing partial message needs, once its header is there; else 0.</param>
    /// <param name="declaredLength">On <see cref="DecodeStatus.TooLarge"/>, the offending length.</param>
    /// <returns><see cref="DecodeStatus.TooLarge"/> if a header breaks the limit, else
    /// <see cref="DecodeStatus.Complete"/> when the input ends on a boundary and <see cref="DecodeStatus.Incomplete"/> when not.</returns>
    public DecodeStatus Scan(ReadOnlySpan<byte> input, out int completeBytes, out int messages, out int pendingFrameSize, out uint declaredLength) =>
        Scan(input, int.MaxValue, out completeBytes, out messages, out pendingFrameSize, out declaredLength);

    /// <inheritdoc cref="Scan(ReadOnlySpan{byte}, out int, out int, out int, out uint)"/>
    /// <param name="maxMessages">Stop after this many messages; what follows is left undecoded (<see cref="DecodeStatus.Incomplete"/>).</param>
    public DecodeStatus Scan(ReadOnlySpan<byte> input, int maxMessages, out int completeBytes, out int messages, out int pendingFrameSize, out uint declaredLength)
    {
        completeBytes = 0;
        messages = 0;
        while (true)
        {
            if (messages == maxMessages)
            {
                pendingFrameSize = 0;
                declaredLength = 0;
                return completeBytes == input.Length ? DecodeStatus.Complete : DecodeStatus.Incomplete;
            }

            var status = TryDecode(input[completeBytes..], out int frameSize, out declaredLength);
            if (status != DecodeStatus.Complete)
            {
                pendingFrameSize = frameSize;
                return status == DecodeStatus.Incomplete && completeBytes == input.Length ? DecodeStatus.Complete : status;
            }

            completeBytes += frameSize;
            messages++;
        }
    }
}
