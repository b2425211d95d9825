namespace IoModels.LoadGen.Verification;

/// <summary>The first echoed byte that differed from what was sent.</summary>
/// <param name="ConnectionId">The load generator's number for the connection (0-based).</param>
/// <param name="Sequence">The message's sequence number on that connection.</param>
/// <param name="FirstBadOffset">Offset of the bad byte in the connection's echo stream (bytes received before it).</param>
/// <param name="MessageOffset">Offset of the bad byte within the message's wire form (header included when framed).</param>
/// <param name="Expected">The byte that was sent there, or null when nothing was expected (bytes nobody sent).</param>
/// <param name="Actual">The byte that came back.</param>
/// <param name="Reason">What went wrong, in words.</param>
public sealed record Mismatch(int ConnectionId, uint Sequence, long FirstBadOffset, int MessageOffset, byte? Expected, byte Actual, string Reason);
