using IoModels.Bench.Ab;

namespace IoModels.Tests.Bench.Ab;

public sealed class PairedRatioStatisticsTests
{
    private const int Rounds = 10;
    private const int Trials = 200;
    private static readonly AbStatisticsOptions s_options = new(Threshold: 0.05);

    /// <summary>
    /// At 10% noise ten rounds are not enough for 9 in 10 (a Mann-Whitney test over the rounds gives up power to be robust),
    /// so that case asks for the rounds it needs: the figure the gate's --rounds must follow on a noisy machine.
    /// </summary>
    [Theory]
    [InlineData(0.05, 10)]
    [InlineData(0.075, 10)]
    [InlineData(0.10, 16)]
    public void A15PercentSlowdownIsDetectedInAtLeast9Of10Trials(double noise, int rounds)
    {
        var random = new Random(1511);
        var detected = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var a = SyntheticRounds.Rates(random, rounds, 100_000, noise);
            var b = SyntheticRounds.Rates(random, rounds, 85_000, noise);
            var comparison = PairedRatioStatistics.Compare(a, b, MetricDirection.HigherIsBetter, s_options.Alpha, s_options);
            Assert.NotEqual(AbVerdict.Faster, comparison.Verdict);
            detected += comparison.Verdict == AbVerdict.Slower ? 1 : 0;
        }

        Assert.True(detected >= Trials * 9 / 10, $"detected {detected} of {Trials}");
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.10)]
    public void IdenticalDistributionsRaiseAtMostOneFalseAlarmIn10Trials(double noise)
    {
        var random = new Random(2026);
        var alarms = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var a = SyntheticRounds.Rates(random, Rounds, 100_000, noise);
            var b = SyntheticRounds.Rates(random, Rounds, 100_000, noise);
            var comparison = PairedRatioStatistics.Compare(a, b, MetricDirection.HigherIsBetter, s_options.Alpha, s_options);
            alarms += comparison.Verdict == AbVerdict.Same ? 0 : 1;
        }

        Assert.True(alarms <= Trials / 10, $"{alarms} false alarms in {Trials}");
    }

    [Fact]
    public void ASignificantChangeBelowTheThresholdIsNoDifference()
    {
        // Noise far below the change: the test is certain, but 2% is under the 5% threshold.
        var random = new Random(7);
        var a = SyntheticRounds.Rates(random, Rounds, 100_000, 0.001);
        var b = SyntheticRounds.Rates(random, Rounds, 98_000, 0.001);
        var comparison = PairedRatioStatistics.Compare(a, b, MetricDirection.HigherIsBetter, s_options.Alpha, s_options);
        Assert.True(comparison.PValue < 0.01, $"p {comparison.PValue}");
        Assert.Equal(AbVerdict.Same, comparison.Verdict);
    }

    [Fact]
    public void MoreCpuPerMessageIsSlowerAndLessIsFaster()
    {
        var random = new Random(3);
        var a = SyntheticRounds.Rates(random, Rounds, 10e-6, 0.02);
        var costlier = SyntheticRounds.Rates(random, Rounds, 12e-6, 0.02);
        var cheaper = SyntheticRounds.Rates(random, Rounds, 8e-6, 0.02);
        Assert.Equal(AbVerdict.Slower, PairedRatioStatistics.Compare(a, costlier, MetricDirection.LowerIsBetter, 0.05, s_options).Verdict);
        Assert.Equal(AbVerdict.Faster, PairedRatioStatistics.Compare(a, cheaper, MetricDirection.LowerIsBetter, 0.05, s_options).Verdict);
    }

    [Fact]
    public void TheIntervalHoldsTheMedianRatioAndTheSameRoundsGiveTheSameInterval()
    {
        var random = new Random(99);
        var a = SyntheticRounds.Rates(random, Rounds, 100_000, 0.08);
        var b = SyntheticRounds.Rates(random, Rounds, 90_000, 0.08);
        var first = PairedRatioStatistics.Compare(a, b, MetricDirection.HigherIsBetter, 0.05, s_options);
        var second = PairedRatioStatistics.Compare(a, b, MetricDirection.HigherIsBetter, 0.05, s_options);
        Assert.InRange(first.MedianRatio, first.LowerRatio, first.UpperRatio);
        Assert.True(first.LowerRatio < first.UpperRatio);
        Assert.Equal(first.LowerRatio, second.LowerRatio);
        Assert.Equal(first.UpperRatio, second.UpperRatio);
        Assert.Equal(PairedRatioStatistics.Median([.. Enumerable.Range(0, Rounds).Select(i => b[i] / a[i])]), first.MedianRatio);
    }

    [Fact]
    public void MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo()
    {
        Assert.Equal(2.5, PairedRatioStatistics.Median([4, 1, 3, 2]));
        Assert.Equal(3, PairedRatioStatistics.Median([5, 3, 1]));
    }

    [Fact]
    public void IdenticalSamplesHaveAPValueOfOne() =>
        Assert.Equal(1, PairedRatioStatistics.MannWhitneyPValue([1, 2, 3], [1, 2, 3]));

    [Fact]
    public void SeparatedSamplesHaveTheExactMannWhitneyPValue()
    {
        // Five against five, every B below every A: two-sided exact p = 2 / C(10, 5).
        var p = PairedRatioStatistics.MannWhitneyPValue([10, 11, 12, 13, 14], [1, 2, 3, 4, 5]);
        Assert.Equal(2.0 / 252, p, 1e-6);
    }
}
