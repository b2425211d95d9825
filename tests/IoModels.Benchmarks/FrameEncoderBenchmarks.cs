using System.Buffers;
using BenchmarkDotNet.Attributes;
using IoModels.Protocol;

namespace IoModels.Benchmarks;

/// <summary>Writing one message: into a span (the load generator's send buffer) and into a buffer writer (a pipe).</summary>
public class FrameEncoderBenchmarks
{
    private readonly ArrayBufferWriter<byte> _writer = new(1 << 20);
    private byte[] _payload = [];
    private byte[] _destination = [];

    [Params(64, 65536)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadSize];
        new Random(42).NextBytes(_payload);
        _destination = new byte[FrameEncoder.GetFrameSize(PayloadSize)];
        if (EncodeToSpan() != _destination.Length || FrameHeader.Read(_destination) != (uint)PayloadSize)
        {
            throw new InvalidOperationException("the encoder wrote a wrong frame");
        }
    }

    [Benchmark(Baseline = true)]
    public int EncodeToSpan() => FrameEncoder.Write(_destination, _payload);

    [Benchmark]
    public int EncodeToBufferWriter()
    {
        _writer.ResetWrittenCount();
        FrameEncoder.Write(_writer, _payload);
        return _writer.WrittenCount;
    }
}
