using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>
/// A counter descriptor another thread writes to wake an event loop blocked in <c>epoll_wait</c> (register
/// <see cref="Number"/> for <see cref="EpollEvents.In"/>). Non-blocking, so a spurious drain never blocks the loop.
/// </summary>
internal sealed class EventFd : IDisposable
{
    private readonly FileDescriptor _fd;

    private EventFd(FileDescriptor fd) => _fd = fd;

    /// <summary>For the owning loop's registration.</summary>
    public int Number => _fd.Number;

    public static EventFd Create()
    {
        int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd == -1)
        {
            int error = errno;
            throw new ErrnoException("eventfd", error);
        }

        return new EventFd(new FileDescriptor(fd));
    }

    /// <summary>Makes the descriptor readable. Safe from any thread, also while or after the loop disposes it.</summary>
    public unsafe void Signal()
    {
        // Called from other threads: hold a reference so the loop cannot close the descriptor (and the kernel hand
        // its number to a new socket) between our check and our write.
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            ulong one = 1;
            // EAGAIN means the counter is already at its maximum, i.e. already signalled; nothing else can fail here.
            while (write(_fd.Number, &one, sizeof(ulong)) == -1 && Errno.IsInterrupted(errno))
            {
            }
        }
        catch (ObjectDisposedException)
        {
            // The loop already ended and closed it: nothing left to wake.
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>Consumes pending signals, on the loop thread.</summary>
    public unsafe void Reset()
    {
        ulong value;
        while (read(_fd.Number, &value, sizeof(ulong)) == -1 && Errno.IsInterrupted(errno))
        {
        }
    }

    public void Dispose() => _fd.Dispose();
}
