using IoModels.Protocol;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Conformance;

/// <summary><c>--framing line</c> (docs/protocol.md#line): every line back with its newline, in order, whatever the segmentation.</summary>
public abstract partial class ConformanceTests
{
    public static TheoryData<string> LineSegmentations => ["one-byte-writes", "many-lines-per-write", "random-chunks"];

    [Theory]
    [MemberData(nameof(LineSegmentations))]
    public async Task Line_framing_echoes_every_line_whatever_the_segmentation(string segmentation)
    {
        var random = new Random(segmentation.GetHashCode(StringComparison.Ordinal));
        (int lines, int maxLength) = segmentation switch
        {
            "one-byte-writes" => (60, 40),
            "many-lines-per-write" => (2000, 64),
            _ => (300, 8192),
        };

        var stream = new MemoryStream();
        for (int i = 0; i < lines; i++)
        {
            // Empty lines, maximal ones, and everything between; any byte but the delimiter.
            int length = i % 17 == 0 ? 0 : i % 5 == 0 ? maxLength : random.Next(maxLength + 1);
            stream.Write(Line(random, length));
        }

        byte[] sent = stream.ToArray();
        await using var server = InProcessServer.Start(Model, Framing.Line);
        using var client = await TestClient.ConnectAsync(server.Port);

        var receive = client.ReceiveExactlyAsync(sent.Length);
        for (int offset = 0; offset < sent.Length;)
        {
            int chunk = segmentation switch
            {
                "one-byte-writes" => 1,
                "many-lines-per-write" => sent.Length,
                _ => random.Next(1, 64 * 1024),
            };
            chunk = Math.Min(chunk, sent.Length - offset);
            await client.SendAsync(sent.AsMemory(offset, chunk));
            offset += chunk;
        }

        Assert.Equal(sent, await receive);
        Assert.Equal(lines, server.Metrics.Messages);
    }

    // A line of max-frame bytes is fine; one byte more, whether the newline never comes or comes too late, closes
    // that connection without an echo of it, counted, and nobody else notices.
    [Theory]
    [InlineData(1025, 1025, false)]
    [InlineData(1025, 100, false)]
    [InlineData(1025, 1, false)]
    [InlineData(5000, 5001, true)]
    public async Task Line_framing_closes_a_connection_whose_line_passes_max_frame(int lineLength, int chunk, bool withNewline)
    {
        await using var server = InProcessServer.Start(Model, Framing.Line, maxFrame: 1024);
        using var bystander = await TestClient.ConnectAsync(server.Port);
        byte[] longest = Line(new Random(1), 1024);
        await bystander.SendAsync(longest);
        Assert.Equal(longest, await bystander.ReceiveExactlyAsync(longest.Length));

        using var offender = await TestClient.ConnectAsync(server.Port);
        byte[] tooLong = withNewline ? Line(new Random(2), lineLength) : Line(new Random(2), lineLength)[..^1];
        for (int offset = 0; offset < tooLong.Length; offset += chunk)
        {
            await offender.SendAsync(tooLong.AsMemory(offset, Math.Min(chunk, tooLong.Length - offset)));
        }

        Assert.Equal(0, await offender.ReceiveUntilClosedAsync());
        await bystander.SendAsync(longest);
        Assert.Equal(longest, await bystander.ReceiveExactlyAsync(longest.Length));
        Assert.Equal(1, server.Metrics.ProtocolErrors);
    }

    // The framing cannot carry its own delimiter: a payload with a newline inside is two messages to the server (the
    // bytes still come back unchanged, but as two echoes), where the length prefix of framed carries it as one.
    [Theory]
    [InlineData(Framing.Line, 2)]
    [InlineData(Framing.Framed, 1)]
    public async Task A_payload_that_contains_the_delimiter_is_two_lines_but_one_framed_message(Framing framing, int expectedMessages)
    {
        byte[] payload = "first half\nsecond half"u8.ToArray();
        byte[] wire = framing == Framing.Line ? [.. payload, LineDecoder.Delimiter] : TestClient.Frame(payload);
        await using var server = InProcessServer.Start(Model, framing);
        using var client = await TestClient.ConnectAsync(server.Port);

        await client.SendAsync(wire);
        Assert.Equal(wire, await client.ReceiveExactlyAsync(wire.Length));
        Assert.Equal(expectedMessages, server.Metrics.Messages);
    }

    /// <summary><paramref name="length"/> random bytes that are never the delimiter, then the delimiter.</summary>
    private static byte[] Line(Random random, int length)
    {
        var line = new byte[length + 1];
        random.NextBytes(line);
        for (int i = 0; i < length; i++)
        {
            if (line[i] == LineDecoder.Delimiter)
            {
                line[i] = (byte)'.';
            }
        }

        line[length] = LineDecoder.Delimiter;
        return line;
    }
}
