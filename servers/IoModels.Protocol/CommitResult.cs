namespace IoModels.Protocol;

/// <summary>What <see cref="FrameBuffer.Commit"/> found in the bytes just received.</summary>
/// <param name="Status"><see cref="DecodeStatus.TooLarge"/> on a protocol violation, else whether the buffer ends on a boundary.</param>
/// <param name="Messages">Whole messages completed by these bytes (0 in raw mode).</param>
/// <param name="DeclaredLength">On <see cref="DecodeStatus.TooLarge"/>, the length the offending header declared.</param>
public readonly record struct CommitResult(DecodeStatus Status, int Messages, uint DeclaredLength);
