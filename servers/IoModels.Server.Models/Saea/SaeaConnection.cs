using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace IoModels.Server.Models.Saea;

/// <summary>
/// One client of the SocketAsyncEventArgs model. The connection <em>is</em> its one event-args object (as Kestrel's
/// <c>SocketAwaitableEventArgs</c> is), so a completion reaches it with no delegate and no per-operation allocation.
/// </summary>
/// <remarks>
/// <para>
/// One operation at a time: wait for data, receive, send, and back. Receive and send never overlap because the
/// echo goes out of the very buffer it came into (<see cref="EchoSession"/>, no copy), and receiving while a send
/// reads from that buffer could compact or grow it under the send. One operation at a time is also why one
/// event-args object is enough, and why the connection needs no lock: whoever runs <see cref="Run"/> owns it.
/// </para>
/// <para>
/// Backpressure (docs/protocol.md#backpressure) follows: the connection reads again only after every pending echo has been handed to
/// the kernel. A peer that does not read fills its socket buffers, the send stays pending, and the connection stops
/// reading that peer until the send completes. That is at least as strict as <see cref="EchoSession.WantsReceive"/>:
/// nothing is read while any echo is pending (not only while it is at the budget), so the pending echo never grows
/// past what one receive brought in, and <c>WantsReceive</c> need not be consulted.
/// </para>
/// </remarks>
internal sealed class SaeaConnection : SocketAsyncEventArgs, IThreadPoolWorkItem
{
    // Operations that complete synchronously are processed in Run's loop. A peer that keeps data queued (a flood
    // or a deep pipeline) could keep that loop going for ever and hold a pool thread (or, with inline completions,
    // the runtime's epoll thread) away from every other connection, so after this many the loop re-queues itself.
    private const int MaxSynchronousCompletions = 32;

    private readonly Socket _socket;
    private readonly ServerContext _context;
    private readonly EchoSession _session;
    private readonly SaeaServer _server;
    private Step _step = Step.Starting;
    private int _closed;

