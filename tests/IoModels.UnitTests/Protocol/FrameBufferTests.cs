using IoModels.Protocol;

namespace IoModels.Tests.Protocol;

public sealed class FrameBufferTests
{
    private static readonly byte[][] s_messages = [.. Enumerable.Range(0, 12).Select(i => Enumerable.Range(0, i * 3 % 11).Select(b => (byte)(b + i)).ToArray())];

    private static byte[] Stream(IEnumerable<byte[]> messages) => [.. messages.SelectMany(m => (byte[])[.. Header(m.Length), .. m])];

    private static byte[] Header(int length)
    {
        var header = new byte[FrameHeader.Size];
        FrameHeader.Write(header, (uint)length);
        return header;
    }

    private static List<byte[]> Drain(FrameBuffer buffer)
    {
        var messages = new List<byte[]>();
        while (buffer.TryReadMessage(out var payload))
        {
            messages.Add(payload.ToArray());
        }

        return messages;
    }

    [Fact]
    public void Every_split_point_of_a_multi_message_stream_yields_the_same_messages()
    {
        byte[] stream = Stream(s_messages);
        for (int split = 0; split <= stream.Length; split++)
        {
            using var buffer = new FrameBuffer(Framing.Framed, maxFrame: 64, initialCapacity: 16);
            var received = new List<byte[]>();
            var first = buffer.Append(stream.AsSpan(0, split));
            received.AddRange(Drain(buffer));
            var second = buffer.Append(stream.AsSpan(split));
            received.AddRange(Drain(buffer));

            Assert.Equal(s_messages.Length, first.Messages + second.Messages);
            Assert.Equal(s_messages, received);
            Assert.True(buffer.IsEmpty);
        }
    }

    [Fact]
    public void Every_pair_of_split_points_yields_the_same_messages()
    {
        byte[] stream = Stream(s_messages.Take(5));
        for (int a = 0; a <= stream.Length; a++)
        {
            for (int b = a; b <= stream.Length; b++)
            {
                using var buffer = new FrameBuffer(Framing.Framed, maxFrame: 64, initialCapacity: 8);
                buffer.Append(stream.AsSpan(0, a));
                buffer.Append(stream.AsSpan(a, b - a));
                buffer.Append(stream.AsSpan(b));
                Assert.Equal(s_messages.Take(5), Drain(buffer));
            }
        }
    }

    [Fact]
    public void One_byte_at_a_time_yields_the_same_messages()
    {
        using var buffer = new FrameBuffer(Framing.Framed, maxFrame: 64, initialCapacity: 4);
        var received = new List<byte[]>();
        foreach (byte b in Stream(s_messages))
        {
            Assert.NotEqual(DecodeStatus.TooLarge, buffer.Append([b]).Status);
            received.AddRange(Drain(buffer));
        }

        Assert.Equal(s_messages, received);
    }

    [Fact]
    public void Keeps_the_partial_message_and_grows_to_fit_a_max_frame_one()
    {
        const int MaxFrame = 1024 * 1024;
        var payload = new byte[MaxFrame];
        new Random(1).NextBytes(payload);
        byte[] stream = [.. Header(MaxFrame), .. payload, .. Header(3), 1, 2];
        using var buffer = new FrameBuffer(Framing.Framed, MaxFrame, initialCapacity: 4096);

        for (int offset = 0; offset < stream.Length; offset += 1000)
        {
            buffer.Append(stream.AsSpan(offset, Math.Min(1000, stream.Length - offset)));
        }

        Assert.True(buffer.TryReadMessage(out var first));
        Assert.Equal(payload, first.ToArray());
        Assert.False(buffer.TryReadMessage(out _));
        Assert.Equal(6, buffer.PartialLength);
    }

    [Fact]
    public void Reports_max_frame_plus_one_and_accepts_max_frame()
    {
        using var exact = new FrameBuffer(Framing.Framed, maxFrame: 10);
        Assert.Equal(new CommitResult(DecodeStatus.Complete, 1, 0), exact.Append([.. Header(10), .. new byte[10]]));

        using var over = new FrameBuffer(Framing.Framed, maxFrame: 10);
        Assert.Equal(new CommitResult(DecodeStatus.TooLarge, 1, 11), over.Append([.. Header(10), .. new byte[10], .. Header(11)]));

        // 0xFFFFFFFF arriving in two halves: nothing to say after the first, a violation after the second.
        using var allOnes = new FrameBuffer(Framing.Framed, maxFrame: 10);
        Assert.Equal(DecodeStatus.Incomplete, allOnes.Append([0xFF, 0xFF]).Status);
        Assert.Equal(new CommitResult(DecodeStatus.TooLarge, 0, uint.MaxValue), allOnes.Append([0xFF, 0xFF]));
    }

