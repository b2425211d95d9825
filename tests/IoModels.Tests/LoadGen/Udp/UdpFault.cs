namespace IoModels.Tests.LoadGen.Udp;

/// <summary>What a <see cref="UdpFaultServer"/> does to every <c>Every</c>-th datagram it receives (counted over all flows).</summary>
internal enum UdpFault
{
    /// <summary>Echoes everything faithfully.</summary>
    None,

    /// <summary>Sends no echo.</summary>
    Drop,

    /// <summary>Echoes it twice.</summary>
    Duplicate,

    /// <summary>Holds each flow's datagram until that flow's next one, then echoes the later one first (a pair swapped).</summary>
    Reorder,

    /// <summary>Echoes only its first half.</summary>
    Truncate,

    /// <summary>Flips a bit of its last byte.</summary>
    Corrupt,
}
