using System.Text.Json;
using IoModels.Bench.Running;

namespace IoModels.Tests.Bench;

/// <summary>The run verb for real: one model × one scenario with one-second cells, from the built tree.</summary>
public sealed class BenchRunEndToEndTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "iomodels-bench-run-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task One_model_in_one_scenario_writes_the_manifest_outcome_report_and_summary()
    {
        var result = await ToolProcess.BenchAsync(
            "run", "--no-build", "--models", "epoll-et", "--scenarios", "throughput", "--warmup", "200ms", "--duration", "1s",
            "--placement", "none", "--out", _directory);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("[  1/1] epoll-et", result.StandardError, StringComparison.Ordinal);
        using var outcome = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "cells", "throughput", "epoll-et.outcome.json")));
        Assert.Equal("ok", outcome.RootElement.GetProperty("status").GetString());
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "cells", "throughput", "epoll-et.json")));
        Assert.True(report.RootElement.GetProperty("messages").GetInt64() > 0);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "manifest.json")));
        Assert.Equal("none", manifest.RootElement.GetProperty("placement").GetProperty("mode").GetString());
        Assert.Equal(["epoll-et"], manifest.RootElement.GetProperty("models").EnumerateArray().Select(model => model.GetString()));
        Assert.False(string.IsNullOrEmpty(manifest.RootElement.GetProperty("finishedAt").GetString()));
        Assert.Contains("| epoll-et | ok |", File.ReadAllText(Path.Combine(_directory, "summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_neither_the_catalog_nor_the_servers_table_knows_is_exit_2()
    {
        var result = await ToolProcess.BenchAsync("run", "--no-build", "--models", "carrier-pigeon", "--scenarios", "pingpong", "--out", _directory);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown model 'carrier-pigeon'", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Placement_split_falls_back_on_one_core_and_without_taskset()
    {
        Assert.Equal(PlacementMode.Shared, Placement.Choose(PlacementMode.Split, cores: 1, hasTaskset: true).Mode);
        Assert.Equal(PlacementMode.None, Placement.Choose(PlacementMode.Split, cores: 2, hasTaskset: false).Mode);
        Assert.Equal(["taskset", "-c", "1", "x"], Placement.Choose(PlacementMode.Split, cores: 2, hasTaskset: true).PinLoadGen(["x"]));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
