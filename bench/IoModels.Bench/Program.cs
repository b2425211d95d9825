using System.CommandLine;
using IoModels.Bench;
using IoModels.Bench.Commands;

// One tool for the bench: run the matrix, summarize a run, compare two runs, print the README's scenario
// table, validate the scenario file. A user's mistake is one line on stderr and exit 2, never a stack trace.
var root = new RootCommand("IoModels bench: puts every server model and peer through the scenarios of bench/scenarios.json")
{
    RunCommand.Create(),
    SummarizeCommand.Create(),
    CompareCommand.Create(),
    ScenarioTableCommand.Create(),
    ValidateCommand.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"{ToolName.Current}: {parsed.Errors[0].Message} (see --help)");
    return 2;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, interrupted.Token);
}
catch (Exception e) when (e is UsageException or DirectoryNotFoundException or InvalidDataException)
{
    await Console.Error.WriteLineAsync($"{ToolName.Current}: {e.Message}");
    return 2;
}
catch (IOException e)
{
    await Console.Error.WriteLineAsync($"{ToolName.Current}: {e.Message}");
    return 1;
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync($"{ToolName.Current}: interrupted");
    return 130;
}
