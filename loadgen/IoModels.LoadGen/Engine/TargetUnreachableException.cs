namespace IoModels.LoadGen.Engine;

/// <summary>Not even one connection to the target could be made: the run is not attempted (exit code 3).</summary>
public sealed class TargetUnreachableException : Exception
{
    public TargetUnreachableException()
    {
    }

    public TargetUnreachableException(string message)
        : base(message)
    {
    }

    public TargetUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
