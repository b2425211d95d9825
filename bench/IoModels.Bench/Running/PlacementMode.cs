namespace IoModels.Bench.Running;

/// <summary>Where the server and the load generator run (bench-results/README.md, "Where processes run").</summary>
internal enum PlacementMode
{
    /// <summary>Server on CPU 0, load generator on CPU 1.</summary>
    Split,

    /// <summary>Both on CPU 0.</summary>
    Shared,

    /// <summary>No pinning: the scheduler decides.</summary>
    None,
}
