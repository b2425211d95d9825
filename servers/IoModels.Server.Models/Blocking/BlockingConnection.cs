using System.Net.Sockets;

namespace IoModels.Server.Models.Blocking;

/// <summary>One client served by one thread with blocking <c>recv</c>/<c>send</c>.</summary>
internal sealed class BlockingConnection(Socket socket, ServerContext context) : IDisposable
{
    private readonly EchoSession _session = new(context);

    /// <summary>Reads, echoes whole messages, repeats, until the peer leaves or breaks the protocol.</summary>
    public void Run()
    {
        while (true)
        {
            int received = socket.Receive(_session.GetReceiveSpan(), SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                Ended(error);
                return;
            }

            if (received == 0)
            {
                // The peer half-closed: every echo has been sent already (send blocks); a partial message is dropped.
                return;
            }

            if (!_session.OnReceived(received))
            {
                context.ReportProtocolViolation(socket, _session.ViolatingLength);
                return;
            }

            while (_session.HasPendingOutput)
            {
                int sent = socket.Send(_session.PendingOutput, SocketFlags.None, out error);
                if (error != SocketError.Success)
                {
                    Ended(error);
                    return;
                }

                _session.OnSent(sent);
            }

            if (_session.IsFinished)
            {
                // The close-after count is in and echoed: the server closes first.
                return;
            }
        }
    }

    /// <summary>For the server's idle sweep (another thread): see <see cref="EchoSession.TryExpire"/>.</summary>
    public bool TryExpire(long now, long timeout) => _session.TryExpire(now, timeout);

    /// <summary>From another thread at shutdown or for the idle timeout: wakes the thread blocked in recv or send, which then closes.</summary>
    public void Abort()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already disconnected.
        }
        catch (ObjectDisposedException)
        {
            // Already closed by its own thread.
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        _session.Dispose();
    }

    private void Ended(SocketError error) => context.ReportConnectionEnded(socket, error);
}
