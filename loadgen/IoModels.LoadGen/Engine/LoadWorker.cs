using IoModels.LoadGen.Options;
using IoModels.LoadGen.Timing;
using IoModels.Native;
using Tmds.Linux;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// One dedicated thread driving a group of non-blocking sockets with its own epoll set: the loop both transports
/// share (when to scan, how long to sleep, the drain at the end of the run). <see cref="TcpLoadWorker"/> and
/// <see cref="UdpLoadWorker"/> say what a scan and a socket event do.
/// </summary>
/// <remarks>
/// Why this shape (measured, figures in loadgen/README.md): the async socket API hands every completion through the
/// runtime's epoll thread (and, by default, the thread pool), and a blocking thread per connection pays a context
/// switch per echo. A <c>Socket.Select</c> loop was the first design; it rebuilt its poll list on every wake-up and
/// the kernel walked every socket in it, which kept it at 0.7-0.8x the C client. Here each socket is registered
/// once, so a wake-up costs only the sockets that have something to say. Timeouts, due messages and connects are
/// found by a scan of the group, run only when something is due (at the latest every 10 ms). Nothing is allocated
/// per echo.
/// </remarks>
internal abstract class LoadWorker
{
    // How long a pass may sleep at most: bounds how late a timeout, a due message or the end of the run is noticed.
    private const long MaxWaitMicros = 10_000;

    // Events taken per epoll_wait; more simply wait for the next pass.
    private const int MaxEvents = 256;

    private EpollInstance? _epoll;
    private long _nextScanTicks;

    // Whether the next scan is for something due at that instant (a message, a connect): then it is waited for to
    // the microsecond. A scan only for timeouts may come a millisecond late.
    private bool _nextScanIsPrecise;
    private Thread? _thread;

    protected LoadWorker(int index, LoadOptions options, IClock clock, RunTimeline timeline)
    {
        Index = index;
        Options = options;
        Clock = clock;
        Timeline = timeline;
        Stats = new WorkerStats(clock.Frequency);
        TimeoutTicks = ToTicks(options.Timeout);
    }

    public int Index { get; }

    public WorkerStats Stats { get; }

    public Exception? Failure { get; private set; }

    protected LoadOptions Options { get; }

    protected IClock Clock { get; }

    protected RunTimeline Timeline { get; }

    /// <summary><c>--timeout</c> in clock ticks.</summary>
    protected long TimeoutTicks { get; }

    /// <summary>The worker's epoll set, while <see cref="Run"/> runs.</summary>
    protected EpollInstance Epoll => _epoll ?? throw new InvalidOperationException("the worker is not running");

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"loadgen worker {Index}" };
        _thread.Start();
    }

    public bool Join(TimeSpan timeout) => _thread is null || _thread.Join(timeout);

    /// <summary>The worker's loop, callable directly on the current thread.</summary>
    public void Run()
    {
        try
        {
            _epoll = EpollInstance.Create();
            Loop();
        }
        catch (Exception e)
        {
            Failure = e;
        }
        finally
        {
            CloseAll();
            _epoll?.Dispose();
        }
    }

    /// <summary>
    /// Walks the group for what no socket event announces (connects to start, timeouts, open-loop messages now due),
    /// calling <see cref="ScanBy"/> for the next thing due.
    /// </summary>
    protected abstract void Scan(long now, bool sending);

    /// <summary>Handles what epoll reported for the socket registered with <paramref name="token"/>.</summary>
    protected abstract void HandleEvents(int events, ulong token, long now, bool sending);

    /// <summary>
    /// In the drain after the measured phase (which lasts at most <c>--timeout</c>): whether it may end now. TCP: once
    /// every echo is back. UDP: never early, since duplicates and late echoes may still come after the last awaited one.
    /// </summary>
    protected abstract bool DrainMayEnd();

    /// <summary>At the end of the run (or after a failure): counts what is still missing and closes every socket.</summary>
    protected abstract void CloseAll();

    /// <summary>Ramp-up (<c>--connect-rate</c>): connection or flow <paramref name="id"/> starts id / rate seconds into the run.</summary>
    protected long RampUpTicks(int id) => Timeline.StartTicks + (Options.ConnectRate is double rate ? (long)(id * Clock.Frequency / rate) : 0);

    /// <summary>Open loop: the timetable of connection or flow <paramref name="id"/>; unused (default) in a closed loop.</summary>
    protected OpenLoopSchedule ScheduleOf(int id) =>
        Options.Rate is double total ? new OpenLoopSchedule(Timeline.StartTicks, Clock.Frequency, total, Options.Connections, id) : default;

    /// <summary>Makes sure a scan runs no later than <paramref name="ticks"/>.</summary>
    protected void ScanBy(long ticks)
    {
        if (ticks < _nextScanTicks)
        {
            _nextScanTicks = ticks;
            _nextScanIsPrecise = true;
        }
    }

    protected long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Clock.Frequency);

    private long ToTicks(long micros) => micros * Clock.Frequency / 1_000_000;

    private void Loop()
    {
        Span<epoll_event> events = stackalloc epoll_event[MaxEvents];
        long drainDeadline = long.MaxValue;
        while (true)
        {
            long now = Clock.GetTimestamp();
            bool sending = now < Timeline.MeasureEndTicks;
            if (!sending && drainDeadline == long.MaxValue)
            {
                drainDeadline = now + TimeoutTicks;
            }

            if (!sending && (now >= drainDeadline || DrainMayEnd()))
            {
                break;
            }

            if (now >= _nextScanTicks)
            {
                _nextScanTicks = Math.Min(now + ToTicks(MaxWaitMicros), drainDeadline);
                _nextScanIsPrecise = false;
                Scan(now, sending);
            }

            long waitMicros = Math.Max(0, (_nextScanTicks - now) * 1_000_000 / Clock.Frequency);
            // epoll_wait counts whole milliseconds. For a precise wake-up, wait the whole ones, then poll without
            // sleeping for the rest, so a message due in under 1 ms is not sent late (yielding between polls lets a
            // server on the same core run). Otherwise round up: spinning through the last millisecond of every 10 ms
            // cost a tenth of the worker's time.
            bool spin = _nextScanIsPrecise && waitMicros < 1_000;
            int count = Epoll.Wait(events, (int)(_nextScanIsPrecise ? waitMicros / 1_000 : (waitMicros + 999) / 1_000));
            if (count == 0)
            {
                if (spin && waitMicros > 0)
                {
                    Thread.Yield();
                }

                continue;
            }

            // One timestamp for everything this wake-up delivered: all of it had arrived by now.
            now = Clock.GetTimestamp();
            sending = now < Timeline.MeasureEndTicks;
            for (int i = 0; i < count; i++)
            {
                // Copied out: epoll_event is packed, so no reference into it.
                ulong token = events[i].data.u64;
                HandleEvents(events[i].events, token, now, sending);
            }
        }
    }
}
