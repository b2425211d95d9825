using IoModels.Native;

namespace IoModels.Server.Models.Scan;

/// <summary>
/// <c>poll</c>: one thread, libc <c>poll(2)</c> over a <c>pollfd</c> array kept across calls. The array is refilled
/// only when connections come or go; a connection's change of interest is written into its entry in place.
/// </summary>
/// <remarks>
/// No descriptor limit (the array grows), but every call copies the whole array into the kernel, which polls every
/// socket in it, and the loop then scans the whole array for the entries that have something to report: O(watched
/// connections) per wake-up, however few are busy. That cost is what this model exists to show.
/// </remarks>
internal sealed class PollServer : ScanServer
{
    private const int ListenerIndex = 0;
    private const int WakeIndex = 1;
    private const int FirstConnectionIndex = 2;

    private readonly PollSet _entries = new();

    // The slot of the connection in each entry from FirstConnectionIndex on, as of the last refill.
    private int[] _slotAt = new int[64];
    private bool _membershipChanged = true;
    private long _refills;

    public PollServer(ServerContext context)
        : base(context, "poll")
    {
    }

    /// <summary>How many times the array was refilled: once per pass in which connections came or went, never per echo.</summary>
    public long Refills => Interlocked.Read(ref _refills);

    protected override void Watch(ScanConnection connection) => _membershipChanged = true;

    protected override void Unwatch(ScanConnection connection) => _membershipChanged = true;

    protected override void WaitAndDispatch(bool accepting, int timeoutMilliseconds)
    {
        if (_membershipChanged)
        {
            Refill();
        }

        _entries.SetEvents(ListenerIndex, accepting ? PollSet.In : 0);
        int ready = _entries.Wait(timeoutMilliseconds);

        // Every entry is looked at until the reported count is used up: the scan poll's caller cannot avoid.
        for (int index = 0; index < _entries.Count && ready > 0; index++)
        {
            int events = _entries.ReturnedEvents(index);
            if (events == 0)
            {
                continue;
            }

            ready--;
            if (index == ListenerIndex)
            {
                AcceptPending();
            }
            else if (index == WakeIndex)
            {
                OnWake();
            }
            else if (Connections[_slotAt[index]] is { } connection && Dispatch(connection, events))
            {
                _entries.SetEvents(index, connection.Interest);
            }
        }
    }

    /// <summary>Rewrites the array from the connection table: the listener, the wake descriptor, then every connection.</summary>
    private void Refill()
    {
        _entries.Clear();
        _entries.Add(ListenerFd, PollSet.In);
        _entries.Add(WakeFd, PollSet.In);
        int count = Connections.Count;
        if (_slotAt.Length < FirstConnectionIndex + count)
        {
            Array.Resize(ref _slotAt, (FirstConnectionIndex + count) * 2);
        }

        // Walks the slots rather than taking a snapshot, so a connection coming or going allocates nothing here.
        for (int slot = 0, found = 0; found < count; slot++)
        {
            if (Connections[slot] is { } connection)
            {
                _slotAt[_entries.Add(connection.Fd, connection.Interest)] = slot;
                found++;
            }
        }

        _membershipChanged = false;
        Interlocked.Increment(ref _refills);
    }
}
