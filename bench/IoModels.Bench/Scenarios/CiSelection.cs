namespace IoModels.Bench.Scenarios;

/// <summary>A named part of the matrix CI runs: its models (empty: every server), scenarios, and cell length when it differs.</summary>
internal sealed record CiSelection(IReadOnlyList<string> Scenarios)
{
    public IReadOnlyList<string> Models { get; set; } = [];

    public string? Warmup { get; set; }

    public string? Duration { get; set; }
}
