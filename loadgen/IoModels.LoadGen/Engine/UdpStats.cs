namespace IoModels.LoadGen.Engine;

/// <summary>
/// One worker's UDP counts (docs/report.md#udp). The datagram counts cover the datagrams sent in the measured phase,
/// followed to their fate through the drain; written only by the worker's thread, read by the progress line and at
/// the end, as <see cref="WorkerStats"/> is.
/// </summary>
public sealed class UdpStats
{
    public long Sent { get; set; }

    /// <summary>Echoes back within <c>--timeout</c>, whole (or cut only by the client's own buffer) and verified.</summary>
    public long Received { get; set; }

    /// <summary>Datagrams with no echo within <c>--timeout</c> (the late ones included).</summary>
    public long Lost { get; set; }

    /// <summary>Echoes that came after their datagram was declared lost, or too long after to be told apart.</summary>
    public long Late { get; set; }

    public long Duplicated { get; set; }

    /// <summary>Echoes that came after the echo of a datagram sent later on the same flow.</summary>
    public long Reordered { get; set; }

    /// <summary>Echoes shorter than the datagram sent: the server's fault.</summary>
    public long Truncated { get; set; }

    /// <summary>Echoes whose bytes differ from what was sent, or that name a datagram the flow never sent.</summary>
    public long Corrupted { get; set; }

    /// <summary>Echoes longer than <c>--udp-receive-buffer</c>, cut by the client's own read (MSG_TRUNC).</summary>
    public long ClientTruncated { get; set; }

    /// <summary>ICMP port-unreachable reports (ECONNREFUSED on a flow), over the whole run: nothing listened.</summary>
    public long Refused { get; set; }

    /// <summary>The flows' RFC 3550 jitter estimates added up, microseconds, and how many flows gave one.</summary>
    public double JitterSumMicros { get; set; }

    public long JitterFlows { get; set; }

    public void Add(UdpStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Sent += other.Sent;
        Received += other.Received;
        Lost += other.Lost;
        Late += other.Late;
        Duplicated += other.Duplicated;
        Reordered += other.Reordered;
        Truncated += other.Truncated;
        Corrupted += other.Corrupted;
        ClientTruncated += other.ClientTruncated;
        Refused += other.Refused;
        JitterSumMicros += other.JitterSumMicros;
        JitterFlows += other.JitterFlows;
    }
}
