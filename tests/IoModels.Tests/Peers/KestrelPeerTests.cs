using System.Reflection;

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

    [Fact]
    public async Task Raw_echoes_and_stops_on_sigterm()
    {
        await using var peer = await PeerProcess.StartAsync(DotnetHost, [Dll, "--framing", "raw"]);
        await PeerSmoke.RawAsync(peer);
    }
}
