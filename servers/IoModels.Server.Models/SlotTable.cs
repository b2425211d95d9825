namespace IoModels.Server.Models;

/// <summary>
/// An event loop's connections, indexed by the slot number each registration carries in the kernel's user data
/// (<c>epoll_event.data</c>, an io_uring submission's <c>user_data</c>): an array lookup per event, no hashing and
/// no allocation. A slot freed while a batch of events is being handled is reused only after the batch
/// (<see cref="EndBatch"/>), so a later event of that batch for the closed connection finds an empty slot instead
/// of a new connection that happens to have the same number.
/// </summary>
internal sealed class SlotTable<T>
    where T : class, ISlotted
{
    private T?[] _slots = new T?[64];
    private int[] _free = new int[64];
    private int _freeCount;
    private int[] _released = new int[64];
    private int _releasedCount;
    private int _used;

    public int Count { get; private set; }

    /// <summary>One past the highest slot ever handed out: walk <c>0..Extent</c> with the indexer to visit every connection without allocating.</summary>
    public int Extent => _used;

    /// <summary>The connection in <paramref name="slot"/>, or null if it closed (earlier in this batch or before).</summary>
    public T? this[int slot] => (uint)slot < (uint)_used ? _slots[slot] : null;

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

    public void Set(T connection)
    {
        _slots[connection.Slot] = connection;
        Count++;
    }

    /// <summary>Gives back a slot that <see cref="Reserve"/> returned but no connection took.</summary>
    public void Unreserve(int slot) => Push(ref _free, ref _freeCount, slot);

    public void Remove(T connection)
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

    /// <summary>Every open connection, for shutdown (a snapshot, so the caller may remove them as it goes).</summary>
    public List<T> Snapshot()
    {
        var all = new List<T>(Count);
        for (int slot = 0; slot < _used; slot++)
        {
            if (_slots[slot] is { } connection)
            {
                all.Add(connection);
            }
        }

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
