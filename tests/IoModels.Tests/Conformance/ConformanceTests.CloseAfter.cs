using IoModels.Protocol;
using IoModels.Server.Models;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Conformance;

/// <summary>
/// <c>--close-after N</c> (docs/server.md#close-after): after the Nth echo is sent the server closes the connection, an
/// orderly FIN, so it is the active closer and the TIME_WAIT is on its side.
/// </summary>
public abstract partial class ConformanceTests
{
    [Theory]
    [InlineData(Framing.Framed, 1, false)]
    [InlineData(Framing.Framed, 3, false)]
    [InlineData(Framing.Framed, 3, true)]
    [InlineData(Framing.Line, 3, false)]
    [InlineData(Framing.Line, 3, true)]
    public async Task Close_after_sends_N_echoes_then_end_of_stream(Framing framing, int closeAfter, bool inOneWrite)
    {
        await using var server = InProcessServer.Start(new ServerOptions { Model = Model, Port = 0, Framing = framing, CloseAfter = closeAfter });
        using var client = await TestClient.ConnectAsync(server.Port);
        byte[][] messages = [.. Enumerable.Range(0, closeAfter).Select(i => Message(framing, 100 + i))];

        if (inOneWrite)
        {
            byte[] all = [.. messages.SelectMany(m => m)];
            await client.SendAsync(all);
            Assert.Equal(all, await client.ReceiveExactlyAsync(all.Length));
        }
        else
        {
            foreach (var message in messages)
            {
                await client.SendAsync(message);
                Assert.Equal(message, await client.ReceiveExactlyAsync(message.Length));
            }
        }

        // An orderly end of stream, not a reset: nothing was left unread on the server's side.
        client.Socket.ReceiveTimeout = (int)Timeouts.Operation.TotalMilliseconds;
        Assert.Equal(0, client.Socket.Receive(new byte[16]));
        await Eventually.AssertAsync(() => server.Metrics.ConnectionsClosedAfterLimit == 1 && server.Metrics.ConnectionsActive == 0, "the connection to be closed and counted");
        Assert.Equal(closeAfter, server.Metrics.Messages);
    }

    [Fact]
    public async Task Close_after_zero_never_closes()
    {
        await using var server = InProcessServer.Start(new ServerOptions { Model = Model, Port = 0, CloseAfter = 0 });
        using var client = await TestClient.ConnectAsync(server.Port);
        for (int i = 0; i < 50; i++)
        {
            await client.RoundTripAsync(BitConverter.GetBytes(i));
        }

        Assert.Equal(0, server.Metrics.ConnectionsClosedAfterLimit);
        Assert.Equal(1, server.Metrics.ConnectionsActive);
    }

    private static byte[] Message(Framing framing, int length)
    {
        byte[] payload = [.. Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26)))];
        return framing == Framing.Line ? [.. payload, LineDecoder.Delimiter] : TestClient.Frame(payload);
    }
}
