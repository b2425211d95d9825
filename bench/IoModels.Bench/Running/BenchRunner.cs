using System.Globalization;
using System.Text.Json;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Running;

/// <summary>
/// The <c>run</c> verb: builds the tree, asks the server for its catalog, runs every model × scenario cell
/// with a fresh server (scenarios outside, models inside, so an open loop can use the capacity just
/// measured), writes the manifest, then the summary and charts, and compares with a baseline when asked.
/// </summary>
internal sealed class BenchRunner
{
    private readonly RunSettings _settings;
    private readonly TextWriter _log;

    public BenchRunner(RunSettings settings, TextWriter log)
    {
        _settings = settings;
        _log = log;
    }

    /// <summary>0 every cell that ran was correct (and the comparison passed), 1 otherwise.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var layout = _settings.Layout;
        string output = Path.GetFullPath(_settings.OutputDirectory);
        Directory.CreateDirectory(Path.Combine(output, BenchRun.CellsFolder));
        string started = Now();

        if (await Prerequisites.EnsureAsync(Path.Combine(output, "apt.log"), Log, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            return Fail(missing);
        }

        if (_settings.ScenarioNames.Any(name => _settings.Scenarios.Find(name)?.Network is not null))
        {
            await Prerequisites.EnsureNetworkToolsAsync(Path.Combine(output, "apt-network.log"), Log, cancellationToken).ConfigureAwait(false);
        }

        if (_settings.Build && !await BuildAsync(layout, Path.Combine(output, "build.log"), cancellationToken).ConfigureAwait(false))
        {
            return 1;
        }

        if (!File.Exists(layout.LoadGenDll) && Environment.GetEnvironmentVariable("IOMODELS_LOADGEN") is null)
        {
            return Fail($"the load generator was not built ({layout.LoadGenDll})");
        }

        // IOMODELS_LOADGEN: another load generator command taking the load generator options of docs/loadgen.md (e.g. a Debug build).
        IReadOnlyList<string> loadgen = Environment.GetEnvironmentVariable("IOMODELS_LOADGEN") is { Length: > 0 } custom
            ? custom.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : ["dotnet", layout.LoadGenDll];
        var servers = await ServerCatalog.AskAsync(layout, _settings.Scenarios, cancellationToken).ConfigureAwait(false);
        await CheckOptionsAsync(layout, loadgen, cancellationToken).ConfigureAwait(false);
        var models = _settings.Models ?? servers.Names;
        if (models.FirstOrDefault(model => !servers.Names.Contains(model)) is { } unknown)
        {
            throw new UsageException($"unknown model '{unknown}'; models are {string.Join(",", servers.Names)}");
        }

        var placement = Placement.Choose(_settings.Placement, Environment.ProcessorCount, CommandOutput.FindOnPath("taskset") is not null);
        var cells = _settings.ScenarioNames
            .Select(name => _settings.Scenarios.Find(name)!)
            .SelectMany(scenario => scenario.VariantsFor(_settings.Profile).Select(variant => (scenario, variant)))
            .ToList();
        await WriteManifestAsync(output, started, null, placement, models, cancellationToken).ConfigureAwait(false);

        var runner = new CellRunner(loadgen, new CellTimings(_settings.Warmup, _settings.Duration, _settings.Timings.OpenLoopProbe));
        var capacity = new Dictionary<string, double>(StringComparer.Ordinal);
        int total = cells.Count * models.Count;
        var progress = new ProgressClock(total);
        int failures = 0;
        Log($"run folder {output}: {models.Count} models × {_settings.ScenarioNames.Count} scenarios = {total} cells; {placement.Description}");
        var sweepBases = new Dictionary<string, double?>(StringComparer.Ordinal);
        var overloadRates = new Dictionary<string, Dictionary<string, (long? Rate, ServerAbsence? Absence)>>(StringComparer.Ordinal);
        foreach (var (scenario, variant) in cells)
        {
            double? sweepBase = null;
            if (variant?.RateFractionOfHighestCapacity is not null)
            {
                if (!sweepBases.TryGetValue(scenario.Name, out sweepBase))
                {
                    sweepBase = await HighestCapacityAsync(scenario, models, servers, runner, placement, capacity, output, cancellationToken).ConfigureAwait(false);
                    sweepBases[scenario.Name] = sweepBase;
                }
            }

            if (scenario.OverloadRate is not null && !overloadRates.ContainsKey(scenario.Name))
            {
                overloadRates[scenario.Name] = await OverloadRatesAsync(scenario, models, servers, runner, placement, output, cancellationToken).ConfigureAwait(false);
            }

            foreach (string model in models)
            {
                var plan = new CellPlan(model, scenario, variant)
                {
                    Capacity = capacity.TryGetValue(model, out double measured) ? measured : null,
                    DescriptorLimit = _settings.Scenarios.DescriptorLimitOf(model),
                    OfferedRate = variant?.RateFractionOfHighestCapacity is double fraction && sweepBase is double highest ? RatePlan.RateFor(highest, fraction) : null,
                };
                var overloadRate = overloadRates.GetValueOrDefault(scenario.Name)?.GetValueOrDefault(model);
                if (overloadRate?.Rate is long overloaded)
                {
                    plan = plan with { OfferedRate = overloaded };
                }

                string stem = Path.Combine(output, BenchRun.CellsFolder, plan.CellName, model);
                var (launch, absence) = await servers.ResolveAsync(model, cancellationToken).ConfigureAwait(false);
                if (launch is not null && variant?.RateFractionOfHighestCapacity is not null && plan.OfferedRate is null)
                {
                    absence = new ServerAbsence(CellStatus.LoadgenError, "no model echoed in its closed loop, so the sweep has no capacity to set its rates from");
                    launch = null;
                }

                if (launch is not null && overloadRate?.Absence is { } unprobed)
                {
                    absence = unprobed;
                    launch = null;
                }

                var result = launch is not null
                    ? await runner.RunAsync(plan, launch, placement, stem, cancellationToken).ConfigureAwait(false)
                    : await CellRunner.RecordAbsentAsync(plan, absence!, stem, cancellationToken).ConfigureAwait(false);
                if (result.Outcome.Status.IsFailure())
                {
                    failures++;
                }

                if (scenario.Capacity && result.Report is { MessagesPerSecond: > 0 } report)
                {
                    capacity[model] = report.MessagesPerSecond;
                }

                progress.CellDone();
                Log(ProgressLine(progress.Done, total, plan, result, progress.Remaining()));
            }
        }

        await WriteManifestAsync(output, started, Now(), placement, models, cancellationToken).ConfigureAwait(false);
        var run = BenchRun.Load(output, _settings.Scenarios);
        SummaryWriter.Write(run);
        Log($"summary: {Path.Combine(output, SummaryWriter.SummaryFile)}");
        int status = 0;
        if (failures > 0)
        {
            Log($"{failures} cell(s) failed correctness: see the top of {Path.Combine(output, SummaryWriter.SummaryFile)}");
            status = 1;
        }

        if (_settings.CompareWith is string baseline)
        {
            var comparison = RunComparison.Compare(BenchRun.Load(baseline, _settings.Scenarios), run, _settings.ThresholdPercent / 100.0);
            string markdown = comparison.ToMarkdown();
            Console.Out.Write(markdown);
            await File.WriteAllTextAsync(Path.Combine(output, "compare.md"), markdown, cancellationToken).ConfigureAwait(false);
            Log(comparison.Describe());
            status = comparison.Passed ? status : 1;
        }

        return status;
    }

