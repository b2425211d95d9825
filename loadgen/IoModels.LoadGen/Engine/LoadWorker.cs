using System.Net.Sockets;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Timing;
using IoModels.LoadGen.Verification;
using IoModels.Native;
using Tmds.Linux;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// One dedicated thread driving a group of non-blocking libc sockets with its own edge-triggered epoll set.
/// </summary>
/// <remarks>
/// Why this shape (measured, figures in loadgen/README.md): the async socket API hands every completion through the
/// runtime's epoll thread (and, by default, the thread pool), and a blocking thread per connection pays a context
/// switch per echo. A <c>Socket.Select</c> loop was the first design; it rebuilt its poll list on every wake-up and
/// the kernel walked every socket in it, which kept it at 0.7-0.8x the C client. Here each socket is registered
/// once (in, out, edge-triggered), so a wake-up costs only the sockets that have something to say, and the reads and
/// writes are the same libc calls the C client makes. Timeouts, due messages and connects are found by a scan of the
/// group, run only when something is due (at the latest every 10 ms). Nothing is allocated per echo.
/// </remarks>
internal sealed class LoadWorker
{
    // How long a pass may sleep at most: bounds how late a timeout, a due message or the end of the run is noticed.
    private const long MaxWaitMicros = 10_000;

    // Events taken per epoll_wait; more simply wait for the next pass.
    private const int MaxEvents = 256;

    // A failed connect is retried after this long, so a refusing server is not hammered in a tight loop.
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(100);

    // Connects started per scan: the loop then returns to epoll promptly, so a connect's completion is seen when it
    // happens rather than after a burst of other connects (which would inflate the connect latency measured).
    private const int MaxConnectsPerPass = 4;

    private static readonly int s_socketEvents = EpollEvents.In | EpollEvents.Out | EpollEvents.ReadHangUp | EpollEvents.EdgeTriggered;

    private readonly LoadOptions _options;
    private readonly IClock _clock;
    private readonly RunTimeline _timeline;
    private readonly ConnectionTracker _tracker;
    private readonly ClientConnection[] _connections;
    private readonly Random _random = new();
    private readonly long _timeoutTicks;
    private readonly long _connectTimeoutTicks;
    private readonly long _retryTicks;
    private EpollInstance? _epoll;
    private long _nextScanTicks;

