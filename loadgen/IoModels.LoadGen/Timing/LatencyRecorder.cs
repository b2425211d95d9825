using HdrHistogram;

namespace IoModels.LoadGen.Timing;

/// <summary>
/// One worker's latency record: no locks, merged with the others' at the end. Each echo is recorded twice:
/// from when it was due (corrected for coordinated omission) and from when it was actually written (uncorrected).
/// In a closed loop the two are the same moment.
/// </summary>
public sealed class LatencyRecorder(long ticksPerSecond)
{
    private readonly double _microsPerTick = 1_000_000.0 / ticksPerSecond;

    public long TicksPerSecond { get; } = ticksPerSecond;

    /// <summary>Microseconds from the due time to the echo: the figure users see.</summary>
    public LongHistogram Corrected { get; } = LatencyHistograms.Create();

    /// <summary>Microseconds from the actual write to the echo: what a tool without the correction would report.</summary>
    public LongHistogram Uncorrected { get; } = LatencyHistograms.Create();

    /// <summary>Sums before rounding to whole microseconds, so the mean is not rounded to the histogram's buckets.</summary>
    public double CorrectedSumMicros { get; private set; }

    public double UncorrectedSumMicros { get; private set; }

    public long Count => Corrected.TotalCount;

    /// <summary>
    /// With <c>--interval</c>: the corrected latencies again, in a recorder the monitor thread swaps at each interval's
    /// end (HdrHistogram's writer-reader phaser: the worker never waits and allocates nothing).
    /// </summary>
    public Recorder? Interval { get; private set; }

    public void EnableIntervals() => Interval ??= LatencyHistograms.CreateRecorder();

    public void Record(long dueTicks, long sentTicks, long receivedTicks)
    {
        long corrected = LatencyHistograms.ToMicros(receivedTicks - dueTicks, TicksPerSecond);
        long uncorrected = LatencyHistograms.ToMicros(receivedTicks - sentTicks, TicksPerSecond);
        Corrected.RecordValue(corrected);
        Uncorrected.RecordValue(uncorrected);
        Interval?.RecordValue(corrected);
        CorrectedSumMicros += (receivedTicks - dueTicks) * _microsPerTick;
        UncorrectedSumMicros += (receivedTicks - sentTicks) * _microsPerTick;
    }

    /// <summary>Adds another worker's record into this one.</summary>
    public void Add(LatencyRecorder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Corrected.Add(other.Corrected);
        Uncorrected.Add(other.Uncorrected);
        CorrectedSumMicros += other.CorrectedSumMicros;
        UncorrectedSumMicros += other.UncorrectedSumMicros;
    }
}
