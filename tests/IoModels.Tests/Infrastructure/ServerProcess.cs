using System.Diagnostics;
using System.Text;

namespace IoModels.Tests.Infrastructure;

/// <summary>The real host, <c>IoModels.Server</c>, run as a child process (optionally under <c>prlimit</c>).</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private ServerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public int Port { get; private set; }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The host's assembly, built beside the tests through the project reference.</summary>
    public static string HostAssembly => Path.Combine(AppContext.BaseDirectory, "IoModels.Server.dll");

    /// <summary>Starts the host; with <paramref name="maxOpenFiles"/>, under <c>prlimit --nofile</c>.</summary>
    public static ServerProcess Start(IEnumerable<string> arguments, int? maxOpenFiles = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (maxOpenFiles is int limit)
        {
            start.FileName = "prlimit";
            start.ArgumentList.Add($"--nofile={limit}:{limit}");
            start.ArgumentList.Add(DotnetHost);
        }
        else
        {
            start.FileName = DotnetHost;
        }

        start.ArgumentList.Add(HostAssembly);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server host");
        var server = new ServerProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (server._stderr)
                {
                    server._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts the host on a free port and waits for its <c>listening on</c> line.</summary>
    public static async Task<ServerProcess> StartListeningAsync(IEnumerable<string> arguments, int? maxOpenFiles = null)
    {
        var server = Start([.. arguments, "--port", "0"], maxOpenFiles);
        try
        {
            string? line = await server._process.StandardOutput.ReadLineAsync(Timeouts.After(Timeouts.Operation));
            Assert.True(line is not null && line.StartsWith("listening on 127.0.0.1:", StringComparison.Ordinal), $"expected the listening line, got '{line}'; stderr: {server.StandardError}");
            server.Port = int.Parse(line.Split(' ')[2].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Sends SIGTERM, as a service manager or Ctrl+C would.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync(Timeouts.After(timeout));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    // The dotnet executable running the tests runs the host too.
    private static string DotnetHost => Environment.ProcessPath is string path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
