using System.Net;
using IoModels.Native;
using Tmds.Linux;

namespace IoModels.Server.Models.Udp;

/// <summary>
/// The epoll models over UDP: one thread, one non-blocking socket, datagrams taken a batch at a time with
/// <c>recvmmsg</c> and echoed with <c>sendmmsg</c>. Level-triggered, the loop handles a few batches per wake-up and
/// lets epoll report the socket again; edge-triggered, it must drain the socket to EAGAIN, since no new edge comes
/// while datagrams are still queued. When the send buffer is full the loop stops receiving until it is writable,
/// so the server holds one batch at most and the kernel drops what a faster sender adds.
/// </summary>
internal sealed class UdpEpollServer : IUdpServerModel
{
    /// <summary>Datagrams per recvmmsg/sendmmsg call.</summary>
    private const int BatchSize = 32;

    /// <summary>Level-triggered only: batches per wake-up before epoll is asked again (it reports the socket at once).</summary>
    private const int LevelBatchesPerWake = 8;

    private const ulong SocketToken = 1;
    private const ulong WakeToken = 2;

    /// <summary>Faulted with the loop's exception when it fails; completed once a stop has ended the loop.</summary>
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ServerContext _context;
    private readonly bool _edgeTriggered;
    private readonly string _name;
    private readonly FileDescriptor _socket;
    private readonly EpollInstance _epoll;
    private readonly EventFd _wake;
    private readonly DatagramBatch _batch;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private bool _waitingToSend;

    public UdpEpollServer(ServerContext context, bool edgeTriggered)
    {
        _context = context;
        _edgeTriggered = edgeTriggered;
        _name = edgeTriggered ? "epoll-et" : "epoll-lt";
        _socket = DatagramBatch.Bind(new IPEndPoint(context.Options.Address, context.Options.Port), out var local);
        LocalEndPoint = local;
        _epoll = EpollInstance.Create();
        _wake = EventFd.Create();
        _batch = new DatagramBatch(BatchSize, UdpDatagramLimit.BufferSize(context.Options.MaxFrame));
        _epoll.Add(_wake.Number, EpollEvents.In, WakeToken);
        // Edge-triggered asks for both directions once and never changes; level-triggered asks for what it waits on.
        _epoll.Add(_socket.Number, edgeTriggered ? EpollEvents.In | EpollEvents.Out | EpollEvents.EdgeTriggered : EpollEvents.In, SocketToken);
        _thread = new Thread(Run) { IsBackground = true, Name = "udp-" + _name };
    }

    public IPEndPoint LocalEndPoint { get; }

    public Task Completion => _completion.Task;

    public UdpMetrics Datagrams { get; } = new();

    public void Start()
    {
        ServerLog.UdpListening(_context.Logger, _name, LocalEndPoint, _context.Options.MaxFrame);
        _thread.Start();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _wake.Signal();
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
        if (_thread.IsAlive)
        {
            _stopping = true;
            _wake.Signal();
            _thread.Join();
        }

        _epoll.Dispose();
        _wake.Dispose();
        _socket.Dispose();
        _batch.Dispose();
        Datagrams.Dispose();
    }

    private void Run()
    {
        Span<epoll_event> events = stackalloc epoll_event[2];
        try
        {
            while (!_stopping)
            {
                int count = _epoll.Wait(events, -1);
                for (int i = 0; i < count && !_stopping; i++)
                {
                    if (events[i].data.u64 == SocketToken)
                    {
                        Pump();
                    }
                }
            }
        }
        catch (ErrnoException e)
        {
            ServerLog.UdpLoopFailed(_context.Logger, e, _name);
            _completion.TrySetException(e);
        }
    }

    /// <summary>Sends what is pending, then receives and echoes batches until the socket is empty or the send buffer full.</summary>
    private void Pump()
    {
        int maxFrame = _context.Options.MaxFrame;
        for (int round = 0; _edgeTriggered || round < LevelBatchesPerWake; round++)
        {
            if (!Flush())
            {
                return;
            }

            int received = _batch.Receive(_socket.Number, out int error);
            if (received == -1)
            {
                throw new ErrnoException("recvmmsg", error);
            }

            if (received == 0)
            {
                return;
            }

            Datagrams.Received(received);
            int bytes = 0;
            int echoes = 0;
            for (int i = 0; i < received; i++)
            {
                int length = _batch.Length(i);
                if (_batch.Truncated(i) || UdpDatagramLimit.IsOversize(length, maxFrame))
                {
                    if (Datagrams.Oversize())
                    {
                        ServerLog.UdpOversizeDropped(_context.Logger, "a peer", maxFrame);
                    }

                    continue;
                }

                bytes += length;
                echoes++;
                _batch.QueueEcho(i);
            }

            _context.Metrics.Received(bytes, echoes);
        }

        Flush();
    }

    /// <summary>True when nothing is left to send; false when the loop must wait for the socket to turn writable.</summary>
    private bool Flush()
    {
        if (_batch.PendingEchoes == 0)
        {
            SetWaitingToSend(false);
            return true;
        }

        bool done = _batch.Flush(_socket.Number, out int sentBytes, out int sentCount, out int failed, out int error);
        _context.Metrics.Sent(sentBytes);
        Datagrams.Echoed(sentCount);
        if (failed != 0 && Datagrams.SendFailed(failed))
        {
            ServerLog.UdpSendFailed(_context.Logger, Errno.Describe(error));
        }

        SetWaitingToSend(!done);
        return done;
    }

    private void SetWaitingToSend(bool waiting)
    {
        if (_edgeTriggered || waiting == _waitingToSend)
        {
            return;
        }

        _waitingToSend = waiting;
        _epoll.Modify(_socket.Number, waiting ? EpollEvents.Out : EpollEvents.In, SocketToken);
    }
}
