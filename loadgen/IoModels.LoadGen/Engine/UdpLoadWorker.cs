using System.Net.Sockets;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Timing;
using IoModels.LoadGen.Verification;
using IoModels.Native;
using IoModels.Protocol;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// The UDP side of <see cref="LoadWorker"/>: one connected, non-blocking UDP socket per flow, each in the worker's
/// epoll set, level-triggered for input (output only while the kernel's send buffer is full). A datagram is written
/// from one send buffer and every echo read into one receive buffer, both the worker's: a flow owns no buffer.
/// </summary>
/// <remarks>
/// .NET's <see cref="Socket"/> is used synchronously on a non-blocking socket that never runs an async operation, so
/// the runtime's socket engine never registers it and a send or receive is one system call that allocates nothing.
/// Each receive passes MSG_TRUNC (<see cref="SocketFlags.Truncated"/>): Linux then returns the datagram's real length
/// even when the buffer held less, which is how an echo cut by <c>--udp-receive-buffer</c> is told from one the
/// server cut. Loss never stops a flow: in a closed loop a datagram not echoed within <c>--timeout</c> is declared lost
/// at the next scan and its pipeline slot goes to the next datagram; an open loop sends on its timetable regardless.
/// </remarks>
internal sealed class UdpLoadWorker : LoadWorker
{
    // Sockets opened per scan, so a big group does not keep the loop from epoll for long.
    private const int MaxOpensPerPass = 64;

    // Echoes read per readiness event; level-triggered, the rest are reported on the next wait, so one busy flow
    // cannot starve the others.
    private const int MaxReceivesPerEvent = 64;

    // Open loop: datagrams sent per flow per pass, as many as one readiness event reads back. A generator behind its
    // timetable would otherwise spend each pass sending everything that fell due during the last one, each pass
    // longer than the one before, while the echoes overflowed its sockets unread. (Reads and sends stay even while a
    // worker's flows fit in one epoll_wait, MaxEvents; beyond that a pass reads fewer flows than it sends on.)
    private const int MaxSendsPerPass = MaxReceivesPerEvent;

    // A socket that could not be made is retried after this long.
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(100);

    private readonly ConnectionTracker _tracker;
    private readonly PayloadPattern _pattern;
    private readonly UdpFlow[] _flows;
    private readonly byte[] _sendBuffer;
    private readonly byte[] _receiveBuffer;
    private readonly Random _random = new();
    private readonly long _retryTicks;

    public UdpLoadWorker(int index, IReadOnlyList<int> flowIds, LoadOptions options, PayloadPattern pattern, IClock clock, RunTimeline timeline, ConnectionTracker tracker)
        : base(index, options, clock, timeline)
    {
        _tracker = tracker;
        _pattern = pattern;
        _retryTicks = ToTicks(s_retryDelay);
        _sendBuffer = new byte[options.Payload.Max];
        _receiveBuffer = new byte[options.UdpReceiveBuffer];
        int history = DatagramLedger.HistoryFor(options.Pipeline, options.Connections);
        _flows = new UdpFlow[flowIds.Count];
        for (int i = 0; i < flowIds.Count; i++)
        {
            int id = flowIds[i];
            _flows[i] = new UdpFlow(id, options.Pipeline, history, pattern)
            {
                Slot = i,
                WakeTicks = RampUpTicks(id),
                Schedule = ScheduleOf(id),
            };
        }
    }

    protected override void Scan(long now, bool sending)
    {
        int opens = 0;
        foreach (var flow in _flows)
        {
            if (flow.State == ConnectionState.Waiting && sending)
            {
                if (now >= flow.WakeTicks && opens < MaxOpensPerPass)
                {
                    opens++;
                    Open(flow, now);
                }
                else
                {
                    ScanBy(flow.WakeTicks);
                }
            }

            if (flow.State == ConnectionState.Active)
            {
                Expire(flow, now);
                if (sending && !flow.WaitingForRoom)
                {
                    SendDue(flow, now);
                }
            }
        }
    }

    protected override void HandleEvents(int events, ulong token, long now, bool sending)
    {
        var flow = _flows[(int)token];
        if (flow.Socket is not { } socket)
        {
            return;
        }

        if ((events & (EpollEvents.In | EpollEvents.Error | EpollEvents.HangUp)) != 0)
        {
            Receive(flow, socket, now);
        }

        if ((events & EpollEvents.Out) != 0 && flow.WaitingForRoom)
        {
            flow.WaitingForRoom = false;
            Epoll.Modify((int)socket.Handle, EpollEvents.In, token);
            if (Options.IsOpenLoop)
            {
                // What fell due while the kernel's buffer was full goes at the next pass.
                ScanBy(now);
            }
        }

        if (sending && !flow.WaitingForRoom && !Options.IsOpenLoop)
        {
            // Closed loop: refill the pipeline at once rather than on the next scan. An open loop sends from the
            // scan alone, which runs when the next datagram is due, so a flow sends no more per pass than it reads.
            SendDue(flow, now);
        }
    }

    /// <summary>Duplicates and late echoes can still come after the last awaited one: the drain always lasts <c>--timeout</c>.</summary>
    protected override bool DrainMayEnd() => false;

