using IoModels.LoadGen.Timing;
using IoModels.LoadGen.Verification;
using IoModels.Native;
using IoModels.Protocol;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// One client connection's state: the messages in flight (a ring as deep as <c>--pipeline</c>), the bytes not yet
/// written, and the received bytes not yet verified. Every array is allocated once, when the connection is made;
/// sending and receiving allocate nothing.
/// </summary>
internal sealed class ClientConnection : IDisposable
{
    /// <summary>Unsent bytes a connection may buffer: many pipelined small messages go out in one write.</summary>
    private const int MaxSendBuffer = 4 * 1024 * 1024;

    private readonly Framing _framing;
    private readonly PayloadPattern _pattern;
    private readonly bool _splitWrites;

    // The in-flight ring: slot i holds the sequence number, payload length, due and send time of one message.
    private readonly uint[] _sequences;
    private readonly int[] _payloadLengths;
    private readonly long[] _dueTicks;
    private readonly long[] _sentTicks;
    private int _head;
    private int _inFlight;

    private readonly byte[] _sendBuffer;
    private int _sendStart;
    private int _sendEnd;

    // With --split-writes: where each write must stop (end of a header, end of a payload).
    private readonly int[] _segmentEnds;
    private int _segmentHead;
    private int _segmentCount;

    private readonly FrameBuffer _receive;
    private int _verifyOffset;

    public ClientConnection(int id, Framing framing, int pipeline, int maxPayload, bool splitWrites, PayloadPattern pattern)
    {
        Id = id;
        _framing = framing;
        _pattern = pattern;
        _splitWrites = splitWrites && framing == Framing.Framed;
        _sequences = new uint[pipeline];
        _payloadLengths = new int[pipeline];
        _dueTicks = new long[pipeline];
        _sentTicks = new long[pipeline];
        int maxWire = PayloadPattern.WireLength(framing, maxPayload);
        _sendBuffer = new byte[Math.Max(maxWire, (int)Math.Min((long)pipeline * maxWire, MaxSendBuffer))];
        _segmentEnds = new int[_splitWrites ? 2 * pipeline : 0];
        // A header declaring more than the largest payload we send is itself a mismatch, caught by the decoder. Lines
        // need no decoder: the client knows where each of its lines ends, and checks every byte by position.
        _receive = new FrameBuffer(framing == Framing.Framed ? Framing.Framed : Framing.Raw, maxPayload, Math.Clamp(pipeline * maxWire, 4096, FrameBuffer.DefaultCapacity));
    }

    public int Id { get; }

    /// <summary>Its place in its worker's group: epoll events carry it.</summary>
    public int Slot { get; init; }

    /// <summary>The socket (libc, non-blocking), while one is open.</summary>
    public FileDescriptor? Socket { get; private set; }

    /// <summary>Counts the sockets this connection has had: an epoll event carries it, so one for a closed socket is recognised and dropped.</summary>
    public uint Generation { get; private set; }

    public ConnectionState State { get; set; } = ConnectionState.Waiting;

    /// <summary>Waiting: when to connect. Connecting: when to give up.</summary>
    public long WakeTicks { get; set; }

    public long ConnectStartTicks { get; set; }

    public uint NextSequence { get; private set; }

    /// <summary>Open loop: the index of the next message in this connection's timetable.</summary>
    public long NextDueIndex { get; set; }

    /// <summary>Bytes received on the current socket: offsets in mismatch reports count from here.</summary>
    public long ReceivedBytes { get; private set; }

    /// <summary>Messages written on the current socket (per-request mode sends exactly one).</summary>
    public int MessagesOnSocket { get; private set; }

    /// <summary>Open loop: this connection's timetable.</summary>
    public OpenLoopSchedule Schedule { get; set; }

    public int InFlight => _inFlight;

    public bool HasPendingSend => _sendStart < _sendEnd;

    /// <summary>When the oldest message in flight was written.</summary>
    public long OldestSentTicks => _sentTicks[_head];

    public bool CanEnqueue(int wireLength) => _inFlight < _sequences.Length && _sendBuffer.Length - _sendEnd >= wireLength;

    public void Attach(FileDescriptor socket)
    {
        Socket = socket;
        Generation++;
        State = ConnectionState.Active;
        _head = _inFlight = _verifyOffset = 0;
        _sendStart = _sendEnd = 0;
        _segmentHead = _segmentCount = 0;
        _receive.Clear();
        ReceivedBytes = 0;
        MessagesOnSocket = 0;
    }

    /// <summary>Closes the socket and returns how many messages were still in flight on it.</summary>
    public int Detach()
    {
        Socket?.Dispose();
        Socket = null;
        int lost = _inFlight;
        _inFlight = 0;
        _receive.Clear();
        return lost;
    }

    /// <summary>Writes the next message into the send buffer; <see cref="Flush"/> puts it on the wire.</summary>
    public void Enqueue(int payloadLength, long dueTicks, long sentTicks)
    {
        int start = _sendEnd;
        int wire = _pattern.Write(_framing, Id, NextSequence, payloadLength, _sendBuffer.AsSpan(start));
        int slot = (_head + _inFlight) % _sequences.Length;
        _sequences[slot] = NextSequence++;
        _payloadLengths[slot] = payloadLength;
        _dueTicks[slot] = dueTicks;
        _sentTicks[slot] = sentTicks;
        _inFlight++;
        MessagesOnSocket++;
        _sendEnd += wire;
        if (_splitWrites)
        {
            PushSegment(start + FrameHeader.Size);
            if (payloadLength > 0)
            {
                PushSegment(start + wire);
            }
        }
    }

