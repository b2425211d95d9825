using HdrHistogram;
using IoModels.LoadGen.Timing;

namespace IoModels.Tests.LoadGen;

/// <summary>
/// The latency arithmetic on a fake clock: a server that answers in 100 µs except for one 1-second stall, driven
/// at 1,000 messages/s over one connection with one message in flight (the wrk2 set-up).
/// </summary>
public sealed class CoordinatedOmissionTests
{
    private const long Service = 100;
    private const long StallStart = 500_000;
    private const long StallEnd = 1_500_000;
    private const int Messages = 2_000;

    [Fact]
    public void Schedule_spreads_the_rate_evenly_over_connections()
    {
        var first = new OpenLoopSchedule(startTicks: 1_000, ticksPerSecond: 1_000_000, totalRate: 4_000, connections: 4, connectionIndex: 0);
        var third = new OpenLoopSchedule(startTicks: 1_000, ticksPerSecond: 1_000_000, totalRate: 4_000, connections: 4, connectionIndex: 2);

        // Each connection sends 1,000/s (every 1,000 µs); connection 2 runs half an interval behind connection 0.
        Assert.Equal(1_000, first.DueTicks(0));
        Assert.Equal(2_000, first.DueTicks(1));
        Assert.Equal(1_500, third.DueTicks(0));
        Assert.Equal(1_001_500, third.DueTicks(1_000));
    }

    [Fact]
    public void Schedule_does_not_drift_over_millions_of_messages()
    {
        var schedule = new OpenLoopSchedule(startTicks: 0, ticksPerSecond: 1_000_000_000, totalRate: 3, connections: 1, connectionIndex: 0);

        // 1/3 s intervals: 3,000,000 messages take exactly 1,000,000 s.
        Assert.Equal(1_000_000L * 1_000_000_000, schedule.DueTicks(3_000_000));
    }

    [Fact]
    public void Stalled_server_shows_in_corrected_percentiles_but_hides_in_uncorrected_ones()
    {
        var recorder = Simulate();

        // Uncorrected: only the one message that was in flight during the stall waited; p99 sees nothing.
        Assert.Equal(Messages, recorder.Count);
        Assert.InRange(recorder.Uncorrected.GetValueAtPercentile(99), Service, Service + 1);
        Assert.InRange(recorder.Uncorrected.GetMaxValue(), 999_000, 1_001_000);

        // Corrected: every message due during the stall is charged from its due time: half the run was stalled.
        Assert.True(recorder.Corrected.GetValueAtPercentile(50) > 1_000, $"p50 {recorder.Corrected.GetValueAtPercentile(50)}");
        Assert.True(recorder.Corrected.GetValueAtPercentile(90) > 500_000, $"p90 {recorder.Corrected.GetValueAtPercentile(90)}");
        Assert.InRange(recorder.Corrected.GetMaxValue(), 999_000, 1_001_000);
        Assert.True(recorder.CorrectedSumMicros / Messages > 100 * (recorder.UncorrectedSumMicros / Messages));
    }

    [Fact]
    public void Without_a_stall_both_figures_are_the_service_time()
    {
        var recorder = Simulate(stall: false);

        Assert.Equal(Service, recorder.Corrected.GetValueAtPercentile(99.99));
        Assert.Equal(Service, recorder.Uncorrected.GetValueAtPercentile(99.99));
        Assert.Equal(Service, recorder.CorrectedSumMicros / Messages, precision: 6);
    }

    [Fact]
    public void Merging_workers_adds_their_counts()
    {
        var a = new LatencyRecorder(1_000_000);
        var b = new LatencyRecorder(1_000_000);
        a.Record(dueTicks: 0, sentTicks: 0, receivedTicks: 10);
        b.Record(dueTicks: 0, sentTicks: 50, receivedTicks: 100);

        a.Add(b);

        Assert.Equal(2, a.Count);
        Assert.Equal(100, a.Corrected.GetMaxValue());
        Assert.Equal(55, a.CorrectedSumMicros / 2, precision: 6);
        Assert.Equal(30, a.UncorrectedSumMicros / 2, precision: 6);
    }

    [Fact]
    public void Ticks_convert_to_microseconds_and_clamp_to_the_histogram_range()
    {
        Assert.Equal(1_500, LatencyHistograms.ToMicros(1_500_000, 1_000_000_000));
        Assert.Equal(LatencyHistograms.HighestTrackableMicros, LatencyHistograms.ToMicros(long.MaxValue / 2, 1_000_000));
        Assert.Equal(0, LatencyHistograms.ToMicros(-5, 1_000_000));
        Assert.True(LatencyHistograms.HighestTrackableMicros >= 60_000_000);
    }

    /// <summary>
    /// One connection, one message in flight: a message is written at its due time, or when the previous echo
    /// returned if that is later (the client cannot send sooner: coordinated omission in the making).
    /// </summary>
    private static LatencyRecorder Simulate(bool stall = true)
    {
        var clock = new FakeClock();
        var recorder = new LatencyRecorder(clock.Frequency);
        var schedule = new OpenLoopSchedule(startTicks: 0, clock.Frequency, totalRate: 1_000, connections: 1, connectionIndex: 0);
        long previousEcho = 0;
        for (int i = 0; i < Messages; i++)
        {
            long due = schedule.DueTicks(i);
            clock.AdvanceTo(Math.Max(due, previousEcho));
            long sent = clock.GetTimestamp();
            long answered = sent + Service;
            if (stall && answered > StallStart && sent < StallEnd)
            {
                answered = Math.Max(answered, StallEnd);
            }

            clock.AdvanceTo(answered);
            recorder.Record(due, sent, clock.GetTimestamp());
            previousEcho = clock.GetTimestamp();
        }

        return recorder;
    }
}
