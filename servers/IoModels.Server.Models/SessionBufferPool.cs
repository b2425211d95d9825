using System.Buffers;
using System.Numerics;

namespace IoModels.Server.Models;

/// <summary>
/// The sessions' buffers. Not the shared pool: that keeps 32 arrays of a size per core, and a model that holds a
/// connection's buffer across operations (io_uring from poll to sent echo, SocketAsyncEventArgs from receive to
/// send) has hundreds out at once with 1,000 busy connections, so most returns were dropped and most rents
/// allocated: 2.5 KB per message for uring, measured. This pool keeps up to <see cref="DefaultBuffersPerSize"/>
/// arrays of each power-of-two size up to <see cref="MaxPooledLength"/>, only ever as many as were out at once.
/// </summary>
/// <remarks>
/// A burst must not keep its peak for ever: the server allocates nothing in steady state, so no garbage collection
/// would ever take back arrays a burst left in the pool. Every <see cref="TrimInterval"/> a timer calls
/// <see cref="Trim"/>, which lets go of the arrays that sat in the pool through the whole interval before it (none
/// was needed then), and after letting go of many asks the runtime to collect and give the memory back.
/// </remarks>
public sealed class SessionBufferPool : ArrayPool<byte>, IDisposable
{
    /// <summary>Buffers of one size the pool keeps; beyond this many connections mid-echo at once, buffers are allocated.</summary>
    public const int DefaultBuffersPerSize = 4096;

    /// <summary>Larger requests are allocated and dropped, never kept.</summary>
    public const int MaxPooledLength = 1024 * 1024;

    public static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(2.5);

    // Letting go of less than this is left to the next collection that happens anyway.
    private const long CollectAfterTrimmedBytes = 32L * 1024 * 1024;

    private const int MinPooledLength = 16;

    private readonly Bucket[] _buckets;
    private readonly Timer? _trimTimer;
    private long _out;

    /// <param name="buffersPerSize">Arrays kept of each size; 0 keeps none (every rent allocates).</param>
    /// <param name="trimPeriodically">False leaves trimming to explicit <see cref="Trim"/> calls.</param>
    public SessionBufferPool(int buffersPerSize = DefaultBuffersPerSize, bool trimPeriodically = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(buffersPerSize);
        _buckets = new Bucket[BucketIndex(MaxPooledLength) + 1];
        for (int i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket(MinPooledLength << i, buffersPerSize);
        }

        if (trimPeriodically)
        {
            // The timer holds the pool only weakly, so a pool nobody uses any more is collected and its timer ends.
            _trimTimer = new Timer(static state => TrimOrStop((WeakReference<SessionBufferPool>)state!), new WeakReference<SessionBufferPool>(this), TrimInterval, TrimInterval);
        }
    }

    /// <summary>Arrays rented and not yet returned.</summary>
    public long BuffersOut => Interlocked.Read(ref _out);

    /// <summary>Arrays sitting in the pool, ready to rent.</summary>
    public int BuffersKept => _buckets.Sum(b => b.Count);

    /// <summary>Bytes of the arrays sitting in the pool.</summary>
    public long BytesKept => _buckets.Sum(b => (long)b.Count * b.Length);

    public override byte[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        Interlocked.Increment(ref _out);
        if (minimumLength > MaxPooledLength)
        {
            return GC.AllocateUninitializedArray<byte>(minimumLength);
        }

        var bucket = _buckets[BucketIndex(minimumLength)];
        return bucket.TryTake() ?? GC.AllocateUninitializedArray<byte>(bucket.Length);
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        Interlocked.Decrement(ref _out);
        if (array.Length < MinPooledLength || array.Length > MaxPooledLength || !BitOperations.IsPow2(array.Length))
        {
            return;
        }

        if (clearArray)
        {
            Array.Clear(array);
        }

        _buckets[BucketIndex(array.Length)].TryKeep(array);
    }

    /// <summary>
    /// Lets go of every array that stayed in the pool since the previous call (the lowest count each size had
    /// in between); what was in use meanwhile is kept. Two calls in a row with nothing rented between empty it.
    /// </summary>
    /// <returns>Bytes let go of.</returns>
    public long Trim()
    {
        long trimmed = 0;
        foreach (var bucket in _buckets)
        {
            trimmed += bucket.Trim();
        }

        return trimmed;
    }

    /// <summary>Stops the periodic trim; a pool no longer referenced stops it by itself.</summary>
    public void Dispose() => _trimTimer?.Dispose();

    private static void TrimOrStop(WeakReference<SessionBufferPool> reference)
    {
        if (!reference.TryGetTarget(out var pool))
        {
            return;
        }

        if (pool.Trim() >= CollectAfterTrimmedBytes)
        {
            // Only a collection frees the arrays, and only an aggressive one gives their pages back to the system at once.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    private static int BucketIndex(int length) =>
        length <= MinPooledLength ? 0 : BitOperations.Log2((uint)length - 1) + 1 - BitOperations.Log2(MinPooledLength);

    /// <summary>The arrays of one size, a stack under a lock; rents and returns come from any thread.</summary>
    private sealed class Bucket(int length, int capacity)
    {
        private readonly byte[]?[] _arrays = new byte[]?[capacity];
        private readonly Lock _lock = new();
        private int _count;

        // The lowest _count since the last trim: that many arrays were not needed in the meantime.
        private int _lowWater;

        public int Length => length;

        public int Count => Volatile.Read(ref _count);

        public byte[]? TryTake()
        {
            lock (_lock)
            {
                if (_count == 0)
                {
                    return null;
                }

                var array = _arrays[--_count];
                _arrays[_count] = null;
                _lowWater = Math.Min(_lowWater, _count);
                return array;
            }
        }

        public void TryKeep(byte[] array)
        {
            lock (_lock)
            {
                if (_count < _arrays.Length)
                {
                    _arrays[_count++] = array;
                }
            }
        }

        public long Trim()
        {
            lock (_lock)
            {
                // The oldest arrays sit at the bottom of the stack: those are the ones not touched.
                int idle = Math.Min(_lowWater, _count);
                if (idle > 0)
                {
                    Array.Copy(_arrays, idle, _arrays, 0, _count - idle);
                    Array.Clear(_arrays, _count - idle, idle);
                    _count -= idle;
                }

                _lowWater = _count;
                return (long)idle * length;
            }
        }
    }
}
