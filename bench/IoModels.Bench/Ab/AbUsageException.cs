namespace IoModels.Bench.Ab;

/// <summary>
/// A mistake of the person running ab (a bad option, an unknown ref, a ref that does not build): reported as one line
/// on stderr and exit 2, never as a regression or a stack trace.
/// </summary>
public sealed class AbUsageException : Exception
{
    public AbUsageException()
    {
    }

    public AbUsageException(string message)
        : base(message)
    {
    }

    public AbUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
