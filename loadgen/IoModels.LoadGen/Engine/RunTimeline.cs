using IoModels.Protocol.Threading;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// The phases of a run in clock ticks: warm-up from <see cref="StartTicks"/>, measurement from
/// <see cref="MeasureStartTicks"/> to <see cref="MeasureEndTicks"/>, then a drain of the echoes still in flight.
/// </summary>
public sealed class RunTimeline(long startTicks, long measureStartTicks, long measureEndTicks)
{
    private long _measureEndTicks = measureEndTicks;

    public long StartTicks { get; } = startTicks;

    public long MeasureStartTicks { get; } = measureStartTicks;

    /// <summary>Brought forward by <see cref="StopAt"/> when the user interrupts the run.</summary>
    public long MeasureEndTicks => Volatile.Read(ref _measureEndTicks);

    public bool IsMeasuring(long ticks) => ticks >= MeasureStartTicks && ticks < MeasureEndTicks;

    /// <summary>Ends the run early (Ctrl+C): no new messages after <paramref name="ticks"/>.</summary>
    public void StopAt(long ticks) => InterlockedBound.LowerTo(ref _measureEndTicks, ticks);
}
