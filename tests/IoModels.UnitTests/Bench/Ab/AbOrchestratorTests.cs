using IoModels.Bench.Ab;

namespace IoModels.Tests.Bench.Ab;

public sealed class AbOrchestratorTests
{
    private static readonly AbStatisticsOptions s_options = new();

    [Fact]
    public async Task RoundsInterleaveAndAlternateWhichSideGoesFirst()
    {
        var runner = new FakeCellRunner(["epoll-et"], ["epoll-et"], 100_000, 100_000);
        using var progress = new StringWriter();
        await new AbOrchestrator(runner, s_options, progress).RunAsync(new AbPlan(null, ["echo", "pipelined"], 5), CancellationToken.None);

        var expected = new[] { AbSide.A, AbSide.B, AbSide.B, AbSide.A, AbSide.A, AbSide.B, AbSide.B, AbSide.A, AbSide.A, AbSide.B };
        Assert.Equal([.. expected, .. expected], runner.Runs.Select(run => run.Side));
        Assert.Equal(["echo", "pipelined"], runner.Runs.Select(run => run.Scenario).Distinct());
        var lines = progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20, lines.Length);
        Assert.StartsWith("[1/2] epoll-et / echo round 1/5 A:", lines[0], StringComparison.Ordinal);
        Assert.Contains("left", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModelOnOneSideOnlyIsNewOrRemovedAndNotRun()
    {
        var runner = new FakeCellRunner(["poll", "select"], ["poll", "uring"], 100_000, 100_000);
        using var progress = new StringWriter();
        var results = await new AbOrchestrator(runner, s_options, progress).RunAsync(new AbPlan(null, ["echo"], 5), CancellationToken.None);

        Assert.Equal(["poll", "select", "uring"], results.Select(r => r.Model));
        Assert.Equal([AbVerdict.Same, AbVerdict.Removed, AbVerdict.New], results.Select(r => r.Verdict));
        Assert.All(runner.Runs, run => Assert.Equal("poll", run.Model));
        Assert.Equal(AbGate.Passed, AbGate.ExitCode(results));
    }

    [Fact]
    public async Task ASlowerTreeIsFoundThroughTheRunner()
    {
        var runner = new FakeCellRunner(["saea"], ["saea"], 100_000, 80_000);
        using var progress = new StringWriter();
        var results = await new AbOrchestrator(runner, s_options, progress).RunAsync(new AbPlan(["saea"], ["echo"], 8), CancellationToken.None);

        var cell = Assert.Single(results);
        Assert.Equal(AbVerdict.Slower, cell.Verdict);
        Assert.Equal(AbVerdict.Slower, cell.Throughput!.Verdict);
        Assert.Equal(AbVerdict.Slower, cell.CpuPerMessage!.Verdict);
        Assert.Equal(AbGate.Regressed, AbGate.ExitCode(results));
    }

    [Theory]
    [InlineData(new string[0], new string[0], null)]
    [InlineData(new[] { "poll" }, new[] { "uring" }, null)]
    [InlineData(new[] { "poll", "uring" }, new[] { "uring" }, "poll")]
    public async Task NothingComparedIsAUsageErrorNotAPass(string[] modelsA, string[] modelsB, string? onlyModel)
    {
        var runner = new FakeCellRunner(modelsA, modelsB, 1, 1);
        using var progress = new StringWriter();
        var error = await Assert.ThrowsAsync<AbUsageException>(
            () => new AbOrchestrator(runner, s_options, progress).RunAsync(new AbPlan(onlyModel is null ? null : [onlyModel], ["echo"], 5), CancellationToken.None));
        Assert.StartsWith("nothing to compare", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Runs);
    }

    [Fact]
    public async Task AnEmptyModelListMeansEveryModelOfEitherSide()
    {
        var runner = new FakeCellRunner(["poll"], ["poll"], 100_000, 100_000);
        using var progress = new StringWriter();
        var results = await new AbOrchestrator(runner, s_options, progress).RunAsync(new AbPlan([], ["echo"], 5), CancellationToken.None);
        Assert.Equal("poll", Assert.Single(results).Model);
    }

    [Fact]
    public async Task AModelNeitherSideOffersIsAUsageError()
    {
        var runner = new FakeCellRunner(["poll"], ["poll"], 1, 1);
        using var progress = new StringWriter();
        var error = await Assert.ThrowsAsync<AbUsageException>(
            () => new AbOrchestrator(runner, s_options, progress).RunAsync(new AbPlan(["nope"], ["echo"], 3), CancellationToken.None));
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Runs);
    }

    [Fact]
    public async Task AFailedRoundOfThisTreeFailsTheCellAndOneOfTheBaselineDoesNot()
    {
        var failB = new FakeCellRunner(["poll"], ["poll"], 1000, 1000)
        {
            Override = (side, _) => side == AbSide.B ? AbSample.Failed("crashed") : null,
        };
        var failA = new FakeCellRunner(["poll"], ["poll"], 1000, 1000)
        {
            Override = (side, _) => side == AbSide.A ? AbSample.Failed("crashed") : null,
        };
        using var progress = new StringWriter();
        var plan = new AbPlan(null, ["echo"], 5);
        var broken = await new AbOrchestrator(failB, s_options, progress).RunAsync(plan, CancellationToken.None);
        var baseline = await new AbOrchestrator(failA, s_options, progress).RunAsync(plan, CancellationToken.None);

        Assert.Equal(AbVerdict.Failed, Assert.Single(broken).Verdict);
        Assert.Equal(AbGate.Regressed, AbGate.ExitCode(broken));
        Assert.Equal(AbVerdict.BaselineFailed, Assert.Single(baseline).Verdict);
        Assert.Equal(AbGate.Passed, AbGate.ExitCode(baseline));
    }

    [Fact]
    public async Task RoundsTooFewForTheCellsComparedAreAUsageErrorBeforeAnyRun()
    {
        string[] models = ["blocking", "select", "poll", "select-libc", "epoll-lt", "epoll-et", "saea", "uring"];
        var runner = new FakeCellRunner(models, models, 100_000, 100_000);
        using var progress = new StringWriter();
        var error = await Assert.ThrowsAsync<AbUsageException>(
            () => new AbOrchestrator(runner, s_options, progress).RunAsync(new AbPlan(null, ["echo"], 5), CancellationToken.None));
        Assert.Contains("--rounds 5 is too few for 8 cells", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 6 rounds", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Runs);

        var results = await new AbOrchestrator(runner, s_options, progress).RunAsync(new AbPlan(null, ["echo"], 6), CancellationToken.None);
        Assert.Equal(8, results.Count);
    }

    [Fact]
    public async Task ARunThatFailsOnceIsRunAgainAndOnlyARepeatedFailureFailsTheCell()
    {
        int bRuns = 0;
        var failsOnce = new FakeCellRunner(["poll"], ["poll"], 1000, 1000)
        {
            Override = (side, _) => side == AbSide.B && ++bRuns == 1 ? AbSample.Failed("stalled") : null,
        };
        using var progress = new StringWriter();
        var results = await new AbOrchestrator(failsOnce, s_options, progress).RunAsync(new AbPlan(null, ["echo"], 5), CancellationToken.None);

        Assert.Equal(AbVerdict.Same, Assert.Single(results).Verdict);
        Assert.Equal(6, failsOnce.Runs.Count(run => run.Side == AbSide.B));
        Assert.Equal(5, Assert.Single(results).B.Count);
        Assert.Contains("run once more", progress.ToString(), StringComparison.Ordinal);
    }
}
