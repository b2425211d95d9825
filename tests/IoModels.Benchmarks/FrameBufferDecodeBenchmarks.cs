using BenchmarkDotNet.Attributes;
using IoModels.Protocol;

namespace IoModels.Benchmarks;

/// <summary>
/// The incremental decoder every server model uses, fed the same 1,000 messages cut into reads of
/// different sizes: one byte at a time (the worst case), a header split from its payload, reads that
/// cut messages anywhere, and one read holding everything.
/// </summary>
public class FrameBufferDecodeBenchmarks : IDisposable
{
    private const int Messages = 1000;

    private byte[] _stream = [];
    private FrameBuffer _buffer = null!;

    [Params(64, 4096)]
    public int PayloadSize { get; set; }

    /// <summary>Bytes per read; 0 means the whole stream in one read.</summary>
    [Params(1, 7, 1460, 0)]
    public int Segment { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _stream = MessageStream.Create(Messages, PayloadSize);
        _buffer = new FrameBuffer(Framing.Framed, FrameHeader.DefaultMaxFrame);
        // Check the result before measuring it (as Kestrel's micro-benchmarks do).
        int decoded = Decode();
        if (decoded != Messages)
        {
            throw new InvalidOperationException($"decoded {decoded} messages, expected {Messages}");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _buffer.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int Decode()
    {
        int segment = Segment == 0 ? _stream.Length : Segment;
        int messages = 0;
        for (int offset = 0; offset < _stream.Length; offset += segment)
        {
            var read = _stream.AsSpan(offset, Math.Min(segment, _stream.Length - offset));
            var space = _buffer.GetReceiveSpan();
            while (!read.IsEmpty)
            {
                int n = Math.Min(space.Length, read.Length);
                read[..n].CopyTo(space);
                read = read[n..];
                messages += _buffer.Commit(n).Messages;
                _buffer.Consume(_buffer.CompleteLength);
                space = _buffer.GetReceiveSpan();
            }
        }

        return messages;
    }
}