    /// <summary>
    /// The base of a rate sweep: the highest messages per second any model of the run reached in a closed loop.
    /// A model with no capacity from earlier in the run is probed first with the sweep's own load, so a sweep run on
    /// its own still offers every model the same rates.
    /// </summary>
    private async Task<double?> HighestCapacityAsync(ScenarioDefinition scenario, IReadOnlyList<string> models, ServerCatalog servers, CellRunner runner, Placement placement, Dictionary<string, double> capacity, string output, CancellationToken cancellationToken)
    {
        foreach (string model in models.Where(model => !capacity.ContainsKey(model)))
        {
            var (launch, _) = await servers.ResolveAsync(model, cancellationToken).ConfigureAwait(false);
            if (launch is null)
            {
                continue;
            }

            string stem = Path.Combine(output, BenchRun.CellsFolder, scenario.Name + "-capacity", model);
            double measured = (await runner.MeasureCapacityAsync(new CellPlan(model, scenario, null), launch, placement, stem, cancellationToken).ConfigureAwait(false)).MessagesPerSecond;
            Log(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name}: {model}'s closed-loop capacity {measured:0} msg/s (probe, {_settings.Timings.OpenLoopProbe})"));
            if (measured > 0)
            {
                capacity[model] = measured;
            }
        }

        var inRun = models.Where(capacity.ContainsKey).ToList();
        double? highest = RatePlan.HighestCapacity(inRun.Select(model => capacity[model]));
        if (highest is double value)
        {
            string fastest = inRun.MaxBy(model => capacity[model])!;
            var rates = scenario.RateSweep!.FractionsOfHighestCapacity.Select(fraction => RatePlan.RateFor(value, fraction).ToString("N0", CultureInfo.InvariantCulture));
            Log(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name}: highest capacity {value:0} msg/s ({fastest}); offered rates {string.Join(", ", rates)} msg/s"));
        }

        return highest;
    }

