namespace IoModels.Tests.Peers;

/// <summary>The checkout the tests run from: the first directory above the test binaries that holds IoModels.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> s_path = new(Find);

    public static string Path => s_path.Value;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "IoModels.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"IoModels.sln not found above {AppContext.BaseDirectory}");
    }
}
