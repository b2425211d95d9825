using System.Buffers;

namespace IoModels.Protocol;

/// <summary>Writes framed messages: the 4-byte length, then the payload.</summary>
public static class FrameEncoder
{
    public static int GetFrameSize(int payloadLength) => FrameHeader.Size + payloadLength;

    /// <summary>Writes one message into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> payload)
    {
        int size = GetFrameSize(payload.Length);
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the message needs {size}.", nameof(destination));
        }

        FrameHeader.Write(destination, (uint)payload.Length);
        payload.CopyTo(destination[FrameHeader.Size..]);
        return size;
    }

    /// <summary>Writes one message into a buffer writer (a pipe, an <see cref="ArrayBufferWriter{T}"/>).</summary>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int size = GetFrameSize(payload.Length);
        int written = Write(writer.GetSpan(size), payload);
        writer.Advance(written);
    }
}
