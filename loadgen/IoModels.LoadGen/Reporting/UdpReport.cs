namespace IoModels.LoadGen.Reporting;

/// <summary>
/// With <c>--transport udp</c> (docs/report.md#udp): what became of the datagrams sent in the measured phase, followed
/// through the drain. Each datagram sent is received, lost, truncated or corrupted; late, duplicated, reordered and
/// clientTruncated describe echoes on top of that.
/// </summary>
public sealed record UdpReport
{
    public required long Sent { get; init; }

    /// <summary>Echoes back within <c>--timeout</c>, every byte read matching (those cut by the client's own buffer included).</summary>
    public required long Received { get; init; }

    /// <summary>No echo within <c>--timeout</c>: loss, a finding and not a failure.</summary>
    public required long Lost { get; init; }

    /// <summary>Echoes that came after their datagram was declared lost (or too long after to be told apart).</summary>
    public required long Late { get; init; }

    public required long Duplicated { get; init; }

    /// <summary>Echoes that came after the echo of a datagram sent later on the same flow.</summary>
    public required long Reordered { get; init; }

    /// <summary>Echoes shorter than sent: the server's fault, exit 1.</summary>
    public required long Truncated { get; init; }

    /// <summary>Echoes whose bytes differ, or longer than sent, or naming a datagram never sent: exit 1.</summary>
    public required long Corrupted { get; init; }

    /// <summary>Echoes longer than <see cref="ReceiveBufferBytes"/>, cut by the client's own read (MSG_TRUNC): a finding.</summary>
    public required long ClientTruncated { get; init; }

    /// <summary>ICMP port-unreachable reports on the flows over the whole run: the server's port was closed.</summary>
    public required long Refused { get; init; }

    /// <summary><c>lost / sent</c> in percent (0 when nothing was sent).</summary>
    public required double LossPercent { get; init; }

    /// <summary>The RFC 3550 interarrival jitter, averaged over the flows: how much successive round trips differ.</summary>
    public required double JitterMicros { get; init; }

    /// <summary><c>--udp-receive-buffer</c>: the most the client reads of one datagram.</summary>
    public required int ReceiveBufferBytes { get; init; }

    /// <summary>The kernel's UDP counters (/proc/net/snmp and snmp6); absent when they cannot be read.</summary>
    public UdpKernelReport? Kernel { get; init; }
}
