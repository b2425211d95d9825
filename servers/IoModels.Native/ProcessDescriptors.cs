using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>
/// This process's descriptor numbers and their limit, for code that has to reach a particular number: a test that
/// needs descriptors above <see cref="FdSet.Capacity"/>.
/// </summary>
internal static unsafe partial class ProcessDescriptors
{
    private const int RlimitNofile = 7;

    /// <summary>
    /// Raises the soft RLIMIT_NOFILE to at least <paramref name="atLeast"/>, never beyond the hard limit, and returns
    /// the soft limit now in force (unchanged when it was already high enough).
    /// </summary>
    public static ulong RaiseSoftLimit(ulong atLeast)
    {
        Rlimit limit;
        if (getrlimit(RlimitNofile, &limit) == -1)
        {
            throw new ErrnoException("getrlimit(RLIMIT_NOFILE)", Marshal.GetLastPInvokeError());
        }

        if (limit.Current >= atLeast)
        {
            return limit.Current;
        }

        limit.Current = Math.Min(atLeast, limit.Maximum);
        if (setrlimit(RlimitNofile, &limit) == -1)
        {
            throw new ErrnoException("setrlimit(RLIMIT_NOFILE)", Marshal.GetLastPInvokeError());
        }

        return limit.Current;
    }

    /// <summary>A close-on-exec duplicate of <paramref name="fd"/> numbered <paramref name="lowest"/> or above (<c>F_DUPFD_CLOEXEC</c>).</summary>
    public static FileDescriptor DuplicateAtOrAbove(int fd, int lowest)
    {
        int duplicate = fcntl(fd, F_DUPFD_CLOEXEC, lowest);
        if (duplicate == -1)
        {
            int error = errno;
            throw new ErrnoException("fcntl(F_DUPFD_CLOEXEC)", error);
        }

        return new FileDescriptor(duplicate);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, Rlimit* limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, Rlimit* limit);

    /// <summary><c>struct rlimit</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
