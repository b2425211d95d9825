using IoModels.Bench.Ab;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Running;

/// <summary>
/// The A/B verb's cell runner: this tree's <see cref="CellRunner"/> and load generator, under one placement, started
/// once with the ref's server and once with this tree's, so the server build is the only difference between A and B.
/// A side's models are the catalog its own server prints, plus the scenario file's rows that start one of them
/// another way (saea-inline); the C reference and the peers are not built from a ref, so they are not compared.
/// </summary>
internal sealed class AbCellRunner : IAbCellRunner
{
    private readonly AbBuilds _builds;
    private readonly ScenarioFile _scenarios;
    private readonly CellRunner _runner;
    private readonly Placement _placement;
    private readonly string _outputDirectory;
    private readonly Dictionary<AbSide, IReadOnlyList<string>> _catalogs = [];
    private int _runs;

    public AbCellRunner(AbBuilds builds, ScenarioFile scenarios, RepositoryLayout layout, CellTimings timings, Placement placement, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(layout);
        _builds = builds;
        _scenarios = scenarios;
        _runner = new CellRunner(["dotnet", layout.LoadGenDll], timings);
        _placement = placement;
        _outputDirectory = outputDirectory;
        DefaultScenarios = scenarios.Ci.TryGetValue("compared", out var compared) ? compared.Scenarios : [.. scenarios.Scenarios.Select(s => s.Name)];
    }

    public IReadOnlyList<string> DefaultScenarios { get; }

    /// <summary>
    /// The runner for this tree: its scenario file and load generator, the quick profile's cell lengths, the split
    /// placement when the machine allows it, and the cells' files in a folder of their own under the temp folder.
    /// </summary>
    public static AbCellRunner ForThisTree(AbBuilds builds)
    {
        var layout = RepositoryLayout.Find();
        var scenarios = ScenarioFileLoader.Load(layout.ScenarioFile);
        var profile = scenarios.Profiles[ScenarioFile.QuickProfile];
        var placement = Placement.Choose(PlacementMode.Split, Environment.ProcessorCount, CommandOutput.FindOnPath("taskset") is not null);
        string cells = Path.Combine(Path.GetTempPath(), $"iomodels-ab-{Environment.ProcessId}");
        return new AbCellRunner(builds, scenarios, layout, new CellTimings(profile.Warmup, profile.Duration, profile.OpenLoopProbe), placement, cells);
    }

    public async Task<IReadOnlyList<string>> ListModelsAsync(AbSide side, CancellationToken cancellationToken)
    {
        var catalog = await CatalogAsync(side, cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        foreach (string model in catalog)
        {
            names.Add(model);
            names.AddRange(_scenarios.Servers.Where(row => row.Model == model).Select(row => row.Name));
        }

        return names;
    }

    public async Task<AbSample> RunAsync(AbSide side, string model, string scenario, CancellationToken cancellationToken)
    {
        var definition = _scenarios.Find(scenario) ?? throw new AbUsageException($"unknown scenario '{scenario}'; scenarios are {string.Join(",", _scenarios.Scenarios.Select(s => s.Name))}");
        var row = _scenarios.FindServer(model);
        string catalogModel = row?.Model ?? model;
        IReadOnlyDictionary<string, string> environment = row?.Environment ?? new Dictionary<string, string>();
        var launch = new ServerLaunch(model, ["dotnet", _builds.Server(side), "--model", catalogModel], environment);

        // A scenario with variants (idle steps) is compared on its first quick-profile cell: one number per round.
        var plan = new CellPlan(model, definition, definition.VariantsFor(ScenarioFile.QuickProfile)[0]);
        string stem = Path.Combine(_outputDirectory, "cells", plan.CellName, $"{model}.{side}.{Interlocked.Increment(ref _runs)}");
        var result = await _runner.RunAsync(plan, launch, _placement, stem, cancellationToken).ConfigureAwait(false);
        if (result.Outcome.Status != CellStatus.Ok || result.Report is not { } report)
        {
            return AbSample.Failed($"{result.Outcome.Status.ToName()}: {result.Outcome.Detail}");
        }

        double? cpuPerMessage = report.ServerCpuSeconds is double cpu && report.Messages > 0 ? cpu / report.Messages : null;
        return new AbSample(report.MessagesPerSecond, cpuPerMessage);
    }

    private async Task<IReadOnlyList<string>> CatalogAsync(AbSide side, CancellationToken cancellationToken)
    {
        if (!_catalogs.TryGetValue(side, out var catalog))
        {
            var help = await CommandOutput.RunAsync("dotnet", [_builds.Server(side), "--help"], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
            catalog = help is null ? [] : ServerCatalog.ParseCatalog(help.StandardOutput + "\n" + help.StandardError);
            _catalogs[side] = catalog;
        }

        return catalog;
    }
}
