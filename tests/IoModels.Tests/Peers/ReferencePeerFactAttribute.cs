namespace IoModels.Tests.Peers;

/// <summary>A test of the C reference server: skipped, with the reason, where it can be neither found nor built.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReferencePeerFactAttribute : FactAttribute
{
    public ReferencePeerFactAttribute()
    {
        if (!ExecutableLookup.IsOnPath("gcc") && !File.Exists(Path.Combine(RepositoryRoot.Path, "servers", "reference", "build", "echo_server")))
        {
            Skip = "gcc is not installed and servers/reference/build/echo_server does not exist (apt-get install gcc)";
        }
    }
}
