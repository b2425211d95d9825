using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Peers;

/// <summary>
/// The smoke checks every peer must pass: echo across split writes (docs/protocol.md), an oversize header closing only its
/// own connection, half-close, and SIGTERM → exit 0 (docs/server.md#stopping-the-server). Each socket operation is bounded by a timeout.
/// </summary>
internal static class PeerSmoke
{
    private const int DefaultMaxFrame = 1024 * 1024;

    public static async Task FramedAsync(PeerProcess peer)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Operation);
        var ct = timeout.Token;
        using var client = await ConnectAsync(peer.EndPoint, ct);

        var random = new Random(862);
        byte[] payloadA = new byte[70_000];
        random.NextBytes(payloadA);
        byte[] messages = [.. Frame([]), .. Frame("hello"u8), .. Frame(payloadA), .. Frame([7])];
        // Split at awkward places: inside the first header, inside a payload, between a header and its payload.
        int[] cuts = [2, 5, 9, 13, 4000, 69_000, messages.Length - 3];
        await AssertEchoAsync(client, messages, cuts, ct);

        using (var violator = await ConnectAsync(peer.EndPoint, ct))
        {
            byte[] header = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(header, DefaultMaxFrame + 1);
            await violator.SendAsync(header, SocketFlags.None, ct);
            Assert.True(await IsClosedAsync(violator, ct), $"the oversize header should close the connection; stderr: {peer.StandardError}");
        }

        // Other connections never notice.
        await AssertEchoAsync(client, Frame("still here"u8), [], ct);

        // Half-close after whole messages: every echo comes back, then the server closes.
        byte[] last = Frame("bye"u8);
        await client.SendAsync(last, SocketFlags.None, ct);
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(last, await ReceiveExactlyAsync(client, last.Length, ct));
        Assert.True(await IsClosedAsync(client, ct), "the server should close after echoing what a half-closed peer sent");

        await AssertTerminatesAsync(peer);
    }

    public static async Task RawAsync(PeerProcess peer)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Operation);
        var ct = timeout.Token;
        using var client = await ConnectAsync(peer.EndPoint, ct);
        byte[] bytes = new byte[200_000];
        new Random(7).NextBytes(bytes);
        await AssertEchoAsync(client, bytes, [1, 3, 1000, 150_000], ct);
        client.Shutdown(SocketShutdown.Send);
        Assert.True(await IsClosedAsync(client, ct), "the server should close after a half-close");
        await AssertTerminatesAsync(peer);
    }

    /// <summary>
    /// A peer started with <c>--framing line --close-after N --idle-timeout</c> (short): lines split anywhere come back
    /// whole, the connection ends with EOF after the Nth echo, and a silent connection is closed by the peer.
    /// </summary>
    public static async Task LineCloseAfterAndIdleAsync(PeerProcess peer, int closeAfter)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Operation);
        var ct = timeout.Token;
        using var silent = await ConnectAsync(peer.EndPoint, ct);
        using var client = await ConnectAsync(peer.EndPoint, ct);
        byte[] lines = [.. Enumerable.Range(0, closeAfter).SelectMany(i => (byte[])[.. "line "u8, (byte)('0' + i), (byte)'\n'])];
        await AssertEchoAsync(client, lines, [1, 3, 7, lines.Length - 1], ct);
        Assert.True(await IsClosedAsync(client, ct), $"the peer should close after {closeAfter} echoes");
        Assert.True(await IsClosedAsync(silent, ct), "the peer should close a silent connection after its idle timeout");
        await AssertTerminatesAsync(peer);
    }

    private static async Task AssertTerminatesAsync(PeerProcess peer) =>
        Assert.True(await peer.TerminateAsync() == 0, $"SIGTERM should exit 0; stderr: {peer.StandardError}");

    private static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(4));
        return frame;
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endPoint, CancellationToken ct)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="bytes"/> in pieces cut at <paramref name="cuts"/> while receiving, and checks the echo.</summary>
    private static async Task AssertEchoAsync(Socket client, byte[] bytes, int[] cuts, CancellationToken ct)
    {
        var receive = ReceiveExactlyAsync(client, bytes.Length, ct);
        int start = 0;
        foreach (int cut in cuts.Append(bytes.Length))
        {
            await client.SendAsync(bytes.AsMemory(start, cut - start), SocketFlags.None, ct);
            start = cut;
        }

        Assert.Equal(bytes, await receive);
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket client, int count, CancellationToken ct)
    {
        byte[] received = new byte[count];
        int total = 0;
        while (total < count)
        {
            int n = await client.ReceiveAsync(received.AsMemory(total), SocketFlags.None, ct);
            if (n == 0)
            {
                throw new InvalidOperationException($"closed after {total} of {count} echoed bytes");
            }

            total += n;
        }

        return received;
    }

    /// <summary>True when the server closes (FIN or RST); false if it sends anything instead.</summary>
    private static async Task<bool> IsClosedAsync(Socket client, CancellationToken ct)
    {
        byte[] probe = new byte[1];
        try
        {
            return await client.ReceiveAsync(probe, SocketFlags.None, ct) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