    /// <summary>
    /// The rate of each model's cells in an <c>overloadRate</c> scenario: the factor times the model's own closed-loop
    /// capacity, probed first with the probe's options, so the TCP and the UDP variant of a model get the same rate.
    /// A model the probe could not measure gets, instead of a rate, why its cells do not run.
    /// </summary>
    private async Task<Dictionary<string, (long? Rate, ServerAbsence? Absence)>> OverloadRatesAsync(ScenarioDefinition scenario, IReadOnlyList<string> models, ServerCatalog servers, CellRunner runner, Placement placement, string output, CancellationToken cancellationToken)
    {
        var overload = scenario.OverloadRate!;
        var rates = new Dictionary<string, (long? Rate, ServerAbsence? Absence)>(StringComparer.Ordinal);
        string probeOptions = string.Join(' ', [.. scenario.Server, .. overload.ProbeServer, "/", .. scenario.Loadgen, .. overload.ProbeLoadgen]);
        foreach (string model in models)
        {
            var (launch, _) = await servers.ResolveAsync(model, cancellationToken).ConfigureAwait(false);
            if (launch is null)
            {
                continue; // its cells are recorded absent, for the reason the catalog gives
            }

            string stem = Path.Combine(output, BenchRun.CellsFolder, scenario.Name + "-capacity", model);
            var measured = await runner.MeasureCapacityAsync(new CellPlan(model, scenario, overload.ProbeVariant()), launch, placement, stem, cancellationToken).ConfigureAwait(false);
            if (measured.MessagesPerSecond > 0)
            {
                long rate = RatePlan.RateFor(measured.MessagesPerSecond, overload.FactorOfCapacity);
                rates[model] = (rate, null);
                Log(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name}: {model}'s closed-loop capacity {measured.MessagesPerSecond:0} msg/s (probe {probeOptions}, {_settings.Timings.OpenLoopProbe}); offered {overload.FactorOfCapacity} × = {rate:N0} msg/s"));
            }
            else
            {
                var status = measured.Unavailable ? CellStatus.NotAvailable : CellStatus.LoadgenError;
                rates[model] = (null, new ServerAbsence(status, $"no capacity to offer {overload.FactorOfCapacity} times: {measured.Problem}"));
                Log($"{scenario.Name}: {model} has no capacity to offer a multiple of: {measured.Problem}");
            }
        }

        return rates;
    }

