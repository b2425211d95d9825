using System.Diagnostics;

namespace IoModels.Server.Models;

/// <summary>
/// A token bucket in one <see langword="long"/> (the generic cell rate algorithm): up to <c>burst</c> admissions at
/// once, then one per <c>interval</c>. Lock-free and allocation-free, so any thread of any model may ask it before
/// logging, and it remembers how many it refused.
/// </summary>
/// <remarks>
/// The state is the theoretical time at which the bucket is full again; an admission pushes it one interval later,
/// and an admission is refused while that would put it more than <c>burst</c> intervals ahead of now.
/// </remarks>
public sealed class TokenBucket
{
    private readonly long _interval;
    private readonly long _burstSpan;
    private long _fullAt;
    private long _refused;

    public TokenBucket(int burst, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _interval = Math.Max(1, (long)(interval.TotalSeconds * Stopwatch.Frequency));
        _burstSpan = _interval * burst;
    }

    /// <summary>Refusals not yet taken by <see cref="TakeRefused"/>.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>True: go ahead. False: refused, and counted.</summary>
    public bool TryTake()
    {
        long now = Stopwatch.GetTimestamp();
        long fullAt = Interlocked.Read(ref _fullAt);
        while (true)
        {
            long next = Math.Max(fullAt, now) + _interval;
            if (next - now > _burstSpan)
            {
                Interlocked.Increment(ref _refused);
                return false;
            }

            long seen = Interlocked.CompareExchange(ref _fullAt, next, fullAt);
            if (seen == fullAt)
            {
                return true;
            }

            fullAt = seen;
        }
    }

    /// <summary>Subtracts <paramref name="count"/> (a value read from <see cref="Refused"/>) from the refusals.</summary>
    public void TakeRefused(long count) => Interlocked.Add(ref _refused, -count);
}
