namespace IoModels.LoadGen.Reporting;

public sealed record ThroughputReport
{
    public required double MessagesPerSecond { get; init; }

    public required double BytesPerSecond { get; init; }

    /// <summary>Open loop: the rate asked for.</summary>
    public double? RequestedMessagesPerSecond { get; init; }

    /// <summary>Open loop: false when the target fell more than 5 % short of the requested rate.</summary>
    public bool? RateSustained { get; init; }
}
