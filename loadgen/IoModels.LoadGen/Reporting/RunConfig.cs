namespace IoModels.LoadGen.Reporting;

/// <summary>The options the run used, as the report's <c>config</c>.</summary>
public sealed record RunConfig
{
    public required int Connections { get; init; }

    public required double DurationSeconds { get; init; }

    public required double WarmupSeconds { get; init; }

    /// <summary><c>tcp</c> or <c>udp</c>.</summary>
    public required string Transport { get; init; }

    /// <summary>Bytes, or <c>MIN-MAX</c>.</summary>
    public required string Payload { get; init; }

    /// <summary><c>framed</c>, <c>raw</c> or <c>line</c>; <c>datagram</c> over UDP, where each datagram is one message.</summary>
    public required string Framing { get; init; }

    /// <summary>Messages per second asked for; null in a closed loop.</summary>
    public double? Rate { get; init; }

    public required string LoadShape { get; init; }

    public required int Pipeline { get; init; }

    public required string ConnectMode { get; init; }

    public required int IdleConnections { get; init; }

    /// <summary><c>--idle-partial</c>: the idle connections each sent half a message.</summary>
    public required bool IdlePartial { get; init; }

    public double? ConnectRate { get; init; }

    public required bool NoDelay { get; init; }

    public required bool SplitWrites { get; init; }

    public int? ServerPid { get; init; }

    public required int Threads { get; init; }

    public required double ConnectTimeoutSeconds { get; init; }

    public required double TimeoutSeconds { get; init; }

    /// <summary>UDP: <c>--udp-receive-buffer</c>.</summary>
    public int? UdpReceiveBufferBytes { get; init; }
}
