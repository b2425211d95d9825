using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace IoModels.KestrelEcho;

/// <summary>
/// <c>--idle-timeout</c> for one Kestrel connection (docs/server.md#idle-timeout): the echo loop marks progress (a
/// message completed, echo flushed) with one store, and Kestrel's own heartbeat, which already visits every connection
/// about once a second (<see cref="IConnectionHeartbeatFeature"/>), reads and clears the mark and aborts the
/// connection once it stayed clear for the timeout. No timer per connection; the heartbeat's period makes the close
/// up to a second late, which a peer's timeout of seconds or minutes does not notice.
/// </summary>
internal sealed class IdleWatch
{
    private readonly ConnectionContext _connection;
    private readonly long _timeout;
    private readonly KestrelEchoCounters _counters;
    private int _progressed;
    private long _quietSince;
    private int _expired;

    private IdleWatch(ConnectionContext connection, TimeSpan timeout, KestrelEchoCounters counters)
    {
        _connection = connection;
        _timeout = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _counters = counters;
        _quietSince = Stopwatch.GetTimestamp();
    }

    /// <summary>Null when the timeout is off.</summary>
    /// <exception cref="InvalidOperationException">The transport has no heartbeat to time connections with.</exception>
    public static IdleWatch? Start(ConnectionContext connection, TimeSpan timeout, KestrelEchoCounters counters)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return null;
        }

        var heartbeat = connection.Features.Get<IConnectionHeartbeatFeature>()
            ?? throw new InvalidOperationException("The connection has no IConnectionHeartbeatFeature: --idle-timeout cannot be kept.");
        var watch = new IdleWatch(connection, timeout, counters);
        heartbeat.OnHeartbeat(static state => ((IdleWatch)state).OnHeartbeat(), watch);
        return watch;
    }

    public void MarkProgress() => _progressed = 1;

    private void OnHeartbeat()
    {
        long now = Stopwatch.GetTimestamp();
        if (Interlocked.Exchange(ref _progressed, 0) != 0)
        {
            _quietSince = now;
            return;
        }

        if (now - _quietSince >= _timeout && Interlocked.Exchange(ref _expired, 1) == 0)
        {
            _counters.ConnectionIdleClosed();
            _connection.Abort(new ConnectionAbortedException("idle timeout"));
        }
    }
}
