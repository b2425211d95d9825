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
}
