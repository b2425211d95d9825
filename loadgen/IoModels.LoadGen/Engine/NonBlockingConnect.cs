using System.Net;
using System.Net.Sockets;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// Connects without blocking and without the runtime's async engine: a socket that ever ran an async operation is
/// registered with the runtime's epoll thread for life, which would then wake for every echo we receive.
/// </summary>
internal static class NonBlockingConnect
{
    /// <summary>Creates a non-blocking TCP socket for <paramref name="endPoint"/>; <see cref="SocketException"/> when the process is out of descriptors.</summary>
    public static Socket CreateSocket(IPEndPoint endPoint, bool noDelay)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            Blocking = false,
            NoDelay = noDelay,
        };
        return socket;
    }

    /// <summary>Starts the connect: <see cref="SocketError.Success"/> when already connected, <see cref="SocketError.WouldBlock"/> while in progress, else the failure.</summary>
    public static SocketError Start(Socket socket, EndPoint endPoint)
    {
        try
        {
            socket.Connect(endPoint);
            return SocketError.Success;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            return SocketError.WouldBlock;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    /// <summary>After the socket polled writable: the connect's result (SO_ERROR).</summary>
    public static SocketError Finish(Socket socket)
    {
        var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        // Reading Connected lets the runtime see that the non-blocking connect completed.
        return error == SocketError.Success && !socket.Connected ? SocketError.NotConnected : error;
    }

    /// <summary>A blocking-style connect with a time limit, for the probe and the idle connections.</summary>
    public static SocketError ConnectWithin(Socket socket, EndPoint endPoint, TimeSpan timeout)
    {
        var started = Start(socket, endPoint);
        if (started != SocketError.WouldBlock)
        {
            return started;
        }

        return socket.Poll(timeout, SelectMode.SelectWrite) ? Finish(socket) : SocketError.TimedOut;
    }
}
