using System.Net.Sockets;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Timing;
using IoModels.Native;
using IoModels.Protocol;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// <c>--idle-connections</c>: connections opened before the load that never send (with <c>--idle-partial</c>, half a
/// message and then nothing). They are kept out of the workers' epoll sets and scans (they would only lengthen the
/// scans); at the end each is asked once whether the server closed it meanwhile.
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

    /// <summary>
    /// Half a message, which a server must not count as progress: two of a framed header's four bytes (the high bytes of
    /// a small length), or one byte of a line with no newline after it.
    /// </summary>
    private static bool SendHalfMessage(FileDescriptor socket, Framing framing)
    {
        ReadOnlySpan<byte> half = framing == Framing.Line ? "x"u8 : [0, 0];
        return NativeSocket.Send(socket.Number, half, out _) == half.Length;
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
        if (options.IdlePartial && !SendHalfMessage(socket!, options.Framing))
        {
            // A fresh socket's send buffer takes a few bytes at once; a refusal is the connection's error, not a slowloris.
            Stats.OtherErrors++;
            Stats.ClosedByClient++;
            socket!.Dispose();
            return;
        }

        Stats.ConnectMicros.RecordValue(LatencyHistograms.ToMicros(elapsed, clock.Frequency));
        Stats.ConnectSumMicros += elapsed * 1_000_000.0 / clock.Frequency;
        _sockets.Add(socket!);
        _tracker.Opened();
    }
}
