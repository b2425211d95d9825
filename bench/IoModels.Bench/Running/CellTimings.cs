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

    public TimeSpan LoadGenTimeout(string duration) => DurationText.Parse(Warmup) + DurationText.Parse(duration) + LoadGenGrace;
}
