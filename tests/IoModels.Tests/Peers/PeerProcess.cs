using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Peers;

/// <summary>
/// A peer echo server running as a child process: started with <c>--port 0</c>, its port read from the
/// <c>listening on ADDRESS:PORT</c> line (docs/server.md#what-the-server-prints), stopped with SIGTERM. Every wait is bounded.
/// </summary>
internal sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();

    private PeerProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>What the peer wrote on stderr so far, for failure messages.</summary>
    public string StandardError => string.Join(" | ", _stderr);

    public static async Task<PeerProcess> StartAsync(string fileName, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.ArgumentList.Add("--port");
        startInfo.ArgumentList.Add("0");
        var peer = new PeerProcess(Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}"));
        try
        {
            string? line = await peer._process.StandardOutput.ReadLineAsync(Timeouts.After(Timeouts.Operation));
            const string Prefix = "listening on ";
            if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{fileName} printed '{line}' instead of the listening line; stderr: {peer.StandardError}");
            }

            string endPointText = line[Prefix.Length..].Split(' ')[0];
            int colon = endPointText.LastIndexOf(':');
            peer.EndPoint = new IPEndPoint(IPAddress.Parse(endPointText[..colon]), int.Parse(endPointText[(colon + 1)..], CultureInfo.InvariantCulture));
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, then the exit code (docs/server.md#stopping-the-server: 0 within 5 seconds; the bound here is looser for a loaded machine).</summary>
    public async Task<int> TerminateAsync()
    {
        // Process.Kill only sends SIGKILL; kill(1) sends what a service manager would.
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(Timeouts.After(Timeouts.Operation));
        }

        await _process.WaitForExitAsync(Timeouts.After(Timeouts.Operation));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(Timeouts.After(Timeouts.Operation));
        }

        _process.Dispose();
    }
}
