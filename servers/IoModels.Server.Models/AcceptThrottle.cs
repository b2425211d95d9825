using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace IoModels.Server.Models;

/// <summary>
/// What an accept loop does when the process is out of file descriptors: EMFILE/ENFILE from <c>accept</c>, or the
/// <see cref="DescriptorBudget"/> reached. The pending connection stays in the backlog, so retrying at once would
/// spin: pause accepting until a connection of ours closes (freeing a descriptor) or <see cref="RetryInterval"/>
/// passes. Existing connections are served all along.
/// </summary>
/// <remarks>
/// One warning per episode, not per attempt: under sustained pressure every closed connection lets one more in and
/// the limit is hit again at once, so an episode only ends after <see cref="QuietPeriod"/> without exhaustion.
/// </remarks>
public sealed class AcceptThrottle : IDisposable
{
    /// <summary>Upper bound on the pause, for descriptors freed by someone else.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long accepting must go on without exhaustion before the episode counts as over.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    // Measured at the first accept, not at construction: the budget subtracts the descriptors open then, and by the
    // first accept the model has opened its own (listener, epoll set, ring, eventfd).
    private long _maxConnections = -1;
    private readonly ManualResetEventSlim _descriptorFreed = new(false);
    private long _pausedUntil;
    private long _lastExhausted;
    private bool _exhausted;

    public AcceptThrottle(ServerMetrics metrics, ILogger logger)
    {
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>True while accepting is paused.</summary>
    public bool IsPaused => Volatile.Read(ref _pausedUntil) > Stopwatch.GetTimestamp() && !_descriptorFreed.IsSet;

    /// <summary>Time left in the pause, for a loop's wait timeout.</summary>
    public TimeSpan RemainingPause => IsPaused ? Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _pausedUntil)) : TimeSpan.Zero;

    public static bool IsDescriptorExhaustion(SocketError error) =>
        error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;

    /// <summary>True when the loop may accept now; false (and paused) while out of descriptors or at the budget.</summary>
    public bool CanAccept()
    {
        if (IsPaused)
        {
            return false;
        }

        if (_maxConnections < 0)
        {
            _maxConnections = DescriptorBudget.MaxConnections();
        }

        if (_metrics.ConnectionsActive >= _maxConnections)
        {
            OnExhausted($"{_maxConnections} connections leave only {DescriptorBudget.Headroom} descriptors for the runtime");
            return false;
        }

        return true;
    }

    /// <summary>Called by the accept loop when <c>accept</c> fails with EMFILE, ENFILE or ENOBUFS.</summary>
    public void OnExhausted(SocketError error) => OnExhausted(error.ToString());

    /// <summary>Called after every successful accept: ends an episode once it has been quiet for a while.</summary>
    public void OnAccepted()
    {
        if (_exhausted && Stopwatch.GetElapsedTime(_lastExhausted) > QuietPeriod)
        {
            _exhausted = false;
            ServerLog.AcceptResumed(_logger);
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

    private void OnExhausted(string reason)
    {
        _descriptorFreed.Reset();
        _lastExhausted = Stopwatch.GetTimestamp();
        Volatile.Write(ref _pausedUntil, _lastExhausted + (long)(RetryInterval.TotalSeconds * Stopwatch.Frequency));
        if (!_exhausted)
        {
            _exhausted = true;
            ServerLog.DescriptorsExhausted(_logger, reason);
        }
    }
}
