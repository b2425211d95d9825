using System.Buffers;
using IoModels.Protocol;

namespace IoModels.Tests.Protocol;

public sealed class FrameDecoderTests
{
    private static byte[] Frame(int length, byte fill = 0xAB)
    {
        var frame = new byte[FrameHeader.Size + length];
        FrameHeader.Write(frame, (uint)length);
        frame.AsSpan(FrameHeader.Size).Fill(fill);
        return frame;
    }

    [Fact]
    public void A_length_equal_to_max_frame_passes_and_one_more_fails()
    {
        var decoder = new FrameDecoder(maxFrame: 100);

        Assert.Equal(DecodeStatus.Complete, decoder.TryDecode(Frame(100), out int size, out uint declared));
        Assert.Equal(104, size);
        Assert.Equal(100u, declared);

        Assert.Equal(DecodeStatus.TooLarge, decoder.TryDecode(Frame(101), out _, out declared));
        Assert.Equal(101u, declared);
    }

    [Fact]
    public void A_too_large_header_is_reported_before_its_payload_arrives()
    {
        var decoder = new FrameDecoder(maxFrame: 100);
        Assert.Equal(DecodeStatus.TooLarge, decoder.TryDecode(Frame(101).AsSpan(0, 4), out _, out _));
    }

    [Fact]
    public void All_ones_length_is_too_large_not_an_overflow()
    {
        var decoder = new FrameDecoder(FrameHeader.DefaultMaxFrame);
        byte[] header = [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3];

        Assert.Equal(DecodeStatus.TooLarge, decoder.TryDecode(header, out _, out uint declared));
        Assert.Equal(uint.MaxValue, declared);
        Assert.Equal(DecodeStatus.TooLarge, decoder.TryDecode(new ReadOnlySequence<byte>(header), out _, out declared));
        Assert.Equal(uint.MaxValue, declared);

        // Even with max-frame as large as it can be, the length cannot wrap into a small frame size.
        var widest = new FrameDecoder(int.MaxValue);
        Assert.Equal(DecodeStatus.TooLarge, widest.TryDecode(header, out _, out _));
    }

    [Fact]
    public void Empty_messages_are_whole_messages()
    {
        var decoder = new FrameDecoder(10);
        byte[] three = [.. Frame(0), .. Frame(0), .. Frame(0)];

        Assert.Equal(DecodeStatus.Complete, decoder.Scan(three, out int complete, out int messages, out int pending, out _));
        Assert.Equal(12, complete);
        Assert.Equal(3, messages);
        Assert.Equal(0, pending);
    }

    [Fact]
    public void Scan_finds_many_messages_in_one_buffer_and_the_size_of_the_partial_one()
    {
        var decoder = new FrameDecoder(1000);
        byte[] input = [.. Enumerable.Range(0, 500).SelectMany(i => Frame(i % 7)), .. Frame(300).AsSpan(0, 10)];

        Assert.Equal(DecodeStatus.Incomplete, decoder.Scan(input, out int complete, out int messages, out int pending, out _));
        Assert.Equal(500, messages);
        Assert.Equal(input.Length - 10, complete);
        Assert.Equal(304, pending);
    }

    [Fact]
    public void Scan_stops_at_a_violation_after_the_whole_messages_before_it()
    {
        var decoder = new FrameDecoder(50);
        byte[] input = [.. Frame(10), .. Frame(20), .. Frame(51)];

        Assert.Equal(DecodeStatus.TooLarge, decoder.Scan(input, out int complete, out int messages, out _, out uint declared));
        Assert.Equal(2, messages);
        Assert.Equal(38, complete);
        Assert.Equal(51u, declared);
    }

    [Fact]
    public void The_sequence_flavour_finds_a_frame_split_across_segments()
    {
        byte[] frame = Frame(9, fill: 7);
        for (int split = 1; split < frame.Length; split++)
        {
            var sequence = Segments.Create(frame.AsMemory(0, split), frame.AsMemory(split));
            Assert.Equal(DecodeStatus.Complete, new FrameDecoder(9).TryDecode(sequence, out var whole, out uint declared));
            Assert.Equal(9u, declared);
            Assert.Equal(frame, whole.ToArray());

            var partial = Segments.Create(frame.AsMemory(0, split), frame.AsMemory(split, frame.Length - split - 1));
            Assert.Equal(DecodeStatus.Incomplete, new FrameDecoder(9).TryDecode(partial, out _, out _));
        }
    }

    [Fact]
    public void The_encoder_writes_what_the_decoder_reads()
    {
        byte[] payload = [1, 2, 3, 4, 5];
        var writer = new ArrayBufferWriter<byte>();
        FrameEncoder.Write(writer, payload);
        FrameEncoder.Write(writer, []);

        Assert.Equal([0, 0, 0, 5, 1, 2, 3, 4, 5, 0, 0, 0, 0], writer.WrittenSpan.ToArray());
        Assert.Throws<ArgumentException>(() => FrameEncoder.Write(new byte[8], payload));
    }

    /// <summary>Builds a multi-segment sequence, as a pipe hands over bytes that arrived in pieces.</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Create(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
        {
            var head = new Segments(first, 0);
            var tail = new Segments(second, first.Length);
            head.Next = tail;
            return new ReadOnlySequence<byte>(head, 0, tail, second.Length);
        }
    }
}
