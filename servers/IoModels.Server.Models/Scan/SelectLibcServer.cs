using IoModels.Native;

namespace IoModels.Server.Models.Scan;

/// <summary>
/// <c>select-libc</c>: one thread, libc <c>select(2)</c> over the standard 1,024-bit <c>fd_set</c>
/// (<see cref="FdSet"/>), written as a C program writes it: two interest sets kept up to date with
/// <c>FD_SET</c>/<c>FD_CLR</c>, copied for each call (select overwrites its arguments), then <c>FD_ISSET</c> on
/// every descriptor up to the highest.
/// </summary>
/// <remarks>
/// A descriptor numbered <see cref="FdSet.Capacity"/> or above has no bit in the set. Such a connection is closed
/// the moment it is accepted and counted (<see cref="DescriptorLimitRefusals"/>); every connection below the limit
/// is served as before. The table from descriptor to connection is as big as the set, since a descriptor's number
/// is its only name in select's answer.
/// </remarks>
internal sealed class SelectLibcServer : ScanServer
{
    private readonly ScanConnection?[] _byDescriptor = new ScanConnection?[FdSet.Capacity];
    private readonly DescriptorLimitRefusals _refusals;
    private FdSet _readInterest;
    private FdSet _writeInterest;

    // The highest descriptor in either set, the listener and the wake descriptor included: select's nfds minus one.
    private int _highest;

    public SelectLibcServer(ServerContext context)
        : base(context, "select-libc")
    {
        _refusals = new DescriptorLimitRefusals(context, FdSet.Capacity);
        if (!FdSet.CanHold(ListenerFd) || !FdSet.CanHold(WakeFd))
        {
            CloseAll();
            throw new ModelUnavailableException(
                $"select-libc needs its listener and wake descriptors below FD_SETSIZE ({FdSet.Capacity}); this process already has descriptors {ListenerFd} and {WakeFd} open");
        }

        _highest = Math.Max(ListenerFd, WakeFd);
    }

    protected override bool CanWatch(int fd)
    {
        if (FdSet.CanHold(fd))
        {
            return true;
        }

        _refusals.Refuse(fd);
        return false;
    }

    protected override void Watch(ScanConnection connection)
    {
        _byDescriptor[connection.Fd] = connection;
        Refresh(connection);
        _highest = Math.Max(_highest, connection.Fd);
    }

    protected override void Unwatch(ScanConnection connection)
    {
        int fd = connection.Fd;
        _readInterest.Remove(fd);
        _writeInterest.Remove(fd);
        _byDescriptor[fd] = null;
        while (_highest > Math.Max(ListenerFd, WakeFd) && _byDescriptor[_highest] is null)
        {
            _highest--;
        }
    }

    protected override void WaitAndDispatch(bool accepting, int timeoutMilliseconds)
    {
        var read = _readInterest;
        var write = _writeInterest;
        read.Add(WakeFd);
        if (accepting)
        {
            read.Add(ListenerFd);
        }

        int nfds = _highest + 1;
        int ready = LibcSelect.Select(nfds, ref read, ref write, timeoutMilliseconds);

        // Every descriptor up to the highest is tested until the reported count is used up: select's own scan.
        for (int fd = 0; fd < nfds && ready > 0; fd++)
        {
            bool readable = read.Contains(fd);
            bool writable = write.Contains(fd);
            if (!readable && !writable)
            {
                continue;
            }

            ready -= (readable ? 1 : 0) + (writable ? 1 : 0);
            if (fd == ListenerFd)
            {
                AcceptPending();
            }
            else if (fd == WakeFd)
            {
                OnWake();
            }
            else if (_byDescriptor[fd] is { } connection
                && Dispatch(connection, (readable ? PollSet.In : 0) | (writable ? PollSet.Out : 0)))
            {
                Refresh(connection);
            }
        }
    }

    /// <summary>Brings the connection's bits in the interest sets in line with what it wants now.</summary>
    private void Refresh(ScanConnection connection)
    {
        int interest = connection.Interest;
        Set(ref _readInterest, connection.Fd, (interest & PollSet.In) != 0);
        Set(ref _writeInterest, connection.Fd, (interest & PollSet.Out) != 0);
    }

    private static void Set(ref FdSet set, int fd, bool on)
    {
        if (on)
        {
            set.Add(fd);
        }
        else
        {
            set.Remove(fd);
        }
    }
}
