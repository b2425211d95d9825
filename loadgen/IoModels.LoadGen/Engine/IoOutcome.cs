namespace IoModels.LoadGen.Engine;

/// <summary>What one send or receive on a connection came to. Errors are values, not exceptions, on the hot path.</summary>
internal enum IoOutcome
{
    /// <summary>Done, or would block: carry on.</summary>
    Ok,

    /// <summary>The peer closed its side (a read returned 0).</summary>
    PeerClosed,

    /// <summary>The peer reset the connection.</summary>
    Reset,

    /// <summary>Any other socket error.</summary>
    Error,

    /// <summary>An echoed byte differed from what was sent.</summary>
    Mismatch,
}
