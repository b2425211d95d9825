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
/// was needed then) beyond a headroom of the interval's peak, and after letting go of many asks the runtime to
/// collect and give the memory back.
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
        return bucket.Take() ?? GC.AllocateUninitializedArray<byte>(bucket.Length);
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

        _buckets[BucketIndex(array.Length)].Keep(array);
    }

    /// <summary>
    /// Lets go of the arrays that stayed in the pool since the previous call (the lowest count each size had in
    /// between), but for as many as were out at once meanwhile. Two calls in a row with nothing out empty it.
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
        private int _out;

        // Since the last trim: the lowest _count (that many arrays were not needed in the meantime) and the
        // highest _out (how far the need went).
        private int _lowWater;
        private int _peakOut;

        public int Length => length;

        public int Count => Volatile.Read(ref _count);

        /// <summary>An array from the stack, or null: then the caller allocates one (outside the lock).</summary>
        public byte[]? Take()
        {
            lock (_lock)
            {
                _peakOut = Math.Max(_peakOut, ++_out);
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

        public void Keep(byte[] array)
        {
            lock (_lock)
            {
                _out--;
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
                // Of the arrays not needed since the last trim, as many as were out at the peak stay as headroom:
                // under steady load the peak moves a little from one interval to the next, and dropping what the
                // next one needs would only allocate it again. Once the load is gone the peak is 0 and all go.
                int idle = Math.Max(0, Math.Min(_lowWater, _count) - _peakOut);
                if (idle > 0)
                {
                    // The oldest arrays sit at the bottom of the stack: those are the ones not touched.
                    Array.Copy(_arrays, idle, _arrays, 0, _count - idle);
                    Array.Clear(_arrays, _count - idle, idle);
                    _count -= idle;
                }

                _lowWater = _count;
                _peakOut = _out;
                return (long)idle * length;
            }
        }
    }
}
