using System.CommandLine;
using System.Globalization;
using System.Text;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Commands;

/// <summary><c>scenario-table</c>: the README's table of scenarios, printed from the scenario file so the two cannot drift (a test compares them).</summary>
internal static class ScenarioTableCommand
{
    public static Command Create()
    {
        var scenarioFile = CommonOptions.ScenarioFile();
        var command = new Command("scenario-table", "prints the markdown table of scenarios that bench-results/README.md holds") { scenarioFile };
        command.SetAction(result =>
        {
            var (_, scenarios) = CommonOptions.LoadScenarios(result, scenarioFile);
            Console.Write(Render(scenarios));
            return 0;
        });
        return command;
    }

    public static string Render(ScenarioFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var text = new StringBuilder("| scenario (cells) | server options | load generator options | scored by | the claim it reproduces |\n|---|---|---|---|---|\n");
        foreach (var scenario in file.Scenarios)
        {
            string cells = scenario.RateSweep is not null
                ? $"`{scenario.Name}` (`{scenario.CellName(scenario.VariantsFor(ScenarioFile.FullProfile)[0])}` … `{scenario.CellName(scenario.VariantsFor(ScenarioFile.FullProfile)[^1])}`)"
                : scenario.Variants.Count == 0
                ? $"`{scenario.Name}`"
                : $"`{scenario.Name}` ({string.Join(", ", scenario.Variants.Select(variant => $"`{scenario.CellName(variant)}`" + (variant.Profiles.Count > 0 ? $" {string.Join("/", variant.Profiles)} only" : "")))})";
            string variantsOf(Func<ScenarioVariant, IReadOnlyList<string>> pick) =>
                scenario.Variants.Any(variant => pick(variant).Count > 0)
                    ? " + " + string.Join(" / ", scenario.Variants.Select(variant => Code(pick(variant))))
                    : "";
            string server = (scenario.Server.Count > 0 ? Code(scenario.Server) : "") + variantsOf(variant => variant.Server);
            string loadgen = Code(scenario.Loadgen) + variantsOf(variant => variant.Loadgen)
                + (scenario.RateFractionOfCapacity is double fraction ? string.Create(CultureInfo.InvariantCulture, $" `--rate` {fraction:0.##} × capacity") : "")
                + (scenario.Interval is string interval ? $" `--interval {interval}`" : "")
                + (scenario.RateSweep is { } sweep ? $" `--rate` {string.Join(" / ", sweep.FractionsOfHighestCapacity.Select(step => string.Create(CultureInfo.InvariantCulture, $"{step * 100:0}%")))} of the highest capacity" : "");
            string metric = scenario.Metric == ScoreMetric.P99Latency ? "1 / p99" : "msg/s";
            text.Append(CultureInfo.InvariantCulture, $"| {cells} | {(server.Length > 0 ? server.TrimStart(' ', '+') : "–")} | {loadgen} | {metric} | {scenario.Claim} |\n");
        }

        return text.ToString();
    }

    private static string Code(IReadOnlyList<string> arguments) => arguments.Count == 0 ? "–" : $"`{string.Join(' ', arguments)}`";
}
