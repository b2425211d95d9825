using System.Net;
using System.Net.Sockets;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Udp;

/// <summary>One UDP flow to a server: a socket of its own, every receive bounded by a timeout.</summary>
internal sealed class UdpTestClient : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _server;
    private readonly byte[] _receiveBuffer = new byte[65_536];

    public UdpTestClient(IPEndPoint server)
    {
        _server = server;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // Room for a window of the largest datagrams, so the client's own buffer is not where they are lost.
        _socket.ReceiveBufferSize = 1 << 20;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public Task SendAsync(ReadOnlyMemory<byte> datagram) =>
        _socket.SendToAsync(datagram, SocketFlags.None, _server, Timeouts.After(Timeouts.Operation)).AsTask();

    /// <summary>The next datagram, from the server only; null when none comes within <paramref name="timeout"/>.</summary>
    public async Task<byte[]?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeouts.Operation);
        try
        {
            var result = await _socket.ReceiveFromAsync(_receiveBuffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
            Assert.Equal(_server, (IPEndPoint)result.RemoteEndPoint);
            return _receiveBuffer.AsSpan(0, result.ReceivedBytes).ToArray();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends one datagram and returns its echo, failing the test when none comes in time.</summary>
    public async Task<byte[]> EchoAsync(byte[] datagram)
    {
        await SendAsync(datagram);
        return await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"no echo of a {datagram.Length}-byte datagram within {Timeouts.Operation}");
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>Bytes that differ from one datagram to the next and from one flow to the next.</summary>
    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) + (seed * 7) + 1);
        }

        return bytes;
    }
}
