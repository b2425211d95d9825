using System.Diagnostics;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Bench;

/// <summary>Runs a command-line tool to its end within a bounded time and keeps its exit code and output.</summary>
internal sealed record ToolProcess(int ExitCode, string StandardOutput, string StandardError)
{
    public static async Task<ToolProcess> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeouts.Case);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ToolProcess(process.ExitCode, await output, await error);
    }

    /// <summary>The bench tool as the build copies it next to the tests.</summary>
    public static Task<ToolProcess> BenchAsync(params string[] arguments) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "IoModels.Bench.dll"), .. arguments]);
}