    public SaeaConnection(Socket socket, ServerContext context, SaeaServer server)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _socket = socket;
        _context = context;
        _server = server;
        _session = new EchoSession(context);
    }

    /// <summary>What the operation in flight (or just completed) is; each state is one kind of operation.</summary>
    private enum Step
    {
        /// <summary>Accepted, nothing issued yet.</summary>
        Starting,

        /// <summary>
        /// A zero-byte receive: completes when data has arrived (or the peer closed or failed) without a buffer, so
        /// an idle connection holds no receive buffer (Kestrel's <c>WaitForDataBeforeAllocatingBuffer</c>).
        /// </summary>
        WaitingForData,

        /// <summary>A receive into the session's buffer; 0 bytes here (and only here) means the peer sent FIN.</summary>
        Receiving,

        /// <summary>Sending the whole messages received; nothing is received until they are all sent.</summary>
        Sending,

        /// <summary>Closed: the socket, the session's buffer and this object are released.</summary>
        Closed,
    }

    /// <summary>For the server's idle sweep (a timer thread): see <see cref="EchoSession.TryExpire"/>.</summary>
    public bool TryExpire(long now, long timeout) => _session.TryExpire(now, timeout);

    /// <summary>Begins serving on a pool thread, so the accept loop is not held by this connection's first messages.</summary>
    public void Start() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    /// <summary>
    /// From another thread at shutdown or for the idle timeout: closes the socket, which completes the operation in flight with
    /// <see cref="SocketError.OperationAborted"/> (or makes the next one throw), and the owner of the loop closes.
    /// </summary>
    public void Abort() => _socket.Dispose();

    void IThreadPoolWorkItem.Execute() => Run();

    protected override void OnCompleted(SocketAsyncEventArgs e) => Run();

    /// <summary>
    /// Processes the operation that just completed, issues the next one, and goes on in this loop for as long as
    /// operations complete synchronously (an <c>...Async</c> call returning false). Never recursion: a fast peer
    /// would otherwise grow the stack by a frame per message until it overflows.
    /// </summary>
    private void Run()
    {
        try
        {
            for (int i = 0; i < MaxSynchronousCompletions; i++)
            {
                _step = Advance();
                if (_step == Step.Closed || !TryIssue(out bool pending))
                {
                    Close();
                    return;
                }

                if (pending)
                {
                    return;
                }
            }

            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        catch (Exception e)
        {
            // A bug must cost this connection, not the process: this runs on a pool thread, where an escaping
            // exception would end every other connection too. Nothing is in flight when Advance or TryIssue throws.
            ServerLog.SaeaConnectionFailed(_context.Logger, e, Peer()?.ToString() ?? "?");
            Close();
        }
    }

    /// <summary>Takes the result of <see cref="_step"/>'s operation (errors as values) and decides the next step.</summary>
    private Step Advance()
    {
        if (_step == Step.Starting)
        {
            return Step.WaitingForData;
        }

        if (SocketError != SocketError.Success)
        {
            return Ended(SocketError);
        }

        switch (_step)
        {
            case Step.WaitingForData:
                return Step.Receiving;

            case Step.Receiving:
                if (BytesTransferred == 0)
                {
                    // FIN. Every whole message has been echoed already (a send always completes before the next
                    // receive), so close now; a partial message is dropped.
                    return Step.Closed;
                }

                if (!_session.OnReceived(BytesTransferred))
                {
                    _context.ReportProtocolViolation(_socket, _session.ViolatingLength);
                    return Step.Closed;
                }

                if (_session.HasPendingOutput)
                {
                    return Step.Sending;
                }

                // Only part of a message so far: a short one is set aside and the buffer returned until more arrives;
                // a long one keeps the buffer and reads the rest into it with no need to wait first.
                _session.ReleaseIfIdle();
                return _session.HoldsBuffer ? Step.Receiving : Step.WaitingForData;

            case Step.Sending:
                _session.OnSent(BytesTransferred);
                if (_session.HasPendingOutput)
                {
                    return Step.Sending;
                }

                if (_session.IsFinished)
                {
                    // The close-after count is in and echoed: the server closes first.
                    return Step.Closed;
                }

                _session.ReleaseIfIdle();
                return _session.HoldsBuffer ? Step.Receiving : Step.WaitingForData;

            default:
                throw new InvalidOperationException($"No operation completes in step {_step}.");
        }
    }

    /// <summary>Issues <see cref="_step"/>'s operation. False when the socket was closed under it (shutdown).</summary>
    private bool TryIssue(out bool pending)
    {
        try
        {
            switch (_step)
            {
                case Step.WaitingForData:
                    SetBuffer(Memory<byte>.Empty);
                    pending = _socket.ReceiveAsync(this);
                    return true;

                case Step.Receiving:
                    SetBuffer(_session.GetReceiveMemory());
                    pending = _socket.ReceiveAsync(this);
                    return true;

                default:
                    SetBuffer(MemoryMarshal.AsMemory(_session.PendingOutputMemory));
                    pending = _socket.SendAsync(this);
                    return true;
            }
        }
        catch (ObjectDisposedException)
        {
            // Abort() closed the socket between two operations: the only exception this loop expects.
            pending = false;
            return false;
        }
    }

    private Step Ended(SocketError error)
    {
        _context.ReportConnectionEnded(_socket, error);
        return Step.Closed;
    }

    /// <summary>The peer's address for a log line; null once <see cref="Abort"/> has closed the socket.</summary>
    private EndPoint? Peer()
    {
        try
        {
            return _socket.RemoteEndPoint;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Only <see cref="Run"/> calls this, and only once no operation is in flight, so the buffer and this object
    /// are not released under the runtime. The flag makes "exactly once" hold even if that ever changes.
    /// </summary>
    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _step = Step.Closed;
        _socket.Dispose();
        _session.Dispose();
        Dispose();
        _server.OnConnectionClosed(this);
    }
}
