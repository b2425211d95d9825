using System.Diagnostics;
using System.Net.Sockets;

namespace IoModels.Server.Models;

/// <summary>
/// What an accept loop does when the process runs out of file descriptors (EMFILE/ENFILE): the pending
/// connection stays in the backlog, so retrying at once would spin. Pause accepting until a connection of ours
/// closes (freeing a descriptor) or <see cref="RetryInterval"/> passes, and log once per episode, not per try.
/// </summary>
public sealed class AcceptThrottle(ServerContext context) : IDisposable
{
    /// <summary>Upper bound on the pause, for descriptors freed by someone else.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);

    private readonly ManualResetEventSlim _descriptorFreed = new(false);
    private long _pausedUntil;
    private bool _exhausted;

    /// <summary>True while accepting is paused.</summary>
    public bool IsPaused => Volatile.Read(ref _pausedUntil) > Stopwatch.GetTimestamp() && !_descriptorFreed.IsSet;

    /// <summary>Time left in the pause, for a loop's wait timeout.</summary>
    public TimeSpan RemainingPause => IsPaused ? Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _pausedUntil)) : TimeSpan.Zero;

    public static bool IsDescriptorExhaustion(SocketError error) =>
        error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;

    /// <summary>Called by the accept loop on EMFILE/ENFILE/ENOBUFS.</summary>
    public void OnExhausted(SocketError error)
    {
        _descriptorFreed.Reset();
        Volatile.Write(ref _pausedUntil, Stopwatch.GetTimestamp() + (long)(RetryInterval.TotalSeconds * Stopwatch.Frequency));
        if (!_exhausted)
        {
            _exhausted = true;
            ServerLog.DescriptorsExhausted(context.Logger, error.ToString());
        }
    }

    /// <summary>Called after every successful accept: ends an episode.</summary>
    public void OnAccepted()
    {
        if (_exhausted)
        {
            _exhausted = false;
            ServerLog.AcceptResumed(context.Logger);
        }
    }

    /// <summary>Called from any thread when a connection closes.</summary>
    public void OnDescriptorFreed()
    {
        if (Volatile.Read(ref _pausedUntil) != 0)
        {
            _descriptorFreed.Set();
        }
    }

    /// <summary>Blocks the calling accept thread until a descriptor frees up, the pause ends, or stop is requested.</summary>
    public void WaitWhilePaused(CancellationToken stopping)
    {
        var remaining = RemainingPause;
        if (remaining > TimeSpan.Zero)
        {
            try
            {
                _descriptorFreed.Wait(remaining, stopping);
            }
            catch (OperationCanceledException)
            {
                // Stopping: the caller checks its own flag.
            }
        }
    }

    public void Dispose() => _descriptorFreed.Dispose();
}