    /// <summary>Writes what it can of the send buffer; a full socket buffer is not an error.</summary>
    public IoOutcome Flush()
    {
        while (_sendStart < _sendEnd)
        {
            int end = _segmentCount > 0 ? _segmentEnds[_segmentHead] : _sendEnd;
            long sent = NativeSocket.Send(Socket!.Number, _sendBuffer.AsSpan(_sendStart, end - _sendStart), out int error);
            if (sent == -1)
            {
                return Errno.IsWouldBlock(error) ? IoOutcome.Ok : Classify(error);
            }

            _sendStart += (int)sent;
            if (_segmentCount > 0 && _sendStart == end)
            {
                _segmentHead = (_segmentHead + 1) % _segmentEnds.Length;
                _segmentCount--;
            }
        }

        _sendStart = _sendEnd = 0;
        _segmentHead = _segmentCount = 0;
        return IoOutcome.Ok;
    }

    /// <summary>
    /// Reads everything queued (the socket is edge-triggered: it reports new data once), verifies every byte against
    /// what was sent and records each completed echo at <paramref name="nowTicks"/>.
    /// </summary>
    public IoOutcome Receive(long nowTicks, RunTimeline timeline, WorkerStats stats)
    {
        // Bounded: a correct peer can only echo what is in flight, and anything more is a mismatch that ends the loop.
        while (true)
        {
            var space = _receive.GetReceiveSpan();
            long received = NativeSocket.Receive(Socket!.Number, space, out int error);
            if (received == -1)
            {
                return Errno.IsWouldBlock(error) ? IoOutcome.Ok : Classify(error);
            }

            if (received == 0)
            {
                return IoOutcome.PeerClosed;
            }

            var result = _receive.Commit((int)received);
            if (!VerifyComplete(nowTicks, timeline, stats))
            {
                return IoOutcome.Mismatch;
            }

            if (result.Status == DecodeStatus.TooLarge)
            {
                ReportBadHeader(result.DeclaredLength, stats);
                return IoOutcome.Mismatch;
            }

            if (received < space.Length)
            {
                // A short read took all that was queued; whatever arrives later raises a new edge. This saves the
                // read that would only return EAGAIN.
                return IoOutcome.Ok;
            }
        }
    }

    public void Dispose()
    {
        Detach();
        _receive.Dispose();
    }

    private static IoOutcome Classify(int error) => Errno.IsConnectionReset(error) ? IoOutcome.Reset : IoOutcome.Error;

    private bool VerifyComplete(long nowTicks, RunTimeline timeline, WorkerStats stats)
    {
        var data = _receive.Complete;
        int used = 0;
        while (used < data.Length)
        {
            if (_inFlight == 0)
            {
                SetMismatch(stats, new Mismatch(Id, NextSequence, ReceivedBytes + used, 0, null, data[used], "bytes arrived that were never sent (an echo duplicated or invented)"));
                return false;
            }

            int slot = _head;
            int payloadLength = _payloadLengths[slot];
            int wire = PayloadPattern.WireLength(_framing, payloadLength);
            int take = Math.Min(wire - _verifyOffset, data.Length - used);
            int bad = _pattern.FindMismatch(_framing, Id, _sequences[slot], payloadLength, _verifyOffset, data.Slice(used, take));
            if (bad >= 0)
            {
                int messageOffset = _verifyOffset + bad;
                byte expected = _pattern.ExpectedByte(_framing, Id, _sequences[slot], payloadLength, messageOffset);
                SetMismatch(stats, new Mismatch(Id, _sequences[slot], ReceivedBytes + used + bad, messageOffset, expected, data[used + bad], "echoed byte differs from the byte sent"));
                return false;
            }

            used += take;
            _verifyOffset += take;
            if (_verifyOffset == wire)
            {
                bool measured = timeline.IsMeasuring(nowTicks);
                if (measured)
                {
                    stats.Latency.Record(_dueTicks[slot], _sentTicks[slot], nowTicks);
                }

                stats.CountEcho(wire, measured);
                _head = (_head + 1) % _sequences.Length;
                _inFlight--;
                _verifyOffset = 0;
            }
        }

        _receive.Consume(used);
        ReceivedBytes += used;
        return true;
    }

    private void ReportBadHeader(uint declaredLength, WorkerStats stats)
    {
        // The decoder stopped at a header declaring more than any payload we send: find the first wrong header byte.
        Span<byte> actual = stackalloc byte[FrameHeader.Size];
        FrameHeader.Write(actual, declaredLength);
        if (_inFlight == 0)
        {
            SetMismatch(stats, new Mismatch(Id, NextSequence, ReceivedBytes, 0, null, actual[0], "bytes arrived that were never sent (an echo duplicated or invented)"));
            return;
        }

        Span<byte> expected = stackalloc byte[FrameHeader.Size];
        FrameHeader.Write(expected, (uint)_payloadLengths[_head]);
        int offset = Math.Max(0, expected.CommonPrefixLength(actual));
        SetMismatch(stats, new Mismatch(Id, _sequences[_head], ReceivedBytes + offset, offset, expected[offset], actual[offset], $"echoed length header declares {declaredLength} bytes"));
    }

    private static void SetMismatch(WorkerStats stats, Mismatch mismatch)
    {
        stats.Mismatches++;
        stats.FirstMismatch ??= mismatch;
    }

    private void PushSegment(int end)
    {
        _segmentEnds[(_segmentHead + _segmentCount) % _segmentEnds.Length] = end;
        _segmentCount++;
    }
}
