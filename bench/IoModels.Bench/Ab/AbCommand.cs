using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace IoModels.Bench.Ab;

/// <summary>
/// The <c>ab</c> verb: builds REF in a worktree and this tree, runs both servers interleaved on every cell, writes ab.md
/// and ab.png, prints the table, and exits 1 when a cell of this tree is slower (see <see cref="AbGate"/>).
/// </summary>
/// <remarks>
/// Seam with the bench tool: its Program.cs adds <c>AbCommand.Create(builds =&gt; new ...Adapter(cellRunner, builds))</c>
/// to the root command, where the adapter implements <see cref="IAbCellRunner"/> over the tool's CellRunner and starts
/// <see cref="AbBuilds.Server(AbSide)"/> for each side. Parse errors are the tool's to turn into exit 2; this action
/// turns an <see cref="AbUsageException"/> (unknown ref, failed build, unknown model) into one stderr line and exit 2.
/// </remarks>
public static class AbCommand
{
    public const int MinimumRounds = 5;

    public static Command Create(Func<AbBuilds, IAbCellRunner> createRunner)
    {
        ArgumentNullException.ThrowIfNull(createRunner);
        var gitRef = new Argument<string>("REF") { Description = "the git ref to compare this tree against (A); this tree is B" };
        var models = new Option<string[]?>("--models") { Description = "comma-separated models (default: every model either build offers)", CustomParser = ParseList };
        var scenarios = new Option<string[]?>("--scenarios") { Description = "comma-separated scenarios (default: the tool's A/B scenarios)", CustomParser = ParseList };
        var rounds = new Option<int>("--rounds") { Description = "interleaved rounds per cell", DefaultValueFactory = _ => 10 };
        rounds.Validators.Add(result =>
        {
            // Below five rounds a two-sided Mann-Whitney test cannot reach the alpha a metric gets even when one cell is
            // compared (half of 0.05 when it has CPU too) however large the change: every cell would be "~" and the gate
            // would pass blind. More cells share the alpha and need more rounds: the orchestrator checks that.
            if (result.GetValueOrDefault<int>() < MinimumRounds)
            {
                result.AddError($"--rounds must be at least {MinimumRounds}: with fewer, no change can be significant");
            }
        });
        var threshold = new Option<double>("--threshold") { Description = "smallest change reported, e.g. 5% or 0.05", DefaultValueFactory = _ => 0.05, CustomParser = ParseThreshold };
        var output = new Option<string>("--out") { Description = "folder for ab.md, ab.png and the build logs", DefaultValueFactory = _ => Path.Combine("bench-results", "ab") };

        var command = new Command("ab", "compare a git ref's servers with this tree's, interleaved in one run") { gitRef, models, scenarios, rounds, threshold, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            try
            {
                var request = new AbRequest(
                    FindRepositoryRoot(), parse.GetValue(gitRef)!, new AbPlan(parse.GetValue(models), parse.GetValue(scenarios) ?? [], parse.GetValue(rounds)),
                    new AbStatisticsOptions(Threshold: parse.GetValue(threshold)), Path.GetFullPath(parse.GetValue(output)!));
                return await RunAsync(request, createRunner, console, cancellationToken).ConfigureAwait(false);
            }
            catch (AbUsageException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("ab: " + e.Message).ConfigureAwait(false);
                return AbGate.Usage;
            }
        });
        return command;
    }

    /// <summary>
    /// Builds both sides, runs the plan and writes the results; the exit code of <see cref="AbGate"/>. An empty scenario
    /// list in the plan means the runner's defaults.
    /// </summary>
    public static async Task<int> RunAsync(AbRequest request, Func<AbBuilds, IAbCellRunner> createRunner, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(createRunner);
        ArgumentNullException.ThrowIfNull(console);
        Directory.CreateDirectory(request.OutputDirectory);
        await using var refBuild = await RefBuild.BuildRefAsync(request.Repository, request.Ref, request.OutputDirectory, cancellationToken).ConfigureAwait(false);
        var treeServer = await RefBuild.BuildTreeAsync(request.Repository, "this-tree", request.OutputDirectory, cancellationToken).ConfigureAwait(false);
        var builds = new AbBuilds(request.Ref, refBuild.ServerPath, treeServer);
        var runner = createRunner(builds);
        var plan = request.Plan.Scenarios.Count > 0 ? request.Plan : request.Plan with { Scenarios = runner.DefaultScenarios };
        var results = await new AbOrchestrator(runner, request.Options, console).RunAsync(plan, cancellationToken).ConfigureAwait(false);
        return await WriteAsync(builds, request.Options, results, request.OutputDirectory, console, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes ab.md and ab.png into <paramref name="outputDirectory"/>, prints the table, returns the exit code.</summary>
    public static async Task<int> WriteAsync(AbBuilds builds, AbStatisticsOptions options, IReadOnlyList<AbCellResult> results, string outputDirectory, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        Directory.CreateDirectory(outputDirectory);
        var hasChart = AbChart.Save(results, Path.Combine(outputDirectory, AbMarkdown.ChartFile));
        var document = AbMarkdown.Document(builds, options, results, hasChart);
        var path = Path.Combine(outputDirectory, "ab.md");
        await File.WriteAllTextAsync(path, document, cancellationToken).ConfigureAwait(false);
        await console.WriteLineAsync().ConfigureAwait(false);
        await console.WriteAsync(AbMarkdown.Table(results)).ConfigureAwait(false);
        await console.WriteLineAsync("written " + path).ConfigureAwait(false);
        return AbGate.ExitCode(results);
    }

    /// <summary>Parses a threshold written as a percentage (5%) or a fraction (0.05); it must lie in [0, 1).</summary>
    public static bool TryParseThreshold(string text, out double threshold)
    {
        ArgumentNullException.ThrowIfNull(text);
        var percent = text.EndsWith('%');
        var number = percent ? text[..^1] : text;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold))
        {
            threshold = percent ? threshold / 100 : threshold;
            return threshold is >= 0 and < 1;
        }

        return false;
    }

    private static double ParseThreshold(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParseThreshold(text, out var threshold))
        {
            return threshold;
        }

        result.AddError($"--threshold '{text}' is not a change between 0% and 100%, e.g. 5% or 0.05");
        return 0;
    }

    private static string[]? ParseList(ArgumentResult result)
    {
        var items = result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        if (items.Length == 0)
        {
            result.AddError("a list option needs at least one comma-separated name");
        }

        return items;
    }

    /// <summary>The checkout this tool runs in: the nearest folder upwards holding .git (a folder, or a file in a worktree).</summary>
    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(Environment.CurrentDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, ".git")) && !File.Exists(Path.Combine(directory.FullName, ".git")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new AbUsageException($"ab runs inside a git checkout; {Environment.CurrentDirectory} is not in one");
    }
}
