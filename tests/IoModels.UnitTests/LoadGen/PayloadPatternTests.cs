using IoModels.LoadGen.Verification;
using IoModels.Protocol;

namespace IoModels.Tests.LoadGen;

public sealed class PayloadPatternTests
{
    private readonly PayloadPattern _pattern = new(maxPayload: 1024);

    [Theory]
    [InlineData(Framing.Framed, 0)]
    [InlineData(Framing.Framed, 5)]
    [InlineData(Framing.Framed, 1024)]
    [InlineData(Framing.Raw, 1)]
    [InlineData(Framing.Raw, 700)]
    [InlineData(Framing.Line, 0)]
    [InlineData(Framing.Line, 5)]
    [InlineData(Framing.Line, 1024)]
    public void What_was_written_verifies_whole_and_in_pieces(Framing framing, int payload)
    {
        var message = new byte[PayloadPattern.WireLength(framing, payload)];
        int written = _pattern.Write(framing, connectionId: 7, sequence: 42, payload, message);

        Assert.Equal(message.Length, written);
        Assert.Equal(-1, _pattern.FindMismatch(framing, 7, 42, payload, 0, message));
        for (int split = 0; split < message.Length; split += 3)
        {
            Assert.Equal(-1, _pattern.FindMismatch(framing, 7, 42, payload, 0, message.AsSpan(0, split)));
            Assert.Equal(-1, _pattern.FindMismatch(framing, 7, 42, payload, split, message.AsSpan(split)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(99)]
    public void A_flipped_byte_is_found_at_its_offset(int offset)
    {
        var message = new byte[PayloadPattern.WireLength(Framing.Framed, 100)];
        _pattern.Write(Framing.Framed, 1, 2, 100, message);
        byte sent = message[offset];
        message[offset] ^= 0x40;

        Assert.Equal(offset, _pattern.FindMismatch(Framing.Framed, 1, 2, 100, 0, message));
        Assert.Equal(sent, _pattern.ExpectedByte(Framing.Framed, 1, 2, 100, offset));
    }

    [Fact]
    public void Another_message_in_its_place_is_caught_reordered_or_from_another_connection()
    {
        var message = new byte[PayloadPattern.WireLength(Framing.Framed, 64)];
        _pattern.Write(Framing.Framed, connectionId: 3, sequence: 10, 64, message);

        Assert.Equal(-1, _pattern.FindMismatch(Framing.Framed, 3, 10, 64, 0, message));
        Assert.NotEqual(-1, _pattern.FindMismatch(Framing.Framed, 3, 11, 64, 0, message));
        Assert.NotEqual(-1, _pattern.FindMismatch(Framing.Framed, 4, 10, 64, 0, message));
    }

    [Fact]
    public void A_line_payload_never_holds_the_delimiter_and_ends_with_it()
    {
        // Ids and sequence numbers whose bytes include 0x0A, and every table offset.
        var message = new byte[PayloadPattern.WireLength(Framing.Line, 1024)];
        foreach (int id in new[] { 0, 10, 0x0A0A, 266 })
        {
            for (uint sequence = 0; sequence < 600; sequence++)
            {
                int written = _pattern.Write(Framing.Line, id, sequence, 1024, message);

                Assert.Equal(1025, written);
                Assert.Equal(-1, message.AsSpan(0, 1024).IndexOf(PayloadPattern.LineDelimiter));
                Assert.Equal(PayloadPattern.LineDelimiter, message[1024]);
            }
        }
    }

    [Fact]
    public void An_empty_line_is_the_delimiter_alone()
    {
        var message = new byte[PayloadPattern.WireLength(Framing.Line, 0)];

        Assert.Equal(1, _pattern.Write(Framing.Line, 1, 2, 0, message));
        Assert.Equal([PayloadPattern.LineDelimiter], message);
        Assert.Equal(-1, _pattern.FindMismatch(Framing.Line, 1, 2, 0, 0, message));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(99)]
    [InlineData(100)]
    public void A_changed_byte_of_a_line_is_found_at_its_offset_the_delimiter_too(int offset)
    {
        var message = new byte[PayloadPattern.WireLength(Framing.Line, 100)];
        _pattern.Write(Framing.Line, 1, 2, 100, message);
        byte sent = message[offset];
        message[offset] ^= 0x40;

        Assert.Equal(offset, _pattern.FindMismatch(Framing.Line, 1, 2, 100, 0, message));
        // From the middle on, as a receive that began there sees it.
        Assert.Equal(offset >= 50 ? offset - 50 : -1, _pattern.FindMismatch(Framing.Line, 1, 2, 100, 50, message.AsSpan(50)));
        Assert.Equal(sent, _pattern.ExpectedByte(Framing.Line, 1, 2, 100, offset));
    }

    [Fact]
    public void A_datagrams_identity_names_its_flow_and_sequence()
    {
        var datagram = new byte[64];
        _pattern.Write(Framing.Raw, 12, 345, 64, datagram);

        Assert.True(PayloadPattern.TryReadIdentity(datagram, out int flow, out uint sequence));
        Assert.Equal((12, 345u), (flow, sequence));
        Assert.False(PayloadPattern.TryReadIdentity(datagram.AsSpan(0, 7), out _, out _));
    }
}
