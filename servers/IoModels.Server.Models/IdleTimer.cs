using System.Diagnostics;

namespace IoModels.Server.Models;

/// <summary>
/// The idle sweep of a model with no event loop of its own (blocking, saea): one timer for the whole server that runs
/// <c>sweep</c> every <see cref="IdleSweep.Interval"/>. Re-armed after each run rather than periodic, so two runs never
/// overlap however long one takes.
/// </summary>
internal sealed class IdleTimer : IDisposable
{
    private readonly Timer _timer;
    private readonly TimeSpan _interval;
    private readonly Action<long, long> _sweep;
    private readonly long _timeoutTicks;
    private volatile bool _disposed;

    /// <param name="sweep">Called with the current <see cref="Stopwatch"/> timestamp and the timeout in ticks.</param>
    private IdleTimer(IdleSweep idle, Action<long, long> sweep)
    {
        _interval = idle.Interval;
        _timeoutTicks = idle.TimeoutTicks;
        _sweep = sweep;
        _timer = new Timer(static state => ((IdleTimer)state!).Run(), this, _interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Null when <paramref name="timeout"/> is zero (off).</summary>
    public static IdleTimer? Start(TimeSpan timeout, Action<long, long> sweep)
    {
        var idle = new IdleSweep(timeout);
        return idle.Enabled ? new IdleTimer(idle, sweep) : null;
    }

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    private void Run()
    {
        if (_disposed)
        {
            return;
        }

        _sweep(Stopwatch.GetTimestamp(), _timeoutTicks);
        try
        {
            _timer.Change(_interval, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Stopped while this run was sweeping.
        }
    }
}
