namespace IoModels.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes: waiting for a state, never sleeping for one.</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeouts.Operation);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    public static async Task AssertAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        Assert.True(await TrueAsync(condition, timeout), $"timed out waiting for: {what}");
    }
}
