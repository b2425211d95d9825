using BenchmarkDotNet.Attributes;
using IoModels.Protocol;

namespace IoModels.Benchmarks;

/// <summary>The stateless decoder walking a buffer that holds many whole messages (a busy connection's read).</summary>
public class FrameDecoderScanBenchmarks
{
    private readonly FrameDecoder _decoder = new(FrameHeader.DefaultMaxFrame);
    private byte[] _stream = [];

    [Params(1, 100)]
    public int Messages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _stream = MessageStream.Create(Messages, 64);
        if (Scan() != Messages)
        {
            throw new InvalidOperationException("the scan did not find every message");
        }
    }

    [Benchmark]
    public int Scan()
    {
        _decoder.Scan(_stream, out _, out int messages, out _, out _);
        return messages;
    }
}
