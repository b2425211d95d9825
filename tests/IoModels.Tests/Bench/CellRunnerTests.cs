using System.Text.Json;
using IoModels.Bench;
using IoModels.Bench.Running;

namespace IoModels.Tests.Bench;

/// <summary>
/// How <see cref="CellRunner"/> turns what the processes did into a status, with stand-in processes (a shell
/// that prints the listening line; a shell that exits with the load generator's codes), so every path is quick.
/// </summary>
public sealed class CellRunnerTests : IDisposable
{
    private const string ListeningServer = "echo 'listening on 127.0.0.1:9 model=stand-in'; exec sleep 60";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iomodels-cell-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(1, "mismatch")]
    [InlineData(2, "loadgen-error")]
    [InlineData(3, "failed-to-start")]
    [InlineData(4, "stalled")]
    [InlineData(5, "server-error")]
    [InlineData(9, "loadgen-error")]
    public async Task The_load_generator_exit_code_becomes_the_cell_status(int exitCode, string expectedName)
    {
        Assert.True(CellStatusNames.TryParse(expectedName, out var expected));
        var result = await RunAsync(ListeningServer, $"exit {exitCode}");

        Assert.Equal(expected, result.Outcome.Status);
        Assert.Null(result.Report);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "cells", "pingpong", "stand-in.outcome.json")));
        Assert.Equal(expected.ToName(), written.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_server_that_never_prints_its_listening_line_failed_to_start()
    {
        var result = await RunAsync("exec sleep 60", "exit 0");

        Assert.Equal(CellStatus.FailedToStart, result.Outcome.Status);
        Assert.Contains("no 'listening on' line", result.Outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_exits_before_listening_failed_to_start_with_its_first_error_line()
    {
        var result = await RunAsync("echo 'option --port: not a port' >&2; exit 2", "exit 0");

        Assert.Equal(CellStatus.FailedToStart, result.Outcome.Status);
        Assert.Contains("exited with 2 before listening: option --port: not a port", result.Outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_refuses_the_scenarios_options_is_not_available_there_with_its_reason()
    {
        var result = await RunAsync("echo \"option '--transport': this model has no UDP\" >&2; exit 2", "exit 0", "datagram-boundaries");

        Assert.Equal(CellStatus.NotAvailable, result.Outcome.Status);
        Assert.False(result.Outcome.Status.IsFailure());
        Assert.Contains("refused the scenario's options (--transport udp): option '--transport': this model has no UDP", result.Outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_ignores_sigterm_is_a_stop_timeout()
    {
        var result = await RunAsync("trap '' TERM; " + ListeningServer.Replace("exec ", "", StringComparison.Ordinal), WriteReportScript(messages: 100));

        Assert.Equal(CellStatus.StopTimeout, result.Outcome.Status);
    }

    [Fact]
    public async Task A_served_cell_whose_server_exits_non_zero_on_sigterm_is_a_server_error()
    {
        // sleep ends with 143 on SIGTERM: the stand-in does not exit 0 as docs/server.md asks.
        var result = await RunAsync(ListeningServer, WriteReportScript(messages: 100));

        Assert.Equal(CellStatus.ServerError, result.Outcome.Status);
        Assert.Contains("after SIGTERM", result.Outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_with_no_message_is_stalled()
    {
        var result = await RunAsync(ListeningServer, WriteReportScript(messages: 0));

        Assert.Equal(CellStatus.Stalled, result.Outcome.Status);
    }

    [Fact]
    public async Task A_scenario_with_an_interval_passes_it_to_the_load_generator_and_one_without_does_not()
    {
        string arguments = Path.Combine(_directory, "arguments.txt");
        Directory.CreateDirectory(_directory);
        string recordArguments = $"printf '%s\\n' \"$@\" > '{arguments}'; exit 4";

        await RunAsync(ListeningServer, recordArguments, "throughput");
        var withInterval = File.ReadAllLines(arguments);
        await RunAsync(ListeningServer, recordArguments);
        var without = File.ReadAllLines(arguments);

        int at = Array.IndexOf(withInterval, "--interval");
        Assert.True(at >= 0, string.Join(' ', withInterval));
        Assert.Equal(RunFolder.Scenarios.Find("throughput")!.Interval, withInterval[at + 1]);
        Assert.DoesNotContain("--interval", without);
    }

    [Fact]
    public async Task A_cell_that_sets_its_framing_gives_it_once_and_a_minimum_duration_lengthens_the_measured_phase()
    {
        string arguments = Path.Combine(_directory, "arguments.txt");
        Directory.CreateDirectory(_directory);
        string recordArguments = $"printf '%s\\n' \"$@\" > '{arguments}'; exit 4";

        await RunAsync(ListeningServer, recordArguments, "framing", "line");
        var line = File.ReadAllLines(arguments);
        await RunAsync(ListeningServer, recordArguments);
        var framed = File.ReadAllLines(arguments);
        await RunAsync(ListeningServer, recordArguments, "idle-timeout", "1s");
        var idle = File.ReadAllLines(arguments);

        Assert.Single(line, "--framing");
        Assert.Equal("line", line[Array.IndexOf(line, "--framing") + 1]);
        Assert.Equal("framed", framed[Array.IndexOf(framed, "--framing") + 1]);
        Assert.Equal("1s", framed[Array.IndexOf(framed, "--duration") + 1]);
        Assert.Equal(RunFolder.Scenarios.Find("idle-timeout")!.MinimumDuration, idle[Array.IndexOf(idle, "--duration") + 1]);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A stand-in load generator that writes a report to the path after <c>--json</c> and exits 0.</summary>
    private static string WriteReportScript(long messages) =>
        "while [ $# -gt 0 ]; do if [ \"$1\" = --json ]; then printf '{\"messages\": " + messages + ", \"throughput\": {\"messagesPerSecond\": " + messages + "}}' > \"$2\"; fi; shift; done";

    private async Task<CellResult> RunAsync(string serverScript, string loadgenScript, string scenarioName = "pingpong", string? variantName = null)
    {
        var scenario = RunFolder.Scenarios.Find(scenarioName)!;
        var variant = variantName is null ? null : scenario.Variants.Single(candidate => candidate.Name == variantName);
        var runner = new CellRunner(["sh", "-c", loadgenScript, "stand-in-loadgen"], new CellTimings("0s", "1s", "1s")
        {
            ListenTimeout = TimeSpan.FromSeconds(2),
            StopTimeout = TimeSpan.FromSeconds(1),
        });
        var server = new ServerLaunch("stand-in", ["sh", "-c", serverScript, "stand-in-server"], new Dictionary<string, string>());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await runner.RunAsync(
            new CellPlan("stand-in", scenario, variant),
            server,
            Placement.Choose(PlacementMode.None, Environment.ProcessorCount, hasTaskset: false),
            Path.Combine(_directory, "cells", scenarioName, "stand-in"),
            timeout.Token);
    }
}
