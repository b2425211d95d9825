using System.Net.Sockets;
using IoModels.LoadGen.Monitoring;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.TimeSeries;
using IoModels.LoadGen.Timing;
using IoModels.LoadGen.Verification;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// Runs one load test: probes the target, opens the idle connections, starts the workers (TCP or UDP), samples the
/// server and prints progress on the calling thread, then merges the workers' counts into a <see cref="LoadReport"/>.
/// </summary>
public sealed class LoadRunner(LoadOptions options, IClock clock, ProgressLine? progress = null)
{
    private static readonly TimeSpan s_sampleInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_progressInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_censusSettleTime = TimeSpan.FromSeconds(2);

    /// <summary>Runs the test. <paramref name="cancellationToken"/> ends it early (Ctrl+C): the report covers what was measured.</summary>
    /// <exception cref="TargetUnreachableException">No connection to the target could be made.</exception>
    public LoadResult Run(CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var startedUtc = DateTimeOffset.UtcNow;
        TimeWaitCounters? timeWaitBefore = options.Transport == Transport.Tcp ? TimeWaitCounters.TryRead() : null;
        Probe();
        var tracker = new ConnectionTracker();
        using var idle = IdleConnections.Open(options, clock, tracker);
        var pattern = new PayloadPattern(options.Payload.Max);
        if (options.StartAt is { } startAt)
        {
            StartAtWait.UntilWarmup(startAt, options.Warmup, cancellationToken);
        }

        var anchor = WallClockAnchor.Capture(clock);
        long start = anchor.Ticks;
        long measureStart = options.StartAt is { } at ? Math.Max(start, anchor.ToTicks(at)) : start + ToTicks(options.Warmup);
        var timeline = new RunTimeline(start, measureStart, measureStart + ToTicks(options.Duration));
        var workers = CreateWorkers(pattern, timeline, tracker);
        using var intervals = options.Interval is { } every
            ? new IntervalSeries(every, [.. workers.Select(w => w.Stats)], tracker, timeline, anchor, options.HlogPath)
            : null;
        foreach (var worker in workers)
        {
            worker.Start();
        }

        var sampler = options.ServerPid is int pid ? new ServerSampler(pid) : null;
        var cost = new ClientCost();
        var kernel = options.Transport == Transport.Udp ? new UdpKernelWatch() : null;
        using (cancellationToken.Register(() => timeline.StopAt(clock.GetTimestamp())))
        {
            Monitor(workers, timeline, tracker, sampler, cost, kernel, intervals);
        }

        kernel?.Finish();

        intervals?.Finish();

        cost.Finish();

        progress?.Finish();
        var failed = workers.FirstOrDefault(w => w.Failure is not null);
        if (failed is not null)
        {
            throw new InvalidOperationException($"Load worker {failed.Index} failed: {failed.Failure!.Message}", failed.Failure);
        }

        var stats = new WorkerStats(clock.Frequency);
        foreach (var worker in workers)
        {
            stats.Add(worker.Stats);
        }

        idle.CountClosedByPeer();
        stats.Add(idle.Stats);
        int idleCount = idle.Count;
        long idleClosedByPeer = idle.Stats.ClosedByPeer;
        idle.Dispose();
        var census = SocketStateCensus.TakeSettled(options.EndPoint.Port, s_censusSettleTime);
        TimeWaitCounters? timeWait = timeWaitBefore is { } before && TimeWaitCounters.TryRead() is { } after ? after - before : null;
        var report = ReportBuilder.Build(options, stats, timeline, clock.Frequency, tracker.Peak, idleCount, idleClosedByPeer, sampler, cost, census, kernel, EnvironmentProbe.Capture(startedUtc));
        return new LoadResult(report with
        {
            SocketStates = report.SocketStates with { TimeWaitRecycled = timeWait?.Recycled, TimeWaitOverflowed = timeWait?.Overflowed },
            MeasuredPhase = new MeasuredPhaseReport { StartUtc = anchor.ToUtc(timeline.MeasureStartTicks), EndUtc = anchor.ToUtc(timeline.MeasureEndTicks) },
            LatencyHistogram = LatencyHistogramEncoding.Encode(stats.Latency.Corrected),
            Intervals = intervals?.Records,
        }, stats);
    }

