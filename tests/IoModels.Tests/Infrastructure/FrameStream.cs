using IoModels.Protocol;

namespace IoModels.Tests.Infrastructure;

/// <summary>
/// An endless stream of equal-sized framed messages whose bytes are a function of their offset, so hundreds of
/// megabytes can be sent and checked without holding them.
/// </summary>
internal sealed class FrameStream(int frameSize)
{
    public int FrameSize { get; } = frameSize;

    /// <summary>Writes the stream's bytes at <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    public void Fill(Span<byte> destination, long offset)
    {
        Span<byte> header = stackalloc byte[FrameHeader.Size];
        FrameHeader.Write(header, (uint)(FrameSize - FrameHeader.Size));
        for (int i = 0; i < destination.Length; i++)
        {
            long position = offset + i;
            long inFrame = position % FrameSize;
            destination[i] = inFrame < FrameHeader.Size
                ? header[(int)inFrame]
                : (byte)((position / FrameSize * 7) + (inFrame * 13) + (inFrame >> 8));
        }
    }

    /// <summary>True when <paramref name="received"/> is what the stream holds at <paramref name="offset"/>.</summary>
    public bool Matches(ReadOnlySpan<byte> received, long offset, Span<byte> scratch)
    {
        var expected = scratch[..received.Length];
        Fill(expected, offset);
        return received.SequenceEqual(expected);
    }
}
