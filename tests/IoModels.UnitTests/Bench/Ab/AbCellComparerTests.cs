using IoModels.Bench.Ab;

namespace IoModels.Tests.Bench.Ab;

public sealed class AbCellComparerTests
{
    private const int Trials = 200;
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
    public void TheRunsAlphaIsSharedByTheCellsItCompares()
    {
        // Five rounds wholly apart give p = 2 / C(10, 5), about 0.008: below the 0.05 of one cell, above the 0.00625 each
        // of eight cells gets.
        AbSample[] a = [.. Enumerable.Range(0, 5).Select(i => new AbSample(1000 + i, null))];
        AbSample[] b = [.. Enumerable.Range(0, 5).Select(i => new AbSample(800 + i, null))];
        Assert.Equal(AbVerdict.Slower, AbCellComparer.Compare("poll", "echo", a, b, s_options, comparedCells: 1).Verdict);
        Assert.Equal(AbVerdict.Same, AbCellComparer.Compare("poll", "echo", a, b, s_options, comparedCells: 8).Verdict);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(10)]
    public void TheSmallestPValueIsWhatTheTestGivesForRoundsWhollyApart(int rounds)
    {
        double[] a = [.. Enumerable.Range(0, rounds).Select(i => 1000.0 + i)];
        double[] b = [.. Enumerable.Range(0, rounds).Select(i => 500.0 + i)];
        var p = PairedRatioStatistics.MannWhitneyPValue(a, b);
        Assert.Equal(AbCellComparer.SmallestPValue(rounds), p, 1e-9);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(3, 5)]
    [InlineData(8, 6)]
    [InlineData(40, 7)]
    public void TheFewestUsefulRoundsGrowWithTheCellsCompared(int cells, int rounds) =>
        Assert.Equal(rounds, AbCellComparer.FewestUsefulRounds(cells, s_options));

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.10)]
    public void EightUnchangedCellsOfEightRoundsFailTheRunAtMostOnceIn10Trials(double noise)
    {
        var random = new Random(4242);
        var alarms = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var anySlowerOrFaster = Enumerable.Range(0, 8)
                .Select(_ => AbCellComparer.Compare("m", "echo", Rounds(random, 8, 1.0, noise), Rounds(random, 8, 1.0, noise), s_options, comparedCells: 8))
                .Any(cell => cell.Verdict != AbVerdict.Same);
            alarms += anySlowerOrFaster ? 1 : 0;
        }

        Assert.True(alarms <= Trials / 10, $"{alarms} runs of {Trials} raised a false alarm");
    }

    [Theory]
    [InlineData(0.05, 8)]
    [InlineData(0.075, 10)]
    public void A15PercentSlowerCellAmongEightIsFoundInAtLeast9Of10Trials(double noise, int rounds)
    {
        var random = new Random(1515);
        var found = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var cell = AbCellComparer.Compare("m", "echo", Rounds(random, rounds, 1.0, noise), Rounds(random, rounds, 0.85, noise), s_options, comparedCells: 8);
            found += cell.Verdict == AbVerdict.Slower ? 1 : 0;
        }

        Assert.True(found >= Trials * 9 / 10, $"found in {found} of {Trials}");
    }

    /// <summary>Rounds of a server at <paramref name="speed"/> times the baseline: messages/s times it, CPU per message divided by it, each with its own noise.</summary>
    private static AbSample[] Rounds(Random random, int rounds, double speed, double noise)
    {
        var rates = SyntheticRounds.Rates(random, rounds, 100_000 * speed, noise);
        var cpu = SyntheticRounds.Rates(random, rounds, 10e-6 / speed, noise);
        return [.. rates.Zip(cpu, (rate, seconds) => new AbSample(rate, seconds))];
    }

    [Fact]
    public void OneSidedCellsAreNewOrRemoved()
    {
        Assert.Equal(AbVerdict.New, AbCellComparer.OneSided("uring", "echo", AbSide.B).Verdict);
        Assert.Equal(AbVerdict.Removed, AbCellComparer.OneSided("select", "echo", AbSide.A).Verdict);
    }
}
