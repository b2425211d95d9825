using System.Text.Json;
using System.Text.RegularExpressions;

namespace IoModels.Bench.Scenarios;

/// <summary>Reads and checks <c>bench/scenarios.json</c>; every mistake in it is one <see cref="InvalidDataException"/> naming the file.</summary>
internal static class ScenarioFileLoader
{
    public const string DefaultRelativePath = "bench/scenarios.json";

    public static ScenarioFile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"no scenario file at '{path}'");
        }

        ScenarioFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(path), ScenarioJsonContext.Default.ScenarioFile);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {Describe(e)}", e);
        }

        if (file is null)
        {
            throw new InvalidDataException($"{path}: the file holds null");
        }

        Check(file, path);
        return file;
    }

    /// <summary>The serializer's complaint in the file's terms: which key, where (its line number is 0-based), and the words allowed.</summary>
    private static string Describe(JsonException e)
    {
        string where = $"at {e.Path}, line {e.LineNumber + 1}";
        if (Regex.Match(e.Message, "The JSON property '([^']*)' could not be mapped") is { Success: true } unknown)
        {
            return $"unknown key '{unknown.Groups[1].Value}' ({where})";
        }

        if (Regex.Match(e.Message, "missing required properties including: (.*?)\\.?$") is { Success: true } missing)
        {
            return $"required key {missing.Groups[1].Value} is missing ({where})";
        }

        string key = Regex.Replace(e.Path ?? "", @"\[\d+\]$", "");
        key = key[(key.LastIndexOf('.') + 1)..];
        if (s_wordsByKey.TryGetValue(key, out var words))
        {
            return $"'{key}' must be one of {string.Join(", ", words)} ({where})";
        }

        return $"{e.Message.Split(" Path:")[0].TrimEnd('.')} ({where})";
    }

    private static readonly Dictionary<string, string[]> s_wordsByKey = new(StringComparer.Ordinal)
    {
        ["metric"] = Words<ScoreMetric>(),
        ["charts"] = Words<ChartKind>(),
        ["table"] = Words<ScenarioTable>(),
        ["column"] = Words<ScenarioColumn>(),
    };

    private static string[] Words<T>()
        where T : struct, Enum => Enum.GetNames<T>().Select(JsonNamingPolicy.KebabCaseLower.ConvertName).ToArray();

    private static void Check(ScenarioFile file, string path)
    {
        foreach (string profile in new[] { ScenarioFile.FullProfile, ScenarioFile.QuickProfile })
        {
            Require(file.Profiles.ContainsKey(profile), $"profile '{profile}' is missing");
        }

        foreach (var (name, profile) in file.Profiles)
        {
            foreach (string duration in new[] { profile.Warmup, profile.Duration, profile.OpenLoopProbe })
            {
                Require(DurationText.IsValid(duration), $"profile '{name}': '{duration}' is not a duration such as 500ms or 2s");
            }
        }

        RequireUnique(file.Scenarios.Select(scenario => scenario.Name), "scenario");
        foreach (var (model, limit) in file.DescriptorLimits)
        {
            Require(limit > 0, $"descriptorLimits: '{model}' has {limit}; a limit is a descriptor number above 0");
        }

        RequireUnique(file.Servers.Select(server => server.Name), "server");
        foreach (var scenario in file.Scenarios)
        {
            Require(IsName(scenario.Name), $"scenario '{scenario.Name}': a name is lower-case letters, digits and '-'");
            Require(scenario.Charts.Count > 0, $"scenario '{scenario.Name}': 'charts' is empty");
            RequireUnique(scenario.Variants.Select(variant => variant.Name), $"variant of scenario '{scenario.Name}'");
            foreach (var variant in scenario.Variants)
            {
                Require(IsName(variant.Name), $"scenario '{scenario.Name}': variant '{variant.Name}': a name is lower-case letters, digits and '-'");
                foreach (string profile in variant.Profiles)
                {
                    Require(file.Profiles.ContainsKey(profile), $"scenario '{scenario.Name}': variant '{variant.Name}' names profile '{profile}', which is not in 'profiles'");
                }
            }

            Require(scenario.Table is null or ScenarioTable.DatagramFate || scenario.Variants.Count >= 2, $"scenario '{scenario.Name}': 'table' '{JsonNamingPolicy.KebabCaseLower.ConvertName(scenario.Table.ToString()!)}' compares variants and needs at least two");
            Require(!scenario.Charts.Contains(ChartKind.VariantLines) || scenario.Variants.Count >= 2, $"scenario '{scenario.Name}': chart 'variant-lines' needs at least two variants");
            Require(scenario.RateFractionOfCapacity is null or (> 0 and <= 1), $"scenario '{scenario.Name}': 'rateFractionOfCapacity' must be in (0, 1]");
            Require(scenario.MinimumWarmup is null || DurationText.IsValid(scenario.MinimumWarmup), $"scenario '{scenario.Name}': 'minimumWarmup' '{scenario.MinimumWarmup}' is not a duration such as 500ms or 2s");
            Require(scenario.MinimumDuration is null || DurationText.IsValid(scenario.MinimumDuration), $"scenario '{scenario.Name}': 'minimumDuration' '{scenario.MinimumDuration}' is not a duration such as 500ms or 2s");
            Require(scenario.Network is null or { DropPercent: >= 0 and <= 100 }, $"scenario '{scenario.Name}': 'network.dropPercent' must be 0 to 100");
            Require(scenario.Interval is null || (DurationText.IsValid(scenario.Interval) && DurationText.Parse(scenario.Interval) > TimeSpan.Zero), $"scenario '{scenario.Name}': 'interval' '{scenario.Interval}' is not a duration above zero such as 100ms or 1s");
            Require(!scenario.Charts.Contains(ChartKind.LatencyVsLoad) || scenario.RateSweep is not null, $"scenario '{scenario.Name}': chart 'latency-vs-load' needs a 'rateSweep'");
            if (scenario.RateSweep is { } sweep)
            {
                CheckSweep(scenario, sweep);
            }

            string[] loadgenOptions = [.. scenario.Loadgen, .. scenario.Variants.SelectMany(variant => variant.Loadgen), .. scenario.OverloadRate?.ProbeLoadgen ?? []];
            if (scenario.OverloadRate is { } overload)
            {
                CheckOverload(scenario, overload, loadgenOptions);
            }

            foreach (string option in loadgenOptions)
            {
                Require(!s_reservedLoadGenOptions.Contains(option), $"scenario '{scenario.Name}': '{option}' is set by the runner for every cell");
            }
        }

        foreach (var (name, selection) in file.Ci)
        {
            foreach (string scenario in selection.Scenarios)
            {
                Require(file.Find(scenario) is not null, $"ci '{name}' names scenario '{scenario}', which is not in 'scenarios'");
            }

            foreach (string? duration in new[] { selection.Warmup, selection.Duration })
            {
                Require(duration is null || DurationText.IsValid(duration), $"ci '{name}': '{duration}' is not a duration such as 500ms or 2s");
            }
        }

        void CheckSweep(ScenarioDefinition scenario, RateSweep sweep)
        {
            string where = $"scenario '{scenario.Name}': 'rateSweep'";
            Require(scenario.Variants.Count == 0 && scenario.RateFractionOfCapacity is null && scenario.Table is null, $"{where} makes the scenario's cells itself: it takes no 'variants', 'rateFractionOfCapacity' or 'table'");
            Require(sweep.FractionsOfHighestCapacity.Count >= 2, $"{where}: 'fractionsOfHighestCapacity' needs at least two rates");
            foreach (double fraction in sweep.FractionsOfHighestCapacity)
            {
                // Each step's cell is named by its whole percentage, so two steps cannot share a name.
                Require(fraction is > 0 and <= 10 && Math.Abs((fraction * 100) - Math.Round(fraction * 100)) < 1e-9, $"{where}: fraction {fraction} is not a whole percentage between 1% and 1,000%");
            }

            RequireUnique(sweep.Variants().Select(variant => variant.Name), $"step of {where}");
            Require(sweep.P99LimitMicros > 0, $"{where}: 'p99LimitMicros' must be above 0");
            Require(sweep.SustainedFraction is > 0 and <= 1, $"{where}: 'sustainedFraction' must be in (0, 1]");
        }

        void CheckOverload(ScenarioDefinition scenario, OverloadRate overload, string[] loadgenOptions)
        {
            string where = $"scenario '{scenario.Name}': 'overloadRate'";
            Require(overload.FactorOfCapacity is > 1 and <= MaxOverloadFactor, $"{where}: 'factorOfCapacity' must be above 1 (a rate above the capacity) and at most {MaxOverloadFactor}");
            Require(scenario.RateFractionOfCapacity is null && scenario.RateSweep is null, $"{where} sets the open loop's rate itself: it takes no 'rateFractionOfCapacity' or 'rateSweep'");
            Require(scenario.Overload, $"{where} offers more than the model echoes: it needs 'overload': true");
            Require(!loadgenOptions.Contains("--rate"), $"{where} sets '--rate' of every cell, and its probe is a closed loop: no 'loadgen' of the scenario, its variants or 'probeLoadgen' may name '--rate'");
        }

        void Require(bool condition, string problem)
        {
            if (!condition)
            {
                throw new InvalidDataException($"{path}: {problem}");
            }
        }

        void RequireUnique(IEnumerable<string> names, string what)
        {
            if (names.GroupBy(name => name).FirstOrDefault(group => group.Count() > 1) is { } duplicate)
            {
                Require(false, $"{what} '{duplicate.Key}' is defined twice");
            }
        }
    }

    /// <summary>The highest <c>overloadRate.factorOfCapacity</c>: beyond it the load generator, not the server, is what a cell measures.</summary>
    private const double MaxOverloadFactor = 100;

    /// <summary>Options every cell gets from the runner; a scenario that set them would fight it.</summary>
    private static readonly string[] s_reservedLoadGenOptions = ["--target", "--server-pid", "--warmup", "--duration", "--json", "--hgrm", "--label", "--progress", "--interval", "--hlog"];

    private static bool IsName(string name) => name.Length > 0 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
