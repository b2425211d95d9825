using IoModels.Server.Models;

namespace IoModels.Tests.Allocation;

public sealed class SessionBufferPoolTests
{
    [Fact]
    public void Counts_what_is_out_and_keeps_what_comes_back()
    {
        using var pool = new SessionBufferPool(trimPeriodically: false);
        var first = pool.Rent(64 * 1024);
        var second = pool.Rent(1000);
        Assert.Equal(2, pool.BuffersOut);
        Assert.Equal(64 * 1024, first.Length);
        Assert.Equal(1024, second.Length);

        pool.Return(first);
        pool.Return(second);
        Assert.Equal(0, pool.BuffersOut);
        Assert.Equal(2, pool.BuffersKept);
        Assert.Same(first, pool.Rent(40_000));
    }

    [Fact]
    public void A_trim_keeps_the_last_interval_s_peak_as_headroom_and_two_idle_trims_empty_it()
    {
        using var pool = new SessionBufferPool(trimPeriodically: false);

        // A burst of ten out at once, then a load of two at a time.
        var burst = Enumerable.Range(0, 10).Select(_ => pool.Rent(64 * 1024)).ToList();
        burst.ForEach(a => pool.Return(a));
        pool.Trim();
        var load = new[] { pool.Rent(64 * 1024), pool.Rent(64 * 1024) };
        foreach (var array in load)
        {
            pool.Return(array);
        }

        // Eight were never needed in that interval; two were out at its peak, so two of those eight stay too.
        Assert.Equal(6L * 64 * 1024, pool.Trim());
        Assert.Equal(4, pool.BuffersKept);

        // Nothing out through a whole interval: everything goes.
        pool.Trim();
        Assert.Equal(0, pool.BuffersKept);
    }

    [Fact]
    public void A_pool_that_keeps_none_allocates_every_rent()
    {
        using var pool = new SessionBufferPool(buffersPerSize: 0, trimPeriodically: false);
        var array = pool.Rent(100);
        pool.Return(array);
        Assert.Equal(0, pool.BuffersKept);
        Assert.NotSame(array, pool.Rent(100));
    }
}
