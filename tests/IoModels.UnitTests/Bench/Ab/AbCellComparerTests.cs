using IoModels.Bench.Ab;

namespace IoModels.Tests.Bench.Ab;

public sealed class AbCellComparerTests
{
    private static readonly AbStatisticsOptions s_options = new();

    [Fact]
    public void WithoutCpuSamplesOnlyThroughputIsComparedAtTheWholeAlpha()
    {
        AbSample[] a = [.. Enumerable.Range(0, 6).Select(i => new AbSample(1000 + i, null))];
        AbSample[] b = [.. Enumerable.Range(0, 6).Select(i => new AbSample(800 + i, null))];
        var result = AbCellComparer.Compare("poll", "echo", a, b, s_options);

        Assert.Null(result.CpuPerMessage);
        Assert.Equal(AbVerdict.Slower, result.Verdict);
        Assert.Equal(6, result.Rounds);
    }

    [Fact]
    public void CostlierCpuAloneMakesTheCellSlower()
    {
        AbSample[] a = [.. Enumerable.Range(0, 6).Select(i => new AbSample(1000 + i, 10e-6 + (i * 1e-8)))];
        AbSample[] b = [.. Enumerable.Range(0, 6).Select(i => new AbSample(1000 + i, 13e-6 + (i * 1e-8)))];
        var result = AbCellComparer.Compare("poll", "echo", a, b, s_options);

        Assert.Equal(AbVerdict.Same, result.Throughput!.Verdict);
        Assert.Equal(AbVerdict.Slower, result.CpuPerMessage!.Verdict);
        Assert.Equal(AbVerdict.Slower, result.Verdict);
    }

    [Fact]
    public void FasterOnOneMetricAndUnchangedOnTheOtherIsFaster()
    {
        AbSample[] a = [.. Enumerable.Range(0, 6).Select(i => new AbSample(1000 + i, 10e-6 + (i * 1e-8)))];
        AbSample[] b = [.. Enumerable.Range(0, 6).Select(i => new AbSample(1300 + i, 10e-6 + (i * 1e-8)))];
        Assert.Equal(AbVerdict.Faster, AbCellComparer.Compare("poll", "echo", a, b, s_options).Verdict);
    }

    [Theory]
    [InlineData(AbCommand.MinimumRounds - 1, AbVerdict.Same)]
    [InlineData(AbCommand.MinimumRounds, AbVerdict.Slower)]
    public void BelowTheMinimumRoundsEvenAHalvingCannotBeSignificant(int rounds, AbVerdict expected)
    {
        AbSample[] a = [.. Enumerable.Range(0, rounds).Select(i => new AbSample(1000 + i, 10e-6 + (i * 1e-8)))];
        AbSample[] b = [.. Enumerable.Range(0, rounds).Select(i => new AbSample(500 + i, 20e-6 + (i * 1e-8)))];
        Assert.Equal(expected, AbCellComparer.Compare("poll", "echo", a, b, s_options).Verdict);
    }

    [Fact]
    public void OneSidedCellsAreNewOrRemoved()
    {
        Assert.Equal(AbVerdict.New, AbCellComparer.OneSided("uring", "echo", AbSide.B).Verdict);
        Assert.Equal(AbVerdict.Removed, AbCellComparer.OneSided("select", "echo", AbSide.A).Verdict);
    }
}
