namespace IoModels.Tests.Peers;

/// <summary>A test of the Node.js peer: skipped, with the reason, where node is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodePeerFactAttribute : FactAttribute
{
    public NodePeerFactAttribute()
    {
        if (!ExecutableLookup.IsOnPath("node"))
        {
            Skip = "node is not on PATH (the Node.js peer needs Node.js 18 or later)";
        }
    }
}