    protected override void CloseAll()
    {
        foreach (var flow in _flows)
        {
            // Still awaited when the drain ended: lost.
            while (flow.Ledger.TryExpire(long.MaxValue, out bool measured))
            {
                CountLost(measured);
            }

            if (flow.JitterSamples > 0)
            {
                Stats.Udp.JitterSumMicros += flow.JitterTicks * 1_000_000.0 / Clock.Frequency;
                Stats.Udp.JitterFlows++;
            }

            if (flow.Socket is not null)
            {
                Stats.ClosedByClient++;
                _tracker.Closed();
            }

            flow.Dispose();
        }
    }

    private void Open(UdpFlow flow, long now)
    {
        Stats.Attempted++;
        long started = Clock.GetTimestamp();
        Socket? socket = null;
        try
        {
            socket = new Socket(Options.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            // connect(2) on UDP only fixes the peer: the kernel then drops datagrams from anyone else, and reports
            // an ICMP port unreachable for this flow as ECONNREFUSED on its next call.
            socket.Connect(Options.EndPoint);
            socket.Blocking = false;
        }
        catch (SocketException e)
        {
            socket?.Dispose();
            Stats.CountConnectFailure(e.SocketErrorCode);
            flow.WakeTicks = now + _retryTicks;
            ScanBy(flow.WakeTicks);
            return;
        }

        flow.Attach(socket);
        _tracker.Opened();
        Epoll.Add((int)socket.Handle, EpollEvents.In, (ulong)flow.Slot);
        long ready = Clock.GetTimestamp();
        Stats.Established++;
        Stats.ConnectMicros.RecordValue(LatencyHistograms.ToMicros(ready - started, Clock.Frequency));
        Stats.ConnectSumMicros += (ready - started) * 1_000_000.0 / Clock.Frequency;
    }

    /// <summary>Declares lost what has waited longer than <c>--timeout</c>, freeing its pipeline slot.</summary>
    private void Expire(UdpFlow flow, long now)
    {
        while (flow.Ledger.TryExpire(now - TimeoutTicks, out bool measured))
        {
            CountLost(measured);
        }
    }

    private void CountLost(bool measured)
    {
        if (measured)
        {
            Stats.Udp.Lost++;
        }
    }

    /// <summary>
    /// Sends every datagram the flow may send now: closed loop, one per free pipeline slot; open loop, every datagram
    /// due, however many are outstanding, up to <see cref="MaxSendsPerPass"/> (the rest at the next scan, at once).
    /// A datagram network does not push back, so the timetable is never held up by a loss: a lost datagram costs its
    /// own echo, never the next datagram's latency (as a retransmission costs TCP's).
    /// </summary>
    private void SendDue(UdpFlow flow, long now)
    {
        var socket = flow.Socket!;
        bool openLoop = Options.IsOpenLoop;
        for (int sent = 0; ; sent++)
        {
            // Frees the pipeline slots (and ledger entries) of the datagrams given up on.
            Expire(flow, now);
            if (!openLoop && !flow.Ledger.CanSend)
            {
                // Closed loop, pipeline full: the next echo, or the next loss, makes room.
                return;
            }

            long due = now;
            if (openLoop)
            {
                due = flow.Schedule.DueTicks(flow.NextDueIndex);
                if (due > now)
                {
                    ScanBy(due);
                    return;
                }

                if (sent == MaxSendsPerPass)
                {
                    // Behind the timetable: the echoes already back are read before the next batch goes.
                    ScanBy(now);
                    return;
                }
            }

            int payloadLength = Options.Payload.IsRange ? _random.Next(Options.Payload.Min, Options.Payload.Max + 1) : Options.Payload.Min;
            int length = _pattern.Write(Framing.Raw, flow.Id, flow.Ledger.NextSequence, payloadLength, _sendBuffer);
            socket.Send(_sendBuffer.AsSpan(0, length), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                // Sent when the kernel has room: epoll reports writable then.
                flow.WaitingForRoom = true;
                Epoll.Modify((int)socket.Handle, EpollEvents.In | EpollEvents.Out, (ulong)flow.Slot);
                return;
            }

            if (error != SocketError.Success)
            {
                // ECONNREFUSED reports an ICMP port unreachable that an earlier datagram drew; this one was not sent.
                // Tried again at the next scan, not in a loop here.
                CountError(error);
                return;
            }

            bool measured = Timeline.IsMeasuring(now);
            flow.Ledger.Send(payloadLength, due, now, measured);
            if (measured)
            {
                Stats.Udp.Sent++;
            }

            if (openLoop)
            {
                flow.NextDueIndex++;
            }
        }
    }

    private void Receive(UdpFlow flow, Socket socket, long now)
    {
        for (int i = 0; i < MaxReceivesPerEvent; i++)
        {
            int length = socket.Receive(_receiveBuffer.AsSpan(), SocketFlags.Truncated, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                CountError(error);
                if (error == SocketError.ConnectionRefused)
                {
                    // The error is cleared by reporting it; datagrams may still be queued behind it.
                    continue;
                }

                return;
            }

            flow.Accept(_receiveBuffer.AsSpan(0, Math.Min(length, _receiveBuffer.Length)), length, now, Timeline, Stats);
        }
    }

    private void CountError(SocketError error)
    {
        if (error == SocketError.ConnectionRefused)
        {
            Stats.Udp.Refused++;
        }
        else
        {
            Stats.OtherErrors++;
        }
    }
}
