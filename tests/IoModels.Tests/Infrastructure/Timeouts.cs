namespace IoModels.Tests.Infrastructure;

/// <summary>Every wait in the suite is bounded by one of these; generous, because CI runs on a busy 2-core machine.</summary>
internal static class Timeouts
{
    /// <summary>One socket operation or one condition to become true.</summary>
    public static readonly TimeSpan Operation = TimeSpan.FromSeconds(20);

    /// <summary>A whole test case.</summary>
    public static readonly TimeSpan Case = TimeSpan.FromSeconds(90);

    public static CancellationToken After(TimeSpan timeout) => new CancellationTokenSource(timeout).Token;
}
