using System.Globalization;
using System.Net.Sockets;
using IoModels.LoadGen.Timing;
using IoModels.LoadGen.Verification;
using IoModels.Protocol;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// One UDP flow of the load generator: its socket (connected to the target, so the kernel delivers only the target's
/// datagrams to it), the ledger of what it sent, and the classification of every echo that comes back.
/// </summary>
internal sealed class UdpFlow : IDisposable
{
    // RFC 3550, 6.4.1: the jitter estimate moves a sixteenth of the way to each new transit-time difference.
    private const double JitterGain = 1.0 / 16;

    private readonly PayloadPattern _pattern;
    private long _lastTransitTicks;
    private bool _hasTransit;
    private uint _highestAnswered;
    private bool _hasAnswered;

    public UdpFlow(int id, int pipeline, int history, PayloadPattern pattern)
    {
        Id = id;
        _pattern = pattern;
        Ledger = new DatagramLedger(pipeline, history);
    }

    public int Id { get; }

    /// <summary>Its place in its worker's group: epoll events carry it.</summary>
    public int Slot { get; init; }

    public Socket? Socket { get; private set; }

    /// <summary>Waiting (for its ramp-up slot, or a retry after the socket could not be made) or Active.</summary>
    public ConnectionState State { get; set; } = ConnectionState.Waiting;

    /// <summary>Waiting: when to open the socket.</summary>
    public long WakeTicks { get; set; }

    /// <summary>Open loop: this flow's timetable.</summary>
    public OpenLoopSchedule Schedule { get; init; }

    /// <summary>Open loop: the index of the next datagram in the timetable.</summary>
    public long NextDueIndex { get; set; }

    /// <summary>The kernel's send buffer was full: nothing more is sent until epoll says it is writable.</summary>
    public bool WaitingForRoom { get; set; }

    public DatagramLedger Ledger { get; }

    /// <summary>The RFC 3550 interarrival jitter estimate, in clock ticks, over the measured phase.</summary>
    public double JitterTicks { get; private set; }

    /// <summary>Transit-time differences the estimate was fed (at least one for it to mean anything).</summary>
    public long JitterSamples { get; private set; }

    public void Attach(Socket socket)
    {
        Socket = socket;
        State = ConnectionState.Active;
    }

    /// <summary>
    /// Classifies and counts one echo. <paramref name="echo"/> holds the bytes read; <paramref name="datagramLength"/>
    /// is the datagram's real length (MSG_TRUNC), larger when the client's buffer cut it.
    /// </summary>
    public UdpEchoKind Accept(ReadOnlySpan<byte> echo, int datagramLength, long nowTicks, RunTimeline timeline, WorkerStats stats)
    {
        bool cut = datagramLength > echo.Length;
        bool arrivedMeasuring = timeline.MeasureStartTicks <= nowTicks;
        if (!PayloadPattern.TryReadIdentity(echo, out int flowId, out uint sequence))
        {
            // Every datagram sent holds at least the identity block, and the client reads at least as much.
            return Bad(UdpEchoKind.Truncated, arrivedMeasuring, stats, new BadEcho(Ledger.NextSequence, 0, null, echo.IsEmpty ? (byte)0 : echo[0], BadEchoReason.TooShortToName, datagramLength, 0));
        }

        var found = flowId == Id ? Ledger.Find(sequence) : DatagramState.None;
        if (found == DatagramState.None)
        {
            int offset = flowId != Id ? 0 : sizeof(int);
            return Bad(UdpEchoKind.Corrupted, arrivedMeasuring, stats, new BadEcho(sequence, offset, null, echo[offset], BadEchoReason.NeverSent, flowId, 0));
        }

        if (found is not DatagramState state)
        {
            if (arrivedMeasuring)
            {
                stats.Udp.Late++;
            }

            CountCut(cut, stats, arrivedMeasuring);
            return UdpEchoKind.Late;
        }

        bool measured = Ledger.IsMeasured(sequence);
        int sentLength = Ledger.Length(sequence);
        int bad = _pattern.FindMismatch(Framing.Raw, Id, sequence, sentLength, 0, echo[..Math.Min(echo.Length, sentLength)]);
        if (bad >= 0 || datagramLength != sentLength)
        {
            // It came back, if wrong: answered, not lost.
            Ledger.Answer(sequence);
            if (bad >= 0)
            {
                return Bad(UdpEchoKind.Corrupted, measured, stats, new BadEcho(sequence, bad, _pattern.ExpectedByte(Framing.Raw, Id, sequence, sentLength, bad), echo[bad], BadEchoReason.ByteDiffers, 0, 0));
            }

            return datagramLength < sentLength
                ? Bad(UdpEchoKind.Truncated, measured, stats, new BadEcho(sequence, datagramLength, _pattern.ExpectedByte(Framing.Raw, Id, sequence, sentLength, datagramLength), 0, BadEchoReason.Shorter, datagramLength, sentLength))
                : Bad(UdpEchoKind.Corrupted, measured, stats, new BadEcho(sequence, sentLength, null, echo.Length > sentLength ? echo[sentLength] : (byte)0, BadEchoReason.Longer, datagramLength, sentLength));
        }

        CountCut(cut, stats, measured);
        switch (state)
        {
            case DatagramState.Answered:
                if (measured)
                {
                    stats.Udp.Duplicated++;
                }

                return UdpEchoKind.Duplicated;
            case DatagramState.Lost:
                Ledger.Answer(sequence);
                if (measured)
                {
                    stats.Udp.Late++;
                }

                return UdpEchoKind.Late;
            default:
                Ledger.Answer(sequence);
                Received(sequence, echo.Length, measured, nowTicks, stats);
                return UdpEchoKind.Received;
        }
    }

