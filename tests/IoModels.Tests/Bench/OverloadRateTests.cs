using System.Text.Json;
using IoModels.Bench.Running;
using IoModels.Bench.Scenarios;

namespace IoModels.Tests.Bench;

/// <summary>
/// A scenario's <c>overloadRate</c> (<c>udp-overload</c>): an open loop at a multiple above 1 of each model's own capacity,
/// probed first with the probe's options, the same rate for every variant of the model; its checks and a run of it.
/// </summary>
public sealed class OverloadRateTests : IDisposable
{
    private const string RepositoryOverload = "\"overloadRate\": { \"factorOfCapacity\": 1.25,";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iomodels-overload-" + Guid.NewGuid().ToString("N"));

    public OverloadRateTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void Udp_overload_offers_a_quarter_above_each_models_udp_capacity_and_names_no_rate_of_its_own()
    {
        var scenario = RunFolder.Scenarios.Find("udp-overload")!;

        Assert.Equal(1.25, scenario.OverloadRate!.FactorOfCapacity);
        Assert.Equal(["--transport", "udp"], scenario.OverloadRate.ProbeServer);
        Assert.Equal(["--transport", "udp", "--pipeline", "4"], scenario.OverloadRate.ProbeLoadgen);
        Assert.True(scenario.Overload);
        Assert.DoesNotContain("--rate", scenario.Loadgen.Concat(scenario.Variants.SelectMany(variant => variant.Loadgen)));
        Assert.Equal(["--transport", "udp"], new CellPlan("epoll-et", scenario, scenario.OverloadRate.ProbeVariant()).ServerArguments);
        Assert.Equal(["--connections", "16", "--payload", "64", "--transport", "udp", "--pipeline", "4"], new CellPlan("epoll-et", scenario, scenario.OverloadRate.ProbeVariant()).LoadGenArguments);
    }

    [Theory]
    [InlineData(RepositoryOverload, "\"overloadRate\": { \"factorOfCapacity\": 1,", "'factorOfCapacity' must be above 1 (a rate above the capacity) and at most 100")]
    [InlineData(RepositoryOverload, "\"overloadRate\": { \"factorOfCapacity\": 101,", "'factorOfCapacity' must be above 1 (a rate above the capacity) and at most 100")]
    [InlineData(RepositoryOverload, "\"overloadRate\": { \"factorOfCapacity\": 2, \"probeRate\": 5,", "unknown key 'probeRate'")]
    [InlineData("\"probeLoadgen\": [\"--transport\", \"udp\", \"--pipeline\", \"4\"] },\n      \"overload\": true,", "\"probeLoadgen\": [\"--transport\", \"udp\", \"--pipeline\", \"4\"] },\n      \"overload\": false,", "scenario 'udp-overload': 'overloadRate' offers more than the model echoes: it needs 'overload': true")]
    [InlineData("\"probeLoadgen\": [\"--transport\", \"udp\", \"--pipeline\", \"4\"]", "\"probeLoadgen\": [\"--transport\", \"udp\", \"--rate\", \"1000\"]", "no 'loadgen' of the scenario, its variants or 'probeLoadgen' may name '--rate'")]
    [InlineData("\"variants\": [\n        { \"name\": \"tcp\" },\n        { \"name\": \"udp\", \"server\": [\"--transport\", \"udp\"], \"loadgen\": [\"--transport\", \"udp\"] }\n      ],\n      \"overloadRate\"", "\"variants\": [\n        { \"name\": \"tcp\", \"loadgen\": [\"--rate\", \"60000\"] },\n        { \"name\": \"udp\", \"server\": [\"--transport\", \"udp\"], \"loadgen\": [\"--transport\", \"udp\"] }\n      ],\n      \"overloadRate\"", "may name '--rate'")]
    [InlineData(RepositoryOverload, "\"rateFractionOfCapacity\": 0.5, " + RepositoryOverload, "'overloadRate' sets the open loop's rate itself: it takes no 'rateFractionOfCapacity' or 'rateSweep'")]
    [InlineData("\"probeLoadgen\": [\"--transport\", \"udp\", \"--pipeline\", \"4\"]", "\"probeLoadgen\": [\"--transport\", \"udp\", \"--json\", \"probe.json\"]", "scenario 'udp-overload': '--json' is set by the runner for every cell")]
    public void A_bad_overload_rate_is_refused_naming_what_is_wrong(string find, string replace, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => ScenarioFileLoader.Load(WriteVariant(find, replace)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_probe_option_the_load_generator_does_not_take_is_refused()
    {
        string path = WriteVariant("\"--transport\", \"udp\", \"--pipeline\", \"4\"", "\"--transport\", \"udp\", \"--pipelines\", \"4\"");
        var file = ScenarioFileLoader.Load(path);
        var server = OptionVocabulary.FromHelp("the server", "  --model MODEL\n  --transport T\n  --no-delay BOOL\n  --idle-timeout D\n  --close-after N\n  --framing F\n  --backlog N\n");
        var loadgen = OptionVocabulary.FromHelp("the load generator", "  --connections N\n  --payload N\n  --transport tcp|udp\n  --pipeline N\n  --rate N\n  --connect-mode M\n  --idle-connections N\n  --idle-partial\n  --split-writes\n  --no-delay B\n  --framing F\n  --udp-receive-buffer N\n");

        var error = Assert.Throws<InvalidDataException>(() => OptionVocabulary.Check(file, path, server, loadgen));

        Assert.Contains("scenario 'udp-overload' probe of 'overloadRate' names option '--pipelines', which the load generator does not take", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_probes_each_model_over_udp_and_offers_its_tcp_and_udp_cells_the_same_rate_above_it()
    {
        string output = Path.Combine(_directory, "run");

        var result = await ToolProcess.BenchAsync(
            "run", "--no-build", "--quick", "--models", "epoll-et,select", "--scenarios", "udp-overload",
            "--warmup", "200ms", "--duration", "500ms", "--placement", "none", "--out", output);

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var probe = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "cells", "udp-overload-capacity", "epoll-et.probe.json")));
        double capacity = probe.RootElement.GetProperty("throughput").GetProperty("messagesPerSecond").GetDouble();
        Assert.Equal("udp", probe.RootElement.GetProperty("config").GetProperty("transport").GetString());
        Assert.True(capacity > 0);
        foreach (string variant in new[] { "tcp", "udp" })
        {
            using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "cells", $"udp-overload-{variant}", "epoll-et.json")));
            Assert.Equal(Math.Round(capacity * 1.25), report.RootElement.GetProperty("config").GetProperty("rate").GetDouble());
            using var outcome = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "cells", $"udp-overload-{variant}", "select.outcome.json")));
            Assert.Equal("not-available", outcome.RootElement.GetProperty("status").GetString());
        }

        Assert.Contains("udp-overload: epoll-et's closed-loop capacity", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteVariant(string find, string replace) => ScenarioFileCopy.WriteWith(_directory, find, replace);
}
