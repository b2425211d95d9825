using System.Net;
using System.Net.Sockets;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Epoll;

/// <summary>
/// Blocking, span-based client calls: unlike the async ones they allocate nothing per call, so they leave the
/// server's allocations alone in a process-wide count. Every call times out after <see cref="Timeouts.Operation"/>.
/// </summary>
internal static class BlockingClient
{
    public static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)Timeouts.Operation.TotalMilliseconds,
            SendTimeout = (int)Timeouts.Operation.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads exactly <paramref name="buffer"/>'s length; false if the peer closed first.</summary>
    public static bool ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int received = socket.Receive(buffer[filled..]);
            if (received == 0)
            {
                return false;
            }

            filled += received;
        }

        return true;
    }
}
