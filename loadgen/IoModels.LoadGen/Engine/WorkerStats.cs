using System.Net.Sockets;
using HdrHistogram;
using IoModels.LoadGen.Timing;
using IoModels.LoadGen.Verification;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// One worker's counts. Written only by that worker's thread, read once a second by the progress line (a torn read
/// of an aligned 64-bit field cannot happen on 64-bit hardware) and at the end, after the worker has joined.
/// </summary>
public sealed class WorkerStats(long ticksPerSecond)
{
    private long _messagesMeasured;
    private long _bytesMeasured;
    private long _messagesTotal;

    public LatencyRecorder Latency { get; } = new(ticksPerSecond);

    /// <summary>Microseconds from starting a connect to its completion.</summary>
    public LongHistogram ConnectMicros { get; } = LatencyHistograms.Create();

    public double ConnectSumMicros { get; set; }

    public long MessagesMeasured => Volatile.Read(ref _messagesMeasured);

    public long BytesMeasured => Volatile.Read(ref _bytesMeasured);

    /// <summary>Echoes verified over the whole run, warm-up and drain included.</summary>
    public long MessagesTotal => Volatile.Read(ref _messagesTotal);

    public long Attempted { get; set; }

    public long Established { get; set; }

    public long Failed { get; set; }

    public Dictionary<string, long> FailedByReason { get; } = [];

    public long ClosedByPeer { get; set; }

    /// <summary>Connections the load generator closed itself (per-request, an echo timed out, a mismatch, end of run); UDP flows at the end.</summary>
    public long ClosedByClient { get; set; }

    public long Mismatches { get; set; }

    /// <summary>Echoes not back within <c>--timeout</c> (including those still missing when the drain ended).</summary>
    public long Timeouts { get; set; }

    public long Resets { get; set; }

    public long OtherErrors { get; set; }

    /// <summary>Messages sent on a connection the peer then closed or reset before echoing them.</summary>
    public long LostInFlight { get; set; }

    public Mismatch? FirstMismatch { get; set; }

    /// <summary>With <c>--transport udp</c>: the datagram counts.</summary>
    public UdpStats Udp { get; } = new();

    public void CountEcho(int wireBytes, bool measured)
    {
        Volatile.Write(ref _messagesTotal, _messagesTotal + 1);
        if (measured)
        {
            Volatile.Write(ref _messagesMeasured, _messagesMeasured + 1);
            Volatile.Write(ref _bytesMeasured, _bytesMeasured + wireBytes);
        }
    }

    public void CountConnectFailure(SocketError reason)
    {
        Failed++;
        string name = reason.ToString();
        FailedByReason[name] = FailedByReason.GetValueOrDefault(name) + 1;
    }

    public void CountConnectFailure(string reason)
    {
        Failed++;
        FailedByReason[reason] = FailedByReason.GetValueOrDefault(reason) + 1;
    }

    /// <summary>Adds another worker's counts into this one (after both have finished).</summary>
    public void Add(WorkerStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _messagesMeasured += other._messagesMeasured;
        _bytesMeasured += other._bytesMeasured;
        _messagesTotal += other._messagesTotal;
        Latency.Add(other.Latency);
        ConnectMicros.Add(other.ConnectMicros);
        ConnectSumMicros += other.ConnectSumMicros;
        Attempted += other.Attempted;
        Established += other.Established;
        Failed += other.Failed;
        foreach (var (reason, count) in other.FailedByReason)
        {
            FailedByReason[reason] = FailedByReason.GetValueOrDefault(reason) + count;
        }

        ClosedByPeer += other.ClosedByPeer;
        ClosedByClient += other.ClosedByClient;
        Mismatches += other.Mismatches;
        Timeouts += other.Timeouts;
        Resets += other.Resets;
        OtherErrors += other.OtherErrors;
        LostInFlight += other.LostInFlight;
        FirstMismatch ??= other.FirstMismatch;
        Udp.Add(other.Udp);
    }
}
