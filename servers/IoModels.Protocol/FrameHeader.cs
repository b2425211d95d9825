using System.Buffers.Binary;

namespace IoModels.Protocol;

/// <summary>The 4-byte unsigned big-endian length prefix of a framed message.</summary>
public static class FrameHeader
{
    public const int Size = 4;

    /// <summary>The largest payload a server accepts unless told otherwise (<c>--max-frame</c>).</summary>
    public const int DefaultMaxFrame = 1024 * 1024;

    public static uint Read(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt32BigEndian(header);

    public static void Write(Span<byte> destination, uint payloadLength) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, payloadLength);
}
