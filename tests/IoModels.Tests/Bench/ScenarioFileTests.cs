using IoModels.Bench;
using IoModels.Bench.Commands;
using IoModels.Bench.Running;
using IoModels.Bench.Scenarios;

namespace IoModels.Tests.Bench;

/// <summary><c>bench/scenarios.json</c>: the matrix every consumer reads, checked strictly so a typo is one clear error.</summary>
public sealed class ScenarioFileTests : IDisposable
{
    private static readonly string[] s_ciScripts = [".ci/run", ".github/workflows/bench.yml"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iomodels-scenarios-" + Guid.NewGuid().ToString("N"));

    public ScenarioFileTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void The_repository_file_keeps_every_scenario_and_what_it_measures()
    {
        var file = RunFolder.Scenarios;

        Assert.Equal(["pingpong", "throughput", "many-conns", "idle-scale", "idle-timeout", "short-conn", "time-wait", "nagle", "framing", "large", "open-loop", "latency-vs-load", "backlog-burst", "lossy-link", "lossy-link-udp", "udp-vs-tcp", "datagram-boundaries", "udp-overload"], file.Scenarios.Select(scenario => scenario.Name));
        var idle = file.Find("idle-scale")!;
        Assert.Equal(["idle-scale-0", "idle-scale-5000"], idle.VariantsFor(ScenarioFile.QuickProfile).Select(idle.CellName));
        Assert.Equal(["idle-scale-0", "idle-scale-1000", "idle-scale-5000"], idle.VariantsFor(ScenarioFile.FullProfile).Select(idle.CellName));
        Assert.Equal(ScoreMetric.P99Latency, file.Find("open-loop")!.Metric);
        Assert.Equal(0.5, file.Find("open-loop")!.RateFractionOfCapacity);
        var inline = file.FindServer("saea-inline")!;
        Assert.Equal("saea", inline.Model);
        Assert.Equal("1", inline.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }

    [Fact]
    public void The_readme_scenario_table_is_the_one_the_file_generates()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryLayout.Find().Root, "bench-results", "README.md"));

        Assert.Contains(ScenarioTableCommand.Render(RunFolder.Scenarios), readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_ci_list_that_ci_and_the_workflow_name_is_in_the_file()
    {
        string root = RepositoryLayout.Find().Root;
        var named = s_ciScripts
            .SelectMany(script => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(root, script)), @"--ci ([a-z-]+)"))
            .Select(match => match.Groups[1].Value)
            .Distinct()
            .ToList();

        Assert.Equal(["compared", "correctness", "peers", "udp"], named.Order(StringComparer.Ordinal));
        Assert.All(named, name => Assert.True(RunFolder.Scenarios.Ci.ContainsKey(name), name));
    }

    [Fact]
    public void An_unknown_key_is_refused_with_its_name()
    {
        string path = WriteVariant("\"metric\": \"throughput\",", "\"metric\": \"throughput\", \"metrik\": \"latency\",");

        var error = Assert.Throws<InvalidDataException>(() => ScenarioFileLoader.Load(path));

        Assert.Contains("unknown key 'metrik'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_metric_is_refused()
    {
        string path = WriteVariant("\"metric\": \"p99-latency\"", "\"metric\": \"p42-latency\"");

        var error = Assert.Throws<InvalidDataException>(() => ScenarioFileLoader.Load(path));

        Assert.Contains("'metric' must be one of throughput, p99-latency", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_minimum_duration_that_is_not_a_duration_is_refused()
    {
        string path = WriteVariant("\"minimumDuration\": \"3s\"", "\"minimumDuration\": \"3 seconds\"");

        var error = Assert.Throws<InvalidDataException>(() => ScenarioFileLoader.Load(path));

        Assert.Contains("scenario 'idle-timeout': 'minimumDuration' '3 seconds' is not a duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ci_list_naming_an_unknown_scenario_is_refused()
    {
        string path = WriteVariant("\"scenarios\": [\"pingpong\", \"many-conns\"", "\"scenarios\": [\"pingpong\", \"marathon\"");

        var error = Assert.Throws<InvalidDataException>(() => ScenarioFileLoader.Load(path));

        Assert.Contains("'marathon'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_naming_an_option_the_load_generator_does_not_take_is_refused()
    {
        string path = WriteVariant("\"--connect-mode\", \"per-request\"", "\"--connection-mode\", \"per-request\"");
        var file = ScenarioFileLoader.Load(path);
        var server = OptionVocabulary.FromHelp("the server", "  --model MODEL  blocking\n  --no-delay BOOL  TCP_NODELAY\n  --idle-timeout D  close idle connections\n");
        var loadgen = OptionVocabulary.FromHelp("the load generator", "  --connections N\n  --payload N\n  --connect-mode persistent|per-request\n  --idle-connections N\n  --idle-partial\n  --split-writes\n  --no-delay true|false\n");

        var error = Assert.Throws<InvalidDataException>(() => OptionVocabulary.Check(file, path, server, loadgen));

        Assert.Contains("scenario 'short-conn' names option '--connection-mode', which the load generator does not take", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_reports_a_bad_scenario_file_in_one_line_and_exits_2()
    {
        string path = WriteVariant("\"title\": \"Ping-pong\",", "\"title\": \"Ping-pong\", \"colour\": \"red\",");

        var result = await ToolProcess.BenchAsync("scenario-table", "--scenario-file", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("colour", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_repository_file_names_only_options_the_built_server_and_load_generator_take()
    {
        var result = await ToolProcess.BenchAsync("validate");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("valid", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_names_an_unknown_option_in_one_line_and_exits_2()
    {
        string path = WriteVariant("\"--split-writes\"", "\"--split-write\"");

        var result = await ToolProcess.BenchAsync("validate", "--scenario-file", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'--split-write'", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_catalog_is_read_from_its_help()
    {
        const string Help = """
            usage: IoModels.Server --model MODEL [options]

              --model MODEL       blocking, select, epoll-lt, epoll-et, saea, uring
              --address IP        address to bind (default 127.0.0.1)
            """;

        Assert.Equal(["blocking", "select", "epoll-lt", "epoll-et", "saea", "uring"], ServerCatalog.ParseCatalog(Help));
    }

    [Fact]
    public void A_model_added_to_the_catalog_joins_the_matrix_and_table_rows_follow_their_model()
    {
        var catalog = new ServerCatalog(RepositoryLayout.Find(), RunFolder.Scenarios, ["blocking", "saea", "telepathy"]);

        Assert.Equal(["reference", "blocking", "saea", "saea-inline", "telepathy", "kestrel", "node"], catalog.Names);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteVariant(string find, string replace) => ScenarioFileCopy.WriteWith(_directory, find, replace);
}
