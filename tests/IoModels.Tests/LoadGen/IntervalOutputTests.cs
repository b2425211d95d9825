using HdrHistogram;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Timing;
using IoModels.Protocol;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.LoadGen;

/// <summary><c>--interval</c>: the report's intervals and the <c>.hlog</c> account for every measured echo.</summary>
public sealed class IntervalOutputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("iomodels-interval-").FullName;

    [Fact]
    public async Task Intervals_and_the_interval_log_add_up_to_the_run()
    {
        await using var server = InProcessServer.Start("select", Framing.Framed);
        string hlog = Path.Combine(_folder, "run.hlog");
        var options = new LoadOptions
        {
            Target = server.EndPoint.ToString(),
            EndPoint = server.EndPoint,
            Duration = TimeSpan.FromMilliseconds(1000),
            Warmup = TimeSpan.FromMilliseconds(100),
            Connections = 2,
            Threads = 2,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            Timeout = TimeSpan.FromSeconds(2),
            Progress = false,
            Interval = TimeSpan.FromMilliseconds(250),
            HlogPath = hlog,
        };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        var intervals = report.Intervals!;
        Assert.InRange(intervals.Count, 4, 5);
        Assert.True(report.Messages > 0);
        Assert.Equal(report.Messages, intervals.Sum(i => i.Messages));
        Assert.Equal(0, intervals.Sum(i => i.Errors));
        Assert.Equal(0, intervals[0].Start);
        Assert.True(intervals.Zip(intervals.Skip(1)).All(p => p.First.Start < p.Second.Start));
        // The last interval's count is the monitor's last reading before the end, which can race the workers closing
        // their connections at that end: only the intervals before it must see both connections open.
        Assert.All(intervals.SkipLast(1), i => Assert.Equal(2, i.Open));
        Assert.InRange(intervals[^1].Open, 0, 2);
        Assert.All(intervals.Where(i => i.Messages > 0), i => Assert.True(i.P50 <= i.P99 && i.P99 <= i.Max));
        Assert.Equal(report.LatencyMicros.Max, intervals.Max(i => i.Max));

        byte[] bytes = await File.ReadAllBytesAsync(hlog);
        Assert.Equal((byte)'#', bytes[0]);
        using var reader = new HistogramLogReader(new MemoryStream(bytes));
        var logged = reader.ReadHistograms().ToList();
        Assert.Equal(intervals.Count, logged.Count);
        Assert.Equal(report.Messages, logged.Sum(h => h.TotalCount));
        Assert.Equal(intervals.Select(i => i.P99), logged.Select(h => h.TotalCount > 0 ? h.GetValueAtPercentile(99) : 0));
        Assert.True(logged.Zip(logged.Skip(1)).All(p => p.First.EndTimeStamp <= p.Second.StartTimeStamp + 1));

        var whole = LatencyHistogramEncoding.Decode(report.LatencyHistogram!);
        Assert.Equal(report.Messages, whole.TotalCount);
        Assert.Equal(report.LatencyMicros.P99, whole.GetValueAtPercentile(99));
        Assert.True(report.MeasuredPhase!.EndUtc > report.MeasuredPhase.StartUtc);
    }

    [Fact]
    public async Task Start_at_begins_the_measured_phase_at_the_given_time()
    {
        await using var server = InProcessServer.Start("select", Framing.Framed);
        var startAt = DateTimeOffset.UtcNow.AddMilliseconds(600);
        var options = new LoadOptions
        {
            Target = server.EndPoint.ToString(),
            EndPoint = server.EndPoint,
            Duration = TimeSpan.FromMilliseconds(300),
            Warmup = TimeSpan.FromMilliseconds(100),
            Connections = 1,
            Threads = 1,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            Timeout = TimeSpan.FromSeconds(2),
            Progress = false,
            StartAt = startAt,
        };

        var report = new LoadRunner(options, SystemClock.Instance).Run().Report;

        // Never before the given time (rounding aside); later only if this process itself started late. Without
        // --start-at the measured phase would begin after the 100 ms warm-up, well before it.
        Assert.True(report.MeasuredPhase!.StartUtc >= startAt - TimeSpan.FromMilliseconds(1), $"{report.MeasuredPhase.StartUtc:O} < {startAt:O}");
        Assert.True(report.Messages > 0);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
