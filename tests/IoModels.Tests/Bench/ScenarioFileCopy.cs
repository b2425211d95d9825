using IoModels.Bench.Running;

namespace IoModels.Tests.Bench;

/// <summary>The repository's scenario file with one passage replaced, written to a test's folder: a scenario file that differs from the real one in exactly that.</summary>
internal static class ScenarioFileCopy
{
    /// <summary>Writes <c>scenarios.json</c> into <paramref name="directory"/>; <paramref name="find"/> must occur in the repository's file.</summary>
    public static string WriteWith(string directory, string find, string replace)
    {
        string text = File.ReadAllText(RepositoryLayout.Find().ScenarioFile);
        Assert.Contains(find, text, StringComparison.Ordinal);
        string path = Path.Combine(directory, "scenarios.json");
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        return path;
    }
}
