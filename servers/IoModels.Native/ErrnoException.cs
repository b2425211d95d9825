namespace IoModels.Native;

/// <summary>A system call failed in a way the caller cannot handle: carries the call, the errno value and its text.</summary>
internal sealed class ErrnoException : IOException
{
    public ErrnoException(string operation, int error)
        : base($"{operation} failed: {Errno.Describe(error)}")
    {
        Operation = operation;
        Error = error;
    }

    public string Operation { get; }

    /// <summary>The errno value, as read straight after the call.</summary>
    public int Error { get; }
}
