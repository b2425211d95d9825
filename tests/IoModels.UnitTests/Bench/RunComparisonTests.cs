using IoModels.Bench;

namespace IoModels.Tests.Bench;

public sealed class RunComparisonTests
{
    [Fact]
    public void A_run_compared_with_itself_passes()
    {
        using var run = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 100_000);

        var comparison = RunComparison.Compare(run.Load(), run.Load(), 0.25);

        Assert.True(comparison.Passed);
        var row = Assert.Single(comparison.Rows);
        Assert.Equal(0.5, row.Current);
        Assert.Equal(0.0, row.Change);
    }

    [Fact]
    public void A_machine_twice_as_fast_changes_no_ratio()
    {
        using var baseline = new RunFolder()
            .AddCell("pingpong", "reference", 20_000)
            .AddCell("pingpong", "blocking", 15_000);
        using var current = new RunFolder()
            .AddCell("pingpong", "reference", 40_000)
            .AddCell("pingpong", "blocking", 30_000);

        var comparison = RunComparison.Compare(baseline.Load(), current.Load(), 0.10);

        Assert.True(comparison.Passed);
        Assert.Equal(0.0, Assert.Single(comparison.Rows).Change!.Value, 6);
    }

    [Fact]
    public void A_ratio_that_fell_beyond_the_threshold_is_a_regression()
    {
        using var baseline = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 100_000)
            .AddCell("throughput", "blocking", 100_000);
        using var current = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 60_000)
            .AddCell("throughput", "blocking", 90_000);

        var comparison = RunComparison.Compare(baseline.Load(), current.Load(), 0.25);

        Assert.False(comparison.Passed);
        var regression = Assert.Single(comparison.Regressions);
        Assert.Equal("select", regression.Model);
        Assert.Equal(-0.4, regression.Change!.Value, 6);
        Assert.Contains("| throughput | select | 0.50× | 0.30× | -40.0% | **regression** |", comparison.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fall_within_the_threshold_passes()
    {
        using var baseline = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 100_000);
        using var current = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 80_000);

        Assert.True(RunComparison.Compare(baseline.Load(), current.Load(), 0.25).Passed);
    }

    [Fact]
    public void Open_loop_is_judged_by_p99_latency_so_a_slower_tail_is_a_regression()
    {
        using var baseline = new RunFolder()
            .AddCell("open-loop", "reference", 50_000, p99Micros: 100, family: "open-loop")
            .AddCell("open-loop", "epoll-et", 50_000, p99Micros: 200, family: "open-loop");
        using var current = new RunFolder()
            .AddCell("open-loop", "reference", 50_000, p99Micros: 100, family: "open-loop")
            .AddCell("open-loop", "epoll-et", 50_000, p99Micros: 400, family: "open-loop");

        var comparison = RunComparison.Compare(baseline.Load(), current.Load(), 0.25);

        var row = Assert.Single(comparison.Rows);
        Assert.Equal(0.5, row.Baseline!.Value, 6);
        Assert.Equal(0.25, row.Current!.Value, 6);
        Assert.False(comparison.Passed);
    }

    [Fact]
    public void A_mismatch_fails_even_when_every_ratio_improved()
    {
        using var baseline = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 100_000);
        using var current = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 150_000, mismatches: 3);

        var comparison = RunComparison.Compare(baseline.Load(), current.Load(), 0.25);

        Assert.False(comparison.Passed);
        Assert.Equal(CellStatus.Mismatch, Assert.Single(comparison.Failures).Status);
        Assert.Empty(comparison.Regressions);
    }

    [Fact]
    public void A_cell_that_echoed_nothing_is_a_stalled_failure()
    {
        using var run = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 0);

        var comparison = RunComparison.Compare(run.Load(), run.Load(), 0.25);

        Assert.False(comparison.Passed);
        Assert.Equal(CellStatus.Stalled, Assert.Single(comparison.Failures).Status);
    }

    [Fact]
    public void A_crashed_server_fails_the_comparison()
    {
        using var baseline = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 100_000);
        using var current = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddEmptyCell("throughput", "select", "crashed", "server exited with 134 before SIGTERM");

        var comparison = RunComparison.Compare(baseline.Load(), current.Load(), 0.25);

        Assert.False(comparison.Passed);
        Assert.Equal("select", Assert.Single(comparison.Failures).Model);
        Assert.Contains("no result now", comparison.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_not_built_yet_or_a_skipped_peer_is_reported_but_passes()
    {
        using var baseline = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 100_000);
        using var current = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 100_000)
            .AddEmptyCell("throughput", "saea", "not-available", "the server does not know this model")
            .AddEmptyCell("throughput", "node", "skipped", "node is not installed");

        var comparison = RunComparison.Compare(baseline.Load(), current.Load(), 0.25);

        Assert.True(comparison.Passed);
        Assert.Equal("select", Assert.Single(comparison.Rows).Model);
    }

    [Fact]
    public void Cells_join_on_model_and_scenario_and_a_new_cell_is_marked_new()
    {
        using var baseline = new RunFolder()
            .AddCell("idle-scale-1000", "reference", 100_000, family: "idle-scale", variant: "1000")
            .AddCell("idle-scale-1000", "select", 50_000, family: "idle-scale", variant: "1000");
        using var current = new RunFolder()
            .AddCell("idle-scale-1000", "reference", 100_000, family: "idle-scale", variant: "1000")
            .AddCell("idle-scale-1000", "select", 50_000, family: "idle-scale", variant: "1000")
            .AddCell("idle-scale-1000", "epoll-lt", 90_000, family: "idle-scale", variant: "1000");

        var comparison = RunComparison.Compare(baseline.Load(), current.Load(), 0.25);

        Assert.True(comparison.Passed);
        Assert.Equal(2, comparison.Rows.Count);
        Assert.Contains("| idle-scale-1000 | epoll-lt | – | 0.90× | – | new |", comparison.ToMarkdown(), StringComparison.Ordinal);
    }
}
