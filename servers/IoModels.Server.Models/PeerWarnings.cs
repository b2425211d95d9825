using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>
/// The rate limit on messages a remote peer can cause (<see cref="PeerWarningKind"/>): one instance per server, one
/// <see cref="TokenBucket"/> per kind. Any peer can open connections and break the protocol as fast as it likes, and
/// each message costs the logging thread a write; unlimited, a flood fills the logger's queue and an unread stderr
/// pipe stalls it. A refused message costs one interlocked increment and no allocation.
/// </summary>
/// <remarks>
/// What was refused is not lost: once a burst is over (a whole <see cref="SummaryInterval"/> with no refusal), one
/// line says how many messages of that kind were left out; during a flood that lasts, one line every
/// <see cref="LongBurstSummaries"/> intervals. The timer that writes those lines runs only while something is waiting
/// to be summarised, so a quiet server has no timer, and a stopped one none left behind.
/// </remarks>
public sealed class PeerWarnings : IDisposable
{
    /// <summary>Messages of one kind logged in a row before the limit applies.</summary>
    public const int Burst = 10;

    /// <summary>Once the burst is spent: one message of a kind per this interval.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How often refusals are looked at for a summary.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(1);

    /// <summary>During a flood that does not end, a summary after this many intervals anyway.</summary>
    public const int LongBurstSummaries = 10;

    private readonly ILogger _logger;
    private readonly TokenBucket[] _buckets;
    private readonly long[] _refusedAtLastLook;
    private readonly int[] _looksSinceSummary;
    private readonly Timer _summaryTimer;
    private readonly Lock _summaryGate = new();
    private int _timerArmed;

    public PeerWarnings(ILogger logger)
    {
        _logger = logger;
        int kinds = Enum.GetValues<PeerWarningKind>().Length;
        _buckets = new TokenBucket[kinds];
        for (int i = 0; i < kinds; i++)
        {
            _buckets[i] = new TokenBucket(Burst, Interval);
        }

        _refusedAtLastLook = new long[kinds];
        _looksSinceSummary = new int[kinds];
        // Not rooted while disarmed: a timer only stays alive in the runtime's queue while it is scheduled.
        _summaryTimer = new Timer(static state => ((PeerWarnings)state!).Summarise(final: false), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// True when a message of this kind may be logged now (and <paramref name="level"/> is enabled at all); false
    /// means: count it, do not format it.
    /// </summary>
    public bool TryLog(PeerWarningKind kind, LogLevel level)
    {
        if (!_logger.IsEnabled(level))
        {
            return false;
        }

        if (_buckets[(int)kind].TryTake())
        {
            return true;
        }

        if (Volatile.Read(ref _timerArmed) == 0 && Interlocked.CompareExchange(ref _timerArmed, 1, 0) == 0)
        {
            _summaryTimer.Change(SummaryInterval, SummaryInterval);
        }

        return false;
    }

    /// <summary>At stop: logs what is still uncounted and disarms the timer.</summary>
    public void Flush() => Summarise(final: true);

    public void Dispose() => _summaryTimer.Dispose();

    private void Summarise(bool final)
    {
        bool pending = false;
        lock (_summaryGate)
        {
            for (int i = 0; i < _buckets.Length; i++)
            {
                long refused = _buckets[i].Refused;
                if (refused == 0)
                {
                    continue;
                }

                bool burstOver = refused == _refusedAtLastLook[i];
                if (final || burstOver || ++_looksSinceSummary[i] >= LongBurstSummaries)
                {
                    _buckets[i].TakeRefused(refused);
                    _refusedAtLastLook[i] = 0;
                    _looksSinceSummary[i] = 0;
                    ServerLog.PeerWarningsSuppressed(_logger, refused, (PeerWarningKind)i, Burst, Interval.TotalSeconds);
                }
                else
                {
                    _refusedAtLastLook[i] = refused;
                    pending = true;
                }
            }

            if (pending)
            {
                return;
            }

            // Disarm, then look again: a refusal counted after the look above re-arms it (here or in TryLog).
            _summaryTimer.Change(Timeout.Infinite, Timeout.Infinite);
            Volatile.Write(ref _timerArmed, 0);
            foreach (var bucket in _buckets)
            {
                if (!final && bucket.Refused != 0 && Interlocked.CompareExchange(ref _timerArmed, 1, 0) == 0)
                {
                    _summaryTimer.Change(SummaryInterval, SummaryInterval);
                    return;
                }
            }
        }
    }
}
