namespace IoModels.Server.Models;

/// <summary>
/// The model cannot run on this machine (e.g. io_uring disabled by sysctl, blocked by seccomp, or a kernel too old):
/// not a bug and not a user's typo, but the host treats it like one: one line naming the reason, exit code 2.
/// </summary>
public sealed class ModelUnavailableException : Exception
{
    public ModelUnavailableException()
    {
    }

    public ModelUnavailableException(string message)
        : base(message)
    {
    }

    public ModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
