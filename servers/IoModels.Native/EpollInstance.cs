using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>
/// One epoll instance (its flags are <see cref="EpollEvents"/>). Events are Tmds.LibC's <see cref="epoll_event"/> (packed on x64, as the kernel declares it;
/// a hand-written struct with natural alignment would put <c>data</c> at the wrong offset). Each registration
/// carries a caller-chosen 64-bit token in <c>data.u64</c>, returned with its events.
/// </summary>
internal sealed class EpollInstance : IDisposable
{
    private readonly FileDescriptor _fd;

    private EpollInstance(FileDescriptor fd) => _fd = fd;

    public static EpollInstance Create()
    {
        int fd = epoll_create1(EPOLL_CLOEXEC);
        if (fd == -1)
        {
            int error = errno;
            throw new ErrnoException("epoll_create1", error);
        }

        return new EpollInstance(new FileDescriptor(fd));
    }

    public void Add(int fd, int events, ulong token) => Control(EPOLL_CTL_ADD, fd, events, token, "epoll_ctl(ADD)");

    public void Modify(int fd, int events, ulong token) => Control(EPOLL_CTL_MOD, fd, events, token, "epoll_ctl(MOD)");

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> (-1: forever). Returns how many events were filled; 0 on timeout or a signal.</summary>
    public unsafe int Wait(Span<epoll_event> events, int timeoutMilliseconds)
    {
        int count;
        fixed (epoll_event* buffer = events)
        {
            count = epoll_wait(_fd.Number, buffer, events.Length, timeoutMilliseconds);
        }

        if (count == -1)
        {
            int error = errno;
            // A signal cut the wait short: the caller loops and waits again with a fresh timeout.
            if (Errno.IsInterrupted(error))
            {
                return 0;
            }

            throw new ErrnoException("epoll_wait", error);
        }

        return count;
    }

    public void Dispose() => _fd.Dispose();

    private unsafe void Control(int operation, int fd, int events, ulong token, string name)
    {
        epoll_event registration = default;
        registration.events = events;
        registration.data.u64 = token;
        if (epoll_ctl(_fd.Number, operation, fd, &registration) == -1)
        {
            int error = errno;
            throw new ErrnoException(name, error);
        }
    }
}
