namespace IoModels.Bench.Scenarios;

/// <summary>
/// A row of the servers table beside the catalog's models: a peer with its own command, or a catalog
/// model started another way (<see cref="Model"/> with <see cref="Environment"/>).
/// </summary>
internal sealed record ServerEntry(string Name, string Claim)
{
    /// <summary>A script (relative to the repository) that builds the server and prints its executable's path.</summary>
    public string? Build { get; set; }

    /// <summary>The command, relative paths against the repository; after <see cref="Build"/>'s executable when there is one.</summary>
    public IReadOnlyList<string> Command { get; set; } = [];

    /// <summary>A catalog model this row starts with <c>--model</c> (and its own environment).</summary>
    public string? Model { get; set; }

    /// <summary>Files that must exist (relative to the repository), else the row is <c>not-available</c>.</summary>
    public IReadOnlyList<string> Requires { get; set; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();
}
