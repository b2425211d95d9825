namespace IoModels.LoadGen.Timing;

/// <summary>
/// One reading of the monotonic clock paired with UTC, taken together: maps the run's ticks to wall-clock times (for
/// the <c>.hlog</c> time stamps and the report) and a wall-clock <c>--start-at</c> to ticks.
/// </summary>
public readonly record struct WallClockAnchor(long Ticks, DateTimeOffset Utc, long Frequency)
{
    public static WallClockAnchor Capture(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return new WallClockAnchor(clock.GetTimestamp(), DateTimeOffset.UtcNow, clock.Frequency);
    }

    public DateTimeOffset ToUtc(long ticks) => Utc.AddSeconds((ticks - Ticks) / (double)Frequency);

    public long ToTicks(DateTimeOffset utc) => Ticks + (long)((utc - Utc).TotalSeconds * Frequency);
}
