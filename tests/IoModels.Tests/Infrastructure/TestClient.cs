using System.Net;
using System.Net.Sockets;
using IoModels.Protocol;

namespace IoModels.Tests.Infrastructure;

/// <summary>A loopback client whose every operation is bounded by <see cref="Timeouts.Operation"/>.</summary>
internal sealed class TestClient : IDisposable
{
    private TestClient(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <param name="receiveBufferSize">SO_RCVBUF set before connecting (so the window is small from the start); null: the default.</param>
    public static async Task<TestClient> ConnectAsync(int port, bool noDelay = true, int? receiveBufferSize = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = noDelay };
        try
        {
            if (receiveBufferSize is int size)
            {
                socket.ReceiveBufferSize = size;
            }

            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Timeouts.After(Timeouts.Operation));
            return new TestClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[FrameEncoder.GetFrameSize(payload.Length)];
        FrameEncoder.Write(frame, payload);
        return frame;
    }

    public static byte[] Header(uint declaredLength)
    {
        var header = new byte[FrameHeader.Size];
        FrameHeader.Write(header, declaredLength);
        return header;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> data)
    {
        var token = Timeouts.After(Timeouts.Operation);
        while (!data.IsEmpty)
        {
            int sent = await Socket.SendAsync(data, SocketFlags.None, token);
            data = data[sent..];
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; fails on EOF or timeout.</summary>
    public async Task<byte[]> ReceiveExactlyAsync(int count)
    {
        var buffer = new byte[count];
        await ReceiveExactlyAsync(buffer);
        return buffer;
    }

    public async Task ReceiveExactlyAsync(Memory<byte> buffer)
    {
        var token = Timeouts.After(Timeouts.Operation);
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = await Socket.ReceiveAsync(buffer[filled..], SocketFlags.None, token);
            if (n == 0)
            {
                throw new EndOfStreamException($"The server closed the connection after {filled} of {buffer.Length} bytes.");
            }

            filled += n;
        }
    }

    /// <summary>Sends one framed message and checks that the same bytes come back.</summary>
    public async Task RoundTripAsync(ReadOnlyMemory<byte> payload)
    {
        var frame = Frame(payload.Span);
        await SendAsync(frame);
        var echo = await ReceiveExactlyAsync(frame.Length);
        Assert.Equal(frame, echo);
    }

    /// <summary>Waits for the server to end the connection: orderly EOF or reset both count. Returns the bytes that came first.</summary>
    public async Task<int> ReceiveUntilClosedAsync()
    {
        var token = Timeouts.After(Timeouts.Operation);
        var buffer = new byte[64 * 1024];
        int total = 0;
        try
        {
            while (true)
            {
                int n = await Socket.ReceiveAsync(buffer, SocketFlags.None, token);
                if (n == 0)
                {
                    return total;
                }

                total += n;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return total;
        }
    }

    /// <summary>Closes with RST instead of FIN.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    public void Dispose() => Socket.Dispose();
}
