using System.Net.Sockets;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Timing;
using IoModels.Native;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// <c>--idle-connections</c>: connections opened before the load that never send. They are kept out of the workers'
/// epoll sets and scans (they would only lengthen the scans); at the end each is asked once whether the server closed it meanwhile.
/// </summary>
internal sealed class IdleConnections : IDisposable
{
    private readonly List<FileDescriptor> _sockets = [];
    private readonly ConnectionTracker _tracker;

    private IdleConnections(ConnectionTracker tracker, long ticksPerSecond)
    {
        _tracker = tracker;
        Stats = new WorkerStats(ticksPerSecond);
    }

    public WorkerStats Stats { get; }

    public int Count => _sockets.Count;

    public static IdleConnections Open(LoadOptions options, IClock clock, ConnectionTracker tracker)
    {
        var idle = new IdleConnections(tracker, clock.Frequency);
        for (int i = 0; i < options.IdleConnections; i++)
        {
            idle.OpenOne(options, clock);
        }

        return idle;
    }

    /// <summary>Counts the idle connections the server closed (readable with nothing to read means end-of-stream).</summary>
    public void CountClosedByPeer()
    {
        foreach (var socket in _sockets)
        {
            if (NativeSocket.Poll(socket.Number, forWrite: false, timeoutMilliseconds: 0))
            {
                Stats.ClosedByPeer++;
            }
            else
            {
                Stats.ClosedByClient++;
            }
        }
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
            _tracker.Closed();
        }

        _sockets.Clear();
    }

    private void OpenOne(LoadOptions options, IClock clock)
    {
        Stats.Attempted++;
        long started = clock.GetTimestamp();
        var result = NonBlockingConnect.ConnectWithin(options.EndPoint, options.NoDelay, options.ConnectTimeout, out var socket);
        if (result != SocketError.Success)
        {
            Stats.CountConnectFailure(result);
            return;
        }

        long elapsed = clock.GetTimestamp() - started;
        Stats.Established++;
        Stats.ConnectMicros.RecordValue(LatencyHistograms.ToMicros(elapsed, clock.Frequency));
        Stats.ConnectSumMicros += elapsed * 1_000_000.0 / clock.Frequency;
        _sockets.Add(socket!);
        _tracker.Opened();
    }
}