    private static string ProgressLine(int index, int total, CellPlan plan, CellResult result, string remaining)
    {
        string figures = result.Outcome.Status == CellStatus.Ok && result.Report is { } report
            ? string.Create(CultureInfo.InvariantCulture, $"{report.MessagesPerSecond:0} msg/s, p99 {report.P99Micros ?? 0:0} µs")
            : result.Outcome.Detail;
        return string.Create(CultureInfo.InvariantCulture, $"[{index,3}/{total}] {plan.Model,-11} × {plan.CellName,-18} {result.Outcome.Status.ToName()} {figures} ({result.Outcome.Seconds:0} s){(remaining.Length > 0 ? ", " + remaining : "")}");
    }

    private async Task<bool> BuildAsync(RepositoryLayout layout, string logPath, CancellationToken cancellationToken)
    {
        Log($"building Release (dotnet build {RepositoryLayout.SolutionFile} -c Release)");
        var result = await CommandOutput.RunAsync("dotnet", ["build", layout.Solution, "-c", "Release", "-v", "quiet", "-nologo"], TimeSpan.FromMinutes(20), cancellationToken, layout.Root).ConfigureAwait(false);
        await File.WriteAllTextAsync(logPath, result?.StandardOutput + result?.StandardError, cancellationToken).ConfigureAwait(false);
        if (result is { ExitCode: 0 })
        {
            return true;
        }

        foreach (string line in (result?.StandardOutput ?? "").Split('\n').TakeLast(30))
        {
            await _log.WriteLineAsync(line).ConfigureAwait(false);
        }

        Fail($"the build failed (full log: {logPath})");
        return false;
    }

    /// <summary>A scenario naming an option neither the server nor the load generator takes is refused before any cell runs.</summary>
    private async Task CheckOptionsAsync(RepositoryLayout layout, IReadOnlyList<string> loadgen, CancellationToken cancellationToken)
    {
        var serverHelp = await CommandOutput.RunAsync("dotnet", [layout.ServerDll, "--help"], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        var loadgenHelp = await CommandOutput.RunAsync(loadgen[0], [.. loadgen.Skip(1), "--help"], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        if (serverHelp is null || loadgenHelp is null)
        {
            return; // a tool that cannot even print its help fails every cell, which says more than a refusal here
        }

        try
        {
            OptionVocabulary.Check(
                _settings.Scenarios,
                _settings.ScenarioFilePath,
                OptionVocabulary.FromHelp("the server", serverHelp.StandardOutput + serverHelp.StandardError),
                OptionVocabulary.FromHelp("the load generator", loadgenHelp.StandardOutput + loadgenHelp.StandardError));
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    private async Task WriteManifestAsync(string output, string started, string? finished, Placement placement, IReadOnlyList<string> models, CancellationToken cancellationToken)
    {
        var layout = _settings.Layout;
        var (commit, dirty) = await HostFacts.GitStateAsync(layout.Root, output, cancellationToken).ConfigureAwait(false);
        var manifest = new RunManifest(
            RunManifest.SchemaName,
            started,
            finished,
            HostFacts.Host(),
            await CommandOutput.FirstLineAsync("dotnet", ["--version"], "unknown", cancellationToken).ConfigureAwait(false),
            await CommandOutput.FirstLineAsync("gcc", ["-dumpfullversion"], "none", cancellationToken).ConfigureAwait(false),
            await CommandOutput.FirstLineAsync("node", ["--version"], "none", cancellationToken).ConfigureAwait(false),
            commit,
            dirty,
            placement.ToRecord(),
            models,
            _settings.ScenarioNames,
            new RunOptionsRecord(_settings.Quick, _settings.Profile, _settings.Warmup, _settings.Duration, _settings.Timings.OpenLoopProbe, Path.GetRelativePath(layout.Root, _settings.ScenarioFilePath), "framed"));
        await File.WriteAllTextAsync(Path.Combine(output, BenchRun.ManifestFile), JsonSerializer.Serialize(manifest, RunJsonContext.Default.RunManifest), cancellationToken).ConfigureAwait(false);
    }

    private static int Fail(string problem)
    {
        Console.Error.WriteLine($"{ToolName.Current}: {problem}");
        return 1;
    }

    private void Log(string line) => _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
