using System.Text.Json;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Monitoring;
using IoModels.LoadGen.Options;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.Timing;
using IoModels.Protocol.CommandLine;

// A thin shell: parse, run, print. Exit codes: ExitCodes (0 clean, 1 mismatch, 2 bad option, 3 target unreachable,
// 4 the server did not serve, 5 the server served badly), the table in loadgen/README.md.
LoadOptions? options;
try
{
    options = LoadCommandLine.Parse(args);
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"IoModels.LoadGen: {e.Message}");
    return ExitCodes.BadOption;
}

if (options is null)
{
    Console.WriteLine(LoadCommandLine.Usage);
    return 0;
}

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C ends the measured phase early and still prints the report; a second one kills the process.
    if (!interrupted.IsCancellationRequested)
    {
        e.Cancel = true;
        interrupted.Cancel();
    }
};

var progress = options.Progress ? new ProgressLine(Console.Error, !Console.IsErrorRedirected) : null;
LoadResult result;
try
{
    result = new LoadRunner(options, SystemClock.Instance, progress).Run(interrupted.Token);
}
catch (TargetUnreachableException e)
{
    await Console.Error.WriteLineAsync($"IoModels.LoadGen: {e.Message}");
    return ExitCodes.Unreachable;
}

SummaryWriter.Write(Console.Out, result.Report);
try
{
    if (options.JsonPath is { } json)
    {
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(result.Report, LoadReportJsonContext.Default.LoadReport));
    }

    if (options.HgrmPath is { } hgrm)
    {
        HgrmWriter.Write(hgrm, result.Stats.Latency.Corrected);
    }
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"IoModels.LoadGen: cannot write the report: {e.Message}");
    return ExitCodes.BadOption;
}

if (result.Report.VerdictReason is { } reason)
{
    // One line a script's log can show as it is; the report carries the same in verdict and verdictReason.
    await Console.Error.WriteLineAsync($"IoModels.LoadGen: {reason}");
}

return result.Report.ExitCode;
