namespace IoModels.LoadGen.Reporting;

/// <summary>When the measured phase began and ended on the wall clock: the merge of several processes spans these.</summary>
public sealed record MeasuredPhaseReport
{
    public required DateTimeOffset StartUtc { get; init; }

    public required DateTimeOffset EndUtc { get; init; }
}
