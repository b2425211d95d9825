namespace IoModels.Protocol;

/// <summary>The framings of docs/protocol.md. A server speaks exactly one, chosen at start.</summary>
public enum Framing
{
    /// <summary>4-byte unsigned big-endian length, then that many payload bytes.</summary>
    Framed,

    /// <summary>RFC 862 echo: a byte stream with no boundaries.</summary>
    Raw,

    /// <summary>Each message is any bytes up to and including a newline (0x0A).</summary>
    Line,
}
