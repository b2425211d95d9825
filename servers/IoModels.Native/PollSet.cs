using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>
/// The <c>pollfd</c> array one <c>poll(2)</c> loop hands the kernel on every call: kept between calls, so an entry's
/// <c>events</c> can change in place, and refilled (<see cref="Clear"/>, <see cref="Add"/>) only when the set of
/// descriptors changes. Not thread-safe: the loop thread alone uses it.
/// </summary>
internal sealed unsafe class PollSet
{
    private pollfd[] _entries = new pollfd[64];

    /// <summary>Entries in use, from index 0.</summary>
    public int Count { get; private set; }

    /// <summary>Readable, or a connection waiting on a listener.</summary>
    public static int In => POLLIN;

    /// <summary>Writable.</summary>
    public static int Out => POLLOUT;

    /// <summary>An error is pending; always reported, never asked for.</summary>
    public static int Error => POLLERR;

    /// <summary>Both directions are shut (e.g. the peer reset); always reported, never asked for.</summary>
    public static int HangUp => POLLHUP;

    /// <summary>Empties the array; the next <see cref="Add"/> is index 0.</summary>
    public void Clear() => Count = 0;

    /// <summary>Appends <paramref name="fd"/> asking for <paramref name="events"/>; returns its index.</summary>
    public int Add(int fd, int events)
    {
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        ref var entry = ref _entries[Count];
        entry.fd = fd;
        entry.events = (short)events;
        entry.revents = 0;
        return Count++;
    }

    /// <summary>Changes what entry <paramref name="index"/> asks for, without a system call (the kernel reads it next call).</summary>
    public void SetEvents(int index, int events) => _entries[index].events = (short)events;

    /// <summary>What the last <see cref="Wait"/> reported for entry <paramref name="index"/> (0: nothing).</summary>
    public int ReturnedEvents(int index) => (ushort)_entries[index].revents;

    /// <summary>
    /// <c>poll(2)</c> over every entry, up to <paramref name="timeoutMilliseconds"/> (-1: no limit). Returns how many
    /// entries have something to report; 0 on timeout or EINTR (the loop simply goes round again).
    /// </summary>
    public int Wait(int timeoutMilliseconds)
    {
        int ready;
        fixed (pollfd* entries = _entries)
        {
            ready = poll(entries, (uint)Count, timeoutMilliseconds);
        }

        if (ready == -1)
        {
            int error = errno;
            if (Errno.IsInterrupted(error))
            {
                return 0;
            }

            throw new ErrnoException("poll", error);
        }

        return ready;
    }
}
