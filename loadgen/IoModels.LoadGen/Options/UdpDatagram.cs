using IoModels.LoadGen.Verification;

namespace IoModels.LoadGen.Options;

/// <summary>The bounds of a load-generator datagram (docs/loadgen.md#udp has the layout).</summary>
public static class UdpDatagram
{
    /// <summary>Every datagram begins with the flow id and the sequence number, so an echo names the datagram it answers.</summary>
    public const int MinPayload = PayloadPattern.IdentityBytes;

    /// <summary>The largest UDP payload over IPv4: 65,535 less the 20-byte IP and 8-byte UDP headers.</summary>
    public const int MaxPayload = 65_507;

    /// <summary>The default receive length: above the largest datagram, so nothing is cut unless asked for.</summary>
    public const int MaxReceiveBuffer = 65_536;

    /// <summary>UDP's default <c>--timeout</c>: far above a loopback round trip, short enough that a lost datagram costs its flow little.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(200);
}