    [Fact]
    public void Raw_mode_makes_every_byte_complete()
    {
        using var buffer = new FrameBuffer(Framing.Raw, maxFrame: 0);
        Assert.Equal(new CommitResult(DecodeStatus.Complete, 0, 0), buffer.Append([0xFF, 0xFF, 0xFF, 0xFF, 9]));
        Assert.Equal(5, buffer.CompleteLength);
        Assert.Throws<InvalidOperationException>(() => buffer.TryReadMessage(out _));
    }

    [Fact]
    public void Holds_a_pooled_array_only_while_an_echo_or_a_long_partial_message_is_buffered()
    {
        using var buffer = new FrameBuffer(Framing.Framed, maxFrame: 1000);
        Assert.False(buffer.HoldsBuffer);

        // A whole message waiting to be echoed keeps the array.
        buffer.Append([.. Header(1), 9, .. Header(3), 1]);
        buffer.ReleaseIfIdle();
        Assert.True(buffer.HoldsBuffer);

        // Once it is sent, the short partial message is set aside and the array goes back.
        buffer.Consume(buffer.CompleteLength);
        buffer.ReleaseIfIdle();
        Assert.False(buffer.HoldsBuffer);
        Assert.Equal(FrameHeader.Size + 1, buffer.PartialLength);

        // A partial message longer than the inline space keeps it.
        buffer.Append([2, 3, .. Header(FrameBuffer.InlineCapacity), .. new byte[FrameBuffer.InlineCapacity - FrameHeader.Size + 1]]);
        Assert.True(buffer.TryReadMessage(out var payload));
        Assert.Equal([1, 2, 3], payload.ToArray());
        Assert.Equal(FrameBuffer.InlineCapacity + 1, buffer.PartialLength);
        buffer.ReleaseIfIdle();
        Assert.True(buffer.HoldsBuffer);

        buffer.Append(new byte[FrameHeader.Size - 1]);
        Assert.True(buffer.TryReadMessage(out payload));
        Assert.Equal(FrameBuffer.InlineCapacity, payload.Length);
        buffer.ReleaseIfIdle();
        Assert.False(buffer.HoldsBuffer);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_message_set_aside_between_every_byte_comes_out_whole()
    {
        var pool = new CountingPool();
        using var buffer = new FrameBuffer(Framing.Framed, maxFrame: 1000, pool: pool);
        byte[] stream = Stream(s_messages);
        var received = new List<byte[]>();
        foreach (byte b in stream)
        {
            buffer.GetReceiveSpan()[0] = b;
            buffer.Commit(1);
            received.AddRange(Drain(buffer));
            buffer.ReleaseIfIdle();
            Assert.False(buffer.HoldsBuffer);
            Assert.Equal(0, pool.Out);
        }

        Assert.Equal(s_messages, received);
        Assert.Equal(stream.Length, pool.Rents);
    }

    [Fact]
    public void Consuming_part_of_the_complete_region_keeps_the_rest_in_order()
    {
        using var buffer = new FrameBuffer(Framing.Framed, maxFrame: 100, initialCapacity: 8);
        byte[] stream = Stream(s_messages);
        buffer.Append(stream);

        var echoed = new List<byte>();
        while (buffer.CompleteLength > 0)
        {
            int n = Math.Min(5, buffer.CompleteLength);
            echoed.AddRange(buffer.Complete[..n].ToArray());
            buffer.Consume(n);
        }

        Assert.Equal(stream, echoed);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Consume(1));
    }

    /// <summary>Counts what is out, so a test sees a buffer that was not given back.</summary>
    private sealed class CountingPool : System.Buffers.ArrayPool<byte>
    {
        public int Out { get; private set; }

        public int Rents { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Out++;
            Rents++;
            return new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false) => Out--;
    }
}
