using System.Net;
using System.Net.Sockets;

namespace IoModels.Tests.LoadGen;

/// <summary>
/// A test double for servers that do not serve: it accepts every connection, echoes the first
/// <see cref="EchoBytes"/> bytes of each faithfully, then stops reading and holds the connection open (or, with
/// <see cref="ClosesEveryConnection"/>, closes each connection as soon as it is accepted).
/// </summary>
internal sealed class StallingServer : IDisposable
{
    private static readonly TimeSpan s_ioTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Thread _acceptor;
    private readonly List<Socket> _clients = [];
    private readonly bool _close;

    private StallingServer(int echoBytes, bool close)
    {
        EchoBytes = echoBytes;
        _close = close;
        _listener.Start();
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "stalling server accept" };
        _acceptor.Start();
    }

    public int EchoBytes { get; }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Accepts, then never reads a byte.</summary>
    public static StallingServer NeverReads() => new(0, close: false);

    /// <summary>Accepts and closes at once.</summary>
    public static StallingServer ClosesEveryConnection() => new(0, close: true);

    /// <summary>Echoes the first <paramref name="bytesPerConnection"/> bytes of each connection, then stops reading.</summary>
    public static StallingServer EchoesThenStalls(int bytesPerConnection) => new(bytesPerConnection, close: false);

    public void Dispose()
    {
        _listener.Stop();
        _acceptor.Join(s_ioTimeout);
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
    }

    private void Accept()
    {
        try
        {
            while (true)
            {
                var client = _listener.AcceptSocket();
                if (_close)
                {
                    client.Dispose();
                    continue;
                }

                lock (_clients)
                {
                    _clients.Add(client);
                }

                if (EchoBytes > 0)
                {
                    new Thread(() => EchoThenStall(client)) { IsBackground = true, Name = "stalling server echo" }.Start();
                }
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

    private void EchoThenStall(Socket client)
    {
        client.ReceiveTimeout = client.SendTimeout = (int)s_ioTimeout.TotalMilliseconds;
        var buffer = new byte[4096];
        int left = EchoBytes;
        try
        {
            // Bounded by EchoBytes and by the receive timeout; after that the socket stays open, unread, until Dispose.
            while (left > 0)
            {
                int n = client.Receive(buffer, 0, Math.Min(left, buffer.Length), SocketFlags.None);
                if (n == 0)
                {
                    return;
                }

                client.Send(buffer.AsSpan(0, n));
                left -= n;
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
