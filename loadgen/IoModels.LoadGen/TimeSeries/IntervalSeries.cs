using HdrHistogram;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.Timing;

namespace IoModels.LoadGen.TimeSeries;

/// <summary>
/// The <c>--interval</c> time series, run on the monitor thread: at each interval's end it swaps every worker's
/// interval recorder, adds them into one histogram, and keeps a record (and an <c>.hlog</c> line). The workers only
/// record into their own recorder, so the hot path takes no lock and allocates nothing.
/// </summary>
internal sealed class IntervalSeries : IDisposable
{
    private readonly long _intervalTicks;
    private readonly WorkerStats[] _workers;
    private readonly Recorder[] _recorders;
    private readonly ConnectionTracker _tracker;
    private readonly RunTimeline _timeline;
    private readonly WallClockAnchor _anchor;
    private readonly HlogFile? _hlog;
    private readonly LongHistogram _sample = LatencyHistograms.Create();
    private readonly LongHistogram _interval = LatencyHistograms.Create();
    private readonly List<IntervalReport> _records = [];
    private long _intervalStart;
    private long _errorsBefore;
    private bool _begun;
    private long _openInMeasuredPhase;

    public IntervalSeries(TimeSpan interval, IReadOnlyList<WorkerStats> workers, ConnectionTracker tracker, RunTimeline timeline, WallClockAnchor anchor, string? hlogPath)
    {
        ArgumentNullException.ThrowIfNull(workers);
        _intervalTicks = Math.Max(1, (long)(interval.TotalSeconds * anchor.Frequency));
        _workers = [.. workers];
        _recorders = new Recorder[_workers.Length];
        for (int w = 0; w < _workers.Length; w++)
        {
            _workers[w].Latency.EnableIntervals();
            _recorders[w] = _workers[w].Latency.Interval!;
        }

        _tracker = tracker;
        _timeline = timeline;
        _anchor = anchor;
        _intervalStart = timeline.MeasureStartTicks;
        _hlog = hlogPath is null ? null : new HlogFile(hlogPath, anchor.ToUtc(timeline.MeasureStartTicks));
    }

    public IReadOnlyList<IntervalReport> Records => _records;

    /// <summary>
    /// When the monitor must next call <see cref="Tick"/>: the current interval's end; never, once that is the measured
    /// phase's end (<see cref="Finish"/> closes the last one), so the monitor does not wake through the drain.
    /// </summary>
    public long NextTicks
    {
        get
        {
            long next = _begun ? _intervalStart + _intervalTicks : _timeline.MeasureStartTicks;
            return next < _timeline.MeasureEndTicks ? next : long.MaxValue;
        }
    }

    /// <summary>Closes the intervals that have ended by <paramref name="now"/>; the last one is closed by <see cref="Finish"/>.</summary>
    public void Tick(long now)
    {
        if (!_begun && now >= _timeline.MeasureStartTicks)
        {
            // Errors of the warm-up are not the measured phase's.
            _errorsBefore = CountErrors();
            _begun = true;
        }

        if (now < _timeline.MeasureEndTicks)
        {
            // The last interval is closed after the workers have closed their connections: it reports the last count
            // read before the measured phase ended (the monitor wakes at least every tenth of a second). That reading can
            // still race the workers closing at the end, so the last interval's count is a lower bound.
            _openInMeasuredPhase = _tracker.Open;
        }

        while (_begun && _intervalStart + _intervalTicks <= Math.Min(now, _timeline.MeasureEndTicks) && _intervalStart + _intervalTicks < _timeline.MeasureEndTicks)
        {
            Close(_intervalStart + _intervalTicks);
        }
    }

    /// <summary>After the workers have joined: closes the last (possibly shorter) interval at the measured phase's end.</summary>
    public void Finish()
    {
        if (!_begun)
        {
            _errorsBefore = CountErrors();
            _begun = true;
        }

        while (_intervalStart + _intervalTicks < _timeline.MeasureEndTicks)
        {
            Close(_intervalStart + _intervalTicks);
        }

        if (_timeline.MeasureEndTicks > _intervalStart)
        {
            Close(_timeline.MeasureEndTicks);
        }
    }

    public void Dispose() => _hlog?.Dispose();

    private void Close(long end)
    {
        _interval.Reset();
        foreach (var recorder in _recorders)
        {
            recorder.GetIntervalHistogramInto(_sample);
            _interval.Add(_sample);
        }

        long errors = CountErrors();
        long count = _interval.TotalCount;
        _records.Add(new IntervalReport
        {
            Start = Math.Round((_intervalStart - _timeline.MeasureStartTicks) / (double)_anchor.Frequency, 6),
            Messages = count,
            Errors = errors - _errorsBefore,
            P50 = count > 0 ? _interval.GetValueAtPercentile(50) : 0,
            P99 = count > 0 ? _interval.GetValueAtPercentile(99) : 0,
            Max = count > 0 ? _interval.GetMaxValue() : 0,
            Open = end == _timeline.MeasureEndTicks ? _openInMeasuredPhase : _tracker.Open,
        });
        if (_hlog is not null)
        {
            _interval.StartTimeStamp = _anchor.ToUtc(_intervalStart).ToUnixTimeMilliseconds();
            _interval.EndTimeStamp = _anchor.ToUtc(end).ToUnixTimeMilliseconds();
            _hlog.Append(_interval);
        }

        _errorsBefore = errors;
        _intervalStart = end;
    }

    private long CountErrors()
    {
        long errors = 0;
        foreach (var stats in _workers)
        {
            errors += stats.Mismatches + stats.Timeouts + stats.Resets + stats.OtherErrors + stats.Failed;
        }

        return errors;
    }
}
