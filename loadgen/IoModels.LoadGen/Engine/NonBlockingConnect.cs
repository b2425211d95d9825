using System.Net;
using System.Net.Sockets;
using IoModels.Native;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// Connects a non-blocking libc socket (<see cref="NativeSocket"/>), so .NET's own socket engine and its epoll thread
/// never see the load generator's sockets. Failures come back as the <see cref="SocketError"/> names the report
/// counts them under.
/// </summary>
internal static class NonBlockingConnect
{
    /// <summary>
    /// Creates a socket and starts its connect: <see cref="SocketError.Success"/> when already connected,
    /// <see cref="SocketError.WouldBlock"/> while the handshake runs (the socket turns writable when it ends; then
    /// <see cref="Finish"/>), else the failure. <paramref name="socket"/> is null only when no socket could be made.
    /// </summary>
    public static SocketError Start(IPEndPoint endPoint, bool noDelay, out FileDescriptor? socket)
    {
        try
        {
            socket = NativeSocket.Create(endPoint.AddressFamily);
        }
        catch (SocketException e)
        {
            socket = null;
            return e.SocketErrorCode;
        }

        int error = NativeSocket.SetNoDelay(socket.Number, noDelay);
        if (error == 0)
        {
            error = NativeSocket.Connect(socket.Number, endPoint);
        }

        return error == 0 ? SocketError.Success
            : Errno.IsInProgress(error) ? SocketError.WouldBlock
            : Errno.ToSocketError(error);
    }

    /// <summary>After the socket turned writable (or reported an error): how its connect ended.</summary>
    public static SocketError Finish(FileDescriptor socket)
    {
        int error = NativeSocket.PendingError(socket.Number);
        return error == 0 ? SocketError.Success : Errno.ToSocketError(error);
    }

    /// <summary>A connect that waits up to <paramref name="timeout"/>, for the probe and the idle connections.</summary>
    public static SocketError ConnectWithin(IPEndPoint endPoint, bool noDelay, TimeSpan timeout, out FileDescriptor? socket)
    {
        var started = Start(endPoint, noDelay, out socket);
        if (started == SocketError.WouldBlock)
        {
            started = NativeSocket.Poll(socket!.Number, forWrite: true, (int)timeout.TotalMilliseconds) ? Finish(socket) : SocketError.TimedOut;
        }

        if (started != SocketError.Success)
        {
            socket?.Dispose();
            socket = null;
        }

        return started;
    }
}
