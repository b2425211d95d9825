namespace IoModels.Protocol;

/// <summary>What the decoder found at the start of the bytes it was given.</summary>
public enum DecodeStatus
{
    /// <summary>A whole message (header and payload) is there.</summary>
    Complete,

    /// <summary>Only part of a message is there: wait for more bytes. The normal case, not an error.</summary>
    Incomplete,

    /// <summary>The header declares more than <c>max-frame</c> bytes: a protocol violation.</summary>
    TooLarge,
}
