using System.CommandLine;
using System.Runtime.InteropServices;
using IoModels.Bench;
using IoModels.Bench.Ab;
using IoModels.Bench.Commands;
using IoModels.Bench.Merge;
using IoModels.Bench.Running;

// One tool for the bench: run the matrix, summarize a run, compare two runs, print the README's scenario
// table, validate the scenario file. A user's mistake is one line on stderr and exit 2, never a stack trace.
var root = new RootCommand("IoModels bench: puts every server model and peer through the scenarios of bench/scenarios.json")
{
    RunCommand.Create(),
    SummarizeCommand.Create(),
    CompareCommand.Create(),
    ScenarioTableCommand.Create(),
    ValidateCommand.Create(),
    AbCommand.Create(AbCellRunner.ForThisTree),
    MergeCommand.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"{ToolName.Current}: {parsed.Errors[0].Message} (see --help)");
    return 2;
}

// Ctrl-C or SIGTERM cancels the run, so the server and load generator of the cell under way are killed
// instead of outliving the tool.
using var interrupted = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);

try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, interrupted.Token);
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
catch (OperationCanceledException)
{
    await Console.Error.WriteLineAsync($"{ToolName.Current}: interrupted");
    return 130;
}

void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}
