using System.Net;
using System.Net.Sockets;

namespace IoModels.Server.Models.Udp;

/// <summary>The .NET UDP socket the managed models (blocking, saea) echo on, bound to the server's address and port.</summary>
internal static class ManagedDatagramSocket
{
    /// <summary>A socket bound to <c>--address</c>/<c>--port</c>; disposed again when the bind fails (port in use).</summary>
    public static Socket Bind(ServerOptions options)
    {
        var endPoint = new IPEndPoint(options.Address, options.Port);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
