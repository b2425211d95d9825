using System.CommandLine;
using IoModels.Bench.Running;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Commands;

/// <summary>Options several verbs share.</summary>
internal static class CommonOptions
{
    public static Option<string?> ScenarioFile() => new("--scenario-file")
    {
        Description = $"the scenario matrix (default: {ScenarioFileLoader.DefaultRelativePath} of this tree)",
        HelpName = "FILE",
    };

    /// <summary>The scenario file a verb was pointed at, read and checked; a mistake in it is a <see cref="UsageException"/>.</summary>
    public static (string Path, ScenarioFile File) LoadScenarios(ParseResult result, Option<string?> option)
    {
        ArgumentNullException.ThrowIfNull(result);
        string path = result.GetValue(option) is { } given ? Path.GetFullPath(given) : RepositoryLayout.Find().ScenarioFile;
        try
        {
            return (path, ScenarioFileLoader.Load(path));
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    public static IReadOnlyList<string> SplitList(string text) =>
        text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
