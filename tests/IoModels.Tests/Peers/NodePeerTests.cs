namespace IoModels.Tests.Peers;

/// <summary>The Node.js peer (servers/peers/node/echo.js).</summary>
public sealed class NodePeerTests
{
    private static string Script => Path.Combine(RepositoryRoot.Path, "servers", "peers", "node", "echo.js");

    [NodePeerFact]
    public async Task Framed_echoes_rejects_oversize_and_stops_on_sigterm()
    {
        await using var peer = await PeerProcess.StartAsync("node", [Script]);
        await PeerSmoke.FramedAsync(peer);
    }

    [NodePeerFact]
    public async Task Raw_echoes_and_stops_on_sigterm()
    {
        await using var peer = await PeerProcess.StartAsync("node", [Script, "--framing", "raw"]);
        await PeerSmoke.RawAsync(peer);
    }
}
