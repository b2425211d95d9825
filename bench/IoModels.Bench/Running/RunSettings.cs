using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Running;

/// <summary>What the <c>run</c> verb was asked for, checked: the scenarios exist, the durations parse, the folder is free.</summary>
internal sealed record RunSettings(
    RepositoryLayout Layout,
    string ScenarioFilePath,
    ScenarioFile Scenarios,
    bool Quick,
    IReadOnlyList<string>? Models,
    IReadOnlyList<string> ScenarioNames,
    string OutputDirectory,
    PlacementMode Placement,
    string Warmup,
    string Duration,
    string? CompareWith,
    int ThresholdPercent,
    bool Build)
{
    public string Profile => Quick ? ScenarioFile.QuickProfile : ScenarioFile.FullProfile;

    public RunProfile Timings => Scenarios.Profiles[Profile];
}
