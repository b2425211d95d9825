namespace IoModels.LoadGen.Reporting;

public sealed record MismatchReport
{
    public required int ConnectionId { get; init; }

    public required long Sequence { get; init; }

    /// <summary>Offset of the first bad byte in that connection's echo stream.</summary>
    public required long FirstBadOffset { get; init; }

    /// <summary>Offset within the message as sent (length header included when framed).</summary>
    public required int MessageOffset { get; init; }

    public int? Expected { get; init; }

    public required int Actual { get; init; }

    public required string Reason { get; init; }
}
