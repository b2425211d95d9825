using System.Diagnostics;
using System.Reflection;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Peers;

/// <summary>
/// The Kestrel peer (servers/IoModels.KestrelEcho). The test project references it for build order only, so its
/// dll is found where its own build put it, in the configuration the tests were built in.
/// </summary>
public sealed class KestrelPeerTests
{
    private static string Dll
    {
        get
        {
            string configuration = typeof(KestrelPeerTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Path.Combine(RepositoryRoot.Path, "servers", "IoModels.KestrelEcho", "bin", configuration, "net10.0", "IoModels.KestrelEcho.dll");
        }
    }

    /// <summary>The dotnet host that runs the tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    [Fact]
    public async Task Framed_echoes_rejects_oversize_and_stops_on_sigterm()
    {
        await using var peer = await PeerProcess.StartAsync(DotnetHost, [Dll]);
        await PeerSmoke.FramedAsync(peer);
    }

    // The options the peer shares with the server host reach it: line framing, close-after and the idle timeout. The
    // timeout is long enough that the echoing connection, on a peer just started, does not pass for idle.
    [Fact]
    public async Task Line_framing_close_after_and_idle_timeout_reach_the_peer()
    {
        await using var peer = await PeerProcess.StartAsync(DotnetHost, [Dll, "--framing", "line", "--close-after", "2", "--idle-timeout", "1s"]);
        await PeerSmoke.LineCloseAfterAndIdleAsync(peer, closeAfter: 2);
    }

    // And a mistake in them is the server's own line, exit 2.
    [Fact]
    public async Task A_mistake_in_a_shared_option_is_the_servers_line_and_exit_2()
    {
        var startInfo = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])[Dll, "--framing", "raw", "--close-after", "1"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Timeouts.After(Timeouts.Operation));
        Assert.Equal(2, process.ExitCode);
        Assert.Equal("IoModels.KestrelEcho: option '--close-after' counts messages, and --framing raw has none; use --framing framed or line", (await stderr).TrimEnd());
    }

    [Fact]
    public async Task Raw_echoes_and_stops_on_sigterm()
    {
        await using var peer = await PeerProcess.StartAsync(DotnetHost, [Dll, "--framing", "raw"]);
        await PeerSmoke.RawAsync(peer);
    }
}
