namespace IoModels.Bench;

/// <summary>How one model × scenario cell of a run ended, as the runner records it.</summary>
internal enum CellStatus
{
    /// <summary>The load generator ran and verified every echo.</summary>
    Ok,

    /// <summary>The load generator saw an echo that differed from what it sent (exit 1, or a mismatch counted in its report).</summary>
    Mismatch,

    /// <summary>The server exited on its own before it was told to stop.</summary>
    Crashed,

    /// <summary>The server exited or stayed silent before printing its <c>listening on</c> line, or the load generator could not reach it (exit 3).</summary>
    FailedToStart,

    /// <summary>The run ended with no echo completed in the measured phase: a server that stopped serving.</summary>
    Stalled,

    /// <summary>The server did not exit within 5 seconds of SIGTERM (docs/server.md#stopping-the-server).</summary>
    StopTimeout,

    /// <summary>The server exited with a non-zero code after SIGTERM, or the load generator found it did not serve or served badly (exit 4 or 5).</summary>
    ServerError,

    /// <summary>The load generator failed for another reason (a bad option: exit 2; no report).</summary>
    LoadgenError,

    /// <summary>The model or peer is not in this tree (not in the server's catalog, a file the peer needs is missing).</summary>
    NotAvailable,

    /// <summary>A tool the peer needs is missing on this machine (e.g. <c>node</c>).</summary>
    Skipped,

    /// <summary>
    /// A finding, not a failure: a model that by design cannot watch a descriptor at or above its limit
    /// (<c>select-libc</c>: <c>FD_SETSIZE</c>) closed those connections at once, and the load generator's every failure
    /// is one of those closes. The rest were served and verified.
    /// </summary>
    Refused,

    /// <summary>
    /// A finding, not a failure, of a scenario whose claim is an overwhelmed server (<c>overload</c>): echoes timed out
    /// or connects failed, and every echo that came back was verified.
    /// </summary>
    Overloaded,
}
