namespace IoModels.LoadGen.Timing;

/// <summary>
/// <c>--start-at</c>: waits, before any load, until the warm-up must begin so the measured phase starts at the given
/// time. A process started later than that warms up for whatever time is left.
/// </summary>
public static class StartAtWait
{
    /// <summary>Returns early on Ctrl+C: the run then stops as soon as it starts and reports an empty measured phase.</summary>
    public static void UntilWarmup(DateTimeOffset startAt, TimeSpan warmup, CancellationToken cancellationToken)
    {
        var wait = startAt - warmup - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            cancellationToken.WaitHandle.WaitOne(wait);
        }
    }
}
