namespace IoModels.Protocol;

/// <summary>The two framings of docs/protocol.md. A server speaks exactly one, chosen at start.</summary>
public enum Framing
{
    /// <summary>4-byte unsigned big-endian length, then that many payload bytes.</summary>
    Framed,

    /// <summary>RFC 862 echo: a byte stream with no boundaries.</summary>
    Raw,
}
