using System.Diagnostics;

namespace IoModels.Tests.Peers;

/// <summary>The C reference server (servers/reference), built with its own build.sh when needed.</summary>
public sealed class ReferencePeerTests
{
    private static readonly Lazy<string> s_binary = new(Build);

    [ReferencePeerFact]
    public async Task Framed_echoes_rejects_oversize_and_stops_on_sigterm()
    {
        await using var peer = await PeerProcess.StartAsync(s_binary.Value, []);
        await PeerSmoke.FramedAsync(peer);
    }

    [ReferencePeerFact]
    public async Task Raw_echoes_and_stops_on_sigterm()
    {
        await using var peer = await PeerProcess.StartAsync(s_binary.Value, ["--framing", "raw"]);
        await PeerSmoke.RawAsync(peer);
    }

    /// <summary>build.sh rebuilds only a stale binary, so running it every time is cheap and never tests old code.</summary>
    private static string Build()
    {
        string script = Path.Combine(RepositoryRoot.Path, "servers", "reference", "build.sh");
        var startInfo = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(script);
        using var build = Process.Start(startInfo) ?? throw new InvalidOperationException("could not run build.sh");
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            build.Kill();
            throw new TimeoutException("build.sh took over 120 s");
        }

        return build.ExitCode == 0
            ? stdout.GetAwaiter().GetResult().Trim()
            : throw new InvalidOperationException($"build.sh failed: {stderr.GetAwaiter().GetResult()}");
    }
}
