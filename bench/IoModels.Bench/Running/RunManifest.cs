namespace IoModels.Bench.Running;

/// <summary><c>manifest.json</c>: where, when, with what and how a run was made (TechEmpower-style), written at the start and again at the end.</summary>
internal sealed record RunManifest(
    string Schema,
    string StartedAt,
    string? FinishedAt,
    HostInfo Host,
    string DotnetSdk,
    string Gcc,
    string Node,
    string Commit,
    bool Dirty,
    PlacementRecord Placement,
    IReadOnlyList<string> Models,
    IReadOnlyList<string> Scenarios,
    RunOptionsRecord Options)
{
    public const string SchemaName = "iomodels.bench/1";
}

/// <summary>The machine a run was made on.</summary>
internal sealed record HostInfo(string Kernel, string CpuModel, int Cores, long MemoryKiB)
{
    /// <summary><c>net.core.somaxconn</c>: the kernel caps every listen backlog at it.</summary>
    public long? Somaxconn { get; init; }

    /// <summary><c>net.ipv4.tcp_syncookies</c>: whether a full SYN queue answers with cookies instead of dropping.</summary>
    public long? TcpSyncookies { get; init; }
}

/// <summary>Which CPUs the server and the load generator were pinned to, and why when it differs from what was asked.</summary>
internal sealed record PlacementRecord(string Mode, string Server, string Loadgen, string Description);

/// <summary>The options every cell of the run shared (each scenario's own options are in bench/scenarios.json and the cell's report).</summary>
internal sealed record RunOptionsRecord(bool Quick, string Profile, string Warmup, string Duration, string OpenLoopProbe, string ScenarioFile, string Framing);
