namespace IoModels.Tests.Peers;

/// <summary>Finds a program on PATH, for peers that need one (gcc, node) and skip without it.</summary>
internal static class ExecutableLookup
{
    public static bool IsOnPath(string name)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, name)));
    }
}
