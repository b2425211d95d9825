using System.Net;
using System.Net.Sockets;

namespace IoModels.Server.Models.Select;

/// <summary>
/// One thread, one <c>Socket.Select</c> loop over the listener and every client, all non-blocking.
/// </summary>
/// <remarks>
/// On Linux <c>Socket.Select</c> is <c>poll()</c>: no 1024-descriptor limit, but every call hands the kernel
/// the whole list and the runtime filters the whole list again afterwards. That O(connections) cost per call,
/// paid even when one client is busy and thousands idle, is what this model exists to show, so it is not hidden.
/// The write list holds only sockets with pending output (otherwise every call returns at once and the loop spins).
/// </remarks>
internal sealed class SelectServer : EventLoopServer
{
    // Select cannot wait on an eventfd, so shutdown is noticed by timeout. Never below 1 ms: on Linux a shorter
    // timeout becomes 0 and the loop spins.
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    // Accepts per wake-up, so a connection storm cannot starve the clients already served.
    private const int MaxAcceptsPerWake = 64;

    private readonly ServerContext _context;
    private readonly Socket _listener;
    private readonly AcceptThrottle _throttle;
    private readonly Dictionary<Socket, SelectConnection> _connections = [];
    private readonly List<Socket> _readList = [];
    private readonly List<Socket> _writeList = [];
    private readonly List<SelectConnection> _closing = [];
    private readonly IdleSweep _idle;

    public SelectServer(ServerContext context)
        : base(context, "select")
    {
        _context = context;
        _throttle = context.AcceptThrottle;
        _idle = new IdleSweep(context.Options.IdleTimeout);
        _listener = ManagedListener.Create(context.Options);
        _listener.Blocking = false;
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public override IPEndPoint LocalEndPoint { get; }

    protected override void RunLoop()
    {
        while (!Stopping)
        {
            RunOnce();
        }
    }

    // Nothing to do: the loop's wait is at most one poll interval, after which it sees Stopping.
    protected override void WakeLoop()
    {
    }

    protected override void CloseAll()
    {
        _listener.Dispose();
        foreach (var connection in _connections.Values)
        {
            Close(connection, remove: false);
        }

        _connections.Clear();
    }

    private void RunOnce()
    {
        _readList.Clear();
        _writeList.Clear();
        bool accepting = _throttle.CanAccept();
        if (accepting)
        {
            _readList.Add(_listener);
        }

        foreach (var connection in _connections.Values)
        {
            if (connection.WantsReceive)
            {
                _readList.Add(connection.Socket);
            }

            if (connection.HasPendingOutput)
            {
                _writeList.Add(connection.Socket);
            }
        }

        var timeout = accepting ? s_pollInterval : Min(s_pollInterval, _throttle.RemainingPause);
        if (_readList.Count == 0 && _writeList.Count == 0)
        {
            // Nothing to poll (paused, no clients): wait out the pause instead of spinning.
            Thread.Sleep(Max(timeout, TimeSpan.FromMilliseconds(1)));
            return;
        }

        Socket.Select(_readList, _writeList, null, Max(timeout, TimeSpan.FromMilliseconds(1)));

        foreach (var socket in _writeList)
        {
            if (_connections.TryGetValue(socket, out var connection) && !connection.Flush())
            {
                _closing.Add(connection);
            }
        }

        foreach (var socket in _readList)
        {
            if (socket == _listener)
            {
                AcceptPending();
            }
            else if (_connections.TryGetValue(socket, out var connection) && !_closing.Contains(connection) && !connection.Receive())
            {
                _closing.Add(connection);
            }
        }

        if (_idle.TryBegin(out long now))
        {
            foreach (var connection in _connections.Values)
            {
                if (!_closing.Contains(connection) && connection.TryExpire(now, _idle.TimeoutTicks))
                {
                    _closing.Add(connection);
                }
            }
        }

        foreach (var connection in _closing)
        {
            Close(connection, remove: true);
        }

        _closing.Clear();
    }

    private void AcceptPending()
    {
        for (int i = 0; i < MaxAcceptsPerWake; i++)
        {
            // poll() said the listener is readable for the first accept; ask again (without an exception) for the rest.
            if (i > 0 && (!_throttle.CanAccept() || !_listener.Poll(TimeSpan.Zero, SelectMode.SelectRead)))
            {
                return;
            }

            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException e) when (AcceptThrottle.IsDescriptorExhaustion(e.SocketErrorCode))
            {
                _throttle.OnExhausted(e.SocketErrorCode);
                return;
            }
            catch (SocketException e)
            {
                ServerLog.AcceptFailed(_context.Logger, e.SocketErrorCode.ToString());
                return;
            }

            client.Blocking = false;
            if (!ManagedListener.TryConfigure(client, _context.Options))
            {
                client.Dispose();
                continue;
            }

            _connections.Add(client, new SelectConnection(client, _context));
            _context.ConnectionOpened();
        }
    }

    private void Close(SelectConnection connection, bool remove)
    {
        if (remove)
        {
            _connections.Remove(connection.Socket);
        }

        connection.Dispose();
        _context.ConnectionClosed();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
