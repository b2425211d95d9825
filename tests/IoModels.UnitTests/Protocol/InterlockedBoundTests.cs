using IoModels.Protocol.Threading;

namespace IoModels.Tests.Protocol;

public sealed class InterlockedBoundTests
{
    [Fact]
    public void RaiseTo_keeps_the_largest_value_offered()
    {
        long peak = 5;
        InterlockedBound.RaiseTo(ref peak, 3);
        Assert.Equal(5, peak);
        InterlockedBound.RaiseTo(ref peak, 9);
        Assert.Equal(9, peak);
    }

    [Fact]
    public void LowerTo_keeps_the_smallest_value_offered()
    {
        long deadline = 100;
        InterlockedBound.LowerTo(ref deadline, 200);
        Assert.Equal(100, deadline);
        InterlockedBound.LowerTo(ref deadline, 40);
        Assert.Equal(40, deadline);
    }

    [Fact]
    public void RaiseTo_from_many_threads_ends_at_the_largest_of_all()
    {
        long peak = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            for (long value = worker; value < 40_000; value += 4)
            {
                InterlockedBound.RaiseTo(ref peak, value);
            }
        });

        Assert.Equal(39_999, peak);
    }
}
