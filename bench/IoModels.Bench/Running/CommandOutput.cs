using System.ComponentModel;
using System.Diagnostics;

namespace IoModels.Bench.Running;

/// <summary>Runs a short command (a version query, a build script, a tool's <c>--help</c>) and returns what it printed.</summary>
internal static class CommandOutput
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>The command's exit code and output, or null when it cannot be run or overran <paramref name="timeout"/>.</summary>
    public static async Task<Result?> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        }
        catch (Win32Exception)
        {
            return null;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }

            return new Result(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
    }

    /// <summary>The first line a command printed when it succeeded, else <paramref name="fallback"/>.</summary>
    public static async Task<string> FirstLineAsync(string fileName, IEnumerable<string> arguments, string fallback, CancellationToken cancellationToken)
    {
        var result = await RunAsync(fileName, arguments, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return result is { ExitCode: 0 } ? result.StandardOutput.Split('\n')[0].Trim() : fallback;
    }

    /// <summary>The full path of an executable on PATH (or the path itself when it names a file), else null.</summary>
    public static string? FindOnPath(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}
