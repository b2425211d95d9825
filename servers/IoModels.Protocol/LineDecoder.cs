namespace IoModels.Protocol;

/// <summary>
/// Finds line boundaries (docs/protocol.md#line): a message is any bytes up to and including <see cref="Delimiter"/>.
/// Unlike <see cref="FrameDecoder"/> it is handed only the bytes that just arrived, with the length of the unfinished
/// line before them: that line is already known to hold no delimiter, so scanning it again on every receive would
/// cost a long line's length once per read.
/// </summary>
/// <remarks>
/// The delimiter search is <see cref="MemoryExtensions.LastIndexOf{T}(ReadOnlySpan{T}, T)"/> and
/// <see cref="MemoryExtensions.Count{T}(ReadOnlySpan{T}, T)"/>, both vectorised: many short lines per read cost two
/// passes over the bytes, not a call per line. Lines are walked one by one only when one of them could break the
/// limit or the caller wants at most a few more messages.
/// </remarks>
public readonly struct LineDecoder
{
    public const byte Delimiter = (byte)'\n';

    public LineDecoder(int maxFrame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrame);
        MaxFrame = maxFrame;
    }

    /// <summary>The longest line accepted, delimiter not counted; longer is <see cref="DecodeStatus.TooLarge"/>.</summary>
    public int MaxFrame { get; }

    /// <summary>Walks the whole lines that <paramref name="input"/> completes.</summary>
    /// <param name="input">Bytes that just arrived.</param>
    /// <param name="partialBefore">Bytes of an unfinished line (no delimiter) just before <paramref name="input"/>.</param>
    /// <param name="maxMessages">Stop after this many lines; what follows is left undecoded.</param>
    /// <param name="completeBytes">Bytes of <paramref name="input"/> up to and including the last delimiter taken.</param>
    /// <param name="messages">Whole lines found.</param>
    /// <param name="lineLength">On <see cref="DecodeStatus.TooLarge"/>, the length of the offending line so far.</param>
    /// <returns><see cref="DecodeStatus.TooLarge"/> if a line breaks the limit, else <see cref="DecodeStatus.Complete"/>
    /// when everything up to the end of the input was taken and <see cref="DecodeStatus.Incomplete"/> when not.</returns>
    public DecodeStatus Scan(ReadOnlySpan<byte> input, int partialBefore, int maxMessages, out int completeBytes, out int messages, out uint lineLength)
    {
        lineLength = 0;
        if ((long)partialBefore + input.Length <= MaxFrame)
        {
            // No line here can be longer than the limit: the fast path.
            int last = input.LastIndexOf(Delimiter);
            if (last < 0)
            {
                completeBytes = 0;
                messages = 0;
                return input.IsEmpty && partialBefore == 0 ? DecodeStatus.Complete : DecodeStatus.Incomplete;
            }

            messages = input[..last].Count(Delimiter) + 1;
            if (messages <= maxMessages)
            {
                completeBytes = last + 1;
                return completeBytes == input.Length ? DecodeStatus.Complete : DecodeStatus.Incomplete;
            }
        }

        return Walk(input, partialBefore, maxMessages, out completeBytes, out messages, out lineLength);
    }

    private DecodeStatus Walk(ReadOnlySpan<byte> input, int partialBefore, int maxMessages, out int completeBytes, out int messages, out uint lineLength)
    {
        completeBytes = 0;
        messages = 0;
        lineLength = 0;
        long carried = partialBefore;
        while (messages < maxMessages)
        {
            int next = input[completeBytes..].IndexOf(Delimiter);
            long length = carried + (next < 0 ? input.Length - completeBytes : next);
            if (length > MaxFrame)
            {
                lineLength = (uint)Math.Min(length, uint.MaxValue);
                return DecodeStatus.TooLarge;
            }

            if (next < 0)
            {
                return completeBytes == input.Length && carried == 0 ? DecodeStatus.Complete : DecodeStatus.Incomplete;
            }

            completeBytes += next + 1;
            messages++;
            carried = 0;
        }

        return completeBytes == input.Length ? DecodeStatus.Complete : DecodeStatus.Incomplete;
    }
}
