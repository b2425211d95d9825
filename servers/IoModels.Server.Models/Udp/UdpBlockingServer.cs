using System.Net;
using System.Net.Sockets;

namespace IoModels.Server.Models.Udp;

/// <summary>
/// The blocking model over UDP: one thread in blocking <c>recvfrom</c> then <c>sendto</c>, one datagram at a time.
/// With one socket for every peer, a thread per peer has no meaning; a full send buffer stalls the loop, and what
/// arrives meanwhile waits in, or overflows from, the kernel's receive buffer.
/// </summary>
internal sealed class UdpBlockingServer : IUdpServerModel
{
    /// <summary>Faulted with the loop's exception when it fails; completed once a stop has ended the loop.</summary>
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ServerContext _context;
    private readonly Socket _socket;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public UdpBlockingServer(ServerContext context)
    {
        _context = context;
        _socket = ManagedDatagramSocket.Bind(context.Options);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _thread = new Thread(Run) { IsBackground = true, Name = "udp-blocking" };
    }

    public IPEndPoint LocalEndPoint { get; }

    public Task Completion => _completion.Task;

    public UdpMetrics Datagrams { get; } = new();

    public void Start()
    {
        ServerLog.UdpListening(_context.Logger, "blocking", LocalEndPoint, _context.Options.MaxFrame);
        _thread.Start();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        // Closing the socket makes the runtime shut it down first, which wakes the thread out of its recvfrom.
        _socket.Dispose();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        ServerLog.UdpStopped(_context.Logger, Datagrams.Summary());
        _completion.TrySetResult();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _socket.Dispose();
        Datagrams.Dispose();
    }

    private void Run()
    {
        int maxFrame = _context.Options.MaxFrame;
        byte[] buffer = new byte[UdpDatagramLimit.BufferSize(maxFrame)];
        // Reused for every datagram: the SocketAddress overloads fill it in place, where EndPoint ones allocate.
        var peer = new SocketAddress(LocalEndPoint.AddressFamily);
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, peer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                received = buffer.Length;
            }
            catch (Exception e) when (_stopping && e is SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception e)
            {
                ServerLog.UdpLoopFailed(_context.Logger, e, "blocking");
                _completion.TrySetException(e);
                return;
            }

            if (!UdpDatagramLimit.Admit(_context, Datagrams, received, peer))
            {
                continue;
            }

            try
            {
                _socket.SendTo(buffer.AsSpan(0, received), SocketFlags.None, peer);
                _context.Metrics.Sent(received);
                Datagrams.Echoed(1);
            }
            catch (SocketException e) when (!_stopping)
            {
                if (Datagrams.SendFailed(1))
                {
                    ServerLog.UdpSendFailed(_context.Logger, e.SocketErrorCode.ToString());
                }
            }
            catch (Exception e) when (_stopping && e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
