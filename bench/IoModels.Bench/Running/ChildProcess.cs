using System.Diagnostics;
using System.Globalization;

namespace IoModels.Bench.Running;

/// <summary>
/// A process the runner starts, with its stdout and stderr copied to files as they come (a line callback
/// sees stdout, for the listening line), and a bounded wait for its exit.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task _pumps;

    private ChildProcess(Process process, Task pumps)
    {
        _process = process;
        _pumps = pumps;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="command"/>; throws <see cref="System.ComponentModel.Win32Exception"/> when its executable cannot be run.</summary>
    public static ChildProcess Start(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string stdoutPath, string stderrPath, Action<string>? onStdoutLine = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (string argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var stdout = PumpLinesAsync(process.StandardOutput, stdoutPath, onStdoutLine);
        var stderr = PumpAsync(process.StandardError.BaseStream, stderrPath);
        return new ChildProcess(process, Task.WhenAll(stdout, stderr));
    }

    /// <summary>Waits for the exit; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // A grandchild may still hold the pipes; the files need only what the process itself wrote.
        await Task.WhenAny(_pumps, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken)).ConfigureAwait(false);
        return true;
    }

    /// <summary>SIGTERM, as an operator's stop would send it (through kill(1): native calls belong in IoModels.Native).</summary>
    public async Task TerminateAsync(CancellationToken cancellationToken)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it exited meanwhile
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static async Task PumpLinesAsync(StreamReader reader, string path, Action<string>? onLine)
    {
        await using var file = new StreamWriter(path) { AutoFlush = true };
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            await file.WriteLineAsync(line).ConfigureAwait(false);
            onLine?.Invoke(line);
        }
    }

    private static async Task PumpAsync(Stream stream, string path)
    {
        await using var file = File.Create(path);
        await stream.CopyToAsync(file).ConfigureAwait(false);
    }
}