    private void Probe()
    {
        if (options.Transport == Transport.Udp)
        {
            UdpProbe.Check(options);
            return;
        }

        var result = NonBlockingConnect.ConnectWithin(options.EndPoint, options.NoDelay, options.ConnectTimeout, out var socket);
        socket?.Dispose();
        if (result != SocketError.Success)
        {
            string reason = result == SocketError.TimedOut ? $"no answer within {options.ConnectTimeout.TotalSeconds:0.###}s" : result.ToString();
            throw new TargetUnreachableException($"cannot connect to {options.Target}: {reason}");
        }
    }

    private LoadWorker[] CreateWorkers(PayloadPattern pattern, RunTimeline timeline, ConnectionTracker tracker)
    {
        var workers = new LoadWorker[options.Threads];
        for (int w = 0; w < workers.Length; w++)
        {
            // Connection ids dealt round-robin, so a ramp-up spreads over every worker.
            var ids = Enumerable.Range(0, options.Connections).Where(id => id % workers.Length == w).ToArray();
            workers[w] = options.Transport == Transport.Udp
                ? new UdpLoadWorker(w, ids, options, pattern, clock, timeline, tracker)
                : new TcpLoadWorker(w, ids, options, pattern, clock, timeline, tracker);
        }

        return workers;
    }

    /// <summary>Waits for the workers, sampling the server through the measured phase and printing progress.</summary>
    private void Monitor(LoadWorker[] workers, RunTimeline timeline, ConnectionTracker tracker, ServerSampler? sampler, ClientCost cost, UdpKernelWatch? kernel, IntervalSeries? intervals)
    {
        long sampleInterval = ToTicks(s_sampleInterval);
        long progressInterval = ToTicks(s_progressInterval);
        long nextProgress = timeline.StartTicks + progressInterval;
        long nextSample = timeline.MeasureStartTicks;
        bool finalSampleTaken = false;
        int joined = 0;
        while (joined < workers.Length)
        {
            long now = clock.GetTimestamp();
            if (!cost.Started && now >= timeline.MeasureStartTicks)
            {
                // The counters first: reading them allocates, and the client's cost must not include that.
                kernel?.Start();
                cost.Start();
            }

            if (now >= timeline.MeasureEndTicks)
            {
                cost.Finish();
            }

            intervals?.Tick(now);

            if (sampler is not null && !finalSampleTaken)
            {
                if (now >= timeline.MeasureEndTicks)
                {
                    sampler.Sample();
                    finalSampleTaken = true;
                }
                else if (now >= nextSample)
                {
                    sampler.Sample();
                    nextSample = now + sampleInterval;
                }
            }

            if (progress is not null && now >= nextProgress)
            {
                WriteProgress(workers, timeline, tracker, now);
                nextProgress += progressInterval;
            }

            // Sleep until the next thing to do, but never past the start or end of the measured phase.
            // Without progress lines, nextProgress never advances: counting it would wake this thread every millisecond,
            // preempting a worker that shares its core.
            long next = Math.Min(progress is null ? long.MaxValue : nextProgress, cost.Finished ? long.MaxValue : cost.Started ? timeline.MeasureEndTicks : timeline.MeasureStartTicks);
            if (sampler is not null && !finalSampleTaken)
            {
                next = Math.Min(next, Math.Min(nextSample, timeline.MeasureEndTicks));
            }

            next = Math.Min(next, intervals?.NextTicks ?? long.MaxValue);
            var wait = TimeSpan.FromSeconds(Math.Clamp((next - clock.GetTimestamp()) / (double)clock.Frequency, 0.001, 0.1));
            if (workers[joined].Join(wait))
            {
                joined++;
            }
        }
    }

    private void WriteProgress(LoadWorker[] workers, RunTimeline timeline, ConnectionTracker tracker, long now)
    {
        long messages = 0, failed = 0, timeouts = 0, mismatches = 0, lost = 0;
        foreach (var worker in workers)
        {
            messages += worker.Stats.MessagesTotal;
            failed += worker.Stats.Failed;
            timeouts += worker.Stats.Timeouts;
            mismatches += worker.Stats.Mismatches;
            lost += worker.Stats.Udp.Lost;
        }

        progress!.Write(now, clock.Frequency, timeline, messages, tracker.Open, failed, timeouts, mismatches, options.Transport == Transport.Udp ? lost : null);
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * clock.Frequency);
}
