using System.Diagnostics;

namespace IoModels.Server.Models;

/// <summary>
/// The idle timeout's clock (<c>--idle-timeout</c>, docs/server.md#idle-timeout): one per event loop, or one timer per
/// server for the models without a loop of their own. Instead of a timer per connection, every
/// <see cref="Interval"/> the owner walks its connections once and asks each session
/// (<see cref="EchoSession.TryExpire"/>) whether it made progress since the last walk.
/// </summary>
/// <remarks>
/// A connection is closed no sooner than the timeout after its last progress and no later than two intervals after
/// that: the walk that first sees the progress may come up to an interval after it, and the walk that finds the
/// timeout passed up to an interval after that. The interval is a quarter of the timeout, so a connection lives at
/// most one and a half timeouts without progress, and 15,000 connections cost one pass over them per interval.
/// </remarks>
internal sealed class IdleSweep
{
    /// <summary>The finest interval: a tiny timeout does not make the loop wake more often than this.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);

    private readonly long _intervalTicks;
    private long _nextDue;

    public IdleSweep(TimeSpan timeout)
    {
        Enabled = timeout > TimeSpan.Zero;
        TimeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        Interval = Enabled ? TimeSpan.FromTicks(Math.Max(MinInterval.Ticks, timeout.Ticks / 4)) : Timeout.InfiniteTimeSpan;
        _intervalTicks = (long)(Interval.TotalSeconds * Stopwatch.Frequency);
        _nextDue = Stopwatch.GetTimestamp() + _intervalTicks;
    }

    public bool Enabled { get; }

    public TimeSpan Interval { get; }

    /// <summary>The timeout in <see cref="Stopwatch"/> ticks, for <see cref="EchoSession.TryExpire"/>.</summary>
    public long TimeoutTicks { get; }

    /// <summary>For a wait's timeout: milliseconds until the next walk is due (at least 1), or -1 when off.</summary>
    public int MillisecondsUntilDue()
    {
        if (!Enabled)
        {
            return -1;
        }

        long remaining = _nextDue - Stopwatch.GetTimestamp();
        return remaining <= 0 ? 0 : Math.Max(1, (int)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency));
    }

    /// <summary>True when a walk is due (and schedules the next); <paramref name="now"/> is the time to pass each session.</summary>
    public bool TryBegin(out long now)
    {
        now = Stopwatch.GetTimestamp();
        if (!Enabled || now < _nextDue)
        {
            return false;
        }

        _nextDue = now + _intervalTicks;
        return true;
    }

    /// <summary>The shorter of two wait timeouts in milliseconds, where -1 means none.</summary>
    public static int Earlier(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);
}