    // Whether the next scan is for something due at that instant (a message, a connect): then it is waited for to
    // the microsecond. A scan only for timeouts may come a millisecond late.
    private bool _nextScanIsPrecise;
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
                Slot = i,
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
            _epoll = EpollInstance.Create();
            Loop();
        }
        catch (Exception e)
        {
            Failure = e;
        }
        finally
        {
            CloseAll();
            _epoll?.Dispose();
        }
    }

    private void Loop()
    {
        Span<epoll_event> events = stackalloc epoll_event[MaxEvents];
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

            if (now >= _nextScanTicks)
            {
                _nextScanTicks = now + ToTicks(MaxWaitMicros);
                _nextScanIsPrecise = false;
                Scan(now, sending);
            }

            long waitMicros = Math.Max(0, (_nextScanTicks - now) * 1_000_000 / _clock.Frequency);
            // epoll_wait counts whole milliseconds. For a precise wake-up, wait the whole ones, then poll without
            // sleeping for the rest, so a message due in under 1 ms is not sent late (yielding between polls lets a
            // server on the same core run). Otherwise round up: spinning through the last millisecond of every 10 ms
            // cost a tenth of the worker's time.
            bool spin = _nextScanIsPrecise && waitMicros < 1_000;
            int count = _epoll!.Wait(events, (int)(_nextScanIsPrecise ? waitMicros / 1_000 : (waitMicros + 999) / 1_000));
            if (count == 0)
            {
                if (spin && waitMicros > 0)
                {
                    Thread.Yield();
                }

                continue;
            }

            // One timestamp for everything this wake-up delivered: all of it had arrived by now.
            now = _clock.GetTimestamp();
            sending = now < _timeline.MeasureEndTicks;
            for (int i = 0; i < count; i++)
            {
                // Copied out: epoll_event is packed, so no reference into it.
                ulong token = events[i].data.u64;
                HandleEvents(events[i].events, token, now, sending);
            }
        }
    }

    /// <summary>
    /// Walks the group for what no socket event announces: connects to start, connects and echoes overdue, open-loop
    /// messages now due. Sets when the next scan is needed.
    /// </summary>
    private void Scan(long now, bool sending)
    {
        int connects = 0;
        foreach (var connection in _connections)
        {
            // One state can lead to the next in the same scan (a connect that completes at once, then sends).
            if (connection.State == ConnectionState.Waiting && sending)
            {
                if (now >= connection.WakeTicks && connects < MaxConnectsPerPass)
                {
                    connects++;
                    BeginConnect(connection, now);
                }
                else
                {
                    ScanBy(connection.WakeTicks);
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
                    ScanBy(connection.WakeTicks);
                }
            }

            if (connection.State == ConnectionState.Active)
            {
                if (connection.InFlight > 0 && now - connection.OldestSentTicks > _timeoutTicks)
                {
                    // The load generator gives up on the connection and closes it: counted as its close, so the
                    // closes still add up to the connections established.
                    Stats.Timeouts += connection.InFlight;
                    Stats.ClosedByClient++;
                    Drop(connection, now, countLost: false);
                    continue;
                }

                if (sending)
                {
                    SendDue(connection, now);
                }
            }
        }
    }

    private void HandleEvents(int events, ulong token, long now, bool sending)
    {
        var connection = _connections[(int)(uint)token];
        if (connection.Generation != (uint)(token >> 32) || connection.Socket is null)
        {
            // For a socket closed earlier in this batch.
            return;
        }

        if (connection.State == ConnectionState.Connecting)
        {
            // Writable, or an error or hang-up: either way the handshake is over, and SO_ERROR says how.
            var result = NonBlockingConnect.Finish(connection.Socket);
            if (result == SocketError.Success)
            {
                Established(connection, now);
            }
            else
            {
                FailConnect(connection, result, now);
                return;
            }
        }

        if (connection.State != ConnectionState.Active)
        {
            return;
        }

        if ((events & EpollEvents.Out) != 0 && connection.HasPendingSend)
        {
            var written = connection.Flush();
            if (written != IoOutcome.Ok)
            {
                HandleFailure(connection, written, now);
                return;
            }
        }

        if ((events & (EpollEvents.In | EpollEvents.ReadHangUp | EpollEvents.HangUp | EpollEvents.Error)) == 0)
        {
            if (sending)
            {
                // Just connected: the first messages go out at once.
                SendDue(connection, now);
            }

            return;
        }

        var received = connection.Receive(now, _timeline, Stats);
        if (received != IoOutcome.Ok)
        {
            HandleFailure(connection, received, now);
            return;
        }

        if (_options.ConnectMode == ConnectMode.PerRequest && connection.MessagesOnSocket > 0 && connection.InFlight == 0 && !connection.HasPendingSend)
        {
            // The one echo is back: close, and wait for the next turn (at once in a closed loop, at the due time in an open one).
            Stats.ClosedByClient++;
            Close(connection);
            WaitUntil(connection, _options.IsOpenLoop ? connection.Schedule.DueTicks(connection.NextDueIndex) : now);
        }
        else if (sending)
        {
            // Refill the pipeline at once rather than on the next scan.
            SendDue(connection, now);
        }
    }

    /// <summary>Queues every message the connection may send now and writes them in one go.</summary>
    private void SendDue(ClientConnection connection, long now)
    {
        bool openLoop = _options.IsOpenLoop;
        bool perRequest = _options.ConnectMode == ConnectMode.PerRequest;
        while (true)
        {
            if (perRequest && connection.MessagesOnSocket > 0)
            {
                // Per-request: one message per connection; HandleEvents closes it when the echo is back.
                break;
            }

            int payloadLength = _options.Payload.IsRange ? _random.Next(_options.Payload.Min, _options.Payload.Max + 1) : _options.Payload.Min;
            int wire = PayloadPattern.WireLength(_options.Framing, payloadLength);
            if (!connection.CanEnqueue(wire))
            {
                // The pipeline is full: the next echo makes room, and HandleEvents sends again then.
                break;
            }

            long due = now;
            if (openLoop)
            {
                due = connection.Schedule.DueTicks(connection.NextDueIndex);
                if (due > now)
                {
                    ScanBy(due);
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

    private void BeginConnect(ClientConnection connection, long now)
    {
        Stats.Attempted++;
        // A fresh reading, not the scan's: connects started earlier in the same scan must not inflate this one.
        connection.ConnectStartTicks = _clock.GetTimestamp();
        var started = NonBlockingConnect.Start(_options.EndPoint, _options.NoDelay, out var socket);
        if (socket is null)
        {
            FailConnect(connection, started, now);
            return;
        }

        connection.Attach(socket);
        _tracker.Opened();
        if (started is not (SocketError.Success or SocketError.WouldBlock))
        {
            FailConnect(connection, started, now);
            return;
        }

        // Registered once for its whole life; closing the socket removes it. Added after connect() started, the
        // kernel checks readiness at once, so a handshake that already ended is still reported.
        _epoll!.Add(socket.Number, s_socketEvents, (ulong)connection.Generation << 32 | (uint)connection.Slot);
        if (started == SocketError.Success)
        {
            Established(connection, _clock.GetTimestamp());
        }
        else
        {
            connection.State = ConnectionState.Connecting;
            connection.WakeTicks = now + _connectTimeoutTicks;
            ScanBy(connection.WakeTicks);
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

        WaitUntil(connection, now + _retryTicks);
    }

    private void HandleFailure(ClientConnection connection, IoOutcome outcome, long now)
    {
        switch (outcome)
        {
            case IoOutcome.Mismatch:
                // Its byte stream can no longer be trusted: close it for good (the load generator's close).
                Stats.ClosedByClient++;
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

        WaitUntil(connection, now);
    }

    /// <summary>Parks a connection without a socket until <paramref name="wakeTicks"/>, when a scan connects it again.</summary>
    private void WaitUntil(ClientConnection connection, long wakeTicks)
    {
        connection.State = ConnectionState.Waiting;
        connection.WakeTicks = wakeTicks;
        ScanBy(wakeTicks);
    }

    /// <summary>Makes sure a scan runs no later than <paramref name="ticks"/>.</summary>
    private void ScanBy(long ticks)
    {
        if (ticks < _nextScanTicks)
        {
            _nextScanTicks = ticks;
            _nextScanIsPrecise = true;
        }
    }

    private int Close(ClientConnection connection)
    {
        if (connection.Socket is not null)
        {
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

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _clock.Frequency);

    private long ToTicks(long micros) => micros * _clock.Frequency / 1_000_000;
}
