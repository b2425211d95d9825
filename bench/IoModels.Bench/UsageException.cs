namespace IoModels.Bench;

/// <summary>A mistake in the command line or in the scenario file it names: one line on stderr and exit 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
