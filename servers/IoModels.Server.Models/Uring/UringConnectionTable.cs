namespace IoModels.Server.Models.Uring;

/// <summary>
/// The loop's connections, indexed by the slot their operations carry in the user data: an array lookup per
/// completion. A slot is reused at once after its connection closes: a connection closes only when it has no
/// operation in flight, so no completion for the old connection can arrive afterwards.
/// </summary>
internal sealed class UringConnectionTable
{
    private UringConnection?[] _slots = new UringConnection?[64];
    private int[] _free = new int[64];
    private int _freeCount;
    private int _used;

    public int Count { get; private set; }

    public UringConnection? this[int slot] => (uint)slot < (uint)_used ? _slots[slot] : null;

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

    public void Set(UringConnection connection)
    {
        _slots[connection.Slot] = connection;
        Count++;
    }

    public void Remove(UringConnection connection)
    {
        _slots[connection.Slot] = null;
        Count--;
        if (_freeCount == _free.Length)
        {
            Array.Resize(ref _free, _free.Length * 2);
        }

        _free[_freeCount++] = connection.Slot;
    }

    /// <summary>Every open connection, for shutdown.</summary>
    public IEnumerable<UringConnection> All()
    {
        for (int slot = 0; slot < _used; slot++)
        {
            if (_slots[slot] is { } connection)
            {
                yield return connection;
            }
        }
    }
}
