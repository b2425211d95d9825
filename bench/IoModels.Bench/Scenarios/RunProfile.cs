namespace IoModels.Bench.Scenarios;

/// <summary>How long each cell runs: <c>full</c> for figures, <c>quick</c> for a smoke run of the whole matrix.</summary>
internal sealed record RunProfile(string Warmup, string Duration, string OpenLoopProbe);
