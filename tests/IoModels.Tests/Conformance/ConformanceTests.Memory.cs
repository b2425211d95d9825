using IoModels.Protocol;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Conformance;

/// <summary>What a hostile peer that sends a few bytes of a message and then nothing costs the server.</summary>
public abstract partial class ConformanceTests
{
    private const int PartialHeaderPeers = 2_000;

    // Connecting more at once than the listen backlog holds would only add SYN retries.
    private const int ConnectBatch = 200;

    // 9. Thousands of peers each holding two bytes of a header (or of a line): none holds a pooled buffer, every one
    //    is still served when it sends the rest, and once they are gone the pool lets go of what it kept.
    [Theory]
    [InlineData(Framing.Framed)]
    [InlineData(Framing.Line)]
    public async Task Peers_holding_a_partial_header_hold_no_pooled_buffer(Framing framing)
    {
        if (Model == "blocking")
        {
            // A thread per connection blocks in recv with the buffer in hand: memory there is threads, not buffers.
            Output?.WriteLine("blocking: not an event-driven model, nothing to measure");
            return;
        }

        // A model that watches only descriptors below a limit (select-libc) gets as many peers as stay below it:
        // client and server sockets share this process, so each peer takes two descriptors.
        int peerCount = watchableDescriptors is int limit ? Math.Min(PartialHeaderPeers, limit / 4) : PartialHeaderPeers;
        await using var server = InProcessServer.StartWithPool(Model, framing: framing);
        const uint Payload = 8;
        byte[] payload = [.. Enumerable.Range(1, (int)Payload).Select(i => (byte)i)];
        byte[] frame = framing == Framing.Line ? [.. payload, LineDecoder.Delimiter] : TestClient.Frame(payload);
        var clients = new List<TestClient>(peerCount);
        try
        {
            for (int i = 0; i < peerCount; i += ConnectBatch)
            {
                clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(ConnectBatch, peerCount - i)).Select(_ => TestClient.ConnectAsync(server.Port))));
            }

            await Task.WhenAll(clients.Select(c => c.SendAsync(frame.AsMemory(0, 2))));
            bool settled = await Eventually.TrueAsync(() => server.Metrics.BytesReceived == 2L * peerCount && server.Pool.BuffersOut == 0);
            Assert.True(settled, $"{peerCount} peers holding 2 bytes of a header: {server.Metrics.BytesReceived} bytes received, {server.Pool.BuffersOut} pooled buffers out (expected {2 * peerCount} and 0)");
            Output?.WriteLine($"{Model}: {peerCount} peers holding 2 bytes of a header, buffers out {server.Pool.BuffersOut}, kept {server.Pool.BuffersKept}");
            Assert.Equal(peerCount, server.Metrics.ConnectionsActive);

            // The bytes set aside are not lost: the rest of the message brings the whole echo back.
            await Task.WhenAll(clients.Select(async c =>
            {
                var echo = c.ReceiveExactlyAsync(frame.Length);
                await c.SendAsync(frame.AsMemory(2));
                Assert.Equal(frame, await echo);
            }));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        await Eventually.AssertAsync(() => server.Metrics.ConnectionsActive == 0 && server.Pool.BuffersOut == 0, "every connection to close and give its buffer back");

        // Nothing rented between two trims: everything kept goes.
        server.Pool.Trim();
        server.Pool.Trim();
        Assert.Equal(0, server.Pool.BuffersKept);
    }
}
