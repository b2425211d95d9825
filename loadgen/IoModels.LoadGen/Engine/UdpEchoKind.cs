namespace IoModels.LoadGen.Engine;

/// <summary>What one echo received on a UDP flow turned out to be (each counted once, docs/report.md#udp).</summary>
internal enum UdpEchoKind
{
    /// <summary>The first echo of an outstanding datagram, whole and every byte matching.</summary>
    Received,

    /// <summary>Another echo of a datagram already answered.</summary>
    Duplicated,

    /// <summary>The echo of a datagram already declared lost, or one too old for the flow to remember.</summary>
    Late,

    /// <summary>Shorter than the datagram sent (or too short to name one): the server cut it.</summary>
    Truncated,

    /// <summary>A byte differs, it is longer than sent, or it names a datagram this flow never sent.</summary>
    Corrupted,
}
