using System.Numerics;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// One flow's record of its last <see cref="History"/> datagrams, by sequence number: state, length, when due, when
/// sent, whether in the measured phase. An echo is looked up by the sequence number it carries, so duplicates, late
/// and reordered echoes are told apart without searching; every array is allocated once, with the flow.
/// </summary>
/// <remarks>
/// Sequence numbers go up with the send time, so the oldest outstanding datagram is always the first to time out:
/// <see cref="TryExpire"/> only ever looks at it. Entry <c>seq % History</c> is reused by datagram <c>seq + History</c>;
/// if that datagram is still outstanding then, <see cref="History"/> later datagrams of the same flow have overtaken
/// it and it is declared lost early, so a flow never waits for a datagram that will not come.
/// </remarks>
internal sealed class DatagramLedger
{
    private readonly int _pipeline;
    private readonly uint _mask;
    private readonly DatagramState[] _states;
    private readonly bool[] _measured;
    private readonly int[] _lengths;
    private readonly long[] _dueTicks;
    private readonly long[] _sentTicks;

    // No datagram before this one is outstanding.
    private uint _oldest;

    /// <param name="pipeline">Datagrams outstanding at most.</param>
    /// <param name="history">Datagrams remembered, a power of two of at least <paramref name="pipeline"/>.</param>
    public DatagramLedger(int pipeline, int history)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pipeline, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(history, pipeline);
        if ((history & (history - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(history), history, "the history must be a power of two");
        }

        _pipeline = pipeline;
        _mask = (uint)history - 1;
        _states = new DatagramState[history];
        _measured = new bool[history];
        _lengths = new int[history];
        _dueTicks = new long[history];
        _sentTicks = new long[history];
    }

    public int History => _states.Length;

    /// <summary>The sequence number the next datagram gets.</summary>
    public uint NextSequence { get; private set; }

    public int Outstanding { get; private set; }

    /// <summary>
    /// Closed loop: whether the pipeline has room (after <see cref="TryExpire"/> has freed what it can). An open loop
    /// sends when due; <see cref="TryExpire"/> has then always freed the entry the next datagram takes.
    /// </summary>
    public bool CanSend => Outstanding < _pipeline && _states[NextSequence & _mask] != DatagramState.Outstanding;

    /// <summary>The history a flow gets: every datagram of a timeout's worth at usual rates, within a memory budget.</summary>
    /// <param name="pipeline">Datagrams in flight per flow.</param>
    /// <param name="flows">Flows in the whole run: the budget is shared.</param>
    public static int HistoryFor(int pipeline, int flows)
    {
        // About 21 bytes an entry: 4,096 entries for up to 16 flows, shrinking to 64 for thousands, never below
        // 4 x pipeline, so even the smallest history holds every datagram in flight several times over.
        const int BudgetEntries = 1 << 16;
        uint share = (uint)Math.Clamp(BudgetEntries / Math.Max(1, flows), 64, 4096);
        return (int)Math.Max(BitOperations.RoundUpToPowerOf2(share), BitOperations.RoundUpToPowerOf2((uint)pipeline * 4));
    }

    /// <summary>Records the next datagram as sent and returns its sequence number. Call only when <see cref="CanSend"/>.</summary>
    public uint Send(int length, long dueTicks, long sentTicks, bool measured)
    {
        uint sequence = NextSequence++;
        uint i = sequence & _mask;
        _states[i] = DatagramState.Outstanding;
        _measured[i] = measured;
        _lengths[i] = length;
        _dueTicks[i] = dueTicks;
        _sentTicks[i] = sentTicks;
        Outstanding++;
        return sequence;
    }

    /// <summary>
    /// Declares the oldest outstanding datagram lost if it was sent at or before <paramref name="sentBeforeTicks"/>,
    /// or if the next datagram needs its entry. Call until false.
    /// </summary>
    public bool TryExpire(long sentBeforeTicks, out bool measured)
    {
        Advance();
        measured = false;
        if (_oldest == NextSequence)
        {
            return false;
        }

        uint i = _oldest & _mask;
        if (_sentTicks[i] > sentBeforeTicks && NextSequence - _oldest < (uint)_states.Length)
        {
            return false;
        }

        _states[i] = DatagramState.Lost;
        measured = _measured[i];
        Outstanding--;
        return true;
    }

    /// <summary>Where <paramref name="sequence"/> stands: its state (None when it was never sent), or null when it is too old to remember.</summary>
    public DatagramState? Find(uint sequence)
    {
        if (sequence >= NextSequence)
        {
            return DatagramState.None;
        }

        return NextSequence - sequence > (uint)_states.Length ? null : _states[sequence & _mask];
    }

    /// <summary>An echo of <paramref name="sequence"/> came (an outstanding or lost datagram): it is answered.</summary>
    public void Answer(uint sequence)
    {
        uint i = sequence & _mask;
        if (_states[i] == DatagramState.Outstanding)
        {
            Outstanding--;
        }

        _states[i] = DatagramState.Answered;
    }

    public int Length(uint sequence) => _lengths[sequence & _mask];

    public long DueTicks(uint sequence) => _dueTicks[sequence & _mask];

    public long SentTicks(uint sequence) => _sentTicks[sequence & _mask];

    public bool IsMeasured(uint sequence) => _measured[sequence & _mask];

    /// <summary>Moves <see cref="_oldest"/> past the datagrams no longer outstanding: each is passed once, so this costs O(1) a datagram.</summary>
    private void Advance()
    {
        while (_oldest != NextSequence && _states[_oldest & _mask] != DatagramState.Outstanding)
        {
            _oldest++;
        }
    }
}
