using System.Net;
using System.Net.Sockets;

namespace IoModels.Tests.LoadGen;

/// <summary>
/// A test double: an echo server that flips one bit of the byte at <see cref="CorruptOffset"/> of every connection's
/// stream and echoes everything else faithfully. The load generator must catch it.
/// </summary>
internal sealed class CorruptingEchoServer : IDisposable
{
    private static readonly TimeSpan s_ioTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Thread _acceptor;
    private readonly List<Socket> _clients = [];

    public CorruptingEchoServer(long corruptOffset)
    {
        CorruptOffset = corruptOffset;
        _listener.Start();
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "corrupting echo accept" };
        _acceptor.Start();
    }

    public long CorruptOffset { get; }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Dispose()
    {
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        _acceptor.Join(s_ioTimeout);
    }

    private void Accept()
    {
        try
        {
            while (true)
            {
                var client = _listener.AcceptSocket();
                lock (_clients)
                {
                    _clients.Add(client);
                }

                new Thread(() => Echo(client)) { IsBackground = true, Name = "corrupting echo" }.Start();
            }
        }
        catch (SocketException)
        {
            // Stopped.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Echo(Socket client)
    {
        client.ReceiveTimeout = client.SendTimeout = (int)s_ioTimeout.TotalMilliseconds;
        var buffer = new byte[4096];
        long offset = 0;
        try
        {
            while (true)
            {
                int n = client.Receive(buffer);
                if (n == 0)
                {
                    return;
                }

                if (CorruptOffset >= offset && CorruptOffset < offset + n)
                {
                    buffer[CorruptOffset - offset] ^= 0x01;
                }

                offset += n;
                client.Send(buffer.AsSpan(0, n));
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
