using System.Net;
using System.Net.Sockets;

namespace IoModels.Server.Models.Udp;

/// <summary>
/// The SocketAsyncEventArgs model over UDP: a few receive loops on the one socket, each with event args of its own
/// (<see cref="DatagramOperation"/>), awaiting a receive then the send of its echo, so a datagram allocates nothing.
/// The loops bound what is held: one datagram each.
/// </summary>
internal sealed class UdpSaeaServer : IUdpServerModel
{
    /// <summary>Faulted with the loop's exception when it fails; completed once a stop has ended the loop.</summary>
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ServerContext _context;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private Task _loops = Task.CompletedTask;

    public UdpSaeaServer(ServerContext context)
    {
        _context = context;
        _socket = ManagedDatagramSocket.Bind(context.Options);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public Task Completion => _completion.Task;

    public UdpMetrics Datagrams { get; } = new();

    /// <summary>Receives outstanding at once: enough to keep every core's completions busy, never unbounded.</summary>
    private static int LoopCount => Math.Clamp(Environment.ProcessorCount, 2, 8);

    public void Start()
    {
        ServerLog.UdpListening(_context.Logger, "saea", LocalEndPoint, _context.Options.MaxFrame);
        var loops = new Task[LoopCount];
        for (int i = 0; i < loops.Length; i++)
        {
            loops[i] = Task.Run(() => RunAsync(_stop.Token));
        }

        _loops = Task.WhenAll(loops);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _loops.WaitAsync(cancellationToken);
        ServerLog.UdpStopped(_context.Logger, Datagrams.Summary());
        _completion.TrySetResult();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
        Datagrams.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        int maxFrame = _context.Options.MaxFrame;
        using var operation = new DatagramOperation(LocalEndPoint.AddressFamily, new byte[UdpDatagramLimit.BufferSize(maxFrame)]);
        while (!stop.IsCancellationRequested)
        {
            int received;
            try
            {
                // Stop closes the socket, which completes the operation in flight with an error.
                received = await operation.ReceiveFromAsync(_socket);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                received = operation.Whole.Length;
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                ServerLog.UdpLoopFailed(_context.Logger, e, "saea");
                _completion.TrySetException(e);
                return;
            }

            if (!UdpDatagramLimit.Admit(_context, Datagrams, received, operation.RemoteEndPoint!))
            {
                continue;
            }

            try
            {
                await operation.SendToAsync(_socket, received);
                _context.Metrics.Sent(received);
                Datagrams.Echoed(1);
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            catch (SocketException e)
            {
                if (Datagrams.SendFailed(1))
                {
                    ServerLog.UdpSendFailed(_context.Logger, e.SocketErrorCode.ToString());
                }
            }
        }
    }
}
