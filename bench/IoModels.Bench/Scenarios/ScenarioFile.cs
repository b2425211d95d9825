namespace IoModels.Bench.Scenarios;

/// <summary>
/// <c>bench/scenarios.json</c>: the whole matrix as data. The runner, the summary, the charts, CI and the
/// README's scenario table all read it, so adding a scenario is one entry.
/// </summary>
internal sealed record ScenarioFile(
    IReadOnlyDictionary<string, RunProfile> Profiles,
    IReadOnlyList<ServerEntry> Servers,
    IReadOnlyList<ScenarioDefinition> Scenarios,
    IReadOnlyDictionary<string, CiSelection> Ci)
{
    public const string FullProfile = "full";

    /// <summary>
    /// Catalog models that by design close at once any connection whose descriptor is at or above a limit
    /// (<c>select-libc</c>: glibc's 1,024-bit <c>fd_set</c>, docs/server.md): a cell whose every failure is such a
    /// refusal, by the server's own count, is the finding <c>refused</c>, not a correctness failure.
    /// </summary>
    public IReadOnlyDictionary<string, int> DescriptorLimits { get; set; } = new Dictionary<string, int>();

    /// <summary>The descriptor limit of a server of the matrix: its own, or that of the catalog model its row starts.</summary>
    public int? DescriptorLimitOf(string server) =>
        DescriptorLimits.TryGetValue(FindServer(server)?.Model ?? server, out int limit) ? limit : null;

    public const string QuickProfile = "quick";

    public ScenarioDefinition? Find(string name) => Scenarios.FirstOrDefault(scenario => scenario.Name == name);

    /// <summary>The order scenario families appear in the summary; unknown families last.</summary>
    public int OrderOf(string family)
    {
        for (int i = 0; i < Scenarios.Count; i++)
        {
            if (Scenarios[i].Name == family)
            {
                return i;
            }
        }

        return Scenarios.Count;
    }

    public ServerEntry? FindServer(string name) => Servers.FirstOrDefault(server => server.Name == name);
}
