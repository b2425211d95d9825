namespace IoModels.LoadGen.Engine;

/// <summary>Where a sent datagram is in its life, as its flow's <see cref="DatagramLedger"/> remembers it.</summary>
internal enum DatagramState : byte
{
    /// <summary>Not sent (yet): an entry of the ledger no datagram has used.</summary>
    None,

    /// <summary>Sent, no echo yet, not yet given up on.</summary>
    Outstanding,

    /// <summary>An echo came (whole, cut, or bad): a further one is a duplicate.</summary>
    Answered,

    /// <summary>No echo within <c>--timeout</c>: an echo now is late.</summary>
    Lost,
}
