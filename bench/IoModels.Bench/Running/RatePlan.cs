namespace IoModels.Bench.Running;

/// <summary>
/// The absolute rates of a rate sweep: each step's fraction of the highest capacity any model reached in the
/// run, so every model is offered the same rates and the curves share one axis.
/// </summary>
internal static class RatePlan
{
    /// <summary>The highest of the capacities measured, or null when none was (no model echoed in its closed loop).</summary>
    public static double? HighestCapacity(IEnumerable<double> capacities)
    {
        ArgumentNullException.ThrowIfNull(capacities);
        double highest = capacities.Where(capacity => capacity > 0 && double.IsFinite(capacity)).DefaultIfEmpty(0).Max();
        return highest > 0 ? highest : null;
    }

    /// <summary>The rate at <paramref name="fraction"/> of a capacity (a sweep's step, or an overload's factor above 1), in whole messages per second (at least 1).</summary>
    public static long RateFor(double highestCapacity, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(highestCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        return Math.Max(1, (long)Math.Round(highestCapacity * fraction));
    }
}
