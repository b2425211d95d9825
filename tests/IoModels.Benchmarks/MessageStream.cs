using IoModels.Protocol;

namespace IoModels.Benchmarks;

/// <summary>The bytes of many framed messages back to back, as a connection would carry them.</summary>
internal static class MessageStream
{
    public static byte[] Create(int messages, int payloadSize)
    {
        var payload = new byte[payloadSize];
        new Random(42).NextBytes(payload);
        int frameSize = FrameEncoder.GetFrameSize(payloadSize);
        var stream = new byte[messages * frameSize];
        for (int i = 0; i < messages; i++)
        {
            FrameEncoder.Write(stream.AsSpan(i * frameSize, frameSize), payload);
        }

        return stream;
    }
}
