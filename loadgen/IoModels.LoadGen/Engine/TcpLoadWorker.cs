using System.Net.Sockets;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Timing;
using IoModels.LoadGen.Verification;
using IoModels.Native;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// The TCP side of <see cref="LoadWorker"/>: non-blocking libc sockets, each registered once (in, out,
/// edge-triggered), so the reads and writes are the same libc calls the C client makes.
/// </summary>
internal sealed class TcpLoadWorker : LoadWorker
{
    // A failed connect is retried after this long, so a refusing server is not hammered in a tight loop.
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(100);

    // Connects started per scan: the loop then returns to epoll promptly, so a connect's completion is seen when it
    // happens rather than after a burst of other connects (which would inflate the connect latency measured).
    private const int MaxConnectsPerPass = 4;

    private static readonly int s_socketEvents = EpollEvents.In | EpollEvents.Out | EpollEvents.ReadHangUp | EpollEvents.EdgeTriggered;

    private readonly ConnectionTracker _tracker;
    private readonly ClientConnection[] _connections;
    private readonly Random _random = new();
    private readonly long _connectTimeoutTicks;
    private readonly long _retryTicks;

    public TcpLoadWorker(int index, IReadOnlyList<int> connectionIds, LoadOptions options, PayloadPattern pattern, IClock clock, RunTimeline timeline, ConnectionTracker tracker)
        : base(index, options, clock, timeline)
    {
        _tracker = tracker;
        _connectTimeoutTicks = ToTicks(options.ConnectTimeout);
        _retryTicks = ToTicks(s_retryDelay);
        _connections = new ClientConnection[connectionIds.Count];
        for (int i = 0; i < connectionIds.Count; i++)
        {
            int id = connectionIds[i];
            _connections[i] = new ClientConnection(id, options.Framing, options.Pipeline, options.Payload.Max, options.SplitWrites, pattern)
            {
                Slot = i,
                WakeTicks = RampUpTicks(id),
                Schedule = ScheduleOf(id),
            };
        }
    }

    /// <summary>
    /// Walks the group for what no socket event announces: connects to start, connects and echoes overdue, open-loop
    /// messages now due. Sets when the next scan is needed.
    /// </summary>
    protected override void Scan(long now, bool sending)
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
                if (connection.InFlight > 0 && now - connection.OldestSentTicks > TimeoutTicks)
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

    protected override void HandleEvents(int events, ulong token, long now, bool sending)
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

        var received = connection.Receive(now, Timeline, Stats);
        if (received != IoOutcome.Ok)
        {
            HandleFailure(connection, received, now);
            return;
        }

        if (Options.ConnectMode == ConnectMode.PerRequest && connection.MessagesOnSocket > 0 && connection.InFlight == 0 && !connection.HasPendingSend)
        {
            // The one echo is back: close, and wait for the next turn (at once in a closed loop, at the due time in an open one).
            Stats.ClosedByClient++;
            Close(connection);
            WaitUntil(connection, Options.IsOpenLoop ? connection.Schedule.DueTicks(connection.NextDueIndex) : now);
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
        bool openLoop = Options.IsOpenLoop;
        bool perRequest = Options.ConnectMode == ConnectMode.PerRequest;
        while (true)
        {
            if (perRequest && connection.MessagesOnSocket > 0)
            {
                // Per-request: one message per connection; HandleEvents closes it when the echo is back.
                break;
            }

            int payloadLength = Options.Payload.IsRange ? _random.Next(Options.Payload.Min, Options.Payload.Max + 1) : Options.Payload.Min;
            int wire = PayloadPattern.WireLength(Options.Framing, payloadLength);
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
        connection.ConnectStartTicks = Clock.GetTimestamp();
        var started = NonBlockingConnect.Start(Options.EndPoint, Options.NoDelay, out var socket);
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
        Epoll.Add(socket.Number, s_socketEvents, (ulong)connection.Generation << 32 | (uint)connection.Slot);
        if (started == SocketError.Success)
        {
            Established(connection, Clock.GetTimestamp());
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
        long micros = LatencyHistograms.ToMicros(now - connection.ConnectStartTicks, Clock.Frequency);
        Stats.ConnectMicros.RecordValue(micros);
        Stats.ConnectSumMicros += (now - connection.ConnectStartTicks) * 1_000_000.0 / Clock.Frequency;
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

    private int Close(ClientConnection connection)
    {
        if (connection.Socket is not null)
        {
            _tracker.Closed();
        }

        return connection.Detach();
    }

    /// <summary>Every echo is back.</summary>
    protected override bool DrainMayEnd() => !AnyInFlight();

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

    protected override void CloseAll()
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
}
