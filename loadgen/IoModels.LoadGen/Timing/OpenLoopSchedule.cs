namespace IoModels.LoadGen.Timing;

/// <summary>
/// The fixed timetable of one connection in an open-loop run: message <c>k</c> is due at
/// <c>start + (k + phase) * interval</c>, whether or not the server kept up. Latency is measured from that due
/// time (as wrk2 does), so a stalled server is charged for every message it delayed, not just the one it held.
/// </summary>
/// <remarks>
/// The rate is spread evenly over connections: each gets <c>rate / connections</c> and its timetable is shifted by
/// <c>id / connections</c> of an interval, so the whole run sends at an even pace rather than in bursts.
/// Times are computed from the index, never accumulated, so rounding cannot drift over millions of messages.
/// </remarks>
public readonly struct OpenLoopSchedule
{
    private readonly long _startTicks;
    private readonly double _intervalTicks;
    private readonly double _phase;

    public OpenLoopSchedule(long startTicks, long ticksPerSecond, double totalRate, int connections, int connectionIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(connections);
        _startTicks = startTicks;
        _intervalTicks = ticksPerSecond * (double)connections / totalRate;
        _phase = (double)connectionIndex / connections;
    }

    public double IntervalTicks => _intervalTicks;

    /// <summary>When message <paramref name="index"/> of this connection is due.</summary>
    public long DueTicks(long index) => _startTicks + (long)((index + _phase) * _intervalTicks);
}
