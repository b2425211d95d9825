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
