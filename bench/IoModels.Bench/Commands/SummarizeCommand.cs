using System.CommandLine;

namespace IoModels.Bench.Commands;

/// <summary><c>summarize RUN_DIR</c>: (re)writes a run's <c>summary.md</c> and charts from its cells.</summary>
internal static class SummarizeCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("RUN_DIR") { Description = "a run folder (bench-results/STAMP)" };
        var scenarioFile = CommonOptions.ScenarioFile();
        var command = new Command("summarize", "writes RUN_DIR/summary.md and its charts (PNG) from the run's cells") { directory, scenarioFile };
        command.SetAction(result =>
        {
            var (_, scenarios) = CommonOptions.LoadScenarios(result, scenarioFile);
            string path = result.GetValue(directory)!;
            var run = BenchRun.Load(path, scenarios);
            SummaryWriter.Write(run);
            Console.WriteLine($"wrote {Path.Combine(path, SummaryWriter.SummaryFile)} ({run.Cells.Count} cells)");
            return 0;
        });
        return command;
    }
}
