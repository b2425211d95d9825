using System.Net;
using System.Net.Sockets;

namespace IoModels.Server.Models;

/// <summary>The listening socket for the models built on <see cref="Socket"/>.</summary>
public static class ManagedListener
{
    public static Socket Create(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listener = new Socket(options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Restarting a server must not wait for the previous run's TIME_WAIT sockets; a live listener still conflicts.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(options.Address, options.Port));
            listener.Listen(options.Backlog);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Settings every accepted socket gets. False when the peer is already gone (reset between accept and
    /// setsockopt): the caller closes that one socket, and its accept loop goes on.
    /// </summary>
    public static bool TryConfigure(Socket client, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            client.NoDelay = options.NoDelay;
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
