namespace IoModels.Server.Models;

/// <summary>The messages a remote peer can cause at will, each rate-limited on its own by <see cref="PeerWarnings"/>.</summary>
public enum PeerWarningKind
{
    /// <summary>A declared length above max-frame.</summary>
    ProtocolViolation,

    /// <summary>A connection ended by an error: a reset, a broken pipe, a hang-up.</summary>
    ConnectionEnded,
}
