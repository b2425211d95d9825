namespace IoModels.Server.Models.Epoll;

/// <summary>
/// The loop's connections, indexed by the slot number each registration carries in <c>epoll_event.data</c>: an
/// array lookup per event, no hashing and no allocation. A slot freed while a batch of events is being handled is
/// reused only after the batch (<see cref="EndBatch"/>), so a later event of that batch for the closed connection
/// finds an empty slot instead of a new connection that happens to have the same number.
/// </summary>
internal sealed class ConnectionTable
{
    private EpollConnection?[] _slots = new EpollConnection?[64];
    private int[] _free = new int[64];
    private int _freeCount;
    private int[] _released = new int[64];
    private int _releasedCount;
    private int _used;

    public int Count { get; private set; }

    /// <summary>The connection in <paramref name="slot"/>, or null if it closed earlier in this batch.</summary>
    public EpollConnection? this[int slot] => _slots[slot];

    /// <summary>A slot for a new connection.</summary>
    public int Reserve()
    {
        if (_freeCount > 0)
        {
            return _free[--_freeCount];
        }

        if (_used == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        return _used++;
    }

    public void Set(EpollConnection connection)
    {
        _slots[connection.Slot] = connection;
        Count++;
    }

    /// <summary>Gives back a slot that <see cref="Reserve"/> returned but no connection took.</summary>
    public void Unreserve(int slot) => Push(ref _free, ref _freeCount, slot);

    public void Remove(EpollConnection connection)
    {
        _slots[connection.Slot] = null;
        Count--;
        Push(ref _released, ref _releasedCount, connection.Slot);
    }

    /// <summary>Makes the slots freed during this batch reusable.</summary>
    public void EndBatch()
    {
        for (int i = 0; i < _releasedCount; i++)
        {
            Push(ref _free, ref _freeCount, _released[i]);
        }

        _releasedCount = 0;
    }

    /// <summary>Removes and returns every connection, for shutdown.</summary>
    public List<EpollConnection> TakeAll()
    {
        var all = new List<EpollConnection>(Count);
        for (int slot = 0; slot < _used; slot++)
        {
            if (_slots[slot] is { } connection)
            {
                all.Add(connection);
                _slots[slot] = null;
            }
        }

        Count = 0;
        return all;
    }

    private static void Push(ref int[] stack, ref int count, int slot)
    {
        if (count == stack.Length)
        {
            Array.Resize(ref stack, stack.Length * 2);
        }

        stack[count++] = slot;
    }
}
