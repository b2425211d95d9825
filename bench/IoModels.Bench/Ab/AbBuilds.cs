namespace IoModels.Bench.Ab;

/// <summary>The two server builds compared: the ref's (A) and this tree's (B), each the path of its IoModels.Server.dll.</summary>
public sealed record AbBuilds(string Ref, string RefServer, string TreeServer)
{
    public string Server(AbSide side) => side == AbSide.A ? RefServer : TreeServer;
}
