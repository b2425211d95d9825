using System.Diagnostics;

namespace IoModels.Server.Models.Scan;

/// <summary>
/// Accounts for connections a model cannot watch because their descriptor number is beyond what its readiness call
/// can name (<c>select-libc</c>: <c>FD_SETSIZE</c>). Each is counted in <see cref="ServerMetrics.ConnectionsRefused"/>;
/// one warning is logged per episode, not per connection: once the low descriptors are all taken, every new
/// connection lands above the limit, so an episode only ends after <see cref="AcceptThrottle.QuietPeriod"/>
/// without a refusal.
/// </summary>
internal sealed class DescriptorLimitRefusals(ServerContext context, int limit)
{
    private long _lastRefused;
    private bool _inEpisode;

    public void Refuse(int fd)
    {
        context.Metrics.ConnectionRefused();
        long now = Stopwatch.GetTimestamp();
        if (!_inEpisode || Stopwatch.GetElapsedTime(_lastRefused, now) > AcceptThrottle.QuietPeriod)
        {
            _inEpisode = true;
            ServerLog.DescriptorOverLimit(context.Logger, fd, limit, AcceptThrottle.QuietPeriod.TotalSeconds);
        }

        _lastRefused = now;
    }
}
