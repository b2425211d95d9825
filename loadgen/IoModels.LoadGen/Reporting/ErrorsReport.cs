namespace IoModels.LoadGen.Reporting;

public sealed record ErrorsReport
{
    /// <summary>Connections on which an echoed byte differed from the byte sent (each is then closed).</summary>
    public required long Mismatches { get; init; }

    /// <summary>Echoes not back within <c>--timeout</c>, including those still missing at the end of the drain.</summary>
    public required long Timeouts { get; init; }

    /// <summary>Connections reset by the peer.</summary>
    public required long Resets { get; init; }

    /// <summary>Other socket errors on established connections.</summary>
    public required long Other { get; init; }

    /// <summary>Messages in flight on connections the peer closed or reset: never echoed.</summary>
    public required long LostInFlight { get; init; }
}
