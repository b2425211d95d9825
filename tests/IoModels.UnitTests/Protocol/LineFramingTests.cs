using IoModels.Protocol;

namespace IoModels.Tests.Protocol;

/// <summary><see cref="LineDecoder"/> and <see cref="FrameBuffer"/> in line framing; the wire cases are in the conformance suite.</summary>
public sealed class LineFramingTests
{
    private static readonly byte[][] s_lines = [.. Enumerable.Range(0, 12).Select(i => Enumerable.Range(0, i * 3 % 11).Select(b => (byte)('a' + b + i)).ToArray())];

    private static byte[] Stream(IEnumerable<byte[]> lines) => [.. lines.SelectMany(l => (byte[])[.. l, LineDecoder.Delimiter])];

    private static List<byte[]> Drain(FrameBuffer buffer)
    {
        var lines = new List<byte[]>();
        while (buffer.TryReadMessage(out var line))
        {
            lines.Add(line.ToArray());
        }

        return lines;
    }

    [Fact]
    public void Every_pair_of_split_points_yields_the_same_lines()
    {
        byte[] stream = Stream(s_lines.Take(6));
        for (int a = 0; a <= stream.Length; a++)
        {
            for (int b = a; b <= stream.Length; b++)
            {
                using var buffer = new FrameBuffer(Framing.Line, maxFrame: 64, initialCapacity: 8);
                int messages = buffer.Append(stream.AsSpan(0, a)).Messages
                    + buffer.Append(stream.AsSpan(a, b - a)).Messages
                    + buffer.Append(stream.AsSpan(b)).Messages;
                Assert.Equal(6, messages);
                Assert.Equal(s_lines.Take(6), Drain(buffer));
                Assert.True(buffer.IsEmpty);
            }
        }
    }

    [Fact]
    public void A_line_of_max_frame_passes_and_one_byte_more_fails_whether_or_not_its_newline_came()
    {
        var decoder = new LineDecoder(maxFrame: 8);
        byte[] longest = [.. "12345678"u8, LineDecoder.Delimiter];
        Assert.Equal(DecodeStatus.Complete, decoder.Scan(longest, 0, int.MaxValue, out int complete, out int messages, out _));
        Assert.Equal((9, 1), (complete, messages));

        // Nine bytes and no newline: too long already.
        Assert.Equal(DecodeStatus.TooLarge, decoder.Scan("123456789"u8, 0, int.MaxValue, out _, out _, out uint length));
        Assert.Equal(9u, length);

        // The same, arriving after five bytes that came before.
        Assert.Equal(DecodeStatus.TooLarge, decoder.Scan("6789"u8, 5, int.MaxValue, out _, out _, out length));
        Assert.Equal(9u, length);

        // Too long but complete in one read, after a good line.
        Assert.Equal(DecodeStatus.TooLarge, decoder.Scan([.. "ok"u8, LineDecoder.Delimiter, .. "123456789"u8, LineDecoder.Delimiter], 0, int.MaxValue, out _, out messages, out length));
        Assert.Equal((1, 9u), (messages, length));
    }

    [Fact]
    public void A_partial_line_is_scanned_once_and_completes_with_its_newline()
    {
        using var buffer = new FrameBuffer(Framing.Line, maxFrame: 1 << 20, initialCapacity: 16);
        var line = new byte[100_000];
        Array.Fill(line, (byte)'x');
        for (int offset = 0; offset < line.Length; offset += 1000)
        {
            Assert.Equal(0, buffer.Append(line.AsSpan(offset, 1000)).Messages);
        }

        Assert.Equal(line.Length, buffer.PartialLength);
        Assert.Equal(1, buffer.Append([LineDecoder.Delimiter]).Messages);
        Assert.True(buffer.TryReadMessage(out var whole));
        Assert.Equal(line, whole.ToArray());
    }

    [Fact]
    public void A_short_partial_line_is_set_aside_and_comes_back_whole()
    {
        using var buffer = new FrameBuffer(Framing.Line, maxFrame: 1024);
        buffer.Append("hal"u8);
        buffer.ReleaseIfIdle();
        Assert.False(buffer.HoldsBuffer);
        buffer.Append([.. "f a line"u8, LineDecoder.Delimiter]);
        Assert.True(buffer.TryReadMessage(out var line));
        Assert.Equal("half a line"u8.ToArray(), line.ToArray());
    }

    [Theory]
    [InlineData(Framing.Framed)]
    [InlineData(Framing.Line)]
    public void A_message_limit_decodes_that_many_and_leaves_the_rest(Framing framing)
    {
        byte[][] messages = [[1], [2, 2], [3, 3, 3], [4]];
        byte[] stream = framing == Framing.Line
            ? Stream(messages.Select(m => m.Select(b => (byte)(b + '0')).ToArray()))
            : [.. messages.SelectMany(m => (byte[])[0, 0, 0, (byte)m.Length, .. m])];
        using var buffer = new FrameBuffer(framing, maxFrame: 64, messageLimit: 3);

        Assert.Equal(2, buffer.Append(stream.AsSpan(0, stream.Length / 2)).Messages);
        Assert.False(buffer.LimitReached);
        Assert.Equal(1, buffer.Append(stream.AsSpan(stream.Length / 2)).Messages);
        Assert.True(buffer.LimitReached);
        Assert.Equal(3, Drain(buffer).Count);
        Assert.True(buffer.PartialLength > 0);
    }

    [Fact]
    public void Raw_framing_refuses_a_message_limit()
    {
        Assert.Throws<ArgumentException>(() => new FrameBuffer(Framing.Raw, maxFrame: 64, messageLimit: 1));
    }
}
