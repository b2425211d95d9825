namespace IoModels.LoadGen.Reporting;

public sealed record EnvironmentReport
{
    public required string Os { get; init; }

    public required int Cores { get; init; }

    public required string Dotnet { get; init; }

    /// <summary>The repository's commit (<c>git rev-parse HEAD</c>), or "unknown".</summary>
    public required string Commit { get; init; }

    /// <summary>CPUs this process may run on (Cpus_allowed_list): placement changes latency, so it is recorded.</summary>
    public required string CpuAffinity { get; init; }

    public required string Machine { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }
}
