using System.Runtime.InteropServices;

namespace IoModels.Native;

/// <summary>
/// libc's <c>select(2)</c>, which Tmds.LibC does not bind. Two forms: the standard one over <see cref="FdSet"/>
/// (what a C program compiled against glibc passes), and one over a bitmap of any size, to show that the
/// <c>FD_SETSIZE</c> limit is glibc's type, not the kernel's: the system call reads as many bits as
/// <c>nfds</c> says.
/// </summary>
internal static unsafe partial class LibcSelect
{
    /// <summary>
    /// Waits until a descriptor in <paramref name="read"/> is readable or one in <paramref name="write"/> writable, or
    /// <paramref name="timeoutMilliseconds"/> pass (-1: no limit). The sets are overwritten with the ready descriptors.
    /// Returns the number of bits left set, 0 on timeout or EINTR (the sets are then undefined: the caller goes round again).
    /// </summary>
    public static int Select(int nfds, ref FdSet read, ref FdSet write, int timeoutMilliseconds)
    {
        fixed (FdSet* readSet = &read)
        fixed (FdSet* writeSet = &write)
        {
            return Select(nfds, (ulong*)readSet, (ulong*)writeSet, timeoutMilliseconds);
        }
    }

    /// <summary>
    /// The same call over caller-sized bitmaps of <c>ceil(nfds / 64)</c> words each (null: no such set): the form that
    /// reaches descriptors above <see cref="FdSet.Capacity"/>.
    /// </summary>
    public static int Select(int nfds, ulong* read, ulong* write, int timeoutMilliseconds)
    {
        Timeval timeout = new() { Seconds = timeoutMilliseconds / 1000, Microseconds = timeoutMilliseconds % 1000 * 1000 };
        int ready = select(nfds, read, write, null, timeoutMilliseconds < 0 ? null : &timeout);
        if (ready == -1)
        {
            int error = Marshal.GetLastPInvokeError();
            if (Errno.IsInterrupted(error))
            {
                return 0;
            }

            throw new ErrnoException("select", error);
        }

        return ready;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int select(int nfds, ulong* readfds, ulong* writefds, ulong* exceptfds, Timeval* timeout);

    /// <summary><c>struct timeval</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }
}
