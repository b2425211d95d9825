using System.CommandLine;

namespace IoModels.Bench.Commands;

/// <summary><c>compare BASELINE CURRENT</c>: each model's ratio to reference in two stored runs, for people and for a coarse gate.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var baseline = new Argument<string>("BASELINE_DIR") { Description = "the earlier run folder" };
        var current = new Argument<string>("CURRENT_DIR") { Description = "the run folder to judge" };
        var threshold = ThresholdOption();
        var markdown = new Option<string?>("--markdown") { Description = "also append the table to FILE (e.g. $GITHUB_STEP_SUMMARY)", HelpName = "FILE" };
        var scenarioFile = CommonOptions.ScenarioFile();
        var command = new Command("compare", "joins both runs on model × scenario, prints a markdown table of each model's ratio to reference before and now, and exits 1 when a ratio fell by more than the threshold or the current run has a correctness failure")
        {
            baseline, current, threshold, markdown, scenarioFile,
        };
        command.SetAction(result =>
        {
            var (_, scenarios) = CommonOptions.LoadScenarios(result, scenarioFile);
            var comparison = RunComparison.Compare(
                BenchRun.Load(result.GetValue(baseline)!, scenarios),
                BenchRun.Load(result.GetValue(current)!, scenarios),
                result.GetValue(threshold) / 100.0);
            string table = comparison.ToMarkdown();
            Console.Write(table);
            if (result.GetValue(markdown) is { } file)
            {
                File.AppendAllText(file, table);
            }

            Console.Error.WriteLine(comparison.Describe());
            return comparison.Passed ? 0 : 1;
        });
        return command;
    }

    /// <summary>How far a ratio to reference may fall, in whole percent, before a comparison fails.</summary>
    public static Option<int> ThresholdOption()
    {
        var option = new Option<int>("--threshold")
        {
            Description = "percent a ratio to reference may fall before the comparison fails",
            HelpName = "PCT",
            DefaultValueFactory = _ => 25,
            CustomParser = token => int.TryParse(token.Tokens.Single().Value, out int value) && value is >= 0 and <= 1000
                ? value
                : Reject(token, "--threshold must be a whole number of percent (0-1000)"),
        };
        return option;
    }

    private static int Reject(System.CommandLine.Parsing.ArgumentResult token, string message)
    {
        token.AddError(message);
        return 0;
    }
}
