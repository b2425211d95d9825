using IoModels.LoadGen.Timing;

namespace IoModels.Tests.LoadGen;

/// <summary>A clock the test moves by hand: one tick per microsecond, so expected figures are exact.</summary>
internal sealed class FakeClock : IClock
{
    public long Frequency => 1_000_000;

    public long Now { get; private set; }

    public long GetTimestamp() => Now;

    public void AdvanceTo(long ticks)
    {
        Assert.True(ticks >= Now, "a monotonic clock never goes back");
        Now = ticks;
    }
}
