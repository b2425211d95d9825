namespace IoModels.BenchReport;

/// <summary>How one model × scenario cell of a run ended, as <c>run-bench.sh</c> records it.</summary>
internal enum CellStatus
{
    /// <summary>The load generator ran and verified every echo.</summary>
    Ok,

    /// <summary>The load generator saw an echo that differed from what it sent (exit 1).</summary>
    Mismatch,

    /// <summary>The server exited on its own before it was told to stop.</summary>
    Crashed,

    /// <summary>The server exited or stayed silent before printing its <c>listening on</c> line.</summary>
    FailedToStart,

    /// <summary>The run ended with no echo completed in the measured phase: a server that stopped serving.</summary>
    Stalled,

    /// <summary>The server did not exit within 5 seconds of SIGTERM (SPEC §2).</summary>
    StopTimeout,

    /// <summary>The server exited with a non-zero code after SIGTERM.</summary>
    ServerError,

    /// <summary>The load generator failed for another reason (bad option, no report).</summary>
    LoadGenError,

    /// <summary>The server does not know this model yet (it exited 2 naming the valid models).</summary>
    NotAvailable,

    /// <summary>A tool the peer needs is missing on this machine (e.g. <c>node</c>).</summary>
    Skipped,
}
