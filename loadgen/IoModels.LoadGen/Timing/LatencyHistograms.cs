using HdrHistogram;

namespace IoModels.LoadGen.Timing;

/// <summary>How every latency histogram of the load generator is made: microseconds, 3 significant digits, up to an hour.</summary>
public static class LatencyHistograms
{
    /// <summary>One hour in microseconds: far above the 60 s the issue asks for, so a stall never falls off the scale.</summary>
    public const long HighestTrackableMicros = 3_600_000_000;

    /// <summary>3 digits: any value is recorded within 0.1 % (HdrHistogram's usual precision; wrk2 uses the same).</summary>
    public const int SignificantDigits = 3;

    public static LongHistogram Create() => new(HighestTrackableMicros, SignificantDigits);

    /// <summary>A recorder for interval histograms (<c>--interval</c>), of the same range and precision.</summary>
    public static Recorder CreateRecorder() => new(
        1,
        HighestTrackableMicros,
        SignificantDigits,
        (instanceId, lowest, highest, digits) => new LongHistogram(instanceId, lowest, highest, digits));

    /// <summary>Ticks of <paramref name="ticksPerSecond"/> to whole microseconds, clamped to the histogram's range.</summary>
    public static long ToMicros(long ticks, long ticksPerSecond)
    {
        long micros = ticksPerSecond == 1_000_000 ? ticks : (long)(ticks * (1_000_000.0 / ticksPerSecond));
        return Math.Clamp(micros, 0, HighestTrackableMicros);
    }
}