    public void Dispose()
    {
        Socket?.Dispose();
        Socket = null;
    }

    private void Received(uint sequence, int bytes, bool measured, long nowTicks, WorkerStats stats)
    {
        bool reordered = _hasAnswered && sequence < _highestAnswered;
        if (!reordered)
        {
            _highestAnswered = sequence;
            _hasAnswered = true;
        }

        stats.CountEcho(bytes, measured);
        if (!measured)
        {
            return;
        }

        stats.Udp.Received++;
        if (reordered)
        {
            stats.Udp.Reordered++;
        }

        long sent = Ledger.SentTicks(sequence);
        stats.Latency.Record(Ledger.DueTicks(sequence), sent, nowTicks);

        // RFC 3550, 6.4.1 and A.8: D is the difference of two successive transit times (in order of arrival),
        // J += (|D| - J) / 16. The clocks are the same, so the transit is the round trip itself.
        long transit = nowTicks - sent;
        if (_hasTransit)
        {
            JitterTicks += (Math.Abs(transit - _lastTransitTicks) - JitterTicks) * JitterGain;
            JitterSamples++;
        }

        _lastTransitTicks = transit;
        _hasTransit = true;
    }

    private static void CountCut(bool cut, WorkerStats stats, bool measured)
    {
        if (cut && measured)
        {
            stats.Udp.ClientTruncated++;
        }
    }

    /// <summary>A corrupted or truncated echo: the server's fault, a mismatch in the verdict (counted over the whole run, as TCP's are).</summary>
    private UdpEchoKind Bad(UdpEchoKind kind, bool measured, WorkerStats stats, in BadEcho echo)
    {
        if (measured)
        {
            if (kind == UdpEchoKind.Truncated)
            {
                stats.Udp.Truncated++;
            }
            else
            {
                stats.Udp.Corrupted++;
            }
        }

        stats.Mismatches++;
        // Words only for the first: a server corrupting every echo must not cost a string per datagram.
        stats.FirstMismatch ??= new Mismatch(Id, echo.Sequence, echo.Offset, echo.Offset, echo.Expected, echo.Actual, echo.Describe());
        return kind;
    }

    private enum BadEchoReason
    {
        TooShortToName,
        NeverSent,
        ByteDiffers,
        Shorter,
        Longer,
    }

    /// <summary>Where a bad echo went wrong, kept as numbers until the words are needed.</summary>
    private readonly record struct BadEcho(uint Sequence, int Offset, byte? Expected, byte Actual, BadEchoReason Reason, int First, int Second)
    {
        public string Describe() => Reason switch
        {
            BadEchoReason.TooShortToName => string.Create(CultureInfo.InvariantCulture, $"an echo of {First} bytes, too short to name the datagram it answers"),
            BadEchoReason.NeverSent => string.Create(CultureInfo.InvariantCulture, $"an echo naming flow {First} datagram {Sequence}, which this flow never sent"),
            BadEchoReason.Shorter => string.Create(CultureInfo.InvariantCulture, $"the echoed datagram is {First} bytes of the {Second} sent"),
            BadEchoReason.Longer => string.Create(CultureInfo.InvariantCulture, $"the echoed datagram is {First} bytes, longer than the {Second} sent"),
            _ => "echoed byte differs from the byte sent",
        };
    }
}
