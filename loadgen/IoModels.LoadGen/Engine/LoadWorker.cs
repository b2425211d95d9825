using System.Net.Sockets;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Timing;
using IoModels.LoadGen.Verification;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// One dedicated thread driving a group of non-blocking connections with a <c>Socket.Select</c> (poll) loop.
/// </summary>
/// <remarks>
/// Why this shape (measured, figures in loadgen/README.md): the async socket API hands every completion through the
/// runtime's epoll thread (and, by default, the thread pool), which cost more CPU per echo than this loop by default
/// and as much with inline completions; a blocking thread per connection pays a context switch per echo and used about twice
/// the CPU. A thread that polls its own group and does the reads and writes itself makes the same read and write
/// calls as a C epoll client plus one poll per wake-up. The poll list is rebuilt each pass (O(group)), which is why
/// connections are split over workers and idle connections are kept out of the lists. Measured: a 4 s run of 64
/// connections allocates about 27 KB in total (nothing per echo) and triggers no collection.
/// </remarks>
internal sealed class LoadWorker
{
    // How long a pass may sleep at most: bounds how late a timeout, a due message or the end of the run is noticed.
    private const long MaxWaitMicros = 10_000;

    // A failed connect is retried after this long, so a refusing server is not hammered in a tight loop.
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(100);

    // Connects started per pass: the pass then returns to poll promptly, so a connect's completion is seen when it
    // happens rather than after a burst of other connects (which would inflate the connect latency measured).
    private const int MaxConnectsPerPass = 4;

    private readonly LoadOptions _options;
    private readonly IClock _clock;
    private readonly RunTimeline _timeline;
    private readonly ConnectionTracker _tracker;
    private readonly ClientConnection[] _connections;
    private readonly Dictionary<Socket, ClientConnection> _bySocket = [];
    private readonly List<Socket> _readList = [];
    private readonly List<Socket> _writeList = [];
    private readonly Random _random = new();
    private readonly long _timeoutTicks;
    private readonly long _connectTimeoutTicks;
    private readonly long _retryTicks;
    private Thread? _thread;

    public LoadWorker(int index, IReadOnlyList<int> connectionIds, LoadOptions options, PayloadPattern pattern, IClock clock, RunTimeline timeline, ConnectionTracker tracker)
    {
        Index = index;
        _options = options;
        _clock = clock;
        _timeline = timeline;
        _tracker = tracker;
        Stats = new WorkerStats(clock.Frequency);
        _timeoutTicks = ToTicks(options.Timeout);
        _connectTimeoutTicks = ToTicks(options.ConnectTimeout);
        _retryTicks = ToTicks(s_retryDelay);
        _connections = new ClientConnection[connectionIds.Count];
        for (int i = 0; i < connectionIds.Count; i++)
        {
            int id = connectionIds[i];
            _connections[i] = new ClientConnection(id, options.Framing, options.Pipeline, options.Payload.Max, options.SplitWrites, pattern)
            {
                // Ramp-up: connection id starts id / connect-rate seconds into the run.
                WakeTicks = timeline.StartTicks + (options.ConnectRate is double rate ? (long)(id * clock.Frequency / rate) : 0),
            };
            if (options.Rate is double total)
            {
                _connections[i].Schedule = new OpenLoopSchedule(timeline.StartTicks, clock.Frequency, total, options.Connections, id);
            }
        }
    }

    public int Index { get; }

    public WorkerStats Stats { get; }

