using System.Net.Sockets;
using IoModels.Protocol;
using IoModels.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IoModels.Tests.Conformance;

/// <summary>
/// The one conformance suite every I/O model must pass (docs/protocol.md and docs/server.md). A model joins it with an empty sealed
/// subclass; a real difference between models is a constructor flag here, never a copied test.
/// </summary>
/// <param name="watchableDescriptors">
/// For a model that cannot watch a descriptor numbered this or above (<c>select-libc</c>: <c>FD_SETSIZE</c>): the
/// cases that open more connections expect those closed at once and counted as refused. Null: no such limit.
/// </param>
public abstract partial class ConformanceTests(string model, ITestOutputHelper? output = null, int? watchableDescriptors = null)
{
    protected string Model => model;

    /// <summary>Where cases that measure print what they measured (shown with <c>--logger "console;verbosity=detailed"</c>).</summary>
    protected ITestOutputHelper? Output => output;

    public static TheoryData<string> Segmentations => ["one-byte-writes", "many-messages-per-write", "random-chunks", "mebibyte-messages"];

    // 1. Echo of random messages under random segmentation.
    [Theory]
    [MemberData(nameof(Segmentations))]
    public async Task Echoes_every_message_whatever_the_segmentation(string segmentation)
    {
        var random = new Random(segmentation.GetHashCode(StringComparison.Ordinal));
        (int messages, int maxPayload) = segmentation switch
        {
            "one-byte-writes" => (60, 40),
            "many-messages-per-write" => (2000, 64),
            "random-chunks" => (300, 8192),
            _ => (4, FrameHeader.DefaultMaxFrame),
        };

        var stream = new MemoryStream();
        for (int i = 0; i < messages; i++)
        {
            // Empty messages, maximal ones, and everything between.
            int length = i % 17 == 0 ? 0 : i % 5 == 0 ? maxPayload : random.Next(maxPayload + 1);
            var payload = new byte[length];
            random.NextBytes(payload);
            stream.Write(TestClient.Frame(payload));
        }

        byte[] sent = stream.ToArray();
        await using var server = InProcessServer.Start(Model);
        using var client = await TestClient.ConnectAsync(server.Port);

        var receive = client.ReceiveExactlyAsync(sent.Length);
        int offset = 0;
        while (offset < sent.Length)
        {
            int chunk = segmentation switch
            {
                "one-byte-writes" => 1,
                "many-messages-per-write" => sent.Length,
                _ => random.Next(1, 64 * 1024),
            };
            chunk = Math.Min(chunk, sent.Length - offset);
            await client.SendAsync(sent.AsMemory(offset, chunk));
            offset += chunk;
        }

        Assert.Equal(sent, await receive);
        Assert.Equal(messages, server.Metrics.Messages);
    }

    // 1b. Raw (RFC 862) mode: every byte back, in order, no boundaries.
    [Fact]
    public async Task Raw_mode_echoes_every_byte_in_order()
    {
        var random = new Random(862);
        var sent = new byte[3 * 1024 * 1024 + 17];
        random.NextBytes(sent);
        await using var server = InProcessServer.Start(Model, Framing.Raw);
        using var client = await TestClient.ConnectAsync(server.Port);

        var receive = client.ReceiveExactlyAsync(sent.Length);
        for (int offset = 0; offset < sent.Length;)
        {
            int chunk = Math.Min(random.Next(1, 100_000), sent.Length - offset);
            await client.SendAsync(sent.AsMemory(offset, chunk));
            offset += chunk;
        }

        Assert.Equal(sent, await receive);
    }

