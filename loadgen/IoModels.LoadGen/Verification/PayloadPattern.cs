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
/// Line framing ends each message with <see cref="LineDelimiter"/>, so the payload must never contain it: there every
/// byte of the identity block and the table that would be 0x0A is sent as 0x0B instead (a second table, made once,
/// keeps the compare vectorised). Filling and checking are a span copy and a vectorised compare of the table slice:
/// no allocation, no per-byte arithmetic in the common case.
/// </remarks>
public sealed class PayloadPattern
{
    public const int IdentityBytes = 8;

    /// <summary>The byte that ends a message in line framing (docs/protocol.md, line framing).</summary>
    public const byte LineDelimiter = (byte)'\n';

    // What a line payload sends where the pattern has the delimiter.
    private const byte LineSubstitute = LineDelimiter + 1;

    // Different (connection, sequence) pairs start the table slice at one of this many places.
    private const int StartSpread = 4096;

    private readonly byte[] _table;

    // The same table with the delimiter replaced, for line framing.
    private readonly byte[] _lineTable;

    public PayloadPattern(int maxPayload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayload);
        _table = new byte[maxPayload + StartSpread];
        _lineTable = new byte[_table.Length];
        // xorshift32 with a fixed seed: the same table every run, no byte value favoured.
        uint state = 0x9E3779B9;
        for (int i = 0; i < _table.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            _table[i] = (byte)state;
            _lineTable[i] = LineSafe((byte)state);
        }
    }

    /// <summary>Bytes of one message on the wire: the 4-byte header when framed, the payload, the delimiter for line.</summary>
    public static int WireLength(Framing framing, int payloadLength) => framing switch
    {
        Framing.Framed => FrameEncoder.GetFrameSize(payloadLength),
        Framing.Line => payloadLength + 1,
        _ => payloadLength,
    };

    /// <summary>Writes the wire form of message <paramref name="sequence"/> of <paramref name="connectionId"/> and returns its length.</summary>
    public int Write(Framing framing, int connectionId, uint sequence, int payloadLength, Span<byte> destination)
    {
        int headerLength = HeaderLength(framing);
        if (headerLength > 0)
        {
            FrameHeader.Write(destination, (uint)payloadLength);
        }

        var payload = destination.Slice(headerLength, payloadLength);
        Span<byte> identity = stackalloc byte[IdentityBytes];
        WriteIdentity(framing, identity, connectionId, sequence);
        int identityLength = Math.Min(IdentityBytes, payloadLength);
        identity[..identityLength].CopyTo(payload);
        if (payloadLength > IdentityBytes)
        {
            Table(framing).AsSpan(TableStart(connectionId, sequence) + IdentityBytes, payloadLength - IdentityBytes).CopyTo(payload[IdentityBytes..]);
        }

        if (framing == Framing.Line)
        {
            destination[headerLength + payloadLength] = LineDelimiter;
        }

        return WireLength(framing, payloadLength);
    }

    /// <summary>
    /// Compares <paramref name="received"/>, which holds the bytes of the message's wire form from
    /// <paramref name="messageOffset"/> on (at most to its end), with what was sent. Returns the index in
    /// <paramref name="received"/> of the first wrong byte, or -1 when all match.
    /// </summary>
    public int FindMismatch(Framing framing, int connectionId, uint sequence, int payloadLength, int messageOffset, ReadOnlySpan<byte> received)
    {
        int headerLength = HeaderLength(framing);
        // Header and identity block: at most 12 bytes, compared one by one.
        Span<byte> prefix = stackalloc byte[FrameHeader.Size + IdentityBytes];
        int prefixLength = WritePrefix(framing, connectionId, sequence, payloadLength, prefix);
        int i = 0;
        for (; i < received.Length && messageOffset + i < prefixLength; i++)
        {
            if (received[i] != prefix[messageOffset + i])
            {
                return i;
            }
        }

        // The rest of the payload comes from the table: one vectorised compare.
        int payloadEnd = headerLength + payloadLength;
        int tableBytes = Math.Min(received.Length - i, payloadEnd - (messageOffset + i));
        if (tableBytes > 0)
        {
            var rest = received.Slice(i, tableBytes);
            var expected = Table(framing).AsSpan(TableStart(connectionId, sequence) + messageOffset + i - headerLength, tableBytes);
            int common = rest.CommonPrefixLength(expected);
            if (common != tableBytes)
            {
                return i + common;
            }

            i += tableBytes;
        }

        // Line framing: what is left is the delimiter.
        return i < received.Length && received[i] != LineDelimiter ? i : -1;
    }

    /// <summary>The byte that belongs at <paramref name="messageOffset"/> of the message's wire form (for the report).</summary>
    public byte ExpectedByte(Framing framing, int connectionId, uint sequence, int payloadLength, int messageOffset)
    {
        Span<byte> prefix = stackalloc byte[FrameHeader.Size + IdentityBytes];
        int prefixLength = WritePrefix(framing, connectionId, sequence, payloadLength, prefix);
        int headerLength = HeaderLength(framing);
        if (messageOffset < prefixLength)
        {
            return prefix[messageOffset];
        }

        return framing == Framing.Line && messageOffset == headerLength + payloadLength
            ? LineDelimiter
            : Table(framing)[TableStart(connectionId, sequence) + messageOffset - headerLength];
    }

    /// <summary>
    /// Reads the identity block at the start of an unframed payload (a datagram): the connection (flow) id and the
    /// sequence number it claims. False when the payload is too short to hold one.
    /// </summary>
    public static bool TryReadIdentity(ReadOnlySpan<byte> payload, out int connectionId, out uint sequence)
    {
        if (payload.Length < IdentityBytes)
        {
            connectionId = 0;
            sequence = 0;
            return false;
        }

        connectionId = BinaryPrimitives.ReadInt32LittleEndian(payload);
        sequence = BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]);
        return true;
    }

    private static int HeaderLength(Framing framing) => framing == Framing.Framed ? FrameHeader.Size : 0;

    private static byte LineSafe(byte value) => value == LineDelimiter ? LineSubstitute : value;

    private static int TableStart(int connectionId, uint sequence) =>
        (int)(((sequence * 7919u) + ((uint)connectionId * 104729u)) % StartSpread);

    /// <summary>The length header (framed) and the identity block, as far as the payload reaches; returns their length.</summary>
    private static int WritePrefix(Framing framing, int connectionId, uint sequence, int payloadLength, Span<byte> prefix)
    {
        int headerLength = HeaderLength(framing);
        if (headerLength > 0)
        {
            FrameHeader.Write(prefix, (uint)payloadLength);
        }

        WriteIdentity(framing, prefix[headerLength..], connectionId, sequence);
        return headerLength + Math.Min(IdentityBytes, payloadLength);
    }

    private static void WriteIdentity(Framing framing, Span<byte> destination, int connectionId, uint sequence)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, connectionId);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], sequence);
        if (framing == Framing.Line)
        {
            for (int i = 0; i < IdentityBytes; i++)
            {
                destination[i] = LineSafe(destination[i]);
            }
        }
    }

    private byte[] Table(Framing framing) => framing == Framing.Line ? _lineTable : _table;
}
