namespace IoModels.Protocol.CommandLine;

/// <summary>A user's mistake on the command line: printed as one line on stderr, exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