    // 2. Hundreds of simultaneous clients.
    [Fact]
    public async Task Serves_hundreds_of_simultaneous_clients()
    {
        const int Clients = 200;
        await using var server = InProcessServer.Start(Model);
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => TestClient.ConnectAsync(server.Port)));
        try
        {
            await Task.WhenAll(clients.Select(async (client, index) =>
            {
                var random = new Random(index);
                for (int i = 0; i < 20; i++)
                {
                    var payload = new byte[random.Next(1, 2048)];
                    random.NextBytes(payload);
                    await client.RoundTripAsync(payload);
                }
            }));

            Assert.Equal(Clients, server.Metrics.ConnectionsPeak);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    // 3. Oversize length: that connection closed, no echo, others unaffected. The max-frame boundary exactly.
    [Theory]
    [InlineData(1025u)]
    [InlineData(0xFFFFFFFFu)]
    public async Task Closes_a_connection_that_declares_more_than_max_frame(uint declaredLength)
    {
        await using var server = InProcessServer.Start(Model, maxFrame: 1024);
        using var bystander = await TestClient.ConnectAsync(server.Port);
        await bystander.RoundTripAsync(new byte[1024]);

        using var offender = await TestClient.ConnectAsync(server.Port);
        await offender.SendAsync(TestClient.Header(declaredLength));
        await offender.SendAsync(new byte[100]);
        Assert.Equal(0, await offender.ReceiveUntilClosedAsync());

        await bystander.RoundTripAsync(new byte[1024]);
        Assert.Equal(1, server.Metrics.ProtocolErrors);
    }

    // 4. A stalled peer (half a header, part of a payload) does not delay others, and is served once it goes on.
    [Fact]
    public async Task A_stalled_peer_does_not_delay_the_others()
    {
        await using var server = InProcessServer.Start(Model);
        using var halfHeader = await TestClient.ConnectAsync(server.Port);
        using var partPayload = await TestClient.ConnectAsync(server.Port);
        byte[] first = TestClient.Frame(new byte[5000]);
        byte[] second = TestClient.Frame([1, 2, 3]);
        await halfHeader.SendAsync(second.AsMemory(0, 2));
        await partPayload.SendAsync(first.AsMemory(0, 1000));

        using var active = await TestClient.ConnectAsync(server.Port);
        for (int i = 0; i < 200; i++)
        {
            await active.RoundTripAsync(BitConverter.GetBytes(i));
        }

        await halfHeader.SendAsync(second.AsMemory(2));
        await partPayload.SendAsync(first.AsMemory(1000));
        Assert.Equal(second, await halfHeader.ReceiveExactlyAsync(second.Length));
        Assert.Equal(first, await partPayload.ReceiveExactlyAsync(first.Length));
    }

    // 6. Half-close: all echoes, then EOF; a trailing partial message is dropped.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Half_close_gets_every_echo_then_end_of_stream(bool trailingPartialMessage)
    {
        await using var server = InProcessServer.Start(Model);
        using var client = await TestClient.ConnectAsync(server.Port);
        var stream = new MemoryStream();
        for (int i = 0; i < 500; i++)
        {
            stream.Write(TestClient.Frame(new byte[i % 300]));
        }

        byte[] whole = stream.ToArray();
        await client.SendAsync(whole);
        if (trailingPartialMessage)
        {
            await client.SendAsync(TestClient.Frame(new byte[100]).AsMemory(0, 50));
        }

        client.Socket.Shutdown(SocketShutdown.Send);

        Assert.Equal(whole, await client.ReceiveExactlyAsync(whole.Length));
        Assert.Equal(0, await client.ReceiveUntilClosedAsync());
    }

    // 7. Abrupt reset mid-message.
    [Fact]
    public async Task Abrupt_reset_mid_message_is_survived()
    {
        await using var server = InProcessServer.Start(Model);
        using var bystander = await TestClient.ConnectAsync(server.Port);
        for (int i = 0; i < 20; i++)
        {
            var resetter = await TestClient.ConnectAsync(server.Port);
            await resetter.SendAsync(TestClient.Frame(new byte[10_000]).AsMemory(0, 3000 + i));
            resetter.Reset();
            await bystander.RoundTripAsync(new byte[i]);
        }

        await Eventually.AssertAsync(() => server.Metrics.ConnectionsActive == 1, "the reset connections to be closed");
    }

    // 9. Thousands of idle connections while an active one is served.
    [Fact]
    public async Task Thousands_of_idle_connections_do_not_hold_up_an_active_one()
    {
        const int Idle = 2000;
        await using var server = InProcessServer.Start(Model);
        var idle = new List<TestClient>(Idle);
        try
        {
            for (int batch = 0; batch < Idle / 100; batch++)
            {
                idle.AddRange(await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => TestClient.ConnectAsync(server.Port))));
            }

            using var active = await TestClient.ConnectAsync(server.Port);
            await Eventually.AssertAsync(() => server.Metrics.ConnectionsActive + server.Metrics.ConnectionsRefused == Idle + 1, "every idle connection to be accepted");
            var served = active;
            var stillIdle = idle[Idle / 2];
            if (watchableDescriptors is int limit)
            {
                // Client and server sockets share this process, so its descriptors pass the limit long before the
                // last client: the model closes the ones above it at once, counts them, and serves those below.
                Output?.WriteLine($"{Model}: {server.Metrics.ConnectionsActive} of {Idle + 1} connections served, {server.Metrics.ConnectionsRefused} refused at descriptor {limit} and above");
                Assert.True(server.Metrics.ConnectionsRefused > 0, $"{Idle + 1} connections in one process, none refused");
                Assert.Equal(0, await active.ReceiveUntilClosedAsync());
                served = idle[0];
                stillIdle = idle[1];
            }
            else
            {
                Assert.Equal(0, server.Metrics.ConnectionsRefused);
            }

            for (int i = 0; i < 300; i++)
            {
                await served.RoundTripAsync(BitConverter.GetBytes(i));
            }

            // And the idle ones are still alive.
            await stillIdle.RoundTripAsync(new byte[10]);
        }
        finally
        {
            foreach (var client in idle)
            {
                client.Dispose();
            }
        }
    }
}
