namespace IoModels.LoadGen.Timing;

/// <summary>A monotonic clock in ticks; the tests substitute one they advance by hand.</summary>
public interface IClock
{
    /// <summary>Ticks per second.</summary>
    long Frequency { get; }

    long GetTimestamp();
}
