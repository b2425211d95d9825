using System.Globalization;
using IoModels.BenchReport;
using IoModels.Protocol.CommandLine;

const string Usage = """
    usage: IoModels.BenchReport summarize RUN_DIR
           IoModels.BenchReport compare BASELINE_DIR CURRENT_DIR [--threshold PCT] [--markdown FILE]

      summarize   writes RUN_DIR/summary.md and its charts (PNG) from the run's cells
      compare     joins both runs on model × scenario, prints a markdown table of each model's ratio to
                  reference before and now, and exits 1 when a ratio fell by more than PCT percent
                  (default 25) or the current run has a correctness failure (mismatch, crashed server)
      --markdown  also append the table to FILE (e.g. $GITHUB_STEP_SUMMARY)
    """;

try
{
    return args switch
    {
        ["summarize", string runDirectory] => Summarize(runDirectory),
        ["compare", string baseline, string current, .. var options] => Compare(baseline, current, options),
        [] or ["--help" or "-h" or "help"] => Help(),
        _ => throw new UsageException($"expected 'summarize RUN_DIR' or 'compare BASELINE_DIR CURRENT_DIR [--threshold PCT]'; got '{string.Join(' ', args)}'"),
    };
}
catch (Exception e) when (e is UsageException or DirectoryNotFoundException or InvalidDataException or IOException)
{
    await Console.Error.WriteLineAsync($"IoModels.BenchReport: {e.Message}");
    return 2;
}

static int Help()
{
    Console.WriteLine(Usage);
    return 0;
}

static int Summarize(string runDirectory)
{
    var run = BenchRun.Load(runDirectory);
    SummaryWriter.Write(run);
    Console.WriteLine($"wrote {Path.Combine(runDirectory, SummaryWriter.SummaryFile)} ({run.Cells.Count} cells)");
    return 0;
}

static int Compare(string baselineDirectory, string currentDirectory, string[] options)
{
    var reader = OptionReader.Parse(options, ["--threshold", "--markdown"], []);
    double threshold = reader.GetInt32("--threshold", 25, 0, 1000) / 100.0;
    var comparison = RunComparison.Compare(BenchRun.Load(baselineDirectory), BenchRun.Load(currentDirectory), threshold);
    string markdown = comparison.ToMarkdown();
    Console.Write(markdown);
    if (reader.GetString("--markdown") is { } markdownFile)
    {
        File.AppendAllText(markdownFile, markdown);
    }

    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compare: {comparison.Rows.Count} cells joined, {comparison.Regressions.Count()} regression(s), {comparison.Failures.Count} correctness failure(s)"));
    return comparison.Passed ? 0 : 1;
}
