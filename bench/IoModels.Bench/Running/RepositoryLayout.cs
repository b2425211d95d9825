using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Running;

/// <summary>Where a tree's built servers, load generator and scenario file are, from its root.</summary>
internal sealed record RepositoryLayout(string Root)
{
    public const string SolutionFile = "IoModels.sln";

    public string Solution => Path.Combine(Root, SolutionFile);

    public string ServerDll => Path.Combine(Root, "servers/IoModels.Server/bin/Release/net10.0/IoModels.Server.dll");

    public string LoadGenDll => Path.Combine(Root, "loadgen/IoModels.LoadGen/bin/Release/net10.0/IoModels.LoadGen.dll");

    public string ScenarioFile => Path.Combine(Root, ScenarioFileLoader.DefaultRelativePath);

    public string Resolve(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    /// <summary>The nearest folder holding <c>IoModels.sln</c> above <paramref name="start"/> (default: this tool's own folder, then the current one).</summary>
    public static RepositoryLayout Find(string? start = null)
    {
        foreach (string? candidate in new[] { start, AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? directory = candidate is null ? null : new DirectoryInfo(candidate); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                {
                    return new RepositoryLayout(directory.FullName);
                }
            }
        }

        throw new InvalidDataException($"no {SolutionFile} above {start ?? AppContext.BaseDirectory} or {Environment.CurrentDirectory}");
    }
}