    public Exception? Failure { get; private set; }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"loadgen worker {Index}" };
        _thread.Start();
    }

    public bool Join(TimeSpan timeout) => _thread is null || _thread.Join(timeout);

    /// <summary>The worker's loop, callable directly on the current thread.</summary>
    public void Run()
    {
        try
        {
            long drainDeadline = long.MaxValue;
            while (true)
            {
                long now = _clock.GetTimestamp();
                bool sending = now < _timeline.MeasureEndTicks;
                if (!sending && drainDeadline == long.MaxValue)
                {
                    drainDeadline = now + _timeoutTicks;
                }

                if (!sending && (now >= drainDeadline || !AnyInFlight()))
                {
                    break;
                }

                long wake = now + ToTicks(MaxWaitMicros);
                BuildPollLists(now, sending, ref wake);
                if (_readList.Count == 0 && _writeList.Count == 0)
                {
                    WaitUntil(wake);
                    continue;
                }

                long waitMicros = Math.Max(0, (wake - now) * 1_000_000 / _clock.Frequency);
                // Measured on Linux: Socket.Select turns any timeout below 1 ms into 0 and rounds longer ones to whole
                // milliseconds. So a message due in under 1 ms is waited for by polling without sleeping; yielding
                // between polls lets a server on the same core run meanwhile.
                bool shortWait = waitMicros < 1_000;
                Socket.Select(_readList, _writeList, null, shortWait ? 0 : (int)Math.Min(waitMicros, MaxWaitMicros));
                if (shortWait && waitMicros > 0 && _readList.Count == 0 && _writeList.Count == 0)
                {
                    Thread.Yield();
                }

                HandleWritable();
                HandleReadable(sending);
            }
        }
        catch (Exception e)
        {
            Failure = e;
        }
        finally
        {
            CloseAll();
        }
    }

    private void BuildPollLists(long now, bool sending, ref long wake)
    {
        _readList.Clear();
        _writeList.Clear();
        int connects = 0;
        foreach (var connection in _connections)
        {
            // One state can lead to the next in the same pass (a connect that completes at once, then sends).
            if (connection.State == ConnectionState.Waiting && sending)
            {
                if (now >= connection.WakeTicks && connects < MaxConnectsPerPass)
                {
                    connects++;
                    BeginConnect(connection, now);
                }
                else if (now >= connection.WakeTicks)
                {
                    wake = now;
                }
                else
                {
                    wake = Math.Min(wake, connection.WakeTicks);
                }
            }

            if (connection.State == ConnectionState.Connecting)
            {
                if (now >= connection.WakeTicks)
                {
                    FailConnect(connection, SocketError.TimedOut, now);
                }
                else
                {
                    _writeList.Add(connection.Socket!);
                    wake = Math.Min(wake, connection.WakeTicks);
                }
            }

            if (connection.State == ConnectionState.Active)
            {
                if (connection.InFlight > 0 && now - connection.OldestSentTicks > _timeoutTicks)
                {
                    Stats.Timeouts += connection.InFlight;
                    Drop(connection, now, countLost: false);
                    continue;
                }

                if (sending)
                {
                    SendDue(connection, now, ref wake);
                }

                if (connection.State == ConnectionState.Active && connection.HasPendingSend)
                {
                    _writeList.Add(connection.Socket!);
                }

                if (connection.State == ConnectionState.Active && connection.InFlight > 0)
                {
                    _readList.Add(connection.Socket!);
                }
            }
        }
    }

    /// <summary>Queues every message the connection may send now and writes them in one go.</summary>
    private void SendDue(ClientConnection connection, long now, ref long wake)
    {
        bool openLoop = _options.IsOpenLoop;
        bool perRequest = _options.ConnectMode == ConnectMode.PerRequest;
        while (true)
        {
            if (perRequest && connection.MessagesOnSocket > 0)
            {
                // Per-request: one message per connection; HandleReadable closes it when the echo is back.
                break;
            }

            int payloadLength = _options.Payload.IsRange ? _random.Next(_options.Payload.Min, _options.Payload.Max + 1) : _options.Payload.Min;
            int wire = PayloadPattern.WireLength(_options.Framing, payloadLength);
            if (!connection.CanEnqueue(wire))
            {
                break;
            }

            long due = now;
            if (openLoop)
            {
                due = connection.Schedule.DueTicks(connection.NextDueIndex);
                if (due > now)
                {
                    wake = Math.Min(wake, due);
                    break;
                }

                connection.NextDueIndex++;
            }

            connection.Enqueue(payloadLength, due, now);
        }

        if (connection.HasPendingSend)
        {
            var outcome = connection.Flush();
            if (outcome != IoOutcome.Ok)
            {
                HandleFailure(connection, outcome, now);
            }
        }
    }

    private void HandleWritable()
    {
        long now = _clock.GetTimestamp();
        foreach (var socket in _writeList)
        {
            if (!_bySocket.TryGetValue(socket, out var connection))
            {
                continue;
            }

            if (connection.State == ConnectionState.Connecting)
            {
                var error = NonBlockingConnect.Finish(socket);
                if (error == SocketError.Success)
                {
                    Established(connection, now);
                }
                else
                {
                    FailConnect(connection, error, now);
                }
            }
            else if (connection.State == ConnectionState.Active)
            {
                var outcome = connection.Flush();
                if (outcome != IoOutcome.Ok)
                {
                    HandleFailure(connection, outcome, now);
                }
            }
        }
    }

    private void HandleReadable(bool sending)
    {
        if (_readList.Count == 0)
        {
            return;
        }

        // One timestamp for everything this wake-up delivered: all of it had arrived by now.
        long now = _clock.GetTimestamp();
        foreach (var socket in _readList)
        {
            if (!_bySocket.TryGetValue(socket, out var connection) || connection.State != ConnectionState.Active)
            {
                continue;
            }

            var outcome = connection.Receive(now, _timeline, Stats);
            if (outcome != IoOutcome.Ok)
            {
                HandleFailure(connection, outcome, now);
                continue;
            }

            if (_options.ConnectMode == ConnectMode.PerRequest && connection.InFlight == 0 && !connection.HasPendingSend)
            {
                // The one echo is back: close, and wait for the next turn (at once in a closed loop, at the due time in an open one).
                Stats.ClosedByClient++;
                Close(connection);
                connection.State = ConnectionState.Waiting;
                connection.WakeTicks = _options.IsOpenLoop ? connection.Schedule.DueTicks(connection.NextDueIndex) : now;
            }
            else if (sending)
            {
                // Refill the pipeline at once rather than on the next pass: one poll fewer per echo.
                long ignored = long.MaxValue;
                SendDue(connection, now, ref ignored);
            }
        }
    }

    private void BeginConnect(ClientConnection connection, long now)
    {
        Stats.Attempted++;
        // A fresh reading, not the pass's: connects started earlier in the same pass must not inflate this one.
        connection.ConnectStartTicks = _clock.GetTimestamp();
        Socket socket;
        try
        {
            socket = NonBlockingConnect.CreateSocket(_options.EndPoint, _options.NoDelay);
        }
        catch (SocketException e)
        {
            FailConnect(connection, e.SocketErrorCode, now);
            return;
        }

        var started = NonBlockingConnect.Start(socket, _options.EndPoint);
        connection.Attach(socket);
        _bySocket[socket] = connection;
        _tracker.Opened();
        if (started == SocketError.Success)
        {
            Established(connection, _clock.GetTimestamp());
        }
        else if (started == SocketError.WouldBlock)
        {
            connection.State = ConnectionState.Connecting;
            connection.WakeTicks = now + _connectTimeoutTicks;
        }
        else
        {
            FailConnect(connection, started, now);
        }
    }

    private void Established(ClientConnection connection, long now)
    {
        Stats.Established++;
        connection.State = ConnectionState.Active;
        long micros = LatencyHistograms.ToMicros(now - connection.ConnectStartTicks, _clock.Frequency);
        Stats.ConnectMicros.RecordValue(micros);
        Stats.ConnectSumMicros += (now - connection.ConnectStartTicks) * 1_000_000.0 / _clock.Frequency;
    }

    private void FailConnect(ClientConnection connection, SocketError reason, long now)
    {
        Stats.CountConnectFailure(reason);
        if (connection.Socket is not null)
        {
            Close(connection);
        }

        connection.State = ConnectionState.Waiting;
        connection.WakeTicks = now + _retryTicks;
    }

    private void HandleFailure(ClientConnection connection, IoOutcome outcome, long now)
    {
        switch (outcome)
        {
            case IoOutcome.Mismatch:
                // Its byte stream can no longer be trusted: close it for good.
                Close(connection);
                connection.State = ConnectionState.Done;
                return;
            case IoOutcome.PeerClosed:
                Stats.ClosedByPeer++;
                break;
            case IoOutcome.Reset:
                Stats.Resets++;
                break;
            default:
                Stats.OtherErrors++;
                break;
        }

        Drop(connection, now, countLost: true);
    }

    /// <summary>Closes a connection that failed and lets it reconnect at once.</summary>
    private void Drop(ClientConnection connection, long now, bool countLost)
    {
        int lost = Close(connection);
        if (countLost)
        {
            Stats.LostInFlight += lost;
        }

        connection.State = ConnectionState.Waiting;
        connection.WakeTicks = now;
    }

    private int Close(ClientConnection connection)
    {
        if (connection.Socket is { } socket)
        {
            _bySocket.Remove(socket);
            _tracker.Closed();
        }

        return connection.Detach();
    }

    private bool AnyInFlight()
    {
        foreach (var connection in _connections)
        {
            if (connection.State == ConnectionState.Active && connection.InFlight > 0)
            {
                return true;
            }
        }

        return false;
    }

    private void CloseAll()
    {
        foreach (var connection in _connections)
        {
            if (connection.State == ConnectionState.Active && connection.InFlight > 0)
            {
                // Still missing when the drain ended: the server never echoed them.
                Stats.Timeouts += connection.InFlight;
            }

            if (connection.Socket is not null)
            {
                if (connection.State == ConnectionState.Active)
                {
                    Stats.ClosedByClient++;
                }

                Close(connection);
            }

            connection.Dispose();
        }
    }

    private void WaitUntil(long wakeTicks)
    {
        long remaining = wakeTicks - _clock.GetTimestamp();
        if (remaining <= 0)
        {
            return;
        }

        // Sleep whole milliseconds (the kernel's granularity); yield for less, so a due message is not sent late.
        long millis = remaining * 1000 / _clock.Frequency;
        if (millis >= 1)
        {
            Thread.Sleep((int)millis);
        }
        else
        {
            Thread.Yield();
        }
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _clock.Frequency);

    private long ToTicks(long micros) => micros * _clock.Frequency / 1_000_000;
}
