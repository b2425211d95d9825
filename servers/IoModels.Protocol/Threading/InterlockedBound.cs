namespace IoModels.Protocol.Threading;

/// <summary>
/// Lock-free "keep the largest" and "keep the smallest" for a shared <see cref="long"/>: a peak counter raised by many
/// threads, or a deadline any thread may bring forward. One compare-and-swap loop, written once.
/// </summary>
public static class InterlockedBound
{
    /// <summary>Sets <paramref name="location"/> to <paramref name="value"/> if that is larger than what it holds.</summary>
    public static void RaiseTo(ref long location, long value)
    {
        long current = Volatile.Read(ref location);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Sets <paramref name="location"/> to <paramref name="value"/> if that is smaller than what it holds.</summary>
    public static void LowerTo(ref long location, long value)
    {
        long current = Volatile.Read(ref location);
        while (value < current)
        {
            long seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
