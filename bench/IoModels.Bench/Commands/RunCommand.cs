using System.CommandLine;
using System.Globalization;
using IoModels.Bench.Running;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Commands;

/// <summary><c>run</c>: the whole matrix, or the part named, into a run folder (what <c>./run-bench.sh</c> does).</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "the whole matrix, short: the scenario file's quick profile (300 ms warm-up, 1 s per cell, fewer idle steps)" };
        var models = new Option<string?>("--models") { Description = "comma-separated; default: reference, every model of the server's catalog, the servers table's rows", HelpName = "LIST" };
        var scenarios = new Option<string?>("--scenarios") { Description = "comma-separated; default: every scenario of the scenario file", HelpName = "LIST" };
        var ci = new Option<string?>("--ci") { Description = "take --models, --scenarios (and cell lengths) from the scenario file's ci list NAME", HelpName = "NAME" };
        var output = new Option<string?>("--out") { Description = "run folder (default bench-results/yyyyMMdd-HHmmss, UTC)", HelpName = "DIR" };
        var placement = new Option<string>("--placement")
        {
            Description = "split: server on CPU 0, load generator on CPU 1 (taskset); shared: both on CPU 0; none: no pinning",
            HelpName = "split|shared|none",
            DefaultValueFactory = _ => "split",
        };
        placement.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is not ("split" or "shared" or "none"))
            {
                result.AddError("--placement must be split, shared or none");
            }
        });
        var compare = new Option<string?>("--compare") { Description = "after the run, compare it with the run in DIR (e.g. bench-results/baseline)", HelpName = "BASELINE_DIR" };
        compare.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } directory && !Directory.Exists(directory))
            {
                result.AddError($"no baseline run folder at '{directory}'");
            }
        });
        var threshold = CompareCommand.ThresholdOption();
        var warmup = DurationOption("--warmup", "warm-up per cell, overriding the profile's (e.g. 2s)");
        var duration = DurationOption("--duration", "measured time per cell, overriding the profile's (e.g. 10s)");
        var noBuild = new Option<bool>("--no-build") { Description = "use the tree as built (run-bench.sh builds it first)" };
        var scenarioFile = CommonOptions.ScenarioFile();
        var command = new Command("run", "puts every server through the scenarios and writes a run folder with summary.md and charts; exit 0 when every cell that ran was correct (and --compare passed), 1 otherwise, 2 for a bad option")
        {
            quick, models, scenarios, ci, output, placement, compare, threshold, warmup, duration, noBuild, scenarioFile,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (path, file) = CommonOptions.LoadScenarios(result, scenarioFile);
            var layout = RepositoryLayout.Find();
            CiSelection? selection = null;
            if (result.GetValue(ci) is { } ciName && !file.Ci.TryGetValue(ciName, out selection))
            {
                throw new UsageException($"no ci list '{ciName}' in {path}; it has {string.Join(", ", file.Ci.Keys)}");
            }

            var scenarioNames = result.GetValue(scenarios) is { } scenarioText
                ? CommonOptions.SplitList(scenarioText)
                : selection?.Scenarios ?? file.Scenarios.Select(scenario => scenario.Name).ToList();
            if (scenarioNames.FirstOrDefault(name => file.Find(name) is null) is { } unknown)
            {
                throw new UsageException($"unknown scenario '{unknown}'; scenarios are {string.Join(",", file.Scenarios.Select(scenario => scenario.Name))}");
            }

            IReadOnlyList<string>? modelNames = result.GetValue(models) is { } modelText
                ? CommonOptions.SplitList(modelText)
                : selection is { Models.Count: > 0 } ? selection.Models : null;
            string outputDirectory = result.GetValue(output)
                ?? Path.Combine(layout.Root, "bench-results", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            if (File.Exists(Path.Combine(outputDirectory, BenchRun.ManifestFile)))
            {
                // Cells left from another run would mix into this one's summary.
                throw new UsageException($"'{outputDirectory}' already holds a run; remove it or choose another --out");
            }

            bool isQuick = result.GetValue(quick);
            var profile = file.Profiles[isQuick ? ScenarioFile.QuickProfile : ScenarioFile.FullProfile];
            var settings = new RunSettings(
                layout,
                path,
                file,
                isQuick,
                modelNames,
                scenarioNames,
                outputDirectory,
                Enum.Parse<PlacementMode>(result.GetValue(placement)!, ignoreCase: true),
                result.GetValue(warmup) ?? selection?.Warmup ?? profile.Warmup,
                result.GetValue(duration) ?? selection?.Duration ?? profile.Duration,
                result.GetValue(compare),
                result.GetValue(threshold),
                !result.GetValue(noBuild));
            return await new BenchRunner(settings, Console.Error).RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Option<string?> DurationOption(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "D" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !DurationText.IsValid(text))
            {
                result.AddError($"{name} takes a duration such as 500ms or 2s");
            }
        });
        return option;
    }
}
