using System.Net.Sockets;

namespace IoModels.Server.Models.Select;

/// <summary>One non-blocking client of the select loop.</summary>
internal sealed class SelectConnection(Socket socket, ServerContext context) : IDisposable
{
    private readonly EchoSession _session = new(context);
    private bool _peerClosed;

    public Socket Socket => socket;

    /// <summary>Put in the read list: not after the peer's FIN, and not while the echo is over budget (backpressure).</summary>
    public bool WantsReceive => !_peerClosed && _session.WantsReceive;

    public bool HasPendingOutput => _session.HasPendingOutput;

    /// <summary>For the loop's idle sweep: see <see cref="EchoSession.TryExpire"/>.</summary>
    public bool TryExpire(long now, long timeout) => _session.TryExpire(now, timeout);

    /// <summary>One read (the socket was reported readable), then as much echo as the socket takes. False: close it.</summary>
    public bool Receive()
    {
        int received = socket.Receive(_session.GetReceiveSpan(), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            return true;
        }

        if (error != SocketError.Success)
        {
            return Ended(error);
        }

        if (received == 0)
        {
            // Half-close: finish sending what is whole, then close. A partial message is dropped.
            _peerClosed = true;
            return _session.HasPendingOutput && Flush();
        }

        if (!_session.OnReceived(received))
        {
            context.ReportProtocolViolation(socket, _session.ViolatingLength);
            return false;
        }

        return Flush();
    }

    /// <summary>Sends pending echo until the socket would block. False: close it.</summary>
    public bool Flush()
    {
        while (_session.HasPendingOutput)
        {
            int sent = socket.Send(_session.PendingOutput, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return true;
            }

            if (error != SocketError.Success)
            {
                return Ended(error);
            }

            _session.OnSent(sent);
        }

        _session.ReleaseIfIdle();

        // Every echo is out: after the peer's FIN, or once the close-after count is in, the connection is done.
        return !_peerClosed && !_session.IsFinished;
    }

    public void Dispose()
    {
        socket.Dispose();
        _session.Dispose();
    }

    private bool Ended(SocketError error)
    {
        context.ReportConnectionEnded(socket, error);
        return false;
    }
}
