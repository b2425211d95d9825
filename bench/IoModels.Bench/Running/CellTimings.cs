namespace IoModels.Bench.Running;

/// <summary>How long each phase of a cell may take.</summary>
internal sealed record CellTimings(string Warmup, string Duration, string OpenLoopProbe)
{
    /// <summary>How long a server may take to print its listening line.</summary>
    public TimeSpan ListenTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>docs/server.md: a server exits within 5 s of SIGTERM.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Beyond warm-up and measurement, what a load generator may spend connecting (thousands of idle
    /// connections), waiting for its last echoes and writing its report before it counts as hung.
    /// </summary>
    public TimeSpan LoadGenGrace { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan LoadGenTimeout(string warmup, string duration) => DurationText.Parse(warmup) + DurationText.Parse(duration) + LoadGenGrace;

    /// <summary>The warm-up of a scenario's cells: the run's, or the scenario's <c>minimumWarmup</c> when that is longer.</summary>
    public string WarmupFor(Scenarios.ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.MinimumWarmup is string minimum && DurationText.Parse(minimum) > DurationText.Parse(Warmup) ? minimum : Warmup;
    }

    /// <summary>The measured phase of a scenario's cells: the run's, or the scenario's <c>minimumDuration</c> when that is longer.</summary>
    public string DurationFor(Scenarios.ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.MinimumDuration is string minimum && DurationText.Parse(minimum) > DurationText.Parse(Duration) ? minimum : Duration;
    }
}
