using System.Text.RegularExpressions;

namespace IoModels.Bench.Scenarios;

/// <summary>
/// The options a tool takes, read from its own <c>--help</c>, so a scenario naming an option that the
/// server or the load generator does not know is refused before any cell runs instead of failing every cell.
/// </summary>
internal sealed partial class OptionVocabulary
{
    private readonly HashSet<string> _options;

    private OptionVocabulary(string tool, HashSet<string> options)
    {
        Tool = tool;
        _options = options;
    }

    public string Tool { get; }

    public static OptionVocabulary FromHelp(string tool, string helpText) =>
        new(tool, OptionPattern().Matches(helpText).Select(match => match.Value).ToHashSet(StringComparer.Ordinal));

    public bool Knows(string option) => _options.Contains(option);

    /// <summary>Throws an <see cref="InvalidDataException"/> naming the first scenario option neither tool knows.</summary>
    public static void Check(ScenarioFile file, string path, OptionVocabulary server, OptionVocabulary loadgen)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(loadgen);
        foreach (var scenario in file.Scenarios)
        {
            CheckAll(scenario.Name, scenario.Server, server);
            CheckAll(scenario.Name, scenario.Loadgen, loadgen);
            foreach (var variant in scenario.Variants)
            {
                CheckAll($"{scenario.Name}' variant '{variant.Name}", variant.Server, server);
                CheckAll($"{scenario.Name}' variant '{variant.Name}", variant.Loadgen, loadgen);
            }

            if (scenario.OverloadRate is { } overload)
            {
                CheckAll($"{scenario.Name}' probe of 'overloadRate", overload.ProbeServer, server);
                CheckAll($"{scenario.Name}' probe of 'overloadRate", overload.ProbeLoadgen, loadgen);
            }
        }

        void CheckAll(string where, IEnumerable<string> arguments, OptionVocabulary tool)
        {
            foreach (string argument in arguments.Where(argument => argument.StartsWith("--", StringComparison.Ordinal)))
            {
                if (!tool.Knows(argument))
                {
                    throw new InvalidDataException($"{path}: scenario '{where}' names option '{argument}', which {tool.Tool} does not take (its --help lists {string.Join(", ", tool._options.Order(StringComparer.Ordinal))})");
                }
            }
        }
    }

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex OptionPattern();
}
