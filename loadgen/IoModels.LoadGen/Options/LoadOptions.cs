using System.Net;
using IoModels.Protocol;

namespace IoModels.LoadGen.Options;

/// <summary>One run of the load generator, as docs/loadgen.md#options describes it, already validated.</summary>
public sealed record LoadOptions
{
    /// <summary>The target as the user wrote it (<c>HOST:PORT</c>), for the report.</summary>
    public required string Target { get; init; }

    /// <summary>The resolved address to connect to.</summary>
    public required IPEndPoint EndPoint { get; init; }

    public string Label { get; init; } = "";

    public int Connections { get; init; } = 16;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public PayloadSize Payload { get; init; } = new(64, 64);

    public Transport Transport { get; init; } = Transport.Tcp;

    /// <summary>
    /// UDP: the largest datagram the client reads whole (the length it passes to each receive). Smaller than the
    /// datagrams, it cuts every echo on purpose (<c>--udp-receive-buffer</c>).
    /// </summary>
    public int UdpReceiveBuffer { get; init; } = UdpDatagram.MaxReceiveBuffer;

    public Framing Framing { get; init; } = Framing.Framed;

    /// <summary>Messages per second for the whole run (open loop); null for closed loop.</summary>
    public double? Rate { get; init; }

    /// <summary>Messages in flight per connection.</summary>
    public int Pipeline { get; init; } = 1;

    public ConnectMode ConnectMode { get; init; } = ConnectMode.Persistent;

    public int IdleConnections { get; init; }

    /// <summary>Each idle connection sends half a message once connected, then nothing (a slowloris).</summary>
    public bool IdlePartial { get; init; }

    /// <summary>New connections per second while ramping up; null opens them all at once.</summary>
    public double? ConnectRate { get; init; }

    public bool NoDelay { get; init; } = true;

    /// <summary>Send header and payload in two writes (with Nagle on, this shows the Nagle + delayed-ACK stall).</summary>
    public bool SplitWrites { get; init; }

    /// <summary>The server process to sample from /proc during the measured phase.</summary>
    public int? ServerPid { get; init; }

    /// <summary>Worker threads that drive the active connections.</summary>
    public int Threads { get; init; } = 1;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// TCP: an echo not back after this long counts as a timeout and its connection is dropped. UDP: a datagram whose
    /// echo is not back after this long is lost.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public string? JsonPath { get; init; }

    public string? HgrmPath { get; init; }

    /// <summary>Print the once-a-second progress line on stderr.</summary>
    public bool Progress { get; init; } = true;

    public bool IsOpenLoop => Rate is not null;

    /// <summary>With <c>--interval</c>: the length of each record of the time series; null for none.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>The interval log (<c>.hlog</c>) to write with <see cref="Interval"/>.</summary>
    public string? HlogPath { get; init; }

    /// <summary>With <c>--start-at</c>: when the measured phase begins (UTC); the warm-up runs before it.</summary>
    public DateTimeOffset? StartAt { get; init; }
}
