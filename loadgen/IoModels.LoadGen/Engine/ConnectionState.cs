namespace IoModels.LoadGen.Engine;

/// <summary>Where one client connection is in its life.</summary>
internal enum ConnectionState
{
    /// <summary>No socket: waiting for its ramp-up slot, its next due time (per-request), or a retry after a failed connect.</summary>
    Waiting,

    /// <summary>A non-blocking connect is under way.</summary>
    Connecting,

    /// <summary>Connected: sending and receiving echoes.</summary>
    Active,

    /// <summary>Finished for good (after a mismatch: its byte stream can no longer be trusted).</summary>
    Done,
}
