using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using IoModels.Protocol;
using Xunit.Abstractions;

namespace IoModels.Tests.Saea;

/// <summary>What the SocketAsyncEventArgs model promises beyond the conformance suite.</summary>
public sealed class SaeaServerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Steady_state_echo_allocates_nothing_per_message()
    {
        await using var server = new InProcessServer("saea");

        var result = EchoAllocationMeter.Measure(server.EndPoint, payloadSize: 64, warmupRoundTrips: 2_000, roundTripsPerWindow: 10_000, windows: 5, s_timeout);

        output.WriteLine(result.ToString());

        // One allocation per message would put at least 24 bytes per round trip in every window; under one byte per
        // round trip in the quietest window leaves room only for background noise.
        Assert.True(result.QuietestWindowBytes < result.RoundTripsPerWindow, result.ToString());
    }

    [Fact]
    public async Task A_deep_pipeline_in_one_write_is_echoed_whole()
    {
        // Most operations complete synchronously here: the loop, not recursion, must carry them.
        await using var server = new InProcessServer("saea");
        using var client = await ConnectAsync(server);
        var request = new byte[200_000 * (FrameHeader.Size + 4)];
        for (int offset = 0; offset < request.Length; offset += FrameHeader.Size + 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(request.AsSpan(offset), 4);
            BinaryPrimitives.WriteInt32LittleEndian(request.AsSpan(offset + FrameHeader.Size), offset);
        }

        using var cts = new CancellationTokenSource(s_timeout);
        var send = client.SendAsync(request, SocketFlags.None, cts.Token).AsTask();
        var reply = new byte[request.Length];
        int received = 0;
        while (received < reply.Length)
        {
            int n = await client.ReceiveAsync(reply.AsMemory(received), SocketFlags.None, cts.Token);
            Assert.NotEqual(0, n);
            received += n;
        }

        await send;
        Assert.Equal(request, reply);
    }

    [Fact]
    public async Task Stop_aborts_every_pending_operation_and_closes_every_socket()
    {
        await using var server = new InProcessServer("saea");
        using var cts = new CancellationTokenSource(s_timeout);

        // Idle ones wait in a zero-byte receive, one holds part of a message in a real receive, one never reads so
        // its echo send stays pending.
        var idle = new List<Socket>();
        for (int i = 0; i < 20; i++)
        {
            idle.Add(await ConnectAsync(server));
        }

        using var partial = await ConnectAsync(server);
        await partial.SendAsync(new byte[] { 0, 0, 1, 0, 42 }, SocketFlags.None, cts.Token);

        using var flooder = await ConnectAsync(server);
        var message = new byte[FrameHeader.Size + 60_000];
        BinaryPrimitives.WriteUInt32BigEndian(message, 60_000);
        var flood = FloodAsync(flooder, message, cts.Token);

        await WaitUntilAsync(() => server.Metrics.ConnectionsActive == 22, "the connections to open");
        await WaitUntilStableAsync(() => server.Metrics.BytesReceived, flood, "the flooder's echo to back up");

        await server.StopAsync();

        Assert.Equal(0, server.Metrics.ConnectionsActive);
        foreach (var socket in idle.Append(partial))
        {
            Assert.True(await EndsAsync(socket, cts.Token), "a client was not disconnected");
            socket.Dispose();
        }

        flooder.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => flood);
    }

    [Fact]
    public async Task A_peer_that_does_not_read_stops_being_read_while_others_are_served()
    {
        await using var server = new InProcessServer("saea");
        using var cts = new CancellationTokenSource(s_timeout);
        using var flooder = await ConnectAsync(server);
        var message = new byte[FrameHeader.Size + 60_000];
        BinaryPrimitives.WriteUInt32BigEndian(message, 60_000);
        var flood = FloodAsync(flooder, message, cts.Token);

        // Once the socket buffers are full the server must stop reading: what it has read stops growing.
        long settled = await WaitUntilStableAsync(() => server.Metrics.BytesReceived, flood, "the server to stop reading the flooder");

        using var other = await ConnectAsync(server);
        var ping = new byte[] { 0, 0, 0, 2, 7, 8 };
        await other.SendAsync(ping, SocketFlags.None, cts.Token);
        var pong = new byte[ping.Length];
        int received = 0;
        while (received < pong.Length)
        {
            int n = await other.ReceiveAsync(pong.AsMemory(received), SocketFlags.None, cts.Token);
            Assert.NotEqual(0, n);
            received += n;
        }

        Assert.Equal(ping, pong);
        Assert.Equal(settled + ping.Length, server.Metrics.BytesReceived);
        flooder.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => flood);
    }

    private static async Task<Socket> ConnectAsync(InProcessServer server)
    {
        var socket = new Socket(server.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(s_timeout);
        await socket.ConnectAsync(server.EndPoint, cts.Token);
        return socket;
    }

    /// <summary>Sends the message over and over without reading, until the socket is closed or the token fires.</summary>
    private static async Task FloodAsync(Socket socket, byte[] message, CancellationToken cancellationToken)
    {
        for (int i = 0; i < 100_000; i++)
        {
            await socket.SendAsync(message, SocketFlags.None, cancellationToken);
        }
    }

    /// <summary>True when the peer closed: a receive returns 0 or fails with a reset, within the token's time.</summary>
    private static async Task<bool> EndsAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64];
        try
        {
            for (int i = 0; i < 100; i++)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) == 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > s_timeout)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits until a counter is above zero and unchanged over 200 ms while the flood is still blocked; returns it.</summary>
    private static async Task<long> WaitUntilStableAsync(Func<long> counter, Task flood, string what)
    {
        var started = Stopwatch.GetTimestamp();
        long last = -1;
        while (true)
        {
            long now = counter();
            if (now == last && now > 0 && !flood.IsCompleted)
            {
                return now;
            }

            if (Stopwatch.GetElapsedTime(started) > s_timeout)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            last = now;
            await Task.Delay(200);
        }
    }
}
