using System.Buffers.Binary;
using IoModels.Protocol;

namespace IoModels.LoadGen.Verification;

/// <summary>
/// What each message carries, so that every echoed byte can be checked without remembering what was sent.
/// A payload is an 8-byte identity block (connection id, sequence number, little-endian) followed by a slice of one
/// fixed pseudo-random table, starting at an offset derived from the same two numbers. A lost, duplicated or
/// reordered message therefore fails on its identity block, and a byte moved within a message fails on the table.
/// </summary>
/// <remarks>
/// Filling and checking are a span copy and a vectorised compare of the table slice: no allocation, no per-byte
/// arithmetic in the common case.
/// </remarks>
public sealed class PayloadPattern
{
    public const int IdentityBytes = 8;

    // Different (connection, sequence) pairs start the table slice at one of this many places.
    private const int StartSpread = 4096;

    private readonly byte[] _table;

    public PayloadPattern(int maxPayload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayload);
        _table = new byte[maxPayload + StartSpread];
        // xorshift32 with a fixed seed: the same table every run, no byte value favoured.
        uint state = 0x9E3779B9;
        for (int i = 0; i < _table.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            _table[i] = (byte)state;
        }
    }

    /// <summary>Bytes of one message on the wire: the 4-byte header when framed, then the payload.</summary>
    public static int WireLength(Framing framing, int payloadLength) =>
        framing == Framing.Framed ? FrameEncoder.GetFrameSize(payloadLength) : payloadLength;

    /// <summary>Writes the wire form of message <paramref name="sequence"/> of <paramref name="connectionId"/> and returns its length.</summary>
    public int Write(Framing framing, int connectionId, uint sequence, int payloadLength, Span<byte> destination)
    {
        int headerLength = framing == Framing.Framed ? FrameHeader.Size : 0;
        if (headerLength > 0)
        {
            FrameHeader.Write(destination, (uint)payloadLength);
        }

        var payload = destination.Slice(headerLength, payloadLength);
        Span<byte> identity = stackalloc byte[IdentityBytes];
        WriteIdentity(identity, connectionId, sequence);
        int identityLength = Math.Min(IdentityBytes, payloadLength);
        identity[..identityLength].CopyTo(payload);
        if (payloadLength > IdentityBytes)
        {
            _table.AsSpan(TableStart(connectionId, sequence) + IdentityBytes, payloadLength - IdentityBytes).CopyTo(payload[IdentityBytes..]);
        }

        return headerLength + payloadLength;
    }

    /// <summary>
    /// Compares <paramref name="received"/>, which holds the bytes of the message's wire form from
    /// <paramref name="messageOffset"/> on, with what was sent. Returns the index in <paramref name="received"/> of the
    /// first wrong byte, or -1 when all match.
    /// </summary>
    public int FindMismatch(Framing framing, int connectionId, uint sequence, int payloadLength, int messageOffset, ReadOnlySpan<byte> received)
    {
        int headerLength = framing == Framing.Framed ? FrameHeader.Size : 0;
        // Header and identity block: at most 12 bytes, compared one by one.
        Span<byte> prefix = stackalloc byte[FrameHeader.Size + IdentityBytes];
        if (headerLength > 0)
        {
            FrameHeader.Write(prefix, (uint)payloadLength);
        }

        WriteIdentity(prefix[headerLength..], connectionId, sequence);
        int prefixLength = headerLength + Math.Min(IdentityBytes, payloadLength);
        int i = 0;
        for (; i < received.Length && messageOffset + i < prefixLength; i++)
        {
            if (received[i] != prefix[messageOffset + i])
            {
                return i;
            }
        }

        if (i == received.Length)
        {
            return -1;
        }

        // The rest comes from the table: one vectorised compare.
        int payloadOffset = messageOffset + i - headerLength;
        var rest = received[i..];
        var expected = _table.AsSpan(TableStart(connectionId, sequence) + payloadOffset, rest.Length);
        int common = rest.CommonPrefixLength(expected);
        return common == rest.Length ? -1 : i + common;
    }

    /// <summary>The byte that belongs at <paramref name="messageOffset"/> of the message's wire form (for the report).</summary>
    public byte ExpectedByte(Framing framing, int connectionId, uint sequence, int payloadLength, int messageOffset)
    {
        Span<byte> message = stackalloc byte[FrameHeader.Size + IdentityBytes];
        int headerLength = framing == Framing.Framed ? FrameHeader.Size : 0;
        if (messageOffset < headerLength + Math.Min(IdentityBytes, payloadLength))
        {
            if (headerLength > 0)
            {
                FrameHeader.Write(message, (uint)payloadLength);
            }

            WriteIdentity(message[headerLength..], connectionId, sequence);
            return message[messageOffset];
        }

        return _table[TableStart(connectionId, sequence) + messageOffset - headerLength];
    }

    private static int TableStart(int connectionId, uint sequence) =>
        (int)(((sequence * 7919u) + ((uint)connectionId * 104729u)) % StartSpread);

    private static void WriteIdentity(Span<byte> destination, int connectionId, uint sequence)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, connectionId);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], sequence);
    }
}
