using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Running;

/// <summary>
/// Every server a run can put in its matrix: the models the server's own catalog lists (asked of its
/// <c>--help</c>, so a model added to the catalog is benchmarked with no edit here) and the rows of the
/// scenario file's <c>servers</c> table (the C reference, the peers, catalog models with another environment).
/// </summary>
internal sealed class ServerCatalog
{
    private readonly RepositoryLayout _layout;
    private readonly ScenarioFile _file;
    private readonly Dictionary<string, Task<(string? Path, string Problem)>> _builds = new(StringComparer.Ordinal);

    public ServerCatalog(RepositoryLayout layout, ScenarioFile file, IReadOnlyList<string> catalogModels)
    {
        _layout = layout;
        _file = file;
        CatalogModels = catalogModels;
        Names = OrderNames(file, catalogModels);
    }

    public IReadOnlyList<string> CatalogModels { get; }

    /// <summary>The default matrix, in table order: <c>reference</c>, the catalog's models (each followed by the rows that start it another way), then the peers.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The catalog models listed on the <c>--model MODEL</c> line of the server's help.</summary>
    public static IReadOnlyList<string> ParseCatalog(string helpText)
    {
        ArgumentNullException.ThrowIfNull(helpText);
        foreach (string line in helpText.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("--model MODEL", StringComparison.Ordinal))
            {
                return trimmed["--model MODEL".Length..]
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .ToList();
            }
        }

        return [];
    }

    public static async Task<ServerCatalog> AskAsync(RepositoryLayout layout, ScenarioFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var help = File.Exists(layout.ServerDll)
            ? await CommandOutput.RunAsync("dotnet", [layout.ServerDll, "--help"], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false)
            : null;
        return new ServerCatalog(layout, file, help is null ? [] : ParseCatalog(help.StandardOutput + "\n" + help.StandardError));
    }

    /// <summary>How to start <paramref name="name"/> here, or why it cannot run.</summary>
    public async Task<(ServerLaunch? Launch, ServerAbsence? Absence)> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        var row = _file.FindServer(name);
        if (row is null)
        {
            return CatalogModels.Contains(name)
                ? (ModelLaunch(name, name, new Dictionary<string, string>()), null)
                : (null, new ServerAbsence(CellStatus.NotAvailable, $"the server does not know this model yet (it knows {string.Join(", ", CatalogModels)})"));
        }

        if (row.Model is string model)
        {
            return CatalogModels.Contains(model)
                ? (ModelLaunch(name, model, row.Environment), null)
                : (null, new ServerAbsence(CellStatus.NotAvailable, $"the server does not know model '{model}' yet"));
        }

        foreach (string required in row.Requires)
        {
            if (!File.Exists(_layout.Resolve(required)) && !Directory.Exists(_layout.Resolve(required)))
            {
                return (null, new ServerAbsence(CellStatus.NotAvailable, $"{required} is not in this tree"));
            }
        }

        var command = row.Command.Select(ResolveArgument).ToList();
        if (row.Build is string script)
        {
            var (path, problem) = await BuildAsync(script, cancellationToken).ConfigureAwait(false);
            if (path is null)
            {
                var status = File.Exists(_layout.Resolve(script)) ? CellStatus.FailedToStart : CellStatus.NotAvailable;
                return (null, new ServerAbsence(status, problem));
            }

            command.Insert(0, path);
        }

        if (command.Count == 0)
        {
            return (null, new ServerAbsence(CellStatus.NotAvailable, "its row in the servers table has no command"));
        }

        if (CommandOutput.FindOnPath(command[0]) is null)
        {
            return (null, new ServerAbsence(CellStatus.Skipped, $"{command[0]} is not installed"));
        }

        return (new ServerLaunch(name, command, row.Environment), null);
    }

    private ServerLaunch ModelLaunch(string name, string model, IReadOnlyDictionary<string, string> environment) =>
        new(name, ["dotnet", _layout.ServerDll, "--model", model], environment);

    /// <summary>A relative path to a file of the tree becomes absolute, so the command works from any folder.</summary>
    private string ResolveArgument(string argument) =>
        argument.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(argument) && File.Exists(_layout.Resolve(argument))
            ? _layout.Resolve(argument)
            : argument;

    private Task<(string? Path, string Problem)> BuildAsync(string script, CancellationToken cancellationToken)
    {
        lock (_builds)
        {
            if (!_builds.TryGetValue(script, out var build))
            {
                build = RunBuildAsync(script, cancellationToken);
                _builds[script] = build;
            }

            return build;
        }
    }

    private async Task<(string? Path, string Problem)> RunBuildAsync(string script, CancellationToken cancellationToken)
    {
        string path = _layout.Resolve(script);
        if (!File.Exists(path))
        {
            return (null, $"{script} is not in this tree");
        }

        var result = await CommandOutput.RunAsync(path, [], TimeSpan.FromMinutes(5), cancellationToken, _layout.Root).ConfigureAwait(false);
        if (result is not { ExitCode: 0 })
        {
            string reason = result is null ? "did not run or finish" : result.StandardError.Trim().Split('\n')[^1];
            return (null, $"{script} failed: {reason}");
        }

        string executable = result.StandardOutput.Trim().Split('\n')[^1].Trim();
        executable = Path.IsPathRooted(executable) ? executable : _layout.Resolve(executable);
        return File.Exists(executable) ? (executable, "") : (null, $"{script} printed '{executable}', which is not a file");
    }

    private static List<string> OrderNames(ScenarioFile file, IReadOnlyList<string> catalog)
    {
        var names = new List<string>();
        if (file.FindServer(BenchRun.ReferenceModel) is not null)
        {
            names.Add(BenchRun.ReferenceModel);
        }

        foreach (string model in catalog.Where(model => !names.Contains(model)))
        {
            names.Add(model);
            names.AddRange(file.Servers.Where(row => row.Model == model).Select(row => row.Name));
        }

        names.AddRange(file.Servers.Select(row => row.Name).Where(name => !names.Contains(name)));
        return names;
    }
}
